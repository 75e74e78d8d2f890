#pragma once
/// \file Small text helpers shared by the SDP parsers (private to src/sdp).

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zaudit::sdp::detail {

inline bool is_wsp(char c) { return c == ' ' || c == '\t'; }

inline std::string_view trim(std::string_view s) {
    while (!s.empty() && (is_wsp(s.front()) || s.front() == '\r')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (is_wsp(s.back()) || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

/// Fields separated by one or more SP/HT.
inline std::vector<std::string_view> split_ws(std::string_view s) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && is_wsp(s[i])) {
            ++i;
        }
        const std::size_t start = i;
        while (i < s.size() && !is_wsp(s[i])) {
            ++i;
        }
        if (i > start) {
            out.push_back(s.substr(start, i - start));
        }
    }
    return out;
}

/// An unsigned decimal number filling the whole text; nullopt otherwise.
template <typename T>
std::optional<T> parse_unsigned(std::string_view s) {
    T value{};
    if (s.empty() || s.front() < '0' || s.front() > '9') {
        return std::nullopt;
    }
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size()) {
        return std::nullopt;
    }
    return value;
}

inline std::string to_lower(std::string_view s) {
    std::string out{s};
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

}  // namespace zaudit::sdp::detail
