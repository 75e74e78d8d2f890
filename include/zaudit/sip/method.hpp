#pragma once
/// \file The SIP request methods zaudit reasons about (RFC 3261 section 7.1, RFC 3262, RFC 3311),
/// as an enum with one name table. Every other method is `other`; messages keep the wire text
/// for display.

#include <cstdint>
#include <string_view>

namespace zaudit::sip {

enum class Method : std::uint8_t {
    invite,  ///< starts a dialog; carries an offer or asks for one (RFC 3261 section 13)
    ack,     ///< confirms a final response to an INVITE; may carry the answer
    bye,     ///< ends a dialog
    cancel,  ///< cancels a pending INVITE
    update,  ///< a new offer within a dialog (RFC 3311)
    prack,   ///< acknowledges a reliable provisional response; may carry an offer (RFC 3262)
    other,   ///< any other method (REGISTER, OPTIONS, SUBSCRIBE...)
    count_
};

/// The method as it is written on the wire ("INVITE"); "other" for Method::other.
std::string_view to_string(Method method);
/// The method a request line or CSeq names; methods are case-sensitive (RFC 3261 section 7.1),
/// so "invite" is Method::other.
Method method_from_text(std::string_view text);

}  // namespace zaudit::sip
