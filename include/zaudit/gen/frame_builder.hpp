#pragma once
/// \file Building frames byte by byte for generated captures: link layers, IPv4/IPv6 (with
/// fragments), UDP and TCP. Checksums are real so that tshark and Wireshark accept them.

#include <cstdint>
#include <vector>

#include "zaudit/util/address.hpp"
#include "zaudit/util/byte_reader.hpp"

namespace zaudit::gen {

using ByteVector = std::vector<std::uint8_t>;

/// Appends big-endian fields to a byte vector.
class ByteWriter {
public:
    ByteWriter& u8(std::uint8_t v) {
        m_out.push_back(v);
        return *this;
    }
    ByteWriter& u16(std::uint16_t v) { return u8(static_cast<std::uint8_t>(v >> 8)).u8(static_cast<std::uint8_t>(v)); }
    ByteWriter& u32(std::uint32_t v) {
        return u16(static_cast<std::uint16_t>(v >> 16)).u16(static_cast<std::uint16_t>(v));
    }
    ByteWriter& u64(std::uint64_t v) {
        return u32(static_cast<std::uint32_t>(v >> 32)).u32(static_cast<std::uint32_t>(v));
    }
    ByteWriter& bytes(util::Bytes b) {
        m_out.insert(m_out.end(), b.begin(), b.end());
        return *this;
    }
    ByteWriter& text(std::string_view s) { return bytes(util::as_bytes(s)); }
    ByteWriter& zeros(std::size_t n) {
        m_out.insert(m_out.end(), n, 0);
        return *this;
    }
    [[nodiscard]] std::size_t size() const { return m_out.size(); }
    ByteVector& out() { return m_out; }
    ByteVector take() { return std::move(m_out); }

private:
    ByteVector m_out;
};

/// How a packet travels: link layer and IP details.
struct Framing {
    int link_type = 1;                    ///< DLT: 1 Ethernet, 113 SLL, 276 SLL2, 12 raw, 0 null, 108 loop
    std::vector<std::uint16_t> vlan_ids;  ///< 802.1Q tags, outermost first (two = QinQ)
    std::uint8_t ttl = 64;
    std::size_t mtu = 1500;  ///< IP packets above it are fragmented
};

/// IP fragments (or one whole packet) carrying `transport` with protocol number `protocol`,
/// each wrapped in the link layer. `ip_id` is the IPv4 Identification / IPv6 fragment id.
std::vector<ByteVector> build_ip_frames(const Framing& framing, const util::IpAddress& src, const util::IpAddress& dst,
                                        std::uint8_t protocol, util::Bytes transport, std::uint32_t ip_id);

/// A UDP header and payload with the checksum over the pseudo-header (RFC 768, RFC 8200 8.1).
ByteVector build_udp(const util::Endpoint& src, const util::Endpoint& dst, util::Bytes payload);

/// A TCP segment (RFC 9293): no options, window 65535, real checksum.
ByteVector build_tcp(const util::Endpoint& src, const util::Endpoint& dst, std::uint32_t seq, std::uint32_t ack,
                     std::uint8_t flags, util::Bytes payload);

/// The Internet checksum (RFC 1071) of a pseudo-header sum plus data.
std::uint16_t internet_checksum(util::Bytes data, std::uint32_t initial_sum = 0);

}  // namespace zaudit::gen
