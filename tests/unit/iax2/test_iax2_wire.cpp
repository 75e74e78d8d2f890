// The generator's IAX2 encryption is genuine: each encrypted frame of iax2-encrypted-call
// decrypts under MD5(challenge ‖ secret) to a frame zaudit's parser reads as plain, and the
// plain frames re-encrypt the same way (AES-128-CBC, Asterisk's padding rule).
#include <catch2/catch.hpp>

#include <array>

#include "zaudit/gen/iax2_wire.hpp"
#include "zaudit/iax2/frame.hpp"
#include "zaudit/util/hex.hpp"

using namespace zaudit;

TEST_CASE("gen iax2: key derivation is MD5 of challenge then secret") {
    // MD5("123456789" "secret"), computed with `printf 123456789secret | md5sum`.
    CHECK(gen::iax2_md5_result("123456789", "secret") == "7ccde16e862dfe7681297713e9e9cadb");
    const gen::Iax2Key key = gen::iax2_key("123456789", "secret");
    CHECK(util::to_hex(key) == gen::iax2_md5_result("123456789", "secret"));
}

TEST_CASE("gen iax2: encrypted frames decrypt to plain frames, and only under the right key") {
    const gen::Iax2Key key = gen::iax2_key("424242", "trunk");
    const gen::Iax2Key wrong = gen::iax2_key("424243", "trunk");
    std::array<std::uint8_t, 31> padding{};
    for (std::size_t i = 0; i < padding.size(); ++i) {
        padding.at(i) = static_cast<std::uint8_t>(i * 37 + 11);
    }
    gen::ByteWriter ies;
    gen::iax2_ie_u32(ies, 9, 4);
    for (std::size_t extra = 0; extra < 20; ++extra) {  // every padding length 16..31
        ies.u8(0x07).u8(0);                             // an empty element (type 7) to vary the size
        const gen::ByteVector plain = gen::iax2_full_frame(0x1234, 0x0567, 20, 1, 2, 6, 7, ies.out());
        const gen::ByteVector encrypted = gen::iax2_encrypt(plain, key, padding);
        CHECK((encrypted.size() - 4) % 16 == 0);
        CHECK(encrypted.size() - plain.size() >= 16);
        CHECK(encrypted.size() - plain.size() <= 31);
        CHECK(std::equal(plain.begin(), plain.begin() + 4, encrypted.begin()));  // call numbers in clear
        std::vector<util::Anomaly> anomalies;
        CHECK_FALSE(iax2::parse(encrypted, anomalies)->plain);
        CHECK(gen::iax2_decrypt(encrypted, key) == plain);
        CHECK(gen::iax2_decrypt(encrypted, wrong) != plain);
        const auto round = gen::iax2_decrypt(encrypted, key);
        CHECK(iax2::parse(round, anomalies)->plain);
    }
    const gen::ByteVector mini = gen::iax2_mini_frame(0x0042, 0x1234, std::vector<std::uint8_t>(160, 0xff));
    const gen::ByteVector encrypted_mini = gen::iax2_encrypt(mini, key, padding);
    CHECK((encrypted_mini.size() - 2) % 16 == 0);
    CHECK(gen::iax2_decrypt(encrypted_mini, key) == mini);
}
