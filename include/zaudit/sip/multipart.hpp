#pragma once
/// \file Multipart bodies (RFC 2046 section 5.1, RFC 5621) and finding the SDP in a SIP body.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zaudit/sip/message.hpp"

namespace zaudit::sip {

/// One body part: its headers (names normalised), Content-Type value, and body bytes.
struct BodyPart {
    std::vector<Header> headers;
    std::string content_type;  ///< full value; "text/plain" when absent (RFC 2046 5.1)
    std::string body;
};

/// The boundary parameter of a Content-Type value, unquoted; nullopt when absent.
std::optional<std::string> boundary_of(std::string_view content_type);

/// The media type of a Content-Type value without parameters, lower-cased.
std::string media_type_of(std::string_view content_type);

/// Splits a multipart body at its boundary. Empty when content_type is not multipart/*, has no
/// boundary, or the body never contains the first delimiter. Preamble and epilogue are dropped;
/// an unterminated last part (no closing delimiter) is kept.
std::vector<BodyPart> split_multipart(std::string_view content_type, std::string_view body);

/// The application/sdp body of a message: the body itself, or the first application/sdp part
/// of a multipart body (nested multiparts searched, up to 4 levels).
std::optional<std::string> find_sdp_body(const SipMessage& message);

}  // namespace zaudit::sip
