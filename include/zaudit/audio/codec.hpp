#pragma once
/// \file Audio codecs zaudit can turn back into sound: G.711 µ-law and A-law (ITU-T G.711, a
/// formula), G.722 (libspandsp) and Opus (libopus). One Decoder per stream: G.722 and Opus keep
/// state from packet to packet.

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "zaudit/util/byte_reader.hpp"

namespace zaudit::audio {

enum class Codec : std::uint8_t { pcmu, pcma, g722, opus };

/// Stable lower-case name ("pcmu", "pcma", "g722", "opus").
std::string_view to_string(Codec codec);

/// The codec an a=rtpmap encoding name (case-insensitive, as RFC 4566 says) stands for, when
/// zaudit decodes it; nullopt for every other name (telephone-event, CN, video...).
std::optional<Codec> codec_named(std::string_view encoding);

/// Samples per second of the decoded sound: 8000 for G.711, 16000 for G.722 (whose RTP clock
/// is 8000 for historical reasons, RFC 3551 section 4.5.2), 48000 for Opus (RFC 7587).
std::uint32_t sample_rate(Codec codec);

/// One G.711 byte to a 16-bit linear sample (ITU-T G.711 tables, as sox and Wireshark decode).
std::int16_t decode_ulaw(std::uint8_t byte);
std::int16_t decode_alaw(std::uint8_t byte);

/// Decodes one stream's payloads, in order, to 16-bit mono samples at sample_rate(codec).
class Decoder {
public:
    /// Fails (nullopt) only when the codec library cannot make a decoder (out of memory).
    static std::optional<Decoder> create(Codec codec);

    /// Appends the samples of one RTP payload to `out`. False when the payload does not decode
    /// (a corrupt Opus packet, an empty payload): nothing is appended then.
    bool decode(util::Bytes payload, std::vector<std::int16_t>& out);

    [[nodiscard]] Codec codec() const { return m_codec; }

    Decoder(Decoder&&) noexcept;
    Decoder& operator=(Decoder&&) noexcept;
    ~Decoder();
    Decoder(const Decoder&) = delete;
    Decoder& operator=(const Decoder&) = delete;

private:
    struct State;
    Decoder(Codec codec, std::unique_ptr<State> state);

    Codec m_codec;
    std::unique_ptr<State> m_state;  ///< the library's decoder (G.722, Opus); null for G.711
};

}  // namespace zaudit::audio
