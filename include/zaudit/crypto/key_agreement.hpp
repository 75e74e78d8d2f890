#pragma once
/// \file Diffie-Hellman and elliptic-curve key agreement for ZRTP (RFC 6189 section 5.1.5), through
/// OpenSSL 3's libcrypto. Key pairs are built from caller-supplied private key bytes, never from
/// OpenSSL's RNG, so that a seeded generator produces the same public values every run.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "zaudit/util/byte_reader.hpp"
#include "zaudit/util/expected.hpp"

namespace zaudit::crypto {

/// The key agreement types ZRTP names with 4 characters (RFC 6189 section 5.1.5; X255 as in bzrtp).
enum class KeyAgreementAlgorithm {
    dh2k,  ///< "DH2k": RFC 3526 2048-bit MODP group, generator 2
    dh3k,  ///< "DH3k": RFC 3526 3072-bit MODP group, generator 2
    ec25,  ///< "EC25": NIST P-256
    ec38,  ///< "EC38": NIST P-384
    x255,  ///< "X255": Curve25519 (RFC 7748)
};

/// The algorithm for a ZRTP 4-character name ("DH3k", "EC25", ...); nullopt for others
/// (including "Mult" and "Prsh", which are not key agreements with a public value).
std::optional<KeyAgreementAlgorithm> key_agreement_from_name(std::string_view name);
std::string_view key_agreement_name(KeyAgreementAlgorithm algorithm);

/// Size in bytes of the public value as ZRTP puts it in DHPart1/DHPart2 (pvr/pvi):
/// the prime's size for DH, x‖y for the NIST curves, the u-coordinate for X25519.
std::size_t public_value_size(KeyAgreementAlgorithm algorithm);
/// Size in bytes of DHResult as RFC 6189 section 4.4.1.4 feeds it to s0 (for NIST curves only x).
std::size_t shared_secret_size(KeyAgreementAlgorithm algorithm);
/// How many private key bytes key_pair_from_private() wants: for DH twice the strongest AES key
/// the group protects (section 5.1.5), for the curves the scalar size.
std::size_t private_key_size(KeyAgreementAlgorithm algorithm);

/// One side's key pair. The private bytes are what was given (DH exponent or curve scalar
/// material); the public value is in ZRTP's wire encoding.
struct KeyPair {
    KeyAgreementAlgorithm algorithm = KeyAgreementAlgorithm::dh3k;
    std::vector<std::uint8_t> private_key;
    std::vector<std::uint8_t> public_value;
};

/// Builds a key pair from private key bytes (any length for DH; exactly private_key_size()
/// bytes for the curves). For P-256/P-384 the bytes are reduced into [1, n-1].
util::Expected<KeyPair> key_pair_from_private(KeyAgreementAlgorithm algorithm, util::Bytes private_key);

/// DHResult: the shared secret with a peer's public value, left-padded to shared_secret_size().
/// Fails on public values RFC 6189 section 4.4.1.1 says to reject (DH: 1, p-1, out of range;
/// EC: not on the curve) and on a wrong size.
util::Expected<std::vector<std::uint8_t>> shared_secret(const KeyPair& self, util::Bytes peer_public_value);

}  // namespace zaudit::crypto
