// IAX2 on its port (RFC 5456, UDP 4569): a plain full frame starts like RTP (F bit, call number
// below 0x4000), so the port decides; SIP, STUN and ZRTP keep their strong magic values.
#include <catch2/catch.hpp>

#include <string_view>
#include <vector>

#include "zaudit/demux/classify.hpp"
#include "zaudit/util/hex.hpp"

using zaudit::demux::classify_udp;
using zaudit::demux::PayloadKind;

namespace {

std::vector<std::uint8_t> hex(std::string_view text) {
    auto bytes = zaudit::util::from_hex(text);
    REQUIRE(bytes);
    return *bytes;
}

}  // namespace

TEST_CASE("demux iax2: a full frame to or from 4569 is iax2, elsewhere it looks like RTP") {
    const auto accept = hex("8123 1234 0000000a 00 01 06 07 090400000004");
    CHECK(classify_udp({}, 4569, 4569, accept) == PayloadKind::iax2);
    CHECK(classify_udp({}, 40000, 4569, accept) == PayloadKind::iax2);
    CHECK(classify_udp({}, 4569, 40000, accept) == PayloadKind::iax2);
    CHECK(classify_udp({}, 40000, 40002, accept) == PayloadKind::rtp);
    const auto mini = hex("0123 0078 ffffffff");
    CHECK(classify_udp({}, 4569, 4569, mini) == PayloadKind::iax2);
    CHECK(classify_udp({}, 40000, 40002, mini) == PayloadKind::unknown);
}

TEST_CASE("demux iax2: SIP on 4569 stays SIP, and a too short datagram is not iax2") {
    const std::string_view options = "OPTIONS sip:a@192.0.2.1 SIP/2.0\r\n\r\n";
    const std::vector<std::uint8_t> sip(options.begin(), options.end());
    CHECK(classify_udp({}, 4569, 5060, sip) == PayloadKind::sip);
    CHECK(classify_udp({}, 4569, 4569, hex("0001 00")) == PayloadKind::unknown);
    CHECK(classify_udp({}, 4569, 4569, hex("8001 0000 0000")) != PayloadKind::iax2);
}

TEST_CASE("demux iax2: a flow's later full frames on 4569 stay iax2, however RTP-like their first byte") {
    // FlowDemux takes a short cut for bytes in RTP's range once a flow has shown it is no
    // OpenVPN; IAX2's port must still be looked at.
    zaudit::demux::FlowDemux flow;
    const auto accept = hex("8123 1234 0000000a 00 01 06 07 090400000004");
    for (int i = 0; i < 3; ++i) {
        CHECK(flow.classify({}, 4569, 4569, i % 2 == 0, accept).kind == PayloadKind::iax2);
    }
    zaudit::demux::FlowDemux rtp;
    for (int i = 0; i < 3; ++i) {
        CHECK(rtp.classify({}, 40000, 40002, i % 2 == 0, accept).kind == PayloadKind::rtp);
    }
}
