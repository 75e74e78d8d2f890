#pragma once
/// \file RTCP compound packets (RFC 3550 section 6), their RTP/RTCP mux classification
/// (RFC 5761 section 4) and the SRTCP trailer (RFC 3711 section 3.4).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "zaudit/util/anomaly.hpp"
#include "zaudit/util/byte_reader.hpp"

namespace zaudit::rtp {

/// RTCP packet types (RFC 3550 section 12.1, RFC 4585, RFC 3611).
namespace rtcp_type {
constexpr std::uint8_t sr = 200;
constexpr std::uint8_t rr = 201;
constexpr std::uint8_t sdes = 202;
constexpr std::uint8_t bye = 203;
constexpr std::uint8_t app = 204;
constexpr std::uint8_t rtpfb = 205;
constexpr std::uint8_t psfb = 206;
constexpr std::uint8_t xr = 207;
}  // namespace rtcp_type

/// RFC 5761 section 4: when RTP and RTCP share a port, a version-2 packet whose second byte
/// (marker bit and payload type together) is 192-223 is RTCP. Needs at least the 8 bytes of
/// the smallest RTCP packet (an empty RR).
bool is_rtcp(util::Bytes packet);

/// What a walk over an RTCP compound packet found. Only the first 8 bytes of an SRTCP packet are
/// in clear (RFC 3711 section 3.4), so for SRTCP typically only the first packet is seen.
struct RtcpCompound {
    static constexpr std::size_t k_max_types = 8;
    std::array<std::uint8_t, k_max_types> types{};  ///< packet types in order (first k_max_types)
    std::size_t packet_count = 0;                   ///< all packets walked, may exceed k_max_types
    std::uint32_t sender_ssrc = 0;                  ///< the SSRC word after the first packet's header
    std::uint8_t first_count = 0;                   ///< RC/SC/FMT field of the first packet
    std::size_t walked_bytes = 0;                   ///< bytes covered by well-formed packets
    std::size_t trailing_bytes = 0;                 ///< bytes after them (SRTCP: E+index, MKI, tag, or ciphertext)
    /// Why the walk stopped early (an rtcp.* code and the offset of the packet header that did
    /// not walk): a first packet cut short, not version 2 or overrunning the datagram; after at
    /// least one good packet, rtcp.trailing_bytes (what an encrypted SRTCP compound looks like).
    std::optional<util::Anomaly> anomaly;

    /// True when bytes that are not RTCP follow at least one well-formed packet: the layout of
    /// SRTCP, whose E+index word and tag follow the compound (they almost never read as an RTCP
    /// header whose length fits exactly), and whose compound after the first 8 bytes
    /// is ciphertext when E=1. Plain RTCP ends exactly at the end of its last packet. A snap
    /// length that cuts a plain compound looks the same, so this is an indicator, not proof.
    [[nodiscard]] bool srtcp_indicated() const;
    [[nodiscard]] bool has_type(std::uint8_t type) const;
};

/// Walks an RTCP compound packet.
///
/// RFC 3550 section 6.4.1, every packet of the compound:
///  0                   1                   2                   3
/// |V=2|P|  RC/FMT |      PT       |   length (32-bit words - 1)   |
/// |                         SSRC of sender                        |
/// |                         ... length*4 - 4 more bytes           |
RtcpCompound parse_rtcp_compound(util::Bytes packet);

/// The SRTCP E flag and index (RFC 3711 section 3.4):
///
/// |            ... RTCP compound (encrypted when E=1) ...          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |E|                         SRTCP index                         |
/// ~                     SRTCP MKI (OPTIONAL)                      ~
/// :                authentication tag (mandatory)                 :
struct SrtcpTrailer {
    bool encrypted = false;   ///< E flag
    std::uint32_t index = 0;  ///< 31 bits
};

/// Reads the E flag and index from a packet whose trailer holds `mki_size` MKI bytes and a
/// `tag_size`-byte authentication tag after the E+index word (10 for *_HMAC_SHA1_80, 4 for _32).
/// AEAD suites (RFC 7714 section 9) put their tag inside the ciphertext, before the E+index
/// word: pass tag_size 0 for them. nullopt when the packet is too short to hold a first
/// 8-byte RTCP header plus the trailer.
std::optional<SrtcpTrailer> srtcp_trailer(util::Bytes packet, std::size_t tag_size, std::size_t mki_size = 0);

}  // namespace zaudit::rtp
