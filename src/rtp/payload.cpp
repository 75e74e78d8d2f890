#include "zaudit/rtp/payload.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "zaudit/util/mix.hpp"
#include "zaudit/util/text.hpp"

namespace zaudit::rtp {

namespace {

// RFC 3551 section 6, tables 4 (audio) and 5 (video). G722's clock is 8000 although it samples
// at 16 kHz: an error in RFC 1890 kept for compatibility (RFC 3551 section 4.5.2).
constexpr std::array<StaticPayloadType, 24> k_static_types{{
    {0, "PCMU", 8000, 1, MediaKind::audio},         {3, "GSM", 8000, 1, MediaKind::audio},
    {4, "G723", 8000, 1, MediaKind::audio},         {5, "DVI4", 8000, 1, MediaKind::audio},
    {6, "DVI4", 16000, 1, MediaKind::audio},        {7, "LPC", 8000, 1, MediaKind::audio},
    {8, "PCMA", 8000, 1, MediaKind::audio},         {9, "G722", 8000, 1, MediaKind::audio},
    {10, "L16", 44100, 2, MediaKind::audio},        {11, "L16", 44100, 1, MediaKind::audio},
    {12, "QCELP", 8000, 1, MediaKind::audio},       {13, "CN", 8000, 1, MediaKind::audio},
    {14, "MPA", 90000, 0, MediaKind::audio},        {15, "G728", 8000, 1, MediaKind::audio},
    {16, "DVI4", 11025, 1, MediaKind::audio},       {17, "DVI4", 22050, 1, MediaKind::audio},
    {18, "G729", 8000, 1, MediaKind::audio},        {25, "CelB", 90000, 0, MediaKind::video},
    {26, "JPEG", 90000, 0, MediaKind::video},       {28, "nv", 90000, 0, MediaKind::video},
    {31, "H261", 90000, 0, MediaKind::video},       {32, "MPV", 90000, 0, MediaKind::video},
    {33, "MP2T", 90000, 0, MediaKind::audio_video}, {34, "H263", 90000, 0, MediaKind::video},
}};

// FNV-1a over big-endian 64-bit words, then single bytes for the tail. It runs on every RTP
// packet: each word is one load (and a byte swap on little-endian hosts), not eight checked reads.
std::uint64_t fnv_words(std::uint64_t h, util::Bytes data) {
    std::size_t i = 0;
    for (; i + 8 <= data.size(); i += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, data.data() + i, sizeof word);
        if constexpr (std::endian::native == std::endian::little) {
            word = __builtin_bswap64(word);
        }
        h = (h ^ word) * util::k_fnv1a_prime;
    }
    for (; i < data.size(); ++i) {
        h = (h ^ data[i]) * util::k_fnv1a_prime;
    }
    return h;
}

double entropy_of(const std::array<std::uint32_t, 256>& counts, std::uint64_t total) {
    if (total == 0) {
        return 0.0;
    }
    const double n = static_cast<double>(total);
    double sum = 0.0;
    for (const std::uint32_t c : counts) {
        if (c != 0) {
            const double p = static_cast<double>(c) / n;
            sum -= p * std::log2(p);
        }
    }
    return sum;
}

}  // namespace

std::optional<StaticPayloadType> static_payload_type(std::uint8_t payload_type) {
    const auto* it = std::find_if(k_static_types.begin(), k_static_types.end(),
                                  [&](const StaticPayloadType& t) { return t.payload_type == payload_type; });
    if (it == k_static_types.end()) {
        return std::nullopt;
    }
    return *it;
}

std::uint32_t jitter_clock_rate(std::string_view encoding, std::uint32_t clock_rate) {
    return util::iequals(encoding, "telephone-event") ? 0 : clock_rate;
}

std::uint64_t payload_hash(util::Bytes payload) {
    constexpr std::size_t k_head = 32;
    constexpr std::size_t k_tail = 8;
    std::uint64_t h = (util::k_fnv1a_offset ^ payload.size()) * util::k_fnv1a_prime;
    h = fnv_words(h, payload.first(std::min(payload.size(), k_head)));
    if (payload.size() > k_head) {
        const std::size_t tail = std::min(payload.size() - k_head, k_tail);
        h = fnv_words(h, payload.last(tail));
    }
    return util::fmix64(h);  // spreads the word-wise FNV state over all 64 bits
}

double shannon_entropy(util::Bytes data) {
    std::array<std::uint32_t, 256> counts{};
    for (const std::uint8_t b : data) {
        ++counts[b];
    }
    return entropy_of(counts, data.size());
}

void PayloadSampler::add_sample(util::Bytes payload) {
    if (payload.empty()) {
        return;
    }
    const util::Bytes sample = payload.first(std::min(payload.size(), k_bytes_per_sample));
    for (const std::uint8_t b : sample) {
        ++m_byte_counts[b];
    }
    ++m_first_byte_counts[sample[0]];
    ++m_sampled_packets;
    m_sampled_bytes += sample.size();
}

double PayloadSampler::entropy_bits() const {
    return entropy_of(m_byte_counts, m_sampled_bytes);
}

double PayloadSampler::entropy_bits_corrected() const {
    if (m_sampled_bytes == 0) {
        return 0.0;
    }
    const auto distinct =
        std::count_if(m_byte_counts.begin(), m_byte_counts.end(), [](std::uint32_t c) { return c != 0; });
    return entropy_bits() +
           static_cast<double>(distinct - 1) / (2.0 * static_cast<double>(m_sampled_bytes) * std::log(2.0));
}

double PayloadSampler::first_byte_mode_share() const {
    if (m_sampled_packets == 0) {
        return 0.0;
    }
    const std::uint32_t mode = *std::max_element(m_first_byte_counts.begin(), m_first_byte_counts.end());
    return static_cast<double>(mode) / static_cast<double>(m_sampled_packets);
}

}  // namespace zaudit::rtp
