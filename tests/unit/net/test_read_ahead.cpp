#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>

#include "support/temp_dir.hpp"
#include "zaudit/crypto/hash.hpp"
#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/net/read_ahead.hpp"

using namespace zaudit;

namespace {

/// `count` datagrams whose payloads say their index and grow and shrink in length (1 to 1,400
/// bytes, or to 4,000 with `fragmented`: IP fragments then, over an MTU of 1,500), so that
/// batches end on the frame count and on the byte count alike.
std::string write_datagrams(test::TempDir& dir, const std::string& name, int count, std::int64_t first_micros,
                            std::int64_t step_micros, bool fragmented = false) {
    gen::CaptureBuilder capture{gen::Framing{}};
    const util::Endpoint a{*util::IpAddress::parse("192.0.2.1"), 40000};
    const util::Endpoint b{*util::IpAddress::parse("192.0.2.2"), 50000};
    for (int i = 0; i < count; ++i) {
        std::string payload = name + " " + std::to_string(i) + " ";
        payload.resize(1 + static_cast<std::size_t>((i * 7919) % (fragmented ? 4000 : 1400)), '.');
        capture.add_udp(util::Timestamp{first_micros + i * step_micros}, a, b, util::as_bytes(payload));
    }
    const auto path = dir.file(name + ".pcap");
    REQUIRE(capture.write_pcap(path).ok());
    return path;
}

struct Copy {
    std::uint64_t number;
    std::uint64_t input_frame;
    std::size_t input_index;
    std::int64_t micros;
    std::uint32_t original_length;
    int link_type;
    std::vector<std::uint8_t> bytes;
    // What the decoder made of it.
    net::DecodeStatus status;
    std::string src;
    std::string dst;
    bool reassembled;
    std::vector<std::uint8_t> payload;
    bool operator==(const Copy&) const = default;
};

Copy copy_of(const capture::Frame& frame, net::DecodeStatus status, const net::Packet& packet) {
    const bool ok = status == net::DecodeStatus::ok;
    return {frame.number,
            frame.input_frame,
            frame.input_index,
            frame.time.micros,
            frame.original_length,
            frame.link_type,
            {frame.data.begin(), frame.data.end()},
            status,
            ok ? packet.src.to_string() : "",
            ok ? packet.dst.to_string() : "",
            ok && packet.reassembled,
            ok ? std::vector<std::uint8_t>{packet.payload.begin(), packet.payload.end()} : std::vector<std::uint8_t>{}};
}

/// The reader's next `limit` frames (or all it has left), decoded by `decoder` on this thread.
std::vector<Copy> copy_up_to(capture::Reader& reader, net::Decoder& decoder, std::size_t limit) {
    net::Packet packet;
    std::vector<Copy> copies;
    while (copies.size() < limit) {
        auto frame = reader.next();
        if (!frame) {
            break;
        }
        const auto status = decoder.decode(*frame, packet);
        copies.push_back(copy_of(*frame, status, packet));
    }
    return copies;
}

/// Each frame as the reader gives it, decoded by a decoder of its own on this thread.
std::vector<Copy> copy_all(capture::Reader& reader) {
    net::Decoder decoder;
    return copy_up_to(reader, decoder, SIZE_MAX);
}

/// Two inputs merged by time: `first` datagrams, then `second` interleaved with them, the
/// second's larger datagrams in IP fragments.
std::vector<capture::Source> two_inputs(test::TempDir& dir, int first, int second) {
    return {capture::Source::file(write_datagrams(dir, "first", first, 1'700'000'000'000'000, 20)),
            capture::Source::file(write_datagrams(dir, "second", second, 1'700'000'000'000'010, 23, true))};
}

std::vector<Copy> copy_all(net::ReadAhead& read_ahead) {
    std::vector<Copy> copies;
    while (const net::DecodedFrame* decoded = read_ahead.next()) {
        copies.push_back(copy_of(decoded->frame, decoded->status, decoded->packet));
    }
    return copies;
}

}  // namespace

TEST_CASE("read ahead hands out the reader's frames, numbers, bytes and packets in the reader's order") {
    test::TempDir dir;
    // 3 x 4096 batches' worth and several MiB of bytes across two merged inputs.
    const auto sources = two_inputs(dir, 7000, 6000);

    auto direct = capture::Reader::open(sources, capture::ReaderOptions{.hash = false});
    REQUIRE(direct.has_value());
    const auto expected = copy_all(*direct);
    // Every datagram once, from its frame or from its last fragment.
    REQUIRE(std::count_if(expected.begin(), expected.end(),
                          [](const Copy& c) { return c.status == net::DecodeStatus::ok; }) == 13'000);

    const auto reassembled =
        std::count_if(expected.begin(), expected.end(), [](const Copy& c) { return c.reassembled; });
    CHECK(reassembled > 3000);

    auto reader = capture::Reader::open(sources, capture::ReaderOptions{.hash = false});
    REQUIRE(reader.has_value());
    net::Decoder decoder;
    net::ReadAhead read_ahead{std::move(*reader), decoder};
    const auto got = copy_all(read_ahead);
    CHECK(got.size() == expected.size());
    CHECK(got == expected);
    CHECK(read_ahead.next() == nullptr);  // stays at the end
    const auto& inputs = read_ahead.reader().inputs();
    REQUIRE(inputs.size() == 2);
    CHECK(inputs[0].packets == 7000);
    CHECK(inputs[1].packets > 6000);  // the fragments
    CHECK(decoder.stats().by_status[static_cast<std::size_t>(net::DecodeStatus::ok)] == 13'000);
    CHECK(decoder.defrag_stats().reassembled == static_cast<std::uint64_t>(reassembled));
    CHECK_FALSE(read_ahead.reader().partial());
    const auto [done, total] = read_ahead.progress();
    CHECK(total == test::file_bytes(sources[0].path).size() + test::file_bytes(sources[1].path).size());
    CHECK(done == total);
}

TEST_CASE("read ahead of a truncated capture hands out what was read and the reader says partial") {
    test::TempDir dir;
    auto bytes = test::file_bytes(write_datagrams(dir, "whole", 5000, 1'700'000'000'000'000, 20));
    bytes.resize(bytes.size() - 5);  // cut into the last record
    auto reader = capture::Reader::open({capture::Source::file(dir.write("cut.pcap", bytes))});
    REQUIRE(reader.has_value());
    net::Decoder decoder;
    net::ReadAhead read_ahead{std::move(*reader), decoder};
    CHECK(copy_all(read_ahead).size() == 4999);
    CHECK(read_ahead.reader().partial());
    CHECK(read_ahead.reader().inputs()[0].truncated);
}

TEST_CASE("read ahead left early stops its thread instead of waiting for the end") {
    test::TempDir dir;
    const auto path = write_datagrams(dir, "long", 30'000, 1'700'000'000'000'000, 20);
    for (int taken : {0, 1, 5000}) {
        auto reader = capture::Reader::open({capture::Source::file(path)}, capture::ReaderOptions{.hash = false});
        REQUIRE(reader.has_value());
        net::Decoder decoder;
        net::ReadAhead read_ahead{std::move(*reader), decoder};
        for (int i = 0; i < taken; ++i) {
            REQUIRE(read_ahead.next() != nullptr);
        }
        // The destructor (or reader()) must join a thread blocked on full batches.
        if (taken == 5000) {
            CHECK(read_ahead.reader().inputs()[0].packets < 30'000);
        }
    }
}

TEST_CASE("read ahead started midway goes on from the reader's next frame, fragments in flight and all") {
    // An audit on one thread starts reading ahead when a core becomes spare (cli/audit.cpp): the
    // frames it audited itself and those handed over after must be the reader's, each once.
    test::TempDir dir;
    const auto sources = two_inputs(dir, 3000, 3000);
    auto direct = capture::Reader::open(sources, capture::ReaderOptions{.hash = false});
    REQUIRE(direct.has_value());
    const auto expected = copy_all(*direct);

    for (const std::size_t midway : {std::size_t{1}, std::size_t{4096}, std::size_t{5001}}) {
        auto reader = capture::Reader::open(sources, capture::ReaderOptions{.hash_on_thread = false});
        REQUIRE(reader.has_value());
        net::Decoder decoder;
        auto got = copy_up_to(*reader, decoder, midway);
        REQUIRE(got.size() == midway);
        reader->hash_on_thread();
        net::ReadAhead read_ahead{std::move(*reader), decoder};
        const auto rest = copy_all(read_ahead);
        got.insert(got.end(), rest.begin(), rest.end());
        INFO("read ahead from frame " << midway + 1);
        CHECK(got == expected);
        const auto& inputs = read_ahead.reader().inputs();
        CHECK(inputs[0].sha256 == *crypto::sha256_file(sources[0].path));
        CHECK(inputs[1].sha256 == *crypto::sha256_file(sources[1].path));
    }
}
