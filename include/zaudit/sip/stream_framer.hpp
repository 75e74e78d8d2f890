#pragma once
/// \file Cuts a SIP-over-TCP byte stream into messages (RFC 3261 section 18.3).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "zaudit/util/anomaly.hpp"
#include "zaudit/util/byte_reader.hpp"

namespace zaudit::sip {

/// One complete message cut from the stream: header section plus Content-Length bytes of body.
struct FramedMessage {
    std::uint64_t stream_offset = 0;      ///< offset of the start line in the direction's byte stream
    std::string text;                     ///< the whole message, ready for parse_message()
    bool content_length_missing = false;  ///< no Content-Length: taken as 0 (RFC 3261 18.3)
};

/// What one feed() produced.
struct FeedResult {
    std::vector<FramedMessage> messages;
    /// Where the stream could not be framed (sip.stream_not_sip, sip.headers_too_large,
    /// sip.bad_content_length, sip.body_too_large; offset in the direction's byte stream): the
    /// bytes were dropped while the framer looked for the next start line.
    std::vector<util::Anomaly> errors;
};

/// Limits that keep a hostile stream from growing memory.
struct FramerLimits {
    std::size_t max_header_bytes = std::size_t{64} * 1024;  ///< start line + headers + empty line
    std::size_t max_body_bytes = std::size_t{1024} * 1024;  ///< largest Content-Length accepted
};

/// Feeds the in-order bytes of one TCP direction; returns each message as soon as it is complete.
///
/// Handles several messages per segment, one message over many segments, and CRLF keep-alives
/// between messages (RFC 5626 section 3.5.1). When a header section grows past the limit, the
/// Content-Length is missing a number or too large, or the bytes do not begin with a start line,
/// it reports an anomaly and drops bytes until the next line that looks like a SIP start
/// line. It buffers at most max_header_bytes + max_body_bytes.
class StreamFramer {
public:
    explicit StreamFramer(FramerLimits limits = {}) : m_limits{limits} {}

    FeedResult feed(util::Bytes data);

    /// Number of CRLF keep-alive runs skipped between messages.
    [[nodiscard]] std::size_t keepalives() const { return m_keepalives; }
    /// Bytes currently held for an incomplete message.
    [[nodiscard]] std::size_t buffered() const { return m_buffer.size(); }
    /// True while the framer is dropping bytes to find the next start line.
    [[nodiscard]] bool resynchronising() const { return m_resync; }

private:
    enum class Step { need_more, progressed };
    Step step(FeedResult& out);
    Step skip_keepalive();
    Step frame_message(FeedResult& out);
    Step resynchronise();
    void fail(FeedResult& out, util::AnomalyCode code, std::string reason);
    void consume(std::size_t n);

    FramerLimits m_limits;
    std::string m_buffer;  ///< unconsumed bytes, starting at m_buffer_offset
    std::uint64_t m_buffer_offset = 0;
    std::size_t m_scan_from = 0;   ///< where the search for the empty line resumes
    std::size_t m_header_end = 0;  ///< header section length once found, else 0
    std::size_t m_body_length = 0;
    bool m_length_missing = false;
    bool m_start_checked = false;  ///< the first line was seen and looks like SIP
    bool m_resync = false;
    bool m_resync_mid_line = false;  ///< dropped bytes ended inside a line
    bool m_in_keepalive = false;
    std::size_t m_keepalives = 0;
};

}  // namespace zaudit::sip
