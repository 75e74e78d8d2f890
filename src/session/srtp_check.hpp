#pragma once
// Tries the SDES keys seen in clear SDP on the media they protect (RFC 4568: each side's
// a=crypto keys what that side sends), with libsrtp2. Private to the session area.

#include <cstdint>
#include <vector>

#include "zaudit/session/given_key.hpp"
#include "zaudit/session/model.hpp"

namespace zaudit::session {

/// A copy of one RTP packet kept for key checks.
struct PacketSample {
    std::uint64_t frame = 0;
    std::vector<std::uint8_t> bytes;
    /// Not one of the stream's first packets but a later one kept 1 in 50: a spot check.
    bool spot = false;
};

/// Which packets of a stream are kept: the first 64, then 1 in 50, at most 256. libsrtp2 costs
/// microseconds per packet (its NSS backend), so every packet cannot be tried at line rate.
bool keep_sample(std::uint64_t packet_index, std::size_t kept);
/// Whether a kept packet is a spot check (see PacketSample::spot).
bool is_spot_sample(std::uint64_t packet_index);

/// Fills MediaStream::srtp_checks: for streams bound to a call whose SDP carried a=crypto, and for
/// every stream one of the user's keys (--srtp-key) names.
void check_sdes_keys(Model& model, const std::vector<std::vector<PacketSample>>& samples,
                     const std::vector<GivenSrtpKey>& given);

}  // namespace zaudit::session
