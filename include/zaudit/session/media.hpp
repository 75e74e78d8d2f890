#pragma once
/// \file Media streams: one per (flow, direction, SSRC).

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>

#include "zaudit/session/call.hpp"
#include "zaudit/util/address.hpp"
#include "zaudit/util/timestamp.hpp"

namespace zaudit::session {

struct MediaStream {
    std::uint32_t id = 0;
    std::uint32_t flow = 0;
    util::Endpoint src;
    util::Endpoint dst;
    std::uint32_t ssrc = 0;
    std::uint64_t packets = 0;
    std::uint64_t bytes = 0;  ///< RTP payload bytes
    util::Timestamp first_time;
    util::Timestamp last_time;
    std::uint64_t first_frame = 0;
    std::uint64_t last_frame = 0;
    std::bitset<128> payload_types;
    std::uint8_t ttl_min = 255;
    std::uint8_t ttl_max = 0;
    Protection protection = Protection::unknown;
    std::optional<std::uint32_t> call;
    std::optional<std::size_t> sdp_media;  ///< index of the m= line in the call's SDPs that announced it
};

}  // namespace zaudit::session
