#include "zaudit/rtp/rtcp.hpp"

#include <algorithm>

namespace zaudit::rtp {

namespace {

using util::AnomalyCode;

constexpr std::size_t k_min_rtcp_size = 8;  // common header + SSRC (an RR with no blocks)

}  // namespace

bool is_rtcp(util::Bytes packet) {
    util::ByteReader reader{packet};
    const std::uint8_t b0 = reader.u8();
    const std::uint8_t b1 = reader.u8();
    return packet.size() >= k_min_rtcp_size && (b0 >> 6) == 2 && b1 >= 192 && b1 <= 223;
}

bool RtcpCompound::srtcp_indicated() const {
    return anomaly && anomaly->code == util::AnomalyCode::rtcp_trailing_bytes;
}

bool RtcpCompound::has_type(std::uint8_t type) const {
    const std::size_t seen = std::min(packet_count, k_max_types);
    return std::find(types.begin(), types.begin() + static_cast<std::ptrdiff_t>(seen), type) !=
           types.begin() + static_cast<std::ptrdiff_t>(seen);
}

// RFC 3550 section 6.1: a compound packet is a run of RTCP packets, each with its own header;
// the length field counts 32-bit words minus one, so every packet is a multiple of 4 bytes.
// Only the first packet's failures are anomalies of the compound: after one good packet, bytes
// that do not walk are the SRTCP trailer or ciphertext (see srtcp_indicated).
RtcpCompound parse_rtcp_compound(util::Bytes packet) {
    RtcpCompound out;
    util::ByteReader reader{packet};
    if (packet.size() < k_min_rtcp_size) {
        out.anomaly = util::Anomaly{AnomalyCode::rtcp_truncated_header, 0, packet.size(), {}};
        return out;
    }
    while (!reader.empty()) {
        const std::size_t start = reader.offset();
        const bool first = out.packet_count == 0;
        const std::uint8_t b0 = reader.u8();
        const std::uint8_t type = reader.u8();
        const std::size_t length = (std::size_t{reader.u16be()} + 1) * 4;
        std::optional<AnomalyCode> problem;
        if (!reader.ok()) {
            problem = AnomalyCode::rtcp_truncated_header;
        } else if ((b0 >> 6) != 2) {
            problem = AnomalyCode::rtcp_bad_version;
        } else if (length > packet.size() - start) {
            problem = AnomalyCode::rtcp_length_overrun;
        }
        if (problem) {
            out.anomaly = util::Anomaly{first ? *problem : AnomalyCode::rtcp_trailing_bytes, 0, start, {}};
            out.trailing_bytes = packet.size() - start;
            return out;
        }
        util::ByteReader body = reader.sub(length - 4);
        if (first) {
            out.first_count = static_cast<std::uint8_t>(b0 & 0x1f);
            out.sender_ssrc = body.u32be();  // 0 for a bare 4-byte header (length field 0)
        }
        if (out.packet_count < RtcpCompound::k_max_types) {
            out.types[out.packet_count] = type;
        }
        ++out.packet_count;
        out.walked_bytes = reader.offset();
    }
    return out;
}

std::optional<SrtcpTrailer> srtcp_trailer(util::Bytes packet, std::size_t tag_size, std::size_t mki_size) {
    const std::size_t trailer = 4 + tag_size + mki_size;
    if (tag_size > packet.size() || mki_size > packet.size() || packet.size() < k_min_rtcp_size + trailer) {
        return std::nullopt;
    }
    util::ByteReader reader{packet};
    reader.skip(packet.size() - trailer);
    const std::uint32_t word = reader.u32be();
    return SrtcpTrailer{(word & 0x80000000U) != 0, word & 0x7fffffffU};
}

}  // namespace zaudit::rtp
