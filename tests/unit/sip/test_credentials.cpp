// Authorization / Proxy-Authorization credentials (RFC 3261 section 25.1, RFC 7616 section 3.4).
#include <catch2/catch.hpp>

#include "zaudit/sip/credentials.hpp"

using namespace zaudit;
using namespace zaudit::sip;

namespace {

SipMessage parse_ok(const std::string& text) {
    const auto parsed = parse_message(text);
    REQUIRE(parsed.ok());
    return parsed.value();
}

}  // namespace

TEST_CASE("credentials: a digest response as RFC 3261 section 22.4 writes it") {
    const auto c =
        parse_credentials(R"(Digest username="bob", realm="biloxi.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", )"
                          R"(uri="sip:bob@biloxi.com", qop=auth, nc=00000001, cnonce="0a4f113b", )"
                          R"(response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41")");
    REQUIRE(c);
    CHECK(c->is_digest());
    CHECK(c->header == CredentialsHeader::authorization);
    CHECK(c->value("username") == "bob");
    CHECK(c->value("realm") == "biloxi.com");
    CHECK(c->value("uri") == "sip:bob@biloxi.com");
    CHECK(c->value("qop") == "auth");
    CHECK(c->value("nc") == "00000001");
    CHECK(c->value("cnonce") == "0a4f113b");
    CHECK(c->value("response") == "6629fae49393a05397450978507c4ef1");
    CHECK_FALSE(c->param("algorithm"));
    CHECK(c->params.size() == 9);
    CHECK(c->token.empty());
}

TEST_CASE("credentials: scheme and parameter names in any case, space around '=', unquoted values") {
    const auto c =
        parse_credentials("  dIGEST   USERNAME = \"alice\" ,Realm=example.org,,  Response =  abc  ,algorithm=MD5");
    REQUIRE(c);
    CHECK(c->is_digest());
    CHECK(c->scheme == "dIGEST");  // kept as written
    CHECK(c->value("username") == "alice");
    CHECK(c->value("realm") == "example.org");
    CHECK(c->value("response") == "abc");
    CHECK(c->value("algorithm") == "MD5");
}

TEST_CASE("credentials: commas and escaped quotes inside quoted-strings stay in the value") {
    const auto c = parse_credentials(R"(Digest username="a, \"b\" \\ c", realm="r")");
    REQUIRE(c);
    CHECK(c->value("username") == R"(a, "b" \ c)");
    CHECK(c->value("realm") == "r");
}

TEST_CASE("credentials: an unterminated quoted-string runs to the end without reading past it") {
    const auto c = parse_credentials(R"(Digest username="alice, realm="r)");
    REQUIRE(c);
    CHECK(c->value("username") == "alice, realm=");
    CHECK(c->params.size() == 1);  // what follows the closing quote up to a comma is not a parameter
    const auto cut = parse_credentials("Digest username=\"a\\");  // quoted-pair cut by the end
    REQUIRE(cut);
    CHECK(cut->value("username") == "a\\");
}

TEST_CASE("credentials: Basic carries a token68, padding included (RFC 7617, RFC 7235 section 2.1)") {
    const auto c = parse_credentials("Basic YWxpY2U6c2VjcmV0==");
    REQUIRE(c);
    CHECK(c->is_basic());
    CHECK(c->token == "YWxpY2U6c2VjcmV0==");
    CHECK(c->params.empty());
}

TEST_CASE("credentials: no scheme is no credentials, and a bare scheme has no parameters") {
    CHECK_FALSE(parse_credentials(""));
    CHECK_FALSE(parse_credentials("   "));
    CHECK_FALSE(parse_credentials("=\"x\""));
    const auto bare = parse_credentials("Digest");
    REQUIRE(bare);
    CHECK(bare->params.empty());
    CHECK(bare->token.empty());
}

TEST_CASE("credentials: garbage between parameters is skipped, never fatal") {
    const auto c = parse_credentials("Digest @@@, username=\"x\" trailing junk, =, ;; realm=\"y\"");
    REQUIRE(c);
    CHECK(c->value("username") == "x");
    CHECK(c->value("realm") == "y");
}

TEST_CASE("credentials of a message: each Authorization and Proxy-Authorization line, any name case") {
    const auto m = parse_ok(
        "INVITE sip:bob@example.com SIP/2.0\r\n"
        "Call-ID: c1\r\n"
        "proxy-authorization: Digest username=\"alice\", realm=\"proxy.example\", response=\"aa\"\r\n"
        "AUTHORIZATION: Digest username=\"alice\", realm=\"example.com\", response=\"bb\"\r\n"
        "Proxy-Authorization: Digest username=\"alice\", realm=\"edge.example\", response=\"cc\"\r\n"
        "Content-Length: 0\r\n\r\n");
    const auto all = credentials_of(m);
    REQUIRE(all.size() == 3);
    CHECK(all[0].header == CredentialsHeader::proxy_authorization);
    CHECK(all[0].value("realm") == "proxy.example");
    CHECK(all[1].header == CredentialsHeader::authorization);
    CHECK(all[1].value("response") == "bb");
    CHECK(all[2].value("realm") == "edge.example");
    CHECK(to_string(CredentialsHeader::proxy_authorization) == "Proxy-Authorization");
}

TEST_CASE("credentials of a message: WWW-Authenticate challenges are not credentials") {
    const auto m = parse_ok(
        "SIP/2.0 401 Unauthorized\r\nCall-ID: c1\r\n"
        "WWW-Authenticate: Digest realm=\"example.com\", nonce=\"n\"\r\nContent-Length: 0\r\n\r\n");
    CHECK(credentials_of(m).empty());
}
