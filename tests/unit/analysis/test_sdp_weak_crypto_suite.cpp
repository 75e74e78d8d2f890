// sdp.weak-crypto-suite over hand-built models.
#include "model_builder.hpp"

using namespace zaudit;
using namespace zaudit::test;

namespace {

const util::Endpoint k_alice = ep("192.0.2.10", 5060);
const util::Endpoint k_bob = ep("198.51.100.20", 5060);

std::vector<analysis::Finding> negotiate(std::vector<session::SdesKey> offered, session::SdesKey chosen) {
    session::Call c = call();
    exchange(c,
             sdp_snapshot(1, k_alice, k_bob, "INVITE", 1, true, {audio(ep("192.0.2.10", 4000), "RTP/SAVP", offered)}),
             sdp_snapshot(4, k_bob, k_alice, "200 INVITE", 1, false,
                          {audio(ep("198.51.100.20", 5000), "RTP/SAVP", {std::move(chosen)})}));
    return run_rule("sdp.weak-crypto-suite", model_of({c}));
}

}  // namespace

TEST_CASE("sdp.weak-crypto-suite: 32-bit tag chosen when the same cipher was offered with 80") {
    const auto findings = negotiate({sdes(1, "AES_CM_128_HMAC_SHA1_80", 1), sdes(2, "AES_CM_128_HMAC_SHA1_32", 2)},
                                    sdes(2, "AES_CM_128_HMAC_SHA1_32", 3));
    REQUIRE(findings.size() == 1);
    const analysis::Finding& f = findings[0];
    CHECK(f.severity == analysis::Severity::medium);
    CHECK(f.confidence == analysis::Confidence::verified);
    CHECK(f.frames == std::vector<std::uint64_t>{1, 4});
    CHECK(f.evidence["reason"] == "32-bit-auth-tag");
    CHECK(f.evidence["chosen_suite"] == "AES_CM_128_HMAC_SHA1_32");
    CHECK(f.evidence["stronger_offered"] == nlohmann::ordered_json::array({"AES_CM_128_HMAC_SHA1_80"}));
}

TEST_CASE("sdp.weak-crypto-suite: AES-256 with a 32-bit tag over AES-256 with 80") {
    const auto findings = negotiate({sdes(1, "AES_256_CM_HMAC_SHA1_80", 1), sdes(2, "AES_256_CM_HMAC_SHA1_32", 2)},
                                    sdes(2, "AES_256_CM_HMAC_SHA1_32", 3));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].evidence["stronger_offered"] == nlohmann::ordered_json::array({"AES_256_CM_HMAC_SHA1_80"}));
}

TEST_CASE("sdp.weak-crypto-suite: NULL cipher or disabling parameters chosen over a real suite") {
    SECTION("NULL_HMAC_SHA1_80") {
        const auto findings = negotiate({sdes(1, "AES_CM_128_HMAC_SHA1_80", 1), sdes(2, "NULL_HMAC_SHA1_80", 2)},
                                        sdes(2, "NULL_HMAC_SHA1_80", 3));
        REQUIRE(findings.size() == 1);
        CHECK(findings[0].evidence["reason"] == "null-cipher");
    }
    SECTION("UNENCRYPTED_SRTP") {
        session::SdesKey chosen = sdes(1, "AES_CM_128_HMAC_SHA1_80", 3);
        chosen.unencrypted_srtp = true;
        const auto findings = negotiate({sdes(1, "AES_CM_128_HMAC_SHA1_80", 1)}, chosen);
        REQUIRE(findings.size() == 1);
        CHECK(findings[0].evidence["reason"] == "unencrypted-srtp");
    }
    SECTION("UNAUTHENTICATED_SRTP") {
        session::SdesKey chosen = sdes(1, "AES_CM_128_HMAC_SHA1_80", 3);
        chosen.unauthenticated_srtp = true;
        const auto findings = negotiate({sdes(1, "AES_CM_128_HMAC_SHA1_80", 1)}, chosen);
        REQUIRE(findings.size() == 1);
        CHECK(findings[0].evidence["reason"] == "unauthenticated-srtp");
    }
}

TEST_CASE("sdp.weak-crypto-suite: not for AES-128 over AES-256, nor when nothing stronger was offered") {
    CHECK(negotiate({sdes(1, "AES_256_CM_HMAC_SHA1_80", 1), sdes(2, "AES_CM_128_HMAC_SHA1_80", 2)},
                    sdes(2, "AES_CM_128_HMAC_SHA1_80", 3))
              .empty());
    CHECK(negotiate({sdes(1, "AES_CM_128_HMAC_SHA1_32", 1)}, sdes(1, "AES_CM_128_HMAC_SHA1_32", 3)).empty());
    // 80-bit tag offered only with another cipher: the 32-bit choice keeps its cipher.
    CHECK(negotiate({sdes(1, "AES_256_CM_HMAC_SHA1_80", 1), sdes(2, "AES_CM_128_HMAC_SHA1_32", 2)},
                    sdes(2, "AES_CM_128_HMAC_SHA1_32", 3))
              .empty());
    CHECK(negotiate({sdes(1, "NULL_HMAC_SHA1_80", 1)}, sdes(1, "NULL_HMAC_SHA1_80", 3)).empty());
    CHECK(negotiate({sdes(1, "AES_CM_128_HMAC_SHA1_80", 1)}, sdes(1, "AES_CM_128_HMAC_SHA1_80", 3)).empty());
    CHECK(negotiate({sdes(1, "AEAD_AES_256_GCM", 1), sdes(2, "AEAD_AES_128_GCM", 2)}, sdes(2, "AEAD_AES_128_GCM", 3))
              .empty());
}
