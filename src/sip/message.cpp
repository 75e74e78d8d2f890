/// \file SIP message parsing (RFC 3261 section 7).
///
///   generic-message = start-line *message-header CRLF [ message-body ]
///   start-line      = Request-Line / Status-Line
///   Request-Line    = Method SP Request-URI SP SIP-Version CRLF        (section 7.1)
///   Status-Line     = SIP-Version SP Status-Code SP Reason-Phrase CRLF (section 7.2)
///   message-header  = field-name ":" [ field-value ] CRLF, continuation lines start with SP/HT
///
/// Bare LF line ends are accepted (section 7 asks for CRLF, but real stacks and hand-made test
/// traffic send LF, and an observer should still read them).

#include <array>
#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "text.hpp"
#include "zaudit/sip/message.hpp"

namespace zaudit::sip {
namespace {

using util::trim;

/// One line of text and where the next one starts.
struct Line {
    std::string_view text;  ///< without CR LF
    std::size_t next = 0;
    bool terminated = false;  ///< ended by LF (not by the end of the input)
};

Line read_line(std::string_view text, std::size_t pos) {
    const auto lf = text.find('\n', pos);
    Line line;
    if (lf == std::string_view::npos) {
        line.text = text.substr(pos);
        line.next = text.size();
    } else {
        line.text = text.substr(pos, lf - pos);
        line.next = lf + 1;
        line.terminated = true;
    }
    if (!line.text.empty() && line.text.back() == '\r') {
        line.text.remove_suffix(1);
    }
    return line;
}

bool starts_with_sip_version(std::string_view s) {
    return s.size() >= 4 && util::iequals(s.substr(0, 4), "SIP/");
}

/// Fills the start-line fields; an error message when it is neither form.
std::optional<std::string> parse_start_line(std::string_view line, SipMessage& m) {
    if (starts_with_sip_version(line)) {
        const auto sp = line.find(' ');
        if (sp == std::string_view::npos) {
            return "status line without status code";
        }
        m.version = std::string{line.substr(0, sp)};
        const std::string_view rest = line.substr(sp + 1);
        const std::string_view code = rest.substr(0, 3);
        const auto number = util::parse_unsigned<int>(code);
        if (code.size() != 3 || !number || (rest.size() > 3 && rest[3] != ' ')) {
            return "status code is not three digits";
        }
        m.status_code = *number;
        m.reason = rest.size() > 4 ? std::string{rest.substr(4)} : std::string{};
        return std::nullopt;
    }
    const auto first = line.find(' ');
    const auto last = line.rfind(' ');
    if (first == std::string_view::npos || first == last) {
        return "start line is neither a request line nor a status line";
    }
    const std::string_view method = line.substr(0, first);
    if (!std::all_of(method.begin(), method.end(), detail::is_token_char)) {
        return "request method is not a token";
    }
    const std::string_view version = line.substr(last + 1);
    if (!starts_with_sip_version(version)) {
        return "request line does not end with a SIP version";
    }
    const std::string_view uri = trim(line.substr(first + 1, last - first - 1));
    if (uri.empty()) {
        return "request line without Request-URI";
    }
    m.is_request = true;
    m.method = std::string{method};
    m.request_uri = std::string{uri};
    m.version = std::string{version};
    return std::nullopt;
}

/// Header lines (folded ones joined) with their line numbers; returns where the body starts.
std::size_t parse_header_lines(std::string_view text, std::size_t pos, SipMessage& m,
                               std::vector<std::size_t>& line_numbers) {
    std::size_t line_no = 1;
    bool last_valid = false;  // a continuation joins only a header that was kept
    while (pos < text.size()) {
        const Line line = read_line(text, pos);
        pos = line.next;
        ++line_no;
        if (line.text.empty()) {
            return line.terminated ? pos : text.size();
        }
        if (util::is_wsp(line.text.front())) {
            if (last_valid) {
                std::string& value = m.headers.back().value;
                const std::string_view piece = trim(line.text);
                if (!piece.empty()) {
                    value += value.empty() ? "" : " ";
                    value += piece;
                }
            } else {
                m.warnings.push_back({line_no, "continuation line without a header to continue"});
            }
            continue;
        }
        last_valid = false;
        const auto colon = line.text.find(':');
        if (colon == std::string_view::npos) {
            m.warnings.push_back({line_no, "header line without a colon"});
            continue;
        }
        const std::string_view name = trim(line.text.substr(0, colon));
        if (name.empty() || !std::all_of(name.begin(), name.end(), detail::is_token_char)) {
            m.warnings.push_back({line_no, fmt::format("invalid header name '{}'", name)});
            continue;
        }
        m.headers.push_back({normalise_header_name(name), std::string{trim(line.text.substr(colon + 1))}});
        line_numbers.push_back(line_no);
        last_valid = true;
    }
    m.warnings.push_back({line_no, "header section not ended by an empty line"});
    return text.size();
}

void warn(SipMessage& m, std::size_t line, std::string_view header, std::string_view what) {
    m.warnings.push_back({line, fmt::format("malformed {} header: {}", header, what)});
}

void decode_name_addr(SipMessage& m, const Header& h, std::size_t line, std::optional<NameAddr>& into) {
    if (into) {
        warn(m, line, h.name, "repeated, first one kept");
        return;
    }
    into = parse_name_addr(h.value);
    if (!into) {
        warn(m, line, h.name, "no URI");
    }
}

void decode_list(SipMessage& m, const Header& h, std::size_t line, std::vector<NameAddr>& into) {
    for (const std::string& item : split_header_list(h.value)) {
        if (item == "*" && h.name == "Contact") {
            continue;  // Contact: * (REGISTER removing all bindings)
        }
        if (auto na = parse_name_addr(item)) {
            into.push_back(std::move(*na));
        } else {
            warn(m, line, h.name, fmt::format("'{}'", item));
        }
    }
}

void decode_cseq(SipMessage& m, const Header& h, std::size_t line) {
    const std::string_view v = h.value;
    const auto sp = v.find_first_of(" \t");
    const auto number = util::parse_unsigned<std::uint32_t>(v.substr(0, sp));
    const std::string_view method = sp == std::string_view::npos ? std::string_view{} : trim(v.substr(sp));
    if (!number || method.empty()) {
        warn(m, line, h.name, fmt::format("'{}'", v));
        return;
    }
    m.cseq = CSeq{*number, std::string{method}};
}

void decode_via(SipMessage& m, const Header& h, std::size_t line) {
    for (const std::string& item : split_header_list(h.value)) {
        if (auto via = parse_via(item)) {
            m.vias.push_back(std::move(*via));
        } else {
            warn(m, line, h.name, fmt::format("'{}'", item));
        }
    }
}

void decode_content_length(SipMessage& m, const Header& h, std::size_t line) {
    const auto n = util::parse_unsigned<std::size_t>(h.value);
    if (!n) {
        warn(m, line, h.name, fmt::format("'{}'", h.value));
    } else if (m.content_length && *m.content_length != *n) {
        warn(m, line, h.name, "repeated with a different value, first one kept");
    } else {
        m.content_length = n;
    }
}

void set_text(std::string& into, const Header& h) {
    if (into.empty()) {
        into = h.value;
    }
}

using Decoder = void (*)(SipMessage&, const Header&, std::size_t);

/// The headers decoded into fields; others stay in `headers` only.
constexpr std::array<std::pair<std::string_view, Decoder>, 12> k_decoders{{
    {"Call-ID", [](SipMessage& m, const Header& h, std::size_t) { set_text(m.call_id, h); }},
    {"From", [](SipMessage& m, const Header& h, std::size_t l) { decode_name_addr(m, h, l, m.from); }},
    {"To", [](SipMessage& m, const Header& h, std::size_t l) { decode_name_addr(m, h, l, m.to); }},
    {"CSeq", decode_cseq},
    {"Via", decode_via},
    {"Record-Route", [](SipMessage& m, const Header& h, std::size_t l) { decode_list(m, h, l, m.record_routes); }},
    {"Route", [](SipMessage& m, const Header& h, std::size_t l) { decode_list(m, h, l, m.routes); }},
    {"Contact", [](SipMessage& m, const Header& h, std::size_t l) { decode_list(m, h, l, m.contacts); }},
    {"User-Agent", [](SipMessage& m, const Header& h, std::size_t) { set_text(m.user_agent, h); }},
    {"Server", [](SipMessage& m, const Header& h, std::size_t) { set_text(m.server, h); }},
    {"Content-Type", [](SipMessage& m, const Header& h, std::size_t) { set_text(m.content_type, h); }},
    {"Content-Length", decode_content_length},
}};

/// Section 18.3: the body is Content-Length bytes; for a datagram extra bytes are dropped.
void cut_body(SipMessage& m, std::string_view body, std::size_t body_line) {
    if (!m.content_length) {
        m.body = std::string{body};
        return;
    }
    const std::size_t length = *m.content_length;
    if (length < body.size()) {
        if (!trim(body.substr(length)).empty()) {
            m.warnings.push_back({body_line, fmt::format("{} bytes after Content-Length dropped", body.size() - length)});
        }
        body = body.substr(0, length);
    } else if (length > body.size()) {
        m.body_truncated = true;
        m.warnings.push_back({body_line, fmt::format("Content-Length {} but only {} body bytes", length, body.size())});
    }
    m.body = std::string{body};
}

}  // namespace

ParseResult parse_message(std::string_view text) {
    std::size_t pos = 0;
    while (pos < text.size() && (text[pos] == '\r' || text[pos] == '\n')) {
        ++pos;
    }
    if (pos == text.size()) {
        return ParseError{pos, "no start line"};
    }
    SipMessage m;
    const Line start = read_line(text, pos);
    if (auto error = parse_start_line(start.text, m)) {
        return ParseError{pos, std::move(*error)};
    }
    if (!util::iequals(m.version, "SIP/2.0")) {
        m.warnings.push_back({1, fmt::format("unexpected version '{}'", m.version)});
    }
    std::vector<std::size_t> line_numbers;
    const std::size_t body_start = parse_header_lines(text, start.next, m, line_numbers);
    for (std::size_t i = 0; i < m.headers.size(); ++i) {
        for (const auto& [name, decode] : k_decoders) {
            if (m.headers[i].name == name) {
                decode(m, m.headers[i], line_numbers[i]);
            }
        }
    }
    const std::size_t body_line = line_numbers.empty() ? 2 : line_numbers.back() + 2;
    cut_body(m, text.substr(body_start), body_line);
    return m;
}

const Header* SipMessage::header(std::string_view name) const {
    const std::string wanted = normalise_header_name(name);
    for (const Header& h : headers) {
        if (util::iequals(h.name, wanted)) {
            return &h;
        }
    }
    return nullptr;
}

std::vector<std::string> SipMessage::header_values(std::string_view name) const {
    const std::string wanted = normalise_header_name(name);
    std::vector<std::string> out;
    for (const Header& h : headers) {
        if (util::iequals(h.name, wanted)) {
            for (std::string& v : split_header_list(h.value)) {
                out.push_back(std::move(v));
            }
        }
    }
    return out;
}

std::string SipMessage::media_type() const {
    return util::to_lower(trim(std::string_view{content_type}.substr(0, content_type.find(';'))));
}

const std::string& SipMessage::transaction_method() const {
    return cseq ? cseq->method : method;
}

}  // namespace zaudit::sip
