#pragma once
/// \file What a UDP payload is, decided the way endpoints decide it (RFC 7983, RFC 9443).

#include <cstdint>
#include <string_view>
#include <vector>

#include "zaudit/util/byte_reader.hpp"
#include "zaudit/util/expected.hpp"

namespace zaudit::demux {

enum class PayloadKind : std::uint8_t {
    unknown,
    stun,          ///< first byte 0-3 (RFC 7983 section 7)
    zrtp,          ///< 16-19
    dtls,          ///< 20-63
    turn_channel,  ///< 64-79 (RFC 9443)
    rtp,           ///< 128-191 with an RTP payload type
    rtcp,          ///< 128-191 with an RTCP packet type 192-223 in the second byte (RFC 5761 section 4)
    sip,           ///< a SIP start line
    tls,           ///< a TLS record (on TCP)
    count_
};

const char* to_string(PayloadKind kind);

/// Classifies one UDP payload (or the start of a TCP stream) by its first bytes.
PayloadKind classify(util::Bytes payload);

/// The user's `--decode-as udp:PORT=sip|rtp|zrtp`: every datagram from or to the port goes to
/// that protocol's parser, whatever its first bytes look like (as Wireshark's Decode As does).
struct DecodeAs {
    std::uint16_t port = 0;
    PayloadKind kind = PayloadKind::unknown;  ///< sip, rtp or zrtp
};

/// Parses one `udp:PORT=PROTOCOL` value; the error says what is wrong with it.
util::Expected<DecodeAs> parse_decode_as(std::string_view text);

/// classify() under the user's rules: a datagram whose source or destination port has a rule is
/// that protocol (for rtp: RTCP when multiplexed on the port, RFC 5761 section 4); the first
/// matching rule wins.
PayloadKind classify_udp(const std::vector<DecodeAs>& rules, std::uint16_t src_port, std::uint16_t dst_port,
                         util::Bytes payload);

}  // namespace zaudit::demux
