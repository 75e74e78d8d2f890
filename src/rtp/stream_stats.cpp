#include "zaudit/rtp/stream_stats.hpp"

#include <algorithm>
#include <cmath>

namespace zaudit::rtp {

namespace {

constexpr std::uint32_t k_seq_mod = 1U << 16;

// Serial-number comparison of 16-bit sequence numbers (RFC 1982 style): true when a is after b.
bool after(std::uint16_t a, std::uint16_t b) {
    return static_cast<std::int16_t>(static_cast<std::uint16_t>(a - b)) > 0;
}

// Comfort noise: RFC 3389's payload type 13, and 19 which RFC 1890 reserved for it.
constexpr bool is_comfort_noise(std::uint8_t payload_type) {
    return payload_type == 13 || payload_type == 19;
}

}  // namespace

RtpStreamStats::RtpStreamStats() {
    for (std::size_t pt = 0; pt < m_clock_rates.size(); ++pt) {
        if (const auto known = static_payload_type(static_cast<std::uint8_t>(pt))) {
            m_clock_rates[pt] = known->clock_rate;
        }
    }
}

void RtpStreamStats::on_packet(const RtpHeader& header, util::Timestamp arrival, std::uint8_t ttl,
                               std::size_t payload_size) {
    update(header, arrival, ttl, payload_size, 0, false);
}

void RtpStreamStats::on_packet(const RtpHeader& header, util::Bytes packet, util::Timestamp arrival, std::uint8_t ttl) {
    util::Bytes payload;
    if (std::size_t{header.payload_offset} + header.payload_size <= packet.size()) {
        payload = header.payload(packet);
    }
    m_sampler.on_payload(payload);
    update(header, arrival, ttl, payload.size(), payload_hash(payload), true);
}

void RtpStreamStats::update(const RtpHeader& header, util::Timestamp arrival, std::uint8_t ttl,
                            std::size_t payload_size, std::uint64_t hash, bool hashed) {
    const bool first = m_packets == 0;
    if (first) {
        m_ssrc = header.ssrc;
        m_first_time = arrival;
        m_last_payload_type = header.payload_type;
        m_prev_ttl = ttl;
        // RFC 3550 appendix A.1: a new source starts in probation.
        init_sequence(header.sequence);
        m_max_seq = static_cast<std::uint16_t>(header.sequence - 1);
        m_probation = k_min_sequential;
        m_first_rtp_timestamp = header.timestamp;
        m_prev_arrival = arrival;
    } else {
        update_timing(header, arrival);  // before m_last_payload_type moves on
    }
    ++m_packets;
    m_bytes += payload_size;
    m_last_time = std::max(m_last_time, arrival);

    m_payload_types.set(header.payload_type & 0x7f);
    if (header.payload_type != m_last_payload_type) {
        ++m_payload_type_changes;
        m_last_payload_type = header.payload_type;
    }
    if (header.marker) {
        ++m_markers;
    }

    m_ttl_min = std::min(m_ttl_min, ttl);
    m_ttl_max = std::max(m_ttl_max, ttl);
    if (ttl != m_prev_ttl) {
        ++m_ttl_changes;
        m_prev_ttl = ttl;
    }

    if (first) {
        m_highest_seen = header.sequence;
    }
    track_order(header.sequence, hash, hashed);
    update_sequence(header.sequence);
}

// Duplicates are looked up in a direct-mapped ring indexed by the low bits of the sequence
// number: among any k_recent consecutive sequence numbers each has its own slot, so the lookup
// is exact for recent packets at O(1). The first copy's hash is kept, so a conflicting second
// copy is compared with what came first.
void RtpStreamStats::track_order(std::uint16_t seq, std::uint64_t hash, bool hashed) {
    Recent& slot = m_recent[seq & (k_recent - 1)];
    if (slot.valid && slot.sequence == seq) {
        ++m_duplicates;
        if (hashed && slot.hashed && slot.hash != hash) {
            ++m_conflicting_duplicates;
        }
        return;
    }
    if (after(m_highest_seen, seq)) {
        ++m_out_of_order;
    } else {
        m_highest_offset += static_cast<std::uint16_t>(seq - m_highest_seen);
        m_highest_seen = seq;
    }
    slot = Recent{hash, seq, true, hashed};
}

void RtpStreamStats::init_sequence(std::uint16_t seq) {
    m_base_seq = seq;
    m_max_seq = seq;
    m_bad_seq = k_seq_mod + 1;  // so that seq == bad_seq is false
    m_cycles = 0;
    m_received = 0;
}

// RFC 3550 appendix A.1, update_seq(). One deliberate difference: the RFC compares
// `seq == max_seq + 1` in int arithmetic, which never holds at the 65535 → 0 wrap during
// probation; here the comparison is modulo 2^16.
void RtpStreamStats::update_sequence(std::uint16_t seq) {
    const auto udelta = static_cast<std::uint16_t>(seq - m_max_seq);
    if (m_probation != 0) {
        if (seq == static_cast<std::uint16_t>(m_max_seq + 1)) {
            --m_probation;
            m_max_seq = seq;
            if (m_probation == 0) {
                init_sequence(seq);
                m_started = true;
                ++m_received;
            }
        } else {
            m_probation = k_min_sequential - 1;
            m_max_seq = seq;
        }
        return;
    }
    if (udelta < k_max_dropout) {
        if (seq < m_max_seq) {
            m_cycles += k_seq_mod;  // sequence number wrapped
        }
        m_max_seq = seq;
    } else if (udelta <= k_seq_mod - k_max_misorder) {
        // A large jump: accept it only when the next packet follows it (a restarted source).
        if (seq == m_bad_seq) {
            init_sequence(seq);
            ++m_sequence_resets;
        } else {
            m_bad_seq = (seq + 1U) & (k_seq_mod - 1);
            ++m_bad_jumps;
            return;
        }
    }
    // else: a duplicate or reordered packet, counted as received like the RFC does.
    ++m_received;
}

// RFC 3550 appendix A.8 in milliseconds: D = (R_j - R_i) - (S_j - S_i) / clock, J += (|D| - J) / 16,
// with the choices Wireshark's RTP analysis makes (tshark -z rtp,streams), so that the numbers
// can be checked against it:
// - S is the RTP timestamp relative to the first packet's, modulo 2^32. A packet whose
//   timestamp lies before the first one's (more than 2^31 ahead) is out of time sequence: it
//   changes neither jitter nor delta, and the next packet is compared with the one before it.
// - Jitter needs the packet's clock rate; without one (dynamic payload type without a=rtpmap,
//   telephone-event) only the arrival delta is updated, and S_i stays the last clocked packet's.
// - Maximum and mean jitter and the maximum delta skip irregular packets: the marker bit (a
//   talkspurt starts after silence), comfort noise and the packet after it, and those out of
//   time sequence. The jitter itself is updated by every packet in time sequence.
// One deliberate difference: Wireshark divides by clock / 1000 in integer arithmetic, which is
// wrong for 11025, 22050 and 44100 Hz; here the clock rate is used as it is.
void RtpStreamStats::update_timing(const RtpHeader& header, util::Timestamp arrival) {
    const auto since_first = static_cast<std::uint32_t>(header.timestamp - m_first_rtp_timestamp);
    const bool in_time_sequence = since_first <= 0x8000'0000U;
    const std::uint32_t clock_rate = m_clock_rates[header.payload_type & 0x7f];
    double delta_ms = 0.0;
    if (in_time_sequence) {
        delta_ms = static_cast<double>(arrival.micros - m_prev_arrival.micros) / 1000.0;
        m_prev_arrival = arrival;
        if (clock_rate != 0) {
            const double nominal_ms = static_cast<double>(since_first) * 1000.0 / static_cast<double>(clock_rate);
            const double d = std::fabs(delta_ms - (nominal_ms - m_prev_nominal_ms));
            m_jitter_ms += (d - m_jitter_ms) / 16.0;
            m_prev_nominal_ms = nominal_ms;
            ++m_jitter_packets;
        }
    }
    const bool regular = in_time_sequence && !header.marker && !is_comfort_noise(header.payload_type) &&
                         !is_comfort_noise(m_last_payload_type);
    if (!regular) {
        return;
    }
    m_max_delta_ms = std::max(m_max_delta_ms, delta_ms);
    if (clock_rate != 0) {
        m_max_jitter_ms = std::max(m_max_jitter_ms, m_jitter_ms);
        // Wireshark's running mean: n counts every packet before this one, skipped ones too.
        const auto n = static_cast<double>(m_packets);
        m_mean_jitter_ms = (m_mean_jitter_ms * (n - 1) + m_jitter_ms) / n;
    }
}

std::uint64_t RtpStreamStats::expected() const {
    if (!m_started) {
        return 0;
    }
    return std::uint64_t{m_cycles} + m_max_seq - m_base_seq + 1;
}

std::int64_t RtpStreamStats::rfc_lost() const {
    return static_cast<std::int64_t>(expected()) - static_cast<std::int64_t>(m_received);
}

std::int64_t RtpStreamStats::lost() const {
    return static_cast<std::int64_t>(expected_in_capture()) - static_cast<std::int64_t>(m_packets);
}

double RtpStreamStats::lost_percent() const {
    const std::uint64_t n = expected_in_capture();
    return n == 0 ? 0.0 : static_cast<double>(lost()) * 100.0 / static_cast<double>(n);
}

}  // namespace zaudit::rtp
