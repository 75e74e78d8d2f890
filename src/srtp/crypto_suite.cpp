#include "zaudit/srtp/crypto_suite.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace zaudit::srtp {

namespace {

/// One suite and every name it goes by ("" where it has none).
struct SuiteRow {
    CryptoSuite suite;
    std::string_view name;           ///< a=crypto name (to_string)
    std::string_view legacy_name;    ///< an older a=crypto spelling still sent
    std::string_view profile;        ///< DTLS-SRTP protection profile, as the RFC spells it
    std::string_view profile_alias;  ///< the same profile as OpenSSL spells it
    SuiteInfo info;
};

// Key and salt sizes: RFC 4568 section 6.2 (AES-CM and f8 128: 16+14), RFC 6188 section 7 (192:
// 24+14, 256: 32+14), RFC 7714 section 12 (GCM: 16 or 32 + 12, 16-byte tag). The NULL suites keep
// AES-CM-128's key derivation (RFC 3711 section 4.3 PRF), hence 16+14, as libsrtp2 does. The
// _32 suites keep an 80-bit SRTCP tag (RFC 4568 section 6.2.1).
// clang-format off: laid out as a table
constexpr std::array<SuiteRow, 11> k_suites{{
    {CryptoSuite::aes_cm_128_hmac_sha1_80,
     "AES_CM_128_HMAC_SHA1_80",
     "",
     "SRTP_AES128_CM_HMAC_SHA1_80",
     "SRTP_AES128_CM_SHA1_80",
     {Cipher::aes_cm, 16, 14, 10, 10}},
    {CryptoSuite::aes_cm_128_hmac_sha1_32,
     "AES_CM_128_HMAC_SHA1_32",
     "",
     "SRTP_AES128_CM_HMAC_SHA1_32",
     "SRTP_AES128_CM_SHA1_32",
     {Cipher::aes_cm, 16, 14, 4, 10}},
    {CryptoSuite::f8_128_hmac_sha1_80, "F8_128_HMAC_SHA1_80", "", "", "", {Cipher::aes_f8, 16, 14, 10, 10}},
    {CryptoSuite::aes_192_cm_hmac_sha1_80,
     "AES_192_CM_HMAC_SHA1_80",
     "AES_CM_192_HMAC_SHA1_80",
     "",
     "",
     {Cipher::aes_cm, 24, 14, 10, 10}},
    {CryptoSuite::aes_192_cm_hmac_sha1_32,
     "AES_192_CM_HMAC_SHA1_32",
     "AES_CM_192_HMAC_SHA1_32",
     "",
     "",
     {Cipher::aes_cm, 24, 14, 4, 10}},
    {CryptoSuite::aes_256_cm_hmac_sha1_80,
     "AES_256_CM_HMAC_SHA1_80",
     "AES_CM_256_HMAC_SHA1_80",
     "",
     "",
     {Cipher::aes_cm, 32, 14, 10, 10}},
    {CryptoSuite::aes_256_cm_hmac_sha1_32,
     "AES_256_CM_HMAC_SHA1_32",
     "AES_CM_256_HMAC_SHA1_32",
     "",
     "",
     {Cipher::aes_cm, 32, 14, 4, 10}},
    {CryptoSuite::aead_aes_128_gcm,
     "AEAD_AES_128_GCM",
     "",
     "SRTP_AEAD_AES_128_GCM",
     "",
     {Cipher::aes_gcm, 16, 12, 16, 16}},
    {CryptoSuite::aead_aes_256_gcm,
     "AEAD_AES_256_GCM",
     "",
     "SRTP_AEAD_AES_256_GCM",
     "",
     {Cipher::aes_gcm, 32, 12, 16, 16}},
    {CryptoSuite::null_hmac_sha1_80,
     "NULL_HMAC_SHA1_80",
     "",
     "SRTP_NULL_HMAC_SHA1_80",
     "SRTP_NULL_SHA1_80",
     {Cipher::null, 16, 14, 10, 10}},
    {CryptoSuite::null_hmac_sha1_32,
     "NULL_HMAC_SHA1_32",
     "",
     "SRTP_NULL_HMAC_SHA1_32",
     "SRTP_NULL_SHA1_32",
     {Cipher::null, 16, 14, 4, 10}},
}};
// clang-format on

/// The row whose `names` include `name`; an empty name matches nothing.
template <typename Names>
const SuiteRow* find_row(std::string_view name, Names names) {
    if (name.empty()) {
        return nullptr;
    }
    const auto* it = std::find_if(k_suites.begin(), k_suites.end(), [&](const SuiteRow& row) {
        const auto [first, second] = names(row);
        return first == name || second == name;
    });
    return it == k_suites.end() ? nullptr : &*it;
}

const SuiteRow& row_of(CryptoSuite suite) {
    return k_suites.at(static_cast<std::size_t>(suite));  // k_suites is in enum order (checked below)
}

constexpr bool in_enum_order() {
    for (std::size_t i = 0; i < k_suites.size(); ++i) {
        if (static_cast<std::size_t>(k_suites[i].suite) != i) {
            return false;
        }
    }
    return true;
}
static_assert(in_enum_order(), "k_suites must list the suites in CryptoSuite order");

}  // namespace

std::optional<CryptoSuite> parse_crypto_suite(std::string_view name) {
    const SuiteRow* row = find_row(name, [](const SuiteRow& r) { return std::pair{r.name, r.legacy_name}; });
    return row == nullptr ? std::nullopt : std::optional{row->suite};
}

std::optional<CryptoSuite> parse_protection_profile(std::string_view name) {
    const SuiteRow* row = find_row(name, [](const SuiteRow& r) { return std::pair{r.profile, r.profile_alias}; });
    return row == nullptr ? std::nullopt : std::optional{row->suite};
}

std::string_view to_string(CryptoSuite suite) {
    return row_of(suite).name;
}

SuiteInfo suite_info(CryptoSuite suite) {
    return row_of(suite).info;
}

std::optional<SuiteInfo> crypto_suite_info(std::string_view name) {
    const auto suite = parse_crypto_suite(name);
    return suite ? std::optional{suite_info(*suite)} : std::nullopt;
}

}  // namespace zaudit::srtp
