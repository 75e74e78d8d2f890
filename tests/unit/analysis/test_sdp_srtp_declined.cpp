// sdp.srtp-declined over hand-built models.
#include "model_builder.hpp"

using namespace zaudit;
using namespace zaudit::test;

namespace {

const util::Endpoint k_alice = ep("192.0.2.10", 5060);
const util::Endpoint k_bob = ep("198.51.100.20", 5060);
const util::Endpoint k_alice_rtp = ep("192.0.2.10", 4000);
const util::Endpoint k_bob_rtp = ep("198.51.100.20", 5000);

session::SdpMedia savp(util::Endpoint rtp, std::uint8_t fill) {
    return audio(rtp, "RTP/SAVP", {sdes(1, "AES_CM_128_HMAC_SHA1_80", fill)});
}

session::Call one_exchange(session::SdpMedia offered, session::SdpMedia answered) {
    session::Call c = call();
    exchange(c, sdp_snapshot(1, k_alice, k_bob, "INVITE", 1, true, {std::move(offered)}),
             sdp_snapshot(4, k_bob, k_alice, "200 INVITE", 1, false, {std::move(answered)}));
    return c;
}

}  // namespace

TEST_CASE("sdp.srtp-declined: SAVP offer answered with plain RTP/AVP") {
    const auto findings =
        run_rule("sdp.srtp-declined", model_of({one_exchange(savp(k_alice_rtp, 0x11), audio(k_bob_rtp, "RTP/AVP"))}));
    REQUIRE(findings.size() == 1);
    const analysis::Finding& f = findings[0];
    CHECK(f.severity == analysis::Severity::high);
    CHECK(f.confidence == analysis::Confidence::verified);
    CHECK(f.frames == std::vector<std::uint64_t>{1, 4});
    CHECK(f.evidence["how"] == "answer");
    CHECK(f.evidence["requested"] == "sdes-srtp");
    CHECK(f.evidence["m_line"] == 1);
    CHECK(f.evidence["offered"]["profile"] == "RTP/SAVP");
    CHECK(f.evidence["answered"]["profile"] == "RTP/AVP");
    CHECK(f.evidence["offer"]["sender"] == "192.0.2.10:5060");
    CHECK(f.evidence["answer"]["sender"] == "198.51.100.20:5060");
}

TEST_CASE("sdp.srtp-declined: best-effort SDES (a=crypto in RTP/AVP) answered without a=crypto") {
    // baresip's best-effort offer, as in tests/interop/sdes-baresip-linphone.pcap.
    const auto findings =
        run_rule("sdp.srtp-declined",
                 model_of({one_exchange(audio(k_alice_rtp, "RTP/AVP", {sdes(1, "AES_CM_128_HMAC_SHA1_80", 0x11)}),
                                        audio(k_bob_rtp, "RTP/AVP"))}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["requested"].get<std::string>().find("best effort") != std::string::npos);
}

TEST_CASE("sdp.srtp-declined: DTLS offer answered with plain RTP") {
    session::SdpMedia dtls = audio(k_alice_rtp, "UDP/TLS/RTP/SAVPF");
    dtls.fingerprints = {"sha-256 AB:CD"};
    const auto findings = run_rule("sdp.srtp-declined", model_of({one_exchange(dtls, audio(k_bob_rtp, "RTP/AVP"))}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["requested"] == "dtls-srtp");
}

TEST_CASE("sdp.srtp-declined: a re-offer falls back to plain RTP after SRTP was agreed") {
    session::Call c = one_exchange(savp(k_alice_rtp, 0x11), savp(k_bob_rtp, 0x22));
    exchange(c, sdp_snapshot(20, k_alice, k_bob, "INVITE", 2, true, {audio(k_alice_rtp, "RTP/AVP")}),
             sdp_snapshot(22, k_bob, k_alice, "200 INVITE", 2, false, {audio(k_bob_rtp, "RTP/AVP")}));
    const auto findings = run_rule("sdp.srtp-declined", model_of({c}));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["how"] == "re-offer");
    CHECK(findings[0].frames == std::vector<std::uint64_t>{4, 20});
}

TEST_CASE("sdp.srtp-declined: not when SRTP is accepted, refused, rejected, or never asked") {
    SECTION("answer accepts SDES") {
        CHECK(run_rule("sdp.srtp-declined", model_of({one_exchange(savp(k_alice_rtp, 0x11), savp(k_bob_rtp, 0x22))}))
                  .empty());
    }
    SECTION("answer refuses the stream with port 0") {
        CHECK(run_rule("sdp.srtp-declined",
                       model_of({one_exchange(savp(k_alice_rtp, 0x11), audio(ep("198.51.100.20", 0), "RTP/AVP"))}))
                  .empty());
    }
    SECTION("offer rejected with 488") {
        session::Call c = call();
        add(c, sdp_snapshot(1, k_alice, k_bob, "INVITE", 1, true, {savp(k_alice_rtp, 0x11)}));
        c.exchanges.push_back(session::OfferAnswer{0, std::nullopt, true, 488});
        CHECK(run_rule("sdp.srtp-declined", model_of({c})).empty());
    }
    SECTION("plain offer, plain answer") {
        CHECK(run_rule("sdp.srtp-declined",
                       model_of({one_exchange(audio(k_alice_rtp, "RTP/AVP"), audio(k_bob_rtp, "RTP/AVP"))}))
                  .empty());
    }
    SECTION("ZRTP answer: RTP/AVP with a=zrtp-hash keys in the media path") {
        session::SdpMedia zrtp = audio(k_bob_rtp, "RTP/AVP");
        zrtp.zrtp_hashes = {"1.10 00"};
        CHECK(run_rule("sdp.srtp-declined", model_of({one_exchange(savp(k_alice_rtp, 0x11), zrtp)})).empty());
    }
    SECTION("a re-offer that keeps SRTP") {
        session::Call c = one_exchange(savp(k_alice_rtp, 0x11), savp(k_bob_rtp, 0x22));
        exchange(c, sdp_snapshot(20, k_alice, k_bob, "INVITE", 2, true, {savp(k_alice_rtp, 0x11)}),
                 sdp_snapshot(22, k_bob, k_alice, "200 INVITE", 2, false, {savp(k_bob_rtp, 0x22)}));
        CHECK(run_rule("sdp.srtp-declined", model_of({c})).empty());
    }
}
