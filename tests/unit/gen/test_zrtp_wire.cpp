#include <catch2/catch.hpp>

#include "zaudit/gen/zrtp_wire.hpp"
#include "zaudit/util/hex.hpp"

using namespace zaudit;
using namespace zaudit::gen;

namespace {

// Packets sent by linphone 5.1 / libbzrtp 5.1.64 (tests/interop/zrtp-linphone.pcap, extracted
// with `tshark --enable-heuristic rtp_udp -T fields -e udp.payload`): 10.77.0.2 is the initiator.
// frame 7
constexpr std::string_view k_linphone_hello_initiator =
    "100008f25a52545013bf82f4505a001e48656c6c6f202020312e3130425a52545076312e31000000000000007635a3e9"
    "6a5d92740c98d7344f9affa962d3ff0a3418243d1015c948213b930436fd6c4701697a963cacca0d0001222153323536"
    "414553314145533348533830485333324448336b4d756c7442333220a1e7f759433ceeef568276d9";
// frame 14
constexpr std::string_view k_linphone_hello_responder =
    "100005535a525450de44a4f9505a001e48656c6c6f202020312e3130425a52545076312e31000000000000006f73c900"
    "dc6c3f5e6894704e73124a048cc3bb8fcb7d44621eec65d8b2aa197ca3ada7cb5f4e948301c6001a0001222153323536"
    "414553314145533348533830485333324448336b4d756c74423332208684d051a2d9d46a2eab9c4d";
// frame 22
constexpr std::string_view k_linphone_commit =
    "100008f55a52545013bf82f4505a001d436f6d6d697420204128506411abd390670262ce3e9d429ba1a77da8684feb3d"
    "fcb24aab8af2696736fd6c4701697a963cacca0d5332353641455331485338304448336b42333220475aa4b02be95956"
    "fdd87ddce5716574388fca5a687617c0eea0d8f6b7622ac90291981c457ef1980f78fadf";
// frame 29
constexpr std::string_view k_linphone_dhpart2 =
    "100008f65a52545013bf82f4505a00754448506172743220a644e55c17ce4ffd97a8689c4a7188e07d41559cc24f08f6"
    "2286e5698f4fb3193f8c0a51618100fa4877610bb2b54e7cf256f1b5a6a73611c60aa56e8e00147646604bd807dbf2b3"
    "13c23257478a4941f616bee3cd31e1fc65b7ff60190de8adb6a7bf47cc0caee287d20a092ee02bdf3469e13ac0e4ab48"
    "f4cf980ffa115fc05d495c119f3d2279f9ca5fb1881cf735989b8446df7977676e111436563ef0664465bf427becd9b6"
    "c917569542207f32b2642a86dac108de75d7fa403c421c004aab8eee3fa991262c66e0fea1dd0bd16e6d892dba2d390e"
    "cecf2ac8ff63f46f7e2428ab466f8b77e9cdeb14f89664c6f3f017ed30c7c44bb7c1b322af9db30b9ab81e9f6b8144dd"
    "a35a5ed9c5df500be0a017fa22feb7246f1805774b1ea71a7bcdaa227e12e4e125c6a1562bdbfd450e8bd563ff17eb25"
    "230ed86bae7ab9cbefe5a7118c06077519af82c9c42774b1cfad1cc1cce4838f0efb28a0f0738dfda487f0ecc4d06d34"
    "e09910b7c13076912afe1beb8895dd2012bf535691453216673058d2cde9cb79d7c17a809b5cfd277e59ce1909b51724"
    "b6bf9e316a67f2bb634d125a0bfeaed9efb13e29e45a9af6743b4495e176c342a2a6c33a557b262555d90c93c314efd2"
    "1f39682b";

std::vector<std::uint8_t> hex(std::string_view text) {
    auto bytes = util::from_hex(text);
    REQUIRE(bytes.has_value());
    return *bytes;
}

/// The message inside a packet: without the 12-byte header and the 4-byte CRC.
std::vector<std::uint8_t> message_of(const std::vector<std::uint8_t>& packet) {
    return {packet.begin() + 12, packet.end() - 4};
}

std::uint16_t u16(const std::vector<std::uint8_t>& b, std::size_t at) {
    return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}

}  // namespace

TEST_CASE("CRC-32C matches the RFC 3720 B.4 vectors and the check value") {
    CHECK(zrtp_crc32c(std::vector<std::uint8_t>(32, 0x00)) == 0x8A9136AAu);
    CHECK(zrtp_crc32c(std::vector<std::uint8_t>(32, 0xFF)) == 0x62A8AB43u);
    CHECK(zrtp_crc32c(util::as_bytes("123456789")) == 0xE3069283u);
}

TEST_CASE("zrtp_packet rebuilds a real bzrtp packet byte for byte (CRC little-endian)") {
    for (auto fixture :
         {k_linphone_hello_initiator, k_linphone_hello_responder, k_linphone_commit, k_linphone_dhpart2}) {
        const auto real = hex(fixture);
        const auto seq = u16(real, 2);
        const std::uint32_t ssrc =
            (std::uint32_t{real[8]} << 24) | (std::uint32_t{real[9]} << 16) | (std::uint32_t{real[10]} << 8) | real[11];
        CHECK(zrtp_packet(seq, ssrc, message_of(real)) == real);
    }
}

TEST_CASE("a changed byte makes the CRC wrong, zrtp_refresh_crc makes it right again") {
    const auto real = hex(k_linphone_commit);
    auto changed = real;
    changed[20] ^= 0x01;
    const auto crc_of = [](const std::vector<std::uint8_t>& p) {
        return zrtp_crc32c(util::Bytes(p).first(p.size() - 4));
    };
    const auto wire_crc = [](const std::vector<std::uint8_t>& p) {
        const auto n = p.size();
        return std::uint32_t{p[n - 4]} | (std::uint32_t{p[n - 3]} << 8) | (std::uint32_t{p[n - 2]} << 16) |
               (std::uint32_t{p[n - 1]} << 24);
    };
    CHECK(crc_of(real) == wire_crc(real));
    CHECK(crc_of(changed) != wire_crc(changed));
    zrtp_refresh_crc(changed);
    CHECK(crc_of(changed) == wire_crc(changed));
}

TEST_CASE("hash-image MACs and hvi follow the formulas a real stack uses") {
    const auto hello_i = message_of(hex(k_linphone_hello_initiator));
    const auto hello_r = message_of(hex(k_linphone_hello_responder));
    const auto commit = message_of(hex(k_linphone_commit));
    const auto dhpart2 = message_of(hex(k_linphone_dhpart2));
    const util::Bytes h2 = util::Bytes(commit).subspan(12, 32);
    const util::Bytes h1 = util::Bytes(dhpart2).subspan(12, 32);
    // Hello: H3 at 12+4+16; MAC keyed by H2 from the Commit.
    const auto h3 = crypto::sha256(h2);
    CHECK(std::equal(h3.begin(), h3.end(), hello_i.begin() + 32));
    const auto hello_mac = zrtp_hash_image_mac(hello_i, h2);
    CHECK(std::equal(hello_mac.begin(), hello_mac.end(), hello_i.end() - 8));
    // Commit: H2 = SHA-256(H1) from DHPart2; MAC keyed by H1.
    const auto h2_from_h1 = crypto::sha256(h1);
    CHECK(std::equal(h2_from_h1.begin(), h2_from_h1.end(), h2.begin()));
    const auto commit_mac = zrtp_hash_image_mac(commit, h1);
    CHECK(std::equal(commit_mac.begin(), commit_mac.end(), commit.end() - 8));
    // hvi = SHA-256(DHPart2 ‖ responder's Hello), in the Commit after the five algorithm names.
    std::vector<std::uint8_t> both = dhpart2;
    both.insert(both.end(), hello_r.begin(), hello_r.end());
    const auto hvi = crypto::sha256(both);
    CHECK(std::equal(hvi.begin(), hvi.end(), commit.begin() + 76));
    // Negative: the initiator's own Hello is not what hvi covers.
    std::vector<std::uint8_t> wrong = dhpart2;
    wrong.insert(wrong.end(), hello_i.begin(), hello_i.end());
    CHECK(crypto::sha256(wrong) != hvi);
}

TEST_CASE("zrtp_hello_message reproduces linphone's Hello from its fields") {
    const auto real = message_of(hex(k_linphone_hello_initiator));
    const auto commit = message_of(hex(k_linphone_commit));
    ZrtpHelloFields f;
    // bzrtp pads its client identifier with NULs, so pass all 16 bytes.
    const std::string client_id{util::as_text(util::Bytes(real).subspan(16, 16))};
    f.client_id = client_id;
    std::copy_n(real.begin() + 32, 32, f.h3.begin());
    std::copy_n(real.begin() + 64, 12, f.zid.begin());
    f.hashes = {"S256"};
    f.ciphers = {"AES1", "AES3"};
    f.auth_tags = {"HS80", "HS32"};
    f.key_agreements = {"DH3k", "Mult"};
    f.sas_types = {"B32 "};
    CHECK(util::to_hex(zrtp_hello_message(f, util::Bytes(commit).subspan(12, 32))) == util::to_hex(real));
}

TEST_CASE("message lengths are counted in 32-bit words") {
    CHECK(zrtp_ack_message("HelloACK") == hex("505a0003 48656c6c6f41434b"));
    const auto error = zrtp_error_message(0x61);
    CHECK(util::to_hex(error) == "505a00044572726f7220202000000061");
    ZrtpSealKeys keys{crypto::HashAlgorithm::sha256, std::vector<std::uint8_t>(16, 1),
                      std::vector<std::uint8_t>(32, 2)};
    ZrtpConfirmFields confirm;
    const auto c = zrtp_confirm_message(confirm, keys);
    CHECK(c.size() == 76);
    CHECK(u16(c, 2) == 19);
    const auto goclear = zrtp_goclear_message(keys);
    CHECK(goclear.size() == 20);
    CHECK(u16(goclear, 2) == 5);
    ZrtpSasRelayFields relay;
    CHECK(zrtp_sasrelay_message(relay, keys).size() == 76);
}

TEST_CASE("AES-128-CFB matches NIST SP 800-38A F.3.13 and decrypts back") {
    const auto key = hex("2b7e151628aed2a6abf7158809cf4f3c");
    const auto iv = hex("000102030405060708090a0b0c0d0e0f");
    const auto plain = hex("6bc1bee22e409f96e93d7e117393172a");
    const auto cipher = zrtp_aes_cfb(key, iv, plain, true);
    CHECK(util::to_hex(cipher) == "3b3fd92eb72dad20333449f8e83cfb4a");
    CHECK(zrtp_aes_cfb(key, iv, cipher, false) == plain);
}

TEST_CASE("fragments carry bzrtp's 20-byte header and reassemble to the message") {
    std::vector<std::uint8_t> message = zrtp_message("DHPart1 ", std::vector<std::uint8_t>(388, 0xab));
    REQUIRE(message.size() == 400);
    const auto fragments = zrtp_fragment_packets(100, 0x01020304, message, {7, 200});
    // (200 - 24) / 4 = 44 words = 176 bytes per fragment: 176 + 176 + 48.
    REQUIRE(fragments.size() == 3);
    std::vector<std::uint8_t> joined(message.size());
    for (std::size_t k = 0; k < fragments.size(); ++k) {
        const auto& f = fragments[k];
        CHECK(f.size() <= 200);
        CHECK(f[0] == 0x11);
        CHECK(u16(f, 2) == 100 + k);
        CHECK(u16(f, 12) == 7);
        CHECK(u16(f, 14) == 100);  // 400 bytes = 100 words
        const std::size_t offset = u16(f, 16) * 4u;
        const std::size_t length = u16(f, 18) * 4u;
        CHECK(length == f.size() - 24);
        std::copy(f.begin() + 20, f.end() - 4, joined.begin() + static_cast<std::ptrdiff_t>(offset));
        const auto crc = zrtp_crc32c(util::Bytes(f).first(f.size() - 4));
        CHECK(f[f.size() - 4] == (crc & 0xFF));
        CHECK(f.back() == (crc >> 24));
    }
    CHECK(joined == message);
    CHECK_THROWS(zrtp_fragment_packets(1, 1, message, {1, 24}));
}
