#pragma once
/// \file DTLS 1.2 (RFC 6347) as far as DTLS-SRTP needs it: records, handshake fragments and their
/// reassembly, the Hellos' use_srtp extension (RFC 5764 section 4.1.1) and the Certificate
/// message (RFC 5246 section 7.4.2), so that the session can hold the certificate against SDP's
/// a=fingerprint (RFC 8122). Bytes in, values out: no judgement here.

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "zaudit/util/anomaly.hpp"
#include "zaudit/util/byte_reader.hpp"

namespace zaudit::dtls {

using util::Bytes;

/// Record content types (RFC 5246 section 6.2.1, RFC 6347 section 4.1).
enum class ContentType : std::uint8_t {
    change_cipher_spec = 20,
    alert = 21,
    handshake = 22,
    application_data = 23,
};

/// Handshake message types (RFC 5246 section 7.4, RFC 6347 section 4.2.2).
enum class HandshakeType : std::uint8_t {
    hello_request = 0,
    client_hello = 1,
    server_hello = 2,
    hello_verify_request = 3,
    certificate = 11,
    server_key_exchange = 12,
    certificate_request = 13,
    server_hello_done = 14,
    certificate_verify = 15,
    client_key_exchange = 16,
    finished = 20,
};

/// Record versions: the one's complement of the TLS version (RFC 6347 section 4.1).
inline constexpr std::uint16_t k_dtls_1_0 = 0xfeff;
inline constexpr std::uint16_t k_dtls_1_2 = 0xfefd;
inline constexpr std::uint16_t k_dtls_1_3 = 0xfefc;  ///< only in supported_versions (RFC 9147 section 5.3)

/// One record of a datagram; `fragment` views the datagram.
///
///     0                   1                   2                   3
///    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///    |  ContentType  |    ProtocolVersion    |        epoch          |
///    +---------------+-----------------------+-----------------------+
///    |                   sequence_number (48 bits)                   |
///    +-------------------------------+-------------------------------+
///    |            length             |  fragment (length bytes) ...
struct Record {
    std::uint8_t content_type = 0;
    std::uint16_t version = 0;
    std::uint16_t epoch = 0;
    std::uint64_t sequence = 0;
    std::size_t offset = 0;  ///< of the record header in the datagram
    Bytes fragment;
};

/// A datagram's records, in order. DTLS 1.3 ciphertext (RFC 9147 section 4: first byte
/// 0b001CSLEE, the "unified header") ends the scan: what follows cannot be read without keys.
struct RecordScan {
    std::vector<Record> records;
    bool unified_header = false;  ///< a DTLS 1.3 encrypted record was seen
    std::vector<util::Anomaly> anomalies;
};

/// The 13-byte record header is read, then `length` bytes; a record that overruns the datagram is
/// an anomaly and ends the scan (RFC 6347 section 4.1.2.7: a receiver drops it).
RecordScan parse_records(Bytes datagram);

/// One handshake fragment (RFC 6347 section 4.2.2); `body` views the record.
///
///    msg_type (1) | length (3) | message_seq (2) | fragment_offset (3) | fragment_length (3) | body
struct HandshakeFragment {
    std::uint8_t msg_type = 0;
    std::uint32_t length = 0;  ///< of the whole message
    std::uint16_t message_seq = 0;
    std::uint32_t fragment_offset = 0;
    std::size_t offset = 0;  ///< of the fragment header in the record's fragment
    Bytes body;              ///< fragment_length bytes
};

/// Every handshake fragment of a handshake record (a record may carry several). A fragment that
/// overruns the record or its message ends the list with an anomaly.
std::vector<HandshakeFragment> parse_handshake_fragments(Bytes record_fragment, std::vector<util::Anomaly>& anomalies);

/// A whole handshake message, rebuilt from its fragments.
struct HandshakeMessage {
    std::uint8_t msg_type = 0;
    std::uint16_t message_seq = 0;
    std::vector<std::uint8_t> body;
};

/// What adding a fragment did.
struct AssemblyStep {
    std::optional<HandshakeMessage> completed;  ///< this fragment completed a message
    bool retransmission = false;                ///< a fragment of a message already completed
    std::vector<util::Anomaly> anomalies;
};

/// Reassembles one sender's handshake messages by message_seq (RFC 6347 section 4.2.3).
/// Retransmitted flights (a fragment of a message already complete) are counted, not rebuilt;
/// overlapping fragments are merged. Memory is bounded: a message may not exceed
/// k_max_message_bytes and at most k_max_pending messages are incomplete at once.
class MessageAssembler {
public:
    /// The length field allows 2^24-1 (RFC 6347 section 4.2.2); DTLS-SRTP certificates are
    /// self-signed and under 2 KiB, a chain with intermediates a few KiB. With k_max_pending this
    /// bounds a direction at 512 KiB, as ZRTP's fragment assembler bounds a flow at 1 MiB.
    static constexpr std::uint32_t k_max_message_bytes = 64 * 1024;
    static constexpr std::size_t k_max_pending = 8;

    AssemblyStep add(const HandshakeFragment& fragment);

private:
    struct Pending {
        std::uint8_t msg_type = 0;
        std::vector<std::uint8_t> bytes;
        std::vector<bool> filled;
        std::size_t received = 0;
        std::uint64_t age = 0;
    };
    std::map<std::uint16_t, Pending> m_pending;
    std::vector<std::uint16_t> m_done;  ///< message_seq of completed messages (a flight or two)
    std::uint64_t m_clock = 0;
};

/// The parts of a ClientHello or ServerHello (RFC 6347 section 4.2.1, RFC 5246 section 7.4.1)
/// DTLS-SRTP needs.
struct Hello {
    std::uint16_t version = 0;  ///< client_version / server_version
    bool use_srtp = false;      ///< the use_srtp extension (type 14) is present
    /// SRTPProtectionProfiles (RFC 5764 section 4.1.1): the client's list, the server's one choice.
    std::vector<std::uint16_t> srtp_profiles;
    std::vector<std::uint8_t> srtp_mki;
    /// supported_versions (type 43, RFC 8446 section 4.2.1): the client's list or the server's
    /// selected version (one entry); empty when absent.
    std::vector<std::uint16_t> supported_versions;
};

/// nullopt, with an anomaly, when the body is cut short or a length overruns it.
std::optional<Hello> parse_client_hello(Bytes body, std::vector<util::Anomaly>& anomalies);
std::optional<Hello> parse_server_hello(Bytes body, std::vector<util::Anomaly>& anomalies);

/// The DER certificates of a Certificate message (RFC 5246 section 7.4.2: a 3-byte list length,
/// then 3-byte-length certificates, the sender's own first), viewing `body`; nullopt, with an
/// anomaly, when a length overruns.
std::optional<std::vector<Bytes>> parse_certificate(Bytes body, std::vector<util::Anomaly>& anomalies);

/// The RFC 5764 section 4.1.2 / RFC 7714 section 14.2 name of a protection profile
/// ("SRTP_AES128_CM_HMAC_SHA1_80"); "unknown" for an unassigned value.
const char* profile_name(std::uint16_t profile);
/// The NULL-cipher profiles (SRTP_NULL_HMAC_SHA1_80/32): authentication without encryption.
bool profile_is_null(std::uint16_t profile);

}  // namespace zaudit::dtls
