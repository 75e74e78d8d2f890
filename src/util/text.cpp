#include "zaudit/util/text.hpp"

namespace zaudit::util {

std::string_view trim(std::string_view s) {
    const auto blank = [](char c) { return is_wsp(c) || c == '\r' || c == '\n'; };
    while (!s.empty() && blank(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && blank(s.back())) {
        s.remove_suffix(1);
    }
    return s;
}

std::string_view trim_padding(std::string_view s) {
    while (!s.empty() && (s.back() == '\0' || s.back() == ' ')) {
        s.remove_suffix(1);
    }
    return s;
}

std::string to_lower(std::string_view s) {
    std::string out{s};
    for (char& c : out) {
        c = ascii_lower(c);
    }
    return out;
}

std::string to_upper(std::string_view s) {
    std::string out{s};
    for (char& c : out) {
        c = ascii_upper(c);
    }
    return out;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (ascii_lower(a[i]) != ascii_lower(b[i])) {
            return false;
        }
    }
    return true;
}

std::vector<std::string_view> split_ws(std::string_view s) {
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

}  // namespace zaudit::util
