#include <catch2/catch.hpp>

#include <string_view>
#include <vector>

#include "zaudit/iax2/frame.hpp"
#include "zaudit/util/hex.hpp"

using zaudit::iax2::FrameShape;
using zaudit::iax2::parse;
using zaudit::iax2::parse_ies;
using zaudit::util::Anomaly;
using zaudit::util::AnomalyCode;

namespace {

std::vector<std::uint8_t> hex(std::string_view text) {
    auto bytes = zaudit::util::from_hex(text);
    REQUIRE(bytes);
    return *bytes;
}

// A NEW from call number 0x1234 (RFC 5456 section 8.1.1): timestamp 3, OSeqno 0, ISeqno 0,
// type 6 (IAX), subclass 1 (NEW); elements VERSION=2, CALLED NUMBER "200", CALLING NUMBER
// "100", USERNAME "alice", FORMAT=4 (ulaw), ENCRYPTION=1 (AES-128).
constexpr std::string_view k_new =
    "9234 0000 00000003 00 00 06 01"
    "0b020002 0103323030 0203313030 0605616c696365 090400000004 26020001";

}  // namespace

TEST_CASE("iax2 frame: a NEW reads as a plain full frame with its elements") {
    const auto bytes = hex(k_new);
    std::vector<Anomaly> anomalies;
    const auto frame = parse(bytes, anomalies);
    REQUIRE(frame);
    CHECK(anomalies.empty());
    CHECK(frame->shape == FrameShape::full);
    CHECK(frame->plain);
    CHECK(frame->source_call == 0x1234);
    CHECK(frame->destination_call == 0);
    CHECK_FALSE(frame->retransmitted);
    CHECK(frame->timestamp == 3);
    CHECK(frame->type == 6);
    CHECK(frame->subclass == 1);
    const auto ies = parse_ies(frame->data, anomalies);
    CHECK(anomalies.empty());
    CHECK(ies.count == 6);
    CHECK(ies.called_number == "200");
    CHECK(ies.calling_number == "100");
    CHECK(ies.username == "alice");
    CHECK(ies.format == 4U);
    CHECK(ies.encryption == std::uint16_t{1});
    CHECK(zaudit::iax2::codec_name(*ies.format) == "ulaw");
}

TEST_CASE("iax2 frame: a voice full frame with the C bit and a mini frame") {
    std::vector<Anomaly> anomalies;
    // Subclass 0x8c: C set, 2^12 = G.722; destination call 0x0042 with R set.
    const auto voice = hex("8001 8042 00000064 05 03 02 8c aabbcc");
    const auto full = parse(voice, anomalies);
    REQUIRE(full);
    CHECK(full->plain);
    CHECK(full->retransmitted);
    CHECK(full->destination_call == 0x42);
    CHECK(full->subclass == 0x1000U);
    CHECK(zaudit::iax2::codec_name(full->subclass) == "g722");
    CHECK(full->data.size() == 3);
    const auto mini_bytes = hex("0001 0078 ffeeddcc");
    const auto mini = parse(mini_bytes, anomalies);
    REQUIRE(mini);
    CHECK(mini->shape == FrameShape::mini);
    CHECK(mini->source_call == 1);
    CHECK(mini->timestamp == 0x78);
    CHECK(mini->data.size() == 4);
    CHECK(anomalies.empty());
}

TEST_CASE("iax2 frame: a meta frame is named, not read") {
    std::vector<Anomaly> anomalies;
    const auto meta_bytes = hex("0000 0100 00000000");
    const auto meta = parse(meta_bytes, anomalies);
    REQUIRE(meta);
    CHECK(meta->shape == FrameShape::meta);
    CHECK_FALSE(meta->plain);
}

TEST_CASE("iax2 frame: ciphertext after the call numbers does not read as plain") {
    std::vector<Anomaly> anomalies;
    // Type byte 0xd7 (no frame type), then random-looking bytes: what an encrypted frame shows.
    const auto bytes = hex("9234 0567 8f3a91c2 4e 11 d7 9a 0123456789abcdef0123456789abcdef0123456789ab");
    const auto frame = parse(bytes, anomalies);
    REQUIRE(frame);
    CHECK_FALSE(frame->plain);
    CHECK(frame->source_call == 0x1234);
    CHECK(frame->destination_call == 0x0567);
    CHECK(frame->after_call_numbers.size() == bytes.size() - 4);
    CHECK(anomalies.empty());
    // An IAX frame whose elements do not end where the frame ends is not plain either.
    const auto broken_ies = hex("9234 0567 00000003 00 00 06 07 0904000000");
    const auto frame2 = parse(broken_ies, anomalies);
    REQUIRE(frame2);
    CHECK_FALSE(frame2->plain);
    // Nor is a voice frame whose subclass names two codecs, or a C bit with an exponent above 31.
    const auto two_codecs = hex("9234 0567 00000003 00 00 02 0c 00");
    CHECK_FALSE(parse(two_codecs, anomalies)->plain);
    const auto big_exponent = hex("9234 0567 00000003 00 00 02 ff 00");
    CHECK_FALSE(parse(big_exponent, anomalies)->plain);
}

TEST_CASE("iax2 frame: hostile lengths") {
    std::vector<Anomaly> anomalies;
    SECTION("too short for a mini frame") {
        const auto bytes = hex("0001 00");
        CHECK_FALSE(parse(bytes, anomalies));
        REQUIRE(anomalies.size() == 1);
        CHECK(anomalies[0].code == AnomalyCode::iax2_truncated);
    }
    SECTION("a full frame cut inside its header") {
        const auto bytes = hex("9234 0000 000000");
        CHECK_FALSE(parse(bytes, anomalies));
        REQUIRE(anomalies.size() == 1);
        CHECK(anomalies[0].code == AnomalyCode::iax2_truncated);
    }
    SECTION("empty") {
        CHECK_FALSE(parse({}, anomalies));
        CHECK(anomalies.size() == 1);
    }
    SECTION("an element whose length runs past the frame") {
        const auto data = hex("0103323030 06ff616c");
        const auto ies = parse_ies(data, anomalies, 12);
        CHECK(ies.called_number == "200");
        CHECK_FALSE(ies.username);
        REQUIRE(anomalies.size() == 1);
        CHECK(anomalies[0].code == AnomalyCode::iax2_ie_overrun);
        CHECK(anomalies[0].offset == 17);
    }
    SECTION("a lone element type byte") {
        const auto data = hex("01");
        (void)parse_ies(data, anomalies);
        REQUIRE(anomalies.size() == 1);
        CHECK(anomalies[0].code == AnomalyCode::iax2_ie_overrun);
    }
    SECTION("fixed-size elements of another size") {
        const auto fixed = hex("0902000426030000 01");
        const auto ies = parse_ies(fixed, anomalies);
        CHECK_FALSE(ies.format);
        CHECK_FALSE(ies.encryption);
        REQUIRE(anomalies.size() == 2);
        CHECK(anomalies[0].code == AnomalyCode::iax2_ie_bad_size);
        CHECK(anomalies[1].code == AnomalyCode::iax2_ie_bad_size);
    }
}

TEST_CASE("iax2 frame: looks_like_iax2 wants a frame's minimum size") {
    CHECK_FALSE(zaudit::iax2::looks_like_iax2(hex("0001 00")));
    CHECK(zaudit::iax2::looks_like_iax2(hex("0001 0000")));
    CHECK_FALSE(zaudit::iax2::looks_like_iax2(hex("8001 0000 0000")));
    CHECK(zaudit::iax2::looks_like_iax2(hex(k_new)));
}
