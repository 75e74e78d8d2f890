// The payload classifier, and the user's --decode-as rules over it.
#include <catch2/catch.hpp>

#include <string_view>
#include <vector>

#include "zaudit/demux/classify.hpp"

using namespace zaudit;
using demux::PayloadKind;

namespace {

std::vector<std::uint8_t> bytes_of(std::string_view text) {
    return {text.begin(), text.end()};
}

/// 12-byte RTP header, version 2, marker clear, payload type `pt`.
std::vector<std::uint8_t> rtp_packet(std::uint8_t second_byte) {
    return {0x80, second_byte, 0, 1, 0, 0, 0, 160, 0x11, 0x22, 0x33, 0x44, 0xd5, 0xd5};
}

}  // namespace

TEST_CASE("classify tells protocols apart by their first bytes (RFC 7983)") {
    CHECK(demux::classify(rtp_packet(0)) == PayloadKind::rtp);
    CHECK(demux::classify(rtp_packet(200)) == PayloadKind::rtcp);  // an RTCP sender report
    CHECK(demux::classify(bytes_of("INVITE sip:bob@example.com SIP/2.0\r\n")) == PayloadKind::sip);
    CHECK(demux::classify(bytes_of("SIP/2.0 200 OK\r\nVia: x\r\n")) == PayloadKind::sip);
}

TEST_CASE("a SIP message after keep-alive line ends is still SIP (RFC 3261 section 7.5)") {
    CHECK(demux::classify(bytes_of("\r\n\r\nINVITE sip:bob@example.com SIP/2.0\r\n")) == PayloadKind::sip);
    CHECK(demux::classify(bytes_of("\r\n\r\n")) != PayloadKind::sip);  // a bare keep-alive
}

TEST_CASE("decode-as values are parsed or refused with the reason") {
    const auto sip = demux::parse_decode_as("udp:5080=sip");
    REQUIRE(sip);
    CHECK(sip->port == 5080);
    CHECK(sip->kind == PayloadKind::sip);
    CHECK(demux::parse_decode_as("udp:1=rtp")->kind == PayloadKind::rtp);
    CHECK(demux::parse_decode_as("udp:65535=zrtp")->kind == PayloadKind::zrtp);
    for (const char* bad : {"bogus", "tcp:5060=sip", "udp:5060", "udp:=sip", "udp:0=sip", "udp:65536=sip",
                            "udp:50x0=sip", "udp:5060=http", "udp:5060=SIP", "udp:-1=rtp"}) {
        INFO(bad);
        const auto parsed = demux::parse_decode_as(bad);
        REQUIRE_FALSE(parsed);
        CHECK_THAT(parsed.error().message, Catch::Contains(bad));
    }
}

TEST_CASE("decode-as rules override the classifier on their port, either direction") {
    const std::vector<demux::DecodeAs> rules{{5080, PayloadKind::sip}, {7000, PayloadKind::rtp}};
    const auto rtp = rtp_packet(0);
    // RTP bytes on the SIP port go to the SIP parser (which will refuse them, visibly).
    CHECK(demux::classify_udp(rules, 40000, 5080, rtp) == PayloadKind::sip);
    CHECK(demux::classify_udp(rules, 5080, 40000, rtp) == PayloadKind::sip);
    // A port without a rule is classified as usual.
    CHECK(demux::classify_udp(rules, 40000, 40002, rtp) == PayloadKind::rtp);
    // rtp keeps RTCP multiplexed on the same port apart (RFC 5761 section 4).
    const auto stun = std::vector<std::uint8_t>{0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42, 1, 2, 3, 4, 5, 6};
    CHECK(demux::classify_udp(rules, 7000, 9, stun) == PayloadKind::rtp);
    CHECK(demux::classify_udp(rules, 7000, 9, rtp_packet(201)) == PayloadKind::rtcp);
    // The first rule that names a port wins.
    const std::vector<demux::DecodeAs> both{{5080, PayloadKind::zrtp}, {40000, PayloadKind::rtp}};
    CHECK(demux::classify_udp(both, 40000, 5080, rtp) == PayloadKind::zrtp);
}

TEST_CASE("on IAX2's port a mini frame that is STUN only by RFC 3489's rules is IAX2") {
    // iaxmodem's peer, call number 2, timestamp 144, 160 bytes of mu-law
    // (tests/interop/iax2-iaxmodem.pcap frame 26): type 0x0002 and length 144 = 164 - 20.
    std::vector<std::uint8_t> mini{0x00, 0x02, 0x00, 0x90};
    mini.resize(164, 0xa0);
    const std::vector<demux::DecodeAs> none;
    CHECK(demux::classify_udp(none, 4570, 4569, mini) == PayloadKind::iax2);
    CHECK(demux::classify_udp(none, 40000, 40002, mini) == PayloadKind::stun);  // elsewhere: classic STUN
    // A STUN Binding Request with RFC 8489's magic cookie stays STUN on 4569 too.
    std::vector<std::uint8_t> stun{0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42};
    stun.resize(20, 0x01);
    CHECK(demux::classify_udp(none, 4570, 4569, stun) == PayloadKind::stun);
}
