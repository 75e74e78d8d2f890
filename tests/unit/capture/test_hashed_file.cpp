#include <catch2/catch.hpp>

#include <fcntl.h>

#include <cstdio>
#include <random>

#include "support/temp_dir.hpp"
#include "zaudit/capture/hashed_file.hpp"
#include "zaudit/crypto/hash.hpp"
#include "zaudit/util/hex.hpp"

using namespace zaudit;

namespace {

/// 1.3 MB of noise: several of the stream's 256 KiB reads, and not a whole number of them.
std::vector<std::uint8_t> noise() {
    std::mt19937 random{7};
    std::vector<std::uint8_t> bytes(1'300'001);
    for (auto& byte : bytes) {
        byte = static_cast<std::uint8_t>(random());
    }
    return bytes;
}

capture::HashedFile open(const std::string& path, capture::Hashing hashing = capture::Hashing::with_reads) {
    auto hashed = capture::open_hashed(::open(path.c_str(), O_RDONLY | O_CLOEXEC), path, hashing);
    REQUIRE(hashed.has_value());
    return std::move(*hashed);
}

/// Up to `most` bytes from the stream, in reads of a pcap record's sizes (a header, then data).
std::vector<std::uint8_t> read_from(std::FILE* stream, std::size_t most = SIZE_MAX) {
    std::vector<std::uint8_t> got;
    std::array<std::uint8_t, 1516> chunk{};
    for (std::size_t size = 16; got.size() < most; size = size == 16 ? 1500 : 16) {
        const std::size_t n = std::fread(chunk.data(), 1, std::min(size, most - got.size()), stream);
        got.insert(got.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(n));
        if (n == 0) {
            break;
        }
    }
    return got;
}

}  // namespace

TEST_CASE("a hashed file's stream reads the file, and its digest is the whole file's") {
    test::TempDir dir;
    const auto bytes = noise();
    const auto path = dir.write("noise.bin", bytes);
    const std::string expected = util::to_hex(crypto::sha256(bytes));
    const auto hashing = GENERATE(capture::Hashing::with_reads, capture::Hashing::on_thread);
    INFO((hashing == capture::Hashing::on_thread ? "on a thread from the start" : "by the stream's reads"));
    auto file = open(path, hashing);

    SECTION("read to the end") {
        CHECK(read_from(file.stream.get()) == bytes);
        CHECK(*file.digest->finish() == expected);
    }
    SECTION("read in part: the rest is hashed at the end") {
        CHECK(read_from(file.stream.get(), 300'000).size() == 300'000);
        CHECK(*file.digest->finish() == expected);
    }
    SECTION("closed early: the digest still covers the file") {
        CHECK(read_from(file.stream.get(), 100).size() == 100);
        file.stream.reset();
        CHECK(*file.digest->finish() == expected);
    }
    SECTION("finished before the stream read: the stream reads on") {
        CHECK(*file.digest->finish() == expected);
        CHECK(read_from(file.stream.get()) == bytes);
    }
    SECTION("handed to a thread at the start or midway: the same digest and the same bytes") {
        for (const std::size_t before : {std::size_t{0}, std::size_t{5}, std::size_t{700'000}}) {
            auto again = open(path, hashing);
            auto got = read_from(again.stream.get(), before);
            again.digest->hash_rest_on_thread();
            const auto rest = read_from(again.stream.get());
            got.insert(got.end(), rest.begin(), rest.end());
            INFO("handed over after " << before << " bytes");
            CHECK(got == bytes);
            CHECK(*again.digest->finish() == expected);
        }
    }
    SECTION("finished once: asked again, it says so, and a thread is not started after it") {
        CHECK(*file.digest->finish() == expected);
        file.digest->hash_rest_on_thread();
        const auto again = file.digest->finish();
        REQUIRE_FALSE(again.has_value());
        CHECK_THAT(again.error().message, Catch::Contains("finished already"));
    }
    SECTION("stopped unfinished when dropped, thread and all") {
        file.digest->hash_rest_on_thread();
        file.digest.reset();
        CHECK(read_from(file.stream.get()) == bytes);
    }
}

TEST_CASE("a hashed file's stream tells where it is and reads forwards only") {
    test::TempDir dir;
    const auto bytes = noise();
    auto file = open(dir.write("noise.bin", bytes));
    CHECK(std::ftell(file.stream.get()) == 0);
    CHECK(read_from(file.stream.get(), 1516).size() == 1516);
    CHECK(std::ftell(file.stream.get()) == 1516);
    // Past what stdio holds, so that the stream itself is asked (a seek within stdio's buffer
    // stdio may serve itself).
    CHECK(std::fseek(file.stream.get(), 1'000'000, SEEK_SET) != 0);
    CHECK(std::ftell(file.stream.get()) == 1516);
    CHECK(read_from(file.stream.get(), 16) == std::vector<std::uint8_t>(bytes.begin() + 1516, bytes.begin() + 1532));
}

TEST_CASE("a hashed file's stream of an empty file ends at once, and its digest is the empty one") {
    test::TempDir dir;
    auto file = open(dir.write("empty.bin", {}));
    CHECK(read_from(file.stream.get()).empty());
    CHECK(*file.digest->finish() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
