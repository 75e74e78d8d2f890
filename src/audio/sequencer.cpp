#include "zaudit/audio/sequencer.hpp"

#include <algorithm>

namespace zaudit::audio {

Sequencer::Placement Sequencer::place(std::uint16_t sequence) {
    if (!m_started) {
        m_started = true;
        m_last = sequence;
        return {Action::play, 0};
    }
    // The distance modulo 2^16, read as signed: 65535 -> 0 is +1.
    const auto delta = static_cast<std::int16_t>(static_cast<std::uint16_t>(sequence - m_last));
    if (delta <= 0 && delta >= -k_late_window) {
        return {Action::drop_late, 0};
    }
    m_last = sequence;
    if (delta > 0 && static_cast<std::uint32_t>(delta) <= k_max_gap_packets + 1) {
        return {Action::play, static_cast<std::uint32_t>(delta - 1)};
    }
    return {Action::resync, 0};
}

std::uint64_t Sequencer::silence_for(std::uint32_t missing, std::uint64_t samples_per_packet,
                                     std::int64_t elapsed_micros, std::uint32_t rate) {
    if (missing == 0 || samples_per_packet == 0 || elapsed_micros <= 0) {
        return 0;
    }
    const std::uint64_t by_sequence = static_cast<std::uint64_t>(missing) * samples_per_packet;
    // A gap longer than this is longer than any fillable one (250 packets of 120 ms at most):
    // the bound keeps the product below from overflowing on absurd capture times.
    constexpr std::int64_t k_longest_micros = 1'000'000'000;
    const std::uint64_t by_time =
        static_cast<std::uint64_t>(std::min(elapsed_micros, k_longest_micros)) * rate / 1'000'000U;
    const std::uint64_t by_time_less_packet = by_time > samples_per_packet ? by_time - samples_per_packet : 0;
    return std::min(by_sequence, by_time_less_packet);
}

}  // namespace zaudit::audio
