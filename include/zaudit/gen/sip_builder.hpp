#pragma once
/// \file Writing SIP calls for generated captures: SIP requests and responses as real stacks
/// write them (RFC 3261), SDP offers and answers (RFC 8866) with SDES a=crypto (RFC 4568), the
/// signalling transports (UDP, TCP, opaque TLS) and G.711 media, plain or SRTP-protected with
/// libsrtp2.
///
/// SrtpSender protects through zaudit_srtp's SrtpProtector (libsrtp2), whose output a test
/// checks byte for byte against an independent RFC 3711 computation.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/gen/scenario.hpp"
#include "zaudit/srtp/srtp_session.hpp"
#include "zaudit/util/expected.hpp"

namespace zaudit::gen {

// ---------------------------------------------------------------------------------------------
// Identifiers (RFC 3261 sections 8.1.1.3-8.1.1.7), drawn from the scenario's seeded stream.

/// A Via branch: the RFC 3261 magic cookie "z9hG4bK" followed by 16 hex digits.
std::string sip_branch(SeededBytes& random);
/// A From/To tag: 10 hex digits (RFC 3261 section 19.3 asks for 32 bits of randomness).
std::string sip_tag(SeededBytes& random);
/// A Call-ID: 24 hex digits "@" host.
std::string sip_call_id(SeededBytes& random, std::string_view host);

// ---------------------------------------------------------------------------------------------
// One SIP message.

/// Writes one SIP message: start line, headers in the order given, then Content-Length (always
/// last and always right, counted in bytes of the body) and the body.
class SipWriter {
public:
    /// "METHOD uri SIP/2.0"
    static SipWriter request(std::string_view method, std::string_view uri);
    /// "SIP/2.0 code reason"
    static SipWriter response(int code, std::string_view reason);

    SipWriter& header(std::string_view name, std::string_view value);
    /// Sets the body and its Content-Type; an empty body writes no Content-Type.
    SipWriter& body(std::string_view content_type, std::string_view body);
    [[nodiscard]] std::string text() const;

private:
    explicit SipWriter(std::string start_line) : m_start_line{std::move(start_line)} {}

    std::string m_start_line;
    std::vector<std::pair<std::string, std::string>> m_headers;
    std::string m_content_type;
    std::string m_body;
};

// ---------------------------------------------------------------------------------------------
// Dialogs: the fields that every message of one call repeats.

/// A user agent (or B2BUA/proxy side) taking part in a dialog.
struct SipParty {
    std::string user;          ///< "alice"
    std::string display_name;  ///< "Alice"; empty for none
    util::Endpoint signaling;  ///< where it sends and receives SIP
    std::string tag;           ///< its From/To tag
    std::string user_agent;    ///< User-Agent / Server value

    /// "sip:alice@192.0.2.10" ("[2001:db8::1]" for IPv6; ":port" when not 5060).
    [[nodiscard]] std::string uri() const;
    /// "sip:alice@192.0.2.10:5060;transport=tcp" style Contact URI, in angle brackets.
    [[nodiscard]] std::string contact(std::string_view transport) const;
};

/// The transport named in Via and Contact.
enum class SipTransport : std::uint8_t { udp, tcp, tls };

/// "UDP", "TCP" or "TLS".
std::string_view to_string(SipTransport transport);

struct DialogSpec {
    SipParty caller;
    SipParty callee;
    std::string call_id;
    SipTransport transport = SipTransport::udp;
};

/// One request of a dialog. Requests from the caller carry From: caller, To: callee (with the
/// callee's tag once the dialog exists); requests from the callee the reverse.
struct RequestSpec {
    std::string method;  ///< "INVITE", "ACK", "BYE"...
    std::uint32_t cseq = 1;
    std::string branch;  ///< the sender's branch (ACK to a 2xx gets a new one)
    bool from_callee = false;
    bool in_dialog = false;  ///< To carries the remote tag (re-INVITE, ACK, BYE)
    std::string sdp;         ///< body; empty for none
    /// Vias added above the sender's own by proxies on the way, topmost first (the message as
    /// seen after those hops); Max-Forwards drops by one per proxy.
    std::vector<std::string> proxy_vias;
    std::vector<std::string> record_routes;  ///< Record-Route values, as proxies insert them
    std::vector<std::string> routes;         ///< Route values of an in-dialog request
    /// Headers written after User-Agent, in order (Proxy-Authorization...).
    std::vector<std::pair<std::string, std::string>> headers;
};

/// The request as the sender (plus any proxies in proxy_vias) writes it.
std::string build_request(const DialogSpec& dialog, const RequestSpec& request);

/// The response to a request: Vias, From, To, Call-ID and CSeq copied from the request (RFC 3261
/// section 8.2.6.2), To tagged except in 100 Trying, Contact and Record-Route in 18x/2xx to an
/// INVITE, Server naming the responder.
/// `headers` are written after Server (WWW-Authenticate, Proxy-Authenticate...).
std::string build_response(const DialogSpec& dialog, const RequestSpec& request, int code, std::string_view reason,
                           std::string_view sdp = {},
                           const std::vector<std::pair<std::string, std::string>>& headers = {});

// ---------------------------------------------------------------------------------------------
// Digest authentication (RFC 3261 section 22.4, RFC 7616 with SHA-256 as RFC 8760 allows).

/// What a registrar or proxy challenges with (WWW-Authenticate / Proxy-Authenticate).
struct DigestChallenge {
    std::string realm;
    std::string nonce;
};

/// `Digest realm="...", nonce="...", qop="auth", algorithm=SHA-256`
std::string digest_challenge(const DigestChallenge& challenge);

/// The client's answer (Authorization / Proxy-Authorization) with a genuine SHA-256 response
/// (RFC 7616 section 3.4.1, qop=auth): H(H(user:realm:password):nonce:nc:cnonce:auth:H(method:uri)).
struct DigestAnswer {
    std::string user;
    std::string password;
    std::string method;  ///< the request's method
    std::string uri;     ///< the Request-URI
    std::string cnonce;
    std::uint32_t nonce_count = 1;
};
std::string digest_credentials(const DigestChallenge& challenge, const DigestAnswer& answer);

// ---------------------------------------------------------------------------------------------
// SDP.

/// One a=crypto line (RFC 4568 section 9.1).
struct SdpCrypto {
    std::uint32_t tag = 1;
    std::string suite = "AES_CM_128_HMAC_SHA1_80";
    ByteVector key_salt;         ///< master key followed by master salt
    std::string session_params;  ///< "UNENCRYPTED_SRTP"...; empty for none
};

/// "1 AES_CM_128_HMAC_SHA1_80 inline:<base64>" (the value after "a=crypto:").
std::string crypto_value(const SdpCrypto& crypto);

/// One audio session description with a single m=audio line offering PCMU, PCMA and
/// telephone-event.
struct SdpSpec {
    std::string username = "-";
    std::uint64_t session_id = 0;
    std::uint64_t session_version = 0;
    util::IpAddress address;
    std::uint16_t port = 0;
    bool savp = false;  ///< RTP/SAVP rather than RTP/AVP
    bool dtls = false;  ///< UDP/TLS/RTP/SAVP (RFC 5764 section 8): DTLS-SRTP, over savp
    std::vector<SdpCrypto> cryptos;
    std::string zrtp_hash;    ///< "1.10 <64 hex>"; empty for none
    std::string fingerprint;  ///< "sha-256 AB:CD:..."; empty for none
    std::string setup;        ///< "actpass"...; empty for none
    std::string direction = "sendrecv";
};

std::string build_sdp(const SdpSpec& spec);

// ---------------------------------------------------------------------------------------------
// Signalling transports.

/// Writes the SIP of one hop (two endpoints) onto a capture: UDP datagrams, or one TCP
/// connection (opened by `a` with a three-way handshake on first use) carrying the text as is,
/// or as TLS 1.2 application-data records of random bytes (the fact of TLS, nothing readable).
class SignalingLink {
public:
    SignalingLink(CaptureBuilder& capture, SeededBytes& random, util::Endpoint a, util::Endpoint b,
                  SipTransport transport);

    /// One message from a (from_a) or b; TCP/TLS cut it into segments of at most 1460 bytes.
    void send(util::Timestamp time, bool from_a, std::string_view text);
    /// TCP only: one segment with exactly these bytes (to split or coalesce messages by hand).
    void send_segment(util::Timestamp time, bool from_a, std::string_view bytes);
    /// TCP only: the last segment sent from that side again, unchanged (a retransmission).
    void retransmit_last(util::Timestamp time, bool from_a);
    /// TCP only: FIN from a, FIN from b, last ACK.
    void close(util::Timestamp time);

private:
    struct Side {
        util::Endpoint endpoint;
        std::uint32_t next_seq = 0;
        std::uint32_t last_seq = 0;
        ByteVector last_payload;
    };
    void open(util::Timestamp time);
    void segment(util::Timestamp time, bool from_a, util::Bytes payload);

    CaptureBuilder& m_capture;
    SeededBytes& m_random;
    Side m_a;
    Side m_b;
    SipTransport m_transport;
    bool m_open = false;
};

// ---------------------------------------------------------------------------------------------
// Media.

/// One SRTP sender under an SDES key, straight on libsrtp2 (RFC 3711).
class SrtpSender {
public:
    /// Fails for suites other than AES_CM_128_HMAC_SHA1_80/_32 and NULL_HMAC_SHA1_80/_32, a
    /// key||salt that is not 30 bytes, or when libsrtp2 refuses the policy.
    static util::Expected<SrtpSender> create(std::string_view suite, util::Bytes key_salt,
                                             bool unencrypted_srtp = false);
    /// The SRTP packet for a plain RTP packet.
    util::Expected<ByteVector> protect(util::Bytes rtp_packet);

private:
    explicit SrtpSender(srtp::SrtpProtector protector) : m_protector{std::move(protector)} {}
    srtp::SrtpProtector m_protector;
};

/// One direction of G.711 mu-law RTP (payload type 0, 20 ms, 160 samples per packet).
struct MediaDirection {
    util::Endpoint src;
    util::Endpoint dst;
    std::uint32_t ssrc = 0;
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
    std::shared_ptr<SrtpSender> srtp;  ///< nullptr: plain RTP
    std::size_t sent = 0;              ///< packets sent so far
};

/// A direction with SSRC, first sequence number and timestamp drawn from `random` (RFC 3550
/// section 5.1 asks for random initial values).
MediaDirection media_direction(SeededBytes& random, util::Endpoint src, util::Endpoint dst,
                               std::shared_ptr<SrtpSender> srtp = nullptr);

/// `packets` packets each way, 20 ms apart from `start` (the second direction 7 ms later);
/// the first packet of a direction carries the marker bit. Returns the time after the last.
util::Timestamp add_g711_media(CaptureBuilder& capture, util::Timestamp start, std::size_t packets,
                               MediaDirection& forward, MediaDirection& backward);

}  // namespace zaudit::gen
