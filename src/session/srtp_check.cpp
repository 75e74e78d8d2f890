#include "srtp_check.hpp"

#include <algorithm>

#include "zaudit/srtp/crypto_suite.hpp"
#include "zaudit/srtp/srtp_session.hpp"

namespace zaudit::session {
namespace {

constexpr std::size_t k_first_packets = 64;
constexpr std::uint64_t k_then_every = 50;
constexpr std::size_t k_max_samples = 256;
constexpr std::size_t k_failed_frames_kept = 8;
/// A key that authenticates this many packets in a row is the stream's key: the rest of the
/// first packets prove nothing more, and only the spot checks go on (they find packets altered
/// or injected later in the call).
constexpr std::uint64_t k_settled_right = 8;
/// A key that fails this many packets with none authenticated is not the stream's key (or the
/// media is not SRTP): the rest of the first packets would only repeat it, and the spot checks
/// alone go on (they find a key that starts to work later, after clear early media).
constexpr std::uint64_t k_settled_wrong = 16;

}  // namespace

std::vector<const SdesKey*> keys_announced_by_sender(const Call& call, const MediaStream& stream) {
    std::vector<const SdesKey*> keys;
    for (const auto& sdp : call.sdps) {
        for (const auto& media : sdp.media) {
            if (media.rtp != stream.src) {
                continue;
            }
            for (const auto& key : media.cryptos) {
                const bool known = std::any_of(keys.begin(), keys.end(),
                                               [&](const SdesKey* k) { return k->fingerprint == key.fingerprint; });
                if (!known && !key.key_salt.empty()) {
                    keys.push_back(&key);
                }
            }
        }
    }
    return keys;
}

KeyTrial::KeyTrial(const SdesKey& key, SrtpKeySource source, SrtpCoverage coverage) {
    m_check.source = source;
    m_check.coverage = coverage;
    m_check.key_fingerprint = key.fingerprint;
    m_check.suite = key.suite;
    srtp::SessionParams params;
    params.unencrypted_srtp = key.unencrypted_srtp;
    params.unencrypted_srtcp = key.unencrypted_srtcp;
    params.unauthenticated_srtp = key.unauthenticated_srtp;
    auto verifier = srtp::SrtpVerifier::create(key.suite, key.key_salt, params);
    if (!verifier) {
        m_check.error = verifier.error().message;
        return;
    }
    m_verifier.emplace(std::move(*verifier));
}

void KeyTrial::offer(std::uint64_t frame, util::Bytes packet, bool spot) {
    if (!m_verifier ||
        (m_check.settled != SrtpKeyCheck::Settled::no && !spot && m_check.coverage == SrtpCoverage::sample)) {
        return;
    }
    ++m_check.checked;
    switch (m_verifier->unprotect(packet)) {
        case srtp::Outcome::ok:
            ++m_check.authenticated;
            m_check.failed_while_in_use += m_failed_since_ok;  // failures between two good packets
            m_failed_since_ok = 0;
            if (++m_ok_in_a_row == k_settled_right && m_check.settled == SrtpKeyCheck::Settled::no) {
                m_check.settled = SrtpKeyCheck::Settled::right;
                m_check.settled_after = m_check.checked;
            }
            break;
        case srtp::Outcome::replay_fail: ++m_check.replayed; break;
        default:
            ++m_check.auth_failed;
            m_ok_in_a_row = 0;
            if (m_check.authenticated == 0 && m_check.auth_failed == k_settled_wrong) {
                m_check.settled = SrtpKeyCheck::Settled::wrong;
                m_check.settled_after = m_check.checked;
            }
            if (m_check.authenticated > 0) {
                ++m_failed_since_ok;
            }
            if (m_check.failed_frames.size() < k_failed_frames_kept) {
                m_check.failed_frames.push_back(frame);
            }
            break;
    }
}

SrtpKeyCheck try_key(const SdesKey& key, const PacketSamples& packets) {
    KeyTrial trial{key, SrtpKeySource::sdp, SrtpCoverage::sample};
    for (std::size_t i = 0; i < packets.size(); ++i) {
        const PacketSample packet = packets[i];
        trial.offer(packet.frame, packet.bytes, packet.spot);
    }
    return std::move(trial).take();
}

void PacketSamples::add(std::uint64_t frame, util::Bytes bytes, bool spot) {
    if (m_kept.empty()) {
        // Room for the first few at the first one's size, then doubling: a stream of two packets
        // (a flood of short streams, each live until its flow closes) must not hold room for 64,
        // and one jumbo datagram must not cost megabytes.
        constexpr std::size_t k_first_reserve = std::size_t{4} << 10;
        constexpr std::size_t k_first_room = 8;
        m_bytes.reserve(std::min(k_first_room * bytes.size(), k_first_reserve));
        m_kept.reserve(k_first_room);
    }
    m_kept.push_back(Kept{frame, m_bytes.size(), bytes.size(), spot});
    m_bytes.insert(m_bytes.end(), bytes.begin(), bytes.end());
}

PacketSample PacketSamples::operator[](std::size_t index) const {
    const Kept& kept = m_kept[index];
    return PacketSample{kept.frame, util::Bytes{m_bytes.data() + kept.offset, kept.size}, kept.spot};
}

bool keep_sample(std::uint64_t packet_index, std::size_t kept) {
    return kept < k_max_samples && (packet_index < k_first_packets || packet_index % k_then_every == 0);
}

bool is_spot_sample(std::uint64_t packet_index) {
    return packet_index >= k_first_packets;
}

void select_sdes_checks(Model& model, std::vector<std::vector<SrtpKeyCheck>>& done) {
    for (std::size_t i = 0; i < model.media.size() && i < done.size(); ++i) {
        MediaStream& stream = model.media[i];
        std::vector<SrtpKeyCheck>& checks = done[i];
        if (const Call* call = stream.call ? model.call(*stream.call) : nullptr) {
            for (const SdesKey* key : keys_announced_by_sender(*call, stream)) {
                const auto it = std::find_if(checks.begin(), checks.end(), [&](const SrtpKeyCheck& c) {
                    return c.source == SrtpKeySource::sdp && c.key_fingerprint == key->fingerprint;
                });
                if (it != checks.end()) {
                    stream.srtp_checks.push_back(std::move(*it));
                    continue;
                }
                SrtpKeyCheck untried;
                untried.key_fingerprint = key->fingerprint;
                untried.suite = key->suite;
                untried.error = "not tried: the key was announced after the stream had ended";
                stream.srtp_checks.push_back(std::move(untried));
            }
        }
        for (SrtpKeyCheck& check : checks) {
            if (check.source == SrtpKeySource::given) {
                stream.srtp_checks.push_back(std::move(check));
            }
        }
    }
}

}  // namespace zaudit::session
