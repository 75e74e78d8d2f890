#pragma once
/// \file SRTP crypto suites as SDP a=crypto (RFC 4568 section 6.2, RFC 6188, RFC 7714 section
/// 14.2) and DTLS-SRTP (RFC 5764 section 4.1.2, RFC 7714 section 14.2) name them, with their
/// key sizes and tag lengths, and the a=crypto session parameters that weaken them.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace zaudit::srtp {

enum class CryptoSuite : std::uint8_t {
    aes_cm_128_hmac_sha1_80,
    aes_cm_128_hmac_sha1_32,
    aes_192_cm_hmac_sha1_80,
    aes_192_cm_hmac_sha1_32,
    aes_256_cm_hmac_sha1_80,
    aes_256_cm_hmac_sha1_32,
    aead_aes_128_gcm,
    aead_aes_256_gcm,
    null_hmac_sha1_80,  ///< no encryption, HMAC-SHA1 80-bit tag (DTLS SRTP_NULL_SHA1_80)
    null_hmac_sha1_32,  ///< no encryption, HMAC-SHA1 32-bit tag (DTLS SRTP_NULL_SHA1_32)
};

/// Sizes of one suite, in bytes.
struct SuiteInfo {
    std::size_t key_size = 0;       ///< master key
    std::size_t salt_size = 0;      ///< master salt (14 for AES-CM, 12 for GCM)
    std::size_t rtp_tag_size = 0;   ///< SRTP authentication tag
    std::size_t rtcp_tag_size = 0;  ///< SRTCP tag (80-bit for the _32 suites: RFC 4568 6.2.1)
    bool encrypts = true;           ///< false for the NULL cipher suites
    bool aead = false;              ///< GCM: the tag is inside the ciphertext (RFC 7714)

    [[nodiscard]] std::size_t key_salt_size() const { return key_size + salt_size; }
};

/// a=crypto session parameters (RFC 4568 section 6.3) that switch services off.
struct SessionParams {
    bool unencrypted_srtp = false;      ///< UNENCRYPTED_SRTP
    bool unencrypted_srtcp = false;     ///< UNENCRYPTED_SRTCP
    bool unauthenticated_srtp = false;  ///< UNAUTHENTICATED_SRTP (SRTCP stays authenticated)
};

/// The suite named by an a=crypto suite ("AES_CM_128_HMAC_SHA1_80", "AES_256_CM_HMAC_SHA1_32",
/// "AES_192_CM_HMAC_SHA1_80", "AEAD_AES_128_GCM", "NULL_HMAC_SHA1_80"...) or a DTLS-SRTP profile
/// ("SRTP_AES128_CM_SHA1_80", "SRTP_AEAD_AES_256_GCM", "SRTP_NULL_SHA1_32"...); also the older
/// spellings "AES_CM_256_HMAC_SHA1_80" / "AES_CM_192_..." some stacks send. Case-sensitive, as
/// the grammar is. nullopt for anything else (F8_128_HMAC_SHA1_80: libsrtp2 has no F8).
std::optional<CryptoSuite> parse_crypto_suite(std::string_view name);

/// The RFC 4568 / RFC 6188 / RFC 7714 a=crypto name.
std::string_view to_string(CryptoSuite suite);

SuiteInfo suite_info(CryptoSuite suite);

/// Reads the session parameters from an a=crypto's trailing tokens (space-separated; unknown
/// tokens such as KDR=, FEC_ORDER= or WSH= are ignored).
SessionParams parse_session_params(std::string_view tokens);

}  // namespace zaudit::srtp
