/// \file Authorization and Proxy-Authorization credentials (RFC 3261 section 25.1, RFC 7616
/// section 3.4, RFC 7235 section 2.1 for token68).

#include "zaudit/sip/credentials.hpp"

#include <algorithm>

#include "text.hpp"

namespace zaudit::sip {
namespace {

using util::trim;

/// RFC 7235 section 2.1: token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
bool is_token68(std::string_view text) {
    const auto body_end = text.find_last_not_of('=');
    if (body_end == std::string_view::npos) {
        return false;
    }
    const std::string_view body = text.substr(0, body_end + 1);
    return std::all_of(body.begin(), body.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || util::is_digit(c) ||
               std::string_view{"-._~+/"}.find(c) != std::string_view::npos;
    });
}

/// Reads a quoted-string whose opening quote is at text[pos]; returns the unescaped content and
/// moves pos past the closing quote (or to the end when it never closes).
std::string read_quoted(std::string_view text, std::size_t& pos) {
    std::string out;
    for (++pos; pos < text.size(); ++pos) {
        const char c = text[pos];
        if (c == '\\' && pos + 1 < text.size()) {
            out.push_back(text[++pos]);  // quoted-pair
        } else if (c == '"') {
            ++pos;
            return out;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

void skip_while(std::string_view text, std::size_t& pos, bool (*pred)(char)) {
    while (pos < text.size() && pred(text[pos])) {
        ++pos;
    }
}

bool is_separator(char c) {
    return util::is_wsp(c) || c == ',' || c == '\r' || c == '\n';
}

bool is_space(char c) {
    return util::is_wsp(c) || c == '\r' || c == '\n';
}

/// auth-param *(COMMA auth-param), liberal in what it accepts.
std::vector<Param> parse_params(std::string_view text) {
    std::vector<Param> out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        skip_while(text, pos, is_separator);
        const std::size_t name_start = pos;
        skip_while(text, pos, detail::is_token_char);
        if (pos == name_start) {
            if (pos < text.size()) {
                ++pos;  // not a name: skip the byte and look again
            }
            continue;
        }
        Param param;
        param.name = std::string{text.substr(name_start, pos - name_start)};
        skip_while(text, pos, is_space);
        if (pos < text.size() && text[pos] == '=') {
            ++pos;
            skip_while(text, pos, is_space);
            if (pos < text.size() && text[pos] == '"') {
                param.value = read_quoted(text, pos);
            } else {
                const std::size_t comma = std::min(text.find(',', pos), text.size());
                param.value = std::string{trim(text.substr(pos, comma - pos))};
                pos = comma;
            }
        }
        out.push_back(std::move(param));
        // Anything between the value and the next comma is not part of the parameter.
        pos = std::min(text.find(',', pos), text.size());
    }
    return out;
}

}  // namespace

std::string_view to_string(CredentialsHeader header) {
    return header == CredentialsHeader::authorization ? "Authorization" : "Proxy-Authorization";
}

bool Credentials::is_digest() const {
    return util::iequals(scheme, "Digest");
}

bool Credentials::is_basic() const {
    return util::iequals(scheme, "Basic");
}

std::optional<std::string> Credentials::param(std::string_view name) const {
    for (const Param& p : params) {
        if (util::iequals(p.name, name)) {
            return p.value;
        }
    }
    return std::nullopt;
}

std::string Credentials::value(std::string_view name) const {
    return param(name).value_or(std::string{});
}

std::optional<Credentials> parse_credentials(std::string_view value, CredentialsHeader header) {
    const std::string_view text = trim(value);
    std::size_t pos = 0;
    skip_while(text, pos, detail::is_token_char);
    if (pos == 0) {
        return std::nullopt;
    }
    Credentials out;
    out.header = header;
    out.scheme = std::string{text.substr(0, pos)};
    const std::string_view rest = trim(text.substr(pos));
    if (is_token68(rest)) {
        out.token = std::string{rest};
    } else {
        out.params = parse_params(rest);
    }
    return out;
}

std::vector<Credentials> credentials_of(const SipMessage& message) {
    std::vector<Credentials> out;
    for (const Header& h : message.headers) {
        // Names are normalised when parsed (Authorization, Proxy-Authorization in any case).
        const bool authorization = h.name == "Authorization";
        if (!authorization && h.name != "Proxy-Authorization") {
            continue;
        }
        auto credentials = parse_credentials(
            h.value, authorization ? CredentialsHeader::authorization : CredentialsHeader::proxy_authorization);
        if (credentials) {
            out.push_back(std::move(*credentials));
        }
    }
    return out;
}

}  // namespace zaudit::sip
