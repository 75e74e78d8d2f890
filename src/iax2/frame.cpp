#include "zaudit/iax2/frame.hpp"

#include <array>
#include <bit>

#include <fmt/format.h>

namespace zaudit::iax2 {
namespace {

constexpr std::uint16_t k_full_bit = 0x8000;        ///< F: full frame (section 8.1.1)
constexpr std::uint16_t k_retransmit_bit = 0x8000;  ///< R: retransmitted
constexpr std::uint16_t k_call_mask = 0x7fff;
constexpr std::uint8_t k_power_bit = 0x80;  ///< C: the subclass is 2^(low 7 bits)
constexpr std::uint8_t k_max_exponent = 31;
constexpr std::uint32_t k_max_control_subclass = 64;

/// Section 8.6's layout read without judging it: whether the elements end exactly at the end.
bool ies_well_formed(util::Bytes data) {
    util::ByteReader r{data};
    while (!r.empty()) {
        (void)r.u8();
        const std::uint8_t length = r.u8();
        (void)r.bytes(length);
        if (!r) {
            return false;
        }
    }
    return true;
}

/// Whether a full frame's type and subclass are what a sender writes in clear.
bool plausible_type(std::uint8_t type, std::uint32_t subclass, util::Bytes data) {
    switch (static_cast<FrameType>(type)) {
        case FrameType::voice: return subclass != 0 && std::has_single_bit(subclass);
        case FrameType::video: return subclass != 0;
        case FrameType::iax: return subclass >= 1 && subclass <= k_last_iax_subclass && ies_well_formed(data);
        case FrameType::control: return subclass <= k_max_control_subclass;
        case FrameType::dtmf: return subclass >= 0x20 && subclass < 0x7f;  // the digit as ASCII
        case FrameType::null:
        case FrameType::text:
        case FrameType::image:
        case FrameType::html:
        case FrameType::comfort_noise:
        case FrameType::modem: return true;
    }
    return false;
}

std::string text_of(util::Bytes value) {
    return std::string{util::as_text(value)};
}

}  // namespace

std::string iax_subclass_name(std::uint32_t subclass) {
    static constexpr std::array<std::string_view, 19> k_names{
        "",      "NEW",   "PING",  "PONG",   "ACK",     "HANGUP", "REJECT", "ACCEPT", "AUTHREQ", "AUTHREP",
        "INVAL", "LAGRQ", "LAGRP", "REGREQ", "REGAUTH", "REGACK", "REGREJ", "REGREL", "VNAK"};
    if (subclass >= 1 && subclass < k_names.size()) {
        return std::string{k_names.at(subclass)};
    }
    if (subclass == static_cast<std::uint32_t>(IaxSubclass::calltoken)) {
        return "CALLTOKEN";
    }
    return fmt::format("IAX {}", subclass);
}

std::string codec_name(std::uint32_t format) {
    static constexpr std::array<std::string_view, 14> k_codecs{"g723.1", "gsm",      "ulaw",  "alaw", "g726",
                                                               "adpcm",  "slin",     "lpc10", "g729", "speex",
                                                               "ilbc",   "g726aal2", "g722",  "amr"};
    if (format == 0) {
        return {};
    }
    const auto bit = static_cast<std::size_t>(std::countr_zero(format));
    return bit < k_codecs.size() ? std::string{k_codecs.at(bit)} : fmt::format("0x{:x}", std::uint32_t{1} << bit);
}

InfoElements parse_ies(util::Bytes data, std::vector<util::Anomaly>& anomalies, std::size_t base) {
    InfoElements ies;
    util::ByteReader r{data};
    while (!r.empty()) {
        const std::size_t at = r.offset();
        const std::uint8_t type = r.u8();
        const std::uint8_t length = r.u8();
        const util::Bytes value = r.bytes(length);
        if (!r) {
            anomalies.push_back({util::AnomalyCode::iax2_ie_overrun, 0, base + at,
                                 fmt::format("information element {} runs past the frame", type)});
            break;
        }
        ++ies.count;
        const auto bad_size = [&] {
            anomalies.push_back({util::AnomalyCode::iax2_ie_bad_size, 0, base + at,
                                 fmt::format("information element {} of {} bytes", type, length)});
        };
        const auto u16 = [&](std::optional<std::uint16_t>& into) {
            if (length != 2) {
                bad_size();
            } else if (!into) {
                util::ByteReader v{value};
                into = v.u16be();
            }
        };
        const auto u32 = [&](std::optional<std::uint32_t>& into) {
            if (length != 4) {
                bad_size();
            } else if (!into) {
                util::ByteReader v{value};
                into = v.u32be();
            }
        };
        const auto text = [&](std::optional<std::string>& into) {
            if (!into) {
                into = text_of(value);
            }
        };
        switch (static_cast<IeType>(type)) {
            case IeType::called_number: text(ies.called_number); break;
            case IeType::calling_number: text(ies.calling_number); break;
            case IeType::calling_name: text(ies.calling_name); break;
            case IeType::username: text(ies.username); break;
            case IeType::cause: text(ies.cause); break;
            case IeType::format: u32(ies.format); break;
            case IeType::capability: u32(ies.capability); break;
            case IeType::auth_methods: u16(ies.auth_methods); break;
            case IeType::encryption: u16(ies.encryption); break;
            case IeType::challenge: ies.challenge = true; break;
            case IeType::md5_result: ies.md5_result = true; break;
            default: break;
        }
    }
    return ies;
}

std::optional<Frame> parse(util::Bytes payload, std::vector<util::Anomaly>& anomalies) {
    util::ByteReader r{payload};
    const std::uint16_t first = r.u16be();
    const bool full = (first & k_full_bit) != 0;
    const std::size_t needed = full ? k_full_header_size : k_mini_header_size;
    if (payload.size() < needed) {
        anomalies.push_back({util::AnomalyCode::iax2_truncated, 0, 0,
                             fmt::format("{} bytes: too short for an IAX2 {} frame header of {}", payload.size(),
                                         full ? "full" : "mini", needed)});
        return std::nullopt;
    }
    Frame frame;
    frame.source_call = static_cast<std::uint16_t>(first & k_call_mask);
    if (!full) {
        frame.after_call_numbers = payload.subspan(2);
        if (first == 0) {  // section 8.1.3: a meta frame (trunk), not followed further
            frame.shape = FrameShape::meta;
            frame.data = r.rest();
            return frame;
        }
        frame.shape = FrameShape::mini;
        frame.timestamp = r.u16be();
        frame.data = r.rest();
        frame.plain = true;
        return frame;
    }
    const std::uint16_t second = r.u16be();
    frame.destination_call = static_cast<std::uint16_t>(second & k_call_mask);
    frame.retransmitted = (second & k_retransmit_bit) != 0;
    frame.after_call_numbers = payload.subspan(4);
    frame.data = frame.after_call_numbers;
    util::ByteReader rest{frame.after_call_numbers};
    const std::uint32_t timestamp = rest.u32be();
    const std::uint8_t oseqno = rest.u8();
    const std::uint8_t iseqno = rest.u8();
    const std::uint8_t type = rest.u8();
    const std::uint8_t csub = rest.u8();
    if (type == 0 || type > k_last_frame_type ||
        ((csub & k_power_bit) != 0 && (csub & ~k_power_bit) > k_max_exponent)) {
        return frame;  // not a plain frame: ciphertext, or garbage
    }
    const std::uint32_t subclass =
        (csub & k_power_bit) != 0 ? std::uint32_t{1} << (csub & ~k_power_bit) : std::uint32_t{csub};
    const util::Bytes data = rest.rest();
    if (!plausible_type(type, subclass, data)) {
        return frame;
    }
    frame.plain = true;
    frame.timestamp = timestamp;
    frame.oseqno = oseqno;
    frame.iseqno = iseqno;
    frame.type = type;
    frame.subclass = subclass;
    frame.data = data;
    return frame;
}

bool looks_like_iax2(util::Bytes payload) {
    if (payload.size() < k_mini_header_size) {
        return false;
    }
    return (payload[0] & 0x80) == 0 || payload.size() >= k_full_header_size;
}

}  // namespace zaudit::iax2
