// The WAV header's bytes, and sizes rewritten at the end.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <vector>

#include "support/temp_dir.hpp"
#include "zaudit/audio/wav_writer.hpp"

using namespace zaudit;

TEST_CASE("wav writer: a 44-byte PCM header with the final sizes, then little-endian samples") {
    test::TempDir dir;
    const std::string path = dir.file("a.wav");
    {
        auto wav = audio::WavWriter::create(path, 8000);
        REQUIRE(wav);
        const std::array<std::int16_t, 2> samples{1, -2};
        wav->write(samples);
        wav->write_silence(3);
        CHECK(wav->samples() == 5);
        CHECK(wav->finish());
    }
    std::ifstream in{path, std::ios::binary};
    const std::vector<unsigned char> bytes{std::istreambuf_iterator<char>(in), {}};
    REQUIRE(bytes.size() == 44 + 10);
    const auto u32 = [&](std::size_t at) {
        return bytes[at] | (bytes[at + 1] << 8U) | (bytes[at + 2] << 16U) |
               (static_cast<std::uint32_t>(bytes[at + 3]) << 24U);
    };
    CHECK(std::string(bytes.begin(), bytes.begin() + 4) == "RIFF");
    CHECK(u32(4) == 36 + 10);
    CHECK(std::string(bytes.begin() + 8, bytes.begin() + 16) == "WAVEfmt ");
    CHECK(u32(16) == 16);
    CHECK((bytes[20] | (bytes[21] << 8U)) == 1);  // PCM
    CHECK((bytes[22] | (bytes[23] << 8U)) == 1);  // mono
    CHECK(u32(24) == 8000);
    CHECK(u32(28) == 16000);
    CHECK((bytes[34] | (bytes[35] << 8U)) == 16);
    CHECK(std::string(bytes.begin() + 36, bytes.begin() + 40) == "data");
    CHECK(u32(40) == 10);
    CHECK(bytes[44] == 0x01);
    CHECK(bytes[45] == 0x00);
    CHECK(bytes[46] == 0xFE);
    CHECK(bytes[47] == 0xFF);
    CHECK(std::all_of(bytes.begin() + 48, bytes.end(), [](unsigned char b) { return b == 0; }));
}

TEST_CASE("wav writer: an unwritable path is an error, not a crash") {
    CHECK_FALSE(audio::WavWriter::create("/nonexistent-dir/x/a.wav", 8000));
}
