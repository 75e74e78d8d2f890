#include "zaudit/util/escape.hpp"

#include <cstdint>

#include <fmt/format.h>

namespace zaudit::util {
namespace {

/// Length of the well-formed UTF-8 sequence at `i` (RFC 3629 table 3-7), 0 when there is none.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(s[k]); };
    const std::uint8_t lead = byte(i);
    const std::size_t left = s.size() - i;
    const auto continuation = [&](std::size_t k, std::uint8_t low = 0x80, std::uint8_t high = 0xBF) {
        return k < s.size() && byte(k) >= low && byte(k) <= high;
    };
    if (lead < 0x80) {
        return 1;
    }
    if (lead >= 0xC2 && lead <= 0xDF) {
        return left >= 2 && continuation(i + 1) ? 2 : 0;
    }
    if (lead >= 0xE0 && lead <= 0xEF) {
        const std::uint8_t low = lead == 0xE0 ? 0xA0 : 0x80;   // no overlong forms
        const std::uint8_t high = lead == 0xED ? 0x9F : 0xBF;  // no surrogates
        return left >= 3 && continuation(i + 1, low, high) && continuation(i + 2) ? 3 : 0;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        const std::uint8_t low = lead == 0xF0 ? 0x90 : 0x80;
        const std::uint8_t high = lead == 0xF4 ? 0x8F : 0xBF;  // nothing above U+10FFFF
        return left >= 4 && continuation(i + 1, low, high) && continuation(i + 2) && continuation(i + 3) ? 4 : 0;
    }
    return 0;
}

bool is_control(std::string_view s, std::size_t i, std::size_t length) {
    const auto lead = static_cast<std::uint8_t>(s[i]);
    if (length == 1) {
        return lead < 0x20 || lead == 0x7F || lead == '\\';
    }
    // C1 controls U+0080..U+009F are C2 80..C2 9F: a terminal may act on them (CSI is U+009B).
    return length == 2 && lead == 0xC2 && static_cast<std::uint8_t>(s[i + 1]) <= 0x9F;
}

}  // namespace

bool is_printable(std::string_view bytes) {
    // Nearly all text from a capture is plain ASCII (SIP, addresses, ids): skip it a byte at a
    // time before decoding UTF-8; every string of a JSON report is checked.
    std::size_t i = 0;
    while (i < bytes.size() && bytes[i] >= 0x20 && bytes[i] < 0x7F && bytes[i] != '\\') {
        ++i;
    }
    while (i < bytes.size()) {
        const std::size_t length = utf8_sequence(bytes, i);
        if (length == 0 || is_control(bytes, i, length)) {
            return false;
        }
        i += length;
    }
    return true;
}

std::string printable(std::string_view bytes) {
    if (is_printable(bytes)) {
        return std::string{bytes};
    }
    std::string out;
    out.reserve(bytes.size() + 16);
    for (std::size_t i = 0; i < bytes.size();) {
        const std::size_t length = utf8_sequence(bytes, i);
        if (length == 1 && bytes[i] == '\\') {
            out += "\\\\";
        } else if (length == 0 || is_control(bytes, i, length)) {
            // A C1 control is two bytes; escape each so that the original bytes come back.
            const std::size_t escaped = length == 0 ? 1 : length;
            for (std::size_t k = 0; k < escaped; ++k) {
                out += fmt::format("\\x{:02X}", static_cast<std::uint8_t>(bytes[i + k]));
            }
            i += escaped;
            continue;
        } else {
            out.append(bytes.substr(i, length));
        }
        i += length;
    }
    return out;
}

}  // namespace zaudit::util
