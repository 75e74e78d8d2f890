#include <catch2/catch.hpp>

#include <vector>

#include "zaudit/rtp/rtp_header.hpp"
#include "zaudit/util/hex.hpp"

using zaudit::rtp::looks_like_rtp;
using zaudit::rtp::parse_rtp;
using zaudit::rtp::parse_rtp_detailed;
using zaudit::util::AnomalyCode;

namespace {

std::vector<std::uint8_t> hex(std::string_view text) {
    auto bytes = zaudit::util::from_hex(text);
    REQUIRE(bytes);
    return *bytes;
}

// Every header field set, checked against tshark 4.0's decoding of the same bytes (text2pcap -u):
// P=1 X=1 CC=2 M=1 PT=96 seq 4660 ts 3735928559 SSRC 0x11223344, CSRCs 0xAAAAAAAA 0xBBBBBBBB,
// extension profile 0xBEDE length 1, payload 0102030405, padding count 3.
constexpr std::string_view k_full_header =
    "b2e01234 deadbeef 11223344 aaaaaaaa bbbbbbbb bede0001 10ff0000 0102030405 000003";

}  // namespace

TEST_CASE("rtp header: real PCMU packet from sip-rtp-g711.pcap frame 6") {
    // tshark: SSRC 0x343da99b, seq 37595, PT 0, marker 1, timestamp 160, UDP length 180.
    const auto packet =
        hex("808092db000000a0343da99bffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7fffff7fff7f7fffff"
            "7f7fff7ffffffffffffffffffffffffffffffffffefffffe7efd7dfd7e75fc7375fe717b7e7afcfdf9fbfbf6fff9f87cfafd7dfcff"
            "7efefefe7efd7e7dfe7c7c7d7a7b7b7c7d7ffdfbf8f5f4f1f0f1f0f2f5f7fbff7a76716e6d6b6b6b6b6c6e70757cf9f2ebe8e3dfde"
            "dbe3dfe47ef46f62665e5e5f60");
    REQUIRE(packet.size() == 172);
    const auto h = parse_rtp(packet);
    REQUIRE(h);
    CHECK(h->version == 2);
    CHECK(h->ssrc == 0x343da99bU);
    CHECK(h->sequence == 37595);
    CHECK(h->payload_type == 0);
    CHECK(h->marker);
    CHECK(h->timestamp == 160);
    CHECK_FALSE(h->padding);
    CHECK_FALSE(h->extension);
    CHECK(h->csrc_count == 0);
    CHECK(h->payload_offset == 12);
    CHECK(h->payload_size == 160);
    CHECK_FALSE(h->anomaly);
    CHECK(looks_like_rtp(packet));
}

TEST_CASE("rtp header: real PCMA packets from rtp-protocol.pcap frames 8 and 70") {
    // Frame 8, tshark: SSRC 0x44c61afb seq 26691 PT 8 marker 0 timestamp 849413436.
    const auto frame8 = hex("8008684332a1053c44c61afbd7d7d4d4d7d4d5d5");
    const auto h8 = parse_rtp(frame8);
    REQUIRE(h8);
    CHECK(h8->ssrc == 0x44c61afbU);
    CHECK(h8->sequence == 26691);
    CHECK(h8->payload_type == 8);
    CHECK_FALSE(h8->marker);
    CHECK(h8->timestamp == 849413436U);
    // Frame 70, tshark: SSRC 0x06c156fd seq 59070 PT 8 marker 1 timestamp 1324857487.
    const auto frame70 = hex("8088e6be4ef7b88f06c156fdd4d4d4d4d4d5d5d4");
    const auto h70 = parse_rtp(frame70);
    REQUIRE(h70);
    CHECK(h70->ssrc == 0x06c156fdU);
    CHECK(h70->sequence == 59070);
    CHECK(h70->payload_type == 8);
    CHECK(h70->marker);
    CHECK(h70->timestamp == 1324857487U);
}

TEST_CASE("rtp header: CSRC list, one-byte extension and padding as tshark decodes them") {
    const auto packet = hex(k_full_header);
    const auto h = parse_rtp(packet);
    REQUIRE(h);
    CHECK(h->padding);
    CHECK(h->extension);
    CHECK(h->marker);
    CHECK(h->payload_type == 96);
    CHECK(h->sequence == 4660);
    CHECK(h->timestamp == 3735928559U);
    CHECK(h->ssrc == 0x11223344U);
    REQUIRE(h->csrc_count == 2);
    CHECK(h->csrc(packet, 0) == 0xaaaaaaaaU);
    CHECK(h->csrc(packet, 1) == 0xbbbbbbbbU);
    CHECK(h->csrc(packet, 2) == 0);  // out of range: no read past the list
    CHECK(h->extension_profile == 0xbede);
    CHECK(h->extension_words == 1);
    CHECK(h->extension_offset == 24);
    CHECK(h->payload_offset == 28);
    CHECK(h->padding_size == 3);
    CHECK(h->payload_size == 5);
    const auto payload = h->payload(packet);
    CHECK(std::vector<std::uint8_t>(payload.begin(), payload.end()) == std::vector<std::uint8_t>{1, 2, 3, 4, 5});
}

TEST_CASE("rtp header: zero-length extension and empty payload are fine") {
    const auto h = parse_rtp(hex("90000001 00000002 00000003 10000000"));
    REQUIRE(h);
    CHECK(h->extension_profile == 0x1000);  // RFC 8285 two-byte form
    CHECK(h->extension_words == 0);
    CHECK(h->payload_offset == 16);
    CHECK(h->payload_size == 0);
}

TEST_CASE("rtp header: truncated fixed header") {
    const auto result = parse_rtp_detailed(hex("8000000100000002000000"));  // 11 bytes
    CHECK_FALSE(result.header);
    REQUIRE(result.error);
    CHECK(result.error->code == AnomalyCode::rtp_truncated_header);
    CHECK_FALSE(parse_rtp(std::vector<std::uint8_t>{}));
}

TEST_CASE("rtp header: version other than 2") {
    for (const std::string_view packet :
         {"0000000100000002000000030000", "4000000100000002000000030000", "c000000100000002000000030000"}) {
        const auto result = parse_rtp_detailed(hex(packet));
        CHECK_FALSE(result.header);
        REQUIRE(result.error);
        CHECK(result.error->code == AnomalyCode::rtp_bad_version);
    }
}

TEST_CASE("rtp header: hostile CSRC count") {
    // CC=15 announces 60 bytes of CSRCs; only 4 follow.
    const auto result = parse_rtp_detailed(hex("8f000001 00000002 00000003 aaaaaaaa"));
    CHECK_FALSE(result.header);
    REQUIRE(result.error);
    CHECK(result.error->code == AnomalyCode::rtp_truncated_csrc);
    CHECK(result.error->offset == 12);
}

TEST_CASE("rtp header: extension header cut short") {
    const auto result = parse_rtp_detailed(hex("90000001 00000002 00000003 bede"));
    CHECK_FALSE(result.header);
    REQUIRE(result.error);
    CHECK(result.error->code == AnomalyCode::rtp_truncated_extension);
    CHECK(result.error->offset == 14);  // the profile fits, the length field does not
}

TEST_CASE("rtp header: hostile extension length") {
    // length 0xffff words = 262140 bytes announced, 4 present.
    const auto result = parse_rtp_detailed(hex("90000001 00000002 00000003 bedeffff 11223344"));
    CHECK_FALSE(result.header);
    REQUIRE(result.error);
    CHECK(result.error->code == AnomalyCode::rtp_truncated_extension);
    CHECK(result.error->offset == 16);
}

TEST_CASE("rtp header: padding count larger than the payload is flagged, not fatal") {
    const auto h = parse_rtp(hex("a0000001 00000002 00000003 0102 09"));
    REQUIRE(h);
    CHECK(h->anomaly == AnomalyCode::rtp_bad_padding);
    CHECK(h->padding_size == 0);
    CHECK(h->payload_size == 3);
    CHECK_FALSE(looks_like_rtp(hex("a0000001 00000002 00000003 0102 09")));
}

TEST_CASE("rtp header: padding count of zero is flagged") {
    const auto h = parse_rtp(hex("a0000001 00000002 00000003 0102 00"));
    REQUIRE(h);
    CHECK(h->anomaly == AnomalyCode::rtp_bad_padding);
}

TEST_CASE("rtp header: padding with no payload at all") {
    // Header only, P set: the padding count byte would be the SSRC's last byte; there is no
    // payload to hold it, so it is not sane.
    const auto h = parse_rtp(hex("a0000001 00000002 00000003"));
    REQUIRE(h);
    CHECK(h->anomaly == AnomalyCode::rtp_bad_padding);
    CHECK(h->payload_size == 0);
}

TEST_CASE("rtp heuristic: RTCP sender report is not RTP") {
    // rtp-protocol.pcap frame 9 (SR + SDES): byte 1 is 200, i.e. marker + PT 72.
    const auto rtcp = hex("80c8000644c61afb001cd3b3da1cab0c32a1053c00000001000000a081ca000344c61afb0103633000000000");
    CHECK(parse_rtp(rtcp));             // it parses as a header...
    CHECK_FALSE(looks_like_rtp(rtcp));  // ...but PT 72 is RTCP's range
}

TEST_CASE("rtp heuristic: unassigned payload types and non-RTP bytes are rejected") {
    CHECK_FALSE(looks_like_rtp(hex("80230001 00000002 00000003 00")));    // PT 35
    CHECK(looks_like_rtp(hex("807f0001 00000002 00000003 00")));          // PT 127
    CHECK_FALSE(looks_like_rtp(hex("494e5649 54452073 69703a62 6f62")));  // "INVITE sip:bob"
    CHECK_FALSE(looks_like_rtp(hex("10000001 00000002 00000003 00")));    // ZRTP-range first byte
}
