#pragma once
/// \file One direction of a TCP connection put back in order (RFC 9293 sequence space).

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "zaudit/util/byte_reader.hpp"

namespace zaudit::net {

struct TcpStreamStats {
    std::uint64_t delivered_bytes = 0;
    std::uint64_t retransmitted_bytes = 0;  ///< bytes seen again (dropped)
    std::uint64_t out_of_order_segments = 0;
    std::uint64_t gap_bytes = 0;  ///< bytes never seen: the capture missed them
    std::uint64_t gaps = 0;
};

/// Receives one direction's segments in any order and hands the bytes on in order, once.
///
/// The sink gets `on_data(util::Bytes)` for in-order bytes and `on_gap(std::uint64_t bytes)`
/// when bytes were lost and delivery skips ahead, so a framer above can resynchronise.
class TcpStream {
public:
    static constexpr std::size_t k_max_buffered_bytes = std::size_t{256} * 1024;

    template <typename Sink>
    void on_segment(std::uint32_t seq, std::uint8_t flags, util::Bytes payload, Sink& sink) {
        constexpr std::uint8_t syn = 0x02;
        if ((flags & syn) != 0) {
            m_next = seq + 1;  // SYN takes one sequence number
            return;
        }
        if (payload.empty()) {
            return;
        }
        if (!m_next) {
            m_next = seq;  // joined mid-connection: the first segment we see sets the origin
        }
        deliver(seq, payload, sink);
        drain_buffered(sink);
        if (m_buffered_bytes > k_max_buffered_bytes) {
            skip_gap(sink);
        }
    }

    /// At the end of the capture: whatever is buffered after a hole is delivered after a gap.
    template <typename Sink>
    void flush(Sink& sink) {
        while (!m_buffer.empty()) {
            skip_gap(sink);
        }
    }

    [[nodiscard]] const TcpStreamStats& stats() const { return m_stats; }

private:
    static std::int32_t diff(std::uint32_t a, std::uint32_t b) { return static_cast<std::int32_t>(a - b); }

    template <typename Sink>
    void deliver(std::uint32_t seq, util::Bytes payload, Sink& sink) {
        const std::int32_t ahead = diff(seq, *m_next);
        if (ahead > 0) {  // a hole before it: keep it for later
            ++m_stats.out_of_order_segments;
            auto [it, inserted] = m_buffer.try_emplace(seq, payload.begin(), payload.end());
            if (inserted) {
                m_buffered_bytes += payload.size();
            } else if (it->second.size() < payload.size()) {
                m_buffered_bytes += payload.size() - it->second.size();
                it->second.assign(payload.begin(), payload.end());
            }
            return;
        }
        // How far it starts behind m_next, 0 to 2^31: unsigned, since negating ahead overflows
        // for a segment exactly 2^31 behind.
        const auto already = static_cast<std::size_t>(*m_next - seq);
        if (already >= payload.size()) {
            m_stats.retransmitted_bytes += payload.size();
            return;
        }
        m_stats.retransmitted_bytes += already;
        const util::Bytes fresh = payload.subspan(already);
        *m_next += static_cast<std::uint32_t>(fresh.size());
        m_stats.delivered_bytes += fresh.size();
        sink.on_data(fresh);
    }

    /// The buffered segment whose sequence number is nearest to m_next (smallest signed
    /// distance, so those behind it come first). The map orders by raw sequence number; in that
    /// order the distance grows from its minimum at m_next - 2^31, wrapping at 2^32, so the
    /// nearest is the first key from there on: a lookup, not a scan of every buffered segment
    /// (a flood of tiny out-of-order segments made the scan quadratic).
    [[nodiscard]] std::map<std::uint32_t, std::vector<std::uint8_t>>::iterator nearest() {
        const auto it = m_buffer.lower_bound(*m_next + 0x8000'0000U);
        return it == m_buffer.end() ? m_buffer.begin() : it;
    }

    template <typename Sink>
    void drain_buffered(Sink& sink) {
        while (!m_buffer.empty()) {
            const auto it = nearest();
            if (diff(it->first, *m_next) > 0) {
                return;
            }
            const std::vector<std::uint8_t> segment = std::move(it->second);
            const std::uint32_t seq = it->first;
            m_buffered_bytes -= segment.size();
            m_buffer.erase(it);
            deliver(seq, util::Bytes{segment}, sink);
        }
    }

    template <typename Sink>
    void skip_gap(Sink& sink) {
        const auto it = nearest();
        const auto missing = static_cast<std::uint32_t>(diff(it->first, *m_next));
        ++m_stats.gaps;
        m_stats.gap_bytes += missing;
        sink.on_gap(missing);
        *m_next = it->first;
        drain_buffered(sink);
    }

    std::optional<std::uint32_t> m_next;                          ///< the next sequence number owed to the sink
    std::map<std::uint32_t, std::vector<std::uint8_t>> m_buffer;  ///< out-of-order segments
    std::size_t m_buffered_bytes = 0;
    TcpStreamStats m_stats;
};

}  // namespace zaudit::net
