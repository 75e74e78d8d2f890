#pragma once
/// \file SDP session descriptions (RFC 8866, formerly RFC 4566) as owned values.
///
/// Lenient by design: a malformed line is skipped with an anomaly (an sdp.* code, the byte offset
/// of the line, and a detail naming the line number) and the rest of the description still
/// parses. No security judgement is made here.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zaudit/sdp/crypto_attribute.hpp"
#include "zaudit/util/address.hpp"
#include "zaudit/util/anomaly.hpp"

namespace zaudit::sdp {

/// o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address> (RFC 8866 5.2)
struct Origin {
    std::string username;
    std::string session_id;
    std::string session_version;
    std::string net_type;
    std::string addr_type;
    std::string address;
};

/// c=<nettype> <addrtype> <connection-address> (RFC 8866 5.7)
struct Connection {
    std::string net_type;               ///< "IN"
    std::string addr_type;              ///< "IP4" / "IP6"
    std::string address;                ///< without "/ttl/count"
    std::string text;                   ///< the whole value as written
    std::optional<util::IpAddress> ip;  ///< when the address is a literal IPv4/IPv6 address
};

/// a=<name>[:<value>]
struct Attribute {
    std::string name;
    std::string value;
    bool has_value = false;
    std::size_t line = 0;
    std::size_t value_offset = 0;  ///< where the value starts in its line
};

/// a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>] (RFC 8866 6.6)
struct RtpMap {
    unsigned payload_type = 0;
    std::string encoding;
    std::uint32_t clock_rate = 0;
    std::string parameters;  ///< channels for audio, empty when absent
};

/// a=zrtp-hash:<zrtp-version> <zrtp-hash-value> (RFC 6189 section 8.1)
struct ZrtpHash {
    std::string version;  ///< "1.10"
    std::string hash;     ///< hex as written (64 digits for SHA-256)
};

/// a=fingerprint:<hash-func> <fingerprint> (RFC 8122 section 5)
struct Fingerprint {
    std::string hash_function;  ///< lower-cased: "sha-256"
    std::string value;          ///< as written: "AB:CD:..."
};

/// a=rtcp:<port> [<nettype> <addrtype> <connection-address>] (RFC 3605)
struct Rtcp {
    std::uint16_t port = 0;
    std::optional<Connection> connection;
};

/// Media direction (RFC 8866 6.7); sendrecv when nothing is said.
enum class Direction { sendrecv, sendonly, recvonly, inactive };

std::string_view to_string(Direction d);

/// m=<media> <port>[/<number of ports>] <proto> <fmt> ... and its attributes.
struct MediaDescription {
    std::size_t line = 0;  ///< line of the m= line
    std::string media;     ///< "audio", "video", "application", ...
    std::uint16_t port = 0;
    unsigned port_count = 1;
    std::string profile;            ///< as written: "RTP/AVP", "UDP/TLS/RTP/SAVPF", ...
    bool profile_secure = false;    ///< an SRTP profile (…/SAVP, …/SAVPF)
    bool profile_dtls = false;      ///< DTLS-SRTP transport (UDP/TLS/…, TCP/DTLS/…, TCP/TLS/…)
    bool profile_feedback = false;  ///< AVPF / SAVPF
    std::vector<std::string> formats;

    std::vector<RtpMap> rtpmaps;
    /// This media's c= line, or the session's when it has none (connection_inherited true).
    std::optional<Connection> connection;
    bool connection_inherited = false;
    std::vector<CryptoAttribute> cryptos;
    std::vector<ZrtpHash> zrtp_hashes;      ///< this media's, or the session's when it has none
    std::vector<Fingerprint> fingerprints;  ///< this media's, or the session's when it has none
    std::string setup;                      ///< a=setup value (own or session's); empty when absent
    std::optional<Rtcp> rtcp;
    bool rtcp_mux = false;
    Direction direction = Direction::sendrecv;  ///< own, else session's, else sendrecv
    bool direction_explicit = false;            ///< an a= direction line applied (here or session)
    bool ice_ufrag = false;                     ///< a=ice-ufrag here or at session level
    std::size_t candidates = 0;                 ///< a=candidate lines
    std::vector<Attribute> attributes;          ///< every a= line of this media, in order

    /// The rtpmap of a payload type, nullptr when none was given.
    [[nodiscard]] const RtpMap* rtpmap(unsigned payload_type) const;
};

/// A whole session description.
struct SdpSession {
    std::string version;  ///< v=
    std::optional<Origin> origin;
    std::string session_name;
    std::optional<Connection> connection;
    std::vector<Attribute> attributes;  ///< session-level a= lines, in order
    std::vector<ZrtpHash> zrtp_hashes;
    std::vector<Fingerprint> fingerprints;
    std::string setup;
    std::optional<Direction> direction;
    bool ice_ufrag = false;
    std::vector<MediaDescription> media;
    /// Lines skipped or only partly understood; offsets into the parsed text.
    std::vector<util::Anomaly> anomalies;
};

/// What one description may hold; beyond, media sections and a=crypto lines are skipped, said
/// once each (util::AnomalyCode::sdp_too_many_media, sdp_too_many_cryptos). Real offers carry a
/// few media sections (a large WebRTC room some dozens, one per track) and a few keys each;
/// every one is kept until the audit ends, and every key becomes a finding, so a hostile body
/// of thousands must not cost thousands of times its bytes.
constexpr std::size_t k_max_media_sections = 128;
constexpr std::size_t k_max_cryptos = 32;

/// Parses an SDP body; CRLF or LF line ends. Never fails: what cannot be read becomes anomalies.
SdpSession parse(std::string_view text);

/// Parses a c= value ("IN IP4 192.0.2.1/127"); nullopt when it does not have three fields.
std::optional<Connection> parse_connection(std::string_view value);

}  // namespace zaudit::sdp
