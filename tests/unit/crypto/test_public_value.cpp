#include <catch2/catch.hpp>

#include <algorithm>

#include <openssl/bn.h>

#include <vector>

#include "zaudit/crypto/key_agreement.hpp"
#include "zaudit/crypto/public_value.hpp"
#include "zaudit/util/hex.hpp"

using namespace zaudit::crypto;
using Blob = std::vector<std::uint8_t>;

namespace {

Blob prime_bytes(bool is_3k) {
    BIGNUM* p = is_3k ? BN_get_rfc3526_prime_3072(nullptr) : BN_get_rfc3526_prime_2048(nullptr);
    Blob out(is_3k ? 384 : 256);
    BN_bn2binpad(p, out.data(), static_cast<int>(out.size()));
    BN_free(p);
    return out;
}

Blob small(std::size_t size, std::uint8_t last) {
    Blob b(size, 0);
    b.back() = last;
    return b;
}

PublicValueStatus status(std::string_view ka, const Blob& pv) {
    return check_public_value(ka, pv).status;
}

}  // namespace

TEST_CASE("DH public values: 2 is fine, 0, 1, p-1, p and wrong sizes are not") {
    for (const bool is_3k : {false, true}) {
        const char* name = is_3k ? "DH3k" : "DH2k";
        const std::size_t size = is_3k ? 384 : 256;
        INFO(name);
        // RFC 3526: the primes begin and end with 64 one bits.
        const Blob p = prime_bytes(is_3k);
        CHECK(p.front() == 0xff);
        CHECK(p.back() == 0xff);
        CHECK(status(name, small(size, 2)) == PublicValueStatus::valid);
        CHECK(status(name, small(size, 0)) == PublicValueStatus::invalid);
        CHECK(check_public_value(name, small(size, 1)).reason == "pv is 1");
        Blob p_minus_1 = p;
        p_minus_1.back() = 0xfe;
        CHECK(check_public_value(name, p_minus_1).reason == "pv is p-1");
        Blob p_minus_2 = p;
        p_minus_2.back() = 0xfd;
        CHECK(status(name, p_minus_2) == PublicValueStatus::valid);
        CHECK(check_public_value(name, p).reason == "pv is not below p");
        CHECK(status(name, Blob(size, 0xff)) == PublicValueStatus::invalid);
        CHECK(status(name, small(size - 1, 2)) == PublicValueStatus::invalid);  // leading zero dropped
    }
}

TEST_CASE("NIST curve public values: real points pass, others fail") {
    // Public values made by the project's key agreement code (tested against RFC 5903 vectors).
    for (const auto algorithm : {KeyAgreementAlgorithm::ec25, KeyAgreementAlgorithm::ec38}) {
        const auto pair = key_pair_from_private(algorithm, Blob(private_key_size(algorithm), 0x42));
        REQUIRE(pair);
        const std::string_view name = key_agreement_name(algorithm);
        INFO(name);
        CHECK(status(name, pair->public_value) == PublicValueStatus::valid);
        Blob off = pair->public_value;
        off.back() ^= 0x01;  // y changed: off the curve
        CHECK(status(name, off) == PublicValueStatus::invalid);
        CHECK(status(name, Blob(pair->public_value.size(), 0)) == PublicValueStatus::invalid);
        // Built by copy rather than insert: GCC 12 warns falsely (-Warray-bounds) on the insert.
        Blob prefixed(pair->public_value.size() + 1, 0x04);
        std::copy(pair->public_value.begin(), pair->public_value.end(), prefixed.begin() + 1);
        CHECK(status(name, prefixed) == PublicValueStatus::invalid);  // SEC1 prefix is not ZRTP's encoding
    }
    // P-521 generator G (SEC 2 / FIPS 186-4), x‖y with 66-byte coordinates.
    const auto g521 = zaudit::util::from_hex(
        "00c6858e06b70404e9cd9e3ecb662395b4429c648139053fb521f828af606b4d3dbaa14b5e77efe75928fe1dc127a2ffa8de3348b3c185"
        "6a"
        "429bf97e7e31c2e5bd66"
        "011839296a789a3bc0045c8a5fb42c7d1bd998f54449579b446817afbd17273e662c97ee72995ef42640c550b9013fad0761353c7086a2"
        "72c24088be94769fd16650");
    REQUIRE(g521);
    CHECK(status("EC52", *g521) == PublicValueStatus::valid);
    Blob off = *g521;
    off[70] ^= 0x10;
    CHECK(status("EC52", off) == PublicValueStatus::invalid);
}

TEST_CASE("X25519 public values: small-order points fail") {
    // RFC 7748 section 6.1 Alice's public key.
    const auto alice = zaudit::util::from_hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    REQUIRE(alice);
    CHECK(status("X255", *alice) == PublicValueStatus::valid);
    CHECK(status("E255", *alice) == PublicValueStatus::valid);
    CHECK(status("X255", Blob(32, 0)) == PublicValueStatus::invalid);
    CHECK(status("X255", small(32, 0) /* u = 0 */) == PublicValueStatus::invalid);
    Blob one(32, 0);
    one[0] = 1;  // u = 1, order 4
    CHECK(status("X255", one) == PublicValueStatus::invalid);
    // u = p-1 = 2^255 - 20 (little-endian), order 2.
    Blob p_minus_1(32, 0xff);
    p_minus_1[0] = 0xec;
    p_minus_1[31] = 0x7f;
    CHECK(status("X255", p_minus_1) == PublicValueStatus::invalid);
    CHECK(status("X255", Blob(31, 9)) == PublicValueStatus::invalid);
}

TEST_CASE("X448 and unknown key agreements") {
    Blob five(56, 0);
    five[0] = 5;  // the X448 base point u = 5
    CHECK(status("X448", five) == PublicValueStatus::valid);
    Blob one(56, 0);
    one[0] = 1;
    CHECK(status("X448", one) == PublicValueStatus::invalid);
    CHECK(status("KYB1", Blob(800, 1)) == PublicValueStatus::unsupported);
    CHECK(status("Mult", Blob{}) == PublicValueStatus::unsupported);
}
