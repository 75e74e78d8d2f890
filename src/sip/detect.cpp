/// \file Cheap classification of a payload: SIP start line, keep-alive, TLS record.
///
/// These run on every unclassified UDP payload and every new TCP stream, so each rejects on the
/// first byte or two before looking any further.

#include <cstddef>
#include <string_view>

#include "text.hpp"
#include "zaudit/sip/message.hpp"

namespace zaudit::sip {
namespace {

constexpr std::size_t k_max_start_line = 4096;
constexpr std::size_t k_max_method = 32;

bool is_upper(std::uint8_t c) {
    return c >= 'A' && c <= 'Z';
}

/// "SIP/2.0" (case-insensitive, RFC 3261 section 7.1) at the reader's position.
bool read_version(util::ByteReader& r) {
    const std::string_view v = r.text(7);
    return r.ok() && util::iequals(v, "SIP/2.0");
}

/// Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF
bool looks_like_status_line(util::ByteReader r) {
    if (!read_version(r) || r.u8() != ' ') {
        return false;
    }
    for (int i = 0; i < 3; ++i) {
        const std::uint8_t d = r.u8();
        if (!r.ok() || d < '0' || d > '9') {
            return false;
        }
    }
    const std::uint8_t after = r.u8();
    return r.ok() && (after == ' ' || after == '\r' || after == '\n');
}

/// Request-Line = Method SP Request-URI SP SIP-Version CRLF
bool looks_like_request_line(util::ByteReader r) {
    std::size_t method_length = 0;
    while (r.ok() && r.peek_u8() != ' ') {
        const std::uint8_t c = r.u8();
        if (!r.ok() || !detail::is_token_char(static_cast<char>(c)) || ++method_length > k_max_method) {
            return false;
        }
    }
    if (r.u8() != ' ' || !r.ok()) {
        return false;
    }
    std::size_t uri_length = 0;
    while (r.ok() && r.peek_u8() != ' ') {
        const std::uint8_t c = r.u8();
        if (!r.ok() || c <= ' ' || c >= 0x7f || ++uri_length > k_max_start_line) {
            return false;
        }
    }
    if (uri_length == 0 || r.u8() != ' ' || !read_version(r)) {
        return false;
    }
    const std::uint8_t end = r.u8();
    return r.ok() && (end == '\r' || end == '\n');
}

}  // namespace

bool looks_like_sip(util::Bytes payload) {
    // RFC 3261 section 7.5: CRLFs before the start line are to be ignored (keep-alives glued to
    // a message). Bounded: a datagram of nothing but line ends is a keep-alive, not SIP.
    std::size_t skipped = 0;
    while (skipped < payload.size() && skipped < 16 && (payload[skipped] == '\r' || payload[skipped] == '\n')) {
        ++skipped;
    }
    payload = payload.subspan(skipped);
    // Every method in use is upper-case (RFC 3261 section 7.1 and the IANA registry), and the
    // status line starts with 'S'; RTP, STUN, DTLS and ZRTP all start below 'A' or above 'Z'.
    if (payload.size() < 12 || !is_upper(payload[0])) {
        return false;
    }
    const util::ByteReader r{payload};
    if (payload[0] == 'S' && looks_like_status_line(r)) {
        return true;
    }
    return looks_like_request_line(r);
}

bool is_keepalive(util::Bytes payload) {
    if (payload.empty()) {
        return false;
    }
    for (const std::uint8_t c : payload) {
        if (c != '\r' && c != '\n') {
            return false;
        }
    }
    return true;
}

bool looks_like_tls_record(util::Bytes payload) {
    // TLSPlaintext header: type(1) version(2) length(2), RFC 5246 section 6.2.1 / RFC 8446 5.1.
    util::ByteReader r{payload};
    const std::uint8_t type = r.u8();
    const std::uint8_t major = r.u8();
    const std::uint8_t minor = r.u8();
    const std::uint16_t length = r.u16be();
    return r.ok() && type >= 20 && type <= 23 && major == 3 && minor <= 4 && length > 0 && length <= 16384 + 2048;
}

}  // namespace zaudit::sip
