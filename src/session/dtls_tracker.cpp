#include "dtls_tracker.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

#include "anomaly_log.hpp"
#include "zaudit/crypto/hash.hpp"
#include "zaudit/util/text.hpp"

namespace zaudit::session {
namespace {

/// Certificates kept per handshake: one per side, and a few more for a side that changes its own
/// (each is checked): a flood of Certificate messages must not grow memory.
constexpr std::size_t k_max_certificates = 4;

void on_message(DtlsHandshake& handshake, const dtls::HandshakeMessage& message, const net::Packet& packet,
                std::vector<util::Anomaly>& found) {
    const util::Bytes body{message.body.data(), message.body.size()};
    switch (static_cast<dtls::HandshakeType>(message.msg_type)) {
        case dtls::HandshakeType::client_hello:
            if (!handshake.client_known) {
                handshake.client_known = true;
                handshake.client = packet.src;
                handshake.server = packet.dst;
            }
            if (auto hello = dtls::parse_client_hello(body, found); hello && !handshake.client_hello_frame) {
                handshake.client_hello_frame = packet.frame;
                handshake.offered_profiles = std::move(hello->srtp_profiles);
            }
            break;
        case dtls::HandshakeType::server_hello:
            if (auto hello = dtls::parse_server_hello(body, found); hello && !handshake.server_hello_frame) {
                handshake.server_hello_frame = packet.frame;
                handshake.version = hello->version;
                if (!hello->srtp_profiles.empty()) {
                    handshake.selected_profile = hello->srtp_profiles.front();
                }
                handshake.dtls13 = handshake.dtls13 || (!hello->supported_versions.empty() &&
                                                        hello->supported_versions.front() == dtls::k_dtls_1_3);
            }
            break;
        case dtls::HandshakeType::certificate: {
            const auto chain = dtls::parse_certificate(body, found);
            if (!chain || chain->empty() || handshake.certificates.size() >= k_max_certificates) {
                break;
            }
            const util::Bytes der = chain->front();
            const bool known = std::any_of(
                handshake.certificates.begin(), handshake.certificates.end(), [&](const DtlsCertificate& c) {
                    return c.sender == packet.src && std::equal(c.der.begin(), c.der.end(), der.begin(), der.end());
                });
            if (!known) {
                DtlsCertificate certificate;
                certificate.frame = packet.frame;
                certificate.time = packet.time;
                certificate.sender = packet.src;
                certificate.der.assign(der.begin(), der.end());
                certificate.chain_length = chain->size();
                handshake.certificates.push_back(std::move(certificate));
            }
            break;
        }
        default: break;
    }
}

/// The algorithm an SDP hash function names (RFC 8122 section 5, case-insensitive); nullopt for
/// md5/md2 and anything unknown.
std::optional<crypto::HashAlgorithm> hash_named(std::string_view name) {
    static constexpr std::array<std::pair<std::string_view, crypto::HashAlgorithm>, 5> k_hashes{{
        {"sha-1", crypto::HashAlgorithm::sha1},
        {"sha-224", crypto::HashAlgorithm::sha224},
        {"sha-256", crypto::HashAlgorithm::sha256},
        {"sha-384", crypto::HashAlgorithm::sha384},
        {"sha-512", crypto::HashAlgorithm::sha512},
    }};
    for (const auto& [hash_name, algorithm] : k_hashes) {
        if (util::iequals(name, hash_name)) {
            return algorithm;
        }
    }
    return std::nullopt;
}

/// Uppercase colon hex (RFC 8122 section 5's fingerprint syntax).
std::string colon_hex(const std::vector<std::uint8_t>& bytes) {
    std::string out;
    out.reserve(bytes.size() * 3);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i > 0) {
            out += ':';
        }
        out += fmt::format("{:02X}", bytes[i]);
    }
    return out;
}

bool names(const SdpMedia& media, const util::Endpoint& endpoint) {
    return media.rtp == endpoint || (media.rtcp && *media.rtcp == endpoint);
}

/// The SDP (index in call.sdps) and m= line of the certificate's sender: the latest SDP up to the
/// certificate whose c=/m= (or RTCP port) is the address:port that sent it; else, by a=setup
/// roles in the latest answered exchange, the SDP of the side that plays the sender's DTLS role.
std::optional<std::pair<std::size_t, std::optional<std::size_t>>> sender_sdp(const DtlsHandshake& handshake,
                                                                             const DtlsCertificate& certificate,
                                                                             const Call& call, DtlsSdpMatch& how) {
    for (std::size_t s = call.sdps.size(); s-- > 0;) {
        const SdpSnapshot& sdp = call.sdps[s];
        if (sdp.time > certificate.time) {
            continue;
        }
        for (std::size_t m = 0; m < sdp.media.size(); ++m) {
            if (names(sdp.media[m], certificate.sender)) {
                how = DtlsSdpMatch::address;
                return std::pair{s, std::optional<std::size_t>{m}};
            }
        }
    }
    if (!handshake.client_known) {
        return std::nullopt;
    }
    for (auto it = call.exchanges.rbegin(); it != call.exchanges.rend(); ++it) {
        if (!it->answer || call.sdps[*it->answer].time > certificate.time) {
            continue;
        }
        const SdpSnapshot& answer = call.sdps[*it->answer];
        const auto with_setup = std::find_if(answer.media.begin(), answer.media.end(),
                                             [](const SdpMedia& m) { return !m.fingerprints.empty(); });
        if (with_setup == answer.media.end()) {
            continue;
        }
        // RFC 5763 section 5: the answerer picks active (it is the DTLS client) or passive.
        const bool answerer_is_client = !util::iequals(with_setup->setup, "passive");
        const bool sender_is_client = certificate.sender == handshake.client;
        how = DtlsSdpMatch::setup;
        return std::pair{sender_is_client == answerer_is_client ? *it->answer : it->offer,
                         std::optional<std::size_t>{}};
    }
    return std::nullopt;
}

void check_certificate(const DtlsHandshake& handshake, DtlsCertificate& certificate, const Call* call) {
    if (call == nullptr) {
        certificate.reason = "no SDP of a captured call announced this flow";
        return;
    }
    DtlsSdpMatch how = DtlsSdpMatch::none;
    const auto found = sender_sdp(handshake, certificate, *call, how);
    if (!found) {
        certificate.reason = "no captured SDP belongs to its sender (by address or a=setup role)";
        return;
    }
    const SdpSnapshot& sdp = call->sdps[found->first];
    certificate.matched_by = how;
    certificate.sdp = found->first;
    certificate.sdp_frame = sdp.frame;
    std::vector<std::string> announced;
    for (std::size_t m = 0; m < sdp.media.size(); ++m) {
        if (!found->second || *found->second == m) {
            for (const std::string& fp : sdp.media[m].fingerprints) {
                if (std::find(announced.begin(), announced.end(), fp) == announced.end()) {
                    announced.push_back(fp);
                }
            }
        }
    }
    if (announced.empty()) {
        certificate.reason = "its sender's SDP has no a=fingerprint";
        return;
    }
    // RFC 8122 section 5: any of several a=fingerprint lines may match.
    const util::Bytes der{certificate.der.data(), certificate.der.size()};
    for (const std::string& fp : announced) {
        const std::size_t space = fp.find(' ');
        const std::string_view function = std::string_view{fp}.substr(0, space);
        const std::string_view value =
            space == std::string::npos ? std::string_view{} : std::string_view{fp}.substr(space + 1);
        const auto algorithm = hash_named(function);
        if (!algorithm) {
            continue;
        }
        const std::string computed = colon_hex(crypto::digest(*algorithm, der));
        const bool equal = util::iequals(util::trim(value), computed);
        if (certificate.computed.empty() || equal) {
            certificate.hash_function = util::to_lower(function);
            certificate.computed = computed;
            certificate.announced = fp;
        }
        if (equal) {
            certificate.verdict = DtlsVerdict::verified;
            return;
        }
    }
    if (certificate.computed.empty()) {
        certificate.reason =
            "no a=fingerprint with a hash function zaudit computes (sha-1, sha-224, sha-256, "
            "sha-384, sha-512)";
        return;
    }
    certificate.verdict = DtlsVerdict::mismatch;
}

/// The ClientHello randoms `datagram` carries in clear (epoch 0, the fragment that holds the
/// start of the message: client_version, then the 32 random bytes).
template <typename Visit>
void each_client_random(const dtls::RecordScan& scan, Visit visit) {
    constexpr std::size_t k_random_end = 2 + 32;
    for (const dtls::Record& record : scan.records) {
        if (record.epoch != 0 || record.content_type != static_cast<std::uint8_t>(dtls::ContentType::handshake)) {
            continue;
        }
        std::vector<util::Anomaly> ignored;  // add_dtls_packet reports them
        for (const dtls::HandshakeFragment& fragment : dtls::parse_handshake_fragments(record.fragment, ignored)) {
            if (fragment.msg_type == static_cast<std::uint8_t>(dtls::HandshakeType::client_hello) &&
                fragment.fragment_offset == 0 && fragment.body.size() >= k_random_end) {
                std::array<std::uint8_t, 32> random{};
                std::copy(fragment.body.begin() + 2, fragment.body.begin() + k_random_end, random.begin());
                visit(random);
            }
        }
    }
}

}  // namespace

bool starts_new_dtls_handshake(const DtlsFlow& flow, const dtls::RecordScan& scan) {
    if (!flow.client_random) {
        return false;
    }
    bool another = false;
    each_client_random(
        scan, [&](const std::array<std::uint8_t, 32>& random) { another = another || random != *flow.client_random; });
    return another;
}

void add_dtls_packet(DtlsHandshake& handshake, DtlsFlow& flow, const net::Packet& packet, const dtls::RecordScan& scan,
                     bool from_a, AnomalyLog& anomalies) {
    if (handshake.records == 0 && handshake.encrypted_records == 0) {
        handshake.first_frame = packet.frame;
        handshake.first_time = packet.time;
        handshake.client = packet.src;
        handshake.server = packet.dst;
    }
    handshake.last_frame = packet.frame;
    handshake.last_time = packet.time;
    anomalies.add_all(scan.anomalies, packet.frame);
    if (!flow.client_random) {
        each_client_random(scan, [&](const std::array<std::uint8_t, 32>& random) {
            if (!flow.client_random) {
                flow.client_random = random;
            }
        });
    }
    if (scan.unified_header) {
        handshake.dtls13 = true;
        ++handshake.encrypted_records;
    }
    for (const dtls::Record& record : scan.records) {
        ++handshake.records;
        if (record.epoch > 0) {
            ++handshake.encrypted_records;  // after ChangeCipherSpec: encrypted (RFC 6347 section 4.1)
            continue;
        }
        if (record.content_type == static_cast<std::uint8_t>(dtls::ContentType::change_cipher_spec)) {
            auto& seen = handshake.change_cipher_spec[packet.src == handshake.client ? 0 : 1];
            if (!seen) {
                seen = packet.frame;
            }
            continue;
        }
        if (record.content_type != static_cast<std::uint8_t>(dtls::ContentType::handshake)) {
            continue;
        }
        std::vector<util::Anomaly> found;
        for (const dtls::HandshakeFragment& fragment : dtls::parse_handshake_fragments(record.fragment, found)) {
            dtls::AssemblyStep step = flow.assemblers[from_a ? 0 : 1].add(fragment);
            std::move(step.anomalies.begin(), step.anomalies.end(), std::back_inserter(found));
            handshake.retransmitted_fragments += step.retransmission ? 1 : 0;
            if (step.completed) {
                on_message(handshake, *step.completed, packet, found);
            }
        }
        // Offsets from the parsers count from the record's fragment.
        anomalies.add_all(found, packet.frame, record.offset + 13);
    }
}

void finish_dtls_handshake(DtlsHandshake& handshake, const Call* call) {
    handshake.completed = handshake.change_cipher_spec[0] && handshake.change_cipher_spec[1];
    if (handshake.dtls13) {
        handshake.not_verifiable =
            "DTLS 1.3 encrypts the Certificate (RFC 9147): its fingerprint cannot be "
            "computed from a capture";
    } else if (handshake.certificates.empty()) {
        handshake.not_verifiable = "no Certificate message seen in clear";
    } else if (call == nullptr) {
        handshake.not_verifiable = "no SDP of a captured call announced this flow";
    }
    for (DtlsCertificate& certificate : handshake.certificates) {
        check_certificate(handshake, certificate, call);
    }
}

std::string_view to_string(DtlsVerdict verdict) {
    switch (verdict) {
        case DtlsVerdict::verified: return "verified";
        case DtlsVerdict::mismatch: return "mismatch";
        case DtlsVerdict::not_verifiable: break;
    }
    return "not-verifiable";
}

std::string_view to_string(DtlsSdpMatch match) {
    switch (match) {
        case DtlsSdpMatch::address: return "address";
        case DtlsSdpMatch::setup: return "setup";
        case DtlsSdpMatch::none: break;
    }
    return "none";
}

bool DtlsHandshake::any_mismatch() const {
    return std::any_of(certificates.begin(), certificates.end(),
                       [](const DtlsCertificate& c) { return c.verdict == DtlsVerdict::mismatch; });
}

bool DtlsHandshake::verified() const {
    const bool both = std::any_of(certificates.begin(), certificates.end(),
                                  [&](const DtlsCertificate& c) { return c.sender == client; }) &&
                      std::any_of(certificates.begin(), certificates.end(),
                                  [&](const DtlsCertificate& c) { return c.sender == server; });
    return both && std::all_of(certificates.begin(), certificates.end(),
                               [](const DtlsCertificate& c) { return c.verdict == DtlsVerdict::verified; });
}

}  // namespace zaudit::session
