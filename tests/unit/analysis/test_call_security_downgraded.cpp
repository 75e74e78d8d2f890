// call.security-downgraded (SDP side) and the protection timeline over hand-built models.
#include "model_builder.hpp"

using namespace zaudit;
using namespace zaudit::test;

namespace {

const util::Endpoint k_alice = ep("192.0.2.10", 5060);
const util::Endpoint k_bob = ep("198.51.100.20", 5060);
const util::Endpoint k_alice_rtp = ep("192.0.2.10", 4000);
const util::Endpoint k_bob_rtp = ep("198.51.100.20", 5000);

session::SdpMedia with_zrtp(session::SdpMedia media) {
    media.zrtp_hashes = {"1.10 00"};
    return media;
}

session::SdpMedia savp(util::Endpoint rtp, std::uint8_t fill) {
    return audio(rtp, "RTP/SAVP", {sdes(1, "AES_CM_128_HMAC_SHA1_80", fill)});
}

void add_exchange(session::Call& c, std::uint32_t cseq, std::uint64_t frame, session::SdpMedia offered,
                  session::SdpMedia answered) {
    exchange(c, sdp_snapshot(frame, k_alice, k_bob, "INVITE", cseq, true, {std::move(offered)}),
             sdp_snapshot(frame + 2, k_bob, k_alice, "200 INVITE", cseq, false, {std::move(answered)}));
}

}  // namespace

TEST_CASE("call.security-downgraded: ZRTP, then SDES, then plain RTP") {
    session::Call c = call();
    add_exchange(c, 1, 1, with_zrtp(audio(k_alice_rtp, "RTP/AVP")), with_zrtp(audio(k_bob_rtp, "RTP/AVP")));
    add_exchange(c, 2, 20, savp(k_alice_rtp, 1), savp(k_bob_rtp, 2));
    add_exchange(c, 3, 40, audio(k_alice_rtp, "RTP/AVP"), audio(k_bob_rtp, "RTP/AVP"));
    const auto findings = run_rule("call.security-downgraded", model_of({c}));
    REQUIRE(findings.size() == 2);
    const analysis::Finding& first = findings[0];
    CHECK(first.severity == analysis::Severity::high);
    CHECK(first.confidence == analysis::Confidence::verified);
    CHECK(first.frames == std::vector<std::uint64_t>{1, 3, 20, 22});
    CHECK(first.evidence["from"] == "zrtp");
    CHECK(first.evidence["to"] == "sdes-srtp");
    CHECK(first.evidence["timeline"].size() == 3);
    CHECK(first.evidence["timeline"][2]["protection"] == "none");
    CHECK(findings[1].evidence["from"] == "sdes-srtp");
    CHECK(findings[1].evidence["to"] == "none");
}

TEST_CASE("call.security-downgraded: the weaker side of an exchange counts") {
    session::Call c = call();
    add_exchange(c, 1, 1, savp(k_alice_rtp, 1), savp(k_bob_rtp, 2));
    // The re-offer still carries a=crypto, but the answer accepts plain RTP.
    add_exchange(c, 2, 20, savp(k_alice_rtp, 3), audio(k_bob_rtp, "RTP/AVP"));
    const auto findings = run_rule("call.security-downgraded", model_of({c}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["to"] == "none");
}

TEST_CASE("call.security-downgraded: not for steady or rising protection, rejected re-offers, or unknown keying") {
    SECTION("SDES throughout") {
        session::Call c = call();
        add_exchange(c, 1, 1, savp(k_alice_rtp, 1), savp(k_bob_rtp, 2));
        add_exchange(c, 2, 20, savp(k_alice_rtp, 3), savp(k_bob_rtp, 4));
        CHECK(run_rule("call.security-downgraded", model_of({c})).empty());
    }
    SECTION("plain, then ZRTP") {
        session::Call c = call();
        add_exchange(c, 1, 1, audio(k_alice_rtp, "RTP/AVP"), audio(k_bob_rtp, "RTP/AVP"));
        add_exchange(c, 2, 20, with_zrtp(audio(k_alice_rtp, "RTP/AVP")), with_zrtp(audio(k_bob_rtp, "RTP/AVP")));
        CHECK(run_rule("call.security-downgraded", model_of({c})).empty());
    }
    SECTION("a plain re-offer rejected with 488 leaves SDES in force") {
        session::Call c = call();
        add_exchange(c, 1, 1, savp(k_alice_rtp, 1), savp(k_bob_rtp, 2));
        add(c, sdp_snapshot(20, k_alice, k_bob, "INVITE", 2, true, {audio(k_alice_rtp, "RTP/AVP")}));
        c.exchanges.push_back(session::OfferAnswer{c.sdps.size() - 1, std::nullopt, true, 488});
        CHECK(run_rule("call.security-downgraded", model_of({c})).empty());
    }
    SECTION("SDES, then a secure profile keyed outside the SDP (unknown)") {
        session::Call c = call();
        add_exchange(c, 1, 1, savp(k_alice_rtp, 1), savp(k_bob_rtp, 2));
        add_exchange(c, 2, 20, audio(k_alice_rtp, "RTP/SAVP"), audio(k_bob_rtp, "RTP/SAVP"));
        CHECK(run_rule("call.security-downgraded", model_of({c})).empty());
    }
}
