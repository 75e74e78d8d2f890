#include <catch2/catch.hpp>

#include <algorithm>

#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/net/decoder.hpp"

using namespace zaudit;

namespace {

const util::Endpoint k_v4_a{*util::IpAddress::parse("198.51.100.7"), 40000};
const util::Endpoint k_v4_b{*util::IpAddress::parse("203.0.113.9"), 5004};
const util::Endpoint k_v6_a{*util::IpAddress::parse("2001:db8::7"), 40000};
const util::Endpoint k_v6_b{*util::IpAddress::parse("2001:db8:1::9"), 5004};

capture::Frame frame_of(const gen::GeneratedFrame& g, std::uint64_t number) {
    return capture::Frame{number, g.time, g.bytes, static_cast<std::uint32_t>(g.bytes.size()), g.link_type, 0};
}

std::vector<std::uint8_t> payload_of_size(std::size_t n) {
    std::vector<std::uint8_t> p(n);
    for (std::size_t i = 0; i < n; ++i) {
        p[i] = static_cast<std::uint8_t>(i * 7 + 3);
    }
    return p;
}

}  // namespace

TEST_CASE("every supported link type yields the same UDP packet") {
    const int link_type = GENERATE(1, 113, 276, 12, 0, 108, 228);
    const bool v6 = GENERATE(false, true);
    if (link_type == 228 && v6) {
        return;  // DLT_IPV4 carries IPv4 only
    }
    gen::Framing framing;
    framing.link_type = link_type;
    gen::CaptureBuilder capture{framing};
    const auto& src = v6 ? k_v6_a : k_v4_a;
    const auto& dst = v6 ? k_v6_b : k_v4_b;
    const std::string text = "INVITE sip:bob@example.com SIP/2.0\r\n";
    capture.add_udp(util::Timestamp{5}, src, dst, util::as_bytes(text));
    net::Decoder decoder;
    net::Packet packet;
    REQUIRE(decoder.decode(frame_of(capture.frames()[0], 1), packet) == net::DecodeStatus::ok);
    CHECK(packet.src == src);
    CHECK(packet.dst == dst);
    CHECK(packet.ipv6 == v6);
    CHECK(packet.ttl == 64);
    CHECK(packet.transport == net::Transport::udp);
    CHECK(util::as_text(packet.payload) == text);
}

TEST_CASE("802.1Q and QinQ tags are skipped") {
    gen::Framing framing;
    framing.vlan_ids = GENERATE(std::vector<std::uint16_t>{100}, std::vector<std::uint16_t>{200, 300});
    gen::CaptureBuilder capture{framing};
    capture.add_udp(util::Timestamp{5}, k_v4_a, k_v4_b, util::as_bytes("x"));
    net::Decoder decoder;
    net::Packet packet;
    REQUIRE(decoder.decode(frame_of(capture.frames()[0], 1), packet) == net::DecodeStatus::ok);
    CHECK(util::as_text(packet.payload) == "x");
    CHECK(decoder.stats().vlan_tagged == framing.vlan_ids.size());
}

TEST_CASE("IP fragments reassemble in and out of order, IPv4 and IPv6") {
    const bool v6 = GENERATE(false, true);
    const bool reversed = GENERATE(false, true);
    gen::Framing framing;
    framing.mtu = 576;
    gen::CaptureBuilder capture{framing};
    const auto payload = payload_of_size(1800);
    capture.add_udp(util::Timestamp{1000}, v6 ? k_v6_a : k_v4_a, v6 ? k_v6_b : k_v4_b, payload);
    auto frames = capture.frames();
    REQUIRE(frames.size() == 4);  // 1808 bytes of UDP in 552/528-byte pieces
    if (reversed) {
        std::reverse(frames.begin(), frames.end());
    }
    net::Decoder decoder;
    net::Packet packet;
    for (std::size_t i = 0; i + 1 < frames.size(); ++i) {
        CHECK(decoder.decode(frame_of(frames[i], i + 1), packet) == net::DecodeStatus::fragment_pending);
    }
    REQUIRE(decoder.decode(frame_of(frames.back(), 4), packet) == net::DecodeStatus::ok);
    CHECK(packet.reassembled);
    CHECK(packet.frame == 4);
    CHECK(std::equal(packet.payload.begin(), packet.payload.end(), payload.begin(), payload.end()));
    CHECK(decoder.defrag_stats().reassembled == 1);
}

TEST_CASE("incomplete fragments time out and do not grow without bound") {
    gen::Framing framing;
    framing.mtu = 576;
    net::DefragLimits limits;
    limits.max_pending = 8;
    net::Decoder decoder{limits};
    net::Packet packet;
    gen::CaptureBuilder capture{framing};
    for (int i = 0; i < 50; ++i) {
        capture.add_udp(util::Timestamp{i * 1000}, k_v4_a, k_v4_b, payload_of_size(1000));
    }
    std::uint64_t number = 0;
    for (const auto& f : capture.frames()) {
        if (++number % 2 == 0) {
            continue;  // drop every second fragment: nothing ever completes
        }
        CHECK(decoder.decode(frame_of(f, number), packet) == net::DecodeStatus::fragment_pending);
    }
    CHECK(decoder.defrag_stats().reassembled == 0);
    CHECK(decoder.defrag_stats().dropped_for_space == 42);
}

TEST_CASE("overlapping fragments with different bytes are refused and counted") {
    gen::Framing framing;
    framing.mtu = 576;
    gen::CaptureBuilder capture{framing};
    capture.add_udp(util::Timestamp{0}, k_v4_a, k_v4_b, payload_of_size(1000));
    auto forged = capture.frames()[0];
    forged.bytes.back() ^= 0xff;
    net::Decoder decoder;
    net::Packet packet;
    CHECK(decoder.decode(frame_of(capture.frames()[0], 1), packet) == net::DecodeStatus::fragment_pending);
    CHECK(decoder.decode(frame_of(forged, 2), packet) == net::DecodeStatus::fragment_pending);
    CHECK(decoder.defrag_stats().overlaps == 1);
}

TEST_CASE("truncated and malformed headers are classified, never read past the end") {
    gen::CaptureBuilder capture;
    capture.add_udp(util::Timestamp{0}, k_v4_a, k_v4_b, util::as_bytes("payload"));
    const auto whole = capture.frames()[0].bytes;
    net::Decoder decoder;
    net::Packet packet;
    for (std::size_t cut = 0; cut < 14 + 20 + 8; ++cut) {
        const std::vector<std::uint8_t> prefix(whole.begin(), whole.begin() + static_cast<long>(cut));
        const capture::Frame f{1, {}, prefix, static_cast<std::uint32_t>(whole.size()), 1, 0};
        CHECK(decoder.decode(f, packet) == net::DecodeStatus::truncated);
    }
    auto bad_ihl = whole;
    bad_ihl[14] = 0x43;  // IHL 3 words
    CHECK(decoder.decode(capture::Frame{1, {}, bad_ihl, 0, 1, 0}, packet) == net::DecodeStatus::malformed);
    auto bad_udp_length = whole;
    bad_udp_length[14 + 20 + 4] = 0;
    bad_udp_length[14 + 20 + 5] = 3;  // UDP length shorter than its header
    CHECK(decoder.decode(capture::Frame{1, {}, bad_udp_length, 0, 1, 0}, packet) == net::DecodeStatus::malformed);
    auto arp = whole;
    arp[12] = 0x08;
    arp[13] = 0x06;
    CHECK(decoder.decode(capture::Frame{1, {}, arp, 0, 1, 0}, packet) == net::DecodeStatus::not_ip);
}

TEST_CASE("a snap length shorter than the datagram marks the payload truncated") {
    gen::CaptureBuilder capture;
    capture.add_udp(util::Timestamp{0}, k_v4_a, k_v4_b, payload_of_size(200));
    auto bytes = capture.frames()[0].bytes;
    bytes.resize(100);
    net::Decoder decoder;
    net::Packet packet;
    REQUIRE(decoder.decode(capture::Frame{1, {}, bytes, 242, 1, 0}, packet) == net::DecodeStatus::ok);
    CHECK(packet.payload_truncated);
    CHECK(packet.payload.size() == 100 - 42);
}

TEST_CASE("Ethernet padding after a short IP packet is not payload") {
    gen::CaptureBuilder capture;
    capture.add_udp(util::Timestamp{0}, k_v4_a, k_v4_b, util::as_bytes("ab"));
    auto bytes = capture.frames()[0].bytes;
    bytes.resize(60, 0);  // minimum Ethernet frame
    net::Decoder decoder;
    net::Packet packet;
    REQUIRE(decoder.decode(capture::Frame{1, {}, bytes, 60, 1, 0}, packet) == net::DecodeStatus::ok);
    CHECK(util::as_text(packet.payload) == "ab");
}

namespace {

/// An IPv4 header (RFC 791, no options, checksum left zero: the decoder does not check it)
/// carrying `protocol` and `payload`.
std::vector<std::uint8_t> ipv4_around(std::uint8_t protocol, const std::vector<std::uint8_t>& payload) {
    const auto total = static_cast<std::uint16_t>(20 + payload.size());
    std::vector<std::uint8_t> out{0x45,
                                  0,
                                  static_cast<std::uint8_t>(total >> 8),
                                  static_cast<std::uint8_t>(total & 0xff),
                                  0,
                                  0,
                                  0x40,
                                  0,
                                  64,
                                  protocol,
                                  0,
                                  0,
                                  192,
                                  0,
                                  2,
                                  1,
                                  192,
                                  0,
                                  2,
                                  2};
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

std::vector<std::uint8_t> udp_datagram(std::string_view text) {
    const auto length = static_cast<std::uint16_t>(8 + text.size());
    std::vector<std::uint8_t> out{
        0x13, 0xc4, 0x13, 0xc4, static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length & 0xff), 0, 0};
    for (const char c : text) {  // a loop: GCC 12 misreads insert() here as out of bounds
        out.push_back(static_cast<std::uint8_t>(c));
    }
    return out;
}

capture::Frame ethernet_frame(std::uint16_t ethertype, const std::vector<std::uint8_t>& payload,
                              std::vector<std::uint8_t>& storage) {
    storage.assign(12, 0x02);
    storage.push_back(static_cast<std::uint8_t>(ethertype >> 8));
    storage.push_back(static_cast<std::uint8_t>(ethertype & 0xff));
    storage.insert(storage.end(), payload.begin(), payload.end());
    return capture::Frame{1, util::Timestamp{5}, storage, static_cast<std::uint32_t>(storage.size()), 1, 0};
}

}  // namespace

TEST_CASE("GRE inside GRE is followed four deep, and no deeper") {
    const int depth = GENERATE(1, 4, 5, 40);
    std::vector<std::uint8_t> packet = ipv4_around(17, udp_datagram("INVITE"));
    for (int i = 0; i < depth; ++i) {
        std::vector<std::uint8_t> gre{0, 0, 0x08, 0x00};  // no options, version 0, IPv4
        gre.insert(gre.end(), packet.begin(), packet.end());
        packet = ipv4_around(47, gre);
    }
    std::vector<std::uint8_t> storage;
    net::Decoder decoder;
    net::Packet out;
    const net::DecodeStatus status = decoder.decode(ethernet_frame(0x0800, packet, storage), out);
    if (depth <= 4) {
        REQUIRE(status == net::DecodeStatus::ok);
        CHECK(util::as_text(out.payload) == "INVITE");
        CHECK(out.dst.port == 5060);
    } else {
        CHECK(status == net::DecodeStatus::other_transport);
    }
    CHECK(decoder.stats().encapsulated == 1);
}

TEST_CASE("PPPoE: PPP's protocol field in two bytes or compressed to one") {
    const bool compressed = GENERATE(false, true);
    std::vector<std::uint8_t> pppoe{0x11, 0, 0x12, 0x34, 0, 0};
    if (!compressed) {
        pppoe.push_back(0x00);
    }
    pppoe.push_back(0x21);  // IPv4
    const auto ip = ipv4_around(17, udp_datagram("BYE"));
    pppoe.insert(pppoe.end(), ip.begin(), ip.end());
    std::vector<std::uint8_t> storage;
    net::Decoder decoder;
    net::Packet out;
    REQUIRE(decoder.decode(ethernet_frame(0x8864, pppoe, storage), out) == net::DecodeStatus::ok);
    CHECK(util::as_text(out.payload) == "BYE");
}

TEST_CASE("UDP to VXLAN's port that does not start like VXLAN stays UDP") {
    // RTP on port 4789: version 2 in the first byte, which VXLAN's flags (0x08) never are.
    std::vector<std::uint8_t> rtp(40, 0);
    rtp[0] = 0x80;
    std::vector<std::uint8_t> udp{0xc0, 0x00, 0x12, 0xb5, 0, 48, 0, 0};
    udp.insert(udp.end(), rtp.begin(), rtp.end());
    std::vector<std::uint8_t> storage;
    net::Decoder decoder;
    net::Packet out;
    REQUIRE(decoder.decode(ethernet_frame(0x0800, ipv4_around(17, udp), storage), out) == net::DecodeStatus::ok);
    CHECK(out.dst.port == 4789);
    CHECK(out.payload.size() == 40);
    CHECK(decoder.stats().encapsulated == 0);
}
