// Digests and HMAC against published test vectors: the algorithms are fetched from OpenSSL once
// per process and HMAC starts from a copy of a keyless context, so every algorithm and an empty
// key are checked, from several threads at once too.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "zaudit/crypto/hash.hpp"
#include "zaudit/util/hex.hpp"

using namespace zaudit;
using crypto::HashAlgorithm;

namespace {

crypto::Bytes bytes_of(std::string_view text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string hmac_hex(HashAlgorithm algorithm, std::string_view key, std::string_view data) {
    return util::to_hex(crypto::hmac(algorithm, bytes_of(key), bytes_of(data)));
}

}  // namespace

TEST_CASE("digests of \"abc\" (FIPS 180-4 examples) and their sizes") {
    CHECK(util::to_hex(crypto::digest(HashAlgorithm::sha1, bytes_of("abc"))) ==
          "a9993e364706816aba3e25717850c26c9cd0d89d");
    CHECK(util::to_hex(crypto::digest(HashAlgorithm::sha224, bytes_of("abc"))) ==
          "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7");
    CHECK(util::to_hex(crypto::sha256(bytes_of("abc"))) ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(util::to_hex(crypto::digest(HashAlgorithm::sha384, bytes_of("abc"))).substr(0, 16) == "cb00753f45a35e8b");
    CHECK(util::to_hex(crypto::digest(HashAlgorithm::sha512, bytes_of("abc"))).substr(0, 16) == "ddaf35a193617aba");
    CHECK(crypto::digest_size(HashAlgorithm::sha1) == 20);
    CHECK(crypto::digest_size(HashAlgorithm::sha384) == 48);
}

TEST_CASE("HMAC matches RFC 2202 and RFC 4231 test case 2, and takes an empty key") {
    // Test case 2 of both: key "Jefe", data "what do ya want for nothing?".
    CHECK(hmac_hex(HashAlgorithm::sha1, "Jefe", "what do ya want for nothing?") ==
          "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    CHECK(hmac_hex(HashAlgorithm::sha224, "Jefe", "what do ya want for nothing?") ==
          "a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44");
    CHECK(hmac_hex(HashAlgorithm::sha256, "Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(hmac_hex(HashAlgorithm::sha384, "Jefe", "what do ya want for nothing?").substr(0, 16) == "af45d2e376484031");
    CHECK(hmac_hex(HashAlgorithm::sha512, "Jefe", "what do ya want for nothing?").substr(0, 16) == "164b7a7bfcf819e2");
    // An empty key is a key of zeros (RFC 2104): HMAC-SHA-256 of nothing under it.
    CHECK(hmac_hex(HashAlgorithm::sha256, "", "") ==
          "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST_CASE("HMAC and digests give the same answers from several threads at once") {
    const std::string expected = hmac_hex(HashAlgorithm::sha256, "Jefe", "what do ya want for nothing?");
    std::vector<std::thread> threads;
    std::vector<int> wrong(4, 0);
    for (std::size_t t = 0; t < wrong.size(); ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 500; ++i) {
                if (hmac_hex(HashAlgorithm::sha256, "Jefe", "what do ya want for nothing?") != expected ||
                    util::to_hex(crypto::sha256(bytes_of("abc"))).substr(0, 8) != "ba7816bf") {
                    ++wrong[t];
                }
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    CHECK(wrong == std::vector<int>(4, 0));
}
