#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>
#include <vector>

#include "zaudit/rtp/payload.hpp"
#include "zaudit/util/mix.hpp"

using namespace zaudit::rtp;

TEST_CASE("payload: RFC 3551 static payload types") {
    const auto pcmu = static_payload_type(0);
    REQUIRE(pcmu);
    CHECK(pcmu->encoding == "PCMU");
    CHECK(pcmu->clock_rate == 8000);
    const auto g722 = static_payload_type(9);
    REQUIRE(g722);
    CHECK(g722->encoding == "G722");
    CHECK(g722->clock_rate == 8000);  // RFC 3551 section 4.5.2: 8000 although sampled at 16 kHz
    CHECK(static_payload_type(8)->encoding == "PCMA");
    CHECK(static_payload_type(18)->encoding == "G729");
    CHECK(static_payload_type(3)->encoding == "GSM");
    CHECK(static_payload_type(13)->encoding == "CN");
    CHECK(static_payload_type(34)->kind == MediaKind::video);
    CHECK(static_payload_type(34)->clock_rate == 90000);
    CHECK_FALSE(static_payload_type(2));   // reserved (was G721)
    CHECK_FALSE(static_payload_type(19));  // reserved
    CHECK_FALSE(static_payload_type(96));  // dynamic
    CHECK_FALSE(static_payload_type(72));  // RTCP conflict range
}

TEST_CASE("payload: Shannon entropy of hand-checkable buffers") {
    CHECK(shannon_entropy(std::vector<std::uint8_t>{}) == 0.0);
    CHECK(shannon_entropy(std::vector<std::uint8_t>(160, 0xd5)) == 0.0);
    std::vector<std::uint8_t> all(256);
    std::iota(all.begin(), all.end(), std::uint8_t{0});
    CHECK(shannon_entropy(all) == Approx(8.0));
    CHECK(shannon_entropy(std::vector<std::uint8_t>{1, 2, 1, 2}) == Approx(1.0));
    CHECK(shannon_entropy(std::vector<std::uint8_t>{1, 2, 3, 4}) == Approx(2.0));
}

TEST_CASE("payload: hash tells apart payloads that differ at the start, the end, or in size") {
    std::vector<std::uint8_t> a(100, 0xd5);
    const std::uint64_t h = payload_hash(a);
    CHECK(payload_hash(a) == h);
    auto first = a;
    first[0] = 0x55;
    CHECK(payload_hash(first) != h);
    auto word = a;
    word[31] = 0x54;
    CHECK(payload_hash(word) != h);
    auto last = a;
    last[99] = 0x54;
    CHECK(payload_hash(last) != h);
    CHECK(payload_hash(std::vector<std::uint8_t>(101, 0xd5)) != h);
    CHECK(payload_hash(std::vector<std::uint8_t>{}) != payload_hash(std::vector<std::uint8_t>{0}));
}

TEST_CASE("payload: hash is FNV-1a over big-endian words of the size, head and tail, then fmix64") {
    // Spelled out byte by byte, so that a word read in the host's order, or a tail read as a
    // word, shows: the hash must not change with the machine or the way it is computed.
    const auto reference = [](const std::vector<std::uint8_t>& p) {
        const auto mix = [](std::uint64_t h, const std::uint8_t* bytes, std::size_t n) {
            std::size_t i = 0;
            for (; i + 8 <= n; i += 8) {
                std::uint64_t word = 0;
                for (std::size_t k = 0; k < 8; ++k) {
                    word = (word << 8) | bytes[i + k];
                }
                h = (h ^ word) * zaudit::util::k_fnv1a_prime;
            }
            for (; i < n; ++i) {
                h = (h ^ bytes[i]) * zaudit::util::k_fnv1a_prime;
            }
            return h;
        };
        std::uint64_t h = (zaudit::util::k_fnv1a_offset ^ p.size()) * zaudit::util::k_fnv1a_prime;
        h = mix(h, p.data(), std::min<std::size_t>(p.size(), 32));
        if (p.size() > 32) {
            const std::size_t tail = std::min<std::size_t>(p.size() - 32, 8);
            h = mix(h, p.data() + p.size() - tail, tail);
        }
        return zaudit::util::fmix64(h);
    };
    for (const std::size_t size : {0, 1, 7, 8, 13, 32, 35, 40, 41, 172}) {
        std::vector<std::uint8_t> p(size);
        std::iota(p.begin(), p.end(), std::uint8_t{0x61});
        INFO(size);
        CHECK(payload_hash(p) == reference(p));
    }
}

TEST_CASE("payload: hash ignores the middle of a large payload, as documented") {
    std::vector<std::uint8_t> a(100, 0xd5);
    auto middle = a;
    middle[50] = 0x00;
    CHECK(payload_hash(middle) == payload_hash(a));
}

TEST_CASE("payload sampler: the first k_sample_every packets, then one in k_sample_every") {
    PayloadSampler sampler;
    for (int i = 0; i < 64; ++i) {
        sampler.on_payload(std::vector<std::uint8_t>(200, static_cast<std::uint8_t>(i < 16 ? 7 : i)));
    }
    CHECK(sampler.sampled_packets() == 19);  // packets 0-15, 16, 32, 48
    CHECK(sampler.sampled_bytes() == 19 * PayloadSampler::k_bytes_per_sample);
    CHECK(sampler.first_byte_mode_share() == Approx(16.0 / 19.0));  // the sixteen 7s
}

TEST_CASE("payload sampler: entropy and its bias correction by hand") {
    PayloadSampler sampler;
    sampler.add_sample(std::vector<std::uint8_t>{0, 0, 1, 1});
    sampler.add_sample(std::vector<std::uint8_t>{0, 1, 0, 1});
    CHECK(sampler.entropy_bits() == Approx(1.0));
    // Miller-Madow: + (K - 1) / (2 n ln 2) with K = 2 values, n = 8 bytes.
    CHECK(sampler.entropy_bits_corrected() == Approx(1.0 + 1.0 / (16.0 * 0.69314718056)));
    CHECK(sampler.first_byte_mode_share() == Approx(1.0));
    CHECK(PayloadSampler{}.entropy_bits_corrected() == 0.0);
}

TEST_CASE("payload sampler: first bytes' mode share") {
    PayloadSampler toc;
    for (const std::uint8_t first : std::vector<std::uint8_t>{0xfc, 0xfc, 0xfc, 0x7c}) {
        toc.add_sample(std::vector<std::uint8_t>{first, 1, 2});
    }
    CHECK(toc.first_byte_mode_share() == Approx(0.75));
    CHECK(PayloadSampler{}.entropy_bits() == 0.0);
    CHECK(PayloadSampler{}.first_byte_mode_share() == 0.0);
}

TEST_CASE("payload sampler: empty payloads are not sampled") {
    PayloadSampler sampler;
    sampler.on_payload({});
    sampler.add_sample({});
    CHECK(sampler.sampled_packets() == 0);
}
