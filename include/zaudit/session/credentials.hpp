#pragma once
/// \file SIP requests that carried credentials (Authorization, Proxy-Authorization): REGISTER is
/// not a call, so these are kept apart from calls, each naming its call when it has one.

#include <cstdint>
#include <optional>
#include <string>

#include "zaudit/sip/credentials.hpp"
#include "zaudit/session/seen_at.hpp"
#include "zaudit/sip/method.hpp"

namespace zaudit::session {

/// One set of credentials in one request, as captured. The digest response, nonce and cnonce
/// (or a Basic token) are secrets: reports show them only with --reveal-keys.
struct CredentialUse {
    SeenAt seen;
    std::string transport;  ///< "udp", "tcp"
    sip::Method method = sip::Method::other;
    std::string method_text;  ///< the request method as written ("REGISTER")
    std::string call_id;
    std::optional<std::uint32_t> call;  ///< the call of this Call-ID; nullopt for REGISTER and other non-calls
    /// The address of record: To of a REGISTER (RFC 3261 section 10.2), From of anything else.
    std::string aor;
    sip::Credentials credentials;
};

}  // namespace zaudit::session
