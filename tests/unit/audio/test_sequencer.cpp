// Where packets go in a stream's sound: wrap, loss, late packets, and what a hostile stream's
// sequence numbers can make the export write.
#include <catch2/catch.hpp>

#include <random>

#include "zaudit/audio/sequencer.hpp"

using namespace zaudit;
using audio::Sequencer;

TEST_CASE("sequencer: the wrap from 65535 to 0 is the next packet") {
    Sequencer s;
    CHECK(s.place(65534).action == Sequencer::Action::play);
    const auto next = s.place(65535);
    CHECK(next.action == Sequencer::Action::play);
    CHECK(next.missing == 0);
    const auto wrapped = s.place(0);
    CHECK(wrapped.action == Sequencer::Action::play);
    CHECK(wrapped.missing == 0);
    const auto gap_over_wrap = s.place(3);
    CHECK(gap_over_wrap.action == Sequencer::Action::play);
    CHECK(gap_over_wrap.missing == 2);
}

TEST_CASE("sequencer: late and duplicate packets are dropped, far jumps resynchronise") {
    Sequencer s;
    CHECK(s.place(1000).action == Sequencer::Action::play);
    CHECK(s.place(1001).action == Sequencer::Action::play);
    CHECK(s.place(1001).action == Sequencer::Action::drop_late);  // duplicate
    CHECK(s.place(999).action == Sequencer::Action::drop_late);   // late
    CHECK(s.place(1002).missing == 0);
    CHECK(s.place(1002 + Sequencer::k_max_gap_packets + 1).missing == Sequencer::k_max_gap_packets);
    CHECK(s.place(30000).action == Sequencer::Action::resync);  // far ahead
    CHECK(s.place(30001).action == Sequencer::Action::play);
    CHECK(s.place(20000).action == Sequencer::Action::resync);  // far behind: a restarted sender
    CHECK(s.place(20001).missing == 0);
}

TEST_CASE("sequencer: silence fills losses, bounded by the capture time that passed") {
    // 3 lost 20 ms packets (160 samples each at 8 kHz) over 80 ms: all 480 samples.
    CHECK(Sequencer::silence_for(3, 160, 80'000, 8000) == 480);
    // The same loss claimed within 20 ms: the time allows none.
    CHECK(Sequencer::silence_for(3, 160, 20'000, 8000) == 0);
    CHECK(Sequencer::silence_for(0, 160, 80'000, 8000) == 0);
    CHECK(Sequencer::silence_for(250, 5760, 9'000'000'000'000'000'000, 48000) == 250ULL * 5760);
    CHECK(Sequencer::silence_for(3, 160, -5, 8000) == 0);
}

TEST_CASE("sequencer: a stream of absurd sequence jumps makes no more sound than its duration") {
    std::mt19937 random{7};
    std::uniform_int_distribution<int> sequence{0, 65535};
    Sequencer s;
    constexpr std::uint64_t k_packets = 10'000;
    constexpr std::int64_t k_interval = 20'000;  // 20 ms between arrivals
    constexpr std::uint64_t k_samples_per_packet = 160;
    std::uint64_t samples = 0;
    for (std::uint64_t i = 0; i < k_packets; ++i) {
        const auto placement = s.place(static_cast<std::uint16_t>(sequence(random)));
        if (placement.action == Sequencer::Action::drop_late) {
            continue;
        }
        samples += Sequencer::silence_for(placement.missing, k_samples_per_packet, k_interval, 8000);
        samples += k_samples_per_packet;
    }
    // What the arrivals took (200 s of 8 kHz): silence never outgrows the capture's time.
    CHECK(samples <= k_packets * k_samples_per_packet);
}
