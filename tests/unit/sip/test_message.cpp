#include <catch2/catch.hpp>

#include <set>

#include "support/mutations.hpp"
#include "zaudit/sip/message.hpp"
#include "zaudit/sip/method.hpp"

using namespace zaudit::sip;
using zaudit::util::AnomalyCode;

namespace {

SipMessage parse_ok(std::string_view text) {
    auto r = parse_message(text);
    REQUIRE(r.ok());
    return std::move(r).value();
}

}  // namespace

TEST_CASE("request line is read") {
    const auto m = parse_ok("OPTIONS sip:carol@chicago.com SIP/2.0\r\nCall-ID: a84b4c76e66710\r\n\r\n");
    CHECK(m.is_request);
    CHECK(m.method == "OPTIONS");
    CHECK(m.request_uri == "sip:carol@chicago.com");
    CHECK(m.version == "SIP/2.0");
    CHECK(m.call_id == "a84b4c76e66710");
    CHECK(m.anomalies.empty());
}

TEST_CASE("status line is read, reason phrase with spaces") {
    const auto m = parse_ok("SIP/2.0 488 Not Acceptable Here\r\nCall-ID: x\r\n\r\n");
    CHECK_FALSE(m.is_request);
    CHECK(m.status_code == 488);
    CHECK(m.reason == "Not Acceptable Here");
}

TEST_CASE("leading CRLFs before the start line are ignored") {
    const auto m = parse_ok("\r\n\r\nBYE sip:a@b SIP/2.0\r\n\r\n");
    CHECK(m.method == "BYE");
}

TEST_CASE("malformed start lines are parse errors") {
    CHECK_FALSE(parse_message("").ok());
    CHECK_FALSE(parse_message("\r\n\r\n").ok());
    CHECK_FALSE(parse_message("SIP/2.0 20 OK\r\n\r\n").ok());
    CHECK_FALSE(parse_message("SIP/2.0 2000 OK\r\n\r\n").ok());
    CHECK_FALSE(parse_message("SIP/2.0\r\n\r\n").ok());
    CHECK_FALSE(parse_message("INVITE sip:a@b HTTP/1.1\r\n\r\n").ok());
    CHECK_FALSE(parse_message("INVITE\r\n\r\n").ok());
    CHECK_FALSE(parse_message("INVITE SIP/2.0\r\n\r\n").ok());
    CHECK_FALSE(parse_message("GET / HTTP/1.1\r\n\r\n").ok());
    const auto r = parse_message("\r\nIN(VITE sip:a@b SIP/2.0\r\n\r\n");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == AnomalyCode::sip_bad_start_line);
    CHECK(r.error().offset == 2);
    CHECK_FALSE(r.error().detail.empty());
    CHECK(parse_message("\r\n\r\n").error().code == AnomalyCode::sip_no_start_line);
}

TEST_CASE("compact header forms are expanded (RFC 3261 7.3.3)") {
    const auto m = parse_ok(
        "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
        "v: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"
        "f: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
        "t: <sip:bob@biloxi.com>\r\n"
        "i: a84b4c76e66710@pc33.atlanta.com\r\n"
        "m: <sip:alice@pc33.atlanta.com>\r\n"
        "c: application/sdp\r\n"
        "k: 100rel\r\n"
        "s: hello\r\n"
        "e: gzip\r\n"
        "o: presence\r\n"
        "r: <sip:x@y>\r\n"
        "u: dialog\r\n"
        "x: 1800\r\n"
        "y: abc\r\n"
        "b: <sip:z@y>\r\n"
        "L: 4\r\n"
        "\r\n"
        "v=0\n");
    CHECK(m.call_id == "a84b4c76e66710@pc33.atlanta.com");
    REQUIRE(m.from);
    CHECK(m.from->display_name == "Alice");
    CHECK(m.from->uri == "sip:alice@atlanta.com");
    CHECK(m.from->tag == "1928301774");
    REQUIRE(m.to);
    CHECK(m.to->tag.empty());
    REQUIRE(m.vias.size() == 1);
    CHECK(m.vias[0].host == "pc33.atlanta.com");
    REQUIRE(m.contacts.size() == 1);
    CHECK(m.content_type == "application/sdp");
    CHECK(m.content_length == 4u);
    CHECK(m.body == "v=0\n");
    CHECK(m.header("Supported")->value == "100rel");
    CHECK(m.header("Subject")->value == "hello");
    CHECK(m.header("Content-Encoding")->value == "gzip");
    CHECK(m.header("Event")->value == "presence");
    CHECK(m.header("Refer-To")->value == "<sip:x@y>");
    CHECK(m.header("Allow-Events")->value == "dialog");
    CHECK(m.header("Session-Expires")->value == "1800");
    CHECK(m.header("Identity")->value == "abc");
    CHECK(m.header("Referred-By")->value == "<sip:z@y>");
    CHECK(m.headers[0].name == "Via");
    REQUIRE(m.headers.size() == 16);
    CHECK(m.headers[15].name == "Content-Length");
}

TEST_CASE("header lookup is case-insensitive and matches compact forms") {
    const auto m = parse_ok("BYE sip:a@b SIP/2.0\r\ncall-id: X1\r\nCONTENT-LENGTH: 0\r\nX-Custom: y\r\n\r\n");
    CHECK(m.call_id == "X1");
    CHECK(m.headers[0].name == "Call-ID");
    CHECK(m.headers[1].name == "Content-Length");
    REQUIRE(m.header("i") != nullptr);
    CHECK(m.header("i")->value == "X1");
    CHECK(m.header("x-custom")->value == "y");
    CHECK(m.header("Route") == nullptr);
}

TEST_CASE("folded header lines are unfolded") {
    const auto m = parse_ok(
        "INVITE sip:a@b SIP/2.0\r\n"
        "Subject: I know you're there,\r\n"
        "         pick up the phone\r\n"
        "\tand talk to me!\r\n"
        "Via: SIP/2.0/UDP h1;branch=z1,\r\n"
        " SIP/2.0/UDP h2;branch=z2\r\n"
        "\r\n");
    CHECK(m.header("Subject")->value == "I know you're there, pick up the phone and talk to me!");
    REQUIRE(m.vias.size() == 2);
    CHECK(m.vias[1].branch == "z2");
    CHECK(m.anomalies.empty());
}

TEST_CASE("malformed header lines are skipped with an anomaly at their line") {
    const std::string text =
        "INVITE sip:a@b SIP/2.0\r\n"
        "  continuation with nothing before\r\n"
        "this line has no colon\r\n"
        " continuation of a skipped line\r\n"
        "Bad Name: x\r\n"
        ": empty name\r\n"
        "Call-ID: ok\r\n"
        "CSeq: abc INVITE\r\n"
        "From: \"unterminated <sip:a@b>\r\n"
        "Via: SIP/2.0/UDP\r\n"
        "Content-Length: -1\r\n"
        "\r\n";
    const auto m = parse_ok(text);
    CHECK(m.call_id == "ok");
    CHECK_FALSE(m.cseq);
    CHECK_FALSE(m.from);
    CHECK(m.vias.empty());
    CHECK_FALSE(m.content_length);
    const std::vector<std::pair<AnomalyCode, std::string_view>> expected{
        {AnomalyCode::sip_orphan_continuation, "  continuation with"},
        {AnomalyCode::sip_bad_header_line, "this line"},
        {AnomalyCode::sip_orphan_continuation, " continuation of"},
        {AnomalyCode::sip_bad_header_line, "Bad Name"},
        {AnomalyCode::sip_bad_header_line, ": empty"},
        {AnomalyCode::sip_bad_header_value, "CSeq"},
        {AnomalyCode::sip_bad_header_value, "From"},
        {AnomalyCode::sip_bad_header_value, "Via"},
        {AnomalyCode::sip_bad_header_value, "Content-Length"},
    };
    REQUIRE(m.anomalies.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        INFO(i << " " << m.anomalies[i].detail);
        CHECK(m.anomalies[i].code == expected[i].first);
        CHECK(m.anomalies[i].offset == text.find(expected[i].second));
    }
    CHECK(m.anomalies[0].detail == "line 2: continuation line without a header to continue");
}

TEST_CASE("missing empty line after headers is an anomaly, not an error") {
    const auto m = parse_ok("BYE sip:a@b SIP/2.0\r\nCall-ID: z");
    CHECK(m.call_id == "z");
    CHECK(m.body.empty());
    REQUIRE(m.anomalies.size() == 1);
    CHECK(m.anomalies[0].code == AnomalyCode::sip_unterminated_headers);
}

TEST_CASE("a version other than SIP/2.0 is an anomaly at the start line") {
    const auto m = parse_ok("\r\nBYE sip:a@b SIP/3.0\r\nCall-ID: z\r\n\r\n");
    REQUIRE(m.anomalies.size() == 1);
    CHECK(m.anomalies[0].code == AnomalyCode::sip_bad_version);
    CHECK(m.anomalies[0].offset == 2);
}

TEST_CASE("LF-only line ends are accepted") {
    const auto m = parse_ok("ACK sip:a@b SIP/2.0\nCall-ID: lf\nContent-Length: 3\n\nabc");
    CHECK(m.call_id == "lf");
    CHECK(m.body == "abc");
}

TEST_CASE("Via values are split and decoded") {
    const auto m = parse_ok(
        "INVITE sip:a@b SIP/2.0\r\n"
        "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;received=198.51.100.7;rport=6000, "
        "SIP / 2.0 / tcp [2001:db8::9]:5070 ;branch=z9hG4bK2;rport\r\n"
        "v: SIP/2.0/TLS proxy.example.com;branch=z9hG4bK3;maddr=\"x,y\"\r\n"
        "\r\n");
    REQUIRE(m.vias.size() == 3);
    CHECK(m.vias[0].protocol == "SIP/2.0");
    CHECK(m.vias[0].transport == "UDP");
    CHECK(m.vias[0].host == "192.0.2.1");
    CHECK(m.vias[0].port == 5060);
    CHECK(m.vias[0].branch == "z9hG4bK1");
    CHECK(m.vias[0].received == "198.51.100.7");
    CHECK(m.vias[0].has_rport);
    CHECK(m.vias[0].rport == 6000);
    CHECK(m.vias[1].transport == "TCP");
    CHECK(m.vias[1].host == "2001:db8::9");
    CHECK(m.vias[1].port == 5070);
    CHECK(m.vias[1].has_rport);
    CHECK_FALSE(m.vias[1].rport);
    CHECK(m.vias[2].transport == "TLS");
    CHECK_FALSE(m.vias[2].port);
    CHECK_FALSE(m.vias[2].received);
}

TEST_CASE("malformed Via values") {
    CHECK_FALSE(parse_via("SIP/2.0/UDP"));
    CHECK_FALSE(parse_via("SIP/2.0 192.0.2.1"));
    CHECK_FALSE(parse_via("SIP/2.0/UDP 192.0.2.1:99999"));
    CHECK_FALSE(parse_via("SIP/2.0/UDP 192.0.2.1:abc"));
    CHECK_FALSE(parse_via("SIP/2.0/UDP [2001:db8::1"));
    CHECK_FALSE(parse_via("SIP/2.0/UDP :5060"));
    CHECK(parse_via("SIP/2.0/UDP host (comment)").has_value());
}

TEST_CASE("Record-Route and Route lists are split, not inside quotes or <>") {
    const auto m = parse_ok(
        "INVITE sip:a@b SIP/2.0\r\n"
        "Record-Route: <sip:p1.example.com;lr>, \"Proxy, Two\" <sip:p2.example.com;lr;x=\"a,b\">\r\n"
        "Record-Route: <sip:p3.example.com;lr>\r\n"
        "Route: <sip:r1;lr>,<sip:r2;lr>\r\n"
        "\r\n");
    REQUIRE(m.record_routes.size() == 3);
    CHECK(m.record_routes[0].uri == "sip:p1.example.com;lr");
    CHECK(m.record_routes[1].display_name == "Proxy, Two");
    CHECK(m.record_routes[1].uri == "sip:p2.example.com;lr;x=\"a,b\"");
    CHECK(m.record_routes[2].uri == "sip:p3.example.com;lr");
    REQUIRE(m.routes.size() == 2);
    CHECK(m.routes[1].uri == "sip:r2;lr");
    CHECK(m.header_values("Record-Route").size() == 3);
}

TEST_CASE("name-addr forms") {
    auto a = parse_name_addr("\"A \\\"quoted\\\" name\" <sip:a@b;transport=tcp>;tag=xyz;foo");
    REQUIRE(a);
    CHECK(a->display_name == "A \"quoted\" name");
    CHECK(a->uri == "sip:a@b;transport=tcp");
    CHECK(a->tag == "xyz");
    CHECK(a->param("FOO") == std::string{});
    CHECK_FALSE(a->param("bar"));
    auto b = parse_name_addr("sip:8802@192.168.8.13;tag=abc");  // addr-spec: ;tag is a header param
    REQUIRE(b);
    CHECK(b->uri == "sip:8802@192.168.8.13");
    CHECK(b->tag == "abc");
    auto c = parse_name_addr("Bob Smith <sip:bob@x>");
    REQUIRE(c);
    CHECK(c->display_name == "Bob Smith");
    CHECK_FALSE(parse_name_addr(""));
    CHECK_FALSE(parse_name_addr("<sip:a@b"));
    CHECK_FALSE(parse_name_addr("<>"));
    CHECK_FALSE(parse_name_addr("\"only name\""));
}

TEST_CASE("Contact: * gives no contacts and no warning") {
    const auto m = parse_ok("REGISTER sip:r SIP/2.0\r\nContact: *\r\nExpires: 0\r\n\r\n");
    CHECK(m.contacts.empty());
    CHECK(m.anomalies.empty());
}

TEST_CASE("CSeq and transaction method") {
    const auto m = parse_ok("SIP/2.0 200 OK\r\nCSeq: 4711 INVITE\r\n\r\n");
    REQUIRE(m.cseq);
    CHECK(m.cseq->number == 4711u);
    CHECK(m.cseq->method == "INVITE");
    CHECK(m.transaction_method() == "INVITE");
    CHECK_FALSE(parse_ok("SIP/2.0 200 OK\r\nCSeq: 99999999999 INVITE\r\n\r\n").cseq);
    CHECK_FALSE(parse_ok("SIP/2.0 200 OK\r\nCSeq: 1\r\n\r\n").cseq);
}

TEST_CASE("datagram bytes after Content-Length are dropped") {
    const std::string text = "MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 5\r\n\r\nhello, extra";
    const auto m = parse_ok(text);
    CHECK(m.body == "hello");
    CHECK(m.body_offset == text.find("hello"));
    CHECK_FALSE(m.body_truncated);
    REQUIRE(m.anomalies.size() == 1);
    CHECK(m.anomalies[0].code == AnomalyCode::sip_trailing_bytes);
    CHECK(m.anomalies[0].offset == text.find(", extra"));
}

TEST_CASE("datagram shorter than Content-Length keeps the body and flags it") {
    const std::string text = "MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 500\r\n\r\nhello";
    const auto m = parse_ok(text);
    CHECK(m.body == "hello");
    CHECK(m.body_truncated);
    REQUIRE(m.anomalies.size() == 1);
    CHECK(m.anomalies[0].code == AnomalyCode::sip_body_truncated);
    CHECK(m.anomalies[0].offset == text.size());
}

TEST_CASE("no Content-Length on a datagram: the body is the rest") {
    const auto m = parse_ok("MESSAGE sip:a@b SIP/2.0\r\nContent-Type: text/plain\r\n\r\nhello");
    CHECK(m.body == "hello");
    CHECK_FALSE(m.content_length);
    CHECK(m.media_type() == "text/plain");
}

TEST_CASE("repeated Content-Length with different values keeps the first, warns") {
    const auto m = parse_ok("MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 2\r\nl: 3\r\n\r\nabc");
    CHECK(m.content_length == 2u);
    CHECK(m.body == "ab");
    REQUIRE(m.anomalies.size() == 2);  // the conflict, and the dropped byte
    CHECK(m.anomalies[0].code == AnomalyCode::sip_repeated_header);
    CHECK(m.anomalies[1].code == AnomalyCode::sip_trailing_bytes);
}

TEST_CASE("split_header_list") {
    using V = std::vector<std::string>;
    CHECK(split_header_list("a, b ,c") == V{"a", "b", "c"});
    CHECK(split_header_list("\"x,y\" <sip:a,b>;p=1, z") == V{"\"x,y\" <sip:a,b>;p=1", "z"});
    CHECK(split_header_list("\"esc \\\" ,\" <u>") == V{"\"esc \\\" ,\" <u>"});
    CHECK(split_header_list(" , ,") == V{});
}

TEST_CASE("normalise_header_name") {
    CHECK(normalise_header_name("i") == "Call-ID");
    CHECK(normalise_header_name("I") == "Call-ID");
    CHECK(normalise_header_name("cseq") == "CSeq");
    CHECK(normalise_header_name("www-authenticate") == "WWW-Authenticate");
    CHECK(normalise_header_name("X-Foo") == "X-Foo");
    CHECK(normalise_header_name("q") == "q");  // no compact form
}

TEST_CASE("mutated messages never crash the parser, detector or framer") {
    const std::string base =
        "INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP [::1]:5060;branch=z;rport\r\nFrom: \"A\" <sip:a@b>;tag=1\r\n"
        "To: b <sip:b@c>\r\nCSeq: 1 INVITE\r\nContact: <sip:x>, *\r\nContent-Type: multipart/mixed;boundary=q\r\n"
        "Content-Length: 40\r\n\r\n--q\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n--q--";
    const std::string alphabet = "\r\n \t:;,<>\"\\=/[]@*0aZ";
    zaudit::test::for_each_mutation(base, alphabet, 12345, 3000, [](const std::string& text) {
        (void)looks_like_sip(zaudit::util::as_bytes(text));
        auto r = parse_message(text);
        if (r.ok()) {
            (void)r->header_values("Contact");
        }
    });
    SUCCEED();
}

TEST_CASE("methods: the ones zaudit reasons about are enum values, case-sensitive, the rest other") {
    const auto invite = parse_ok("INVITE sip:a@b SIP/2.0\r\nCSeq: 7 INVITE\r\n\r\n");
    CHECK(invite.method_kind == Method::invite);
    CHECK(invite.transaction_method_kind() == Method::invite);
    const auto ok = parse_ok("SIP/2.0 200 OK\r\nCSeq: 8 BYE\r\n\r\n");
    CHECK(ok.method_kind == Method::other);  // a response has no method of its own
    CHECK(ok.transaction_method_kind() == Method::bye);
    CHECK(parse_ok("REGISTER sip:b SIP/2.0\r\n\r\n").method_kind == Method::other);
    CHECK(parse_ok("REGISTER sip:b SIP/2.0\r\n\r\n").method == "REGISTER");  // wire text kept
    CHECK(method_from_text("invite") == Method::other);                      // RFC 3261 7.1: methods are case-sensitive
}

TEST_CASE("method names: one distinct name per value, and back") {
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < static_cast<std::size_t>(Method::count_); ++i) {
        const auto method = static_cast<Method>(i);
        CHECK(names.insert(to_string(method)).second);
        CHECK(method_from_text(to_string(method)) == method);
    }
    CHECK(to_string(Method::invite) == "INVITE");
    CHECK(to_string(Method::ack) == "ACK");
    CHECK(to_string(Method::prack) == "PRACK");
}

TEST_CASE("uri_ip_address: where a Contact points, when it is an address") {
    const auto ip = [](const char* text) { return zaudit::util::IpAddress::parse(text); };
    CHECK(uri_ip_address("sip:10.78.2.1;transport=udp") == ip("10.78.2.1"));
    CHECK(uri_ip_address("sip:alice@192.0.2.10:5062") == ip("192.0.2.10"));
    CHECK(uri_ip_address("SIPS:bob@[2001:db8::7]:5061;transport=tls") == ip("2001:db8::7"));
    CHECK(uri_ip_address("sip:user:secret@198.51.100.20") == ip("198.51.100.20"));
    CHECK(uri_ip_address("sip:alice@example.com") == std::nullopt);
    CHECK(uri_ip_address("tel:+15551234") == std::nullopt);
    CHECK(uri_ip_address("sip:[2001:db8::7") == std::nullopt);
    CHECK(uri_ip_address("") == std::nullopt);
}
