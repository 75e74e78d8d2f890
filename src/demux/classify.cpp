#include "zaudit/demux/classify.hpp"

#include "zaudit/sip/message.hpp"

namespace zaudit::demux {

const char* to_string(PayloadKind kind) {
    switch (kind) {
        case PayloadKind::unknown: return "unknown";
        case PayloadKind::stun: return "stun";
        case PayloadKind::zrtp: return "zrtp";
        case PayloadKind::dtls: return "dtls";
        case PayloadKind::turn_channel: return "turn_channel";
        case PayloadKind::rtp: return "rtp";
        case PayloadKind::rtcp: return "rtcp";
        case PayloadKind::sip: return "sip";
        case PayloadKind::tls: return "tls";
        case PayloadKind::count_: break;
    }
    return "unknown";
}

PayloadKind classify(util::Bytes payload) {
    if (payload.empty()) {
        return PayloadKind::unknown;
    }
    const std::uint8_t first = payload[0];
    // RFC 7983 section 7 / RFC 9443 section 3: the first byte's range names the protocol.
    if (first >= 128 && first <= 191) {
        if (payload.size() < 12) {
            return PayloadKind::unknown;
        }
        const std::uint8_t second = payload[1];
        return (second >= 192 && second <= 223) ? PayloadKind::rtcp : PayloadKind::rtp;
    }
    if (first <= 3) {
        return PayloadKind::stun;
    }
    if (first >= 16 && first <= 19) {
        return PayloadKind::zrtp;
    }
    if (first >= 20 && first <= 63) {
        // TLS records share the DTLS range: content type 20-23 then version 3.x (TLS) or
        // 254.x (DTLS).
        return (payload.size() >= 3 && payload[1] == 3) ? PayloadKind::tls : PayloadKind::dtls;
    }
    // SIP methods start with capitals, some of which ('A'-'O') fall in TURN's channel range:
    // the start line decides first.
    if (sip::looks_like_sip(payload)) {
        return PayloadKind::sip;
    }
    if (first >= 64 && first <= 79) {
        return PayloadKind::turn_channel;
    }
    return PayloadKind::unknown;
}

}  // namespace zaudit::demux
