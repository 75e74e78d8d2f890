// media.unauditable: call-like traffic in no protocol zaudit reads is said, once per flow, and
// steady traffic that is not call-like (or is a protocol zaudit names) is not.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <random>

#include "zaudit/analysis/registry.hpp"
#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/gen/scenario.hpp"

#include "support/track.hpp"

using namespace zaudit;

namespace {

const util::Endpoint k_a{*util::IpAddress::parse("192.0.2.70"), 34567};
const util::Endpoint k_b{*util::IpAddress::parse("198.51.100.80"), 45678};

std::vector<analysis::Finding> findings_of(const session::Model& model, std::string_view rule) {
    std::vector<analysis::Finding> out;
    for (auto& finding : analysis::run_rules(model, {})) {
        if (finding.rule == rule) {
            out.push_back(std::move(finding));
        }
    }
    return out;
}

/// Two directions, `per_second` datagrams a second each for `seconds`, payloads from `payload`.
gen::CaptureBuilder steady_flow(int per_second, int seconds, const std::function<gen::ByteVector()>& payload) {
    gen::CaptureBuilder capture;
    const std::int64_t interval = 1'000'000 / per_second;
    for (std::int64_t i = 0; i < std::int64_t{per_second} * seconds; ++i) {
        capture.add_udp(util::Timestamp{i * interval}, k_a, k_b, payload());
        capture.add_udp(util::Timestamp{i * interval + interval / 2}, k_b, k_a, payload());
    }
    return capture;
}

std::function<gen::ByteVector()> random_payloads(std::size_t min, std::size_t spread) {
    auto random = std::make_shared<std::mt19937>(2024);
    return [random, min, spread] {
        gen::ByteVector bytes(min + (*random)() % spread);
        for (auto& byte : bytes) {
            byte = static_cast<std::uint8_t>((*random)());
        }
        return bytes;
    };
}

}  // namespace

TEST_CASE("media.unauditable: a closed softphone's encrypted P2P call is one info finding with its measures") {
    const auto all = gen::scenarios();
    const auto it = std::find_if(all.begin(), all.end(), [](const auto& s) { return s.name == "net-opaque-p2p-call"; });
    REQUIRE(it != all.end());
    const session::Model model = test::track(it->build(6189));
    const auto found = findings_of(model, "media.unauditable");
    REQUIRE(found.size() == 1);
    const analysis::Finding& f = found[0];
    CHECK(f.severity == analysis::Severity::info);
    CHECK(f.confidence == analysis::Confidence::not_verifiable);
    auto evidence = analysis::evidence_of(f);
    CHECK(evidence["src"] == "192.0.2.70:34567");
    CHECK(evidence["dst"] == "198.51.100.80:45678");
    CHECK(evidence["packets_ab"] == 600);
    CHECK(evidence["packets_ba"] == 600);
    CHECK(evidence["packets_per_second_ab"].get<double>() == Approx(50).epsilon(0.02));
    CHECK(evidence["packets_per_second_ba"].get<double>() == Approx(50).epsilon(0.02));
    CHECK(evidence["duration_s"].get<double>() == Approx(12).epsilon(0.01));
    CHECK(evidence["size_min"].get<int>() >= 60);
    CHECK(evidence["size_max"].get<int>() <= 100);
    CHECK(evidence["size_mean"].get<double>() == Approx(80).margin(3));
    CHECK(evidence["entropy_bits_per_byte"].get<double>() > 7.9);
    CHECK(f.frames == std::vector<std::uint64_t>{1, 1200});
    // And nothing claims RTP of it.
    for (const auto& finding : analysis::run_rules(model, {})) {
        CHECK_FALSE(finding.rule.starts_with("rtp."));
    }
}

TEST_CASE("media.unauditable: not for a slow, short, large or low-entropy flow") {
    CHECK(findings_of(test::track(steady_flow(5, 12, random_payloads(60, 41))), "media.unauditable").empty());
    CHECK(findings_of(test::track(steady_flow(50, 3, random_payloads(60, 41))), "media.unauditable").empty());
    CHECK(findings_of(test::track(steady_flow(50, 12, random_payloads(900, 300))), "media.unauditable").empty());
    // Text-like bytes: a plaintext protocol zaudit could at least read.
    auto text = [] { return gen::ByteVector(80, 'a'); };
    CHECK(findings_of(test::track(steady_flow(50, 12, text)), "media.unauditable").empty());
    // The same random datagrams pass: the bar is the rate, the length, the size and the bytes.
    CHECK(findings_of(test::track(steady_flow(50, 12, random_payloads(60, 41))), "media.unauditable").size() == 1);
}

TEST_CASE("media.unauditable: a WireGuard tunnel at voice rate is named WireGuard, not unauditable media") {
    auto random = random_payloads(48, 1);
    auto wireguard = [&] {
        gen::ByteVector p = random();  // 48 bytes: the smallest data packet with 16 bytes inside
        p[0] = 4;
        p[1] = p[2] = p[3] = 0;
        return p;
    };
    const session::Model model = test::track(steady_flow(50, 12, wireguard));
    REQUIRE(model.flows.size() == 1);
    CHECK(model.flows[0].kinds() == std::vector<demux::PayloadKind>{demux::PayloadKind::wireguard});
    CHECK(findings_of(model, "media.unauditable").empty());
}

TEST_CASE("media.unauditable: a flow with an RTP stream is audited by the RTP rules instead") {
    gen::CaptureBuilder capture;
    for (std::uint16_t i = 0; i < 600; ++i) {
        gen::ByteVector payload(80);
        std::mt19937 random{i};
        for (auto& byte : payload) {
            byte = static_cast<std::uint8_t>(random());
        }
        capture.add_udp(util::Timestamp{i * 20'000}, k_a, k_b, gen::build_rtp(111, i, 960U * i, 0xfeed, payload));
    }
    const session::Model model = test::track(capture);
    CHECK(model.media.size() == 1);
    CHECK(findings_of(model, "media.unauditable").empty());
}
