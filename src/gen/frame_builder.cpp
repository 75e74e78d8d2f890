#include "zaudit/gen/frame_builder.hpp"

#include <algorithm>

namespace zaudit::gen {
namespace {

constexpr std::uint8_t k_proto_tcp = 6;
constexpr std::uint8_t k_proto_udp = 17;

std::uint32_t pseudo_header_sum(const util::IpAddress& src, const util::IpAddress& dst, std::uint8_t protocol,
                                std::size_t length) {
    std::uint32_t sum = 0;
    const auto add_words = [&](const util::IpAddress& a) {
        const std::size_t first = a.is_v4() ? 12 : 0;
        for (std::size_t i = first; i < 16; i += 2) {
            sum += static_cast<std::uint32_t>((a.bytes()[i] << 8) | a.bytes()[i + 1]);
        }
    };
    add_words(src);
    add_words(dst);
    sum += protocol;
    sum += static_cast<std::uint32_t>(length & 0xffff);
    sum += static_cast<std::uint32_t>(length >> 16);
    return sum;
}

void put16(ByteVector& v, std::size_t at, std::uint16_t value) {
    v[at] = static_cast<std::uint8_t>(value >> 8);
    v[at + 1] = static_cast<std::uint8_t>(value);
}

ByteVector link_header(const Framing& framing, bool ipv6) {
    const std::uint16_t ethertype = ipv6 ? 0x86dd : 0x0800;
    ByteWriter w;
    switch (framing.link_type) {
        case 1:  // Ethernet: locally administered MACs
            w.u32(0x02000000).u16(0x0002).u32(0x02000000).u16(0x0001);
            for (const std::uint16_t vlan : framing.vlan_ids) {
                w.u16(&vlan == &framing.vlan_ids.front() && framing.vlan_ids.size() > 1 ? 0x88a8 : 0x8100);
                w.u16(vlan);
            }
            w.u16(ethertype);
            break;
        case 113:  // Linux cooked v1: outgoing, ARPHRD_ETHER, 6-byte address
            w.u16(4).u16(1).u16(6).u32(0x02000000).u16(0x0001).u16(0).u16(ethertype);
            break;
        case 276:  // Linux cooked v2
            w.u16(ethertype).u16(0).u32(1).u16(1).u8(4).u8(6).u32(0x02000000).u16(0x0001).u16(0);
            break;
        case 0:  // BSD null: host byte order of the writer (little-endian here)
            w.u8(ipv6 ? 30 : 2).u8(0).u8(0).u8(0);
            break;
        case 108:  // BSD loop: network byte order
            w.u32(ipv6 ? 30 : 2);
            break;
        default:  // raw IP
            break;
    }
    return w.take();
}

ByteVector ipv4_header(const util::IpAddress& src, const util::IpAddress& dst, std::uint8_t protocol, std::uint8_t ttl,
                       std::uint32_t id, std::size_t payload_length, std::uint32_t offset, bool more) {
    ByteWriter w;
    w.u8(0x45).u8(0).u16(static_cast<std::uint16_t>(20 + payload_length)).u16(static_cast<std::uint16_t>(id));
    w.u16(static_cast<std::uint16_t>((more ? 0x2000 : 0) | (offset / 8))).u8(ttl).u8(protocol).u16(0);
    w.bytes(util::Bytes{src.bytes()}.subspan(12)).bytes(util::Bytes{dst.bytes()}.subspan(12));
    ByteVector header = w.take();
    put16(header, 10, internet_checksum(header));
    return header;
}

ByteVector ipv6_header(const util::IpAddress& src, const util::IpAddress& dst, std::uint8_t next_header,
                       std::uint8_t hop_limit, std::size_t payload_length) {
    ByteWriter w;
    w.u32(0x60000000).u16(static_cast<std::uint16_t>(payload_length)).u8(next_header).u8(hop_limit);
    w.bytes(src.bytes()).bytes(dst.bytes());
    return w.take();
}

ByteVector frame_of(const Framing& framing, bool ipv6, const ByteVector& ip_header, util::Bytes payload) {
    ByteVector frame = link_header(framing, ipv6);
    frame.insert(frame.end(), ip_header.begin(), ip_header.end());
    frame.insert(frame.end(), payload.begin(), payload.end());
    return frame;
}

}  // namespace

std::uint16_t internet_checksum(util::Bytes data, std::uint32_t initial_sum) {
    std::uint64_t sum = initial_sum;
    for (std::size_t i = 0; i + 1 < data.size(); i += 2) {
        sum += static_cast<std::uint32_t>((data[i] << 8) | data[i + 1]);
    }
    if (data.size() % 2 == 1) {
        sum += static_cast<std::uint32_t>(data.back() << 8);
    }
    while ((sum >> 16) != 0) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<std::uint16_t>(~sum);
}

ByteVector build_udp(const util::Endpoint& src, const util::Endpoint& dst, util::Bytes payload) {
    ByteWriter w;
    w.u16(src.port).u16(dst.port).u16(static_cast<std::uint16_t>(8 + payload.size())).u16(0).bytes(payload);
    ByteVector udp = w.take();
    std::uint16_t checksum =
        internet_checksum(udp, pseudo_header_sum(src.address, dst.address, k_proto_udp, udp.size()));
    put16(udp, 6, checksum == 0 ? 0xffff : checksum);
    return udp;
}

ByteVector build_tcp(const util::Endpoint& src, const util::Endpoint& dst, std::uint32_t seq, std::uint32_t ack,
                     std::uint8_t flags, util::Bytes payload) {
    ByteWriter w;
    w.u16(src.port).u16(dst.port).u32(seq).u32(ack).u8(5 << 4).u8(flags).u16(65535).u16(0).u16(0).bytes(payload);
    ByteVector tcp = w.take();
    put16(tcp, 16, internet_checksum(tcp, pseudo_header_sum(src.address, dst.address, k_proto_tcp, tcp.size())));
    return tcp;
}

std::vector<ByteVector> build_ip_frames(const Framing& framing, const util::IpAddress& src, const util::IpAddress& dst,
                                        std::uint8_t protocol, util::Bytes transport, std::uint32_t ip_id) {
    const bool ipv6 = !src.is_v4();
    const std::size_t header = ipv6 ? 40 : 20;
    std::vector<ByteVector> frames;
    if (header + transport.size() <= framing.mtu) {
        const ByteVector ip = ipv6 ? ipv6_header(src, dst, protocol, framing.ttl, transport.size())
                                   : ipv4_header(src, dst, protocol, framing.ttl, ip_id, transport.size(), 0, false);
        frames.push_back(frame_of(framing, ipv6, ip, transport));
        return frames;
    }
    // Fragment payload sizes are multiples of 8 (RFC 791, RFC 8200 section 4.5).
    const std::size_t room = ((framing.mtu - header - (ipv6 ? 8 : 0)) / 8) * 8;
    for (std::size_t offset = 0; offset < transport.size(); offset += room) {
        const std::size_t length = std::min(room, transport.size() - offset);
        const bool more = offset + length < transport.size();
        const util::Bytes part = transport.subspan(offset, length);
        if (ipv6) {
            ByteWriter w;
            w.bytes(ipv6_header(src, dst, 44, framing.ttl, 8 + length));
            w.u8(protocol).u8(0).u16(static_cast<std::uint16_t>(offset | (more ? 1 : 0))).u32(ip_id);
            frames.push_back(frame_of(framing, true, w.take(), part));
        } else {
            frames.push_back(frame_of(
                framing, false,
                ipv4_header(src, dst, protocol, framing.ttl, ip_id, length, static_cast<std::uint32_t>(offset), more),
                part));
        }
    }
    return frames;
}

}  // namespace zaudit::gen
