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

using util::AnomalyCode;
using util::trim;

/// Where a line is: its number (the start line is 1) and the offset of its first byte.
struct Place {
    std::size_t line = 0;
    std::size_t offset = 0;
};

void note(SipMessage& m, AnomalyCode code, Place place, std::string_view what) {
    m.anomalies.push_back({code, 0, place.offset, fmt::format("line {}: {}", place.line, what)});
}

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

/// Header lines (folded ones joined) with where each is; returns where the body starts.
std::size_t parse_header_lines(std::string_view text, std::size_t pos, SipMessage& m, std::vector<Place>& places) {
    std::size_t line_no = 1;
    bool last_valid = false;  // a continuation joins only a header that was kept
    while (pos < text.size()) {
        const Line line = read_line(text, pos);
        const Place place{++line_no, pos};
        pos = line.next;
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
                note(m, AnomalyCode::sip_orphan_continuation, place, "continuation line without a header to continue");
            }
            continue;
        }
        last_valid = false;
        const auto colon = line.text.find(':');
        if (colon == std::string_view::npos) {
            note(m, AnomalyCode::sip_bad_header_line, place, "header line without a colon");
            continue;
        }
        const std::string_view name = trim(line.text.substr(0, colon));
        if (name.empty() || !std::all_of(name.begin(), name.end(), detail::is_token_char)) {
            note(m, AnomalyCode::sip_bad_header_line, place, fmt::format("invalid header name '{}'", name));
            continue;
        }
        m.headers.push_back({normalise_header_name(name), std::string{trim(line.text.substr(colon + 1))}});
        places.push_back(place);
        last_valid = true;
    }
    note(m, AnomalyCode::sip_unterminated_headers, {line_no, text.size()}, "header section not ended by an empty line");
    return text.size();
}

void warn(SipMessage& m, Place place, std::string_view header, std::string_view what) {
    note(m, AnomalyCode::sip_bad_header_value, place, fmt::format("malformed {} header: {}", header, what));
}

void repeated(SipMessage& m, Place place, std::string_view header, std::string_view what) {
    note(m, AnomalyCode::sip_repeated_header, place, fmt::format("{} header {}", header, what));
}

void decode_name_addr(SipMessage& m, const Header& h, Place line, std::optional<NameAddr>& into) {
    if (into) {
        repeated(m, line, h.name, "repeated, first one kept");
        return;
    }
    into = parse_name_addr(h.value);
    if (!into) {
        warn(m, line, h.name, "no URI");
    }
}

void decode_list(SipMessage& m, const Header& h, Place line, std::vector<NameAddr>& into) {
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

void decode_cseq(SipMessage& m, const Header& h, Place line) {
    const std::string_view v = h.value;
    const auto sp = v.find_first_of(" \t");
    const auto number = util::parse_unsigned<std::uint32_t>(v.substr(0, sp));
    const std::string_view method = sp == std::string_view::npos ? std::string_view{} : trim(v.substr(sp));
    if (!number || method.empty()) {
        warn(m, line, h.name, fmt::format("'{}'", v));
        return;
    }
    m.cseq = CSeq{*number, std::string{method}, method_from_text(method)};
}

void decode_via(SipMessage& m, const Header& h, Place line) {
    for (const std::string& item : split_header_list(h.value)) {
        if (auto via = parse_via(item)) {
            m.vias.push_back(std::move(*via));
        } else {
            warn(m, line, h.name, fmt::format("'{}'", item));
        }
    }
}

void decode_content_length(SipMessage& m, const Header& h, Place line) {
    const auto n = util::parse_unsigned<std::size_t>(h.value);
    if (!n) {
        warn(m, line, h.name, fmt::format("'{}'", h.value));
    } else if (m.content_length && *m.content_length != *n) {
        repeated(m, line, h.name, "repeated with a different value, first one kept");
    } else {
        m.content_length = n;
    }
}

void set_text(std::string& into, const Header& h) {
    if (into.empty()) {
        into = h.value;
    }
}

using Decoder = void (*)(SipMessage&, const Header&, Place);

/// The headers decoded into fields; others stay in `headers` only.
constexpr std::array<std::pair<std::string_view, Decoder>, 12> k_decoders{{
    {"Call-ID", [](SipMessage& m, const Header& h, Place) { set_text(m.call_id, h); }},
    {"From", [](SipMessage& m, const Header& h, Place l) { decode_name_addr(m, h, l, m.from); }},
    {"To", [](SipMessage& m, const Header& h, Place l) { decode_name_addr(m, h, l, m.to); }},
    {"CSeq", decode_cseq},
    {"Via", decode_via},
    {"Record-Route", [](SipMessage& m, const Header& h, Place l) { decode_list(m, h, l, m.record_routes); }},
    {"Route", [](SipMessage& m, const Header& h, Place l) { decode_list(m, h, l, m.routes); }},
    {"Contact", [](SipMessage& m, const Header& h, Place l) { decode_list(m, h, l, m.contacts); }},
    {"User-Agent", [](SipMessage& m, const Header& h, Place) { set_text(m.user_agent, h); }},
    {"Server", [](SipMessage& m, const Header& h, Place) { set_text(m.server, h); }},
    {"Content-Type", [](SipMessage& m, const Header& h, Place) { set_text(m.content_type, h); }},
    {"Content-Length", decode_content_length},
}};

/// Section 18.3: the body is Content-Length bytes; for a datagram extra bytes are dropped.
void cut_body(SipMessage& m, std::string_view body, Place body_line) {
    if (!m.content_length) {
        m.body = std::string{body};
        return;
    }
    const std::size_t length = *m.content_length;
    if (length < body.size()) {
        if (!trim(body.substr(length)).empty()) {
            note(m, AnomalyCode::sip_trailing_bytes, {body_line.line, body_line.offset + length},
                 fmt::format("{} bytes after Content-Length dropped", body.size() - length));
        }
        body = body.substr(0, length);
    } else if (length > body.size()) {
        m.body_truncated = true;
        note(m, AnomalyCode::sip_body_truncated, {body_line.line, body_line.offset + body.size()},
             fmt::format("Content-Length {} but only {} body bytes", length, body.size()));
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
        return util::Anomaly{AnomalyCode::sip_no_start_line, 0, pos, "no start line"};
    }
    SipMessage m;
    const Line start = read_line(text, pos);
    if (auto error = parse_start_line(start.text, m)) {
        return util::Anomaly{AnomalyCode::sip_bad_start_line, 0, pos, std::move(*error)};
    }
    m.method_kind = m.is_request ? method_from_text(m.method) : Method::other;
    if (!util::iequals(m.version, "SIP/2.0")) {
        note(m, AnomalyCode::sip_bad_version, {1, pos}, fmt::format("unexpected version '{}'", m.version));
    }
    std::vector<Place> places;
    const std::size_t body_start = parse_header_lines(text, start.next, m, places);
    for (std::size_t i = 0; i < m.headers.size(); ++i) {
        for (const auto& [name, decode] : k_decoders) {
            if (m.headers[i].name == name) {
                decode(m, m.headers[i], places[i]);
            }
        }
    }
    const std::size_t body_line = places.empty() ? 2 : places.back().line + 2;
    m.body_offset = body_start;
    cut_body(m, text.substr(body_start), {body_line, body_start});
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

Method SipMessage::transaction_method_kind() const {
    return cseq ? cseq->method_kind : method_kind;
}

}  // namespace zaudit::sip
