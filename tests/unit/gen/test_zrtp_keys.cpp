#include <catch2/catch.hpp>

#include "zaudit/gen/zrtp_keys.hpp"
#include "zaudit/util/hex.hpp"

using namespace zaudit;
using namespace zaudit::gen;

TEST_CASE("B32 SAS renders the leftmost 20 bits in z-base-32") {
    CHECK(zrtp_sas_b32(0x00000000) == "yyyy");
    CHECK(zrtp_sas_b32(0xFFFFF000) == "9999");
    CHECK(zrtp_sas_b32(0x00000FFF) == "yyyy");  // the low 12 bits are not shown
    CHECK(zrtp_sas_b32(0x08000000) == "byyy");  // 00001 → alphabet[1]
    CHECK(zrtp_sas_b32(0x00001000) == "yyyb");
}

TEST_CASE("KDF is HMAC(KI, 1 || label || 0x00 || context || L) truncated to L bits") {
    const std::vector<std::uint8_t> key(32, 0x0b);
    const std::vector<std::uint8_t> context{1, 2, 3};
    const auto out = zrtp_kdf(crypto::HashAlgorithm::sha256, key, "SAS", context, 112);
    const auto input = util::from_hex("00000001 534153 00 010203 00000070");
    REQUIRE(input.has_value());
    auto expected = crypto::hmac(crypto::HashAlgorithm::sha256, key, *input);
    expected.resize(14);
    CHECK(out == expected);
    CHECK(zrtp_kdf(crypto::HashAlgorithm::sha384, key, "SAS", context, 384).size() == 48);
}

TEST_CASE("seeded bytes: deterministic, separated by label and by seed") {
    const ZrtpSeededBytes a{7};
    CHECK(a.take("H0", 32) == ZrtpSeededBytes{7}.take("H0", 32));
    CHECK(a.take("H0", 32) != a.take("H1", 32));
    CHECK(a.take("H0", 32) != ZrtpSeededBytes{8}.take("H0", 32));
    const auto long_value = a.take("dh-private", 80);
    CHECK(long_value.size() == 80);
    CHECK(std::vector<std::uint8_t>(long_value.begin(), long_value.begin() + 32) == a.take("dh-private", 32));
    // Block 0 is SHA-256(seed ‖ label ‖ 0), as documented.
    const auto input = util::from_hex("0000000000000007 4830 00000000");
    REQUIRE(input.has_value());
    const auto block = crypto::sha256(*input);
    CHECK(a.take("H0", 32) == std::vector<std::uint8_t>(block.begin(), block.end()));
}

TEST_CASE("hash and cipher names map to what the generator runs") {
    CHECK(zrtp_hash_from_name("S256") == crypto::HashAlgorithm::sha256);
    CHECK(zrtp_hash_from_name("S384") == crypto::HashAlgorithm::sha384);
    CHECK_FALSE(zrtp_hash_from_name("N256").has_value());
    CHECK(zrtp_cipher_key_size("AES1") == 16u);
    CHECK(zrtp_cipher_key_size("AES3") == 32u);
    CHECK_FALSE(zrtp_cipher_key_size("2FS1").has_value());
}
