#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <array>
#include <cstdio>
#include <thread>

#include "support/temp_dir.hpp"
#include "zaudit/capture/reader.hpp"
#include "zaudit/crypto/hash.hpp"
#include "zaudit/gen/capture_writer.hpp"

using namespace zaudit;

namespace {

gen::CaptureBuilder three_datagrams(int link_type) {
    gen::Framing framing;
    framing.link_type = link_type;
    gen::CaptureBuilder capture{framing};
    const util::Endpoint a{*util::IpAddress::parse("192.0.2.1"), 5060};
    const util::Endpoint b{*util::IpAddress::parse("192.0.2.2"), 5060};
    for (int i = 0; i < 3; ++i) {
        const std::string payload = "datagram " + std::to_string(i);
        capture.add_udp(util::Timestamp{1'700'000'000'000'000 + i * 20'000}, a, b, util::as_bytes(payload));
    }
    return capture;
}

std::vector<capture::Frame> read_all(capture::Reader& reader,
                                     std::vector<std::vector<std::uint8_t>>* copies = nullptr) {
    std::vector<capture::Frame> frames;
    while (auto frame = reader.next()) {
        if (copies != nullptr) {
            copies->emplace_back(frame->data.begin(), frame->data.end());
        }
        frames.push_back(*frame);
    }
    return frames;
}

}  // namespace

TEST_CASE("pcap written by our generator is read back with numbers, times and lengths") {
    test::TempDir dir;
    const auto path = dir.file("three.pcap");
    REQUIRE(three_datagrams(1).write_pcap(path).ok());
    auto reader = capture::Reader::open({capture::Source::file(path)});
    REQUIRE(reader.has_value());
    const auto frames = read_all(*reader);
    REQUIRE(frames.size() == 3);
    CHECK(frames[0].number == 1);
    CHECK(frames[2].number == 3);
    CHECK(frames[1].time.micros == 1'700'000'000'020'000);
    CHECK(frames[0].original_length == 14 + 20 + 8 + 10);
    const auto& info = reader->inputs().at(0);
    CHECK(info.format == "pcap");
    CHECK(info.link_type == "EN10MB");
    CHECK(info.packets == 3);
    CHECK(info.bytes == 3 * 52);
    CHECK_FALSE(info.truncated);
    CHECK(info.sha256 == *crypto::sha256_file(path));
}

TEST_CASE("a capture written by tcpdump is read with tshark's packet count") {
    // tests/data/make_tcpdump_captures.sh made these; capinfos -c says 9 and 6 packets.
    auto reader = capture::Reader::open({capture::Source::file(test::source_path("tests/data/tcpdump-lo.pcap")),
                                         capture::Source::file(test::source_path("tests/data/tcpdump-any-sll2.pcap"))});
    REQUIRE(reader.has_value());
    const auto frames = read_all(*reader);
    REQUIRE(frames.size() == 15);
    CHECK(reader->inputs()[0].packets == 9);
    CHECK(reader->inputs()[0].link_type == "EN10MB");
    CHECK(reader->inputs()[1].packets == 6);
    CHECK(reader->inputs()[1].link_type == "LINUX_SLL2");
    // Both were captured at the same time: merged by timestamp, as mergecap does.
    for (std::size_t i = 1; i < frames.size(); ++i) {
        CHECK(frames[i - 1].time.micros <= frames[i].time.micros);
        CHECK(frames[i].number == i + 1);
    }
    std::array<std::uint64_t, 2> own{};
    for (const auto& frame : frames) {
        CHECK(frame.input_frame == ++own.at(frame.input_index));  // each input keeps its own numbers
    }
}

TEST_CASE("several inputs are merged by timestamp, and a tie goes to the input named first") {
    test::TempDir dir;
    const util::Endpoint a{*util::IpAddress::parse("192.0.2.1"), 5060};
    const util::Endpoint b{*util::IpAddress::parse("192.0.2.2"), 5060};
    auto write = [&](const std::string& name, const std::vector<std::int64_t>& times) {
        gen::CaptureBuilder capture{gen::Framing{}};
        for (const auto t : times) {
            const std::string payload = name + std::to_string(t);
            capture.add_udp(util::Timestamp{1'700'000'000'000'000 + t}, a, b, util::as_bytes(payload));
        }
        const auto path = dir.file(name + ".pcap");
        REQUIRE(capture.write_pcap(path).ok());
        return path;
    };
    const auto first = write("first", {10, 30, 30, 50});
    const auto second = write("second", {20, 30, 40});
    auto reader = capture::Reader::open({capture::Source::file(first), capture::Source::file(second)});
    REQUIRE(reader.has_value());
    const auto frames = read_all(*reader);
    REQUIRE(frames.size() == 7);
    // (input, own frame) in merged order: 10 20 30 30 | 30 40 50 with the first input's 30s first.
    const std::vector<std::pair<std::size_t, std::uint64_t>> expected{{0, 1}, {1, 1}, {0, 2}, {0, 3},
                                                                      {1, 2}, {1, 3}, {0, 4}};
    for (std::size_t i = 0; i < frames.size(); ++i) {
        CHECK(frames[i].number == i + 1);
        CHECK(std::pair{frames[i].input_index, frames[i].input_frame} == expected[i]);
    }
    CHECK(reader->inputs()[1].first_frame == 2);

    const auto located =
        capture::locate_merged_frames({capture::Source::file(first), capture::Source::file(second)}, {7, 2, 5});
    REQUIRE(located.has_value());
    REQUIRE(located->size() == 3);
    CHECK((*located)[0].first == 2);
    CHECK((*located)[0].second.input_index == 1);
    CHECK((*located)[0].second.frame == 1);
    CHECK((*located)[1].first == 5);
    CHECK((*located)[1].second.frame == 2);
    CHECK((*located)[2].first == 7);
    CHECK((*located)[2].second.input_index == 0);
    CHECK((*located)[2].second.frame == 4);
}

TEST_CASE("a BPF filter skips records without renumbering the ones after them") {
    test::TempDir dir;
    gen::CaptureBuilder capture{gen::Framing{}};
    const util::Endpoint a{*util::IpAddress::parse("192.0.2.1"), 5060};
    const util::Endpoint b{*util::IpAddress::parse("192.0.2.2"), 5060};
    const util::Endpoint c{*util::IpAddress::parse("192.0.2.3"), 5060};
    for (int i = 0; i < 6; ++i) {
        capture.add_udp(util::Timestamp{1'700'000'000'000'000 + i}, i % 3 == 2 ? c : a, b, util::as_bytes("x"));
    }
    const auto path = dir.file("filtered.pcap");
    REQUIRE(capture.write_pcap(path).ok());
    auto source = capture::Source::file(path);
    source.bpf_filter = "src host 192.0.2.3";
    auto reader = capture::Reader::open({source});
    REQUIRE(reader.has_value());
    const auto frames = read_all(*reader);
    REQUIRE(frames.size() == 2);
    CHECK(frames[0].number == 3);  // the file's numbers, as Wireshark shows them
    CHECK(frames[1].number == 6);
    CHECK(reader->inputs()[0].packets == 6);
    CHECK(reader->inputs()[0].filtered_out == 4);
}

TEST_CASE("pcapng with several interfaces is read in order") {
    test::TempDir dir;
    auto capture = three_datagrams(1);
    capture.frames()[1].interface = 1;  // the second frame arrives on another interface
    const auto path = dir.file("multi.pcapng");
    REQUIRE(capture.write_pcapng(path).ok());
    auto reader = capture::Reader::open({capture::Source::file(path)});
    REQUIRE(reader.has_value());
    std::vector<std::vector<std::uint8_t>> copies;
    const auto frames = read_all(*reader, &copies);
    REQUIRE(frames.size() == 3);
    CHECK(reader->inputs()[0].format == "pcapng");
    CHECK(frames[1].time.micros == 1'700'000'000'020'000);
    CHECK(copies[1] == capture.frames()[1].bytes);
}

TEST_CASE("a truncated last record keeps what was read and says so") {
    test::TempDir dir;
    const auto whole = dir.file("whole.pcap");
    REQUIRE(three_datagrams(1).write_pcap(whole).ok());
    auto bytes = test::file_bytes(whole);
    bytes.resize(bytes.size() - 5);  // cut into the last packet
    const auto cut = dir.write("cut.pcap", bytes);
    auto reader = capture::Reader::open({capture::Source::file(cut)});
    REQUIRE(reader.has_value());
    CHECK(read_all(*reader).size() == 2);
    CHECK(reader->inputs()[0].truncated);
    CHECK(reader->partial());
    REQUIRE(reader->inputs()[0].warnings.size() == 1);
    CHECK_THAT(reader->inputs()[0].warnings[0], Catch::Contains("truncated"));
    CHECK(reader->inputs()[0].sha256 == *crypto::sha256_file(cut));  // the cut-off bytes too
}

namespace {

/// 3,000 datagrams of 1,000 bytes: about 3 MB, several times the reader's stdio buffer and the
/// hasher's blocks.
gen::CaptureBuilder many_datagrams() {
    gen::CaptureBuilder capture;
    const util::Endpoint a{*util::IpAddress::parse("192.0.2.1"), 4000};
    const util::Endpoint b{*util::IpAddress::parse("192.0.2.2"), 4000};
    for (int i = 0; i < 3000; ++i) {
        const std::vector<std::uint8_t> payload(1000, static_cast<std::uint8_t>(i));
        capture.add_udp(util::Timestamp{1'700'000'000'000'000 + i * 20'000}, a, b, payload);
    }
    return capture;
}

}  // namespace

TEST_CASE("an input's SHA-256 is of the whole file, however much of it libpcap read") {
    test::TempDir dir;
    const gen::CaptureBuilder capture = many_datagrams();
    const auto whole = dir.file("many.pcap");
    REQUIRE(capture.write_pcap(whole).ok());
    const std::string expected = *crypto::sha256_file(whole);

    SECTION("read to its end") {
        auto reader = capture::Reader::open({capture::Source::file(whole)});
        REQUIRE(reader.has_value());
        CHECK(read_all(*reader).size() == 3000);
        CHECK(reader->inputs()[0].sha256 == expected);
    }
    SECTION("a hostile record length stops libpcap early; the megabytes after it count") {
        auto bytes = test::file_bytes(whole);
        // pcap: a 24-byte file header, then per record 16 bytes (times, captured length,
        // original length) and its bytes. The 11th record claims 4 GB.
        std::size_t offset = 24;
        for (std::size_t i = 0; i < 10; ++i) {
            offset += 16 + capture.frames()[i].bytes.size();
        }
        for (std::size_t i = 8; i < 12; ++i) {
            bytes[offset + i] = 0xff;
        }
        const auto corrupt = dir.write("corrupt.pcap", bytes);
        auto reader = capture::Reader::open({capture::Source::file(corrupt)});
        REQUIRE(reader.has_value());
        CHECK(read_all(*reader).size() == 10);
        CHECK(reader->inputs()[0].truncated);
        CHECK(reader->inputs()[0].sha256 == *crypto::sha256_file(corrupt));
        CHECK(reader->inputs()[0].sha256 != expected);
    }
    SECTION("hashed by the frames' reads (--jobs 1): the same digest") {
        auto reader = capture::Reader::open({capture::Source::file(whole)}, {.hash_on_thread = false});
        REQUIRE(reader.has_value());
        CHECK(read_all(*reader).size() == 3000);
        CHECK(reader->inputs()[0].sha256 == expected);
        CHECK(reader->inputs()[0].warnings.empty());
    }
    SECTION("asked for before the frames are read: hashed to the end, and the frames still come") {
        auto reader = capture::Reader::open({capture::Source::file(whole)});
        REQUIRE(reader.has_value());
        REQUIRE(reader->next().has_value());
        CHECK(reader->inputs()[0].sha256 == expected);
        CHECK(read_all(*reader).size() == 2999);
        CHECK(reader->inputs()[0].sha256 == expected);
        CHECK(reader->inputs()[0].warnings.empty());
    }
    SECTION("each of two merged inputs has its own") {
        const auto other = dir.file("three.pcapng");
        REQUIRE(three_datagrams(1).write_pcapng(other).ok());
        auto reader = capture::Reader::open({capture::Source::file(whole), capture::Source::file(other)});
        REQUIRE(reader.has_value());
        CHECK(read_all(*reader).size() == 3003);
        CHECK(reader->inputs()[0].sha256 == expected);
        CHECK(reader->inputs()[1].sha256 == *crypto::sha256_file(other));
    }
}

TEST_CASE("a cut-off pcapng block is reported as truncated") {
    test::TempDir dir;
    const auto whole = dir.file("whole.pcapng");
    REQUIRE(three_datagrams(1).write_pcapng(whole).ok());
    auto bytes = test::file_bytes(whole);
    bytes.resize(bytes.size() - 7);
    auto reader = capture::Reader::open({capture::Source::file(dir.write("cut.pcapng", bytes))});
    REQUIRE(reader.has_value());
    CHECK(read_all(*reader).size() == 2);
    CHECK(reader->inputs()[0].truncated);
}

TEST_CASE("unreadable inputs fail with one line naming the file") {
    test::TempDir dir;
    SECTION("missing") {
        auto reader = capture::Reader::open({capture::Source::file("/nonexistent/x.pcap")});
        REQUIRE_FALSE(reader.has_value());
        CHECK(reader.error().message == "/nonexistent/x.pcap: No such file or directory");
    }
    SECTION("garbage") {
        const std::string text = "root:x:0:0:root:/root:/bin/bash\n";
        const auto path = dir.write("passwd", util::as_bytes(text));
        // Hashed beside the reads, or by them (--jobs 1): the same message.
        const bool hash_on_thread = GENERATE(true, false);
        auto reader = capture::Reader::open({capture::Source::file(path)}, {.hash_on_thread = hash_on_thread});
        REQUIRE_FALSE(reader.has_value());
        CHECK_THAT(reader.error().message, Catch::StartsWith(path + ": not a pcap or pcapng capture"));
        CHECK(reader.error().message.find('\n') == std::string::npos);
    }
    SECTION("empty") {
        const auto path = dir.write("empty.pcap", {});
        auto reader = capture::Reader::open({capture::Source::file(path)});
        REQUIRE_FALSE(reader.has_value());
        CHECK(reader.error().message == path + ": empty file, not a capture");
    }
    SECTION("directory") {
        auto reader = capture::Reader::open({capture::Source::file(dir.file(""))});
        REQUIRE_FALSE(reader.has_value());
        CHECK_THAT(reader.error().message, Catch::EndsWith("is a directory, not a capture"));
    }
    SECTION("one bad input among good ones fails before anything is read") {
        const auto good = dir.file("good.pcap");
        REQUIRE(three_datagrams(1).write_pcap(good).ok());
        auto reader = capture::Reader::open({capture::Source::file(good), capture::Source::file("/nonexistent")});
        CHECK_FALSE(reader.has_value());
    }
}

TEST_CASE("an unsupported link type is refused by name") {
    test::TempDir dir;
    gen::Framing framing;
    framing.link_type = 105;  // IEEE 802.11
    gen::CaptureBuilder capture{framing};
    capture.add_frame({util::Timestamp{1}, {1, 2, 3}, 105, 0});
    const auto path = dir.file("wifi.pcap");
    REQUIRE(capture.write_pcap(path).ok());
    auto reader = capture::Reader::open({capture::Source::file(path)});
    REQUIRE_FALSE(reader.has_value());
    CHECK_THAT(reader.error().message, Catch::Contains("link type 105 (IEEE802_11) is not supported"));
}

TEST_CASE("packets the capture's snap length cut are counted once, in a warning that says what was lost") {
    test::TempDir dir;
    const auto whole = dir.file("whole.pcap");
    REQUIRE(three_datagrams(1).write_pcap(whole).ok());
    const auto bytes = test::file_bytes(whole);
    // Rewrite the records as tcpdump -s 44 would have: the first two keep 44 of their 52 bytes
    // (caplen 44, len 52); the third, shorter than nothing, stays whole.
    std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + 24);
    std::size_t at = 24;
    for (int record = 0; record < 3; ++record) {
        std::array<std::uint8_t, 16> header{};
        std::copy_n(bytes.begin() + static_cast<std::ptrdiff_t>(at), 16, header.begin());
        const std::uint32_t caplen = header[8] | (header[9] << 8U) | (header[10] << 16U) | (header[11] << 24U);
        const std::uint32_t kept = record < 2 ? 44 : caplen;
        header[8] = static_cast<std::uint8_t>(kept);
        header[9] = header[10] = header[11] = 0;
        cut.insert(cut.end(), header.begin(), header.end());
        const auto data = bytes.begin() + static_cast<std::ptrdiff_t>(at + 16);
        cut.insert(cut.end(), data, data + kept);
        at += 16 + caplen;
    }
    REQUIRE(at == bytes.size());
    const auto path = dir.write("snapped.pcap", cut);
    auto reader = capture::Reader::open({capture::Source::file(path)});
    REQUIRE(reader.has_value());
    const auto frames = read_all(*reader);
    REQUIRE(frames.size() == 3);
    CHECK(frames[0].data.size() == 44);
    CHECK(frames[0].original_length == 52);
    const auto& info = reader->inputs().at(0);
    CHECK_FALSE(info.truncated);  // every record was read whole, as the capture wrote it
    REQUIRE(info.warnings.size() == 1);
    CHECK_THAT(info.warnings[0], Catch::StartsWith("2 packets were cut short by the capture (at most 44 bytes"));
    CHECK_THAT(info.warnings[0], Catch::Contains("tcpdump -s 0"));
}

TEST_CASE("a pipe named as an input (bash's <(...), a FIFO) is read once, hashed and audited") {
    // It can be read only once: hashing it apart from libpcap's reads, as files once were, would
    // have split its bytes between the two. It is copied aside as stdin is.
    test::TempDir dir;
    const auto whole = dir.file("three.pcapng");
    REQUIRE(three_datagrams(1).write_pcapng(whole).ok());
    const auto bytes = test::file_bytes(whole);
    const auto fifo = dir.file("fifo");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::thread writer{[&] {
        std::FILE* out = std::fopen(fifo.c_str(), "wb");
        if (out != nullptr) {
            (void)std::fwrite(bytes.data(), 1, bytes.size(), out);
            (void)std::fclose(out);
        }
    }};
    auto reader = capture::Reader::open({capture::Source::file(fifo)});
    writer.join();
    REQUIRE(reader.has_value());
    CHECK(read_all(*reader).size() == 3);
    CHECK(reader->inputs()[0].format == "pcapng");
    CHECK(reader->inputs()[0].sha256 == *crypto::sha256_file(whole));
    CHECK(reader->inputs()[0].warnings.empty());
}

TEST_CASE("what cannot be read a second time is known before anything reads it again") {
    // Audio export and the mapping of merged frames read the inputs again; a second open of a
    // FIFO would wait for a writer that is gone.
    test::TempDir dir;
    const auto file = dir.file("three.pcap");
    REQUIRE(three_datagrams(1).write_pcap(file).ok());
    const auto fifo = dir.file("fifo");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    CHECK(capture::readable_again(capture::Source::file(file)));
    CHECK_FALSE(capture::readable_again(capture::Source::file("-")));
    CHECK_FALSE(capture::readable_again(capture::Source::file(fifo)));
    CHECK(capture::readable_again(capture::Source::file(dir.file("gone.pcap"))));  // its read says why
    capture::Source live;
    live.interface = "lo";
    CHECK_FALSE(capture::readable_again(live));

    const auto located =
        capture::locate_merged_frames({capture::Source::file(file), capture::Source::file(fifo)}, {1, 2});
    REQUIRE_FALSE(located.has_value());
    CHECK(located.error().message == fifo + " cannot be read a second time");
}
