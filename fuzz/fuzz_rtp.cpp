// RTP and RTCP: each record through the RTP header parser and stream statistics, the RTCP
// compound walker and the SRTCP trailer reader, as the tracker sees a media flow.

#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "zaudit/rtp/payload.hpp"
#include "zaudit/rtp/rtcp.hpp"
#include "zaudit/rtp/rtp_header.hpp"
#include "zaudit/rtp/stream_stats.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace zaudit;
    rtp::RtpStreamStats stats;
    rtp::PayloadSampler sampler;
    fuzz::Records records{util::Bytes{data, size}};
    util::Bytes packet;
    util::Timestamp arrival;
    while (records.next(packet)) {
        arrival.micros += 20'000;
        (void)rtp::looks_like_rtp(packet);
        if (rtp::is_rtcp(packet)) {
            const rtp::RtcpCompound compound = rtp::parse_rtcp_compound(packet);
            (void)compound.srtcp_indicated();
            (void)rtp::srtcp_trailer(packet, 10);
            (void)rtp::srtcp_trailer(packet, 4, 4);
            continue;
        }
        const rtp::RtpParseResult parsed = rtp::parse_rtp_detailed(packet);
        if (!parsed.header) {
            continue;
        }
        const rtp::RtpHeader& header = *parsed.header;
        for (std::size_t i = 0; i < header.csrc_count; ++i) {
            (void)header.csrc(packet, i);
        }
        const util::Bytes payload = header.payload(packet);
        stats.on_packet(header, packet, arrival, 64);
        sampler.on_payload(payload);
        (void)rtp::payload_hash(payload);
    }
    (void)stats.lost();
    (void)stats.expected();
    (void)sampler.entropy_bits_corrected();
    (void)sampler.first_byte_mode_share();
    return 0;
}
