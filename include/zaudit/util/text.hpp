#pragma once
/// \file ASCII text helpers for the text protocols (SIP, SDP): trimming, case, numbers, fields.
/// Byte-wise and locale-free: protocol grammars are ASCII, and a header in another encoding
/// must not change meaning with the user's locale.

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zaudit::util {

/// SP or HTAB: the WSP of RFC 5234 (SIP's and SDP's linear white space within a line).
inline bool is_wsp(char c) {
    return c == ' ' || c == '\t';
}
inline bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

inline char ascii_lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
inline char ascii_upper(char c) {
    return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

/// Removes leading and trailing SP, HTAB, CR and LF: a line's white space and its line end,
/// whether the line was split at CRLF or at a bare LF.
std::string_view trim(std::string_view s);

/// A fixed-width text field without the trailing NUL and SP that pad it (ZRTP's client id).
std::string_view trim_padding(std::string_view s);

std::string to_lower(std::string_view s);
std::string to_upper(std::string_view s);

/// Case-insensitive ASCII comparison, as SIP header names, tokens and SDP names need.
bool iequals(std::string_view a, std::string_view b);

/// Fields separated by one or more SP/HTAB; empty fields are not returned.
std::vector<std::string_view> split_ws(std::string_view s);

/// An unsigned decimal number filling the whole text; nullopt otherwise (signs, spaces, overflow).
template <typename T>
std::optional<T> parse_unsigned(std::string_view s) {
    T value{};
    if (s.empty() || !is_digit(s.front())) {
        return std::nullopt;
    }
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size()) {
        return std::nullopt;
    }
    return value;
}

}  // namespace zaudit::util
