/// \file Multipart bodies (RFC 2046 section 5.1.1; SIP use in RFC 5621 section 3).
///
///   multipart-body = [preamble CRLF] dash-boundary transport-padding CRLF body-part
///                    *( CRLF dash-boundary transport-padding CRLF body-part )
///                    CRLF dash-boundary "--" [CRLF epilogue]
///   dash-boundary  = "--" boundary
///   body-part      = MIME-part-headers [CRLF *OCTET]
///
/// The CRLF before each delimiter belongs to the delimiter, not to the part before it.

#include <string_view>

#include "zaudit/sip/multipart.hpp"
#include "zaudit/util/text.hpp"

namespace zaudit::sip {
namespace {

using util::trim;

constexpr int k_max_depth = 4;

/// Offset of `delimiter` at the start of a line at or after `from`; npos when absent.
std::size_t find_delimiter(std::string_view body, std::string_view delimiter, std::size_t from) {
    while (from <= body.size()) {
        const auto at = body.find(delimiter, from);
        if (at == std::string_view::npos) {
            return at;
        }
        if (at == 0 || body[at - 1] == '\n') {
            return at;
        }
        from = at + 1;
    }
    return std::string_view::npos;
}

/// Headers then body of one part; without an empty line the whole part is headers.
BodyPart parse_part(std::string_view text) {
    BodyPart part;
    std::size_t pos = 0;
    bool ended = false;
    while (pos < text.size()) {
        auto lf = text.find('\n', pos);
        const std::size_t next = lf == std::string_view::npos ? text.size() : lf + 1;
        std::string_view line = text.substr(pos, (lf == std::string_view::npos ? text.size() : lf) - pos);
        pos = next;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (line.empty()) {
            ended = true;
            break;
        }
        if (util::is_wsp(line.front()) && !part.headers.empty()) {
            part.headers.back().value += " ";
            part.headers.back().value += trim(line);
            continue;
        }
        const auto colon = line.find(':');
        if (colon != std::string_view::npos) {
            part.headers.push_back(
                {normalise_header_name(trim(line.substr(0, colon))), std::string{trim(line.substr(colon + 1))}});
        }
    }
    if (ended) {
        part.body = std::string{text.substr(pos)};
    }
    part.content_type = "text/plain";  // RFC 2046 section 5.1: the default in a multipart
    for (const Header& h : part.headers) {
        if (h.name == "Content-Type") {
            part.content_type = h.value;
            break;
        }
    }
    return part;
}

std::optional<std::string> find_sdp(std::string_view content_type, std::string_view body, int depth) {
    const std::string type = media_type_of(content_type);
    if (type == "application/sdp") {
        return std::string{body};
    }
    if (depth >= k_max_depth || type.rfind("multipart/", 0) != 0) {
        return std::nullopt;
    }
    for (const BodyPart& part : split_multipart(content_type, body)) {
        if (auto sdp = find_sdp(part.content_type, part.body, depth + 1)) {
            return sdp;
        }
    }
    return std::nullopt;
}

}  // namespace

std::string media_type_of(std::string_view content_type) {
    return util::to_lower(trim(content_type.substr(0, content_type.find(';'))));
}

std::optional<std::string> boundary_of(std::string_view content_type) {
    std::size_t pos = content_type.find(';');
    while (pos != std::string_view::npos) {
        const std::size_t start = pos + 1;
        // A quoted boundary may itself hold ';', so find the end of this parameter with care.
        std::size_t end = start;
        bool quoted = false;
        while (end < content_type.size() && (quoted || content_type[end] != ';')) {
            quoted = content_type[end] == '"' ? !quoted : quoted;
            ++end;
        }
        const std::string_view param = content_type.substr(start, end - start);
        const auto eq = param.find('=');
        if (eq != std::string_view::npos && util::iequals(trim(param.substr(0, eq)), "boundary")) {
            std::string_view value = trim(param.substr(eq + 1));
            if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
                value = value.substr(1, value.size() - 2);
            }
            if (value.empty()) {
                return std::nullopt;
            }
            return std::string{value};
        }
        pos = end < content_type.size() ? end : std::string_view::npos;
    }
    return std::nullopt;
}

std::vector<BodyPart> split_multipart(std::string_view content_type, std::string_view body) {
    std::vector<BodyPart> parts;
    const auto boundary = boundary_of(content_type);
    if (media_type_of(content_type).rfind("multipart/", 0) != 0 || !boundary) {
        return parts;
    }
    const std::string delimiter = "--" + *boundary;
    std::size_t at = find_delimiter(body, delimiter, 0);
    while (at != std::string_view::npos) {
        const std::size_t after = at + delimiter.size();
        if (body.substr(after, 2) == "--") {
            break;  // close-delimiter
        }
        const auto lf = body.find('\n', after);
        if (lf == std::string_view::npos) {
            break;
        }
        const std::size_t start = lf + 1;
        const std::size_t next = find_delimiter(body, delimiter, start);
        std::string_view content = body.substr(start, next == std::string_view::npos ? next : next - start);
        if (next != std::string_view::npos) {
            // Strip the CRLF (or LF) that belongs to the next delimiter.
            if (!content.empty() && content.back() == '\n') {
                content.remove_suffix(1);
            }
            if (!content.empty() && content.back() == '\r') {
                content.remove_suffix(1);
            }
        }
        parts.push_back(parse_part(content));
        at = next;
    }
    return parts;
}

std::optional<std::string> find_sdp_body(const SipMessage& message) {
    return find_sdp(message.content_type, message.body, 0);
}

}  // namespace zaudit::sip
