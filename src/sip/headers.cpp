/// \file Header names and header values of SIP (RFC 3261 sections 7.3 and 20, grammar in 25.1).

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "text.hpp"
#include "zaudit/sip/message.hpp"
#include "zaudit/util/text.hpp"

namespace zaudit::sip {
namespace {

using util::trim;

/// RFC 3261 section 7.3.3 and the IANA "Header Fields" registry's compact forms.
// clang-format off: laid out as a table
constexpr std::array<std::pair<char, std::string_view>, 20> k_compact_forms{{
    {'a', "Accept-Contact"},
    {'b', "Referred-By"},
    {'c', "Content-Type"},
    {'d', "Request-Disposition"},
    {'e', "Content-Encoding"},
    {'f', "From"},
    {'i', "Call-ID"},
    {'j', "Reject-Contact"},
    {'k', "Supported"},
    {'l', "Content-Length"},
    {'m', "Contact"},
    {'n', "Identity-Info"},
    {'o', "Event"},
    {'r', "Refer-To"},
    {'s', "Subject"},
    {'t', "To"},
    {'u', "Allow-Events"},
    {'v', "Via"},
    {'x', "Session-Expires"},
    {'y', "Identity"},
}};
// clang-format on

/// Spellings from the defining RFCs, so that names compare and print the same whatever the sender
/// used (names are case-insensitive, section 7.3.1).
// clang-format off: laid out as a table
constexpr std::array<std::string_view, 66> k_canonical_names{
    "Accept",
    "Accept-Contact",
    "Accept-Encoding",
    "Accept-Language",
    "Alert-Info",
    "Allow",
    "Allow-Events",
    "Authentication-Info",
    "Authorization",
    "Call-ID",
    "Call-Info",
    "Contact",
    "Content-Disposition",
    "Content-Encoding",
    "Content-Language",
    "Content-Length",
    "Content-Type",
    "CSeq",
    "Date",
    "Error-Info",
    "Event",
    "Expires",
    "From",
    "Identity",
    "Identity-Info",
    "In-Reply-To",
    "Max-Forwards",
    "MIME-Version",
    "Min-Expires",
    "Min-SE",
    "Organization",
    "P-Asserted-Identity",
    "P-Preferred-Identity",
    "Path",
    "Priority",
    "Privacy",
    "Proxy-Authenticate",
    "Proxy-Authorization",
    "Proxy-Require",
    "RAck",
    "Reason",
    "Record-Route",
    "Refer-To",
    "Referred-By",
    "Reject-Contact",
    "Reply-To",
    "Request-Disposition",
    "Require",
    "Retry-After",
    "Route",
    "RSeq",
    "Server",
    "Service-Route",
    "Session-Expires",
    "SIP-ETag",
    "SIP-If-Match",
    "Subject",
    "Subscription-State",
    "Supported",
    "Timestamp",
    "To",
    "Unsupported",
    "User-Agent",
    "Via",
    "Warning",
    "WWW-Authenticate",
};
// clang-format on

/// Splits `;a=b;c` into parameters, ignoring semicolons inside quoted strings.
std::vector<Param> split_params(std::string_view text) {
    std::vector<Param> out;
    std::size_t start = 0;
    bool quoted = false;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        const bool at_end = i == text.size();
        if (!at_end && text[i] == '"') {
            quoted = !quoted;
        } else if (!at_end && quoted && text[i] == '\\') {
            ++i;  // quoted-pair: the next character is literal
        }
        if (at_end || (!quoted && text[i] == ';')) {
            const std::string_view piece = trim(text.substr(start, std::min(i, text.size()) - start));
            if (!piece.empty()) {
                const auto eq = piece.find('=');
                Param p;
                p.name = std::string{trim(piece.substr(0, eq))};
                if (eq != std::string_view::npos) {
                    p.value = std::string{trim(piece.substr(eq + 1))};
                }
                out.push_back(std::move(p));
            }
            start = i + 1;
        }
    }
    return out;
}

/// Reads a quoted-string starting at text[0] == '"'; returns the unescaped content and the
/// length consumed, or nullopt when it never closes.
std::optional<std::pair<std::string, std::size_t>> read_quoted(std::string_view text) {
    std::string out;
    for (std::size_t i = 1; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) {
            out.push_back(text[++i]);
        } else if (text[i] == '"') {
            return std::pair{std::move(out), i + 1};
        } else {
            out.push_back(text[i]);
        }
    }
    return std::nullopt;
}

/// sent-by = host [ COLON port ]; an IPv6 reference keeps its address without brackets.
bool parse_sent_by(std::string_view text, Via& via) {
    text = trim(text);
    std::optional<std::string_view> port_text;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos) {
            return false;
        }
        via.host = std::string{text.substr(1, close - 1)};
        const std::string_view rest = trim(text.substr(close + 1));
        if (!rest.empty()) {
            if (rest.front() != ':') {
                return false;
            }
            port_text = trim(rest.substr(1));
        }
    } else {
        const auto colon = text.find(':');
        via.host = std::string{trim(text.substr(0, colon))};
        if (colon != std::string_view::npos) {
            port_text = trim(text.substr(colon + 1));
        }
    }
    if (via.host.empty()) {
        return false;
    }
    if (port_text) {
        via.port = util::parse_unsigned<std::uint16_t>(*port_text);
        return via.port.has_value();
    }
    return true;
}

/// sent-protocol = protocol-name SLASH protocol-version SLASH transport (SLASH allows LWS).
/// Returns the length consumed, 0 when malformed.
std::size_t parse_sent_protocol(std::string_view text, Via& via) {
    std::array<std::string_view, 3> parts{};
    std::size_t i = 0;
    for (std::size_t n = 0; n < parts.size(); ++n) {
        while (i < text.size() && util::is_wsp(text[i])) {
            ++i;
        }
        const std::size_t start = i;
        while (i < text.size() && detail::is_token_char(text[i])) {
            ++i;
        }
        parts[n] = text.substr(start, i - start);
        if (parts[n].empty()) {
            return 0;
        }
        while (i < text.size() && util::is_wsp(text[i])) {
            ++i;
        }
        if (n < 2) {
            if (i >= text.size() || text[i] != '/') {
                return 0;
            }
            ++i;
        }
    }
    via.protocol = std::string{parts[0]} + "/" + std::string{parts[1]};
    via.transport = util::to_upper(parts[2]);
    return i;
}

}  // namespace

std::string normalise_header_name(std::string_view name) {
    if (name.size() == 1) {
        const char c = util::ascii_lower(name.front());
        for (const auto& [compact, full] : k_compact_forms) {
            if (compact == c) {
                return std::string{full};
            }
        }
    }
    for (const std::string_view canonical : k_canonical_names) {
        if (util::iequals(canonical, name)) {
            return std::string{canonical};
        }
    }
    return std::string{name};
}

std::vector<std::string> split_header_list(std::string_view value) {
    std::vector<std::string> out;
    std::size_t start = 0;
    bool quoted = false;
    int angle = 0;
    const auto emit = [&](std::size_t end) {
        const std::string_view piece = trim(value.substr(start, end - start));
        if (!piece.empty()) {
            out.emplace_back(piece);
        }
        start = end + 1;
    };
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (quoted) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                quoted = false;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == '<') {
            ++angle;
        } else if (c == '>' && angle > 0) {
            --angle;
        } else if (c == ',' && angle == 0) {
            emit(i);
        }
    }
    if (start <= value.size()) {
        emit(value.size());
    }
    return out;
}

std::optional<std::string> NameAddr::param(std::string_view name) const {
    for (const Param& p : params) {
        if (util::iequals(p.name, name)) {
            return p.value;
        }
    }
    return std::nullopt;
}

std::optional<NameAddr> parse_name_addr(std::string_view value) {
    std::string_view v = trim(value);
    NameAddr out;
    std::string_view rest;
    if (!v.empty() && v.front() == '"') {
        auto quoted = read_quoted(v);
        if (!quoted) {
            return std::nullopt;
        }
        out.display_name = std::move(quoted->first);
        v = trim(v.substr(quoted->second));
        if (v.empty() || v.front() != '<') {
            return std::nullopt;
        }
    }
    const auto open = v.find('<');
    if (open != std::string_view::npos) {
        const auto close = v.find('>', open);
        if (close == std::string_view::npos) {
            return std::nullopt;
        }
        if (out.display_name.empty()) {
            out.display_name = std::string{trim(v.substr(0, open))};
        }
        out.uri = std::string{trim(v.substr(open + 1, close - open - 1))};
        rest = v.substr(close + 1);
    } else {
        // addr-spec form: parameters after the URI belong to the header (section 20.10).
        const auto semi = v.find(';');
        out.uri = std::string{trim(v.substr(0, semi))};
        rest = semi == std::string_view::npos ? std::string_view{} : v.substr(semi);
    }
    if (out.uri.empty()) {
        return std::nullopt;
    }
    out.params = split_params(rest);
    if (auto tag = out.param("tag")) {
        out.tag = std::move(*tag);
    }
    return out;
}

std::optional<Via> parse_via(std::string_view value) {
    const std::string_view v = trim(value);
    Via via;
    const std::size_t used = parse_sent_protocol(v, via);
    if (used == 0) {
        return std::nullopt;
    }
    std::string_view rest = v.substr(used);
    const auto semi = rest.find(';');
    std::string_view sent_by = rest.substr(0, semi);
    if (const auto comment = sent_by.find('('); comment != std::string_view::npos) {
        sent_by = sent_by.substr(0, comment);
    }
    if (!parse_sent_by(sent_by, via)) {
        return std::nullopt;
    }
    if (semi != std::string_view::npos) {
        via.params = split_params(rest.substr(semi));
    }
    for (const Param& p : via.params) {
        if (util::iequals(p.name, "branch")) {
            via.branch = p.value;
        } else if (util::iequals(p.name, "received")) {
            via.received = p.value;
        } else if (util::iequals(p.name, "rport")) {
            via.has_rport = true;
            via.rport = util::parse_unsigned<std::uint16_t>(p.value);
        }
    }
    return via;
}

std::optional<util::IpAddress> uri_ip_address(std::string_view uri) {
    const std::size_t colon = uri.find(':');
    if (colon == std::string_view::npos) {
        return std::nullopt;
    }
    const std::string_view scheme = uri.substr(0, colon);
    if (!util::iequals(scheme, "sip") && !util::iequals(scheme, "sips")) {
        return std::nullopt;
    }
    std::string_view rest = uri.substr(colon + 1);
    // userinfo ends at the last '@' before any parameter or header (RFC 3261 19.1.1).
    rest = rest.substr(0, rest.find_first_of(";?"));
    if (const std::size_t at = rest.rfind('@'); at != std::string_view::npos) {
        rest = rest.substr(at + 1);
    }
    if (rest.starts_with('[')) {
        const std::size_t close = rest.find(']');
        return close == std::string_view::npos ? std::nullopt : util::IpAddress::parse(rest.substr(1, close - 1));
    }
    return util::IpAddress::parse(rest.substr(0, rest.find(':')));
}

}  // namespace zaudit::sip
