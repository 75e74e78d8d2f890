#include "zaudit/audio/codec.hpp"

#include <opus.h>
#include <spandsp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>

namespace zaudit::audio {
namespace {

/// Opus packets last at most 120 ms (RFC 6716 section 3.2.5): 5760 samples at 48 kHz.
constexpr int k_opus_max_samples = 5760;
/// G.722 at 64 kbit/s: libspandsp's rate argument.
constexpr int k_g722_bit_rate = 64000;

bool equal_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

struct OpusDeleter {
    void operator()(OpusDecoder* decoder) const { opus_decoder_destroy(decoder); }
};
struct G722Deleter {
    void operator()(g722_decode_state_t* state) const { g722_decode_free(state); }
};

}  // namespace

struct Decoder::State {
    std::unique_ptr<OpusDecoder, OpusDeleter> opus;
    std::unique_ptr<g722_decode_state_t, G722Deleter> g722;
};

std::string_view to_string(Codec codec) {
    switch (codec) {
        case Codec::pcmu: return "pcmu";
        case Codec::pcma: return "pcma";
        case Codec::g722: return "g722";
        case Codec::opus: return "opus";
    }
    return "unknown";
}

std::optional<Codec> codec_named(std::string_view encoding) {
    constexpr std::array<std::pair<std::string_view, Codec>, 4> k_names{
        {{"PCMU", Codec::pcmu}, {"PCMA", Codec::pcma}, {"G722", Codec::g722}, {"opus", Codec::opus}}};
    for (const auto& [name, codec] : k_names) {
        if (equal_ignoring_case(name, encoding)) {
            return codec;
        }
    }
    return std::nullopt;
}

std::uint32_t sample_rate(Codec codec) {
    switch (codec) {
        case Codec::pcmu:
        case Codec::pcma: return 8000;
        case Codec::g722: return 16000;
        case Codec::opus: return 48000;
    }
    return 8000;
}

// ITU-T G.711 µ-law: the byte is sent inverted; 4 mantissa bits and 3 exponent bits of a
// magnitude biased by 0x84 (132), sign in the top bit (set: positive).
std::int16_t decode_ulaw(std::uint8_t byte) {
    const unsigned u = ~static_cast<unsigned>(byte) & 0xFFU;
    const int magnitude = static_cast<int>((((u & 0x0FU) << 3U) + 0x84U) << ((u & 0x70U) >> 4U));
    return static_cast<std::int16_t>((u & 0x80U) != 0 ? 0x84 - magnitude : magnitude - 0x84);
}

// ITU-T G.711 A-law: even bits inverted (xor 0x55); segment 0 is linear, each further segment
// doubles the step; sign in the top bit (set: positive).
std::int16_t decode_alaw(std::uint8_t byte) {
    const unsigned a = static_cast<unsigned>(byte) ^ 0x55U;
    unsigned magnitude = (a & 0x0FU) << 4U;
    const unsigned segment = (a & 0x70U) >> 4U;
    if (segment == 0) {
        magnitude += 8;
    } else {
        magnitude = (magnitude + 0x108U) << (segment - 1);
    }
    const int value = static_cast<int>(magnitude);
    return static_cast<std::int16_t>((a & 0x80U) != 0 ? value : -value);
}

Decoder::Decoder(Codec codec, std::unique_ptr<State> state) : m_codec{codec}, m_state{std::move(state)} {}
Decoder::Decoder(Decoder&&) noexcept = default;
Decoder& Decoder::operator=(Decoder&&) noexcept = default;
Decoder::~Decoder() = default;

std::optional<Decoder> Decoder::create(Codec codec) {
    auto state = std::make_unique<State>();
    if (codec == Codec::opus) {
        int error = OPUS_OK;
        // Mono: a stereo stream (opus/48000/2 is how RFC 7587 always writes it) is down-mixed.
        state->opus.reset(opus_decoder_create(static_cast<opus_int32>(sample_rate(codec)), 1, &error));
        if (error != OPUS_OK || !state->opus) {
            return std::nullopt;
        }
    } else if (codec == Codec::g722) {
        state->g722.reset(g722_decode_init(nullptr, k_g722_bit_rate, 0));
        if (!state->g722) {
            return std::nullopt;
        }
    }
    return Decoder{codec, std::move(state)};
}

bool Decoder::decode(util::Bytes payload, std::vector<std::int16_t>& out) {
    if (payload.empty() || payload.size() > static_cast<std::size_t>(std::numeric_limits<int>::max() / 2)) {
        return false;
    }
    const std::size_t start = out.size();
    switch (m_codec) {
        case Codec::pcmu:
            std::transform(payload.begin(), payload.end(), std::back_inserter(out), decode_ulaw);
            return true;
        case Codec::pcma:
            std::transform(payload.begin(), payload.end(), std::back_inserter(out), decode_alaw);
            return true;
        case Codec::g722: {
            out.resize(start + payload.size() * 2);  // two 16 kHz samples per byte at 64 kbit/s
            const int produced =
                g722_decode(m_state->g722.get(), out.data() + start, payload.data(), static_cast<int>(payload.size()));
            out.resize(start + static_cast<std::size_t>(std::max(produced, 0)));
            return produced > 0;
        }
        case Codec::opus: {
            out.resize(start + k_opus_max_samples);
            const int produced =
                opus_decode(m_state->opus.get(), payload.data(), static_cast<opus_int32>(payload.size()),
                            out.data() + start, k_opus_max_samples, 0);
            out.resize(start + static_cast<std::size_t>(std::max(produced, 0)));
            return produced > 0;
        }
    }
    return false;
}

}  // namespace zaudit::audio
