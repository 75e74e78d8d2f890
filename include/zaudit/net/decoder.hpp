#pragma once
/// \file From a captured frame to a transport packet: link layer, IPv4/IPv6, fragments, UDP/TCP.

#include <array>
#include <cstdint>

#include "zaudit/capture/frame.hpp"
#include "zaudit/net/defragmenter.hpp"
#include "zaudit/net/packet.hpp"

namespace zaudit::net {

/// What became of a frame. Everything but `ok` is counted, never silently dropped.
enum class DecodeStatus : std::uint8_t {
    ok,
    not_ip,            ///< ARP, LLDP, ... : nothing for us
    other_transport,   ///< ICMP, SCTP, ESP ...
    fragment_pending,  ///< an IP fragment kept for reassembly
    truncated,         ///< headers cut short by the snap length or the frame's end
    malformed,         ///< impossible header values
    count_
};

const char* to_string(DecodeStatus status);

struct DecodeStats {
    std::array<std::uint64_t, static_cast<std::size_t>(DecodeStatus::count_)> by_status{};
    std::uint64_t vlan_tagged = 0;
    std::uint64_t ipv6 = 0;
    /// Frames whose packet was found inside GRE (ERSPAN too), VXLAN, IP in IP, MPLS or PPPoE.
    std::uint64_t encapsulated = 0;
};

/// Decodes frames, also through the encapsulations of port mirrors, overlays and access links
/// (GRE with ERSPAN, VXLAN, IP in IP, MPLS, PPPoE), to the UDP or TCP inside; keeps the
/// defragmenter, the only state it needs across frames.
class Decoder {
public:
    explicit Decoder(DefragLimits limits = {}) : m_defragmenter{limits} {}

    /// Fills `out` when the frame carries (or completes) a UDP datagram or TCP segment.
    DecodeStatus decode(const capture::Frame& frame, Packet& out);

    [[nodiscard]] const DecodeStats& stats() const { return m_stats; }
    [[nodiscard]] const DefragStats& defrag_stats() const { return m_defragmenter.stats(); }

private:
    DecodeStatus decode_link(const capture::Frame& frame, Packet& out);
    DecodeStatus decode_ethernet(util::Bytes frame, Packet& out);
    // Readers go by reference and IP datagrams as spans (two registers): a ByteReader passed by
    // value is copied through the stack, and that copy's 16-byte loads wait for the 8-byte
    // stores that built it (a failed store-to-load forward), on every packet.
    /// What an Ethernet type (or a tunnel's protocol type) names in what `rest` has left: IP,
    /// MPLS or PPPoE.
    DecodeStatus decode_ethertype(std::uint16_t ethertype, util::ByteReader& rest, Packet& out);
    DecodeStatus decode_mpls(util::ByteReader& mpls, Packet& out);
    DecodeStatus decode_pppoe(util::ByteReader& pppoe, Packet& out);
    DecodeStatus decode_gre(util::ByteReader& gre, Packet& out);
    /// Counts one more encapsulation of the frame; false beyond k_max_encapsulations.
    bool enter_encapsulation();
    DecodeStatus decode_ipv4(util::Bytes datagram, Packet& out);
    DecodeStatus decode_ipv6(util::Bytes datagram, Packet& out);
    DecodeStatus decode_transport(std::uint8_t protocol, util::Bytes segment, bool cut_short, Packet& out);

    Defragmenter m_defragmenter;
    DecodeStats m_stats;
    int m_encapsulations = 0;  ///< of the frame being decoded
};

}  // namespace zaudit::net
