// sdes.key-reuse over hand-built models: real reuse, and copies of one SDP that are not reuse.
#include "model_builder.hpp"

using namespace zaudit;
using namespace zaudit::test;

namespace {

const util::Endpoint k_alice = ep("192.0.2.10", 5060);
const util::Endpoint k_proxy = ep("203.0.113.5", 5060);
const util::Endpoint k_bob = ep("198.51.100.20", 5060);
const util::Endpoint k_alice_rtp = ep("192.0.2.10", 4000);
const util::Endpoint k_bob_rtp = ep("198.51.100.20", 5000);

session::SdpMedia savp(util::Endpoint rtp, std::uint8_t key_fill) {
    return audio(rtp, "RTP/SAVP", {sdes(1, "AES_CM_128_HMAC_SHA1_80", key_fill)});
}

/// A call with one INVITE/200 exchange, Alice's key `a`, Bob's key `b`, frames from `base`.
session::Call sdes_call(std::uint32_t id, std::uint64_t base, std::uint8_t a, std::uint8_t b) {
    session::Call c = call(id);
    exchange(c, sdp_snapshot(base, k_alice, k_bob, "INVITE", 1, true, {savp(k_alice_rtp, a)}),
             sdp_snapshot(base + 3, k_bob, k_alice, "200 INVITE", 1, false, {savp(k_bob_rtp, b)}));
    return c;
}

}  // namespace

TEST_CASE("sdes.key-reuse: the same key in two calls") {
    const auto findings =
        run_rule("sdes.key-reuse", model_of({sdes_call(1, 1, 0x11, 0x22), sdes_call(2, 100, 0x11, 0x33)}));
    REQUIRE(findings.size() == 1);
    const analysis::Finding& f = findings[0];
    CHECK(f.severity == analysis::Severity::high);
    CHECK(f.confidence == analysis::Confidence::verified);
    CHECK(f.call == 1U);
    CHECK(f.frames == std::vector<std::uint64_t>{1, 100});
    CHECK(f.evidence["key_fingerprint"] == sdes(1, "x", 0x11).fingerprint);
    CHECK(f.evidence["reuse"] == nlohmann::ordered_json::array({"two-calls"}));
    REQUIRE(f.examples.size() == 2);
    CHECK(f.examples[1]["call"] == 2);
    CHECK(f.examples[1]["role"] == "offer");
}

TEST_CASE("sdes.key-reuse: offer and answer carry the same key (two directions)") {
    const auto findings = run_rule("sdes.key-reuse", model_of({sdes_call(1, 1, 0x11, 0x11)}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["reuse"] == nlohmann::ordered_json::array({"two-directions"}));
    CHECK(findings[0].frames == std::vector<std::uint64_t>{1, 4});
}

TEST_CASE("sdes.key-reuse: a re-offer moves the stream and keeps the key") {
    session::Call c = sdes_call(1, 1, 0x11, 0x22);
    exchange(c, sdp_snapshot(20, k_alice, k_bob, "INVITE", 2, true, {savp(ep("192.0.2.10", 4002), 0x11)}),
             sdp_snapshot(22, k_bob, k_alice, "200 INVITE", 2, false, {savp(k_bob_rtp, 0x44)}));
    const auto findings = run_rule("sdes.key-reuse", model_of({c}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["reuse"] == nlohmann::ordered_json::array({"re-offer"}));
    CHECK(findings[0].frames == std::vector<std::uint64_t>{1, 20});
}

TEST_CASE("sdes.key-reuse: audio and video with one key") {
    session::Call c = call();
    session::SdpMedia video = savp(ep("192.0.2.10", 4002), 0x11);
    video.media = "video";
    exchange(c, sdp_snapshot(1, k_alice, k_bob, "INVITE", 1, true, {savp(k_alice_rtp, 0x11), video}),
             sdp_snapshot(4, k_bob, k_alice, "200 INVITE", 1, false,
                          {savp(k_bob_rtp, 0x22), savp(ep("198.51.100.20", 5002), 0x33)}));
    const auto findings = run_rule("sdes.key-reuse", model_of({c}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["reuse"] == nlohmann::ordered_json::array({"two-streams"}));
}

TEST_CASE("sdes.key-reuse: copies of one SDP are not reuse") {
    SECTION("the offer forwarded by a proxy (same CSeq and method, another sender)") {
        session::Call c = call();
        exchange(c, sdp_snapshot(1, k_alice, k_proxy, "INVITE", 1, true, {savp(k_alice_rtp, 0x11)}),
                 sdp_snapshot(6, k_bob, k_proxy, "200 INVITE", 1, false, {savp(k_bob_rtp, 0x22)}));
        add(c, sdp_snapshot(2, k_proxy, k_bob, "INVITE", 1, true, {savp(k_alice_rtp, 0x11)}));
        add(c, sdp_snapshot(7, k_proxy, k_alice, "200 INVITE", 1, false, {savp(k_bob_rtp, 0x22)}));
        CHECK(run_rule("sdes.key-reuse", model_of({c})).empty());
    }
    SECTION("the same answer in the 183 and the 200 of one INVITE") {
        session::Call c = call();
        exchange(c, sdp_snapshot(1, k_alice, k_bob, "INVITE", 1, true, {savp(k_alice_rtp, 0x11)}),
                 sdp_snapshot(3, k_bob, k_alice, "183 INVITE", 1, false, {savp(k_bob_rtp, 0x22)}));
        add(c, sdp_snapshot(5, k_bob, k_alice, "200 INVITE", 1, false, {savp(k_bob_rtp, 0x22)}));
        CHECK(run_rule("sdes.key-reuse", model_of({c})).empty());
    }
    SECTION("a retransmitted INVITE (the tracker keeps it only when the body differs; here it does not)") {
        session::Call c = sdes_call(1, 1, 0x11, 0x22);
        add(c, sdp_snapshot(2, k_alice, k_bob, "INVITE", 1, true, {savp(k_alice_rtp, 0x11)}));
        CHECK(run_rule("sdes.key-reuse", model_of({c})).empty());
    }
    SECTION("a re-INVITE that repeats both keys on unchanged addresses (session refresh)") {
        session::Call c = sdes_call(1, 1, 0x11, 0x22);
        exchange(c, sdp_snapshot(20, k_alice, k_bob, "INVITE", 2, true, {savp(k_alice_rtp, 0x11)}),
                 sdp_snapshot(22, k_bob, k_alice, "200 INVITE", 2, false, {savp(k_bob_rtp, 0x22)}));
        CHECK(run_rule("sdes.key-reuse", model_of({c})).empty());
    }
    SECTION("the callee re-offers its own key for its unchanged stream") {
        session::Call c = sdes_call(1, 1, 0x11, 0x22);
        exchange(c, sdp_snapshot(20, k_bob, k_alice, "INVITE", 1, true, {savp(k_bob_rtp, 0x22)}),
                 sdp_snapshot(22, k_alice, k_bob, "200 INVITE", 1, false, {savp(k_alice_rtp, 0x11)}));
        c.sdps[2].cseq = 7;  // Bob's own CSeq space
        c.sdps[3].cseq = 7;
        CHECK(run_rule("sdes.key-reuse", model_of({c})).empty());
    }
    SECTION("two legs of one call through a B2BUA that passes SDES through (overlapping calls, same role)") {
        session::Call leg_a = sdes_call(1, 1, 0x11, 0x22);
        session::Call leg_b = sdes_call(2, 2, 0x11, 0x22);
        CHECK(run_rule("sdes.key-reuse", model_of({leg_a, leg_b})).empty());
    }
    SECTION("different keys everywhere") {
        CHECK(
            run_rule("sdes.key-reuse", model_of({sdes_call(1, 1, 0x11, 0x22), sdes_call(2, 100, 0x33, 0x44)})).empty());
    }
}
