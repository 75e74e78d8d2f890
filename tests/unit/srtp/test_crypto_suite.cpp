#include <catch2/catch.hpp>

#include "zaudit/srtp/crypto_suite.hpp"

using namespace zaudit::srtp;

TEST_CASE("crypto suite: a=crypto names round-trip") {
    for (const CryptoSuite suite :
         {CryptoSuite::aes_cm_128_hmac_sha1_80, CryptoSuite::aes_cm_128_hmac_sha1_32, CryptoSuite::aes_192_cm_hmac_sha1_80,
          CryptoSuite::aes_192_cm_hmac_sha1_32, CryptoSuite::aes_256_cm_hmac_sha1_80, CryptoSuite::aes_256_cm_hmac_sha1_32,
          CryptoSuite::aead_aes_128_gcm, CryptoSuite::aead_aes_256_gcm, CryptoSuite::null_hmac_sha1_80,
          CryptoSuite::null_hmac_sha1_32}) {
        CHECK(parse_crypto_suite(to_string(suite)) == suite);
    }
    CHECK(to_string(CryptoSuite::aes_256_cm_hmac_sha1_80) == "AES_256_CM_HMAC_SHA1_80");
}

TEST_CASE("crypto suite: legacy spellings and DTLS-SRTP profile names") {
    CHECK(parse_crypto_suite("AES_CM_256_HMAC_SHA1_32") == CryptoSuite::aes_256_cm_hmac_sha1_32);
    CHECK(parse_crypto_suite("SRTP_AES128_CM_SHA1_80") == CryptoSuite::aes_cm_128_hmac_sha1_80);
    CHECK(parse_crypto_suite("SRTP_AES128_CM_HMAC_SHA1_32") == CryptoSuite::aes_cm_128_hmac_sha1_32);
    CHECK(parse_crypto_suite("SRTP_AEAD_AES_256_GCM") == CryptoSuite::aead_aes_256_gcm);
    CHECK(parse_crypto_suite("SRTP_NULL_HMAC_SHA1_80") == CryptoSuite::null_hmac_sha1_80);
}

TEST_CASE("crypto suite: unknown names are refused") {
    CHECK_FALSE(parse_crypto_suite("F8_128_HMAC_SHA1_80"));  // libsrtp2 has no F8 mode
    CHECK_FALSE(parse_crypto_suite("aes_cm_128_hmac_sha1_80"));  // the grammar is case-sensitive
    CHECK_FALSE(parse_crypto_suite(""));
    CHECK_FALSE(parse_crypto_suite("AES_CM_128_HMAC_SHA1_80 "));
}

TEST_CASE("crypto suite: sizes from RFC 4568, RFC 6188 and RFC 7714") {
    const SuiteInfo aes128_32 = suite_info(CryptoSuite::aes_cm_128_hmac_sha1_32);
    CHECK(aes128_32.key_salt_size() == 30);
    CHECK(aes128_32.rtp_tag_size == 4);
    CHECK(aes128_32.rtcp_tag_size == 10);  // RFC 4568 6.2.1: SRTCP keeps 80 bits
    CHECK(suite_info(CryptoSuite::aes_192_cm_hmac_sha1_80).key_salt_size() == 38);
    CHECK(suite_info(CryptoSuite::aes_256_cm_hmac_sha1_80).key_salt_size() == 46);
    CHECK(suite_info(CryptoSuite::aead_aes_128_gcm).key_salt_size() == 28);
    CHECK(suite_info(CryptoSuite::aead_aes_256_gcm).key_salt_size() == 44);
    CHECK(suite_info(CryptoSuite::aead_aes_256_gcm).aead);
    CHECK_FALSE(suite_info(CryptoSuite::null_hmac_sha1_80).encrypts);
    CHECK(suite_info(CryptoSuite::aes_cm_128_hmac_sha1_80).encrypts);
}

TEST_CASE("crypto suite: session parameters") {
    const SessionParams p = parse_session_params("KDR=23 UNENCRYPTED_SRTCP  UNAUTHENTICATED_SRTP\tFEC_ORDER=FEC_SRTP");
    CHECK_FALSE(p.unencrypted_srtp);
    CHECK(p.unencrypted_srtcp);
    CHECK(p.unauthenticated_srtp);
    const SessionParams q = parse_session_params("UNENCRYPTED_SRTP");
    CHECK(q.unencrypted_srtp);
    CHECK_FALSE(q.unencrypted_srtcp);
    const SessionParams none = parse_session_params("UNENCRYPTED_SRTPX WSH=64 ");
    CHECK_FALSE(none.unencrypted_srtp);
    CHECK_FALSE(none.unauthenticated_srtp);
}
