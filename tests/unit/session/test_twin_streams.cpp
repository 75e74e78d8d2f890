// Twin streams: the same RTP packets on two 5-tuples at once, as a relay's two sides carry them.
// What twin matching keeps of a stream once its flow closed is only kept while another stream
// has its SSRC: a relay forwards as it receives, so a stream's twin has begun by the time the
// stream's flow closes (seconds after its last packet), and the rest keep nothing.
#include <array>

#include <catch2/catch.hpp>

#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/gen/scenario.hpp"
#include "zaudit/session/tracker.hpp"

#include "support/track.hpp"

using namespace zaudit;
using test::track;

namespace {

const util::Endpoint k_caller{*util::IpAddress::parse("192.0.2.10"), 20000};
const util::Endpoint k_relay_in{*util::IpAddress::parse("203.0.113.5"), 40000};
const util::Endpoint k_relay_out{*util::IpAddress::parse("203.0.113.5"), 40002};
const util::Endpoint k_callee{*util::IpAddress::parse("198.51.100.20"), 30000};
constexpr std::uint32_t k_ssrc = 0x5eed0001;
constexpr std::int64_t k_second = 1'000'000;

/// Packets `first` to `last` of one G.711 stream from `src` to `dst`, 20 ms apart from `start`.
void add_packets(gen::CaptureBuilder& capture, const util::Endpoint& src, const util::Endpoint& dst,
                 std::uint16_t first, std::uint16_t last, std::int64_t start) {
    for (std::uint16_t i = first; i <= last; ++i) {
        const auto payload = gen::g711_tone(160U * i);
        capture.add_udp(util::Timestamp{start + std::int64_t{i} * 20'000}, src, dst,
                        gen::build_rtp(0, static_cast<std::uint16_t>(1000 + i), 160U * i, k_ssrc, payload));
    }
}

session::Limits short_idle() {
    session::Limits limits;
    limits.flow_idle_micros = 10 * k_second;
    limits.sweep_every_micros = k_second;
    return limits;
}

}  // namespace

TEST_CASE("a relay's two sides are twins, even when one side's flow closes long before the other's") {
    gen::CaptureBuilder capture;
    // 4 s through the relay; the far side goes on alone for 30 s more, so that the near side's
    // flow idles out and closes while the far side is still live.
    add_packets(capture, k_caller, k_relay_in, 0, 199, 0);
    add_packets(capture, k_relay_out, k_callee, 0, 1699, 1'000);
    const session::Model model = track(capture, short_idle());
    REQUIRE(model.media.size() == 2);
    for (const session::MediaStream& stream : model.media) {
        REQUIRE(stream.twin);
        CHECK(stream.twin->matched >= 8);
        CHECK(stream.twin->identical == stream.twin->matched);
    }
    CHECK(model.media[0].twin->stream == model.media[1].id);
}

TEST_CASE("a copy of a stream sent after the stream's flow closed is no twin of it") {
    gen::CaptureBuilder capture;
    add_packets(capture, k_caller, k_relay_in, 0, 199, 0);
    // The same packets a minute later: a replay, not a relay forwarding as it receives. The
    // first stream's flow closed before this one began, and kept nothing to match it with.
    add_packets(capture, k_relay_out, k_callee, 0, 199, 60 * k_second);
    const session::Model model = track(capture, short_idle());
    REQUIRE(model.media.size() == 2);
    CHECK_FALSE(model.media[0].twin);
    CHECK_FALSE(model.media[1].twin);
}

TEST_CASE("packets sent back to the endpoint they came from are an echo, not a relay's two sides") {
    // An echo test (sipp -rtp_echo, an SBC's loopback) returns every packet unchanged, SSRC and
    // sequence numbers included, a moment after it arrived: from the same socket or another.
    const util::Endpoint callee_other_port{k_callee.address, 30002};
    for (const util::Endpoint& echo_from : {k_callee, callee_other_port}) {
        gen::CaptureBuilder capture;
        add_packets(capture, k_caller, k_callee, 0, 199, 0);
        add_packets(capture, echo_from, k_caller, 0, 199, 1'000);
        const session::Model model = track(capture, short_idle());
        REQUIRE(model.media.size() == 2);
        CHECK_FALSE(model.media[0].twin);
        CHECK_FALSE(model.media[1].twin);
    }
}

TEST_CASE("a relay that receives and sends on one port still has twin sides") {
    gen::CaptureBuilder capture;
    add_packets(capture, k_caller, k_relay_in, 0, 199, 0);
    add_packets(capture, k_relay_in, k_callee, 0, 199, 1'000);
    const session::Model model = track(capture, short_idle());
    REQUIRE(model.media.size() == 2);
    REQUIRE(model.media[0].twin);
    CHECK(model.media[0].twin->stream == model.media[1].id);
}

TEST_CASE("a device that gives every call's stream one SSRC has twins in each relayed call") {
    // Calls through the relay, each stream with the same SSRC (some devices never draw a new
    // one): six streams of one SSRC in the capture, two at a time. The calls come a minute
    // apart, or each a second after the last (its streams then meet the last call's: four at once).
    const std::int64_t gap = GENERATE(60 * k_second, k_second);
    gen::CaptureBuilder capture;
    for (std::uint16_t call = 0; call < 3; ++call) {
        const auto first = static_cast<std::uint16_t>(200 * call);
        // Each call's packets are those of its own numbers: 4 s of them, 200 * call * 20 ms on.
        const std::int64_t start = std::int64_t{call} * (gap + 4 * k_second) - std::int64_t{first} * 20'000;
        // Each call on ports of its own, as the relay and the phones allocate them.
        const auto port = static_cast<std::uint16_t>(2 * call);
        const util::Endpoint caller{k_caller.address, static_cast<std::uint16_t>(k_caller.port + port)};
        const util::Endpoint relay_in{k_relay_in.address, static_cast<std::uint16_t>(k_relay_in.port + port)};
        const util::Endpoint relay_out{k_relay_out.address, static_cast<std::uint16_t>(k_relay_out.port + 100 + port)};
        const util::Endpoint callee{k_callee.address, static_cast<std::uint16_t>(k_callee.port + port)};
        add_packets(capture, caller, relay_in, first, first + 199, start);
        add_packets(capture, relay_out, callee, first, first + 199, start + 1'000);
    }
    const session::Model model = track(capture, short_idle());
    REQUIRE(model.media.size() == 6);
    for (std::size_t i = 0; i < model.media.size(); ++i) {
        INFO("stream " << model.media[i].id);
        REQUIRE(model.media[i].twin);
        // Each side's twin is the other side of its own call, never a stream of another call.
        CHECK(model.media[i].twin->stream == model.media[i ^ 1U].id);
    }
}

TEST_CASE("five streams of one SSRC at once are no relay, and none of them is a twin") {
    const std::array<util::Endpoint, 5> sources{k_caller, k_relay_in, k_relay_out, k_callee,
                                                util::Endpoint{*util::IpAddress::parse("192.0.2.99"), 20002}};
    gen::CaptureBuilder capture;
    for (std::size_t i = 0; i < sources.size(); ++i) {
        add_packets(capture, sources[i], util::Endpoint{*util::IpAddress::parse("198.51.100.77"), 31000}, 0, 199,
                    static_cast<std::int64_t>(i) * 1'000);
    }
    const session::Model model = track(capture, short_idle());
    REQUIRE(model.media.size() == 5);
    for (const session::MediaStream& stream : model.media) {
        CHECK_FALSE(stream.twin);
    }
}
