// sdes.key-exposed over hand-built models.
#include "model_builder.hpp"

using namespace zaudit;
using namespace zaudit::test;

namespace {

const util::Endpoint k_alice = ep("192.0.2.10", 5060);
const util::Endpoint k_proxy = ep("203.0.113.5", 5060);
const util::Endpoint k_bob = ep("198.51.100.20", 5060);

/// Alice offers two keys (tags 1 and 2) through a proxy (seen on both hops), Bob answers tag 1.
session::Call sdes_call() {
    session::Call c = call();
    const auto offered = audio(ep("192.0.2.10", 4000), "RTP/SAVP",
                               {sdes(1, "AES_CM_128_HMAC_SHA1_80", 0x11), sdes(2, "AES_CM_128_HMAC_SHA1_32", 0x22)});
    exchange(c, sdp_snapshot(1, k_alice, k_proxy, "INVITE", 20, true, {offered}),
             sdp_snapshot(6, k_bob, k_proxy, "200 INVITE", 20, false,
                          {audio(ep("198.51.100.20", 5000), "RTP/SAVP", {sdes(1, "AES_CM_128_HMAC_SHA1_80", 0x33)})}));
    add(c, sdp_snapshot(3, k_proxy, k_bob, "INVITE", 20, true, {offered}));  // the proxy forwards the offer
    return c;
}

}  // namespace

TEST_CASE("sdes.key-exposed: one finding per distinct key, with every SDP that carried it") {
    const auto findings = run_rule("sdes.key-exposed", model_of({sdes_call()}));
    REQUIRE(findings.size() == 3);
    const analysis::Finding& first = findings[0];
    CHECK(first.severity == analysis::Severity::critical);
    CHECK(first.confidence == analysis::Confidence::verified);
    CHECK(first.call == 1U);
    CHECK(first.frames == std::vector<std::uint64_t>{1, 3});
    CHECK(first.evidence["suite"] == "AES_CM_128_HMAC_SHA1_80");
    CHECK(first.evidence["tag"] == 1);
    CHECK(first.evidence["key_fingerprint"] == sdes(1, "x", 0x11).fingerprint);
    CHECK(first.evidence["m_line"] == 1);
    CHECK(first.evidence["media"] == "audio");
    CHECK(first.evidence["sent_by"] == "192.0.2.10:5060");
    CHECK(first.evidence["carried_by"] == "INVITE");
    CHECK(first.evidence["in_use"] == true);                      // the answer took tag 1
    CHECK(first.evidence["srtp_authenticated"] == "no-packets");  // the model holds no media
    CHECK_FALSE(first.evidence.contains("key_base64"));
    CHECK(first.message.find("exposed") != std::string::npos);

    CHECK(findings[1].evidence["tag"] == 2);
    CHECK(findings[1].evidence["in_use"] == false);  // offered, never chosen
    CHECK(findings[2].frames == std::vector<std::uint64_t>{6});
    CHECK(findings[2].evidence["sent_by"] == "198.51.100.20:5060");
    CHECK(findings[2].evidence["offer"] == false);
}

TEST_CASE("sdes.key-exposed: key material stays out of evidence and message unless reveal_keys") {
    // key||salt = bytes 0x00..0x1d; its base64 computed independently (Python's base64 module).
    const std::string written = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd";
    session::SdesKey key = sdes(1, "AES_CM_128_HMAC_SHA1_80", 0);
    key.key_salt.clear();
    for (std::uint8_t i = 0; i < 30; ++i) {
        key.key_salt.push_back(i);
    }
    session::Call c = call();
    add(c, sdp_snapshot(1, k_alice, k_bob, "INVITE", 1, true, {audio(ep("192.0.2.10", 4000), "RTP/SAVP", {key})}));
    c.exchanges.push_back(session::OfferAnswer{0, std::nullopt, false, 0});

    const auto hidden = run_rule("sdes.key-exposed", model_of({c}));
    REQUIRE(hidden.size() == 1);
    CHECK(hidden[0].evidence.dump().find(written.substr(0, 12)) == std::string::npos);
    CHECK(hidden[0].message.find(written.substr(0, 12)) == std::string::npos);
    CHECK(hidden[0].evidence["in_use"].is_null());  // no answer captured

    analysis::Policy reveal;
    reveal.reveal_keys = true;
    const auto shown = run_rule("sdes.key-exposed", model_of({c}), reveal);
    REQUIRE(shown.size() == 1);
    CHECK(shown[0].evidence["key_base64"] == written);
}

TEST_CASE("sdes.key-exposed: not for TLS signalling, plain SDP or undecodable keys") {
    session::Call tls = sdes_call();
    tls.tls = true;
    tls.transport = "tls";
    CHECK(run_rule("sdes.key-exposed", model_of({tls})).empty());

    session::Call plain = call();
    exchange(plain, sdp_snapshot(1, k_alice, k_bob, "INVITE", 1, true, {audio(ep("192.0.2.10", 4000), "RTP/AVP")}),
             sdp_snapshot(4, k_bob, k_alice, "200 INVITE", 1, false, {audio(ep("198.51.100.20", 5000), "RTP/AVP")}));
    CHECK(run_rule("sdes.key-exposed", model_of({plain})).empty());

    session::SdesKey broken = sdes(1, "AES_CM_128_HMAC_SHA1_80", 0);
    broken.key_salt.clear();  // the inline key did not decode
    broken.fingerprint.clear();
    session::Call bad = call();
    add(bad, sdp_snapshot(1, k_alice, k_bob, "INVITE", 1, true, {audio(ep("192.0.2.10", 4000), "RTP/SAVP", {broken})}));
    CHECK(run_rule("sdes.key-exposed", model_of({bad})).empty());
}

TEST_CASE("sdes.key-exposed: a call lists 16 keys, the keys in use first, and counts the rest in one finding") {
    // One offer of 20 keys (tags 1-20); the answer takes tag 20, the last offered, with a key of its own.
    std::vector<session::SdesKey> offered;
    for (std::uint8_t tag = 1; tag <= 20; ++tag) {
        offered.push_back(sdes(tag, "AES_CM_128_HMAC_SHA1_80", tag));
    }
    session::Call c = call();
    exchange(c,
             sdp_snapshot(1, k_alice, k_bob, "INVITE", 1, true, {audio(ep("192.0.2.10", 4000), "RTP/SAVP", offered)}),
             sdp_snapshot(4, k_bob, k_alice, "200 INVITE", 1, false,
                          {audio(ep("198.51.100.20", 5000), "RTP/SAVP", {sdes(20, "AES_CM_128_HMAC_SHA1_80", 0x77)})}));

    const auto findings = run_rule("sdes.key-exposed", model_of({c}));
    REQUIRE(findings.size() == 17);
    std::vector<int> listed_tags;
    for (std::size_t i = 0; i < 16; ++i) {
        CHECK_FALSE(findings[i].count.has_value());
        listed_tags.push_back(findings[i].evidence["tag"].get<int>());
    }
    // Offered tags 1-14 and 20 in the order sent, then the answer's key: the two keys in use made
    // the list although tag 20 came after sixteen others.
    CHECK(listed_tags == std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 20, 20});
    CHECK(findings[14].evidence["in_use"] == true);
    CHECK(findings[15].evidence["offer"] == false);

    const analysis::Finding& rest = findings[16];
    CHECK(rest.severity == analysis::Severity::critical);
    CHECK(rest.call == 1U);
    REQUIRE(rest.count == 5U);
    REQUIRE(rest.examples.size() == 5);
    for (std::size_t i = 0; i < 5; ++i) {
        CHECK(rest.examples[i]["tag"] == 15 + i);
        CHECK(rest.examples[i]["in_use"] == false);
        CHECK(rest.examples[i]["key_fingerprint"] ==
              sdes(static_cast<std::uint32_t>(15 + i), "x", static_cast<std::uint8_t>(15 + i)).fingerprint);
        CHECK_FALSE(rest.examples[i].contains("key_base64"));
    }
    CHECK(rest.evidence["listed_separately"] == 16);
    CHECK(rest.evidence["in_use_count"] == 0);
    CHECK(rest.frames == std::vector<std::uint64_t>{1});
    CHECK(rest.message.find("5 more SDES keys") != std::string::npos);

    analysis::Policy reveal;
    reveal.reveal_keys = true;
    const auto shown = run_rule("sdes.key-exposed", model_of({c}), reveal);
    REQUIRE(shown.size() == 17);
    CHECK(shown[16].examples[0]["key_base64"] == util::to_base64(sdes(15, "x", 15).key_salt));
}
