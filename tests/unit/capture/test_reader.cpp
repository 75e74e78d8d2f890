#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>

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

std::vector<capture::Frame> read_all(capture::Reader& reader, std::vector<std::vector<std::uint8_t>>* copies = nullptr) {
    std::vector<capture::Frame> frames;
    while (auto frame = reader.next()) {
        if (copies != nullptr) {
            copies->emplace_back(frame->data.begin(), frame->data.end());
        }
        frames.push_back(*frame);
    }
    return frames;
}

std::vector<std::uint8_t> file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
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
    // frame numbers continue across inputs, as after mergecap -a
    CHECK(reader->inputs()[1].first_frame == 10);
    CHECK(frames.back().number == 15);
    CHECK(frames.back().input_index == 1);
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
    auto bytes = file_bytes(whole);
    bytes.resize(bytes.size() - 5);  // cut into the last packet
    const auto cut = dir.write("cut.pcap", bytes);
    auto reader = capture::Reader::open({capture::Source::file(cut)});
    REQUIRE(reader.has_value());
    CHECK(read_all(*reader).size() == 2);
    CHECK(reader->inputs()[0].truncated);
    CHECK(reader->partial());
    REQUIRE(reader->inputs()[0].warnings.size() == 1);
    CHECK_THAT(reader->inputs()[0].warnings[0], Catch::Contains("truncated"));
}

TEST_CASE("a cut-off pcapng block is reported as truncated") {
    test::TempDir dir;
    const auto whole = dir.file("whole.pcapng");
    REQUIRE(three_datagrams(1).write_pcapng(whole).ok());
    auto bytes = file_bytes(whole);
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
        auto reader = capture::Reader::open({capture::Source::file(path)});
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
