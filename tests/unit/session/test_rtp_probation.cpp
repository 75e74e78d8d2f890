// RTP on a flow nobody announced needs evidence: a run of one SSRC and direction whose sequence
// numbers, timestamps and payload type advance as RTP does (rtp_tracking.cpp). Until then its
// packets wait, and those that never show a run are opaque, not streams.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/gen/scenario.hpp"
#include "zaudit/session/tracker.hpp"

#include "support/track.hpp"

using namespace zaudit;
using demux::PayloadKind;
using test::track;

namespace {

const util::Endpoint k_a{*util::IpAddress::parse("192.0.2.10"), 20000};
const util::Endpoint k_b{*util::IpAddress::parse("198.51.100.20"), 30000};

std::uint64_t anomalies(const session::Model& model, util::AnomalyCode code) {
    return model.decode.anomalies[static_cast<std::size_t>(code)];
}

std::uint64_t kind(const session::FlowRecord& flow, PayloadKind k) {
    return flow.packets_by_kind[static_cast<std::size_t>(k)];
}

/// `n` packets of one SSRC from a to b, 20 ms apart, sequence numbers `step` apart.
void add_stream(gen::CaptureBuilder& capture, std::uint32_t ssrc, std::uint16_t n, std::uint16_t step = 1,
                std::int64_t start = 0) {
    const auto tone = gen::g711_tone(0);
    for (std::uint16_t i = 0; i < n; ++i) {
        capture.add_udp(util::Timestamp{start + i * 20'000}, k_a, k_b,
                        gen::build_rtp(0, static_cast<std::uint16_t>(7000 + i * step), 160U * i, ssrc, tone));
    }
}

const gen::Scenario& scenario(std::string_view name) {
    const auto all = gen::scenarios();
    const auto it = std::find_if(all.begin(), all.end(), [&](const auto& s) { return s.name == name; });
    REQUIRE(it != all.end());
    return *it;
}

}  // namespace

TEST_CASE("probation: four packets of one SSRC are no stream, the fifth makes all five one") {
    gen::CaptureBuilder four;
    add_stream(four, 0xabcd, 4);
    const session::Model unconfirmed = track(four);
    CHECK(unconfirmed.media.empty());
    CHECK(anomalies(unconfirmed, util::AnomalyCode::rtp_unconfirmed) == 1);
    REQUIRE(unconfirmed.flows.size() == 1);
    // What never showed a run is no RTP in the flow's kinds either.
    CHECK(kind(unconfirmed.flows[0], PayloadKind::rtp) == 0);
    CHECK(kind(unconfirmed.flows[0], PayloadKind::unknown) == 4);

    gen::CaptureBuilder five;
    add_stream(five, 0xabcd, 5);
    const session::Model confirmed = track(five);
    REQUIRE(confirmed.media.size() == 1);
    CHECK(confirmed.media[0].packets == 5);
    CHECK(confirmed.media[0].first_frame == 1);  // the waiting packets count, from the first
    CHECK(confirmed.media[0].last_frame == 5);
    CHECK(anomalies(confirmed, util::AnomalyCode::rtp_unconfirmed) == 0);
    CHECK(kind(confirmed.flows[0], PayloadKind::rtp) == 5);
}

TEST_CASE("probation: up to two lost packets keep the run, a payload type change or a jump restarts it") {
    gen::CaptureBuilder lossy;
    add_stream(lossy, 0x1111, 5, 3);  // every third sequence number: two lost between each
    CHECK(track(lossy).media.size() == 1);

    gen::CaptureBuilder jumping;
    add_stream(jumping, 0x2222, 8, 4);  // three lost between each: no run of RTP
    CHECK(track(jumping).media.empty());

    gen::CaptureBuilder changing;
    const auto tone = gen::g711_tone(0);
    for (std::uint16_t i = 0; i < 8; ++i) {  // payload type alternates 0 and 8
        changing.add_udp(util::Timestamp{i * 20'000}, k_a, k_b,
                         gen::build_rtp(static_cast<std::uint8_t>(i % 2 == 0 ? 0 : 8), static_cast<std::uint16_t>(i),
                                        160U * i, 0x3333, tone, i % 3 == 0));
    }
    CHECK(track(changing).media.empty());

    gen::CaptureBuilder backwards;
    for (std::uint16_t i = 0; i < 8; ++i) {  // timestamps going back
        backwards.add_udp(util::Timestamp{i * 20'000}, k_a, k_b,
                          gen::build_rtp(0, static_cast<std::uint16_t>(i), 100'000U - 160U * i, 0x4444, tone));
    }
    CHECK(track(backwards).media.empty());
}

TEST_CASE("probation: the marker bit and a sequence wrap do not break a run") {
    gen::CaptureBuilder capture;
    const auto tone = gen::g711_tone(0);
    for (std::uint16_t i = 0; i < 6; ++i) {
        capture.add_udp(
            util::Timestamp{i * 20'000}, k_a, k_b,
            gen::build_rtp(0, static_cast<std::uint16_t>(65533 + i), 0xfffffe00U + 160U * i, 0x5555, tone, i == 2));
    }
    const session::Model model = track(capture);
    REQUIRE(model.media.size() == 1);
    CHECK(model.media[0].packets == 6);
}

TEST_CASE("probation: random RTP-looking datagrams among a real stream do not become streams") {
    gen::CaptureBuilder capture;
    std::mt19937 random{5761};
    const auto tone = gen::g711_tone(0);
    for (std::uint16_t i = 0; i < 100; ++i) {
        capture.add_udp(util::Timestamp{i * 20'000}, k_a, k_b,
                        gen::build_rtp(0, static_cast<std::uint16_t>(i), 160U * i, 0x6666, tone));
        gen::ByteVector noise(80);
        for (auto& byte : noise) {
            byte = static_cast<std::uint8_t>(random());
        }
        noise[0] = 0x80;
        noise[1] = static_cast<std::uint8_t>(noise[1] & 0x7f);  // an RTP payload type, not RTCP
        capture.add_udp(util::Timestamp{i * 20'000 + 10'000}, k_b, k_a, noise);
    }
    const session::Model model = track(capture);
    REQUIRE(model.media.size() == 1);
    CHECK(model.media[0].ssrc == 0x6666);
    CHECK(model.media[0].packets == 100);
    CHECK(model.media[0].first_frame == 1);
    CHECK(anomalies(model, util::AnomalyCode::rtp_unconfirmed) == 1);
    CHECK(kind(model.flows[0], PayloadKind::rtp) == 100);
    CHECK(kind(model.flows[0], PayloadKind::unknown) == 100);
}

TEST_CASE("probation: an SDP-announced or --decode-as flow is RTP from its first packet") {
    session::UserHints hints;
    hints.decode_as.push_back(demux::DecodeAs{30000, PayloadKind::rtp});
    gen::CaptureBuilder capture;
    add_stream(capture, 0x7777, 1);
    const session::Model model = track(capture, {}, hints);
    REQUIRE(model.media.size() == 1);
    CHECK(model.media[0].packets == 1);
}

TEST_CASE("an encrypted P2P call of a closed softphone makes no RTP stream and is measured as opaque") {
    const session::Model model = track(scenario("net-opaque-p2p-call").build(6189));
    CHECK(model.media.empty());
    REQUIRE(model.flows.size() == 1);
    const session::FlowRecord& flow = model.flows[0];
    CHECK(flow.kinds() == std::vector<PayloadKind>{PayloadKind::unknown});
    // Neither malformed RTP nor RTCP nor anything else: random bytes are opaque.
    CHECK(anomalies(model, util::AnomalyCode::rtp_truncated_csrc) == 0);
    CHECK(anomalies(model, util::AnomalyCode::rtp_truncated_extension) == 0);
    REQUIRE(flow.opaque);
    const session::OpaquePayloads& o = *flow.opaque;
    CHECK(o.packets[0] == 600);
    CHECK(o.packets[1] == 600);
    CHECK(o.min_size >= 60);
    CHECK(o.max_size <= 100);
    CHECK(o.voice_sized == 1200);
    CHECK(o.longest_gap_micros[0] < 30'000);
    CHECK(o.sampled_bytes > 4096);
    CHECK(o.entropy_bits > 7.9);
}

TEST_CASE("the opaque meter waits for a flow's eighth datagram before it samples") {
    gen::CaptureBuilder capture;
    for (std::uint32_t n = 0; n < 7; ++n) {
        capture.add_udp(util::Timestamp{n * 1000}, k_a, k_b, gen::ByteVector(70, 0x07));
    }
    const session::Model model = track(capture);
    REQUIRE(model.flows.size() == 1);
    REQUIRE(model.flows[0].opaque);
    CHECK(model.flows[0].opaque->total() == 7);
    CHECK(model.flows[0].opaque->sampled_bytes == 0);
}
