#include "zaudit/srtp/crypto_suite.hpp"

#include <array>

namespace zaudit::srtp {

namespace {

struct SuiteName {
    std::string_view name;
    CryptoSuite suite;
};

// The first name of each suite is its a=crypto name (used by to_string).
constexpr std::array<SuiteName, 24> k_names{{
    {"AES_CM_128_HMAC_SHA1_80", CryptoSuite::aes_cm_128_hmac_sha1_80},
    {"AES_CM_128_HMAC_SHA1_32", CryptoSuite::aes_cm_128_hmac_sha1_32},
    {"AES_192_CM_HMAC_SHA1_80", CryptoSuite::aes_192_cm_hmac_sha1_80},
    {"AES_192_CM_HMAC_SHA1_32", CryptoSuite::aes_192_cm_hmac_sha1_32},
    {"AES_256_CM_HMAC_SHA1_80", CryptoSuite::aes_256_cm_hmac_sha1_80},
    {"AES_256_CM_HMAC_SHA1_32", CryptoSuite::aes_256_cm_hmac_sha1_32},
    {"AEAD_AES_128_GCM", CryptoSuite::aead_aes_128_gcm},
    {"AEAD_AES_256_GCM", CryptoSuite::aead_aes_256_gcm},
    {"NULL_HMAC_SHA1_80", CryptoSuite::null_hmac_sha1_80},
    {"NULL_HMAC_SHA1_32", CryptoSuite::null_hmac_sha1_32},
    // Spellings from before RFC 6188 settled the names (seen in Asterisk and FreeSWITCH).
    {"AES_CM_192_HMAC_SHA1_80", CryptoSuite::aes_192_cm_hmac_sha1_80},
    {"AES_CM_192_HMAC_SHA1_32", CryptoSuite::aes_192_cm_hmac_sha1_32},
    {"AES_CM_256_HMAC_SHA1_80", CryptoSuite::aes_256_cm_hmac_sha1_80},
    {"AES_CM_256_HMAC_SHA1_32", CryptoSuite::aes_256_cm_hmac_sha1_32},
    // DTLS-SRTP protection profiles (RFC 5764 section 4.1.2, RFC 7714 section 14.2).
    {"SRTP_AES128_CM_SHA1_80", CryptoSuite::aes_cm_128_hmac_sha1_80},
    {"SRTP_AES128_CM_HMAC_SHA1_80", CryptoSuite::aes_cm_128_hmac_sha1_80},
    {"SRTP_AES128_CM_SHA1_32", CryptoSuite::aes_cm_128_hmac_sha1_32},
    {"SRTP_AES128_CM_HMAC_SHA1_32", CryptoSuite::aes_cm_128_hmac_sha1_32},
    {"SRTP_AEAD_AES_128_GCM", CryptoSuite::aead_aes_128_gcm},
    {"SRTP_AEAD_AES_256_GCM", CryptoSuite::aead_aes_256_gcm},
    {"SRTP_NULL_SHA1_80", CryptoSuite::null_hmac_sha1_80},
    {"SRTP_NULL_HMAC_SHA1_80", CryptoSuite::null_hmac_sha1_80},
    {"SRTP_NULL_SHA1_32", CryptoSuite::null_hmac_sha1_32},
    {"SRTP_NULL_HMAC_SHA1_32", CryptoSuite::null_hmac_sha1_32},
}};

}  // namespace

std::optional<CryptoSuite> parse_crypto_suite(std::string_view name) {
    for (const SuiteName& entry : k_names) {
        if (entry.name == name) {
            return entry.suite;
        }
    }
    return std::nullopt;
}

std::string_view to_string(CryptoSuite suite) {
    for (const SuiteName& entry : k_names) {
        if (entry.suite == suite) {
            return entry.name;
        }
    }
    return "unknown";
}

// Key and salt sizes: RFC 4568 section 6.2 (AES-CM 128: 16+14), RFC 6188 section 7 (192: 24+14,
// 256: 32+14), RFC 7714 section 12 (GCM: 16 or 32 + 12). The NULL suites keep AES-CM-128's key
// derivation (RFC 3711 section 4.3 PRF), hence 16+14, as libsrtp2 does.
SuiteInfo suite_info(CryptoSuite suite) {
    switch (suite) {
    case CryptoSuite::aes_cm_128_hmac_sha1_80:
        return {16, 14, 10, 10, true, false};
    case CryptoSuite::aes_cm_128_hmac_sha1_32:
        return {16, 14, 4, 10, true, false};
    case CryptoSuite::aes_192_cm_hmac_sha1_80:
        return {24, 14, 10, 10, true, false};
    case CryptoSuite::aes_192_cm_hmac_sha1_32:
        return {24, 14, 4, 10, true, false};
    case CryptoSuite::aes_256_cm_hmac_sha1_80:
        return {32, 14, 10, 10, true, false};
    case CryptoSuite::aes_256_cm_hmac_sha1_32:
        return {32, 14, 4, 10, true, false};
    case CryptoSuite::aead_aes_128_gcm:
        return {16, 12, 16, 16, true, true};
    case CryptoSuite::aead_aes_256_gcm:
        return {32, 12, 16, 16, true, true};
    case CryptoSuite::null_hmac_sha1_80:
        return {16, 14, 10, 10, false, false};
    case CryptoSuite::null_hmac_sha1_32:
        return {16, 14, 4, 10, false, false};
    }
    return {};
}

SessionParams parse_session_params(std::string_view tokens) {
    SessionParams params;
    while (!tokens.empty()) {
        const std::size_t start = tokens.find_first_not_of(" \t");
        if (start == std::string_view::npos) {
            break;
        }
        tokens.remove_prefix(start);
        const std::size_t end = tokens.find_first_of(" \t");
        const std::string_view token = tokens.substr(0, end);
        params.unencrypted_srtp |= token == "UNENCRYPTED_SRTP";
        params.unencrypted_srtcp |= token == "UNENCRYPTED_SRTCP";
        params.unauthenticated_srtp |= token == "UNAUTHENTICATED_SRTP";
        tokens.remove_prefix(end == std::string_view::npos ? tokens.size() : end);
    }
    return params;
}

}  // namespace zaudit::srtp
