#include <catch2/catch.hpp>

#include <vector>

#include "zaudit/rtp/rtcp.hpp"
#include "zaudit/util/hex.hpp"

using namespace zaudit::rtp;
using zaudit::util::AnomalyCode;

namespace {

std::vector<std::uint8_t> hex(std::string_view text) {
    auto bytes = zaudit::util::from_hex(text);
    REQUIRE(bytes);
    return *bytes;
}

// rtp-protocol.pcap frame 9. tshark: SR (RC 0, length 6, sender SSRC 0x44c61afb) then
// SDES (SC 1, length 3, CNAME "c").
constexpr std::string_view k_sr_sdes =
    "80c8000644c61afb001cd3b3da1cab0c32a1053c00000001000000a0 81ca000344c61afb0103633000000000";
// sip-over-tcp.pcap frame 17. tshark: SR with one report block (RC 1, length 12, sender SSRC
// 0x5a3361b3) then SDES.
constexpr std::string_view k_sr_with_block =
    "81c8000c5a3361b30026481d99580fb105b6fe8600000001000000a042f433d4000000000000d444000000000925306200000418"
    "81ca00035a3361b30103633000000000";

}  // namespace

TEST_CASE("rtcp: RFC 5761 demultiplexing by the second byte") {
    CHECK(is_rtcp(hex(k_sr_sdes)));
    CHECK(is_rtcp(hex("80c00000 00000000")));               // 192, the bottom of the range
    CHECK(is_rtcp(hex("80df0000 00000000")));               // 223, the top
    CHECK_FALSE(is_rtcp(hex("80bf0000 00000000")));         // 191: RTP PT 63 with marker
    CHECK_FALSE(is_rtcp(hex("80e00000 00000000")));         // 224: RTP PT 96 with marker
    CHECK_FALSE(is_rtcp(hex("8008684332a1053c44c61afb")));  // rtp-protocol.pcap frame 8 (RTP PCMA)
    CHECK_FALSE(is_rtcp(hex("00c80001 00000000")));         // version 0
    CHECK_FALSE(is_rtcp(hex("80c90001")));                  // shorter than an empty RR
}

TEST_CASE("rtcp: real SR + SDES compound from rtp-protocol.pcap") {
    const RtcpCompound c = parse_rtcp_compound(hex(k_sr_sdes));
    CHECK_FALSE(c.anomaly);
    REQUIRE(c.packet_count == 2);
    CHECK(c.types[0] == rtcp_type::sr);
    CHECK(c.types[1] == rtcp_type::sdes);
    CHECK(c.has_type(rtcp_type::sdes));
    CHECK_FALSE(c.has_type(rtcp_type::bye));
    CHECK(c.sender_ssrc == 0x44c61afbU);
    CHECK(c.first_count == 0);
    CHECK(c.walked_bytes == 44);
    CHECK(c.trailing_bytes == 0);
    CHECK_FALSE(c.srtcp_indicated());
}

TEST_CASE("rtcp: real SR with a report block from sip-over-tcp.pcap") {
    const RtcpCompound c = parse_rtcp_compound(hex(k_sr_with_block));
    CHECK_FALSE(c.anomaly);
    REQUIRE(c.packet_count == 2);
    CHECK(c.types[0] == rtcp_type::sr);
    CHECK(c.first_count == 1);
    CHECK(c.sender_ssrc == 0x5a3361b3U);
}

TEST_CASE("rtcp: RR, BYE and APP in one compound") {
    const RtcpCompound c =
        parse_rtcp_compound(hex("80c90001 01020304"              // RR, no blocks
                                "81cb0001 01020304"              // BYE one SSRC
                                "80cc0002 01020304 6e616d65"));  // APP "name"
    CHECK_FALSE(c.anomaly);
    REQUIRE(c.packet_count == 3);
    CHECK(c.types[0] == rtcp_type::rr);
    CHECK(c.types[1] == rtcp_type::bye);
    CHECK(c.types[2] == rtcp_type::app);
    CHECK(c.sender_ssrc == 0x01020304U);
}

TEST_CASE("rtcp: truncated first header") {
    const RtcpCompound c = parse_rtcp_compound(hex("80c80006 44c6"));
    REQUIRE(c.anomaly);
    CHECK(c.anomaly->code == AnomalyCode::rtcp_truncated_header);
    CHECK(c.packet_count == 0);
}

TEST_CASE("rtcp: first packet with a bad version") {
    const RtcpCompound c = parse_rtcp_compound(hex("40c80001 44c61afb"));
    REQUIRE(c.anomaly);
    CHECK(c.anomaly->code == AnomalyCode::rtcp_bad_version);
    CHECK(c.packet_count == 0);
}

TEST_CASE("rtcp: hostile length in the first packet") {
    const RtcpCompound c = parse_rtcp_compound(hex("80c8ffff 44c61afb 00000000"));
    REQUIRE(c.anomaly);
    CHECK(c.anomaly->code == AnomalyCode::rtcp_length_overrun);
    CHECK(c.anomaly->offset == 0);
    CHECK(c.packet_count == 0);
}

TEST_CASE("rtcp: bare header with length 0 has no sender SSRC and no overrun") {
    const RtcpCompound c = parse_rtcp_compound(hex("80c90000 80c90001 0a0b0c0d"));
    CHECK_FALSE(c.anomaly);
    CHECK(c.packet_count == 2);
    CHECK(c.sender_ssrc == 0);
}

TEST_CASE("srtcp: encrypted compound stops the walk after the clear first header") {
    // SRTCP layout (RFC 3711 section 3.4): the SR header and SSRC in clear with length 6, then
    // ciphertext; the second "header" is random. Then E=1 index 5, then a 10-byte tag.
    const auto packet =
        hex("80c80006 44c61afb 1f2e3d4c 5b6a7988 97a6b5c4 d3e2f1a0 1b2c3d4e"  // SR, 24 bytes encrypted
            "3a1c9e77 5d20c4b1 8e0f6a35 92d7b8e1"                             // encrypted SDES
            "80000005"                                                        // E=1, index 5
            "0102030405060708090a");                                          // tag
    const RtcpCompound c = parse_rtcp_compound(packet);
    CHECK(c.packet_count == 1);
    CHECK(c.types[0] == rtcp_type::sr);
    CHECK(c.sender_ssrc == 0x44c61afbU);
    REQUIRE(c.anomaly);
    CHECK(c.anomaly->code == AnomalyCode::rtcp_trailing_bytes);
    CHECK(c.anomaly->offset == 28);
    CHECK(c.trailing_bytes == 30);
    CHECK(c.srtcp_indicated());
    const auto trailer = srtcp_trailer(packet, 10);
    REQUIRE(trailer);
    CHECK(trailer->encrypted);
    CHECK(trailer->index == 5);
}

TEST_CASE("srtcp: UNENCRYPTED_SRTCP leaves a clear compound followed by E=0 and the tag") {
    const auto packet = hex("80c90001 01020304 0000002a 0102030405060708090a");
    const RtcpCompound c = parse_rtcp_compound(packet);
    CHECK(c.packet_count == 1);
    CHECK(c.srtcp_indicated());
    CHECK(c.trailing_bytes == 14);
    const auto trailer = srtcp_trailer(packet, 10);
    REQUIRE(trailer);
    CHECK_FALSE(trailer->encrypted);
    CHECK(trailer->index == 42);
}

TEST_CASE("srtcp: AEAD trailer has no tag after the index, and too short packets have none") {
    const auto packet = hex("80c90001 01020304 00112233445566778899aabbccddeeff 80000007");
    const auto aead = srtcp_trailer(packet, 0);
    REQUIRE(aead);
    CHECK(aead->encrypted);
    CHECK(aead->index == 7);
    CHECK_FALSE(srtcp_trailer(hex("80c90001 01020304 80000001"), 10));
    CHECK_FALSE(srtcp_trailer(hex("80c9"), 0));
}
