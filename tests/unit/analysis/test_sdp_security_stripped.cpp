// sdp.security-stripped over hand-built models.
#include "model_builder.hpp"

using namespace zaudit;
using namespace zaudit::test;

namespace {

const util::Endpoint k_alice = ep("192.0.2.10", 5060);
const util::Endpoint k_proxy = ep("203.0.113.5", 5060);
const util::Endpoint k_bob = ep("198.51.100.20", 5060);
const util::Endpoint k_alice_rtp = ep("192.0.2.10", 4000);
const util::Endpoint k_bob_rtp = ep("198.51.100.20", 5000);

session::SdpMedia zrtp_media(util::Endpoint rtp) {
    session::SdpMedia media = audio(rtp, "RTP/AVP");
    media.zrtp_hashes = {"1.10 fe30efd02423cb054e50efd0248742ac7a52c8f91bc2df881ae642c371ba46df"};
    return media;
}

}  // namespace

TEST_CASE("sdp.security-stripped: a proxy forwards the INVITE without a=crypto") {
    session::Call c = call();
    exchange(c,
             sdp_snapshot(1, k_alice, k_proxy, "INVITE", 1, true,
                          {audio(k_alice_rtp, "RTP/SAVP", {sdes(1, "AES_CM_128_HMAC_SHA1_80", 1)})}),
             sdp_snapshot(6, k_bob, k_proxy, "200 INVITE", 1, false, {audio(k_bob_rtp, "RTP/AVP")}));
    add(c, sdp_snapshot(2, k_proxy, k_bob, "INVITE", 1, true, {audio(k_alice_rtp, "RTP/AVP")}));
    const auto findings = run_rule("sdp.security-stripped", model_of({c}));
    REQUIRE(findings.size() == 1);
    const analysis::Finding& f = findings[0];
    CHECK(f.severity == analysis::Severity::high);
    CHECK(f.confidence == analysis::Confidence::verified);
    CHECK(f.frames == std::vector<std::uint64_t>{1, 2});
    CHECK(f.evidence["attribute"] == "crypto");
    CHECK(f.evidence["seen_as"] == "two hops");
    CHECK(f.evidence["frame_before"] == 1);
    CHECK(f.evidence["frame_after"] == 2);
    CHECK(f.evidence["before"]["sender"] == "192.0.2.10:5060");
    CHECK(f.evidence["after"]["sender"] == "203.0.113.5:5060");
    CHECK(f.evidence["after"]["receiver"] == "198.51.100.20:5060");
}

TEST_CASE("sdp.security-stripped: a=zrtp-hash removed from the answer at the second hop") {
    session::Call c = call();
    exchange(c, sdp_snapshot(1, k_alice, k_proxy, "INVITE", 1, true, {zrtp_media(k_alice_rtp)}),
             sdp_snapshot(6, k_bob, k_proxy, "200 INVITE", 1, false, {zrtp_media(k_bob_rtp)}));
    add(c, sdp_snapshot(2, k_proxy, k_bob, "INVITE", 1, true, {zrtp_media(k_alice_rtp)}));
    add(c, sdp_snapshot(7, k_proxy, k_alice, "200 INVITE", 1, false, {audio(k_bob_rtp, "RTP/AVP")}));
    const auto findings = run_rule("sdp.security-stripped", model_of({c}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["attribute"] == "zrtp-hash");
    CHECK(findings[0].frames == std::vector<std::uint64_t>{6, 7});
}

TEST_CASE("sdp.security-stripped: the same party re-offers without a=fingerprint") {
    session::SdpMedia dtls_a = audio(k_alice_rtp, "UDP/TLS/RTP/SAVP");
    dtls_a.fingerprints = {"sha-256 AB:CD"};
    session::SdpMedia dtls_b = audio(k_bob_rtp, "UDP/TLS/RTP/SAVP");
    dtls_b.fingerprints = {"sha-256 EF:01"};
    session::Call c = call();
    exchange(c, sdp_snapshot(1, k_alice, k_bob, "INVITE", 1, true, {dtls_a}),
             sdp_snapshot(4, k_bob, k_alice, "200 INVITE", 1, false, {dtls_b}));
    exchange(c, sdp_snapshot(20, k_alice, k_bob, "INVITE", 2, true, {audio(k_alice_rtp, "UDP/TLS/RTP/SAVP")}),
             sdp_snapshot(22, k_bob, k_alice, "200 INVITE", 2, false, {dtls_b}));
    const auto findings = run_rule("sdp.security-stripped", model_of({c}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["attribute"] == "fingerprint");
    CHECK(findings[0].evidence["seen_as"] == "re-offer");
    CHECK(findings[0].frames == std::vector<std::uint64_t>{1, 20});
}

TEST_CASE("sdp.security-stripped: not when attributes survive, never existed, or the stream is removed") {
    SECTION("both hops carry a=zrtp-hash") {
        session::Call c = call();
        exchange(c, sdp_snapshot(1, k_alice, k_proxy, "INVITE", 1, true, {zrtp_media(k_alice_rtp)}),
                 sdp_snapshot(6, k_bob, k_proxy, "200 INVITE", 1, false, {zrtp_media(k_bob_rtp)}));
        add(c, sdp_snapshot(2, k_proxy, k_bob, "INVITE", 1, true, {zrtp_media(k_alice_rtp)}));
        CHECK(run_rule("sdp.security-stripped", model_of({c})).empty());
    }
    SECTION("the other party re-offers without a=zrtp-hash it never sent") {
        session::Call c = call();
        exchange(c, sdp_snapshot(1, k_alice, k_bob, "INVITE", 1, true, {zrtp_media(k_alice_rtp)}),
                 sdp_snapshot(4, k_bob, k_alice, "200 INVITE", 1, false, {audio(k_bob_rtp, "RTP/AVP")}));
        exchange(c, sdp_snapshot(20, k_bob, k_alice, "INVITE", 1, true, {audio(k_bob_rtp, "RTP/AVP")}),
                 sdp_snapshot(22, k_alice, k_bob, "200 INVITE", 1, false, {zrtp_media(k_alice_rtp)}));
        CHECK(run_rule("sdp.security-stripped", model_of({c})).empty());
    }
    SECTION("a re-offer that disables the stream (port 0)") {
        session::Call c = call();
        exchange(c, sdp_snapshot(1, k_alice, k_bob, "INVITE", 1, true, {zrtp_media(k_alice_rtp)}),
                 sdp_snapshot(4, k_bob, k_alice, "200 INVITE", 1, false, {zrtp_media(k_bob_rtp)}));
        exchange(c, sdp_snapshot(20, k_alice, k_bob, "INVITE", 2, true, {audio(ep("192.0.2.10", 0), "RTP/AVP")}),
                 sdp_snapshot(22, k_bob, k_alice, "200 INVITE", 2, false, {audio(ep("198.51.100.20", 0), "RTP/AVP")}));
        CHECK(run_rule("sdp.security-stripped", model_of({c})).empty());
    }
    SECTION("a 183 and a 200 with different bodies are not two hops of one message") {
        session::Call c = call();
        exchange(c, sdp_snapshot(1, k_alice, k_bob, "INVITE", 1, true, {zrtp_media(k_alice_rtp)}),
                 sdp_snapshot(3, k_bob, k_alice, "183 INVITE", 1, false, {zrtp_media(k_bob_rtp)}));
        add(c, sdp_snapshot(5, k_bob, k_alice, "200 INVITE", 1, false, {zrtp_media(k_bob_rtp)}));
        CHECK(run_rule("sdp.security-stripped", model_of({c})).empty());
    }
}
