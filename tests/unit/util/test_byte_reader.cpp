#include <catch2/catch.hpp>

#include <array>

#include "zaudit/util/byte_reader.hpp"
#include "zaudit/util/hex.hpp"

using zaudit::util::ByteReader;

TEST_CASE("byte reader reads big-endian fields in order") {
    const std::array<std::uint8_t, 9> data{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09};
    ByteReader r{data};
    CHECK(r.u8() == 0x01);
    CHECK(r.u16be() == 0x0203);
    CHECK(r.u32be() == 0x04050607);
    CHECK(r.remaining() == 2);
    CHECK(r.ok());
}

TEST_CASE("byte reader fails sticky at the first overrun and never reads past the end") {
    const std::array<std::uint8_t, 3> data{0xaa, 0xbb, 0xcc};
    ByteReader r{data};
    CHECK(r.u16be() == 0xaabb);
    CHECK(r.u16be() == 0);  // only one byte left
    CHECK_FALSE(r.ok());
    CHECK(r.failed_at() == 2);
    CHECK(r.u8() == 0);  // stays failed, although one byte is there
    CHECK(r.bytes(1).empty());
    CHECK(r.remaining() == 0);
}

TEST_CASE("byte reader refuses hostile lengths without wrapping") {
    const std::array<std::uint8_t, 4> data{1, 2, 3, 4};
    ByteReader r{data};
    r.skip(2);
    CHECK(r.bytes(static_cast<std::size_t>(-1)).empty());
    CHECK_FALSE(r.ok());
}

TEST_CASE("little-endian reads for ZRTP's CRC") {
    const std::array<std::uint8_t, 4> data{0x78, 0x56, 0x34, 0x12};
    ByteReader r{data};
    CHECK(r.u32le() == 0x12345678);
}

TEST_CASE("hex and base64 round trips") {
    using namespace zaudit::util;
    const auto bytes = from_hex("de:ad be\nef");
    REQUIRE(bytes);
    CHECK(to_hex(*bytes) == "deadbeef");
    CHECK_FALSE(from_hex("abc"));
    CHECK_FALSE(from_hex("zz"));
    // RFC 4648 section 10 test vectors
    CHECK(to_base64(as_bytes("foobar")) == "Zm9vYmFy");
    CHECK(to_base64(as_bytes("fo")) == "Zm8=");
    const auto decoded = from_base64("Zm9vYg==");
    REQUIRE(decoded);
    CHECK(as_text(*decoded) == "foob");
    CHECK_FALSE(from_base64("Zm9v!"));
    // SDP keys and Basic tokens may come without padding; what is not base64 is refused.
    CHECK(as_text(*from_base64("Zm9vYg")) == "foob");
    CHECK(as_text(*from_base64("Zm9vYmE")) == "fooba");
    CHECK(from_base64("")->empty());
    CHECK_FALSE(from_base64("Z"));
    CHECK_FALSE(from_base64("Zm9v=Zm9v"));
    CHECK_FALSE(from_base64("Zm9vYg==="));
    CHECK_FALSE(from_base64("=="));
    CHECK_FALSE(from_base64(" Zm9v"));
    CHECK(to_base64(as_bytes("")).empty());
}
