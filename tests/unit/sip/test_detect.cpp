#include <catch2/catch.hpp>

#include <vector>

#include "zaudit/sip/message.hpp"

using namespace zaudit::sip;
using zaudit::util::as_bytes;

TEST_CASE("looks_like_sip accepts request and status lines") {
    CHECK(looks_like_sip(as_bytes("INVITE sip:bob@biloxi.com SIP/2.0\r\n")));
    CHECK(looks_like_sip(as_bytes("OPTIONS sips:a@b:5061;transport=tls SIP/2.0\r\nVia: x\r\n")));
    CHECK(looks_like_sip(as_bytes("SIP/2.0 180 Ringing\r\n")));
    CHECK(looks_like_sip(as_bytes("SIP/2.0 200 OK\n")));
    CHECK(looks_like_sip(as_bytes("sip/2.0 200 OK\r\n")) == false);  // first byte lower-case
    CHECK(looks_like_sip(as_bytes("NOTIFY sip:a@b sip/2.0\r\n")));   // the version is case-insensitive
}

TEST_CASE("looks_like_sip rejects other payloads") {
    CHECK_FALSE(looks_like_sip(as_bytes("\r\n\r\n")));  // keep-alive
    CHECK_FALSE(looks_like_sip(as_bytes("")));
    CHECK_FALSE(looks_like_sip(as_bytes("INVITE sip:a@b SIP/2.0")));  // no line end
    CHECK_FALSE(looks_like_sip(as_bytes("INVITE sip:a@b SIP/3.0\r\n")));
    CHECK_FALSE(looks_like_sip(as_bytes("GET / HTTP/1.1\r\nHost: x\r\n")));
    CHECK_FALSE(looks_like_sip(as_bytes("SIP/2.0 20O OK\r\n")));
    CHECK_FALSE(looks_like_sip(as_bytes("SIP/2.0 2000 OK\r\n")));
    CHECK_FALSE(looks_like_sip(as_bytes("INVITE  SIP/2.0\r\n")));  // empty URI
    const std::vector<std::uint8_t> rtp{0x80, 0x00, 0x12, 0x34, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0xff};
    CHECK_FALSE(looks_like_sip(rtp));
    const std::vector<std::uint8_t> zrtp{0x10, 0x00, 0x00, 0x01, 'Z', 'R', 'T', 'P', 0, 0, 0, 0, 0x50, 0x5a};
    CHECK_FALSE(looks_like_sip(zrtp));
    const std::string long_uri = "INVITE sip:" + std::string(5000, 'a') + " SIP/2.0\r\n";
    CHECK_FALSE(looks_like_sip(as_bytes(long_uri)));
}

TEST_CASE("is_keepalive") {
    CHECK(is_keepalive(as_bytes("\r\n\r\n")));
    CHECK(is_keepalive(as_bytes("\r\n")));
    CHECK_FALSE(is_keepalive(as_bytes("")));
    CHECK_FALSE(is_keepalive(as_bytes("\r\nX")));
}

TEST_CASE("looks_like_tls_record") {
    // A ClientHello record header: handshake(22), TLS 1.0 record version, length 0x0200.
    const std::vector<std::uint8_t> hello{0x16, 0x03, 0x01, 0x02, 0x00, 0x01};
    CHECK(looks_like_tls_record(hello));
    const std::vector<std::uint8_t> app{0x17, 0x03, 0x03, 0x00, 0x20};
    CHECK(looks_like_tls_record(app));
    CHECK_FALSE(looks_like_tls_record(std::vector<std::uint8_t>{0x16, 0x03, 0x01, 0x00}));        // truncated
    CHECK_FALSE(looks_like_tls_record(std::vector<std::uint8_t>{0x18, 0x03, 0x01, 0x00, 0x10}));  // type 24
    CHECK_FALSE(looks_like_tls_record(std::vector<std::uint8_t>{0x16, 0xfe, 0xfd, 0x00, 0x10}));  // DTLS version
    CHECK_FALSE(looks_like_tls_record(std::vector<std::uint8_t>{0x16, 0x03, 0x05, 0x00, 0x10}));
    CHECK_FALSE(looks_like_tls_record(std::vector<std::uint8_t>{0x16, 0x03, 0x03, 0xff, 0xff}));  // too long
    CHECK_FALSE(looks_like_tls_record(as_bytes("INVITE")));
}
