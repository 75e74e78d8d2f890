#pragma once
/// \file A simulated pair of ZRTP endpoints that run a genuine RFC 6189 DH-mode handshake and
/// hand back the UDP payloads both sides sent, in order, plus the secrets an auditor would not
/// see (hash chains, keys, SAS) so that tests and samples can check the audit's findings.
/// Attack variants change what goes on the wire in the ways listed in ZrtpHandshakeOptions.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zaudit/gen/zrtp_keys.hpp"
#include "zaudit/gen/zrtp_wire.hpp"
#include "zaudit/util/expected.hpp"

namespace zaudit::gen {

enum class ZrtpSide { initiator, responder };

/// One endpoint. Algorithm names are the 4-character names of RFC 6189 section 5.1.2-5.1.6
/// ("B32 " has a trailing space), listed in preference order.
struct ZrtpEndpointConfig {
    ZrtpZid zid{};
    std::string client_id = "zaudit-gen";  ///< padded with spaces to 16 characters
    std::string version = "1.10";
    std::uint32_t ssrc = 0;
    std::uint32_t multistream_ssrc = 0;  ///< SSRC of the second (multistream) stream; 0 = ssrc + 1
    std::vector<std::string> hashes{"S256"};
    std::vector<std::string> ciphers{"AES1"};
    std::vector<std::string> auth_tags{"HS32", "HS80"};
    std::vector<std::string> key_agreements{"DH3k", "Mult"};
    std::vector<std::string> sas_types{"B32 "};
    bool mitm_flag = false;     ///< M: a trusted MiTM (PBX)
    bool passive_flag = false;  ///< P
    bool sigcap_flag = false;   ///< S
    std::uint64_t seed = 0;     ///< every random value this endpoint draws comes from it
    /// false: the Hello lists the mandatory algorithms (S256, AES1, HS32, HS80, DH3k, Mult, B32)
    /// after the configured ones when they are missing, as bzrtp does; true: the Hello leaves them
    /// out (RFC 6189 section 5.2 allows it: they count as offered).
    bool omit_mandatory_algorithms = false;
};

/// One UDP payload as it crossed the wire.
struct ZrtpWirePacket {
    bool from_initiator = false;
    std::vector<std::uint8_t> udp_payload;
    std::string message_type;  ///< "Hello", "HelloACK", "Commit", ... (trailing spaces removed)
    bool fragment = false;     ///< one piece of a bzrtp-style fragmented message
};

/// Attack and oddity variants. Each one is described by what the wire shows and which checks
/// of an independent verifier fail; all other checks still hold.
struct ZrtpHandshakeOptions {
    /// The initiator's Hello gets one byte of its client identifier changed in flight after its
    /// MAC was computed (the CRC is recomputed): the Hello MAC fails under the H2 revealed in the
    /// Commit. The initiator's Hello is not part of hvi or total_hash, so the handshake completes.
    bool tamper_hello = false;
    /// The initiator's Hello is replaced by an attacker-made one: its H3 is SHA-256 of another H2
    /// (and its MAC keyed by that H2), so SHA-256(H2 from the Commit) != H3 and the MAC fails.
    bool forge_hello_h3 = false;
    /// MiTM: the DHPart2 on the wire carries an attacker's pv (its MAC recomputed under the
    /// initiator's H0 to isolate the check); hvi in the Commit no longer matches. Confirm1/2 use
    /// the keys of the responder-attacker leg, so they still verify with the wire's DH values.
    bool substitute_dhpart2 = false;
    /// DHPart2 and Confirm2 carry H1'/H0' of another chain: SHA-256(H1') != H2 of the Commit and
    /// the Commit MAC fails under H1'. hvi is computed over the DHPart2 actually sent.
    bool break_hash_chain = false;
    /// After Conf2ACK the initiator sends GoClear (clear_hmac = HMAC(mackeyi, "GoClear "),
    /// section 5.11) and the responder ClearACK; both Confirms carry the A flag.
    bool go_clear = false;
    /// The responder answers the Commit with Error(code) instead of DHPart1; ErrorACK follows.
    std::optional<std::uint32_t> error_code;
    /// After Conf2ACK a SASrelay (section 5.13) from the endpoint with the M flag (else the
    /// responder), sealed with its zrtpkey/mackey, answered by RelayACK.
    bool sas_relay = false;
    /// After the DH stream, a second stream (multistream SSRCs) runs Hello/HelloACK both ways,
    /// a Commit with key agreement "Mult" and a nonce, Confirm1, Confirm2, Conf2ACK (4.4.3).
    bool multistream = false;
    /// The first copy of the Commit goes out with a corrupted CRC, then a good retransmission.
    bool corrupt_crc = false;
    /// The initiator sends its Hello twice, the message byte-identical; as real stacks do (bzrtp,
    /// GNU ZRTP), the retransmission has the next sequence number and so its own CRC.
    bool retransmit_hello = false;
    /// The initiator's Hello is sent again with different content (client identifier changed,
    /// MAC recomputed under the same H2): two parties speak with one ZID.
    bool retransmit_hello_changed = false;
    /// When non-zero, packets larger than this many bytes are sent as bzrtp-style fragments.
    std::size_t max_fragment_size = 0;
};

/// The algorithms both sides use (RFC 6189 section 4.1.2), as 4-character names.
struct ZrtpNegotiated {
    std::string hash, cipher, auth_tag, key_agreement, sas;
};

/// One endpoint's view of a stream's secrets.
struct ZrtpHashChain {
    ZrtpHashImage h0{}, h1{}, h2{}, h3{};
};

/// Everything one stream produced.
struct ZrtpStreamResult {
    std::vector<ZrtpWirePacket> packets;
    ZrtpBytes initiator_hello;  ///< the genuine Hello messages (preamble through MAC)
    ZrtpBytes responder_hello;
    ZrtpHashChain initiator_chain;
    ZrtpHashChain responder_chain;
    ZrtpNegotiated algorithms;
    ZrtpBytes dh_result;  ///< DHResult as the wire's keys use it (empty for multistream)
    ZrtpBytes total_hash;
    ZrtpBytes kdf_context;
    ZrtpSessionKeys keys;    ///< as the wire's Confirm messages use them (completed handshakes only)
    bool completed = false;  ///< reached Conf2ACK
    std::string sas;         ///< B32 rendering; empty when another SAS type was negotiated
};

/// The result: the DH stream and, with the multistream option, the second stream.
struct ZrtpHandshake {
    ZrtpStreamResult main;
    std::optional<ZrtpStreamResult> second;

    /// The genuine Hello message of one side of the DH stream.
    [[nodiscard]] const ZrtpBytes& hello_message(ZrtpSide side) const;
    /// SDP a=zrtp-hash value: "<version> <hex SHA-256 of the Hello message>" (RFC 6189 8.1).
    [[nodiscard]] std::string zrtp_hash_attribute(ZrtpSide side, std::string_view version = "1.10") const;
    [[nodiscard]] const ZrtpHashChain& hash_chain(ZrtpSide side) const;
    /// SRTP master key and salt that `side` sends with (srtpkeyi/srtpsalti for the initiator).
    [[nodiscard]] const ZrtpBytes& srtp_master_key(ZrtpSide sender) const;
    [[nodiscard]] const ZrtpBytes& srtp_master_salt(ZrtpSide sender) const;
};

/// Runs the handshake between two endpoints; the first one sends the Commit.
class ZrtpHandshakeGenerator {
public:
    ZrtpHandshakeGenerator(ZrtpEndpointConfig initiator, ZrtpEndpointConfig responder,
                           ZrtpHandshakeOptions options = {});

    /// Fails when the two Hellos have no key agreement, hash or cipher this generator can run
    /// (it implements S256/S384, AES1/AES2/AES3, DH2k/DH3k/EC25/EC38/X255).
    [[nodiscard]] util::Expected<ZrtpHandshake> run() const;

private:
    ZrtpEndpointConfig m_initiator;
    ZrtpEndpointConfig m_responder;
    ZrtpHandshakeOptions m_options;
};

/// The algorithm lists a Hello of this endpoint carries (mandatory ones added or left out).
ZrtpHelloFields zrtp_hello_fields(const ZrtpEndpointConfig& config, const ZrtpHashImage& h3);

/// RFC 6189 section 4.1.2 negotiation between the two endpoints' offers, mandatory algorithms
/// counted as offered. Key agreement: the common first choice, or else the faster of the two
/// sides' first choices; the other types: the initiator's first choice among the common ones
/// (with S384 and AES3/AES2 preferred for EC38, section 5.1.5). Only algorithms this generator
/// can run are considered.
util::Expected<ZrtpNegotiated> zrtp_negotiate(const ZrtpEndpointConfig& initiator, const ZrtpEndpointConfig& responder);

}  // namespace zaudit::gen
