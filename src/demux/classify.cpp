#include "zaudit/demux/classify.hpp"

#include <charconv>

#include <fmt/format.h>

#include "zaudit/demux/protocols.hpp"
#include "zaudit/iax2/frame.hpp"
#include "zaudit/sip/message.hpp"
#include "zaudit/zrtp/message.hpp"

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
        case PayloadKind::dns: return "dns";
        case PayloadKind::quic: return "quic";
        case PayloadKind::wireguard: return "wireguard";
        case PayloadKind::openvpn: return "openvpn";
        case PayloadKind::iax2: return "iax2";
        case PayloadKind::count_: break;
    }
    return "unknown";
}

PayloadKind classify(util::Bytes payload) {
    if (payload.empty()) {
        return PayloadKind::unknown;
    }
    const std::uint8_t first = payload[0];
    // RFC 7983 section 7 / RFC 9443 section 3: the first byte's range names the protocol, and
    // each protocol's header must then agree: a quarter of all random datagrams start with
    // 128-191, and one in five with 20-63.
    if (first >= 128 && first <= 191) {
        if (payload.size() < 12) {
            return PayloadKind::unknown;
        }
        // RFC 5761 section 4: 192-223 in the second byte is RTCP's (a marker bit and RTP
        // payload type 64-95 are never used). Of those, SR to XR (200-207) are the packet
        // types in use, and the first packet's length in words must fit in the datagram (SRTCP
        // appends its index and tag after it).
        const std::uint8_t second = payload[1];
        if (second >= 192 && second <= 223) {
            constexpr std::uint8_t k_first_rtcp = 200;
            constexpr std::uint8_t k_last_rtcp = 207;
            const std::size_t length = ((std::size_t{payload[2]} << 8) | payload[3]) + 1;
            return second >= k_first_rtcp && second <= k_last_rtcp && length * 4 <= payload.size()
                       ? PayloadKind::rtcp
                       : PayloadKind::unknown;
        }
        return PayloadKind::rtp;
    }
    if (first <= 3 && looks_like_stun(payload)) {
        return PayloadKind::stun;
    }
    // WireGuard's types 1-4 share STUN's first bytes, but not its length rule.
    if (first <= 4 && wireguard_message(payload)) {
        return PayloadKind::wireguard;
    }
    if (first >= 16 && first <= 19) {
        return zrtp::looks_like_zrtp(payload) ? PayloadKind::zrtp : PayloadKind::unknown;
    }
    if (first >= 20 && first <= 63) {
        // TLS records share the DTLS range: content type 20-23 then version 3.x (TLS) or
        // 254.x (DTLS).
        if (payload.size() >= 3 && payload[1] == 3) {
            return PayloadKind::tls;
        }
        return looks_like_dtls_record(payload) ? PayloadKind::dtls : PayloadKind::unknown;
    }
    // SIP methods start with capitals, some of which ('A'-'O') fall in TURN's channel range:
    // the start line decides first.
    if (sip::looks_like_sip(payload)) {
        return PayloadKind::sip;
    }
    if (first >= 64 && first <= 79 && looks_like_turn_channel(payload)) {
        return PayloadKind::turn_channel;
    }
    if (first >= 192 && looks_like_quic_long_header(payload)) {
        return PayloadKind::quic;
    }
    return PayloadKind::unknown;
}

util::Expected<DecodeAs> parse_decode_as(std::string_view text) {
    const auto bad = [&](std::string_view why) {
        return util::Error{fmt::format("--decode-as '{}': {} (expected udp:PORT=sip|rtp|zrtp|iax2)", text, why)};
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
    } else if (protocol == "iax2") {
        rule.kind = PayloadKind::iax2;  // a trunk or peer on another port than 4569
    } else {
        return bad("unknown protocol");
    }
    return rule;
}

namespace {

/// The user's rule for the datagram's ports, if one names either.
const DecodeAs* rule_for(const std::vector<DecodeAs>& rules, std::uint16_t src_port, std::uint16_t dst_port) {
    for (const DecodeAs& rule : rules) {
        if (rule.port == src_port || rule.port == dst_port) {
            return &rule;
        }
    }
    return nullptr;
}

constexpr std::uint16_t k_dns_port = 53;
constexpr std::uint16_t k_mdns_port = 5353;

bool is_dns_port(std::uint16_t src_port, std::uint16_t dst_port) {
    return src_port == k_dns_port || dst_port == k_dns_port || src_port == k_mdns_port || dst_port == k_mdns_port;
}

bool is_iax2_port(std::uint16_t src_port, std::uint16_t dst_port) {
    return src_port == iax2::k_port || dst_port == iax2::k_port;
}

/// Ports on which classify_udp looks at more than the payload: DNS's and IAX2's.
bool claimed_by_port(std::uint16_t src_port, std::uint16_t dst_port) {
    return is_dns_port(src_port, dst_port) || is_iax2_port(src_port, dst_port);
}

}  // namespace

PayloadKind classify_udp(const std::vector<DecodeAs>& rules, std::uint16_t src_port, std::uint16_t dst_port,
                         util::Bytes payload) {
    if (const DecodeAs* rule = rule_for(rules, src_port, dst_port)) {
        if (rule->kind == PayloadKind::rtp && payload.size() >= 2 && payload[1] >= 192 && payload[1] <= 223) {
            return PayloadKind::rtcp;
        }
        return rule->kind;
    }
    if (is_dns_port(src_port, dst_port) && looks_like_dns(payload)) {
        return PayloadKind::dns;
    }
    const PayloadKind kind = classify(payload);
    // On IAX2's port, STUN only by RFC 3489's rules is a mini frame (tests/interop/iax2-iaxmodem.pcap
    // frame 26: call 2, timestamp 144, 164 bytes).
    const bool iax2_port = is_iax2_port(src_port, dst_port);
    const bool stun = kind == PayloadKind::stun && looks_like_modern_stun(payload);
    if (iax2_port && kind != PayloadKind::sip && !stun && kind != PayloadKind::zrtp && iax2::looks_like_iax2(payload)) {
        return PayloadKind::iax2;
    }
    // TLS runs over TCP only: in a datagram those bytes are no TLS record.
    return kind == PayloadKind::tls ? PayloadKind::unknown : kind;
}

FlowDemux::Verdict FlowDemux::classify(const std::vector<DecodeAs>& rules, std::uint16_t src_port,
                                       std::uint16_t dst_port, bool from_a, util::Bytes payload) {
    const bool first_of_direction = !m_seen[from_a ? 0 : 1];
    m_seen[from_a ? 0 : 1] = true;
    // Most packets of a capture: RTP or RTCP on a flow shown not to be OpenVPN, on ports that no
    // rule and no port-bound protocol (DNS, IAX2) claim. There the first byte's range (128-191)
    // decides alone, as the whole path below would, at a fraction of its cost.
    if (m_openvpn == OpenVpn::refuted && rules.empty() && !payload.empty() && payload[0] >= 128 && payload[0] <= 191 &&
        !claimed_by_port(src_port, dst_port)) {
        return {demux::classify(payload)};
    }
    if (rule_for(rules, src_port, dst_port) != nullptr) {
        return {classify_udp(rules, src_port, dst_port, payload)};
    }
    if (m_openvpn == OpenVpn::confirmed && openvpn_header(payload)) {
        return {PayloadKind::openvpn};
    }
    PayloadKind kind = classify_udp(rules, src_port, dst_port, payload);
    if (kind == PayloadKind::unknown && !payload.empty()) {
        const std::uint8_t first = payload[0];
        if (m_quic && looks_like_quic_short_header(payload)) {
            kind = PayloadKind::quic;
        } else if (m_dtls && first >= 0x20 && first <= 0x3F) {
            kind = PayloadKind::dtls;  // RFC 9147 section 4: 0b001CSLEE, after the handshake's records
        }
    } else if (kind == PayloadKind::turn_channel && m_quic && looks_like_quic_short_header(payload)) {
        kind = PayloadKind::quic;  // on a QUIC flow the short header wins the shared range 64-79
    }
    m_quic = m_quic || kind == PayloadKind::quic;
    m_dtls = m_dtls || kind == PayloadKind::dtls;
    if (follow_openvpn(first_of_direction, from_a, kind, payload)) {
        return {PayloadKind::openvpn, m_openvpn_waiting};
    }
    return {kind};
}

bool FlowDemux::follow_openvpn(bool first_of_direction, bool from_a, PayloadKind kind, util::Bytes payload) {
    switch (m_openvpn) {
        case OpenVpn::undecided:
            // The client speaks first; its first packet is its hard reset (P_CONTROL_HARD_RESET_CLIENT_V2/V3).
            m_openvpn = from_a && first_of_direction && kind == PayloadKind::unknown && is_openvpn_client_reset(payload)
                            ? OpenVpn::client_reset
                            : OpenVpn::refuted;
            m_openvpn_waiting = m_openvpn == OpenVpn::client_reset ? 1 : 0;
            return false;
        case OpenVpn::client_reset:
            if (from_a) {
                // Retransmitted resets, and whatever else the client sends before the answer.
                if (kind == PayloadKind::unknown && openvpn_header(payload)) {
                    ++m_openvpn_waiting;
                }
                return false;
            }
            m_openvpn = first_of_direction && is_openvpn_server_reset(payload) ? OpenVpn::confirmed : OpenVpn::refuted;
            return m_openvpn == OpenVpn::confirmed;
        case OpenVpn::confirmed:
        case OpenVpn::refuted: break;
    }
    return false;
}

}  // namespace zaudit::demux
