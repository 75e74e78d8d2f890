// What the tracker keeps under traffic built to hurt: random datagrams are not RTP until a run
// of one SSRC says so, a flow's SSRCs and the live flows are capped, and what a cap drops is
// counted.
#include <catch2/catch.hpp>

#include <random>

#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/gen/scenario.hpp"
#include "zaudit/session/tracker.hpp"

#include "support/track.hpp"

using namespace zaudit;

namespace {

using test::track;

std::uint64_t anomalies(const session::Model& model, util::AnomalyCode code) {
    return model.decode.anomalies[static_cast<std::size_t>(code)];
}

util::Endpoint host(std::uint32_t n, std::uint16_t port) {
    return {util::IpAddress::v4(0x0a000000 + n), port};
}

}  // namespace

TEST_CASE("random datagrams that start like RTP are not taken for RTP streams") {
    gen::CaptureBuilder capture;
    std::mt19937 random{7};
    for (std::uint32_t n = 0; n < 500; ++n) {
        gen::ByteVector payload(60 + random() % 100);
        for (auto& byte : payload) {
            byte = static_cast<std::uint8_t>(random());
        }
        payload[0] = 0x80;  // version 2
        payload[1] = 0x00;  // payload type 0 (PCMU), not RTCP's 64-95 (RFC 5761 section 4)
        capture.add_udp(util::Timestamp{n * 1000}, host(n, 20000), host(n + 1000, 30000), payload);
    }
    const session::Model model = track(capture);
    CHECK(model.media.empty());
    CHECK(anomalies(model, util::AnomalyCode::rtp_unconfirmed) == 500);
}

TEST_CASE("an RTP stream nobody announced is confirmed by its run and keeps its first packets") {
    gen::CaptureBuilder capture;
    const auto tone = gen::g711_tone(0);
    for (std::uint16_t i = 0; i < 50; ++i) {
        capture.add_udp(util::Timestamp{i * 20'000}, host(1, 20000), host(2, 30000),
                        gen::build_rtp(0, static_cast<std::uint16_t>(1000 + i), 160U * i, 0x1234, tone));
    }
    const session::Model model = track(capture);
    REQUIRE(model.media.size() == 1);
    CHECK(model.media[0].first_frame == 1);  // the packets on probation were replayed
    CHECK(model.media[0].packets == 50);
    CHECK(anomalies(model, util::AnomalyCode::rtp_unconfirmed) == 0);
}

TEST_CASE("a flow with more SSRCs than the cap follows the cap's worth and counts the rest") {
    session::Limits limits;
    limits.max_streams_per_flow = 16;
    session::UserHints hints;
    hints.decode_as.push_back(demux::DecodeAs{30000, demux::PayloadKind::rtp});  // RTP expected on the port
    gen::CaptureBuilder capture;
    const auto tone = gen::g711_tone(0);
    for (std::uint32_t i = 0; i < 1000; ++i) {
        capture.add_udp(util::Timestamp{i * 100}, host(1, 20000), host(2, 30000),
                        gen::build_rtp(0, static_cast<std::uint16_t>(i), 160U * i, 0x10000 + i, tone));
    }
    const session::Model model = track(capture, limits, hints);
    CHECK(model.media.size() == 16);
    CHECK(anomalies(model, util::AnomalyCode::rtp_too_many_ssrcs) == 1);
}

TEST_CASE("beyond the live-flow cap the flows idle longest close, and those without media are counted") {
    session::Limits limits;
    limits.max_live_flows = 100;
    gen::CaptureBuilder capture;
    for (std::uint32_t n = 0; n < 1000; ++n) {
        capture.add_udp(util::Timestamp{n * 1000}, host(n, 20001), host(n + 5000, 30001),
                        util::as_bytes(std::string_view{"not a protocol zaudit reads"}));
    }
    const session::Model model = track(capture, limits);
    CHECK(model.flows.size() <= 100);
    CHECK(anomalies(model, util::AnomalyCode::flow_cap_reached) > 0);
}
