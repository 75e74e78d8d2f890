#pragma once
/// \file Facts about RTP payloads: RFC 3551's static payload types, a cheap payload hash for
/// spotting one sequence number carrying two different payloads, and byte statistics that tell
/// codec data from ciphertext.
///
/// What byte entropy can and cannot tell (measured with tshark-extracted rtp.payload from the
/// real captures in /work/shared/captures and with libsrtp2 output; bits per byte, Shannon
/// entropy of the byte histogram of all sampled payload bytes of one stream):
///
///   MEASUREMENTS PENDING
///
/// So: G.711 speech sits around 6-7 bits/byte, G.711 silence far lower, and ciphertext at 8
/// (≥ 7.99 once a few KiB are sampled). Compressed codecs (Opus, and likewise G.729, AMR,
/// iLBC) are NOT separable from ciphertext by byte entropy: their bit-packed frames are
/// near-random. What gives them away is structure: an Opus TOC byte is the same in nearly every
/// packet of a stream (share 1.00 above), while the first byte of ciphertext is uniform (share
/// ≈ 1/256 plus sampling noise). `first_byte_mode_share` is that signal. Neither signal is proof;
/// a rule should combine them with the payload type and the signalling.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "zaudit/util/byte_reader.hpp"

namespace zaudit::rtp {

enum class MediaKind : std::uint8_t { audio, video, audio_video };

/// A static payload type of RFC 3551 section 6 (tables 4 and 5).
struct StaticPayloadType {
    std::uint8_t payload_type = 0;
    std::string_view encoding;  ///< encoding name as in a=rtpmap ("PCMU", "G722"...)
    std::uint32_t clock_rate = 0;  ///< RTP clock in Hz (G722 is 8000 by RFC 3551's erratum-kept rule)
    std::uint8_t channels = 0;     ///< 0 for video
    MediaKind kind = MediaKind::audio;
};

/// The RFC 3551 entry for a static payload type, nullopt for dynamic, reserved or unassigned.
std::optional<StaticPayloadType> static_payload_type(std::uint8_t payload_type);

/// A cheap 64-bit hash of a payload, to tell whether two packets with one sequence number carry
/// the same bytes. It covers the size, the first 32 bytes and the last 8 bytes (FNV-1a over
/// 64-bit words, then a final mix), so two payloads differing only in the middle of a large
/// packet hash alike: an injected packet almost always differs at its start (codec frame
/// header or first samples), which this catches at a fixed cost per packet.
std::uint64_t payload_hash(util::Bytes payload);

/// Shannon entropy in bits per byte of one buffer (0 for an empty one). For one-off use: it
/// calls log2 per distinct byte value. A short buffer cannot reach 8: 160 uniformly random
/// bytes give about 7.2, so compare like-sized samples or use PayloadSampler.
double shannon_entropy(util::Bytes data);

/// Running byte statistics of a stream's payloads, fed a sample of its packets.
///
/// Per stream: 2 KiB. Per sampled packet: at most k_bytes_per_sample histogram increments.
/// Sampling stops after k_max_sampled_bytes so that the counters cannot overflow and a long call
/// costs nothing more (the first minutes of a stream are the ones that tell).
class PayloadSampler {
public:
    static constexpr std::uint32_t k_sample_every = 16;       ///< packets, the first one included
    static constexpr std::size_t k_bytes_per_sample = 128;    ///< from the start of the payload
    static constexpr std::uint64_t k_max_sampled_bytes = 256 * 1024;

    /// Called for every packet; samples one in k_sample_every.
    void on_payload(util::Bytes payload) {
        if (m_seen++ % k_sample_every == 0 && m_sampled_bytes < k_max_sampled_bytes && !payload.empty()) {
            add_sample(payload);
        }
    }
    /// Adds a payload unconditionally (tests, or a caller with its own sampling).
    void add_sample(util::Bytes payload);

    /// Shannon entropy of all sampled bytes, bits per byte (0 before any sample).
    [[nodiscard]] double entropy_bits() const;
    /// Share (0..1) of sampled packets whose first payload byte is the most common one.
    [[nodiscard]] double first_byte_mode_share() const;
    [[nodiscard]] std::uint64_t sampled_packets() const { return m_sampled_packets; }
    [[nodiscard]] std::uint64_t sampled_bytes() const { return m_sampled_bytes; }

private:
    std::array<std::uint32_t, 256> m_byte_counts{};
    std::array<std::uint32_t, 256> m_first_byte_counts{};
    std::uint64_t m_seen = 0;
    std::uint64_t m_sampled_packets = 0;
    std::uint64_t m_sampled_bytes = 0;
};

}  // namespace zaudit::rtp
