// G.711 against the values of ITU-T G.711's tables (as sox and Wireshark decode them), and the
// codec names of a=rtpmap.
#include <catch2/catch.hpp>

#include <array>
#include <vector>

#include "zaudit/audio/codec.hpp"

using namespace zaudit;

TEST_CASE("codec: G.711 mu-law bytes decode to the table's linear values") {
    CHECK(audio::decode_ulaw(0xFF) == 0);  // positive zero
    CHECK(audio::decode_ulaw(0x7F) == 0);  // negative zero
    CHECK(audio::decode_ulaw(0x80) == 32124);
    CHECK(audio::decode_ulaw(0x00) == -32124);
    CHECK(audio::decode_ulaw(0xFE) == 8);
    CHECK(audio::decode_ulaw(0x7E) == -8);
    CHECK(audio::decode_ulaw(0xF0) == 120);
    CHECK(audio::decode_ulaw(0xEF) == 132);
    CHECK(audio::decode_ulaw(0x9F) == 8316);
}

TEST_CASE("codec: G.711 A-law bytes decode to the table's linear values") {
    CHECK(audio::decode_alaw(0xD5) == 8);
    CHECK(audio::decode_alaw(0x55) == -8);
    CHECK(audio::decode_alaw(0xAA) == 32256);
    CHECK(audio::decode_alaw(0x2A) == -32256);
    CHECK(audio::decode_alaw(0xD4) == 24);
    CHECK(audio::decode_alaw(0xC5) == 264);
    CHECK(audio::decode_alaw(0xFA) == 1008);
}

TEST_CASE("codec: G.711 decoding is odd-symmetric and monotonic over each sign") {
    for (unsigned b = 0; b < 128; ++b) {
        CHECK(audio::decode_ulaw(static_cast<std::uint8_t>(b)) ==
              -audio::decode_ulaw(static_cast<std::uint8_t>(b | 0x80U)));
        CHECK(audio::decode_alaw(static_cast<std::uint8_t>(b)) ==
              -audio::decode_alaw(static_cast<std::uint8_t>(b | 0x80U)));
    }
    // mu-law: 0x80..0xFF run from the largest positive value down to zero.
    for (unsigned b = 0x80; b < 0xFF; ++b) {
        CHECK(audio::decode_ulaw(static_cast<std::uint8_t>(b)) > audio::decode_ulaw(static_cast<std::uint8_t>(b + 1)));
    }
}

TEST_CASE("codec: a=rtpmap names map to the codecs zaudit decodes, case-insensitively") {
    CHECK(audio::codec_named("PCMU") == audio::Codec::pcmu);
    CHECK(audio::codec_named("pcma") == audio::Codec::pcma);
    CHECK(audio::codec_named("G722") == audio::Codec::g722);
    CHECK(audio::codec_named("OPUS") == audio::Codec::opus);
    CHECK_FALSE(audio::codec_named("telephone-event"));
    CHECK_FALSE(audio::codec_named("PCM"));
    CHECK(audio::sample_rate(audio::Codec::g722) == 16000);
    CHECK(audio::sample_rate(audio::Codec::opus) == 48000);
}

TEST_CASE("codec: decoders turn payloads into samples at their rates and refuse garbage") {
    std::vector<std::int16_t> out;
    auto pcmu = audio::Decoder::create(audio::Codec::pcmu);
    REQUIRE(pcmu);
    const std::array<std::uint8_t, 160> silence_ulaw = [] {
        std::array<std::uint8_t, 160> a{};
        a.fill(0xFF);
        return a;
    }();
    CHECK(pcmu->decode(silence_ulaw, out));
    CHECK(out.size() == 160);
    out.clear();
    auto g722 = audio::Decoder::create(audio::Codec::g722);
    REQUIRE(g722);
    CHECK(g722->decode(silence_ulaw, out));
    CHECK(out.size() == 320);  // 20 ms at 16 kHz
    out.clear();
    auto opus = audio::Decoder::create(audio::Codec::opus);
    REQUIRE(opus);
    // TOC byte 0xF8: CELT-only fullband 20 ms, one frame; a lone TOC byte is a valid "lost" frame.
    const std::array<std::uint8_t, 1> toc_only{0xF8};
    CHECK(opus->decode(toc_only, out));
    CHECK(out.size() == 960);  // 20 ms at 48 kHz
    out.clear();
    // Code 3 (arbitrary frame count) with no count byte: RFC 6716 section 3.2.5 says malformed.
    const std::array<std::uint8_t, 1> truncated{0x03};
    CHECK_FALSE(opus->decode(truncated, out));
    CHECK(out.empty());
    CHECK_FALSE(pcmu->decode({}, out));
}
