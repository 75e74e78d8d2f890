#pragma once
/// \file Non-cryptographic hashing for hash tables and cheap payload comparison (never for
/// anything an attacker must not forge: that is crypto/hash.hpp).

#include <cstdint>

namespace zaudit::util {

/// FNV-1a, 64-bit (offset basis and prime of the FNV reference).
constexpr std::uint64_t k_fnv1a_offset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t k_fnv1a_prime = 0x100000001b3ULL;

/// MurmurHash3's finaliser fmix64: spreads every input bit over all 64 output bits.
constexpr std::uint64_t fmix64(std::uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

}  // namespace zaudit::util
