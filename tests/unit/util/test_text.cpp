#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "zaudit/util/mix.hpp"
#include "zaudit/util/text.hpp"

using namespace zaudit::util;

TEST_CASE("trim drops SP, HTAB, CR and LF at both ends, nothing inside") {
    CHECK(trim(" \t value \r\n") == "value");
    CHECK(trim("\r\nvalue") == "value");  // a line split at a bare LF keeps no CR or LF either
    CHECK(trim("a b\tc") == "a b\tc");
    CHECK(trim("a\r\nb") == "a\r\nb");
    CHECK(trim(" \t\r\n").empty());
    CHECK(trim("").empty());
    CHECK(trim("\vx\f") == "\vx\f");  // only the four RFC 5234 line characters
}

TEST_CASE("trim_padding drops the NULs and spaces that pad a fixed-width field") {
    CHECK(trim_padding(std::string{"LINPHONE-ZRTPCPP\0\0", 18}) == "LINPHONE-ZRTPCPP");
    CHECK(trim_padding("ExamplePhone    ") == "ExamplePhone");
    CHECK(trim_padding(std::string{"\0 \0", 3}).empty());
    CHECK(trim_padding(" lead") == " lead");
}

TEST_CASE("case helpers are ASCII only") {
    CHECK(to_lower("Content-Type: Application/SDP") == "content-type: application/sdp");
    CHECK(to_upper("tcp") == "TCP");
    CHECK(to_lower("\xc3\x84") == "\xc3\x84");  // UTF-8 bytes are left alone whatever the locale
    CHECK(iequals("Via", "vIA"));
    CHECK_FALSE(iequals("Via", "Vias"));
    CHECK_FALSE(iequals("[", "{"));  // 0x5b and 0x7b differ by 0x20 but are not letters
    CHECK(iequals("", ""));
}

TEST_CASE("split_ws splits at runs of SP and HTAB") {
    const auto fields = split_ws("  1 AES_CM_128_HMAC_SHA1_80\t\tinline:x  ");
    REQUIRE(fields.size() == 3);
    CHECK(fields[0] == "1");
    CHECK(fields[1] == "AES_CM_128_HMAC_SHA1_80");
    CHECK(fields[2] == "inline:x");
    CHECK(split_ws(" \t ").empty());
}

TEST_CASE("parse_unsigned takes the whole text or nothing") {
    CHECK(parse_unsigned<unsigned>("5060") == 5060u);
    CHECK(parse_unsigned<std::uint16_t>("65535") == 65535);
    CHECK_FALSE(parse_unsigned<std::uint16_t>("65536"));  // overflow
    CHECK_FALSE(parse_unsigned<unsigned>("+1"));
    CHECK_FALSE(parse_unsigned<unsigned>(" 1"));
    CHECK_FALSE(parse_unsigned<unsigned>("1 "));
    CHECK_FALSE(parse_unsigned<unsigned>("1a"));
    CHECK_FALSE(parse_unsigned<unsigned>(""));
}

TEST_CASE("fmix64 is MurmurHash3's finaliser") {
    // fmix64(1) recomputed in Python from the steps of MurmurHash3.cpp (Austin Appleby).
    CHECK(fmix64(0) == 0);
    CHECK(fmix64(1) == 0xb456bcfc34c2cb2cULL);
    STATIC_REQUIRE(fmix64(1) != fmix64(2));
    CHECK(k_fnv1a_offset == 0xcbf29ce484222325ULL);
}
