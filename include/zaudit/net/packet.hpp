#pragma once
/// \file A decoded packet: the transport payload with the facts of the layers below it.

#include <cstdint>

#include "zaudit/util/address.hpp"
#include "zaudit/util/byte_reader.hpp"
#include "zaudit/util/timestamp.hpp"

namespace zaudit::net {

enum class Transport : std::uint8_t { udp = 17, tcp = 6 };

/// TCP flag bits as on the wire (RFC 9293 section 3.1).
namespace tcp_flag {
constexpr std::uint8_t fin = 0x01;
constexpr std::uint8_t syn = 0x02;
constexpr std::uint8_t rst = 0x04;
constexpr std::uint8_t ack = 0x10;
}  // namespace tcp_flag

/// A UDP datagram or TCP segment. `payload` views the frame, or the defragmenter's buffer for
/// a reassembled datagram; either way it is valid until the next decode.
struct Packet {
    std::uint64_t frame = 0;  ///< number of the frame that carried (or completed) it
    util::Timestamp time;
    util::Endpoint src;
    util::Endpoint dst;
    Transport transport = Transport::udp;
    std::uint8_t ttl = 0;  ///< IPv4 TTL or IPv6 hop limit
    bool ipv6 = false;
    bool reassembled = false;        ///< rebuilt from IP fragments
    bool payload_truncated = false;  ///< the capture's snap length cut the payload
    util::Bytes payload;
    std::uint32_t tcp_seq = 0;
    std::uint8_t tcp_flags = 0;
};

}  // namespace zaudit::net
