#pragma once
/// \file Where each RTP packet of a stream goes in its sound, from its sequence number (RFC 3550
/// section 5.1, modulo 2^16: the wrap from 65535 to 0 is the next packet, not a jump back).
///
/// Packets are written in capture order; no reordering buffer. A packet at most
/// k_late_window behind the last one written is late (or a duplicate) and is dropped, counted.
/// A gap of up to k_max_gap_packets is filled with silence, as long as the packets that did come
/// say how long a packet lasts; the silence is also bounded by the capture time that passed, so
/// a hostile stream cannot make more sound than the time it took (no allocation either: the
/// writer writes zeros in fixed chunks). A larger jump forward, or one further back than the late
/// window, starts a new run at that packet with no silence (counted as a resync).

#include <cstdint>

namespace zaudit::audio {

class Sequencer {
public:
    static constexpr std::uint32_t k_max_gap_packets = 250;  ///< 5 s at 20 ms a packet
    static constexpr std::int32_t k_late_window = 100;

    enum class Action : std::uint8_t { play, drop_late, resync };
    struct Placement {
        Action action = Action::play;
        std::uint32_t missing = 0;  ///< packets lost just before this one (play only)
    };

    /// Where the packet with this sequence number goes; play and resync move the sequence on.
    Placement place(std::uint16_t sequence);

    /// Samples of silence for `missing` lost packets of `samples_per_packet` each, bounded by
    /// the time since the last packet written (`elapsed_micros`, at `rate` samples a second)
    /// less the one packet that did arrive.
    static std::uint64_t silence_for(std::uint32_t missing, std::uint64_t samples_per_packet,
                                     std::int64_t elapsed_micros, std::uint32_t rate);

private:
    bool m_started = false;
    std::uint16_t m_last = 0;
};

}  // namespace zaudit::audio
