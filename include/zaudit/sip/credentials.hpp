#pragma once
/// \file Credentials of Authorization and Proxy-Authorization headers (RFC 3261 sections 20.7,
/// 20.28, 22 and 25.1; HTTP digest as RFC 2617 and RFC 7616 define it).
///
///   Authorization  =  "Authorization" HCOLON credentials
///   credentials    =  ("Digest" LWS digest-response) / other-response
///   digest-response = dig-resp *(COMMA dig-resp)
///   dig-resp       =  username / realm / nonce / digest-uri / dresponse / algorithm / cnonce
///                     / opaque / message-qop / nonce-count / auth-param
///   other-response =  auth-scheme LWS auth-param *(COMMA auth-param)
///   auth-param     =  auth-param-name EQUAL ( token / quoted-string )
///
/// These headers are the exception to comma-joining (section 7.3.1): each header line is one set
/// of credentials, and a message may carry several (one per realm, section 22.3). Values are kept
/// as captured: the digest `response`, `cnonce` and `nonce` are what an attacker needs to test
/// passwords offline, so reports show them only when asked to reveal keys. No judgement here.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zaudit/sip/message.hpp"

namespace zaudit::sip {

/// Which header carried the credentials: to the UAS/registrar, or to a proxy (RFC 3261 22.2, 22.3).
enum class CredentialsHeader : std::uint8_t { authorization, proxy_authorization };
std::string_view to_string(CredentialsHeader header);

struct Credentials {
    CredentialsHeader header = CredentialsHeader::authorization;
    std::string scheme;  ///< as written ("Digest", "Basic", ...); compare case-insensitively
    /// Every auth-param in order, quoted-strings unquoted and unescaped; names as written.
    std::vector<Param> params;
    /// For schemes with a single token instead of parameters (Basic's base64 user:password,
    /// RFC 7617; Bearer, RFC 8898).
    std::string token;

    [[nodiscard]] bool is_digest() const;
    [[nodiscard]] bool is_basic() const;
    /// The value of a parameter (case-insensitive name, RFC 7616 section 3.4), nullopt when absent.
    [[nodiscard]] std::optional<std::string> param(std::string_view name) const;
    /// param(name), or "" when absent.
    [[nodiscard]] std::string value(std::string_view name) const;
};

/// Parses one header value. Lenient: whitespace around '=' and commas, unquoted values, empty
/// values and stray commas are accepted; an unterminated quoted-string runs to the end. nullopt
/// only when there is no scheme token at all.
std::optional<Credentials> parse_credentials(std::string_view value,
                                             CredentialsHeader header = CredentialsHeader::authorization);

/// Every set of credentials in a message's Authorization and Proxy-Authorization headers (any
/// spelling of their names), in wire order.
std::vector<Credentials> credentials_of(const SipMessage& message);

}  // namespace zaudit::sip
