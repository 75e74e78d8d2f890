// path.media-relay over hand-built models.
#include "model_builder.hpp"

using namespace zaudit;
using namespace zaudit::test;

namespace {

const util::Endpoint k_alice = ep("192.0.2.10", 5060);
const util::Endpoint k_bob = ep("198.51.100.20", 5060);

session::Call relayed(std::vector<session::SdesKey> keys) {
    session::Call c = call();
    const std::string profile = keys.empty() ? "RTP/AVP" : "RTP/SAVP";
    exchange(c, sdp(1, k_alice, k_bob, "INVITE", 1, true, {audio(ep("192.0.2.10", 4000), profile, keys)}),
             sdp(4, k_bob, k_alice, "200 INVITE", 1, false, {audio(ep("203.0.113.77", 30000), profile, keys)}));
    return c;
}

}  // namespace

TEST_CASE("path.media-relay: the answer anchors media at a third address (info)") {
    const auto findings = run_rule("path.media-relay", model_of({relayed({})}));
    REQUIRE(findings.size() == 1);
    const analysis::Finding& f = findings[0];
    CHECK(f.severity == analysis::Severity::info);
    CHECK(f.confidence == analysis::Confidence::inferred);
    CHECK(f.frames == std::vector<std::uint64_t>{4});
    CHECK(f.evidence["media_addresses"][0]["address"] == "203.0.113.77");
    CHECK(f.evidence["signaling_endpoints"] ==
          nlohmann::ordered_json::array({"192.0.2.10:5060", "198.51.100.20:5060"}));
    CHECK(f.evidence["sdes"] == false);
}

TEST_CASE("path.media-relay: medium when the call used SDES keys") {
    const auto findings = run_rule("path.media-relay", model_of({relayed({sdes(1, "AES_CM_128_HMAC_SHA1_80", 1)})}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].severity == analysis::Severity::medium);
    CHECK(findings[0].evidence["sdes"] == true);
}

TEST_CASE("path.media-relay: RTP bound to the call from a third address") {
    session::Call c = call();
    exchange(c, sdp(1, k_alice, k_bob, "INVITE", 1, true, {audio(ep("192.0.2.10", 4000), "RTP/AVP")}),
             sdp(4, k_bob, k_alice, "200 INVITE", 1, false, {audio(ep("198.51.100.20", 5000), "RTP/AVP")}));
    c.media = {1};
    session::MediaStream stream;
    stream.id = 1;
    stream.src = ep("203.0.113.90", 40000);
    stream.dst = ep("192.0.2.10", 4000);
    stream.ssrc = 0x12345678;
    stream.packets = 10;
    stream.first_frame = 12;
    stream.call = 1;
    stream.sdp_media = 0;
    session::Model model = model_of({c});
    model.media = {stream};
    const auto findings = run_rule("path.media-relay", model);
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["media_addresses"][0]["address"] == "203.0.113.90");
    CHECK(findings[0].frames == std::vector<std::uint64_t>{12});
}

TEST_CASE("path.media-relay: not for media at the parties' own addresses, NAT, or disabled streams") {
    SECTION("c= equals the signalling addresses") {
        session::Call c = call();
        exchange(c, sdp(1, k_alice, k_bob, "INVITE", 1, true, {audio(ep("192.0.2.10", 4000), "RTP/AVP")}),
                 sdp(4, k_bob, k_alice, "200 INVITE", 1, false, {audio(ep("198.51.100.20", 5000), "RTP/AVP")}));
        CHECK(run_rule("path.media-relay", model_of({c})).empty());
    }
    SECTION("a private c= behind a NAT whose public address sent the SIP") {
        session::Call c = call();
        exchange(c, sdp(1, k_alice, k_bob, "INVITE", 1, true, {audio(ep("192.168.1.20", 4000), "RTP/AVP")}),
                 sdp(4, k_bob, k_alice, "200 INVITE", 1, false, {audio(ep("10.1.2.3", 5000), "RTP/AVP")}));
        CHECK(run_rule("path.media-relay", model_of({c})).empty());
    }
    SECTION("a refused m= line (port 0) and a hold address 0.0.0.0") {
        session::Call c = call();
        exchange(c, sdp(1, k_alice, k_bob, "INVITE", 1, true, {audio(ep("0.0.0.0", 4000), "RTP/AVP")}),
                 sdp(4, k_bob, k_alice, "200 INVITE", 1, false, {audio(ep("203.0.113.77", 0), "RTP/AVP")}));
        CHECK(run_rule("path.media-relay", model_of({c})).empty());
    }
}
