#include "zaudit/demux/classify.hpp"

#include <charconv>

#include <fmt/format.h>

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

util::Expected<DecodeAs> parse_decode_as(std::string_view text) {
    const auto bad = [&](std::string_view why) {
        return util::Error{fmt::format("--decode-as '{}': {} (expected udp:PORT=sip|rtp|zrtp)", text, why)};
    };
    constexpr std::string_view k_udp = "udp:";
    if (text.substr(0, k_udp.size()) != k_udp) {
        return bad("only udp ports can be decoded as another protocol");
    }
    const std::string_view rest = text.substr(k_udp.size());
    const auto equals = rest.find('=');
    if (equals == std::string_view::npos) {
        return bad("no '=' before the protocol");
    }
    const std::string_view port_text = rest.substr(0, equals);
    unsigned port = 0;
    const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || error != std::errc{} || end != port_text.data() + port_text.size() || port == 0 ||
        port > 65535) {
        return bad("the port must be a number from 1 to 65535");
    }
    const std::string_view protocol = rest.substr(equals + 1);
    DecodeAs rule;
    rule.port = static_cast<std::uint16_t>(port);
    if (protocol == "sip") {
        rule.kind = PayloadKind::sip;
    } else if (protocol == "rtp") {
        rule.kind = PayloadKind::rtp;
    } else if (protocol == "zrtp") {
        rule.kind = PayloadKind::zrtp;
    } else {
        return bad("unknown protocol");
    }
    return rule;
}

PayloadKind classify_udp(const std::vector<DecodeAs>& rules, std::uint16_t src_port, std::uint16_t dst_port,
                         util::Bytes payload) {
    for (const DecodeAs& rule : rules) {
        if (rule.port != src_port && rule.port != dst_port) {
            continue;
        }
        if (rule.kind == PayloadKind::rtp && payload.size() >= 2 && payload[1] >= 192 && payload[1] <= 223) {
            return PayloadKind::rtcp;
        }
        return rule.kind;
    }
    return classify(payload);
}

}  // namespace zaudit::demux
