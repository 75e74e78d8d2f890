/// \file SIP over TCP framing (RFC 3261 section 18.3, keep-alives RFC 5626 section 3.5.1).
///
///   stream  = *( keep-alive / message )
///   keep-alive = 1*( CR / LF )                 ignored before a start line (section 7.5)
///   message = start-line *header CRLF body     body length = Content-Length (0 when absent)
///
/// A stream is only as good as its framing: one wrong Content-Length desynchronises everything
/// after it, so on any framing error the bytes are dropped line by line until a line that looks
/// like a SIP start line, and framing restarts there.

#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "zaudit/sip/message.hpp"
#include "zaudit/sip/stream_framer.hpp"
#include "zaudit/util/text.hpp"

namespace zaudit::sip {
namespace {

/// Bytes appended per round, so the buffer never exceeds the limits by more than this.
constexpr std::size_t k_chunk = std::size_t{16} * 1024;
/// A start line longer than this is not waited for while resynchronising.
constexpr std::size_t k_max_start_line = 4096 + 64;

/// Content-Length of a complete header section: the value, nullopt when absent, or an error.
struct LengthScan {
    std::optional<std::size_t> length;
    std::string error;
};

LengthScan scan_content_length(std::string_view headers) {
    LengthScan out;
    std::size_t pos = headers.find('\n');
    while (pos != std::string_view::npos && pos + 1 < headers.size()) {
        const std::size_t start = pos + 1;
        pos = headers.find('\n', start);
        const std::string_view line = headers.substr(start, pos == std::string_view::npos ? pos : pos - start);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos || util::is_wsp(line.front())) {
            continue;
        }
        if (normalise_header_name(util::trim(line.substr(0, colon))) != "Content-Length") {
            continue;
        }
        const std::string_view value = util::trim(line.substr(colon + 1));
        const auto n = util::parse_unsigned<std::size_t>(value);
        if (!n) {
            out.error = fmt::format("invalid Content-Length '{}'", value.substr(0, 32));
            return out;
        }
        if (out.length && *out.length != *n) {
            out.error = "two different Content-Length values";
            return out;
        }
        out.length = n;
    }
    return out;
}

/// Offset just past the empty line ending the header section, scanning from `from`; 0 when not
/// yet seen. `from` is moved to where the next scan can resume.
std::size_t find_header_end(std::string_view buffer, std::size_t& from) {
    for (std::size_t i = from; i < buffer.size(); ++i) {
        if (buffer[i] != '\n') {
            continue;
        }
        if (i + 1 >= buffer.size() || (buffer[i + 1] == '\r' && i + 2 >= buffer.size())) {
            from = i;  // cannot tell yet whether an empty line follows
            return 0;
        }
        if (buffer[i + 1] == '\n') {
            return i + 2;
        }
        if (buffer[i + 1] == '\r' && buffer[i + 2] == '\n') {
            return i + 3;
        }
    }
    from = buffer.size();
    return 0;
}

}  // namespace

FeedResult StreamFramer::feed(util::Bytes data) {
    FeedResult out;
    const std::string_view text = util::as_text(data);
    for (std::size_t pos = 0; pos < text.size(); pos += k_chunk) {
        m_buffer.append(text.substr(pos, k_chunk));
        while (step(out) == Step::progressed) {
        }
    }
    return out;
}

StreamFramer::Step StreamFramer::step(FeedResult& out) {
    if (m_buffer.empty()) {
        return Step::need_more;
    }
    if (m_resync) {
        return resynchronise();
    }
    if (m_header_end == 0 && !m_start_checked && m_scan_from == 0 &&
        (m_buffer.front() == '\r' || m_buffer.front() == '\n')) {
        return skip_keepalive();
    }
    return frame_message(out);
}

StreamFramer::Step StreamFramer::skip_keepalive() {
    const auto n = std::min(m_buffer.find_first_not_of("\r\n"), m_buffer.size());
    if (!m_in_keepalive) {
        ++m_keepalives;
        m_in_keepalive = true;
    }
    consume(n);
    return m_buffer.empty() ? Step::need_more : Step::progressed;
}

StreamFramer::Step StreamFramer::frame_message(FeedResult& out) {
    m_in_keepalive = false;
    if (m_header_end == 0) {
        const auto first_lf = m_buffer.find('\n', m_scan_from);  // earlier bytes were searched
        if (!m_start_checked && first_lf != std::string::npos) {
            if (!looks_like_sip(util::as_bytes(std::string_view{m_buffer}.substr(0, first_lf + 1)))) {
                fail(out, util::AnomalyCode::sip_stream_not_sip, "bytes do not begin with a SIP start line");
                return Step::progressed;
            }
            m_start_checked = true;
        }
        m_header_end = find_header_end(m_buffer, m_scan_from);
        if (m_header_end == 0 || m_header_end > m_limits.max_header_bytes) {
            if (m_header_end > m_limits.max_header_bytes || m_buffer.size() > m_limits.max_header_bytes) {
                fail(out, util::AnomalyCode::sip_headers_too_large,
                     fmt::format("header section larger than {} bytes", m_limits.max_header_bytes));
                return Step::progressed;
            }
            return Step::need_more;
        }
        const LengthScan scan = scan_content_length(std::string_view{m_buffer}.substr(0, m_header_end));
        if (!scan.error.empty()) {
            fail(out, util::AnomalyCode::sip_bad_content_length, scan.error);
            return Step::progressed;
        }
        if (scan.length.value_or(0) > m_limits.max_body_bytes) {
            fail(out, util::AnomalyCode::sip_body_too_large,
                 fmt::format("Content-Length {} larger than {} bytes", *scan.length, m_limits.max_body_bytes));
            return Step::progressed;
        }
        m_body_length = scan.length.value_or(0);
        m_length_missing = !scan.length;
    }
    const std::size_t total = m_header_end + m_body_length;
    if (m_buffer.size() < total) {
        return Step::need_more;
    }
    out.messages.push_back({m_buffer_offset, m_buffer.substr(0, total), m_length_missing});
    consume(total);
    return Step::progressed;
}

StreamFramer::Step StreamFramer::resynchronise() {
    // The buffer always starts at the beginning of a line here (see fail()).
    const auto lf = m_buffer.find('\n');
    if (lf == std::string::npos) {
        if (m_buffer.size() > k_max_start_line) {
            consume(m_buffer.size());  // no line end in sight: nothing here can be a start line
            m_resync_mid_line = true;
        }
        return Step::need_more;
    }
    if (!m_resync_mid_line && looks_like_sip(util::as_bytes(std::string_view{m_buffer}.substr(0, lf + 1)))) {
        m_resync = false;
        return Step::progressed;
    }
    m_resync_mid_line = false;
    consume(lf + 1);
    return Step::progressed;
}

void StreamFramer::fail(FeedResult& out, util::AnomalyCode code, std::string reason) {
    out.errors.push_back({code, 0, m_buffer_offset, std::move(reason)});
    m_resync = true;
    // Drop the start line that led here so the search begins at the next line.
    const auto lf = m_buffer.find('\n');
    m_resync_mid_line = lf == std::string::npos;
    consume(lf == std::string::npos ? m_buffer.size() : lf + 1);
}

void StreamFramer::consume(std::size_t n) {
    m_buffer.erase(0, n);
    m_buffer_offset += n;
    m_scan_from = 0;
    m_header_end = 0;
    m_body_length = 0;
    m_length_missing = false;
    m_start_checked = false;
}

}  // namespace zaudit::sip
