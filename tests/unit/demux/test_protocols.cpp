// The recognisers of protocols that are not VoIP (DNS, QUIC, WireGuard, OpenVPN) and the
// stricter checks of RFC 7983's ranges, one packet at a time and along a flow (FlowDemux).
#include <catch2/catch.hpp>

#include <array>
#include <random>
#include <string>
#include <vector>

#include "zaudit/demux/classify.hpp"
#include "zaudit/demux/protocols.hpp"

using namespace zaudit;
using demux::PayloadKind;
using Packet = std::vector<std::uint8_t>;

namespace {

Packet filled(std::size_t size, std::uint8_t fill) {
    return Packet(size, fill);
}

/// WireGuard header: type, three reserved zero bytes, then `size` - 4 bytes of 0xab.
Packet wireguard(std::uint8_t type, std::size_t size) {
    Packet p = filled(size, 0xab);
    p[0] = type;
    p[1] = p[2] = p[3] = 0;
    return p;
}

// The first packet each way of tests/data/openvpn-tls.pcap (openvpn 2.6.14, TLS mode): the
// client's P_CONTROL_HARD_RESET_CLIENT_V2 (opcode 7, key 0: 0x38), session id, no acks, packet
// id 0; the server's P_CONTROL_HARD_RESET_SERVER_V2 (0x40) acknowledging it.
const Packet k_client_reset{0x38, 0xa5, 0xb4, 0x9f, 0x02, 0x50, 0x7d, 0x91, 0xaf, 0x00, 0x00, 0x00, 0x00, 0x00};
const Packet k_server_reset{0x40, 0x84, 0x5f, 0x49, 0xf3, 0xd9, 0x94, 0x4e, 0x09, 0x01, 0x00, 0x00, 0x00,
                            0x00, 0xa5, 0xb4, 0x9f, 0x02, 0x50, 0x7d, 0x91, 0xaf, 0x00, 0x00, 0x00, 0x00};

/// A QUIC v1 long header (Initial: type 0) with 8-byte connection ids, padded to `size`.
Packet quic_initial(std::size_t size = 1200) {
    Packet p{0xc3, 0x00, 0x00, 0x00, 0x01, 8, 1, 2, 3, 4, 5, 6, 7, 8, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0x00};
    p.resize(size, 0x5c);
    return p;
}

/// A DNS query for voice.example.test, type A.
Packet dns_query(std::uint8_t first_byte = 0x2d) {
    Packet p{first_byte, 0x6e, 0x01, 0x20, 0, 1, 0, 0, 0, 0, 0, 0};
    for (const char* label : {"voice", "example", "test"}) {
        p.push_back(static_cast<std::uint8_t>(std::char_traits<char>::length(label)));
        p.insert(p.end(), label, label + std::char_traits<char>::length(label));
    }
    p.insert(p.end(), {0, 0, 1, 0, 1});
    return p;
}

}  // namespace

TEST_CASE("STUN needs its length rule and magic cookie, not just a first byte of 0-3") {
    Packet binding{0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    CHECK(demux::looks_like_stun(binding));
    CHECK(demux::classify(binding) == PayloadKind::stun);
    binding.push_back(0);  // the length no longer covers the datagram
    CHECK_FALSE(demux::looks_like_stun(binding));
    Packet classic{0x01, 0x01, 0x00, 0x04, 9, 9, 9, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0, 1, 2, 3};
    CHECK(demux::looks_like_stun(classic));  // RFC 3489 Binding Response, no cookie
    classic[1] = 0x77;                       // no RFC 3489 message type, no cookie
    CHECK_FALSE(demux::looks_like_stun(classic));
}

TEST_CASE("WireGuard messages are told by type, reserved zeros and size") {
    CHECK(demux::wireguard_message(wireguard(1, 148)) == demux::WireGuardMessage::handshake_initiation);
    CHECK(demux::wireguard_message(wireguard(2, 92)) == demux::WireGuardMessage::handshake_response);
    CHECK(demux::wireguard_message(wireguard(3, 64)) == demux::WireGuardMessage::cookie_reply);
    CHECK(demux::wireguard_message(wireguard(4, 32)) == demux::WireGuardMessage::transport_data);  // keepalive
    CHECK(demux::wireguard_message(wireguard(4, 128)) == demux::WireGuardMessage::transport_data);
    CHECK_FALSE(demux::wireguard_message(wireguard(4, 130)));  // not padded to 16
    CHECK_FALSE(demux::wireguard_message(wireguard(4, 16)));   // no room for the tag
    CHECK_FALSE(demux::wireguard_message(wireguard(1, 149)));
    CHECK_FALSE(demux::wireguard_message(wireguard(5, 64)));
    Packet reserved = wireguard(4, 64);
    reserved[2] = 1;
    CHECK_FALSE(demux::wireguard_message(reserved));
    // Types 1-3 share STUN's first bytes; the sizes tell them apart.
    CHECK(demux::classify(wireguard(1, 148)) == PayloadKind::wireguard);
    CHECK(demux::classify(wireguard(4, 96)) == PayloadKind::wireguard);
}

TEST_CASE("OpenVPN hard resets are read from their first byte and session id") {
    CHECK(demux::is_openvpn_client_reset(k_client_reset));
    CHECK_FALSE(demux::is_openvpn_server_reset(k_client_reset));
    CHECK(demux::is_openvpn_server_reset(k_server_reset));
    const auto header = demux::openvpn_header(k_server_reset);
    REQUIRE(header);
    CHECK(header->opcode == demux::OpenVpnOpcode::control_hard_reset_server_v2);
    CHECK(header->key_id == 0);
    Packet v3 = k_client_reset;
    v3[0] = 10 << 3;  // P_CONTROL_HARD_RESET_CLIENT_V3
    CHECK(demux::is_openvpn_client_reset(v3));
    Packet short_reset(k_client_reset.begin(), k_client_reset.begin() + 9);
    CHECK_FALSE(demux::is_openvpn_client_reset(short_reset));
    CHECK_FALSE(demux::openvpn_header(Packet{0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));  // opcode 0
    // One byte is no evidence: alone, the reset is nothing zaudit knows.
    CHECK(demux::classify(k_client_reset) == PayloadKind::unknown);
}

TEST_CASE("QUIC long headers need a QUIC version and connection ids that fit") {
    CHECK(demux::looks_like_quic_long_header(quic_initial()));
    CHECK(demux::classify(quic_initial()) == PayloadKind::quic);
    Packet v2 = quic_initial();
    v2[1] = 0x6b, v2[2] = 0x33, v2[3] = 0x43, v2[4] = 0xcf;  // RFC 9369
    CHECK(demux::looks_like_quic_long_header(v2));
    Packet unknown_version = quic_initial();
    unknown_version[2] = 0x42;
    CHECK_FALSE(demux::looks_like_quic_long_header(unknown_version));
    Packet long_cid = quic_initial();
    long_cid[5] = 21;
    CHECK_FALSE(demux::looks_like_quic_long_header(long_cid));
    CHECK_FALSE(demux::looks_like_quic_long_header(Packet{0xc3, 0, 0, 0, 1, 8, 1, 2}));  // cut short
    Packet short_header = filled(40, 0x33);
    short_header[0] = 0x41;
    CHECK(demux::looks_like_quic_short_header(short_header));
    CHECK(demux::classify(short_header) == PayloadKind::unknown);  // a short header alone is one byte
}

TEST_CASE("DNS is recognised on port 53 before RTP's first-byte range") {
    const Packet query = dns_query(0x90);  // an id whose first byte reads as RTP version 2
    CHECK(demux::looks_like_dns(query));
    CHECK(demux::classify_udp({}, 40000, 53, query) == PayloadKind::dns);
    CHECK(demux::classify_udp({}, 53, 40000, query) == PayloadKind::dns);
    CHECK(demux::classify_udp({}, 5353, 5353, query) == PayloadKind::dns);
    CHECK(demux::classify_udp({}, 40000, 40002, query) == PayloadKind::rtp);  // not DNS's port
    Packet z_bit = dns_query();
    z_bit[3] |= 0x40;
    CHECK_FALSE(demux::looks_like_dns(z_bit));
    Packet counts = dns_query();
    counts[7] = 200;  // 200 answers cannot fit
    CHECK_FALSE(demux::looks_like_dns(counts));
    Packet label = dns_query();
    label[12] = 64;  // a label longer than 63 bytes
    CHECK_FALSE(demux::looks_like_dns(label));
    // The user's rule wins over the port.
    CHECK(demux::classify_udp({{53, PayloadKind::sip}}, 40000, 53, query) == PayloadKind::sip);
}

TEST_CASE("DTLS, TURN ChannelData and RTCP need their headers, not a first byte") {
    Packet client_hello = filled(100, 0);
    client_hello[0] = 22;
    client_hello[1] = 0xfe;
    client_hello[2] = 0xfd;
    client_hello[12] = 87;  // length: the 87 bytes after the 13-byte header
    CHECK(demux::classify(client_hello) == PayloadKind::dtls);
    client_hello[12] = 88;
    CHECK(demux::classify(client_hello) == PayloadKind::unknown);
    Packet channel{0x40, 0x01, 0x00, 0x04, 1, 2, 3, 4};
    CHECK(demux::classify(channel) == PayloadKind::turn_channel);
    channel[3] = 0x10;
    CHECK(demux::classify(channel) == PayloadKind::unknown);
    // RTCP receiver report: length 1 (8 bytes) in a 20-byte datagram (SRTCP's trailer after it).
    Packet report = filled(20, 0);
    report[0] = 0x80;
    report[1] = 201;
    report[3] = 1;
    CHECK(demux::classify(report) == PayloadKind::rtcp);
    report[3] = 9;  // 40 bytes claimed
    CHECK(demux::classify(report) == PayloadKind::unknown);
    report[3] = 1;
    report[1] = 195;  // in RFC 5761's RTCP range but no packet type in use
    CHECK(demux::classify(report) == PayloadKind::unknown);
    // A TLS record header starts a TCP stream; in a datagram it is no TLS.
    const Packet record{0x17, 0x03, 0x03, 0x00, 0x04, 1, 2, 3, 4};
    CHECK(demux::classify(record) == PayloadKind::tls);
    CHECK(demux::classify_udp({}, 40000, 443, record) == PayloadKind::unknown);
}

TEST_CASE("uniformly random datagrams are RTP-looking or unknown, never another protocol") {
    std::mt19937 random{6189};
    std::array<std::uint64_t, static_cast<std::size_t>(PayloadKind::count_)> kinds{};
    constexpr int k_packets = 20'000;
    for (int i = 0; i < k_packets; ++i) {
        Packet p(60 + random() % 41);
        for (auto& byte : p) {
            byte = static_cast<std::uint8_t>(random());
        }
        ++kinds[static_cast<std::size_t>(demux::classify_udp({}, 34567, 45678, p))];
    }
    const auto count = [&](PayloadKind kind) { return kinds[static_cast<std::size_t>(kind)]; };
    CHECK(count(PayloadKind::unknown) + count(PayloadKind::rtp) == k_packets);
    // A quarter start with 0x80-0xBF; the RTP heuristic, not the classifier, refuses them.
    CHECK(count(PayloadKind::rtp) > k_packets / 5);
    CHECK(count(PayloadKind::rtp) < k_packets * 3 / 10);
}

TEST_CASE("a flow is OpenVPN when its first packet each way is the client's and the server's hard reset") {
    demux::FlowDemux flow;
    CHECK(flow.classify({}, 40000, 1194, true, k_client_reset).kind == PayloadKind::unknown);
    CHECK(flow.classify({}, 40000, 1194, true, k_client_reset).kind == PayloadKind::unknown);  // retransmitted
    const auto answer = flow.classify({}, 1194, 40000, false, k_server_reset);
    CHECK(answer.kind == PayloadKind::openvpn);
    CHECK(answer.reclassified == 2);  // the client's two resets
    Packet data = filled(100, 0x77);
    data[0] = 0x48;  // P_DATA_V2, key 0
    CHECK(flow.classify({}, 40000, 1194, true, data).kind == PayloadKind::openvpn);
    data[0] = 0x20;  // P_CONTROL_V1
    CHECK(flow.classify({}, 1194, 40000, false, data).kind == PayloadKind::openvpn);
    data[0] = 0x00;  // no opcode
    CHECK(flow.classify({}, 1194, 40000, false, data).kind == PayloadKind::unknown);
}

TEST_CASE("OpenVPN-looking bytes on a flow that did not begin with the resets are not OpenVPN") {
    demux::FlowDemux late;  // a capture that started mid-tunnel, or random bytes
    Packet data = filled(100, 0x77);
    data[0] = 0x48;
    CHECK(late.classify({}, 40000, 1194, true, data).kind == PayloadKind::unknown);
    CHECK(late.classify({}, 40000, 1194, true, k_client_reset).kind == PayloadKind::unknown);
    CHECK(late.classify({}, 1194, 40000, false, k_server_reset).kind == PayloadKind::unknown);

    demux::FlowDemux unanswered;  // the answer is no server reset
    CHECK(unanswered.classify({}, 40000, 1194, true, k_client_reset).kind == PayloadKind::unknown);
    CHECK(unanswered.classify({}, 1194, 40000, false, data).kind == PayloadKind::unknown);
    CHECK(unanswered.classify({}, 1194, 40000, false, k_server_reset).kind == PayloadKind::unknown);
}

TEST_CASE("a QUIC short header counts only on a flow that carried a long header") {
    Packet short_header = filled(60, 0x33);
    short_header[0] = 0x44;  // also in TURN's channel range 64-79
    demux::FlowDemux flow;
    CHECK(flow.classify({}, 50000, 443, true, short_header).kind == PayloadKind::unknown);
    CHECK(flow.classify({}, 50000, 443, true, quic_initial()).kind == PayloadKind::quic);
    CHECK(flow.classify({}, 443, 50000, false, short_header).kind == PayloadKind::quic);
    short_header[0] = 0x64;
    CHECK(flow.classify({}, 50000, 443, true, short_header).kind == PayloadKind::quic);
}

TEST_CASE("DTLS 1.3's unified header counts only after a DTLS record on the flow") {
    Packet unified = filled(60, 0x33);
    unified[0] = 0x2c;  // 0b001CSLEE
    Packet record = filled(40, 0);
    record[0] = 22;
    record[1] = 0xfe;
    record[2] = 0xfd;
    record[12] = 27;
    demux::FlowDemux flow;
    CHECK(flow.classify({}, 50000, 4433, true, unified).kind == PayloadKind::unknown);
    CHECK(flow.classify({}, 50000, 4433, true, record).kind == PayloadKind::dtls);
    CHECK(flow.classify({}, 4433, 50000, false, unified).kind == PayloadKind::dtls);
}

TEST_CASE("along a flow, datagrams in RTP's first-byte range are classified as one datagram alone") {
    // FlowDemux's short cut for RTP's range (128-191) must agree with classify_udp, on the
    // ports that change its answer (DNS, mDNS, IAX2) and on others, once the flow's first
    // packet has shown it is no OpenVPN.
    std::mt19937 random{20261204};
    const std::array<std::array<std::uint16_t, 2>, 6> ports{
        {{40000, 50000}, {53, 40000}, {40000, 5353}, {4569, 4569}, {4569, 40000}, {5060, 5060}}};
    for (const auto& [src, dst] : ports) {
        demux::FlowDemux flow;
        (void)flow.classify({}, src, dst, true, filled(40, 0x80));
        for (int i = 0; i < 2000; ++i) {
            Packet payload(random() % 64);
            for (auto& byte : payload) {
                byte = static_cast<std::uint8_t>(random());
            }
            if (!payload.empty() && i % 2 == 0) {
                payload[0] = static_cast<std::uint8_t>(128 + random() % 64);
            }
            const auto kind = flow.classify({}, src, dst, i % 3 == 0, payload).kind;
            if (!payload.empty() && payload[0] >= 128 && payload[0] <= 191) {
                INFO(src << " -> " << dst << ", packet " << i);
                REQUIRE(kind == demux::classify_udp({}, src, dst, payload));
            }
        }
    }
}
