#pragma once
/// \file Small text helpers shared by the SIP parsers (private to src/sip).

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zaudit::sip::detail {

inline bool is_space(char c) { return c == ' ' || c == '\t'; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// Removes leading and trailing SP, HT, CR and LF.
inline std::string_view trim(std::string_view s) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && blank(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && blank(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

inline char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
inline char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

inline std::string to_lower(std::string_view s) {
    std::string out{s};
    for (char& c : out) {
        c = lower(c);
    }
    return out;
}

inline std::string to_upper(std::string_view s) {
    std::string out{s};
    for (char& c : out) {
        c = upper(c);
    }
    return out;
}

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

/// RFC 3261 section 25.1 token characters.
inline bool is_token_char(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c)) {
        return true;
    }
    constexpr std::string_view k_marks = "-.!%*_+`'~";
    return k_marks.find(c) != std::string_view::npos;
}

}  // namespace zaudit::sip::detail
