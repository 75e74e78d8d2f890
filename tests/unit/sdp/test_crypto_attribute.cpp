#include <catch2/catch.hpp>

#include <string>

#include <fmt/format.h>

#include "zaudit/sdp/crypto_attribute.hpp"
#include "zaudit/sdp/session.hpp"
#include "zaudit/util/hex.hpp"

using namespace zaudit::sdp;
using zaudit::util::AnomalyCode;
using zaudit::util::to_hex;

namespace {

// RFC 4568 section 8.1 offer (its line folding undone). Decoded keys checked with Python's
// base64.b64decode: "WVNf...VubGVz" is b'YS___semctl () {\t220;}\n}\nunles' (30 bytes).
const char* const k_rfc4568_offer =
    "v=0\r\n"
    "o=sam 2890844526 2890842807 IN IP4 10.47.16.5\r\n"
    "s=SRTP Discussion\r\n"
    "i=A discussion of Secure RTP\r\n"
    "u=http://www.example.com/seminars/srtp.pdf\r\n"
    "e=marge@example.com (Marge Simpson)\r\n"
    "c=IN IP4 168.2.17.12\r\n"
    "t=2873397496 2873404696\r\n"
    "m=audio 49170 RTP/SAVP 0\r\n"
    "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4 "
    "FEC_ORDER=FEC_SRTP\r\n"
    "a=crypto:2 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm|2^20|1:4;"
    "inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:4 FEC_ORDER=FEC_SRTP\r\n";

const std::string k_key30 = "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz";

}  // namespace

TEST_CASE("RFC 4568 section 8.1 offer") {
    const SdpSession s = parse(k_rfc4568_offer);
    CHECK(s.anomalies.empty());
    REQUIRE(s.media.size() == 1);
    const auto& m = s.media[0];
    CHECK(m.profile_secure);
    REQUIRE(m.cryptos.size() == 2);
    const auto& c1 = m.cryptos[0];
    CHECK(c1.tag == 1u);
    CHECK(c1.suite == "AES_CM_128_HMAC_SHA1_80");
    REQUIRE(c1.keys.size() == 1);
    CHECK(c1.keys[0].method == "inline");
    CHECK(c1.keys[0].key_salt_base64 == k_key30);
    CHECK(to_hex(c1.keys[0].key_salt) == "59535f5f5f73656d63746c202829207b093232303b7d0a7d0a756e6c6573");
    CHECK(c1.keys[0].lifetime_text == "2^20");
    CHECK(c1.keys[0].lifetime == (1u << 20));
    CHECK(c1.keys[0].mki_value == 1u);
    CHECK(c1.keys[0].mki_length == 4u);
    CHECK(c1.session_params == std::vector<std::string>{"FEC_ORDER=FEC_SRTP"});
    CHECK(c1.fec_order == "FEC_SRTP");
    const auto& c2 = m.cryptos[1];
    CHECK(c2.suite == "F8_128_HMAC_SHA1_80");
    REQUIRE(c2.keys.size() == 2);
    CHECK(std::string(c2.keys[0].key_salt.begin(), c2.keys[0].key_salt.end()) == "123456789ABCDE0123456789ABcdef");
    CHECK(std::string(c2.keys[1].key_salt.begin(), c2.keys[1].key_salt.end()) == "ABcdef123456789ABCDE0123456789");
    CHECK(c2.keys[1].mki_value == 2u);
}

TEST_CASE("key without lifetime or MKI, decimal lifetime, MKI only") {
    auto a = parse_crypto("1 AES_CM_128_HMAC_SHA1_32 inline:" + k_key30);
    REQUIRE(a.crypto);
    CHECK(a.anomalies.empty());
    CHECK(a.crypto->keys[0].lifetime_text.empty());
    CHECK_FALSE(a.crypto->keys[0].lifetime);
    CHECK_FALSE(a.crypto->keys[0].mki_value);
    auto b = parse_crypto("2 AES_CM_128_HMAC_SHA1_80 inline:" + k_key30 + "|1048576");
    REQUIRE(b.crypto);
    CHECK(b.crypto->keys[0].lifetime == 1048576u);
    auto c = parse_crypto("3 AES_CM_128_HMAC_SHA1_80 inline:" + k_key30 + "|5:1");
    REQUIRE(c.crypto);
    CHECK_FALSE(c.crypto->keys[0].lifetime);
    CHECK(c.crypto->keys[0].mki_value == 5u);
    CHECK(c.crypto->keys[0].mki_length == 1u);
    auto d = parse_crypto("4 AES_CM_128_HMAC_SHA1_80 inline:" + k_key30 + "|2^31");
    REQUIRE(d.crypto);
    CHECK(d.crypto->keys[0].lifetime == (std::uint64_t{1} << 31));
}

TEST_CASE("session parameters") {
    auto r = parse_crypto(
        "1 AES_CM_128_HMAC_SHA1_80 inline:" + k_key30 +
        " UNENCRYPTED_SRTP UNENCRYPTED_SRTCP UNAUTHENTICATED_SRTP KDR=23 WSH=128 FEC_KEY=inline:" + k_key30);
    REQUIRE(r.crypto);
    CHECK(r.anomalies.empty());
    CHECK(r.crypto->unencrypted_srtp);
    CHECK(r.crypto->unencrypted_srtcp);
    CHECK(r.crypto->unauthenticated_srtp);
    CHECK(r.crypto->kdr == 23u);
    CHECK(r.crypto->wsh == 128u);
    CHECK(r.crypto->session_params.size() == 6);
    auto plain = parse_crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + k_key30);
    REQUIRE(plain.crypto);
    CHECK_FALSE(plain.crypto->unencrypted_srtp);
    CHECK_FALSE(plain.crypto->kdr);
}

TEST_CASE("bad session parameters are anomalies, the attribute is kept") {
    const std::string value = "1 AES_CM_128_HMAC_SHA1_80 inline:" + k_key30 + " KDR=25 WSH=x FOO";
    auto r = parse_crypto(value);
    REQUIRE(r.crypto);
    REQUIRE(r.anomalies.size() == 3);
    for (const auto& a : r.anomalies) {
        CHECK(a.code == AnomalyCode::sdp_bad_crypto_param);
    }
    CHECK(r.anomalies[0].offset == value.find("KDR"));
    CHECK(r.anomalies[2].offset == value.find("FOO"));
    CHECK_FALSE(r.crypto->kdr);
    CHECK_FALSE(r.crypto->wsh);
    CHECK(r.crypto->session_params.size() == 3);
}

TEST_CASE("unknown suites are kept as text") {
    auto r = parse_crypto("7 SEED_CTR_128_HMAC_SHA1_80 inline:" + k_key30);
    REQUIRE(r.crypto);
    CHECK(r.crypto->suite == "SEED_CTR_128_HMAC_SHA1_80");
    CHECK(r.anomalies.empty());  // no key size to hold it against
}

TEST_CASE("key length that does not fit the suite is an anomaly") {
    // 30 bytes for AES-256 (needs 32 + 14) and for GCM-128 (needs 16 + 12).
    auto r = parse_crypto("1 AES_256_CM_HMAC_SHA1_80 inline:" + k_key30);
    REQUIRE(r.crypto);
    REQUIRE(r.anomalies.size() == 1);
    CHECK(r.anomalies[0].code == AnomalyCode::sdp_crypto_key_size);
    CHECK(r.anomalies[0].offset == 26);  // the key-params field
    CHECK(r.anomalies[0].detail.find("46") != std::string::npos);
    CHECK(parse_crypto("1 AEAD_AES_128_GCM inline:" + k_key30).anomalies.size() == 1);
    // 46 bytes: base64 of 46 zero bytes with padding.
    const std::string key46 = std::string(60, 'A') + "AA==";
    CHECK(parse_crypto("1 AES_256_CM_HMAC_SHA1_80 inline:" + key46).anomalies.empty());
    // The same without padding, as some stacks send it.
    auto unpadded = parse_crypto("1 AES_256_CM_HMAC_SHA1_32 inline:" + std::string(62, 'A'));
    REQUIRE(unpadded.crypto);
    CHECK(unpadded.crypto->keys[0].key_salt.size() == 46u);
}

TEST_CASE("malformed a=crypto values are errors") {
    const auto empty = parse_crypto("");
    CHECK_FALSE(empty.crypto);
    REQUIRE(empty.anomalies.size() == 1);
    CHECK(empty.anomalies[0].code == AnomalyCode::sdp_bad_crypto);
    const auto bad_key = parse_crypto("1 AES_CM_128_HMAC_SHA1_80 inline:@@@@");
    CHECK_FALSE(bad_key.crypto);
    REQUIRE(bad_key.anomalies.size() == 1);
    CHECK(bad_key.anomalies[0].code == AnomalyCode::sdp_bad_crypto_key);
    CHECK(bad_key.anomalies[0].offset == 26);
    CHECK_FALSE(parse_crypto("1 AES_CM_128_HMAC_SHA1_80").crypto);                             // no key
    CHECK_FALSE(parse_crypto("x AES_CM_128_HMAC_SHA1_80 inline:" + k_key30).crypto);           // tag
    CHECK_FALSE(parse_crypto("1234567890 AES_CM_128_HMAC_SHA1_80 inline:" + k_key30).crypto);  // 10 digits
    CHECK_FALSE(parse_crypto("1 AES_CM_128_HMAC_SHA1_80 " + k_key30).crypto);                  // no method
    CHECK_FALSE(parse_crypto("1 AES_CM_128_HMAC_SHA1_80 uri:" + k_key30).crypto);              // method
    CHECK_FALSE(parse_crypto("1 AES_CM_128_HMAC_SHA1_80 inline:").crypto);                     // empty key
    CHECK_FALSE(parse_crypto("1 AES_CM_128_HMAC_SHA1_80 inline:@@@@").crypto);                 // base64
    CHECK_FALSE(parse_crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + k_key30 + "|2^x").crypto);  // lifetime
    CHECK_FALSE(parse_crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + k_key30 + "|2^64").crypto);
    CHECK_FALSE(parse_crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + k_key30 + "|1:0").crypto);  // MKI length
    CHECK_FALSE(parse_crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + k_key30 + "|1:129").crypto);
    CHECK_FALSE(parse_crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + k_key30 + "|a:4").crypto);
    CHECK_FALSE(parse_crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + k_key30 + "|1:4|2^20").crypto);  // order
    CHECK_FALSE(parse_crypto("1 AES_CM_128_HMAC_SHA1_80 inline:" + k_key30 + "|2^20|1:4|x").crypto);
}

TEST_CASE("a bad a=crypto line is skipped, the next one still parsed") {
    const SdpSession s = parse(
        "v=0\r\nm=audio 1 RTP/SAVP 0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:@@\r\n"
        "a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:" +
        k_key30 + "\r\n");
    REQUIRE(s.media[0].cryptos.size() == 1);
    CHECK(s.media[0].cryptos[0].tag == 2u);
    REQUIRE(s.anomalies.size() == 1);
    CHECK(s.anomalies[0].code == AnomalyCode::sdp_bad_crypto_key);
    CHECK(s.anomalies[0].detail.starts_with("line 3: "));
}

TEST_CASE("a=crypto at session level is kept raw with an anomaly") {
    const SdpSession s =
        parse("v=0\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" + k_key30 + "\r\nm=audio 1 RTP/SAVP 0\r\n");
    CHECK(s.media[0].cryptos.empty());
    REQUIRE(s.attributes.size() == 1);
    CHECK(s.attributes[0].name == "crypto");
    REQUIRE(s.anomalies.size() == 1);
    CHECK(s.anomalies[0].code == AnomalyCode::sdp_session_crypto);
    CHECK(s.anomalies[0].offset == 5);
}

TEST_CASE("key length is checked under every spelling of the suite (srtp/crypto_suite.hpp)") {
    // 30 bytes fit AES-128 and f8-128; the AES-256 spellings, old and new, need 46.
    CHECK(parse_crypto("1 F8_128_HMAC_SHA1_80 inline:" + k_key30).anomalies.empty());
    CHECK(parse_crypto("1 NULL_HMAC_SHA1_32 inline:" + k_key30).anomalies.empty());
    for (const char* suite : {"AES_256_CM_HMAC_SHA1_80", "AES_CM_256_HMAC_SHA1_80", "AES_CM_256_HMAC_SHA1_32"}) {
        INFO(suite);
        const auto r = parse_crypto(std::string{"1 "} + suite + " inline:" + k_key30);
        REQUIRE(r.anomalies.size() == 1);
        CHECK(r.anomalies[0].detail == fmt::format("key||salt is 30 bytes, {} needs 46", suite));
    }
    // DTLS-SRTP profile names are not a=crypto suites: kept as text, nothing to check against.
    CHECK(parse_crypto("1 SRTP_AES128_CM_SHA1_80 inline:" + k_key30 + "AAAA").anomalies.empty());
}
