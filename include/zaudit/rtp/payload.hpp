#pragma once
/// \file Facts about RTP payloads: RFC 3551's static payload types, a cheap payload hash for
/// spotting one sequence number carrying two different payloads, and byte statistics that tell
/// codec data from ciphertext.
///
/// What byte entropy can and cannot tell. Measured per SSRC with this PayloadSampler (its
/// sampling: first 16 packets, then 1 in 16, 128 bytes each; "Hc" is entropy_bits_corrected)
/// over tshark-extracted rtp.payload of the public sample captures of tests/data/README.md (Wireshark SampleCaptures), and over the
/// same G.711 packets protected by libsrtp2 (AES_CM_128_HMAC_SHA1_80). Bits per byte:
///
///   capture / stream                         sampled   Hc     first-byte    all bytes of
///                                            bytes            mode share    all packets: H
///   sip-rtp-g711   PCMU 0x343DA99B (speech)  5376      6.90   0.07          6.95
///   sip-rtp-g711   PCMA 0x343FFA34 (speech)  5248      6.52   0.12          6.61
///   codec-negot.   G722 0x2D374E76           4352      6.34   0.15          6.94
///   codec-negot.   PCMU 0x0E330AF3           4352      4.38   0.47          6.75
///   rtp-protocol   PCMA 0x06C156FD           3584      4.40   0.29          4.75
///   rtp-protocol   PCMA 0x44C61AFB (quiet)   1923      2.90   0.50          3.88
///   invite-opus    "Opus" 0x0EEF0001         2720      0.29   1.00          0.29
///   SRTP of the sip-rtp-g711 streams         5376      8.00   0.05          8.00 (7.9985 raw)
///
/// In codec-negotiation.pcap and invite-opus-bye.pcap both directions use one SSRC; those rows
/// merge both. (The plug-in estimate entropy_bits() reads 7.965 for that ciphertext sample: its bias is
/// why the corrected value is the one to threshold.) One 160-byte packet alone reads much lower
/// for everything: G.711 averages 5.2-5.4 per packet, ciphertext 6.77, so never judge a
/// single packet. The Opus capture's payload is synthetic filler (TOC 0xfc then 0xa5 bytes),
/// not real Opus, so real Opus is unmeasured here.
///
/// So: G.711 speech sits around 6.5-7 bits/byte, silence and quiet streams far lower (a mostly
/// silent stream starts near 3), and ciphertext at 8.0. Compressed codecs (Opus, G.729, AMR,
/// iLBC) are expected to be hard to separate from ciphertext by byte entropy (bit-packed
/// frames), though unmeasured here. What gives them away is structure: an Opus TOC byte is the
/// same in nearly every packet of a stream, while the first byte of ciphertext is uniform (mode
/// share ≈ 1/256 plus sampling noise: 0.05 with 40 samples). `first_byte_mode_share` is that
/// signal. Neither signal is proof; a rule should combine them with the payload type, the
/// number of bytes sampled (below ~1 KiB both are noise) and the signalling.

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
    std::string_view encoding;     ///< encoding name as in a=rtpmap ("PCMU", "G722"...)
    std::uint32_t clock_rate = 0;  ///< RTP clock in Hz (G722 is 8000 by RFC 3551's erratum-kept rule)
    std::uint8_t channels = 0;     ///< 0 for video
    MediaKind kind = MediaKind::audio;
};

/// The RFC 3551 entry for a static payload type, nullopt for dynamic, reserved or unassigned.
std::optional<StaticPayloadType> static_payload_type(std::uint8_t payload_type);

/// The clock rate jitter may use for an encoding announced at `clock_rate` Hz: 0 for
/// telephone-event, whose packets all carry the event's start time as RTP timestamp (RFC 4733
/// section 2.3.1), so their arrival says nothing about the path (Wireshark skips them too).
std::uint32_t jitter_clock_rate(std::string_view encoding, std::uint32_t clock_rate);

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
    static constexpr std::uint32_t k_sample_every = 16;     ///< packets, after the first k_sample_every
    static constexpr std::size_t k_bytes_per_sample = 128;  ///< from the start of the payload
    static constexpr std::uint64_t k_max_sampled_bytes = std::uint64_t{256} * 1024;

    /// Called for every packet; samples the first k_sample_every packets (short streams, and the
    /// start of a stream that turns secure later, still get a verdict), then one in k_sample_every.
    void on_payload(util::Bytes payload) {
        const std::uint64_t seen = m_seen++;
        if ((seen < k_sample_every || seen % k_sample_every == 0) && m_sampled_bytes < k_max_sampled_bytes &&
            !payload.empty()) {
            add_sample(payload);
        }
    }
    /// Adds a payload unconditionally (tests, or a caller with its own sampling).
    void add_sample(util::Bytes payload);

    /// Shannon entropy of all sampled bytes, bits per byte (0 before any sample). This plug-in
    /// estimate is biased low by about (K-1) / (2 n ln 2) for n bytes in K distinct values:
    /// 3.5 KiB of ciphertext reads 7.95, not 8.
    [[nodiscard]] double entropy_bits() const;
    /// The same with the Miller-Madow correction for that bias added: ciphertext reads ~8.0
    /// from a few hundred bytes on. Prefer this one for thresholds.
    [[nodiscard]] double entropy_bits_corrected() const;
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
