#include <cmath>
#include <numbers>

#include "scenarios.hpp"
#include "zaudit/gen/scenario.hpp"
#include "zaudit/util/mix.hpp"

namespace zaudit::gen {

SeededBytes SeededBytes::for_scenario(std::uint64_t seed, std::string_view scenario) {
    std::uint64_t hash = util::k_fnv1a_offset;
    for (const char c : scenario) {
        hash = (hash ^ static_cast<unsigned char>(c)) * util::k_fnv1a_prime;
    }
    return SeededBytes{seed ^ hash};
}

ByteVector SeededBytes::bytes(std::size_t n) {
    ByteVector out(n);
    for (auto& b : out) {
        b = static_cast<std::uint8_t>(m_engine() >> 56);
    }
    return out;
}

ByteVector build_rtp(std::uint8_t payload_type, std::uint16_t sequence, std::uint32_t timestamp, std::uint32_t ssrc,
                     util::Bytes payload, bool marker) {
    ByteWriter w;
    w.u8(0x80).u8(static_cast<std::uint8_t>((marker ? 0x80 : 0) | (payload_type & 0x7f)));
    w.u16(sequence).u32(timestamp).u32(ssrc).bytes(payload);
    return w.take();
}

namespace {
/// ITU-T G.711 mu-law encoding of one 16-bit linear sample.
std::uint8_t mulaw(int sample) {
    constexpr int k_bias = 0x84;
    constexpr int k_clip = 32635;
    const int sign = sample < 0 ? 0x80 : 0;
    int magnitude = std::min(std::abs(sample), k_clip) + k_bias;
    int exponent = 7;
    for (int mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1) {
        --exponent;
    }
    const int mantissa = (magnitude >> (exponent + 3)) & 0x0f;
    return static_cast<std::uint8_t>(~(sign | (exponent << 4) | mantissa));
}
}  // namespace

ByteVector g711_tone(std::uint32_t offset) {
    ByteVector out(160);
    for (std::uint32_t i = 0; i < out.size(); ++i) {
        const double t = static_cast<double>(offset + i) / 8000.0;
        out[i] = mulaw(static_cast<int>(8000.0 * std::sin(2.0 * std::numbers::pi * 440.0 * t)));
    }
    return out;
}

}  // namespace zaudit::gen

namespace zaudit::gen::scenario_builders {

util::Endpoint ep(const char* address, std::uint16_t port) {
    return util::Endpoint{*util::IpAddress::parse(address), port};
}

util::Timestamp at(std::int64_t micros_after_start) {
    return util::Timestamp{k_start + micros_after_start};
}

}  // namespace zaudit::gen::scenario_builders
