// Hostile and broken captures through the real command line: each must end with a report (or,
// when nothing could be read, exit 2 with one line), say what went wrong, and mark the results
// partial when reading stopped early. No case asserts wall time; each is sized to finish in well
// under a second or two, so a hang or a quadratic blow-up shows as a test that does not end.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"
#include "zaudit/cli/cli.hpp"
#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/gen/frame_builder.hpp"
#include "zaudit/gen/sip_builder.hpp"
#include "zaudit/gen/zrtp_wire.hpp"
#include "zaudit/capture/reader.hpp"
#include "zaudit/sdp/session.hpp"
#include "zaudit/session/tracker.hpp"
#include "zaudit/sip/message.hpp"

using namespace zaudit;
using nlohmann::json;

namespace {

const util::Endpoint k_alice{*util::IpAddress::parse("192.0.2.10"), 5060};
const util::Endpoint k_bob{*util::IpAddress::parse("198.51.100.20"), 5060};
constexpr util::Timestamp k_start{1'800'000'000'000'000};

using Bytes = std::vector<std::uint8_t>;

Bytes read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return Bytes{std::istreambuf_iterator<char>(in), {}};
}

/// What an audit of one input produced: exit code, stderr, and the JSON report (null when the
/// output was not JSON).
struct Audit {
    int exit_code = 0;
    std::string err;
    json doc;

    [[nodiscard]] bool partial() const { return doc.value("partial", false); }
    [[nodiscard]] std::uint64_t anomaly(const std::string& code) const {
        return doc["decode"]["anomalies"].value(code, std::uint64_t{0});
    }
    [[nodiscard]] std::uint64_t frames(const std::string& status) const {
        return doc["decode"]["frames"].value(status, std::uint64_t{0});
    }
};

Audit audit(const std::string& path) {
    const auto r = test::run_cli({"--format", "json", "--fail-on", "none", path});
    return Audit{r.exit_code, r.err, json::parse(r.out, nullptr, false)};
}

Audit audit_bytes(const test::TempDir& dir, const std::string& name, const Bytes& bytes) {
    return audit(dir.write(name, bytes));
}

Audit audit_capture(const test::TempDir& dir, const std::string& name, const gen::CaptureBuilder& capture) {
    const auto path = dir.file(name);
    REQUIRE(capture.write_pcap(path).ok());
    return audit(path);
}

/// The model the audit builds from a capture, to count what it kept.
session::Model model_of(const std::string& path) {
    auto reader = capture::Reader::open({capture::Source::file(path)}, capture::ReaderOptions{.hash = false});
    REQUIRE(static_cast<bool>(reader));
    session::Tracker tracker;
    while (auto frame = reader->next()) {
        tracker.on_frame(*frame);
    }
    const bool partial = reader->partial();
    return std::move(tracker).finish(reader->inputs(), partial);
}

/// A read that went through: exit 0 under --fail-on none, a JSON report, nothing cut short.
void check_read_whole(const Audit& a) {
    CHECK(a.exit_code == cli::k_exit_clean);
    REQUIRE(a.doc.is_object());
    CHECK_FALSE(a.partial());
}

/// A read that stopped early but read something: a report marked partial, and stderr says why.
void check_partial(const Audit& a) {
    CHECK(a.exit_code == cli::k_exit_clean);
    REQUIRE(a.doc.is_object());
    CHECK(a.partial());
    CHECK(a.doc["inputs"][0]["truncated"] == true);
    CHECK_THAT(a.err, Catch::Contains("results are partial"));
}

/// A file that gave nothing: exit 2, with one line on stderr.
void check_unreadable(const Audit& a, const std::string& reason) {
    CHECK(a.exit_code == cli::k_exit_usage);
    CHECK_THAT(a.err, Catch::Contains(reason));
}

std::uint32_t le32(const Bytes& b, std::size_t at) {
    return std::uint32_t{b[at]} | (std::uint32_t{b[at + 1]} << 8) | (std::uint32_t{b[at + 2]} << 16) |
           (std::uint32_t{b[at + 3]} << 24);
}
void put_le32(Bytes& b, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) {
        b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v >> (8 * i));
    }
}
void put_be16(Bytes& b, std::size_t at, std::uint16_t v) {
    b[at] = static_cast<std::uint8_t>(v >> 8);
    b[at + 1] = static_cast<std::uint8_t>(v);
}

/// A small call: INVITE and 200 with SDP, then a few RTP packets each way.
gen::CaptureBuilder small_call() {
    gen::CaptureBuilder capture;
    const std::string sdp =
        "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n";
    const auto message = [&](gen::SipWriter writer) {
        return writer.header("Via", "SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1")
            .header("From", "<sip:alice@192.0.2.10>;tag=a")
            .header("To", "<sip:bob@198.51.100.20>")
            .header("Call-ID", "malformed-call")
            .header("CSeq", "1 INVITE")
            .body("application/sdp", sdp)
            .text();
    };
    util::Timestamp time = k_start;
    capture.add_udp(time, k_alice, k_bob, util::as_bytes(message(gen::SipWriter::request("INVITE", "sip:bob@b"))));
    time.micros += 1000;
    capture.add_udp(time, k_bob, k_alice, util::as_bytes(message(gen::SipWriter::response(200, "OK"))));
    for (std::uint16_t i = 0; i < 6; ++i) {
        time.micros += 20'000;
        gen::ByteWriter rtp;
        rtp.u8(0x80).u8(0).u16(i).u32(160U * i).u32(0x1234).zeros(160);
        capture.add_udp(time, {k_alice.address, 40000}, {k_bob.address, 40002}, rtp.out());
    }
    return capture;
}

/// Where each record of a classic pcap file starts (after the 24-byte file header).
std::vector<std::size_t> pcap_record_offsets(const Bytes& file) {
    std::vector<std::size_t> offsets;
    for (std::size_t at = 24; at + 16 <= file.size(); at += 16 + le32(file, at + 8)) {
        offsets.push_back(at);
    }
    return offsets;
}

/// An Ethernet/IPv4 frame around a transport segment, with correct lengths and checksum.
Bytes ipv4_frame(std::uint8_t protocol, const Bytes& transport, std::uint16_t id = 1, std::uint16_t fragment = 0) {
    gen::ByteWriter ip;
    ip.u8(0x45).u8(0).u16(static_cast<std::uint16_t>(20 + transport.size())).u16(id).u16(fragment);
    ip.u8(64)
        .u8(protocol)
        .u16(0)
        .bytes(util::Bytes{k_alice.address.bytes()}.last(4))
        .bytes(util::Bytes{k_bob.address.bytes()}.last(4));
    Bytes header = ip.take();
    put_be16(header, 10, gen::internet_checksum(header));
    gen::ByteWriter frame;
    frame.bytes(Bytes{2, 0, 0, 0, 0, 2}).bytes(Bytes{2, 0, 0, 0, 0, 1}).u16(0x0800);
    frame.bytes(header).bytes(transport);
    return frame.take();
}

constexpr std::size_t k_ip = 14;       // the IPv4 header's offset in an Ethernet frame
constexpr std::size_t k_l4 = 14 + 20;  // the transport header's

gen::CaptureBuilder frames_capture(const std::vector<Bytes>& frames) {
    gen::CaptureBuilder capture;
    util::Timestamp time = k_start;
    for (const auto& bytes : frames) {
        capture.add_frame({time, bytes, 1, 0});
        time.micros += 1000;
    }
    return capture;
}

std::string sip_request(const std::string& extra_headers, const std::string& body, const std::string& content_length) {
    return "INVITE sip:bob@198.51.100.20 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1\r\n"
           "From: <sip:alice@192.0.2.10>;tag=a\r\nTo: <sip:bob@198.51.100.20>\r\nCall-ID: hostile\r\n"
           "CSeq: 1 INVITE\r\nContent-Type: application/sdp\r\n" +
           extra_headers + "Content-Length: " + content_length + "\r\n\r\n" + body;
}

/// A TCP connection from alice to bob carrying `stream`, cut into segments of `segment` bytes.
gen::CaptureBuilder tcp_stream(const std::string& stream, std::size_t segment = 1400) {
    gen::CaptureBuilder capture;
    util::Timestamp time = k_start;
    const util::Endpoint from{k_alice.address, 40123};
    capture.add_tcp(time, from, k_bob, 1000, 0, 0x02, {});
    std::uint32_t seq = 1001;
    for (std::size_t at = 0; at < stream.size(); at += segment) {
        const std::string_view part = std::string_view{stream}.substr(at, segment);
        time.micros += 10;
        capture.add_tcp(time, from, k_bob, seq, 1, 0x18, util::as_bytes(part));
        seq += static_cast<std::uint32_t>(part.size());
    }
    return capture;
}

std::string sdp_with(std::size_t media_lines, std::size_t crypto_lines) {
    std::string sdp = "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n";
    for (std::size_t i = 0; i < media_lines; ++i) {
        sdp += "m=audio " + std::to_string(10000 + i % 50000) + " RTP/SAVP 0\r\n";
    }
    if (media_lines == 0) {
        sdp += "m=audio 40000 RTP/SAVP 0\r\n";
    }
    for (std::size_t i = 0; i < crypto_lines; ++i) {
        sdp += "a=crypto:" + std::to_string(i + 1) +
               " AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n";
    }
    return sdp;
}

}  // namespace

TEST_CASE("a capture cut at every record boundary is read whole up to the cut") {
    test::TempDir dir;
    const auto path = dir.file("whole.pcap");
    REQUIRE(small_call().write_pcap(path).ok());
    const Bytes whole = read_file(path);
    const auto offsets = pcap_record_offsets(whole);
    REQUIRE(offsets.size() == 8);
    // Cut just before record k: k records remain, and the file ends cleanly.
    for (std::size_t k = 1; k < offsets.size(); ++k) {
        CAPTURE(k);
        const Audit a =
            audit_bytes(dir, "cut.pcap", Bytes(whole.begin(), whole.begin() + static_cast<long>(offsets[k])));
        check_read_whole(a);
        CHECK(a.doc["inputs"][0]["packets"] == k);
    }
    // No record at all: nothing could be read.
    check_unreadable(audit_bytes(dir, "header.pcap", Bytes(whole.begin(), whole.begin() + 24)), "no complete packet");
}

TEST_CASE("a capture cut inside every record header and record body is partial") {
    test::TempDir dir;
    const auto path = dir.file("whole.pcap");
    REQUIRE(small_call().write_pcap(path).ok());
    const Bytes whole = read_file(path);
    const auto offsets = pcap_record_offsets(whole);
    for (std::size_t k = 1; k < offsets.size(); ++k) {
        for (const std::size_t into : {std::size_t{7}, std::size_t{16 + 30}}) {  // in the header, in the data
            CAPTURE(k, into);
            const Bytes cut(whole.begin(), whole.begin() + static_cast<long>(offsets[k] + into));
            const Audit a = audit_bytes(dir, "cut.pcap", cut);
            check_partial(a);
            CHECK(a.doc["inputs"][0]["packets"] == k);
        }
    }
    // Cut inside the first record: nothing complete, so nothing could be read.
    const Audit first = audit_bytes(dir, "first.pcap", Bytes(whole.begin(), whole.begin() + 24 + 16 + 10));
    check_unreadable(first, "no complete packet");
}

TEST_CASE("bad magic is not a capture and exits 2") {
    test::TempDir dir;
    Bytes file(200, 0x41);
    check_unreadable(audit_bytes(dir, "magic.pcap", file), "not a pcap or pcapng capture");
    const auto path = dir.file("whole.pcap");
    REQUIRE(small_call().write_pcap(path).ok());
    Bytes swapped = read_file(path);
    swapped[0] ^= 0xff;  // one byte off the pcap magic
    check_unreadable(audit_bytes(dir, "one-off.pcap", swapped), "not a pcap or pcapng capture");
}

TEST_CASE("caplen over the snaplen and over 256 KB") {
    test::TempDir dir;
    const auto path = dir.file("whole.pcap");
    REQUIRE(small_call().write_pcap(path).ok());
    const Bytes whole = read_file(path);
    const auto offsets = pcap_record_offsets(whole);
    SECTION("snaplen smaller than the records") {
        Bytes file = whole;
        put_le32(file, 16, 64);  // the file header's snaplen; records are longer
        const Audit a = audit_bytes(dir, "snaplen.pcap", file);
        CHECK((a.exit_code == cli::k_exit_clean || a.exit_code == cli::k_exit_findings));
        REQUIRE(a.doc.is_object());
    }
    SECTION("third record's caplen over 256 KB") {
        Bytes file = whole;
        put_le32(file, offsets[2] + 8, 300 * 1024);
        put_le32(file, offsets[2] + 12, 300 * 1024);
        const Audit a = audit_bytes(dir, "huge.pcap", file);
        check_partial(a);
        CHECK(a.doc["inputs"][0]["packets"] == 2);
        CHECK_FALSE(a.doc["inputs"][0]["warnings"].empty());
    }
    SECTION("first record's caplen over 256 KB: nothing read") {
        Bytes file = whole;
        put_le32(file, offsets[0] + 8, 0xfffffff0);
        check_unreadable(audit_bytes(dir, "first-huge.pcap", file), "no complete packet");
    }
}

TEST_CASE("pcapng blocks with bogus lengths") {
    test::TempDir dir;
    const auto path = dir.file("whole.pcapng");
    REQUIRE(small_call().write_pcapng(path).ok());
    const Bytes whole = read_file(path);
    constexpr std::size_t k_first_epb = 28 + 20;  // after the section header and interface blocks
    const std::size_t second_epb = k_first_epb + le32(whole, k_first_epb + 4);
    REQUIRE(le32(whole, second_epb) == 6);
    const std::uint32_t length = le32(whole, second_epb + 4);
    const auto with_second_length = [&](std::uint32_t leading, std::uint32_t trailing) {
        Bytes file = whole;
        put_le32(file, second_epb + 4, leading);
        put_le32(file, second_epb + length - 4, trailing);
        return file;
    };
    const std::vector<std::pair<std::string, Bytes>> cases{
        {"too small", with_second_length(8, 8)},
        {"not a multiple of 4", with_second_length(length + 1, length + 1)},
        {"larger than the file", with_second_length(0x00fffff0, length)},
        {"trailing length mismatch", with_second_length(length, length + 4)},
    };
    for (const auto& [name, file] : cases) {
        CAPTURE(name);
        const Audit a = audit_bytes(dir, "bogus.pcapng", file);
        check_partial(a);
        CHECK(a.doc["inputs"][0]["packets"] == 1);
    }
    Bytes bad_header = whole;
    put_le32(bad_header, 4, 13);  // the section header block's own length
    check_unreadable(audit_bytes(dir, "bad-shb.pcapng", bad_header), "bad-shb.pcapng");
}

TEST_CASE("IP and UDP and TCP length fields that lie") {
    test::TempDir dir;
    const Bytes udp = gen::build_udp(k_alice, k_bob, util::as_bytes(std::string(100, 'x')));
    const Bytes tcp = gen::build_tcp({k_alice.address, 40000}, k_bob, 1, 1, 0x18, util::as_bytes(std::string(10, 'y')));
    const auto udp_frame = ipv4_frame(17, udp);
    const auto tcp_frame = ipv4_frame(6, tcp);
    const auto patched = [](Bytes frame, std::size_t at, std::uint16_t value) {
        put_be16(frame, at, value);
        return frame;
    };
    Bytes bad_ihl = udp_frame;
    bad_ihl[k_ip] = 0x4f;  // IHL 60 bytes: options swallow the UDP header
    struct Case {
        std::string name;
        Bytes frame;
        std::string status;  // how the frame is counted in decode.frames
    };
    // A length past the captured bytes reads as a snap-length cut (the payload is marked
    // truncated); one below the headers it covers is malformed.
    const std::vector<Case> cases{
        {"IP total length past the frame", patched(udp_frame, k_ip + 2, 2000), "ok"},
        {"IP total length inside the UDP payload", patched(udp_frame, k_ip + 2, 30), "ok"},
        {"IP total length below its header", patched(udp_frame, k_ip + 2, 10), "malformed"},
        {"IP header length 60 bytes", bad_ihl, "ok"},
        {"cut inside the IP header", Bytes(udp_frame.begin(), udp_frame.begin() + 20), "truncated"},
        {"UDP length 0", patched(udp_frame, k_l4 + 4, 0), "ok"},  // read as IPv6's jumbogram rule
        {"UDP length 7", patched(udp_frame, k_l4 + 4, 7), "malformed"},
        {"UDP length past the datagram", patched(udp_frame, k_l4 + 4, 60000), "ok"},
        {"TCP data offset 2 words", patched(tcp_frame, k_l4 + 12, 0x2018), "malformed"},
        {"TCP data offset past the segment", patched(tcp_frame, k_l4 + 12, 0xf018), "truncated"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.name);
        const Audit a = audit_capture(dir, "lie.pcap", frames_capture({c.frame, udp_frame}));
        check_read_whole(a);
        CHECK(a.doc["inputs"][0]["packets"] == 2);
        CHECK(a.frames(c.status) >= 1);
        CHECK(a.frames("ok") >= 1);  // the honest datagram after it
    }
}

TEST_CASE("overlapping and never-completing IP fragments stay bounded") {
    test::TempDir dir;
    std::vector<Bytes> frames;
    const Bytes data(64, 0x55);
    const auto fragment = [&](std::uint16_t id, std::uint16_t offset_words, bool more, const Bytes& bytes) {
        return ipv4_frame(17, bytes, id, static_cast<std::uint16_t>(offset_words | (more ? 0x2000 : 0)));
    };
    // Overlaps with different bytes (RFC 5722's evasion), 200 datagrams of 3 fragments each.
    for (std::uint16_t id = 1; id <= 200; ++id) {
        frames.push_back(fragment(id, 0, true, Bytes(64, 0x11)));
        frames.push_back(fragment(id, 4, true, Bytes(64, 0x22)));  // overlaps the first's second half
        frames.push_back(fragment(id, 8, false, data));
    }
    // 5,000 datagrams that never complete: more than the defragmenter's 4,096 pending.
    for (std::uint16_t id = 1000; id < 6000; ++id) {
        frames.push_back(fragment(id, 0, true, data));
    }
    // 8,000 fragments of one datagram (8 bytes each, the most a 64 KB datagram can have), last one missing.
    for (std::uint16_t offset = 0; offset < 8000; ++offset) {
        frames.push_back(fragment(7000, offset, true, Bytes(8, 0x33)));
    }
    const Audit a = audit_capture(dir, "fragments.pcap", frames_capture(frames));
    check_read_whole(a);
    const json& defrag = a.doc["decode"]["ip_fragments"];
    CHECK(defrag["overlaps"].get<std::uint64_t>() >= 200);
    CHECK(defrag["dropped"].get<std::uint64_t>() + defrag["timed_out"].get<std::uint64_t>() >= 5000 - 4096);
}

TEST_CASE("TCP sequence numbers jumping by up to 4 GB") {
    test::TempDir dir;
    gen::CaptureBuilder capture;
    const util::Endpoint from{k_alice.address, 40123};
    const std::string invite = sip_request("", "", "0");
    util::Timestamp time = k_start;
    capture.add_tcp(time, from, k_bob, 1000, 0, 0x02, {});
    std::uint32_t seq = 1001;
    for (const std::uint32_t jump : {0U, 0x7fffffffU, 0x80000000U, 0xffffffffU, 0x80000001U, 0x40000000U, 0U}) {
        seq += jump;
        for (int repeat = 0; repeat < 200; ++repeat) {  // fill the out-of-order buffer between jumps
            time.micros += 10;
            capture.add_tcp(time, from, k_bob, seq, 1, 0x18, util::as_bytes(invite));
            seq += static_cast<std::uint32_t>(invite.size() * 7);  // leaves holes
        }
    }
    const Audit a = audit_capture(dir, "tcp-jumps.pcap", capture);
    check_read_whole(a);
    REQUIRE(a.doc["flows"].size() == 1);
}

TEST_CASE("10 MB of SIP headers over TCP are dropped at the framer's limit") {
    test::TempDir dir;
    std::string stream = "INVITE sip:bob@198.51.100.20 SIP/2.0\r\n";
    const std::string line = "X-Filler: " + std::string(90, 'f') + "\r\n";
    while (stream.size() < 10 * 1024 * 1024) {
        stream += line;
    }
    stream += "\r\n" + sip_request("", "", "0");  // a good message after the flood
    const Audit a = audit_capture(dir, "huge-headers.pcap", tcp_stream(stream));
    check_read_whole(a);
    CHECK(a.anomaly("sip.headers_too_large") == 1);
    // What 10 MB left in the model: the one good message and one anomaly, not the flood.
    const session::Model model = model_of(dir.file("huge-headers.pcap"));
    REQUIRE(model.calls.size() == 1);
    CHECK(model.calls[0].messages.size() == 1);
    CHECK(model.anomalies.size() <= 2);
}

TEST_CASE("a SIP datagram as large as UDP allows") {
    test::TempDir dir;
    std::string headers;
    while (headers.size() < 65'000) {
        headers += "X-Filler: " + std::string(90, 'g') + "\r\n";
    }
    const std::string message = sip_request(headers, "", "0").substr(0, 65'507);  // IPv4's largest UDP payload
    gen::CaptureBuilder capture;
    capture.add_udp(k_start, k_alice, k_bob, util::as_bytes(message));  // fragmented at 1500 bytes
    const Audit a = audit_capture(dir, "big-datagram.pcap", capture);
    check_read_whole(a);
    CHECK(a.doc["decode"]["ip_fragments"]["reassembled"] == 1);
}

TEST_CASE("Content-Length larger than the body or negative or huge") {
    test::TempDir dir;
    const std::string body = sdp_with(1, 0);
    for (const std::string& length : {std::to_string(body.size() + 500), std::string{"-5"},
                                      std::string{"99999999999999999999999"}, std::string{"4294967296"}}) {
        CAPTURE(length);
        gen::CaptureBuilder udp;
        udp.add_udp(k_start, k_alice, k_bob, util::as_bytes(sip_request("", body, length)));
        const Audit over_udp = audit_capture(dir, "cl-udp.pcap", udp);
        check_read_whole(over_udp);
        CHECK(over_udp.anomaly("sip.body_truncated") + over_udp.anomaly("sip.bad_header_value") >= 1);

        const Audit over_tcp = audit_capture(dir, "cl-tcp.pcap", tcp_stream(sip_request("", body, length)));
        check_read_whole(over_tcp);
    }
}

TEST_CASE("10000 Via headers") {
    std::string vias;
    for (int i = 0; i < 10'000; ++i) {
        vias += "Via: SIP/2.0/UDP 10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250) + ";branch=z9hG4bK" +
                std::to_string(i) + "\r\n";
    }
    // The parser on its own (a TCP message may be this large) ...
    const auto parsed = sip::parse_message(sip_request(vias, "", "0"));
    REQUIRE(parsed.ok());
    CHECK(parsed->vias.size() == 10'001);
    // ... and the whole audit over TCP, where the framer refuses a header section over 64 KB.
    test::TempDir dir;
    const Audit a = audit_capture(dir, "vias.pcap", tcp_stream(sip_request(vias, "", "0")));
    check_read_whole(a);
    CHECK(a.anomaly("sip.headers_too_large") == 1);
}

TEST_CASE("SDP with 10000 m-lines and 10000 a=crypto lines") {
    const std::string many_media = sdp_with(10'000, 0);
    const std::string many_cryptos = sdp_with(0, 10'000);
    // Read up to the parser's bounds, each said once: every key read becomes a finding, and a
    // body of 10,000 must not cost 10,000 of them.
    const sdp::SdpSession media_parsed = sdp::parse(many_media);
    CHECK(media_parsed.media.size() == sdp::k_max_media_sections);
    REQUIRE(media_parsed.anomalies.size() == 1);
    CHECK(media_parsed.anomalies[0].code == util::AnomalyCode::sdp_too_many_media);
    const sdp::SdpSession cryptos_parsed = sdp::parse(many_cryptos);
    CHECK(cryptos_parsed.media.at(0).cryptos.size() == sdp::k_max_cryptos);
    REQUIRE(cryptos_parsed.anomalies.size() == 1);
    CHECK(cryptos_parsed.anomalies[0].code == util::AnomalyCode::sdp_too_many_cryptos);
    // Through the audit: an INVITE over TCP carrying each, answered by nothing.
    test::TempDir dir;
    for (const auto* sdp : {&many_media, &many_cryptos}) {
        const Audit a = audit_capture(dir, "sdp.pcap", tcp_stream(sip_request("", *sdp, std::to_string(sdp->size()))));
        CHECK(a.exit_code == cli::k_exit_clean);
        REQUIRE(a.doc.is_object());
        CHECK(a.partial());  // what was skipped went unjudged, and the report says so
        CHECK(a.anomaly(sdp == &many_media ? "sdp.too_many_media" : "sdp.too_many_cryptos") == 1);
        REQUIRE(a.doc["calls"].size() == 1);
        // The model keeps one snapshot of the offer, within the bounds: nothing per packet or
        // per retransmission.
        const session::Model model = model_of(dir.file("sdp.pcap"));
        REQUIRE(model.calls.size() == 1);
        REQUIRE(model.calls[0].sdps.size() == 1);
        const auto& kept = model.calls[0].sdps[0].media;
        CHECK(kept.size() == (sdp == &many_media ? sdp::k_max_media_sections : 1U));
        CHECK(kept.at(0).cryptos.size() == (sdp == &many_media ? 0U : sdp::k_max_cryptos));
        CHECK(model.media.empty());  // no stream was created for the announced ports
    }
}

TEST_CASE("ZRTP length fields that point outside the packet") {
    test::TempDir dir;
    gen::CaptureBuilder capture;
    const util::Endpoint a{k_alice.address, 40000};
    const util::Endpoint b{k_bob.address, 40002};
    util::Timestamp time = k_start;
    const auto send = [&](gen::ZrtpBytes packet) {
        gen::zrtp_refresh_crc(packet);
        time.micros += 1000;
        capture.add_udp(time, a, b, packet);
    };
    const gen::ZrtpBytes hello = gen::zrtp_ack_message("HelloACK");
    for (const std::uint16_t words : {std::uint16_t{0}, std::uint16_t{2}, std::uint16_t{0xffff}, std::uint16_t{4}}) {
        gen::ZrtpBytes message = hello;
        message[2] = static_cast<std::uint8_t>(words >> 8);  // the message length, in words
        message[3] = static_cast<std::uint8_t>(words);
        send(gen::zrtp_packet(1, 0x1234, message));
    }
    // Fragments (0x11) whose offset, length or total lie about the message.
    const gen::ZrtpBytes long_message = gen::zrtp_error_message(0x10);
    auto fragments = gen::zrtp_fragment_packets(10, 0x5678, long_message, {7, 12 + 20 + 8 + 4});
    for (const auto& [field, value] : std::vector<std::pair<std::size_t, std::uint16_t>>{
             {14, 0xffff}, {16, 0xfff0}, {18, 0xfff0}, {14, 0}, {18, 0x0100}}) {
        gen::ZrtpBytes packet = fragments.front();
        packet[field] = static_cast<std::uint8_t>(value >> 8);
        packet[field + 1] = static_cast<std::uint8_t>(value);
        send(packet);
    }
    const Audit result = audit_capture(dir, "zrtp-lengths.pcap", capture);
    check_read_whole(result);
    std::uint64_t zrtp_anomalies = 0;
    for (const auto& [code, count] : result.doc["decode"]["anomalies"].items()) {
        if (code.rfind("zrtp.", 0) == 0) {
            zrtp_anomalies += count.get<std::uint64_t>();
        }
    }
    CHECK(zrtp_anomalies >= 6);
}

TEST_CASE("one IP fragment repeated 20000 times keeps one covered range") {
    // Regression: every copy of a fragment added a range that later fragments were compared
    // with and sorted among, so identical copies made reassembly quadratic.
    test::TempDir dir;
    std::vector<Bytes> frames;
    for (int copy = 0; copy < 20'000; ++copy) {
        frames.push_back(ipv4_frame(17, Bytes(64, 0x44), 42, 0x2000));  // offset 0, more fragments
    }
    const Audit a = audit_capture(dir, "duplicates.pcap", frames_capture(frames));
    check_read_whole(a);
    CHECK(a.doc["decode"]["ip_fragments"]["fragments"] == 20'000);
    CHECK(a.doc["decode"]["ip_fragments"]["overlaps"] == 0);
}

TEST_CASE("60000 one-byte TCP segments each past a hole") {
    // Regression: every segment buffered out of order scanned the whole buffer for the one
    // nearest the next expected byte, quadratic in the number of buffered segments.
    test::TempDir dir;
    gen::CaptureBuilder capture;
    const util::Endpoint from{k_alice.address, 40123};
    util::Timestamp time = k_start;
    capture.add_tcp(time, from, k_bob, 1000, 0, 0x02, {});
    for (std::uint32_t i = 0; i < 60'000; ++i) {
        time.micros += 1;
        capture.add_tcp(time, from, k_bob, 1002 + 2 * i, 1, 0x18, util::as_bytes(std::string_view{"x"}));
    }
    const Audit a = audit_capture(dir, "tiny-segments.pcap", capture);
    check_read_whole(a);
    REQUIRE(a.doc["flows"].size() == 1);
}

TEST_CASE("a bad start line then 4 MB of empty lines over TCP") {
    // Resynchronising drops line by line: short lines must not stall it.
    test::TempDir dir;
    std::string stream = sip_request("", "", "0") + "NOT SIP AT ALL\r\n";  // a good message, then garbage
    stream.append(4 * 1024 * 1024, '\n');
    stream += sip_request("", "", "0");
    const Audit a = audit_capture(dir, "blank-lines.pcap", tcp_stream(stream, 60'000));
    check_read_whole(a);
    CHECK(a.anomaly("sip.stream_not_sip") == 1);
}

TEST_CASE("a pcapng timestamp far beyond any real time is clamped (found by fuzz_capture under UBSan)") {
    // Regression: 64-bit pcapng timestamps gave seconds whose microseconds overflowed int64.
    test::TempDir dir;
    const auto path = dir.file("whole.pcapng");
    REQUIRE(small_call().write_pcapng(path).ok());
    Bytes file = read_file(path);
    constexpr std::size_t k_first_epb_time_high = 28 + 20 + 8 + 4;  // SHB, IDB, EPB type+length, interface
    put_le32(file, k_first_epb_time_high, 0xffffffff);
    const Audit a = audit_bytes(dir, "far-future.pcapng", file);
    check_read_whole(a);
    CHECK(a.doc["inputs"][0]["packets"] == 8);
}
