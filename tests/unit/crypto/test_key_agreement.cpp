#include <catch2/catch.hpp>

#include "zaudit/crypto/key_agreement.hpp"
#include "zaudit/util/hex.hpp"

using namespace zaudit;
using crypto::KeyAgreementAlgorithm;

namespace {

std::vector<std::uint8_t> hex(std::string_view text) {
    auto bytes = util::from_hex(text);
    REQUIRE(bytes.has_value());
    return *bytes;
}

crypto::KeyPair pair_or_fail(KeyAgreementAlgorithm algorithm, const std::vector<std::uint8_t>& priv) {
    auto pair = crypto::key_pair_from_private(algorithm, priv);
    REQUIRE(pair.has_value());
    return std::move(pair).value();
}

}  // namespace

TEST_CASE("X25519 matches the RFC 7748 section 6.1 test vector") {
    const auto alice = pair_or_fail(KeyAgreementAlgorithm::x255,
                                    hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
    const auto bob = pair_or_fail(KeyAgreementAlgorithm::x255,
                                  hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
    CHECK(util::to_hex(alice.public_value) == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    CHECK(util::to_hex(bob.public_value) == "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    const auto k1 = crypto::shared_secret(alice, bob.public_value);
    const auto k2 = crypto::shared_secret(bob, alice.public_value);
    REQUIRE(k1.has_value());
    REQUIRE(k2.has_value());
    CHECK(util::to_hex(*k1) == "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    CHECK(*k1 == *k2);
}

TEST_CASE("X25519 refuses a small-order peer value and wrong sizes") {
    const auto alice = pair_or_fail(KeyAgreementAlgorithm::x255,
                                    hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
    const std::vector<std::uint8_t> zero(32, 0);  // the point of order 1: the result is all zeros
    CHECK_FALSE(crypto::shared_secret(alice, zero).has_value());
    CHECK_FALSE(crypto::shared_secret(alice, std::vector<std::uint8_t>(31, 9)).has_value());
    CHECK_FALSE(
        crypto::key_pair_from_private(KeyAgreementAlgorithm::x255, std::vector<std::uint8_t>(31, 1)).has_value());
}

TEST_CASE("EC25 (P-256) matches the RFC 5903 section 8.1 test vector, pv = x||y, DHResult = x") {
    const auto i = pair_or_fail(KeyAgreementAlgorithm::ec25,
                                hex("C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433"));
    const auto r = pair_or_fail(KeyAgreementAlgorithm::ec25,
                                hex("C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53"));
    CHECK(util::to_hex(i.public_value) ==
          "dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180"
          "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3");
    CHECK(util::to_hex(r.public_value) ==
          "d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63"
          "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab");
    const auto z1 = crypto::shared_secret(i, r.public_value);
    const auto z2 = crypto::shared_secret(r, i.public_value);
    REQUIRE(z1.has_value());
    REQUIRE(z2.has_value());
    CHECK(util::to_hex(*z1) == "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de");
    CHECK(*z1 == *z2);
}

TEST_CASE("EC25 refuses a public value that is not on the curve") {
    const auto i = pair_or_fail(KeyAgreementAlgorithm::ec25,
                                hex("C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433"));
    auto off_curve = i.public_value;
    off_curve.back() ^= 0x01;
    CHECK_FALSE(crypto::shared_secret(i, off_curve).has_value());
}

TEST_CASE("EC38 (P-384): 96-byte pv, 48-byte DHResult, both sides agree") {
    const auto a = pair_or_fail(KeyAgreementAlgorithm::ec38, std::vector<std::uint8_t>(48, 0x11));
    const auto b = pair_or_fail(KeyAgreementAlgorithm::ec38, std::vector<std::uint8_t>(48, 0x22));
    CHECK(a.public_value.size() == 96);
    const auto z1 = crypto::shared_secret(a, b.public_value);
    const auto z2 = crypto::shared_secret(b, a.public_value);
    REQUIRE(z1.has_value());
    REQUIRE(z2.has_value());
    CHECK(z1->size() == 48);
    CHECK(*z1 == *z2);
}

TEST_CASE("DH3k and DH2k use generator 2 over the RFC 3526 primes") {
    // Exponent 1 gives g itself, exponent 10 gives 2^10 = 0x400: checkable by hand.
    const auto one = pair_or_fail(KeyAgreementAlgorithm::dh3k, hex("01"));
    REQUIRE(one.public_value.size() == 384);
    CHECK(one.public_value.back() == 2);
    CHECK(std::all_of(one.public_value.begin(), one.public_value.end() - 1, [](auto b) { return b == 0; }));
    const auto ten = pair_or_fail(KeyAgreementAlgorithm::dh2k, hex("0a"));
    REQUIRE(ten.public_value.size() == 256);
    CHECK(ten.public_value[254] == 0x04);
    CHECK(ten.public_value[255] == 0x00);
    // (2^10)^3 = 2^30 = 0x40000000, padded to the prime's size.
    const auto three = pair_or_fail(KeyAgreementAlgorithm::dh2k, hex("03"));
    const auto z = crypto::shared_secret(three, ten.public_value);
    REQUIRE(z.has_value());
    REQUIRE(z->size() == 256);
    CHECK(util::to_hex(std::span(*z).last(4)) == "40000000");
}

TEST_CASE("DH both sides agree with full-size exponents") {
    const auto a = pair_or_fail(KeyAgreementAlgorithm::dh3k, std::vector<std::uint8_t>(64, 0xa5));
    const auto b = pair_or_fail(KeyAgreementAlgorithm::dh3k, std::vector<std::uint8_t>(64, 0x5a));
    const auto z1 = crypto::shared_secret(a, b.public_value);
    const auto z2 = crypto::shared_secret(b, a.public_value);
    REQUIRE(z1.has_value());
    REQUIRE(z2.has_value());
    CHECK(*z1 == *z2);
}

TEST_CASE("DH refuses pv = 1, pv = p-1 and wrong sizes (RFC 6189 section 4.4.1.1)") {
    const auto a = pair_or_fail(KeyAgreementAlgorithm::dh2k, std::vector<std::uint8_t>(32, 0x42));
    std::vector<std::uint8_t> pv_one(256, 0);
    pv_one.back() = 1;
    CHECK_FALSE(crypto::shared_secret(a, pv_one).has_value());
    // RFC 3526 2048-bit prime ends in ...FFFFFFFF, so p-1 ends in ...FFFFFFFE and starts with FF.
    std::vector<std::uint8_t> p_minus_1 = *util::from_hex(
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
        "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
        "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
        "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
        "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
        "15728E5A8AACAA68FFFFFFFFFFFFFFFE");
    REQUIRE(p_minus_1.size() == 256);
    CHECK_FALSE(crypto::shared_secret(a, p_minus_1).has_value());
    // p-2 is a legal value: this also proves the p-1 literal above is exact.
    auto p_minus_2 = p_minus_1;
    p_minus_2.back() = 0xFD;
    CHECK(crypto::shared_secret(a, p_minus_2).has_value());
    CHECK_FALSE(crypto::shared_secret(a, std::vector<std::uint8_t>(384, 3)).has_value());
}

TEST_CASE("key agreement names round-trip and refuse Mult") {
    for (auto name : {"DH2k", "DH3k", "EC25", "EC38", "X255"}) {
        const auto algorithm = crypto::key_agreement_from_name(name);
        REQUIRE(algorithm.has_value());
        CHECK(crypto::key_agreement_name(*algorithm) == name);
    }
    CHECK_FALSE(crypto::key_agreement_from_name("Mult").has_value());
    CHECK_FALSE(crypto::key_agreement_from_name("E255").has_value());
}
