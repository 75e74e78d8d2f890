#pragma once
/// \file Per-SSRC RTP statistics, updated once per packet on the hot path: sequence tracking
/// (RFC 3550 appendix A.1), interarrival jitter (appendix A.8) and arrival deltas, payload
/// types, TTL spread, duplicates and conflicting duplicates (one sequence number, two payloads).
///
/// Jitter and deltas follow what Wireshark's RTP stream analysis (`tshark -z rtp,streams`)
/// computes, so the two can be compared packet for packet; see update_timing() for the packets
/// it leaves out.
///
/// Fixed size (about 4 KiB), no allocation, no exception. The caller keys streams by SSRC
/// (and flow); this class does not look at the SSRC of later packets.

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>

#include "zaudit/rtp/payload.hpp"
#include "zaudit/rtp/rtp_header.hpp"
#include "zaudit/util/byte_reader.hpp"
#include "zaudit/util/timestamp.hpp"

namespace zaudit::rtp {

class RtpStreamStats {
public:
    /// RFC 3550 appendix A.1 constants.
    static constexpr std::uint32_t k_max_dropout = 3000;
    static constexpr std::uint32_t k_max_misorder = 100;
    static constexpr std::uint32_t k_min_sequential = 2;
    /// How many recent packets are remembered for duplicate detection (a power of two).
    static constexpr std::size_t k_recent = 64;

    /// Clock rates start from RFC 3551's static payload types; dynamic ones are unknown (0).
    RtpStreamStats();
    /// The RTP timestamp clock of `payload_type` in Hz (from the SDP's a=rtpmap); 0 when unknown
    /// or when its timestamps do not follow the media clock (telephone-event): such packets then
    /// count for deltas but not for jitter, as in Wireshark. Jitter cannot be rescaled later, so
    /// set the clock rates before the first packet.
    void set_clock_rate(std::uint8_t payload_type, std::uint32_t clock_rate) {
        m_clock_rates[payload_type & 0x7f] = clock_rate;
    }
    [[nodiscard]] std::uint32_t clock_rate(std::uint8_t payload_type) const {
        return m_clock_rates[payload_type & 0x7f];
    }

    /// Updates everything except what needs the payload bytes (payload hash, byte sampling).
    void on_packet(const RtpHeader& header, util::Timestamp arrival, std::uint8_t ttl, std::size_t payload_size);
    /// Full update: `packet` is the RTP packet `header` was parsed from; its payload is hashed
    /// (conflicting duplicates) and sampled (PayloadSampler).
    void on_packet(const RtpHeader& header, util::Bytes packet, util::Timestamp arrival, std::uint8_t ttl);

    // --- counters -------------------------------------------------------------------------
    [[nodiscard]] std::uint32_t ssrc() const { return m_ssrc; }
    [[nodiscard]] std::uint64_t packets() const { return m_packets; }
    [[nodiscard]] std::uint64_t payload_bytes() const { return m_bytes; }
    [[nodiscard]] util::Timestamp first_time() const { return m_first_time; }
    [[nodiscard]] util::Timestamp last_time() const { return m_last_time; }
    [[nodiscard]] const std::bitset<128>& payload_types() const { return m_payload_types; }
    [[nodiscard]] std::uint8_t last_payload_type() const { return m_last_payload_type; }
    /// Times the payload type differed from the previous packet's.
    [[nodiscard]] std::uint64_t payload_type_changes() const { return m_payload_type_changes; }
    [[nodiscard]] std::uint64_t markers() const { return m_markers; }

    // --- sequence (RFC 3550 appendix A.1) ---------------------------------------------------
    /// Highest sequence number seen, extended with the cycle count (cycles << 16 | max_seq).
    [[nodiscard]] std::uint32_t extended_max_sequence() const { return m_cycles + m_max_seq; }
    [[nodiscard]] std::uint32_t base_sequence() const { return m_base_seq; }
    [[nodiscard]] std::uint32_t cycles() const { return m_cycles >> 16; }
    /// Packets A.1 accepted as valid (duplicates included, as in the RFC; packets dropped
    /// during probation or after a jump excluded).
    [[nodiscard]] std::uint64_t received() const { return m_received; }
    /// A.7: extended max - base + 1 (0 until the source left probation).
    [[nodiscard]] std::uint64_t expected() const;
    /// A.7: expected() - received(), the loss an RTCP receiver report would carry.
    [[nodiscard]] std::int64_t rfc_lost() const;
    /// Packets expected in the capture: highest sequence number seen (extended by serial
    /// arithmetic) - the first packet's + 1. A.7's formula without A.1's probation: in an audit
    /// the first packet is evidence too, and tshark -z rtp,streams counts from it.
    [[nodiscard]] std::uint64_t expected_in_capture() const { return m_packets == 0 ? 0 : m_highest_offset + 1; }
    /// expected_in_capture() - packets(). Negative when duplicates outnumber losses (RFC 3550
    /// section 6.4.1 allows it); a sequence restart counts its jump as loss, as in tshark.
    [[nodiscard]] std::int64_t lost() const;
    /// lost * 100 / expected_in_capture() (0 for an empty stream), as tshark prints it.
    [[nodiscard]] double lost_percent() const;
    /// Times A.1 restarted the sequence after two consecutive packets far from max_seq
    /// (a restarted sender, or a second sender using this SSRC).
    [[nodiscard]] std::uint64_t sequence_resets() const { return m_sequence_resets; }
    /// Packets A.1 discarded as a large jump that was not (yet) confirmed.
    [[nodiscard]] std::uint64_t bad_sequence_jumps() const { return m_bad_jumps; }
    [[nodiscard]] bool in_probation() const { return m_probation != 0; }

    // --- duplicates and order ---------------------------------------------------------------
    /// Packets whose sequence number was among the last k_recent sequence numbers seen.
    [[nodiscard]] std::uint64_t duplicates() const { return m_duplicates; }
    /// Of those, packets whose payload hash differed from the first copy's: one sequence number,
    /// two payloads (evidence of injection; needs the packet overload of on_packet).
    [[nodiscard]] std::uint64_t conflicting_duplicates() const { return m_conflicting_duplicates; }
    /// Packets older than the highest sequence number seen that were not duplicates.
    [[nodiscard]] std::uint64_t out_of_order() const { return m_out_of_order; }

    // --- timing: jitter (RFC 3550 appendix A.8) and deltas, in milliseconds ------------------
    /// True once a packet with a known clock rate updated the jitter; until then the jitter
    /// values below are 0 and mean nothing (tshark prints a minimum jitter of -1 then).
    [[nodiscard]] bool jitter_known() const { return m_jitter_packets != 0; }
    /// Interarrival jitter after the last packet (the RFC 3550 value an RTCP report would carry).
    [[nodiscard]] double jitter_ms() const { return m_jitter_ms; }
    /// Highest jitter after a regular packet (see update_timing()).
    [[nodiscard]] double max_jitter_ms() const { return m_max_jitter_ms; }
    /// Mean of the jitter after each regular packet, weighted as tshark does: the running mean
    /// divides by the number of packets before this one, skipped ones included.
    [[nodiscard]] double mean_jitter_ms() const { return m_mean_jitter_ms; }
    /// Largest arrival-time gap before a regular packet.
    [[nodiscard]] double max_delta_ms() const { return m_max_delta_ms; }

    // --- path ---------------------------------------------------------------------------------
    [[nodiscard]] std::uint8_t ttl_min() const { return m_ttl_min; }
    [[nodiscard]] std::uint8_t ttl_max() const { return m_ttl_max; }
    /// Times the TTL differed from the previous packet's (alternation suggests two senders).
    [[nodiscard]] std::uint64_t ttl_changes() const { return m_ttl_changes; }

    [[nodiscard]] const PayloadSampler& payload_sample() const { return m_sampler; }

private:
    struct Recent {
        std::uint64_t hash = 0;
        std::uint16_t sequence = 0;
        bool valid = false;
        bool hashed = false;
    };

    void update(const RtpHeader& header, util::Timestamp arrival, std::uint8_t ttl, std::size_t payload_size,
                std::uint64_t hash, bool hashed);
    void track_order(std::uint16_t seq, std::uint64_t hash, bool hashed);
    void init_sequence(std::uint16_t seq);
    void update_sequence(std::uint16_t seq);
    void update_timing(const RtpHeader& header, util::Timestamp arrival);

    std::array<std::uint32_t, 128> m_clock_rates{};  ///< Hz per payload type, 0: unknown
    std::uint32_t m_ssrc = 0;
    std::uint64_t m_packets = 0;
    std::uint64_t m_bytes = 0;
    util::Timestamp m_first_time;
    util::Timestamp m_last_time;
    std::bitset<128> m_payload_types;
    std::uint8_t m_last_payload_type = 0;
    std::uint64_t m_payload_type_changes = 0;
    std::uint64_t m_markers = 0;

    // A.1 state; m_cycles counts wraps shifted left 16 as in the RFC.
    std::uint16_t m_max_seq = 0;
    std::uint32_t m_cycles = 0;
    std::uint32_t m_base_seq = 0;
    std::uint32_t m_bad_seq = 0;
    std::uint32_t m_probation = 0;
    bool m_started = false;  ///< a source that left probation at least once
    std::uint64_t m_received = 0;
    std::uint64_t m_sequence_resets = 0;
    std::uint64_t m_bad_jumps = 0;

    std::array<Recent, k_recent> m_recent{};
    std::uint64_t m_duplicates = 0;
    std::uint64_t m_conflicting_duplicates = 0;
    std::uint64_t m_out_of_order = 0;
    std::uint16_t m_highest_seen = 0;    ///< highest sequence seen (serial arithmetic), any state
    std::uint64_t m_highest_offset = 0;  ///< m_highest_seen - the first packet's sequence, extended

    // Timing state: times relative to the first packet's RTP timestamp and arrival.
    std::uint32_t m_first_rtp_timestamp = 0;
    util::Timestamp m_prev_arrival;      ///< of the last packet whose timestamp was in sequence
    double m_prev_nominal_ms = 0.0;      ///< its RTP timestamp in ms since the first packet's
    std::uint64_t m_jitter_packets = 0;  ///< packets that updated the jitter
    double m_jitter_ms = 0.0;
    double m_max_jitter_ms = 0.0;
    double m_mean_jitter_ms = 0.0;
    double m_max_delta_ms = 0.0;

    std::uint8_t m_ttl_min = 255;
    std::uint8_t m_ttl_max = 0;
    std::uint8_t m_prev_ttl = 0;
    std::uint64_t m_ttl_changes = 0;

    PayloadSampler m_sampler;
};

}  // namespace zaudit::rtp
