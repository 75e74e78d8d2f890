#include <catch2/catch.hpp>

#include "zaudit/sip/message.hpp"
#include "zaudit/sip/multipart.hpp"

using namespace zaudit::sip;

namespace {

// Shaped like RFC 5621 section 3.1's example: SDP next to a resource list.
const std::string k_body =
    "--boundary1\r\n"
    "Content-Type: application/sdp\r\n"
    "\r\n"
    "v=0\r\n"
    "o=alice 2890844526 2890842807 IN IP4 atlanta.example.com\r\n"
    "\r\n"
    "--boundary1\r\n"
    "Content-Type: application/resource-lists+xml\r\n"
    "Content-Disposition: recipient-list\r\n"
    "\r\n"
    "<?xml version=\"1.0\"?>\r\n"
    "--boundary1--\r\n";

}  // namespace

TEST_CASE("boundary and media type of a Content-Type") {
    CHECK(boundary_of("multipart/mixed;boundary=boundary1") == "boundary1");
    CHECK(boundary_of("multipart/mixed; charset=x; BOUNDARY=\"a;b c\"") == "a;b c");
    CHECK_FALSE(boundary_of("multipart/mixed"));
    CHECK_FALSE(boundary_of("multipart/mixed; boundary="));
    CHECK(media_type_of(" Multipart/Mixed ; boundary=x") == "multipart/mixed");
}

TEST_CASE("split_multipart splits parts and strips the delimiter's CRLF") {
    const auto parts = split_multipart("multipart/mixed;boundary=boundary1", k_body);
    REQUIRE(parts.size() == 2);
    CHECK(parts[0].content_type == "application/sdp");
    CHECK(parts[0].body == "v=0\r\no=alice 2890844526 2890842807 IN IP4 atlanta.example.com\r\n");
    CHECK(parts[1].content_type == "application/resource-lists+xml");
    REQUIRE(parts[1].headers.size() == 2);
    CHECK(parts[1].headers[1].name == "Content-Disposition");
    CHECK(parts[1].body == "<?xml version=\"1.0\"?>");
}

TEST_CASE("split_multipart ignores a preamble and a delimiter not at a line start") {
    const std::string body = "preamble --b not a delimiter\r\n--b\r\n\r\npart one --b inside\r\n--b--\r\nepilogue";
    const auto parts = split_multipart("multipart/mixed; boundary=b", body);
    REQUIRE(parts.size() == 1);
    CHECK(parts[0].content_type == "text/plain");  // RFC 2046 default
    CHECK(parts[0].body == "part one --b inside");
}

TEST_CASE("split_multipart keeps an unterminated last part") {
    const auto parts = split_multipart("multipart/mixed;boundary=x", "--x\nContent-Type: application/sdp\n\nv=0\n");
    REQUIRE(parts.size() == 1);
    CHECK(parts[0].body == "v=0\n");
}

TEST_CASE("split_multipart returns nothing for non-multipart or bad input") {
    CHECK(split_multipart("application/sdp", k_body).empty());
    CHECK(split_multipart("multipart/mixed", k_body).empty());
    CHECK(split_multipart("multipart/mixed;boundary=zzz", k_body).empty());
    CHECK(split_multipart("multipart/mixed;boundary=b", "--b").empty());
}

TEST_CASE("find_sdp_body: direct, multipart/mixed, nested multipart/alternative") {
    auto direct = parse_message("INVITE sip:a@b SIP/2.0\r\nContent-Type: Application/SDP\r\n\r\nv=0\r\n");
    REQUIRE(direct.ok());
    CHECK(find_sdp_body(*direct) == "v=0\r\n");

    const std::string mixed =
        "INVITE sip:a@b SIP/2.0\r\nContent-Type: multipart/mixed;boundary=boundary1\r\n"
        "Content-Length: " +
        std::to_string(k_body.size()) + "\r\n\r\n" + k_body;
    auto m = parse_message(mixed);
    REQUIRE(m.ok());
    const auto sdp = find_sdp_body(*m);
    REQUIRE(sdp);
    CHECK(sdp->rfind("v=0\r\n", 0) == 0);

    const std::string inner =
        "--in\r\nContent-Type: text/plain\r\n\r\nhi\r\n--in\r\nContent-Type: application/sdp\r\n\r\n"
        "v=0 inner\r\n--in--";
    const std::string outer =
        "--out\r\nContent-Type: multipart/alternative; boundary=in\r\n\r\n" + inner + "\r\n--out--\r\n";
    auto n = parse_message("INVITE sip:a@b SIP/2.0\r\nc: multipart/mixed; boundary=out\r\n\r\n" + outer);
    REQUIRE(n.ok());
    CHECK(find_sdp_body(*n) == "v=0 inner");
}

TEST_CASE("find_sdp_body: none when there is no SDP") {
    auto none = parse_message("MESSAGE sip:a@b SIP/2.0\r\nContent-Type: text/plain\r\n\r\nv=0\r\n");
    REQUIRE(none.ok());
    CHECK_FALSE(find_sdp_body(*none));
    auto untyped = parse_message("MESSAGE sip:a@b SIP/2.0\r\n\r\nv=0\r\n");
    REQUIRE(untyped.ok());
    CHECK_FALSE(find_sdp_body(*untyped));
}
