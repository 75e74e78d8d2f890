#pragma once
/// \file A DTLS-SRTP handshake (RFC 5764) on one media flow, as a passive tap saw it: the Hellos'
/// use_srtp profiles, each side's certificate, and each certificate held against the
/// a=fingerprint its sender's SDP announced (RFC 8122 section 5, RFC 5763 section 5).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zaudit/util/address.hpp"
#include "zaudit/util/timestamp.hpp"

namespace zaudit::session {

/// What holding a certificate against SDP showed.
enum class DtlsVerdict : std::uint8_t {
    verified,        ///< "verified": its fingerprint equals an a=fingerprint of its sender's SDP
    mismatch,        ///< "mismatch": computed with the SDP's hash function, it equals none of them
    not_verifiable,  ///< "not-verifiable": no SDP, no usable hash function, ... (DtlsCertificate::reason)
};
std::string_view to_string(DtlsVerdict verdict);

/// How a certificate's sender was tied to an SDP.
enum class DtlsSdpMatch : std::uint8_t {
    none,     ///< "none": not tied
    address,  ///< "address": the SDP's c=/m= (or RTCP port) is the address:port that sent it
    setup,    ///< "setup": by a=setup roles (RFC 4145, RFC 5763 section 5: active is the DTLS client)
};
std::string_view to_string(DtlsSdpMatch match);

/// The end-entity certificate one side sent (the first of its Certificate message), and its check.
struct DtlsCertificate {
    std::uint64_t frame = 0;  ///< the frame that completed the Certificate message
    util::Timestamp time;
    util::Endpoint sender;
    std::vector<std::uint8_t> der;  ///< sent in clear: public, nothing to redact
    std::size_t chain_length = 0;   ///< certificates in the message

    // Filled when the model is finished.
    DtlsVerdict verdict = DtlsVerdict::not_verifiable;
    DtlsSdpMatch matched_by = DtlsSdpMatch::none;
    std::optional<std::size_t> sdp;  ///< index in Call::sdps of the sender's SDP
    std::uint64_t sdp_frame = 0;
    std::string hash_function;  ///< the SDP's, lowercase ("sha-256")
    std::string computed;       ///< the certificate's fingerprint, uppercase colon hex
    std::string announced;      ///< the a=fingerprint compared with, as written ("sha-256 AB:CD:...")
    std::string reason;         ///< why not verifiable
};

/// DTLS handshakes one flow may begin: a call renegotiates its DTLS association a few times at
/// most (each SDP exchange that changes a=fingerprint or a=setup). Beyond, a flow flooded with
/// ClientHellos of fresh randoms must not grow memory: further ones join the flow's last
/// handshake, and the anomaly dtls.too_many_handshakes makes the results partial.
inline constexpr std::uint32_t k_max_dtls_handshakes_per_flow = 16;

struct DtlsHandshake {
    std::uint32_t id = 0;
    std::uint32_t flow = 0;
    std::optional<std::uint32_t> call;
    util::Endpoint client;  ///< the ClientHello's sender; else the first sender
    util::Endpoint server;
    bool client_known = false;  ///< a ClientHello was seen
    std::uint64_t first_frame = 0;
    std::uint64_t last_frame = 0;
    util::Timestamp first_time;
    util::Timestamp last_time;
    std::uint64_t records = 0;
    std::uint64_t retransmitted_fragments = 0;  ///< fragments of messages already complete
    std::uint64_t encrypted_records = 0;        ///< epoch > 0 or DTLS 1.3 ciphertext: not read

    std::optional<std::uint64_t> client_hello_frame;
    std::optional<std::uint64_t> server_hello_frame;
    std::vector<std::uint16_t> offered_profiles;    ///< the ClientHello's use_srtp list
    std::optional<std::uint16_t> selected_profile;  ///< the ServerHello's
    std::uint16_t version = 0;                      ///< ServerHello's server_version (0xfefd: 1.2)
    bool dtls13 = false;                        ///< ServerHello selected DTLS 1.3, or its ciphertext records were seen
    std::vector<DtlsCertificate> certificates;  ///< one per sender, in order of appearance
    /// ChangeCipherSpec frames: [client, server]. Both: the DTLS 1.2 handshake completed.
    std::array<std::optional<std::uint64_t>, 2> change_cipher_spec{};

    // Filled when the model is finished.
    bool completed = false;
    std::string not_verifiable;  ///< why no certificate could be checked (DTLS 1.3, none seen, no SDP)

    [[nodiscard]] bool any_mismatch() const;
    /// Every certificate seen was verified, and both sides sent one.
    [[nodiscard]] bool verified() const;
};

}  // namespace zaudit::session
