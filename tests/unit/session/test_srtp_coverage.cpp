// Which SRTP packets a key is tried on: a sample by default, every packet with --verify-all
// (UserHints::verify_all). The srtp-auth-failure scenario forges its caller's 150th packet (one the
// sample tries); here a second packet, one the sample skips, has its authentication tag altered.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "zaudit/capture/frame.hpp"
#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/gen/scenario.hpp"
#include "zaudit/net/decoder.hpp"
#include "zaudit/session/tracker.hpp"

using namespace zaudit;

namespace {

constexpr std::uint16_t k_caller_media_port = 40000;  // the scenario's caller sends its SRTP from here

capture::Frame frame_of(const gen::GeneratedFrame& g, std::uint64_t number) {
    return capture::Frame{number, g.time, g.bytes, static_cast<std::uint32_t>(g.bytes.size()), g.link_type, 0};
}

gen::CaptureBuilder auth_failure_call() {
    const auto all = gen::scenarios();
    const auto it =
        std::find_if(all.begin(), all.end(), [](const gen::Scenario& s) { return s.name == "srtp-auth-failure"; });
    REQUIRE(it != all.end());
    return it->build(1);
}

/// Frame numbers (from 1) of the caller's SRTP packets, in order.
std::vector<std::uint64_t> caller_media_frames(const gen::CaptureBuilder& capture) {
    net::Decoder decoder;
    net::Packet packet;
    std::vector<std::uint64_t> frames;
    std::uint64_t number = 0;
    for (const auto& g : capture.frames()) {
        ++number;
        if (decoder.decode(frame_of(g, number), packet) == net::DecodeStatus::ok &&
            packet.transport == net::Transport::udp && packet.src.port == k_caller_media_port) {
            frames.push_back(number);
        }
    }
    return frames;
}

session::Model track(const gen::CaptureBuilder& capture, bool verify_all) {
    session::UserHints hints;
    hints.verify_all = verify_all;
    session::Tracker tracker{session::Limits{}, hints};
    std::uint64_t number = 0;
    for (const auto& g : capture.frames()) {
        tracker.on_frame(frame_of(g, ++number));
    }
    return std::move(tracker).finish({}, false);
}

const session::SrtpKeyCheck& caller_check(const session::Model& model) {
    const auto stream = std::find_if(model.media.begin(), model.media.end(),
                                     [](const session::MediaStream& s) { return s.src.port == k_caller_media_port; });
    REQUIRE(stream != model.media.end());
    REQUIRE(stream->srtp_checks.size() == 1);
    return stream->srtp_checks.front();
}

}  // namespace

TEST_CASE("verify-all: tries every SRTP packet and finds a tampered one the sample skips") {
    gen::CaptureBuilder capture = auth_failure_call();
    const std::vector<std::uint64_t> media = caller_media_frames(capture);
    REQUIRE(media.size() == 300);
    const std::uint64_t forged = media[150];  // the scenario's: a spot check (1 in 50)
    // The 171st packet: after the first 64 and no multiple of 50, so the sample never tries it.
    const std::uint64_t tampered = media[170];
    auto& bytes = capture.frames()[tampered - 1].bytes;
    bytes.back() ^= 0x01;  // the last byte of its HMAC-SHA1-80 tag

    const session::Model sampled = track(capture, false);
    const session::SrtpKeyCheck& sample = caller_check(sampled);
    CHECK(sample.coverage == session::SrtpCoverage::sample);
    CHECK(sample.checked < 20);  // 8 to settle, then 1 in 50 of 300
    CHECK(sample.failed_frames == std::vector<std::uint64_t>{forged});
    CHECK(sample.failed_while_in_use == 1);

    const session::Model every = track(capture, true);
    const session::SrtpKeyCheck& all = caller_check(every);
    CHECK(all.coverage == session::SrtpCoverage::every_packet);
    CHECK(all.checked == 300);
    CHECK(all.authenticated == 298);
    CHECK(all.auth_failed == 2);
    CHECK(all.replayed == 0);
    CHECK(all.failed_while_in_use == 2);
    CHECK(all.failed_frames == std::vector<std::uint64_t>{forged, tampered});
    CHECK(all.settled == session::SrtpKeyCheck::Settled::right);
    CHECK(all.settled_after == 8);
}

TEST_CASE("verify-all: on an untampered stream authenticates every packet, and the model says so") {
    const gen::CaptureBuilder capture = auth_failure_call();
    const session::Model every = track(capture, true);
    const auto callee = std::find_if(every.media.begin(), every.media.end(),
                                     [](const session::MediaStream& s) { return s.dst.port == k_caller_media_port; });
    REQUIRE(callee != every.media.end());
    REQUIRE(callee->srtp_checks.size() == 1);
    const session::SrtpKeyCheck& check = callee->srtp_checks.front();
    CHECK(check.coverage == session::SrtpCoverage::every_packet);
    CHECK(check.checked == 300);
    CHECK(check.authenticated == 300);
    CHECK(check.auth_failed == 0);
    CHECK(check.failed_frames.empty());
}
