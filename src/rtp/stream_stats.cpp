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

}  // namespace

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
    } else {
        update_jitter(header.timestamp, arrival);
    }
    ++m_packets;
    m_bytes += payload_size;
    m_last_time = std::max(m_last_time, arrival);
    m_prev_arrival = arrival;
    m_prev_rtp_timestamp = header.timestamp;

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

// RFC 3550 appendix A.8: D = (R_j - R_i) - (S_j - S_i) in timestamp units, J += (|D| - J) / 16.
// The RTP timestamp difference is taken modulo 2^32 (as a signed 32-bit value) so a timestamp
// wrap does not look like a huge transit change.
void RtpStreamStats::update_jitter(std::uint32_t rtp_timestamp, util::Timestamp arrival) {
    const double arrival_delta = static_cast<double>(arrival.micros - m_prev_arrival.micros) * m_units_per_micro;
    const auto ts_delta = static_cast<std::int32_t>(rtp_timestamp - m_prev_rtp_timestamp);
    const double d = std::fabs(arrival_delta - static_cast<double>(ts_delta));
    m_jitter += (d - m_jitter) / 16.0;
    m_max_jitter = std::max(m_max_jitter, m_jitter);
}

std::uint64_t RtpStreamStats::expected() const {
    if (!m_started) {
        return 0;
    }
    return std::uint64_t{m_cycles} + m_max_seq - m_base_seq + 1;
}

std::int64_t RtpStreamStats::lost() const {
    return static_cast<std::int64_t>(expected()) - static_cast<std::int64_t>(m_received);
}

double RtpStreamStats::jitter_ms() const {
    return m_clock_rate == 0 ? 0.0 : m_jitter * 1000.0 / static_cast<double>(m_clock_rate);
}

}  // namespace zaudit::rtp
