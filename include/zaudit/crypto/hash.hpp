#pragma once
/// \file The one seam to OpenSSL's libcrypto for digests and HMACs.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "zaudit/util/byte_reader.hpp"
#include "zaudit/util/expected.hpp"

namespace zaudit::crypto {

using util::Bytes;

enum class HashAlgorithm { sha1, sha224, sha256, sha384, sha512 };

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(Bytes data);
/// Digest with any supported algorithm; its size is the algorithm's.
std::vector<std::uint8_t> digest(HashAlgorithm algorithm, Bytes data);
std::vector<std::uint8_t> hmac(HashAlgorithm algorithm, Bytes key, Bytes data);
std::size_t digest_size(HashAlgorithm algorithm);

/// Incremental digest over several pieces (hvi hashes DHPart2 ‖ Hello without a copy).
class Hasher {
public:
    explicit Hasher(HashAlgorithm algorithm);
    ~Hasher();
    Hasher(Hasher&&) noexcept;
    Hasher& operator=(Hasher&&) noexcept;
    Hasher(const Hasher&) = delete;
    Hasher& operator=(const Hasher&) = delete;

    Hasher& update(Bytes data);
    std::vector<std::uint8_t> finish();

private:
    struct Context;
    std::unique_ptr<Context> m_context;
};

/// Hex SHA-256 of a whole file, read in blocks so memory does not grow with the file.
util::Expected<std::string> sha256_file(const std::string& path);

}  // namespace zaudit::crypto
