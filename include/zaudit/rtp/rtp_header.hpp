#pragma once
/// \file RTP fixed header (RFC 3550 section 5.1): parsed from a view into a small value, no copy.
///
/// This is the hot path of the audit (every media packet passes here), so the parser allocates
/// nothing, throws nothing and keeps offsets instead of views: the packet bytes stay where the
/// capture put them and `RtpHeader::payload(packet)` slices them on demand.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "zaudit/util/anomaly.hpp"
#include "zaudit/util/byte_reader.hpp"

namespace zaudit::rtp {

/// The fields of one RTP header. Offsets and sizes are in bytes from the start of the packet.
struct RtpHeader {
    std::uint8_t version = 0;
    bool padding = false;
    bool extension = false;
    bool marker = false;
    std::uint8_t csrc_count = 0;
    std::uint8_t payload_type = 0;  ///< 7 bits
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
    std::uint32_t ssrc = 0;
    std::uint16_t extension_profile = 0;  ///< "defined by profile" (0xBEDE: RFC 8285 one-byte form)
    std::uint16_t extension_words = 0;    ///< extension length in 32-bit words, header excluded
    std::uint16_t extension_offset = 0;   ///< where the extension data (after its 4-byte header) starts
    std::uint16_t payload_offset = 0;
    std::uint16_t payload_size = 0;  ///< padding excluded when the padding count is sane
    std::uint8_t padding_size = 0;   ///< 0 when P is clear or the count was not sane
    /// A non-fatal oddity (only rtp.bad_padding today: in SRTP the last byte is the auth tag,
    /// not the padding count, so it is no malformation there).
    std::optional<util::AnomalyCode> anomaly;

    /// The payload inside `packet` (the same bytes this header was parsed from).
    [[nodiscard]] util::Bytes payload(util::Bytes packet) const { return packet.subspan(payload_offset, payload_size); }
    /// The i-th CSRC (i < csrc_count) read from `packet`.
    [[nodiscard]] std::uint32_t csrc(util::Bytes packet, std::size_t i) const;
};

/// The outcome of parsing: a header, or why not (an rtp.* code, and the byte offset of the
/// field that did not fit).
struct RtpParseResult {
    std::optional<RtpHeader> header;
    std::optional<util::Anomaly> error;  ///< set when header is empty
};

/// Parses the RTP header of `packet`; never reads past its end.
/// Hostile CC or extension lengths give an empty header and the reason.
RtpParseResult parse_rtp_detailed(util::Bytes packet);

/// Same as parse_rtp_detailed, for callers that only need the header.
std::optional<RtpHeader> parse_rtp(util::Bytes packet);

/// Heuristic for UDP payloads that no SDP announced: does this look like an RTP packet?
/// True for a well-formed version-2 header (no anomaly at all) with a payload type in the
/// RFC 3551 assigned static range 0-34 or the dynamic range 96-127. This excludes 72-76,
/// which would be RTCP SR/RR/SDES/BYE/APP with the marker bit read as RTP (RFC 5761 section 4),
/// and the unassigned 35-71 and 77-95 that no stack uses. One packet is weak evidence;
/// callers should see a few in a row on one flow with one SSRC and increasing sequence.
bool looks_like_rtp(util::Bytes packet);

}  // namespace zaudit::rtp
