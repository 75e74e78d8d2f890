#pragma once
/// \file SIP messages (RFC 3261 section 7): start line, headers, body, as owned values.
///
/// The parser is lenient the way a passive observer must be: a malformed header line is skipped
/// and recorded as an anomaly (sip.* codes), never fatal. Only a message without a recognisable
/// start line is a parse error. No security judgement is made here.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "zaudit/sip/method.hpp"
#include "zaudit/util/address.hpp"
#include "zaudit/util/anomaly.hpp"
#include "zaudit/util/byte_reader.hpp"

namespace zaudit::sip {

/// One header field as it appeared, folded lines joined. `name` is normalised: compact forms
/// expanded (RFC 3261 section 7.3.3) and well-known names given their canonical spelling.
struct Header {
    std::string name;
    std::string value;  ///< unfolded, leading and trailing whitespace removed
};

/// A parameter `;name=value` (value empty for a flag such as `;lr` or `;rport`).
struct Param {
    std::string name;
    std::string value;
};

/// name-addr / addr-spec with header parameters (RFC 3261 section 20.10, 20.20, 20.39).
struct NameAddr {
    std::string display_name;   ///< unquoted; empty when absent
    std::string uri;            ///< what was inside <...>, or the bare addr-spec
    std::string tag;            ///< the `tag` parameter, empty when absent
    std::vector<Param> params;  ///< all header parameters in order, tag included
    /// The value of a parameter (case-insensitive name), nullopt when absent.
    [[nodiscard]] std::optional<std::string> param(std::string_view name) const;
};

/// CSeq: sequence number and method (RFC 3261 section 20.16).
struct CSeq {
    std::uint32_t number = 0;
    std::string method;                  ///< as written
    Method method_kind = Method::other;  ///< what zaudit knows it as
};

/// One via-parm (RFC 3261 section 20.42, RFC 3581 rport).
struct Via {
    std::string protocol;   ///< "SIP/2.0"
    std::string transport;  ///< upper-cased: "UDP", "TCP", "TLS", "SCTP", "WS", "WSS"
    std::string host;       ///< sent-by host; IPv6 references without the brackets
    std::optional<std::uint16_t> port;
    std::string branch;
    std::optional<std::string> received;
    bool has_rport = false;  ///< `;rport` present (with or without a value)
    std::optional<std::uint16_t> rport;
    std::vector<Param> params;
};

/// A parsed SIP request or response. Owns all its text.
struct SipMessage {
    bool is_request = false;
    std::string method;                  ///< requests only, as written
    Method method_kind = Method::other;  ///< requests only: what zaudit knows the method as
    std::string request_uri;             ///< requests only
    std::string version;                 ///< "SIP/2.0"
    int status_code = 0;                 ///< responses only
    std::string reason;                  ///< responses only

    std::vector<Header> headers;  ///< in wire order

    // Well-known headers, decoded once. Absent or malformed ones stay empty (with an anomaly).
    std::string call_id;
    std::optional<NameAddr> from;
    std::optional<NameAddr> to;
    std::optional<CSeq> cseq;
    std::vector<Via> vias;  ///< topmost first, every Via header and comma-separated value
    std::vector<NameAddr> record_routes;
    std::vector<NameAddr> routes;
    std::vector<NameAddr> contacts;  ///< empty for `Contact: *`
    std::string user_agent;
    std::string server;
    std::string content_type;  ///< full header value, parameters included
    std::optional<std::size_t> content_length;

    std::string body;
    std::size_t body_offset = 0;  ///< where the body starts in the parsed text
    /// The datagram held fewer body bytes than Content-Length announced (body is what there was).
    bool body_truncated = false;
    /// What did not stop parsing (sip.* codes); offsets into the parsed text, details name the
    /// line (1-based, the start line is 1).
    std::vector<util::Anomaly> anomalies;

    /// The first header with this name (case-insensitive; compact forms match their long form).
    [[nodiscard]] const Header* header(std::string_view name) const;
    /// Every value of this header: each occurrence, comma-separated values split (RFC 3261 7.3.1).
    [[nodiscard]] std::vector<std::string> header_values(std::string_view name) const;
    /// The media type of Content-Type without parameters, lower-cased ("application/sdp").
    [[nodiscard]] std::string media_type() const;
    /// The CSeq method, or the request method; what a response answers.
    [[nodiscard]] const std::string& transaction_method() const;
    /// transaction_method() as zaudit knows it.
    [[nodiscard]] Method transaction_method_kind() const;
};

/// A SipMessage, or the anomaly (sip.no_start_line, sip.bad_start_line) that stopped parsing,
/// with its byte offset into the input.
class [[nodiscard]] ParseResult {
public:
    ParseResult(SipMessage message) : m_state{std::move(message)} {}  // NOLINT: implicit, like Expected
    ParseResult(util::Anomaly error) : m_state{std::move(error)} {}   // NOLINT: implicit, like Expected
    [[nodiscard]] bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }
    [[nodiscard]] const SipMessage& value() const& { return std::get<0>(m_state); }
    [[nodiscard]] SipMessage&& value() && { return std::get<0>(std::move(m_state)); }
    const SipMessage& operator*() const& { return value(); }
    const SipMessage* operator->() const { return &value(); }
    [[nodiscard]] const util::Anomaly& error() const { return std::get<1>(m_state); }

private:
    std::variant<SipMessage, util::Anomaly> m_state;
};

/// The host of a SIP or SIPS URI (`sip:user@host:port;params`) when it is an IP address literal
/// (IPv6 in brackets); nullopt for a host name or another scheme. Where a Contact points.
std::optional<util::IpAddress> uri_ip_address(std::string_view uri);

/// Parses one whole message (a UDP datagram, or one message cut by StreamFramer).
/// Leading CRLFs are ignored (RFC 3261 section 7.5). Bytes past Content-Length are dropped
/// (section 18.3) with an anomaly.
ParseResult parse_message(std::string_view text);
inline ParseResult parse_message(util::Bytes payload) {
    return parse_message(util::as_text(payload));
}

/// True when the payload begins with a SIP request line (`METHOD SP uri SP SIP/2.0`) or status
/// line (`SIP/2.0 SP 3DIGIT SP`). Cheap: rejects on the first byte for binary payloads, and never
/// looks further than the first line (at most 4 KiB).
bool looks_like_sip(util::Bytes payload);

/// True for a keep-alive: a non-empty payload of only CR and LF (RFC 5626 section 3.5.1:
/// "\r\n\r\n" ping, "\r\n" pong).
bool is_keepalive(util::Bytes payload);

/// True when the payload begins with a TLS record header (RFC 5246 section 6.2.1): content
/// type 20-23, version major 3 and minor 0-4, length at most 2^14 + 2048.
bool looks_like_tls_record(util::Bytes payload);

/// The canonical name for a header: compact forms expanded (`v` → `Via`), well-known names
/// spelled as in their RFC (`call-id` → `Call-ID`), others returned unchanged.
std::string normalise_header_name(std::string_view name);

/// Splits a header value at top-level commas, ignoring commas inside quoted strings and <...>.
/// Pieces are trimmed; empty pieces are dropped.
std::vector<std::string> split_header_list(std::string_view value);

/// Parses a name-addr or addr-spec with header parameters; nullopt when no URI can be found.
std::optional<NameAddr> parse_name_addr(std::string_view value);

/// Parses one via-parm; nullopt when the sent-protocol or sent-by is missing.
std::optional<Via> parse_via(std::string_view value);

}  // namespace zaudit::sip
