#pragma once
/// \file The SRTP crypto suites, the one table of them: the names SDP a=crypto gives them (RFC 4568
/// section 6.2, RFC 6188 section 7, RFC 7714 section 14.2, and the spellings real stacks send),
/// the DTLS-SRTP protection profile names (RFC 5764 section 4.1.2, RFC 7714 section 14.2), their
/// ciphers, key sizes and tag lengths. The SDP parser, the SRTP verifier and the rules all read it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace zaudit::srtp {

enum class CryptoSuite : std::uint8_t {
    aes_cm_128_hmac_sha1_80,
    aes_cm_128_hmac_sha1_32,
    f8_128_hmac_sha1_80,  ///< RFC 4568's AES in f8 mode; libsrtp2 cannot verify it
    aes_192_cm_hmac_sha1_80,
    aes_192_cm_hmac_sha1_32,
    aes_256_cm_hmac_sha1_80,
    aes_256_cm_hmac_sha1_32,
    aead_aes_128_gcm,
    aead_aes_256_gcm,
    null_hmac_sha1_80,  ///< no encryption, HMAC-SHA1 80-bit tag (DTLS SRTP_NULL_HMAC_SHA1_80)
    null_hmac_sha1_32,  ///< no encryption, HMAC-SHA1 32-bit tag (DTLS SRTP_NULL_HMAC_SHA1_32)
};

/// How a suite encrypts.
enum class Cipher : std::uint8_t { aes_cm, aes_f8, aes_gcm, null };

/// Sizes of one suite, in bytes.
struct SuiteInfo {
    Cipher cipher = Cipher::aes_cm;
    std::size_t key_size = 0;       ///< master key (also the cipher's key size)
    std::size_t salt_size = 0;      ///< master salt (14 for AES-CM and f8, 12 for GCM)
    std::size_t rtp_tag_size = 0;   ///< SRTP authentication tag (GCM: its 16-byte tag)
    std::size_t rtcp_tag_size = 0;  ///< SRTCP tag (80-bit for the _32 suites: RFC 4568 6.2.1)

    [[nodiscard]] std::size_t key_salt_size() const { return key_size + salt_size; }
    /// False for the NULL cipher suites.
    [[nodiscard]] bool encrypts() const { return cipher != Cipher::null; }
    /// GCM: the tag is part of the cipher (RFC 7714).
    [[nodiscard]] bool aead() const { return cipher == Cipher::aes_gcm; }
};

/// a=crypto session parameters (RFC 4568 section 6.3) that switch services off.
struct SessionParams {
    bool unencrypted_srtp = false;      ///< UNENCRYPTED_SRTP
    bool unencrypted_srtcp = false;     ///< UNENCRYPTED_SRTCP
    bool unauthenticated_srtp = false;  ///< UNAUTHENTICATED_SRTP (SRTCP stays authenticated)
};

/// The suite an a=crypto crypto-suite names: the registered names ("AES_CM_128_HMAC_SHA1_80",
/// "F8_128_HMAC_SHA1_80", "AES_192_CM_HMAC_SHA1_32", "AES_256_CM_HMAC_SHA1_80",
/// "AEAD_AES_128_GCM"...), the NULL_HMAC_SHA1_80/32 that libsrtp-based stacks send, and the
/// pre-RFC 6188 spellings "AES_CM_192_..." / "AES_CM_256_..." (Asterisk, FreeSWITCH).
/// Case-sensitive, as suites are written; nullopt for anything else, DTLS profile names included.
std::optional<CryptoSuite> parse_crypto_suite(std::string_view name);

/// The suite a DTLS-SRTP protection profile names, as the RFC writes it ("SRTP_AES128_CM_HMAC_SHA1_80",
/// "SRTP_AEAD_AES_256_GCM", "SRTP_NULL_HMAC_SHA1_32") or as OpenSSL does ("SRTP_AES128_CM_SHA1_80").
std::optional<CryptoSuite> parse_protection_profile(std::string_view name);

/// The RFC 4568 / RFC 6188 / RFC 7714 a=crypto name.
std::string_view to_string(CryptoSuite suite);

SuiteInfo suite_info(CryptoSuite suite);

/// The sizes of the suite an a=crypto names; nullopt when parse_crypto_suite does not know it.
std::optional<SuiteInfo> crypto_suite_info(std::string_view name);

}  // namespace zaudit::srtp
