#pragma once
/// \file What a UDP payload is, decided the way endpoints decide it (RFC 7983, RFC 9443), and
/// what else it may be when it is no VoIP protocol (DNS, QUIC, WireGuard, OpenVPN): a flow zaudit
/// cannot audit is named, not guessed at.

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "zaudit/util/byte_reader.hpp"
#include "zaudit/util/expected.hpp"

namespace zaudit::demux {

enum class PayloadKind : std::uint8_t {
    unknown,
    stun,          ///< first byte 0-3 (RFC 7983 section 7) and a STUN header (protocols.hpp)
    zrtp,          ///< 16-19 and the 'ZRTP' magic cookie
    dtls,          ///< 20-63 and a DTLS record header (or DTLS 1.3's unified header on a DTLS flow)
    turn_channel,  ///< 64-79 (RFC 9443) and a ChannelData length that fits
    rtp,           ///< 128-191 with an RTP payload type
    rtcp,          ///< 128-191 with an RTCP packet type 192-223 in the second byte (RFC 5761 section 4)
    sip,           ///< a SIP start line
    tls,           ///< a TLS record (on TCP)
    dns,           ///< a DNS message to or from port 53 (or multicast DNS, 5353)
    quic,          ///< a QUIC long header, or a short one on a flow that carried a long one
    wireguard,     ///< a WireGuard message (types 1-4)
    openvpn,       ///< OpenVPN over UDP, on a flow that began with its client's and server's hard resets
    iax2,          ///< to or from UDP 4569, shaped as an IAX2 frame (RFC 5456), unless SIP, STUN or ZRTP
    count_
};

const char* to_string(PayloadKind kind);

/// Classifies one UDP payload (or the start of a TCP stream) by its first bytes: RFC 7983's
/// ranges, each confirmed by its protocol's header (STUN's length and cookie, ZRTP's cookie,
/// DTLS's version, a ChannelData length), then SIP, WireGuard and QUIC long headers. What none
/// of them claims is unknown. RTP is only "looks like RTP" here: the tracker wants a run of
/// packets before it believes it on a flow no SDP announced.
PayloadKind classify(util::Bytes payload);

/// The user's `--decode-as udp:PORT=sip|rtp|zrtp|iax2`: every datagram from or to the port goes to
/// that protocol's parser, whatever its first bytes look like (as Wireshark's Decode As does).
struct DecodeAs {
    std::uint16_t port = 0;
    PayloadKind kind = PayloadKind::unknown;  ///< sip, rtp, zrtp or iax2
};

/// Parses one `udp:PORT=PROTOCOL` value; the error says what is wrong with it.
util::Expected<DecodeAs> parse_decode_as(std::string_view text);

/// classify() under the user's rules: a datagram whose source or destination port has a rule is
/// that protocol (for rtp: RTCP when multiplexed on the port, RFC 5761 section 4); the first
/// matching rule wins. Without a rule, a DNS message to or from port 53 or 5353 is DNS before
/// anything else (its first byte is a random id, which may look like RTP). To or from IAX2's
/// port 4569, a datagram shaped as an IAX2 frame is IAX2 unless SIP, STUN or ZRTP (whose magic
/// values are strong) claims it: a plain full frame starts like RTP. IAX2 is known by its port
/// only (not by --decode-as).
PayloadKind classify_udp(const std::vector<DecodeAs>& rules, std::uint16_t src_port, std::uint16_t dst_port,
                         util::Bytes payload);

/// classify_udp() with what one UDP flow's earlier packets showed, for the kinds a packet alone
/// cannot prove: a QUIC short header (one byte of evidence) after a long header on the flow,
/// DTLS 1.3's unified header after a DTLS record, and OpenVPN, whose one-byte opcode is
/// believed only on a flow whose first packet each way was the client's and the server's hard
/// reset. A few bytes per flow, O(1) per packet.
class FlowDemux {
public:
    struct Verdict {
        PayloadKind kind = PayloadKind::unknown;
        /// Earlier packets of the flow, counted as unknown, that this packet showed to be of
        /// `kind` (the client's hard resets once the server answered with its own).
        std::uint32_t reclassified = 0;
    };
    /// `from_a`: sent by the flow's first sender.
    Verdict classify(const std::vector<DecodeAs>& rules, std::uint16_t src_port, std::uint16_t dst_port, bool from_a,
                     util::Bytes payload);

private:
    enum class OpenVpn : std::uint8_t { undecided, client_reset, confirmed, refuted };
    /// Whether this packet, the server's reset, confirms OpenVPN on the flow.
    bool follow_openvpn(bool first_of_direction, bool from_a, PayloadKind kind, util::Bytes payload);

    std::array<bool, 2> m_seen{};  ///< a packet seen from a, from b
    bool m_quic = false;           ///< a QUIC long header seen
    bool m_dtls = false;           ///< a DTLS record seen
    OpenVpn m_openvpn = OpenVpn::undecided;
    std::uint32_t m_openvpn_waiting = 0;  ///< the client's OpenVPN-looking packets before the server's reset
};

}  // namespace zaudit::demux
