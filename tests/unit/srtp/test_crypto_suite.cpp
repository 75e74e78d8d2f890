#include <catch2/catch.hpp>

#include "zaudit/srtp/crypto_suite.hpp"

using namespace zaudit::srtp;

namespace {

constexpr CryptoSuite k_all[] = {
    CryptoSuite::aes_cm_128_hmac_sha1_80, CryptoSuite::aes_cm_128_hmac_sha1_32, CryptoSuite::f8_128_hmac_sha1_80,
    CryptoSuite::aes_192_cm_hmac_sha1_80, CryptoSuite::aes_192_cm_hmac_sha1_32, CryptoSuite::aes_256_cm_hmac_sha1_80,
    CryptoSuite::aes_256_cm_hmac_sha1_32, CryptoSuite::aead_aes_128_gcm,        CryptoSuite::aead_aes_256_gcm,
    CryptoSuite::null_hmac_sha1_80,       CryptoSuite::null_hmac_sha1_32};

}  // namespace

TEST_CASE("crypto suite: a=crypto names round-trip") {
    for (const CryptoSuite suite : k_all) {
        CHECK(parse_crypto_suite(to_string(suite)) == suite);
    }
    CHECK(to_string(CryptoSuite::aes_256_cm_hmac_sha1_80) == "AES_256_CM_HMAC_SHA1_80");
}

// Every a=crypto spelling accepted, with the sizes it implies (RFC 4568 6.2, RFC 6188 7, RFC 7714 12):
// the SDP parser, the SRTP verifier and the rules all answer from this one list.
TEST_CASE("crypto suite: the spellings real stacks send, and their sizes") {
    struct Row {
        const char* name;
        CryptoSuite suite;
        Cipher cipher;
        std::size_t key, salt, rtp_tag, rtcp_tag;
    };
    for (const Row& r : {
             Row{"AES_CM_128_HMAC_SHA1_80", CryptoSuite::aes_cm_128_hmac_sha1_80, Cipher::aes_cm, 16, 14, 10, 10},
             Row{"AES_CM_128_HMAC_SHA1_32", CryptoSuite::aes_cm_128_hmac_sha1_32, Cipher::aes_cm, 16, 14, 4, 10},
             Row{"F8_128_HMAC_SHA1_80", CryptoSuite::f8_128_hmac_sha1_80, Cipher::aes_f8, 16, 14, 10, 10},
             Row{"AES_192_CM_HMAC_SHA1_80", CryptoSuite::aes_192_cm_hmac_sha1_80, Cipher::aes_cm, 24, 14, 10, 10},
             Row{"AES_192_CM_HMAC_SHA1_32", CryptoSuite::aes_192_cm_hmac_sha1_32, Cipher::aes_cm, 24, 14, 4, 10},
             Row{"AES_256_CM_HMAC_SHA1_80", CryptoSuite::aes_256_cm_hmac_sha1_80, Cipher::aes_cm, 32, 14, 10, 10},
             Row{"AES_256_CM_HMAC_SHA1_32", CryptoSuite::aes_256_cm_hmac_sha1_32, Cipher::aes_cm, 32, 14, 4, 10},
             // Before RFC 6188 fixed the names (Asterisk, FreeSWITCH, older libsrtp users).
             Row{"AES_CM_192_HMAC_SHA1_80", CryptoSuite::aes_192_cm_hmac_sha1_80, Cipher::aes_cm, 24, 14, 10, 10},
             Row{"AES_CM_192_HMAC_SHA1_32", CryptoSuite::aes_192_cm_hmac_sha1_32, Cipher::aes_cm, 24, 14, 4, 10},
             Row{"AES_CM_256_HMAC_SHA1_80", CryptoSuite::aes_256_cm_hmac_sha1_80, Cipher::aes_cm, 32, 14, 10, 10},
             Row{"AES_CM_256_HMAC_SHA1_32", CryptoSuite::aes_256_cm_hmac_sha1_32, Cipher::aes_cm, 32, 14, 4, 10},
             Row{"AEAD_AES_128_GCM", CryptoSuite::aead_aes_128_gcm, Cipher::aes_gcm, 16, 12, 16, 16},
             Row{"AEAD_AES_256_GCM", CryptoSuite::aead_aes_256_gcm, Cipher::aes_gcm, 32, 12, 16, 16},
             // Not registered for SDES, sent by libsrtp-based stacks; keyed like AES-128.
             Row{"NULL_HMAC_SHA1_80", CryptoSuite::null_hmac_sha1_80, Cipher::null, 16, 14, 10, 10},
             Row{"NULL_HMAC_SHA1_32", CryptoSuite::null_hmac_sha1_32, Cipher::null, 16, 14, 4, 10},
         }) {
        INFO(r.name);
        CHECK(parse_crypto_suite(r.name) == r.suite);
        const auto info = crypto_suite_info(r.name);
        REQUIRE(info);
        CHECK(info->cipher == r.cipher);
        CHECK(info->key_size == r.key);
        CHECK(info->salt_size == r.salt);
        CHECK(info->key_salt_size() == r.key + r.salt);
        CHECK(info->rtp_tag_size == r.rtp_tag);
        CHECK(info->rtcp_tag_size == r.rtcp_tag);
        CHECK(info->encrypts() == (r.cipher != Cipher::null));
        CHECK(info->aead() == (r.cipher == Cipher::aes_gcm));
    }
}

TEST_CASE("crypto suite: DTLS-SRTP profile names are not a=crypto names") {
    CHECK(parse_protection_profile("SRTP_AES128_CM_HMAC_SHA1_80") == CryptoSuite::aes_cm_128_hmac_sha1_80);
    CHECK(parse_protection_profile("SRTP_AES128_CM_SHA1_80") == CryptoSuite::aes_cm_128_hmac_sha1_80);
    CHECK(parse_protection_profile("SRTP_AES128_CM_HMAC_SHA1_32") == CryptoSuite::aes_cm_128_hmac_sha1_32);
    CHECK(parse_protection_profile("SRTP_AEAD_AES_128_GCM") == CryptoSuite::aead_aes_128_gcm);
    CHECK(parse_protection_profile("SRTP_AEAD_AES_256_GCM") == CryptoSuite::aead_aes_256_gcm);
    CHECK(parse_protection_profile("SRTP_NULL_HMAC_SHA1_80") == CryptoSuite::null_hmac_sha1_80);
    CHECK(parse_protection_profile("SRTP_NULL_SHA1_32") == CryptoSuite::null_hmac_sha1_32);
    CHECK_FALSE(parse_crypto_suite("SRTP_AES128_CM_SHA1_80"));
    CHECK_FALSE(parse_protection_profile("AES_CM_128_HMAC_SHA1_80"));
    CHECK_FALSE(parse_protection_profile(""));
}

TEST_CASE("crypto suite: unknown names are refused") {
    CHECK_FALSE(parse_crypto_suite("aes_cm_128_hmac_sha1_80"));  // suites are written in upper case
    CHECK_FALSE(parse_crypto_suite(""));
    CHECK_FALSE(parse_crypto_suite("AES_CM_128_HMAC_SHA1_80 "));
    CHECK_FALSE(parse_crypto_suite("SEED_CTR_128_HMAC_SHA1_80"));  // RFC 5669: not supported
    CHECK_FALSE(crypto_suite_info("AES_CM_128_HMAC_SHA1_64"));
}
