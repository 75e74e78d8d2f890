#pragma once
// Tries the SDES keys seen in clear SDP on the media they protect (RFC 4568: each side's
// a=crypto keys what that side sends), with libsrtp2. Private to the session area.

#include <cstdint>
#include <optional>
#include <vector>

#include "zaudit/session/given_key.hpp"
#include "zaudit/session/model.hpp"
#include "zaudit/srtp/srtp_session.hpp"

namespace zaudit::session {

/// One RTP packet kept for key checks, as PacketSamples hands it out.
struct PacketSample {
    std::uint64_t frame = 0;
    util::Bytes bytes;  ///< valid while the PacketSamples it came from is left unchanged
    /// Not one of the stream's first packets but a later one kept 1 in 50: a spot check.
    bool spot = false;
};

/// The packets a stream keeps for its key checks and twin matching, copied end to end into
/// one buffer: a few allocations per stream instead of one per packet kept, which in a large
/// audit cost a tenth of its main thread (glibc's malloc, and page faults on its fresh memory).
class PacketSamples {
public:
    void add(std::uint64_t frame, util::Bytes bytes, bool spot);

    [[nodiscard]] std::size_t size() const { return m_kept.size(); }
    [[nodiscard]] PacketSample operator[](std::size_t index) const;

private:
    struct Kept {
        std::uint64_t frame = 0;
        std::size_t offset = 0;
        std::size_t size = 0;
        bool spot = false;
    };
    std::vector<Kept> m_kept;
    std::vector<std::uint8_t> m_bytes;
};

/// Which packets of a stream are kept: the first 64, then 1 in 50, at most 256. libsrtp2 costs
/// microseconds per packet (its NSS backend), so every packet cannot be tried at line rate.
bool keep_sample(std::uint64_t packet_index, std::size_t kept);
/// Whether a kept packet is a spot check (see PacketSample::spot).
bool is_spot_sample(std::uint64_t packet_index);

/// The distinct SDES keys `call`'s SDPs announced for the address `stream` sends from (RFC 4568:
/// each side's a=crypto keys what that side sends).
std::vector<const SdesKey*> keys_announced_by_sender(const Call& call, const MediaStream& stream);

/// One key tried on a stream's packets one at a time, in capture order, with libsrtp2 (its
/// replay window and rollover counter follow the stream). The key settles `right` after 8
/// packets authenticated in a row and `wrong` after 16 failures with none authenticated; a
/// settled key under SrtpCoverage::sample takes only the spot checks from then on.
class KeyTrial {
public:
    KeyTrial(const SdesKey& key, SrtpKeySource source, SrtpCoverage coverage);
    /// Tries `packet` (a copy: libsrtp2 works in place) unless the key has settled, the coverage
    /// is a sample and the packet is no spot check.
    void offer(std::uint64_t frame, util::Bytes packet, bool spot);
    [[nodiscard]] const SrtpKeyCheck& check() const { return m_check; }
    SrtpKeyCheck take() && { return std::move(m_check); }

private:
    SrtpKeyCheck m_check;
    std::optional<srtp::SrtpVerifier> m_verifier;  ///< none when libsrtp2 refused the key (m_check.error)
    std::uint64_t m_failed_since_ok = 0;
    std::uint64_t m_ok_in_a_row = 0;
};

/// Tries a key on a stream's sampled packets (SrtpCoverage::sample).
SrtpKeyCheck try_key(const SdesKey& key, const PacketSamples& packets);

/// Fills MediaStream::srtp_checks once the streams are bound, from the checks run when each
/// stream ended (`done`, by stream index; its packets are gone by then): for a stream bound to
/// a call, one check per key its sender announced in that call (a key announced only after the
/// stream ended is listed as not tried), then the checks of the user's keys (--srtp-key).
void select_sdes_checks(Model& model, std::vector<std::vector<SrtpKeyCheck>>& done);

}  // namespace zaudit::session
