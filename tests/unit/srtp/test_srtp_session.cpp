#include <catch2/catch.hpp>

#include <openssl/evp.h>

#include <array>
#include <vector>

#include "zaudit/crypto/hash.hpp"
#include "zaudit/rtp/rtcp.hpp"
#include "zaudit/srtp/srtp_session.hpp"
#include "zaudit/util/hex.hpp"

using namespace zaudit::srtp;
using zaudit::util::Bytes;
using Buffer = std::vector<std::uint8_t>;

namespace {

Buffer hex(std::string_view text) {
    auto bytes = zaudit::util::from_hex(text);
    REQUIRE(bytes);
    return *bytes;
}

Buffer to_buffer(Bytes b) {
    return {b.begin(), b.end()};
}

// --- An independent RFC 3711 implementation over OpenSSL, to hold libsrtp2 against ----------

// AES-128 in counter mode from `iv`: SRTP's AES-CM (RFC 3711 section 4.1.1) for fewer than
// 2^16 blocks, where its 16-bit block counter and CTR's 128-bit one agree.
Buffer aes_cm(Bytes key, const std::array<std::uint8_t, 16>& iv, Bytes input) {
    Buffer out(input.size());
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    REQUIRE(ctx != nullptr);
    int length = 0;
    REQUIRE(EVP_EncryptInit_ex(ctx, EVP_aes_128_ctr(), nullptr, key.data(), iv.data()) == 1);
    REQUIRE(EVP_EncryptUpdate(ctx, out.data(), &length, input.data(), static_cast<int>(input.size())) == 1);
    EVP_CIPHER_CTX_free(ctx);
    return out;
}

// RFC 3711 section 4.3.1 with key_derivation_rate 0: x = (label << 48) XOR master_salt,
// keystream of AES-CM under the master key from IV = x * 2^16.
Buffer derive(Bytes master_key, Bytes master_salt, std::uint8_t label, std::size_t size) {
    std::array<std::uint8_t, 16> iv{};
    std::copy(master_salt.begin(), master_salt.end(), iv.begin());
    iv[7] ^= label;
    return aes_cm(master_key, iv, Buffer(size, 0));
}

// RFC 3711 B.3 master key and salt.
constexpr std::string_view k_master_key = "E1F97A0D3E018BE0D64FA32C06DE4139";
constexpr std::string_view k_master_salt = "0EC675AD498AFEEBB6960B3AABE6";

Buffer master_key_salt() {
    return hex(std::string(k_master_key) + std::string(k_master_salt));
}

// A PCMU-like RTP packet: SSRC 0xdecafbad, PT 0, given sequence number.
Buffer rtp_packet(std::uint16_t seq, std::uint32_t ssrc = 0xdecafbad, std::uint8_t fill = 0xab) {
    Buffer p{0x80,
             0x00,
             static_cast<std::uint8_t>(seq >> 8),
             static_cast<std::uint8_t>(seq),
             0x00,
             0x00,
             0x12,
             0x34,
             static_cast<std::uint8_t>(ssrc >> 24),
             static_cast<std::uint8_t>(ssrc >> 16),
             static_cast<std::uint8_t>(ssrc >> 8),
             static_cast<std::uint8_t>(ssrc)};
    p.insert(p.end(), 40, fill);
    return p;
}

Buffer key_of(CryptoSuite suite, std::uint8_t seed = 1) {
    Buffer key(suite_info(suite).key_salt_size());
    for (std::size_t i = 0; i < key.size(); ++i) {
        key[i] = static_cast<std::uint8_t>(seed + 7 * i);
    }
    return key;
}

SrtpVerifier verifier(CryptoSuite suite, const Buffer& key, SessionParams params = {}) {
    auto v = SrtpVerifier::create(suite, key, params);
    REQUIRE(v);
    return std::move(*v);
}

SrtpProtector protector(CryptoSuite suite, const Buffer& key, SessionParams params = {}) {
    auto p = SrtpProtector::create(suite, key, params);
    REQUIRE(p);
    return std::move(*p);
}

}  // namespace

TEST_CASE("srtp KAT: the test's own RFC 3711 code reproduces appendix B.2 and B.3") {
    // B.3: session keys of the master key/salt above, kdr 0.
    CHECK(derive(hex(k_master_key), hex(k_master_salt), 0, 16) == hex("C61E7A93744F39EE10734AFE3FF7A087"));
    CHECK(derive(hex(k_master_key), hex(k_master_salt), 1, 20) == hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"));
    CHECK(derive(hex(k_master_key), hex(k_master_salt), 2, 14) == hex("30CBBC08863D8C85D49DB34A9AE1"));
    // B.2: first keystream block for session key 2B7E...4F3C, salt F0F1...FCFD, SSRC 0, index 0.
    std::array<std::uint8_t, 16> iv{0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
                                    0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0x00, 0x00};
    CHECK(aes_cm(hex("2B7E151628AED2A6ABF7158809CF4F3C"), iv, Buffer(16, 0)) ==
          hex("E03EAD0935C95E80E166B16DD92B4EB4"));
}

TEST_CASE("srtp KAT: libsrtp2 as used protects a packet exactly as RFC 3711 computes it") {
    const Buffer session_key = derive(hex(k_master_key), hex(k_master_salt), 0, 16);
    const Buffer auth_key = derive(hex(k_master_key), hex(k_master_salt), 1, 20);
    const Buffer session_salt = derive(hex(k_master_key), hex(k_master_salt), 2, 14);

    const Buffer plain = rtp_packet(0x1234);
    // Section 4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), i = ROC || SEQ (ROC 0).
    std::array<std::uint8_t, 16> iv{};
    std::copy(session_salt.begin(), session_salt.end(), iv.begin());
    for (int i = 0; i < 4; ++i) {
        iv[static_cast<std::size_t>(4 + i)] ^= plain[static_cast<std::size_t>(8 + i)];  // SSRC
    }
    iv[12] ^= 0x12;  // SEQ
    iv[13] ^= 0x34;
    Buffer expected(plain.begin(), plain.begin() + 12);
    const Buffer cipher = aes_cm(session_key, iv, Bytes{plain}.subspan(12));
    expected.insert(expected.end(), cipher.begin(), cipher.end());
    // Section 4.2: tag = HMAC-SHA1(k_a, packet || ROC) truncated to 80 bits.
    Buffer authenticated = expected;
    authenticated.insert(authenticated.end(), {0, 0, 0, 0});
    const auto mac = zaudit::crypto::hmac(zaudit::crypto::HashAlgorithm::sha1, auth_key, authenticated);
    expected.insert(expected.end(), mac.begin(), mac.begin() + 10);

    SrtpProtector sender = protector(CryptoSuite::aes_cm_128_hmac_sha1_80, master_key_salt());
    const auto protected_packet = sender.protect(plain);
    REQUIRE(protected_packet);
    CHECK(zaudit::util::to_hex(*protected_packet) == zaudit::util::to_hex(expected));

    // And the verifier accepts the independently computed packet.
    SrtpVerifier receiver = verifier(CryptoSuite::aes_cm_128_hmac_sha1_80, master_key_salt());
    CHECK(receiver.unprotect(expected) == Outcome::ok);
    CHECK(to_buffer(receiver.plaintext()) == plain);
}

TEST_CASE("srtp: protect then unprotect is ok for every suite") {
    for (const CryptoSuite suite :
         {CryptoSuite::aes_cm_128_hmac_sha1_80, CryptoSuite::aes_cm_128_hmac_sha1_32,
          CryptoSuite::aes_192_cm_hmac_sha1_80, CryptoSuite::aes_192_cm_hmac_sha1_32,
          CryptoSuite::aes_256_cm_hmac_sha1_80, CryptoSuite::aes_256_cm_hmac_sha1_32, CryptoSuite::aead_aes_128_gcm,
          CryptoSuite::aead_aes_256_gcm, CryptoSuite::null_hmac_sha1_80, CryptoSuite::null_hmac_sha1_32}) {
        INFO(to_string(suite));
        const Buffer key = key_of(suite);
        SrtpProtector sender = protector(suite, key);
        SrtpVerifier receiver = verifier(suite, key);
        for (std::uint16_t seq = 100; seq < 105; ++seq) {
            const Buffer plain = rtp_packet(seq);
            const auto srtp = sender.protect(plain);
            REQUIRE(srtp);
            CHECK(srtp->size() == plain.size() + suite_info(suite).rtp_tag_size);
            CHECK(receiver.unprotect(*srtp) == Outcome::ok);
            CHECK(to_buffer(receiver.plaintext()) == plain);
        }
        CHECK(receiver.rtp_counts().ok == 5);
    }
}

TEST_CASE("srtp: encrypting suites hide the payload, NULL suites leave it readable") {
    const Buffer plain = rtp_packet(7);
    SrtpProtector aes = protector(CryptoSuite::aes_cm_128_hmac_sha1_80, key_of(CryptoSuite::aes_cm_128_hmac_sha1_80));
    const Buffer encrypted = to_buffer(*aes.protect(plain));
    CHECK_FALSE(std::equal(plain.begin() + 12, plain.end(), encrypted.begin() + 12));

    SrtpProtector null = protector(CryptoSuite::null_hmac_sha1_80, key_of(CryptoSuite::null_hmac_sha1_80));
    const Buffer clear = to_buffer(*null.protect(plain));
    REQUIRE(clear.size() == plain.size() + 10);
    CHECK(std::equal(plain.begin(), plain.end(), clear.begin()));
}

TEST_CASE("srtp: wrong key is an authentication failure") {
    const CryptoSuite suite = CryptoSuite::aes_cm_128_hmac_sha1_80;
    SrtpProtector sender = protector(suite, key_of(suite, 1));
    SrtpVerifier receiver = verifier(suite, key_of(suite, 2));
    CHECK(receiver.unprotect(*sender.protect(rtp_packet(1))) == Outcome::auth_fail);
    CHECK(receiver.plaintext().empty());
    CHECK(receiver.rtp_counts().auth_fail == 1);
}

TEST_CASE("srtp: a flipped payload byte or tag byte fails authentication") {
    for (const CryptoSuite suite : {CryptoSuite::aes_cm_128_hmac_sha1_32, CryptoSuite::aead_aes_128_gcm}) {
        INFO(to_string(suite));
        const Buffer key = key_of(suite);
        SrtpProtector sender = protector(suite, key);
        SrtpVerifier receiver = verifier(suite, key);
        Buffer payload_flip = to_buffer(*sender.protect(rtp_packet(1)));
        payload_flip[20] ^= 0x01;
        CHECK(receiver.unprotect(payload_flip) == Outcome::auth_fail);
        Buffer tag_flip = to_buffer(*sender.protect(rtp_packet(2)));
        tag_flip.back() ^= 0x80;
        CHECK(receiver.unprotect(tag_flip) == Outcome::auth_fail);
        // The failures did not poison the replay window: the genuine packets still pass.
        CHECK(receiver.unprotect(*sender.protect(rtp_packet(3))) == Outcome::ok);
    }
}

TEST_CASE("srtp: a replayed packet is a replay failure, counted apart") {
    const CryptoSuite suite = CryptoSuite::aes_cm_128_hmac_sha1_80;
    SrtpProtector sender = protector(suite, key_of(suite));
    SrtpVerifier receiver = verifier(suite, key_of(suite));
    const Buffer first = to_buffer(*sender.protect(rtp_packet(10)));
    const Buffer second = to_buffer(*sender.protect(rtp_packet(11)));
    CHECK(receiver.unprotect(first) == Outcome::ok);
    CHECK(receiver.unprotect(second) == Outcome::ok);
    CHECK(receiver.unprotect(first) == Outcome::replay_fail);
    CHECK(receiver.rtp_counts().ok == 2);
    CHECK(receiver.rtp_counts().replay_fail == 1);
    CHECK(receiver.rtp_counts().auth_fail == 0);
}

TEST_CASE("srtp: the protector refuses to reuse a sequence number") {
    const CryptoSuite suite = CryptoSuite::aes_cm_128_hmac_sha1_80;
    SrtpProtector sender = protector(suite, key_of(suite));
    CHECK(sender.protect(rtp_packet(10)));
    CHECK_FALSE(sender.protect(rtp_packet(10)));
}

TEST_CASE("srtp: outcomes are counted per SSRC") {
    const CryptoSuite suite = CryptoSuite::aes_cm_128_hmac_sha1_80;
    SrtpProtector sender = protector(suite, key_of(suite));
    SrtpProtector other_key = protector(suite, key_of(suite, 9));
    SrtpVerifier receiver = verifier(suite, key_of(suite));
    CHECK(receiver.unprotect(*sender.protect(rtp_packet(1, 0x11111111))) == Outcome::ok);
    CHECK(receiver.unprotect(*sender.protect(rtp_packet(1, 0x22222222))) == Outcome::ok);
    CHECK(receiver.unprotect(*other_key.protect(rtp_packet(2, 0x22222222))) == Outcome::auth_fail);
    REQUIRE(receiver.streams().size() == 2);
    CHECK(receiver.streams()[0].ssrc == 0x11111111U);
    CHECK(receiver.streams()[0].rtp.ok == 1);
    CHECK(receiver.streams()[1].ssrc == 0x22222222U);
    CHECK(receiver.streams()[1].rtp.ok == 1);
    CHECK(receiver.streams()[1].rtp.auth_fail == 1);
}

TEST_CASE("srtp: a packet too short for libsrtp2 is malformed") {
    SrtpVerifier receiver =
        verifier(CryptoSuite::aes_cm_128_hmac_sha1_80, key_of(CryptoSuite::aes_cm_128_hmac_sha1_80));
    CHECK(receiver.unprotect(hex("8000")) == Outcome::malformed);
    CHECK(receiver.unprotect(Buffer{}) == Outcome::malformed);
    CHECK(receiver.streams().empty());  // no SSRC to count it under
}

TEST_CASE("srtp: bad key sizes and unknown suites do not make a verifier") {
    CHECK_FALSE(SrtpVerifier::create(CryptoSuite::aes_cm_128_hmac_sha1_80, Buffer(29, 1)));
    CHECK_FALSE(SrtpVerifier::create(CryptoSuite::aes_256_cm_hmac_sha1_80, Buffer(30, 1)));
    const auto unknown = SrtpVerifier::create("SEED_CTR_128_HMAC_SHA1_80", Buffer(30, 1));
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().message == "unknown SRTP crypto suite 'SEED_CTR_128_HMAC_SHA1_80'");
    // A registered suite that libsrtp2 does not implement (AES in f8 mode) is said so.
    const auto f8 = SrtpVerifier::create("F8_128_HMAC_SHA1_80", Buffer(30, 1));
    REQUIRE_FALSE(f8);
    CHECK(f8.error().message == "libsrtp2 does not implement F8_128_HMAC_SHA1_80");
    CHECK(SrtpVerifier::create("AES_CM_128_HMAC_SHA1_80", Buffer(30, 1)));
}

TEST_CASE("srtcp: protect then unprotect, with the E flag and index in the trailer") {
    const CryptoSuite suite = CryptoSuite::aes_cm_128_hmac_sha1_32;  // SRTCP still 80-bit
    SrtpProtector sender = protector(suite, key_of(suite));
    SrtpVerifier receiver = verifier(suite, key_of(suite));
    // rtp-protocol.pcap frame 9: SR + SDES.
    const Buffer rtcp = hex("80c8000644c61afb001cd3b3da1cab0c32a1053c00000001000000a081ca000344c61afb0103633000000000");
    const Buffer srtcp = to_buffer(*sender.protect_rtcp(rtcp));
    CHECK(srtcp.size() == rtcp.size() + 4 + 10);
    const auto compound = zaudit::rtp::parse_rtcp_compound(srtcp);
    CHECK(compound.sender_ssrc == 0x44c61afbU);
    CHECK(compound.srtcp_indicated());
    const auto trailer = zaudit::rtp::srtcp_trailer(srtcp, 10);
    REQUIRE(trailer);
    CHECK(trailer->encrypted);
    const Buffer next = to_buffer(*sender.protect_rtcp(rtcp));
    CHECK(zaudit::rtp::srtcp_trailer(next, 10)->index == trailer->index + 1);

    CHECK(receiver.unprotect_rtcp(srtcp) == Outcome::ok);
    CHECK(to_buffer(receiver.plaintext()) == rtcp);
    CHECK(receiver.unprotect_rtcp(srtcp) == Outcome::replay_fail);
    Buffer flipped = next;
    flipped[10] ^= 0x04;
    CHECK(receiver.unprotect_rtcp(flipped) == Outcome::auth_fail);
    CHECK(receiver.rtcp_counts().ok == 1);
    CHECK(receiver.rtcp_counts().replay_fail == 1);
    CHECK(receiver.rtcp_counts().auth_fail == 1);
    REQUIRE(receiver.streams().size() == 1);
    CHECK(receiver.streams()[0].rtcp.total() == 3);
}

TEST_CASE("srtcp: UNENCRYPTED_SRTCP leaves the compound readable with E=0") {
    const CryptoSuite suite = CryptoSuite::aes_cm_128_hmac_sha1_80;
    SessionParams params;
    params.unencrypted_srtcp = true;
    SrtpProtector sender = protector(suite, key_of(suite), params);
    SrtpVerifier receiver = verifier(suite, key_of(suite), params);
    const Buffer rtcp = hex("80c8000644c61afb001cd3b3da1cab0c32a1053c00000001000000a081ca000344c61afb0103633000000000");
    const Buffer srtcp = to_buffer(*sender.protect_rtcp(rtcp));
    CHECK(std::equal(rtcp.begin(), rtcp.end(), srtcp.begin()));
    CHECK_FALSE(zaudit::rtp::srtcp_trailer(srtcp, 10)->encrypted);
    CHECK(receiver.unprotect_rtcp(srtcp) == Outcome::ok);
}

TEST_CASE("srtp: UNENCRYPTED_SRTP authenticates a readable payload") {
    const CryptoSuite suite = CryptoSuite::aes_cm_128_hmac_sha1_80;
    SessionParams params;
    params.unencrypted_srtp = true;
    SrtpProtector sender = protector(suite, key_of(suite), params);
    const Buffer plain = rtp_packet(3);
    const Buffer srtp = to_buffer(*sender.protect(plain));
    REQUIRE(srtp.size() == plain.size() + 10);
    CHECK(std::equal(plain.begin(), plain.end(), srtp.begin()));
    SrtpVerifier receiver = verifier(suite, key_of(suite), params);
    CHECK(receiver.unprotect(srtp) == Outcome::ok);
    // A verifier that expects encryption rejects nothing here either: the tag covers the same
    // bytes; it only "decrypts" into garbage. The signalling, not libsrtp2, tells the two apart.
    SrtpVerifier strict = verifier(suite, key_of(suite));
    CHECK(strict.unprotect(srtp) == Outcome::ok);
    CHECK(to_buffer(strict.plaintext()) != plain);
}

TEST_CASE("srtp: UNAUTHENTICATED_SRTP has no tag, so alterations go unnoticed") {
    const CryptoSuite suite = CryptoSuite::aes_cm_128_hmac_sha1_80;
    SessionParams params;
    params.unauthenticated_srtp = true;
    SrtpProtector sender = protector(suite, key_of(suite), params);
    SrtpVerifier receiver = verifier(suite, key_of(suite), params);
    const Buffer plain = rtp_packet(5);
    Buffer srtp = to_buffer(*sender.protect(plain));
    REQUIRE(srtp.size() == plain.size());
    CHECK_FALSE(std::equal(plain.begin() + 12, plain.end(), srtp.begin() + 12));
    srtp[30] ^= 0x01;
    CHECK(receiver.unprotect(srtp) == Outcome::ok);
    CHECK(receiver.plaintext()[30] == (plain[30] ^ 0x01));  // AES-CM: a bit flip passes straight through
}
