#include "zaudit/rtp/rtp_header.hpp"

namespace zaudit::rtp {

namespace {

constexpr std::size_t k_fixed_header_size = 12;

using util::AnomalyCode;

struct Failure {
    std::optional<AnomalyCode> reason;  ///< empty when the header parsed
    std::size_t offset = 0;
};

Failure failure(AnomalyCode reason, std::size_t offset) {
    return Failure{reason, offset};
}

// RFC 3550 section 5.1 (fixed header), 5.3.1 (header extension):
//
//  0                   1                   2                   3
//  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                           timestamp                           |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |           synchronization source (SSRC) identifier            |
// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
// |            contributing source (CSRC) identifiers  (CC words) |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |      defined by profile       |           length              |  if X
// |                        header extension (length words)        |
// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
// |                  payload ...  | padding ... | padding count   |  count if P
//
// Offsets fit in 16 bits: 12 + 15*4 + 4 + 65535*4 could not, but such an extension would overrun
// any real datagram (max 65535 bytes) and is rejected before the narrowing.
//
// The header is filled in place (parse_rtp constructs it in its return slot): building a result
// struct and copying it out cost more than the parse itself (a store-forwarding stall).
Failure parse_into(util::Bytes packet, RtpHeader& h) {
    if (packet.size() < k_fixed_header_size) {
        return failure(AnomalyCode::rtp_truncated_header, packet.size());
    }
    if (packet.size() > 0xffff) {  // no UDP datagram is larger; keeps the offsets in 16 bits
        return failure(AnomalyCode::rtp_truncated_header, 0xffff);
    }
    util::ByteReader reader{packet};
    const std::uint8_t b0 = reader.u8();
    const std::uint8_t b1 = reader.u8();
    h.version = static_cast<std::uint8_t>(b0 >> 6);
    if (h.version != 2) {
        return failure(AnomalyCode::rtp_bad_version, 0);
    }
    h.padding = (b0 & 0x20) != 0;
    h.extension = (b0 & 0x10) != 0;
    h.csrc_count = static_cast<std::uint8_t>(b0 & 0x0f);
    h.marker = (b1 & 0x80) != 0;
    h.payload_type = static_cast<std::uint8_t>(b1 & 0x7f);
    h.sequence = reader.u16be();
    h.timestamp = reader.u32be();
    h.ssrc = reader.u32be();

    reader.skip(std::size_t{4} * h.csrc_count);
    if (!reader.ok()) {
        return failure(AnomalyCode::rtp_truncated_csrc, reader.failed_at());
    }
    if (h.extension) {
        h.extension_profile = reader.u16be();
        h.extension_words = reader.u16be();
        h.extension_offset = static_cast<std::uint16_t>(reader.offset());
        reader.skip(std::size_t{4} * h.extension_words);
        if (!reader.ok()) {
            return failure(AnomalyCode::rtp_truncated_extension, reader.failed_at());
        }
    }
    h.payload_offset = static_cast<std::uint16_t>(reader.offset());
    std::size_t payload_size = reader.remaining();
    if (h.padding) {
        // RFC 3550 section 5.1: the last octet counts the padding octets, itself included.
        util::ByteReader tail{packet.subspan(packet.size() - 1)};
        const std::uint8_t count = tail.u8();
        if (count == 0 || count > payload_size) {
            h.anomaly = AnomalyCode::rtp_bad_padding;
        } else {
            h.padding_size = count;
            payload_size -= count;
        }
    }
    h.payload_size = static_cast<std::uint16_t>(payload_size);
    return Failure{};
}

}  // namespace

RtpParseResult parse_rtp_detailed(util::Bytes packet) {
    RtpParseResult result;
    RtpHeader h;
    const Failure failed = parse_into(packet, h);
    if (!failed.reason) {
        result.header = h;
    } else {
        result.error = util::Anomaly{*failed.reason, 0, failed.offset, {}};
    }
    return result;
}

std::optional<RtpHeader> parse_rtp(util::Bytes packet) {
    std::optional<RtpHeader> header{std::in_place};
    if (parse_into(packet, *header).reason) {
        header.reset();
    }
    return header;
}

bool looks_like_rtp(util::Bytes packet) {
    const std::optional<RtpHeader> h = parse_rtp(packet);
    if (!h || h->anomaly) {
        return false;
    }
    return h->payload_type <= 34 || h->payload_type >= 96;
}

std::uint32_t RtpHeader::csrc(util::Bytes packet, std::size_t i) const {
    util::ByteReader reader{packet};
    reader.skip(k_fixed_header_size + 4 * i);
    return i < csrc_count ? reader.u32be() : 0;
}

}  // namespace zaudit::rtp
