#pragma once
/// \file What a UDP payload is, decided the way endpoints decide it (RFC 7983, RFC 9443).

#include <cstdint>

#include "zaudit/util/byte_reader.hpp"

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

}  // namespace zaudit::demux
