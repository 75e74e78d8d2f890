// rtp.injection-suspected and path.media-source-mismatch over hand-built models.
#include "model_builder.hpp"

using namespace zaudit;
using namespace zaudit::test;

namespace {

session::MediaStream plain_stream() {
    session::MediaStream s;
    s.id = 1;
    s.flow = 1;
    s.src = ep("192.0.2.10", 4000);
    s.dst = ep("198.51.100.20", 5000);
    s.ssrc = 0x1234;
    s.packets = 500;
    s.first_frame = 10;
    s.last_frame = 900;
    s.ttl_min = 60;
    s.ttl_max = 60;
    s.protection = session::Protection::none;
    return s;
}

/// A call (id 1) with one SDP for each of these RTP addresses, one m= line each.
session::Call call_announcing(const std::vector<util::Endpoint>& rtp) {
    session::Call call;
    call.id = 1;
    for (const util::Endpoint& address : rtp) {
        session::SdpSnapshot sdp;
        session::SdpMedia media;
        media.rtp = address;
        sdp.media.push_back(media);
        call.sdps.push_back(sdp);
    }
    return call;
}

session::Model with_stream(session::MediaStream s) {
    session::Model model;
    model.media.push_back(std::move(s));
    return model;
}

}  // namespace

TEST_CASE("rtp.injection-suspected: one sequence number, two payloads") {
    auto s = plain_stream();
    s.conflicting_duplicates = 3;
    s.duplicates = 3;
    const auto findings = run_rule("rtp.injection-suspected", with_stream(s));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].severity == analysis::Severity::high);
    CHECK(findings[0].evidence["conflicting_duplicates"] == 3);
    CHECK_THAT(findings[0].message, Catch::Contains("3 packet(s) repeat an earlier packet's sequence number"));
}

TEST_CASE("rtp.injection-suspected: TTL that flips between two distances") {
    auto s = plain_stream();
    s.ttl_min = 52;
    s.ttl_max = 60;
    s.ttl_changes = 6;
    const auto findings = run_rule("rtp.injection-suspected", with_stream(s));
    REQUIRE(findings.size() == 1);
    CHECK_THAT(findings[0].message, Catch::Contains("TTL varies between 52 and 60"));
}

TEST_CASE("rtp.injection-suspected: not for identical retransmissions or one route change") {
    auto duplicates = plain_stream();
    duplicates.duplicates = 4;  // same payload: a network duplicate
    CHECK(run_rule("rtp.injection-suspected", with_stream(duplicates)).empty());
    auto rerouted = plain_stream();
    rerouted.ttl_min = 58;
    rerouted.ttl_changes = 1;  // the route changed once
    CHECK(run_rule("rtp.injection-suspected", with_stream(rerouted)).empty());
}

TEST_CASE("path.media-source-mismatch: media from an address no SDP named") {
    session::Model model;
    // A re-offer of the same address: listed once.
    model.calls.push_back(call_announcing({ep("198.51.100.20", 5000), ep("198.51.100.20", 5000)}));
    auto s = plain_stream();
    s.call = 1;
    model.media.push_back(s);
    const auto findings = run_rule("path.media-source-mismatch", model);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["src"] == "192.0.2.10:4000");
    CHECK(findings[0].evidence["announced"] == nlohmann::ordered_json::array({"198.51.100.20:5000"}));
    CHECK(findings[0].evidence["announced_count"] == 1);
    CHECK(findings[0].frames == std::vector<std::uint64_t>{10});
    // Once the sender's own SDP names its address, nothing is reported.
    session::SdpSnapshot answer;
    session::SdpMedia own;
    own.rtp = ep("192.0.2.10", 4000);
    answer.media.push_back(own);
    model.calls[0].sdps.push_back(answer);
    CHECK(run_rule("path.media-source-mismatch", model).empty());
}

TEST_CASE("path.media-source-mismatch: a call of many offers lists the first addresses and counts them all") {
    session::Model model;
    std::vector<util::Endpoint> offered;
    for (std::uint16_t i = 0; i < 40; ++i) {  // a re-INVITE flood, each offer a port of its own
        offered.push_back(ep("198.51.100.20", static_cast<std::uint16_t>(5000 + 2 * i)));
    }
    model.calls.push_back(call_announcing(offered));
    for (std::uint32_t id = 1; id <= 3; ++id) {
        auto s = plain_stream();
        s.id = id;
        s.call = 1;
        model.media.push_back(s);
    }
    const auto findings = run_rule("path.media-source-mismatch", model);
    REQUIRE(findings.size() == 3);
    for (const auto& f : findings) {
        CHECK(f.evidence["announced"].size() == 16);
        CHECK(f.evidence["announced"][15] == "198.51.100.20:5030");
        CHECK(f.evidence["announced_count"] == 40);
    }
}

TEST_CASE("path.media-source-mismatch: a call lists 8 streams from elsewhere and counts the rest in one finding") {
    session::Model model;
    model.calls.push_back(call_announcing({ep("198.51.100.20", 5000)}));
    // 20 streams into the call's port, from 10 source ports (two SSRCs each): a flood of sources.
    for (std::uint32_t id = 1; id <= 20; ++id) {
        auto s = plain_stream();
        s.id = id;
        s.call = 1;
        s.ssrc = id;
        s.src = ep("203.0.113.9", static_cast<std::uint16_t>(7000 + (id - 1) / 2));
        s.first_frame = 100 + id;
        model.media.push_back(s);
    }
    const auto findings = run_rule("path.media-source-mismatch", model);
    REQUIRE(findings.size() == 9);
    for (std::size_t i = 0; i < 8; ++i) {
        CHECK(findings[i].stream == i + 1);
        CHECK_FALSE(findings[i].count.has_value());
    }
    const analysis::Finding& rest = findings[8];
    CHECK(rest.call == 1U);
    CHECK_FALSE(rest.stream.has_value());
    REQUIRE(rest.count == 12U);
    REQUIRE(rest.examples.size() == 10);
    CHECK(rest.examples[0]["stream"] == 9);
    CHECK(rest.examples[0]["src"] == "203.0.113.9:7004");
    CHECK(rest.examples[9]["stream"] == 18);
    CHECK(rest.evidence["source_count"] == 6);  // ports 7004-7009
    CHECK(rest.evidence["announced"] == nlohmann::ordered_json::array({"198.51.100.20:5000"}));
    CHECK(rest.frames == std::vector<std::uint64_t>{109, 110, 111, 112, 113, 114, 115, 116});
    CHECK(rest.message.find("12 more RTP streams of call 1") != std::string::npos);
}
