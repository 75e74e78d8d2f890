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
    std::optional<std::size_t> sdp;        ///< index in Call::sdps of the SDP that announced it
    std::optional<std::size_t> sdp_media;  ///< index of its m= line in that SDP

    // Payload evidence (from a sample of the payloads, see rtp/payload.hpp for the limits).
    double payload_entropy = 0;      ///< bits per byte, small-sample corrected
    double first_byte_share = 0;     ///< how often the commonest first payload byte occurs
    std::uint64_t sampled_bytes = 0;
    /// True when the payload reads like ciphertext (entropy ≥ 7.9 over ≥ 1 KiB, no stable first
    /// byte); false when it reads like codec data; nullopt when too little was sampled.
    std::optional<bool> payload_looks_encrypted;

    // Sequence, loss, jitter and injection evidence (RFC 3550 appendix A).
    std::int64_t lost = 0;
    std::uint64_t duplicates = 0;
    std::uint64_t conflicting_duplicates = 0;  ///< same sequence number, different payload
    std::uint64_t out_of_order = 0;
    std::uint64_t ttl_changes = 0;
    double jitter_ms = 0;
};

}  // namespace zaudit::session
