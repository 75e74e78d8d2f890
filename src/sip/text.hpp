#pragma once
/// \file SIP grammar helpers (private to src/sip); the generic text helpers are in
/// zaudit/util/text.hpp.

#include <string_view>

#include "zaudit/util/text.hpp"

namespace zaudit::sip::detail {

/// RFC 3261 section 25.1 token characters.
inline bool is_token_char(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || util::is_digit(c)) {
        return true;
    }
    constexpr std::string_view k_marks = "-.!%*_+`'~";
    return k_marks.find(c) != std::string_view::npos;
}

}  // namespace zaudit::sip::detail
