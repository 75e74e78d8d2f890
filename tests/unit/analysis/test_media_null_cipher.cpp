// media.null-cipher and media.unauthenticated (SDP side) over hand-built models.
#include "model_builder.hpp"

using namespace zaudit;
using namespace zaudit::test;

namespace {

const util::Endpoint k_alice = ep("192.0.2.10", 5060);
const util::Endpoint k_bob = ep("198.51.100.20", 5060);

/// A call that agreed on `chosen`, with one media stream bound to its m= line.
session::Model agreed(const session::SdesKey& chosen, std::uint16_t answer_port = 5000) {
    session::Call c = call();
    exchange(c,
             sdp_snapshot(1, k_alice, k_bob, "INVITE", 1, true,
                          {audio(ep("192.0.2.10", 4000), "RTP/SAVP", {sdes(chosen.tag, chosen.suite, 1)})}),
             sdp_snapshot(4, k_bob, k_alice, "200 INVITE", 1, false,
                          {audio(ep("198.51.100.20", answer_port), "RTP/SAVP", {chosen})}));
    session::MediaStream stream;
    stream.id = 1;
    stream.src = ep("192.0.2.10", 4000);
    stream.dst = ep("198.51.100.20", 5000);
    stream.ssrc = 0x0000beef;
    stream.packets = 50;
    stream.first_frame = 9;
    stream.last_frame = 90;
    stream.protection = session::Protection::sdes_srtp;
    stream.call = 1;
    stream.sdp_media = 0;
    c.media = {1};
    session::Model model = model_of({c});
    model.media = {stream};
    return model;
}

}  // namespace

TEST_CASE("media.null-cipher: NULL suite agreed") {
    const auto findings = run_rule("media.null-cipher", agreed(sdes(1, "NULL_HMAC_SHA1_80", 2)));
    REQUIRE(findings.size() == 1);
    const analysis::Finding& f = findings[0];
    CHECK(f.severity == analysis::Severity::high);
    CHECK(f.confidence == analysis::Confidence::verified);
    CHECK(f.frames == std::vector<std::uint64_t>{1, 4, 9});
    CHECK(f.evidence["suite"] == "NULL_HMAC_SHA1_80");
    CHECK(f.evidence["null_cipher_suite"] == true);
    CHECK(f.evidence["streams"][0]["ssrc"] == "0x0000beef");
    CHECK(f.evidence["checked"] == "sdp");
}

TEST_CASE("media.null-cipher: UNENCRYPTED_SRTP agreed") {
    session::SdesKey key = sdes(1, "AES_CM_128_HMAC_SHA1_80", 2);
    key.unencrypted_srtp = true;
    const auto findings = run_rule("media.null-cipher", agreed(key));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["unencrypted_srtp"] == true);
    CHECK(findings[0].evidence["null_cipher_suite"] == false);
}

TEST_CASE("media.null-cipher: not for real suites, UNENCRYPTED_SRTCP alone, or a refused stream") {
    CHECK(run_rule("media.null-cipher", agreed(sdes(1, "AES_CM_128_HMAC_SHA1_80", 2))).empty());
    session::SdesKey srtcp_only = sdes(1, "AES_CM_128_HMAC_SHA1_80", 2);
    srtcp_only.unencrypted_srtcp = true;  // RTCP in clear: not the media
    CHECK(run_rule("media.null-cipher", agreed(srtcp_only)).empty());
    CHECK(run_rule("media.null-cipher", agreed(sdes(1, "NULL_HMAC_SHA1_80", 2), 0)).empty());
}

TEST_CASE("media.unauthenticated: UNAUTHENTICATED_SRTP agreed") {
    session::SdesKey key = sdes(1, "AES_CM_128_HMAC_SHA1_80", 2);
    key.unauthenticated_srtp = true;
    const auto findings = run_rule("media.unauthenticated", agreed(key));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].severity == analysis::Severity::medium);
    CHECK(findings[0].confidence == analysis::Confidence::verified);
    CHECK(findings[0].evidence["suite"] == "AES_CM_128_HMAC_SHA1_80");
    CHECK(findings[0].frames == std::vector<std::uint64_t>{1, 4, 9});
}

TEST_CASE("media.unauthenticated: not for authenticated suites, NULL cipher included") {
    CHECK(run_rule("media.unauthenticated", agreed(sdes(1, "AES_CM_128_HMAC_SHA1_32", 2))).empty());
    CHECK(run_rule("media.unauthenticated", agreed(sdes(1, "NULL_HMAC_SHA1_80", 2))).empty());
}
