#include "zaudit/net/decoder.hpp"

#include <memory>

namespace zaudit::net {
namespace {

constexpr std::uint16_t k_ethertype_ipv4 = 0x0800;
constexpr std::uint16_t k_ethertype_ipv6 = 0x86dd;
constexpr std::uint16_t k_ethertype_vlan = 0x8100;  // IEEE 802.1Q
constexpr std::uint16_t k_ethertype_qinq = 0x88a8;  // IEEE 802.1ad
constexpr std::uint16_t k_ethertype_qinq_old = 0x9100;
constexpr std::uint16_t k_ethertype_mpls = 0x8847;  // RFC 3032
constexpr std::uint16_t k_ethertype_mpls_multicast = 0x8848;
constexpr std::uint16_t k_ethertype_pppoe_session = 0x8864;     // RFC 2516
constexpr std::uint16_t k_ethertype_bridged_ethernet = 0x6558;  // GRE's "transparent Ethernet bridging"
constexpr std::uint16_t k_ethertype_erspan = 0x88be;            // ERSPAN types I and II
constexpr std::uint16_t k_ethertype_erspan3 = 0x22eb;           // ERSPAN type III
constexpr std::uint16_t k_ppp_ipv4 = 0x0021;
constexpr std::uint16_t k_ppp_ipv6 = 0x0057;
constexpr std::uint8_t k_proto_ipv4_in_ip = 4;  // RFC 2003
constexpr std::uint8_t k_proto_tcp = 6;
constexpr std::uint8_t k_proto_udp = 17;
constexpr std::uint8_t k_proto_ipv6_in_ip = 41;  // RFC 4213
constexpr std::uint8_t k_proto_gre = 47;         // RFC 2784, RFC 2890
constexpr std::uint16_t k_port_vxlan = 4789;     // RFC 7348
/// Encapsulations entered per frame at most: a mirror's ERSPAN around a VLAN's VXLAN is two;
/// the bound stops a crafted frame from nesting without end.
constexpr int k_max_encapsulations = 4;
constexpr int k_max_mpls_labels = 16;

/// RFC 7348: flags with only the I bit (a valid VNI) set, reserved bytes zero, and room for an
/// Ethernet header. RTP's first byte (version 2) is never 0x08, nor are STUN's, DTLS's or SIP's.
bool is_vxlan(util::Bytes payload) {
    constexpr std::size_t k_header = 8;
    constexpr std::size_t k_ethernet = 14;
    return payload.size() >= k_header + k_ethernet && payload[0] == 0x08 && payload[1] == 0 && payload[2] == 0 &&
           payload[3] == 0 && payload[7] == 0;
}

/// Address families in DLT_NULL / DLT_LOOP headers: Linux, and the BSDs' three values for IPv6.
bool is_inet6_family(std::uint32_t family) {
    return family == 10 || family == 24 || family == 28 || family == 30;
}

}  // namespace

const char* to_string(DecodeStatus status) {
    switch (status) {
        case DecodeStatus::ok: return "ok";
        case DecodeStatus::not_ip: return "not_ip";
        case DecodeStatus::other_transport: return "other_transport";
        case DecodeStatus::fragment_pending: return "fragment_pending";
        case DecodeStatus::truncated: return "truncated";
        case DecodeStatus::malformed: return "malformed";
        case DecodeStatus::count_: break;
    }
    return "unknown";
}

DecodeStatus Decoder::decode(const capture::Frame& frame, Packet& out) {
    // Built in place: `out = Packet{}` zeroed a temporary on the stack, stored its transport byte
    // and copied it out with 16-byte loads, which cannot take their bytes from those narrower
    // stores still in flight (a failed store-to-load forward) and stall, on every frame. With the
    // ByteReader copies below, 13 ns a frame (bench/README.md).
    std::construct_at(&out);
    out.frame = frame.number;
    out.time = frame.time;
    m_encapsulations = 0;
    const DecodeStatus status = decode_link(frame, out);
    ++m_stats.by_status[static_cast<std::size_t>(status)];
    return status;
}

DecodeStatus Decoder::decode_link(const capture::Frame& frame, Packet& out) {
    using capture::LinkType;
    util::ByteReader link{frame.data};
    std::uint16_t ethertype = 0;
    switch (static_cast<LinkType>(frame.link_type)) {
        case LinkType::ethernet: return decode_ethernet(frame.data, out);
        case LinkType::linux_sll:  // packet type, ARPHRD, address length, 8-byte address, protocol
            link.skip(14);
            ethertype = link.u16be();
            break;
        case LinkType::linux_sll2:  // protocol, reserved, ifindex, ARPHRD, type, addr len, address
            ethertype = link.u16be();
            link.skip(18);
            break;
        case LinkType::null_bsd:
        case LinkType::loop: {
            // DLT_NULL stores the family in the writer's byte order, DLT_LOOP in network order;
            // families are small numbers, so the order that gives a small value is the writer's.
            const std::uint32_t be = link.u32be();
            const std::uint32_t le = (be >> 24) | ((be >> 8) & 0xff00) | ((be << 8) & 0xff0000) | (be << 24);
            const std::uint32_t family = be < 256 ? be : le;
            ethertype = family == 2 ? k_ethertype_ipv4 : is_inet6_family(family) ? k_ethertype_ipv6 : 0;
            break;
        }
        case LinkType::raw_ip:
        case LinkType::raw_ip_14: ethertype = (link.peek_u8() >> 4) == 6 ? k_ethertype_ipv6 : k_ethertype_ipv4; break;
        case LinkType::ipv4: ethertype = k_ethertype_ipv4; break;
        case LinkType::ipv6: ethertype = k_ethertype_ipv6; break;
    }
    return decode_ethertype(ethertype, link, out);
}

DecodeStatus Decoder::decode_ethernet(util::Bytes frame, Packet& out) {
    util::ByteReader link{frame};
    link.skip(12);  // destination and source MAC
    std::uint16_t ethertype = link.u16be();
    // Ethernet header layout: IEEE 802.3; tags: 802.1Q (TPID 0x8100), QinQ 802.1ad (0x88a8).
    while (link &&
           (ethertype == k_ethertype_vlan || ethertype == k_ethertype_qinq || ethertype == k_ethertype_qinq_old)) {
        ++m_stats.vlan_tagged;
        link.skip(2);  // TCI: priority, DEI, VLAN id
        ethertype = link.u16be();
    }
    if (ethertype == k_ethertype_ipv4 && link) {  // most frames: no detour through the other types
        return decode_ipv4(link.rest(), out);
    }
    return decode_ethertype(ethertype, link, out);
}

DecodeStatus Decoder::decode_ethertype(std::uint16_t ethertype, util::ByteReader& rest, Packet& out) {
    if (!rest) {
        return DecodeStatus::truncated;
    }
    switch (ethertype) {
        case k_ethertype_ipv4: return decode_ipv4(rest.rest(), out);
        case k_ethertype_ipv6: ++m_stats.ipv6; return decode_ipv6(rest.rest(), out);
        case k_ethertype_mpls:
        case k_ethertype_mpls_multicast: return enter_encapsulation() ? decode_mpls(rest, out) : DecodeStatus::not_ip;
        case k_ethertype_pppoe_session: return enter_encapsulation() ? decode_pppoe(rest, out) : DecodeStatus::not_ip;
        default: return DecodeStatus::not_ip;
    }
}

bool Decoder::enter_encapsulation() {
    if (m_encapsulations >= k_max_encapsulations) {
        return false;
    }
    if (m_encapsulations++ == 0) {
        ++m_stats.encapsulated;
    }
    return true;
}

/*  MPLS label stack entries, RFC 3032 section 2.1, until the one with S (bottom of stack) set:
    |                Label                  | TC  |S|       TTL     |
    What follows the stack is not named in it: the first nibble tells IPv4 (4), IPv6 (6) or the
    control word of an Ethernet pseudowire (0000, RFC 4385) before its frame (RFC 4448).  */
DecodeStatus Decoder::decode_mpls(util::ByteReader& mpls, Packet& out) {
    for (int labels = 0; labels < k_max_mpls_labels; ++labels) {
        const std::uint32_t entry = mpls.u32be();
        if (!mpls) {
            return DecodeStatus::truncated;
        }
        if ((entry & 0x100U) == 0) {
            continue;
        }
        switch (mpls.peek_u8() >> 4) {
            case 4: return decode_ethertype(k_ethertype_ipv4, mpls, out);
            case 6: return decode_ethertype(k_ethertype_ipv6, mpls, out);
            case 0: mpls.skip(4); return decode_ethernet(mpls.rest(), out);
            default: return DecodeStatus::not_ip;
        }
    }
    return DecodeStatus::malformed;
}

/*  PPPoE session stage, RFC 2516 section 4: version and type (1, 1), code 0, session id,
    length; then PPP's protocol field (RFC 1661 section 2): 0x0021 IPv4, 0x0057 IPv6, or one
    byte where protocol field compression was agreed (a protocol's low byte is odd, its high
    byte even, so an odd first byte is the whole field).  */
DecodeStatus Decoder::decode_pppoe(util::ByteReader& pppoe, Packet& out) {
    const std::uint8_t version_type = pppoe.u8();
    const std::uint8_t code = pppoe.u8();
    pppoe.skip(4);  // session id, length
    const std::uint8_t first = pppoe.u8();
    const std::uint16_t protocol = (first & 1U) != 0 ? first : static_cast<std::uint16_t>((first << 8U) | pppoe.u8());
    if (!pppoe) {
        return DecodeStatus::truncated;
    }
    if (version_type != 0x11 || code != 0) {
        return DecodeStatus::malformed;
    }
    if (protocol == k_ppp_ipv4) {
        return decode_ethertype(k_ethertype_ipv4, pppoe, out);
    }
    if (protocol == k_ppp_ipv6) {
        return decode_ethertype(k_ethertype_ipv6, pppoe, out);
    }
    return DecodeStatus::not_ip;  // LCP, IPCP and the rest of PPP's control
}

/*  GRE, RFC 2784 with RFC 2890's key and sequence number:
    |C|R|K|S|s|Recur|  Flags  | Ver |         Protocol Type         |
    |      Checksum (if C)          |       Offset (if C or R)      |
    |                         Key (if K)                            |
    |                   Sequence Number (if S)                      |
    Then what the protocol type names: IP, MPLS, an Ethernet frame (bridged), or a port
    mirror's ERSPAN header and the mirrored frame (type I: no header, type II: 8 bytes and
    version 1, type III: 12 bytes, version 2, and 8 more when its O bit is set).  */
DecodeStatus Decoder::decode_gre(util::ByteReader& gre, Packet& out) {
    const std::uint8_t flags = gre.u8();
    const std::uint8_t version = gre.u8() & 0x07U;
    const std::uint16_t protocol = gre.u16be();
    if (!gre) {
        return DecodeStatus::truncated;
    }
    // Version 1 is PPTP's enhanced GRE, which carries PPP; R is RFC 1701's source routing.
    if (version != 0 || (flags & 0x40U) != 0) {
        return DecodeStatus::other_transport;
    }
    const bool sequenced = (flags & 0x10U) != 0;
    gre.skip(((flags & 0x80U) != 0 ? 4 : 0) + ((flags & 0x20U) != 0 ? 4 : 0) + (sequenced ? 4 : 0));
    if (!gre) {
        return DecodeStatus::truncated;
    }
    switch (protocol) {
        case k_ethertype_bridged_ethernet: return decode_ethernet(gre.rest(), out);
        case k_ethertype_erspan:
            if (sequenced) {
                if (gre.peek_u8() >> 4 != 1) {
                    return DecodeStatus::not_ip;
                }
                gre.skip(8);
            }
            return decode_ethernet(gre.rest(), out);
        case k_ethertype_erspan3: {
            if (gre.peek_u8() >> 4 != 2) {
                return DecodeStatus::not_ip;
            }
            const util::Bytes header = gre.bytes(12);
            if (!gre) {
                return DecodeStatus::truncated;
            }
            if ((header[11] & 0x01U) != 0) {
                gre.skip(8);  // the platform-specific subheader
            }
            return decode_ethernet(gre.rest(), out);
        }
        default: return decode_ethertype(protocol, gre, out);
    }
}

/*  IPv4 header, RFC 791 section 3.1
    0                   1                   2                   3
    |Version|  IHL  |Type of Service|          Total Length         |
    |         Identification        |Flags|      Fragment Offset    |
    |  Time to Live |    Protocol   |         Header Checksum       |
    |                       Source Address                          |
    |                    Destination Address                        |
    |                    Options (IHL > 5)                          |   */
DecodeStatus Decoder::decode_ipv4(util::Bytes datagram, Packet& out) {
    util::ByteReader ip{datagram};
    const std::size_t available = ip.remaining();
    // The fixed 20 bytes in one bounds check: every packet of a capture passes here.
    const util::Bytes fixed = ip.bytes(20);
    if (!ip) {
        return DecodeStatus::truncated;
    }
    const auto be16 = [&](std::size_t at) { return static_cast<std::uint16_t>((fixed[at] << 8) | fixed[at + 1]); };
    const std::uint8_t version_ihl = fixed[0];
    const std::uint16_t total_length = be16(2);
    const std::uint16_t id = be16(4);
    const std::uint16_t flags_offset = be16(6);
    out.ttl = fixed[8];
    const std::uint8_t protocol = fixed[9];
    const util::Bytes src = fixed.subspan(12, 4);
    const util::Bytes dst = fixed.subspan(16, 4);
    const std::size_t header_length = std::size_t{version_ihl & 0x0fu} * 4;
    if ((version_ihl >> 4) != 4 || header_length < 20 || total_length < header_length) {
        return DecodeStatus::malformed;
    }
    if (available < header_length) {
        return DecodeStatus::truncated;
    }
    ip.skip(header_length - 20);
    out.ipv6 = false;  // an IPv4 packet inside an IPv6 tunnel
    out.src.address = util::IpAddress::v4_bytes(src.data());
    out.dst.address = util::IpAddress::v4_bytes(dst.data());
    // Trim Ethernet padding by the IP total length; a shorter capture is a snap-length cut.
    const std::size_t payload_length = total_length - header_length;
    const bool cut_short = ip.remaining() < payload_length;
    const util::Bytes payload = ip.bytes(cut_short ? ip.remaining() : payload_length);

    const bool more_fragments = (flags_offset & 0x2000) != 0;
    const std::uint32_t offset = std::uint32_t{flags_offset & 0x1fffu} * 8;
    if (more_fragments || offset != 0) {
        if (cut_short) {
            return DecodeStatus::truncated;
        }
        const Fragment fragment{out.src.address, out.dst.address, id, protocol, false, offset, more_fragments, payload};
        const auto whole = m_defragmenter.add(fragment, out.time);
        if (!whole) {
            return DecodeStatus::fragment_pending;
        }
        out.reassembled = true;
        return decode_transport(protocol, *whole, false, out);
    }
    return decode_transport(protocol, payload, cut_short, out);
}

/*  IPv6 header, RFC 8200 section 3, then extension headers (section 4) until a transport.
    |Version| Traffic Class |           Flow Label                  |
    |         Payload Length        |  Next Header  |   Hop Limit   |
    |              Source Address (128)  |  Destination Address (128)  */
DecodeStatus Decoder::decode_ipv6(util::Bytes datagram, Packet& out) {
    util::ByteReader ip{datagram};
    const std::uint8_t version = static_cast<std::uint8_t>(ip.u8() >> 4);
    ip.skip(3);
    const std::uint16_t payload_length = ip.u16be();
    std::uint8_t next_header = ip.u8();
    out.ttl = ip.u8();
    const util::Bytes src = ip.bytes(16);
    const util::Bytes dst = ip.bytes(16);
    if (!ip) {
        return DecodeStatus::truncated;
    }
    if (version != 6) {
        return DecodeStatus::malformed;
    }
    out.ipv6 = true;
    out.src.address = util::IpAddress::v6_bytes(src.data());
    out.dst.address = util::IpAddress::v6_bytes(dst.data());
    const bool cut_short = ip.remaining() < payload_length;
    util::ByteReader body{ip.bytes(cut_short ? ip.remaining() : payload_length)};

    std::optional<Fragment> fragment;
    for (int hops = 0; hops < 16; ++hops) {  // a bound against hostile header chains
        switch (next_header) {
            case 0:      // Hop-by-Hop Options
            case 43:     // Routing
            case 60:     // Destination Options
            case 135: {  // Mobility
                const std::uint8_t following = body.u8();
                const std::size_t length = (std::size_t{body.u8()} + 1) * 8;
                body.skip(length - 2);
                next_header = following;
                break;
            }
            case 51: {  // Authentication Header: length in 4-byte units minus 2 (RFC 4302)
                const std::uint8_t following = body.u8();
                const std::size_t length = (std::size_t{body.u8()} + 2) * 4;
                body.skip(length - 2);
                next_header = following;
                break;
            }
            case 44: {  // Fragment header (RFC 8200 section 4.5)
                const std::uint8_t following = body.u8();
                body.skip(1);
                const std::uint16_t offset_flags = body.u16be();
                const std::uint32_t id = body.u32be();
                fragment = Fragment{out.src.address,
                                    out.dst.address,
                                    id,
                                    following,
                                    true,
                                    std::uint32_t{offset_flags & 0xfff8u},
                                    (offset_flags & 1) != 0,
                                    {}};
                next_header = following;
                break;
            }
            default: {
                if (!body) {
                    return DecodeStatus::truncated;
                }
                if (fragment && (fragment->more_fragments || fragment->offset != 0)) {
                    if (cut_short) {
                        return DecodeStatus::truncated;
                    }
                    fragment->data = body.rest();
                    const auto whole = m_defragmenter.add(*fragment, out.time);
                    if (!whole) {
                        return DecodeStatus::fragment_pending;
                    }
                    out.reassembled = true;
                    return decode_transport(next_header, *whole, false, out);
                }
                return decode_transport(next_header, body.rest(), cut_short, out);
            }
        }
        if (!body) {
            return DecodeStatus::truncated;
        }
    }
    return DecodeStatus::malformed;
}

DecodeStatus Decoder::decode_transport(std::uint8_t protocol, util::Bytes segment, bool cut_short, Packet& out) {
    util::ByteReader l4{segment};
    if (protocol == k_proto_udp) {
        // UDP header, RFC 768: source port, destination port, length, checksum.
        out.transport = Transport::udp;
        out.src.port = l4.u16be();
        out.dst.port = l4.u16be();
        const std::uint16_t length = l4.u16be();
        l4.skip(2);
        if (!l4) {
            return DecodeStatus::truncated;
        }
        // length 0 is legal for IPv6 jumbograms only; treat anything shorter than the header
        // as malformed, and trust the IP length when UDP's claims more than is there.
        if (length != 0 && length < 8) {
            return DecodeStatus::malformed;
        }
        const std::size_t declared = length == 0 ? l4.remaining() : std::size_t{length} - 8;
        out.payload_truncated = cut_short || declared > l4.remaining();
        out.payload = l4.bytes(out.payload_truncated ? l4.remaining() : declared);
        if (out.dst.port == k_port_vxlan && is_vxlan(out.payload) && enter_encapsulation()) {
            util::ByteReader vxlan{out.payload};
            vxlan.skip(8);  // flags, VNI
            return decode_ethernet(vxlan.rest(), out);
        }
        return DecodeStatus::ok;
    }
    if (protocol == k_proto_tcp) {
        // TCP header, RFC 9293 section 3.1: ports, seq, ack, data offset, flags, window, ...
        out.transport = Transport::tcp;
        out.src.port = l4.u16be();
        out.dst.port = l4.u16be();
        out.tcp_seq = l4.u32be();
        l4.skip(4);
        const std::uint8_t data_offset = static_cast<std::uint8_t>(l4.u8() >> 4);
        out.tcp_flags = l4.u8();
        l4.skip(6);
        if (!l4) {
            return DecodeStatus::truncated;
        }
        if (data_offset < 5) {
            return DecodeStatus::malformed;
        }
        l4.skip(std::size_t{data_offset} * 4 - 20);
        if (!l4) {
            return DecodeStatus::truncated;
        }
        out.payload_truncated = cut_short;
        out.payload = l4.rest();
        return DecodeStatus::ok;
    }
    switch (protocol) {
        case k_proto_gre: return enter_encapsulation() ? decode_gre(l4, out) : DecodeStatus::other_transport;
        case k_proto_ipv4_in_ip:
            return enter_encapsulation() ? decode_ethertype(k_ethertype_ipv4, l4, out) : DecodeStatus::other_transport;
        case k_proto_ipv6_in_ip:
            return enter_encapsulation() ? decode_ethertype(k_ethertype_ipv6, l4, out) : DecodeStatus::other_transport;
        default: return DecodeStatus::other_transport;
    }
}

}  // namespace zaudit::net
