#pragma once
/// \file ZRTP algorithm names (RFC 6189 section 5.1.2-5.1.6) and Error codes (section 5.9).
///
/// Names stay 4-character text everywhere (unknown ones included); these tables only add what
/// is known about a name. Beyond RFC 6189 the tables carry the names real stacks send:
/// - bzrtp (BelledonneCommunications/bzrtp, cryptoUtils.cc bzrtp_cryptoAlgoTypeStringToInt):
///   key agreements "X255" (Curve25519), "X448", KEMs "KYB1".."KYB3" (Kyber), "SIK1".."SIK3"
///   (SIKE, broken in 2022), "K255"/"K448" (X25519/X448 wrapped as KEMs), hybrids "X2K5"
///   (K255+Kyber512) and "X4K1" (K448+Kyber1024).
/// - GNU ZRTP (wernerd/ZRTPCPP): "E255" for Curve25519, "E414" for Curve41417, Skein hashes
///   "SKN2"/"SKN3", Twofish "2FS1".."2FS3", Skein MAC auth tags "SK32"/"SK64".

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace zaudit::zrtp {

/// The five algorithm families a Hello lists and a Commit picks one of.
enum class AlgorithmFamily { hash, cipher, auth_tag, key_agreement, sas };

/// How a key agreement type produces s0 (RFC 6189 section 4.4 and bzrtp's KEM draft).
enum class KeyAgreementKind {
    dh,           ///< finite-field or elliptic-curve Diffie-Hellman: hvi in Commit, pv in DHPart
    kem,          ///< KEM (bzrtp): hvi and the public key in Commit, ciphertext in DHPart1
    multistream,  ///< "Mult" (section 4.4.3): nonce in Commit, no DHPart
    preshared,    ///< "Prsh" (section 4.4.2): nonce and keyID in Commit, no DHPart
    unknown,
};

/// Facts about one key agreement name.
struct KeyAgreementInfo {
    std::string_view name;
    KeyAgreementKind kind = KeyAgreementKind::unknown;
    /// Bytes of pv in DHPart1/DHPart2 for DH types (0 when it depends on the message, as for KEMs).
    std::size_t public_value_size = 0;
    /// Position in the RFC 6189 section 4.1.2 speed ranking (0 = fastest), for DH types only.
    std::optional<int> speed_rank;
    /// The hash the key agreement calls for: "S384" for the 384-bit-and-up curves (section 5.1.5:
    /// EC38 SHOULD go with S384 and AES-256; bzrtp enforces it), otherwise "S256".
    std::string_view implied_hash;
};

/// Known facts about a key agreement name; kind unknown for names not in the table.
KeyAgreementInfo key_agreement_info(std::string_view name);

/// True when a name is a known member of the family (RFC 6189 or a stack listed above).
bool is_known_algorithm(AlgorithmFamily family, std::string_view name);

/// True for the algorithms every endpoint must implement, which count as offered even when a
/// Hello omits them (RFC 6189 section 5.1.2-5.1.6: S256, AES1, HS32 and HS80, DH3k and Mult, B32;
/// bzrtp adds them to a peer's lists the same way, bzrtp_addMandatoryCryptoTypesIfNeeded).
bool is_mandatory_algorithm(AlgorithmFamily family, std::string_view name);

/// The mandatory names of a family, in the order bzrtp appends them.
std::span<const std::string_view> mandatory_algorithms(AlgorithmFamily family);

/// Hash output size in bytes for a hash type name ("S256" 32, "S384" 48, "N256" 32, "N384" 48,
/// "SKN2" 32, "SKN3" 48); nullopt when unknown.
std::optional<std::size_t> hash_size(std::string_view name);

/// The RFC 6189 section 5.9 name of an Error code ("Malformed packet" for 0x10 ...), or
/// nullopt for codes the RFC does not define.
std::optional<std::string_view> error_code_name(std::uint32_t code);

}  // namespace zaudit::zrtp
