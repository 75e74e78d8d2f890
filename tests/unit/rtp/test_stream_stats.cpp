#include <catch2/catch.hpp>

#include <initializer_list>
#include <vector>

#include "zaudit/rtp/payload.hpp"
#include "zaudit/rtp/stream_stats.hpp"

using zaudit::rtp::parse_rtp;
using zaudit::rtp::RtpStreamStats;
using zaudit::util::Timestamp;

namespace {

// An RTP packet: V=2, given PT/seq/ts, SSRC 0x01020304, payload of `size` bytes of `fill`.
std::vector<std::uint8_t> packet(std::uint16_t seq, std::uint32_t ts, std::uint8_t pt = 0, std::uint8_t fill = 0xd5,
                                 std::size_t size = 160) {
    std::vector<std::uint8_t> p{0x80,
                                pt,
                                static_cast<std::uint8_t>(seq >> 8),
                                static_cast<std::uint8_t>(seq),
                                static_cast<std::uint8_t>(ts >> 24),
                                static_cast<std::uint8_t>(ts >> 16),
                                static_cast<std::uint8_t>(ts >> 8),
                                static_cast<std::uint8_t>(ts),
                                0x01,
                                0x02,
                                0x03,
                                0x04};
    p.insert(p.end(), size, fill);
    return p;
}

// Feeds sequence numbers 20 ms apart with timestamps 160 apart (8 kHz, 20 ms packets).
void feed(RtpStreamStats& stats, std::initializer_list<std::uint16_t> seqs) {
    std::int64_t t = 1'000'000;
    for (const std::uint16_t seq : seqs) {
        const auto p = packet(seq, seq * 160U);
        stats.on_packet(*parse_rtp(p), p, Timestamp{t}, 64);
        t += 20'000;
    }
}

}  // namespace

TEST_CASE("stream stats: in-order stream leaves probation after two packets (RFC 3550 A.1)") {
    RtpStreamStats stats;
    feed(stats, {100, 101, 102, 103, 104, 105, 106, 107, 108, 109});
    CHECK(stats.packets() == 10);
    CHECK(stats.payload_bytes() == 1600);
    CHECK(stats.ssrc() == 0x01020304U);
    CHECK_FALSE(stats.in_probation());
    // Per A.1, 100 and 101 are the MIN_SEQUENTIAL probation packets; init_seq() at 101.
    CHECK(stats.base_sequence() == 101);
    CHECK(stats.received() == 9);
    CHECK(stats.expected() == 9);
    CHECK(stats.rfc_lost() == 0);
    CHECK(stats.expected_in_capture() == 10);  // from the first packet, probation or not
    CHECK(stats.lost() == 0);
    CHECK(stats.duplicates() == 0);
    CHECK(stats.out_of_order() == 0);
    CHECK(stats.first_time().micros == 1'000'000);
    CHECK(stats.last_time().micros == 1'180'000);
}

TEST_CASE("stream stats: a duplicated first packet is counted (regression: merged captures read -294 for -295)") {
    RtpStreamStats stats;
    feed(stats, {1, 1, 2, 2, 3, 3});  // every packet twice, as in a capture merged from two hops
    CHECK(stats.expected_in_capture() == 3);
    CHECK(stats.lost() == -3);
    CHECK(stats.lost_percent() == Approx(-100.0));
    CHECK(stats.rfc_lost() == -2);  // A.1 drops the first packet and its copy in probation
}

TEST_CASE("stream stats: a single packet stays in probation") {
    RtpStreamStats stats;
    feed(stats, {7});
    CHECK(stats.in_probation());
    CHECK(stats.expected() == 0);
    CHECK(stats.lost() == 0);
}

TEST_CASE("stream stats: two lost packets") {
    RtpStreamStats stats;
    feed(stats, {1, 2, 3, 4, 7, 8, 9, 10});
    CHECK(stats.received() == 7);  // 2..10 minus 5 and 6
    CHECK(stats.expected() == 9);  // 10 - 2 + 1
    CHECK(stats.lost() == 2);
    CHECK(stats.out_of_order() == 0);
}

TEST_CASE("stream stats: duplicate with the same payload") {
    RtpStreamStats stats;
    feed(stats, {1, 2, 3, 4, 4, 5});
    CHECK(stats.duplicates() == 1);
    CHECK(stats.conflicting_duplicates() == 0);
    CHECK(stats.received() == 5);  // A.1 counts the duplicate
    CHECK(stats.expected() == 4);
    CHECK(stats.rfc_lost() == -1);  // negative, as RFC 3550 section 6.4.1 allows
    CHECK(stats.lost() == -1);      // 5 expected from packet 1, 6 received
}

TEST_CASE("stream stats: duplicate sequence number with a different payload") {
    RtpStreamStats stats;
    const auto a = packet(10, 1600, 0, 0xd5);
    const auto b = packet(11, 1760, 0, 0xd5);
    const auto injected = packet(11, 1760, 0, 0x55);  // same seq and ts, other samples
    stats.on_packet(*parse_rtp(a), a, Timestamp{0}, 64);
    stats.on_packet(*parse_rtp(b), b, Timestamp{20'000}, 64);
    stats.on_packet(*parse_rtp(injected), injected, Timestamp{20'500}, 61);
    CHECK(stats.duplicates() == 1);
    CHECK(stats.conflicting_duplicates() == 1);
    CHECK(stats.ttl_min() == 61);
    CHECK(stats.ttl_max() == 64);
    CHECK(stats.ttl_changes() == 1);
}

TEST_CASE("stream stats: the header-only overload cannot compare payloads") {
    RtpStreamStats stats;
    const auto a = packet(11, 1760, 0, 0xd5);
    const auto b = packet(11, 1760, 0, 0x55);
    stats.on_packet(*parse_rtp(a), Timestamp{0}, 64, 160);
    stats.on_packet(*parse_rtp(b), Timestamp{1}, 64, 160);
    CHECK(stats.duplicates() == 1);
    CHECK(stats.conflicting_duplicates() == 0);
    CHECK(stats.payload_sample().sampled_packets() == 0);
}

TEST_CASE("stream stats: reordered packet") {
    RtpStreamStats stats;
    feed(stats, {1, 2, 3, 5, 4, 6});
    CHECK(stats.out_of_order() == 1);
    CHECK(stats.duplicates() == 0);
    CHECK(stats.received() == 5);
    CHECK(stats.expected() == 5);
    CHECK(stats.lost() == 0);
}

TEST_CASE("stream stats: sequence number wrap counts a cycle") {
    RtpStreamStats stats;
    feed(stats, {65533, 65534, 65535, 0, 1, 2});
    CHECK(stats.cycles() == 1);
    CHECK(stats.extended_max_sequence() == 65538);
    CHECK(stats.base_sequence() == 65534);
    CHECK(stats.expected() == 5);
    CHECK(stats.lost() == 0);
    CHECK(stats.out_of_order() == 0);
}

TEST_CASE("stream stats: probation across the wrap (regression: RFC's int compare never matches)") {
    RtpStreamStats stats;
    feed(stats, {65535, 0, 1});
    CHECK_FALSE(stats.in_probation());
    CHECK(stats.base_sequence() == 0);
    CHECK(stats.received() == 2);
    CHECK(stats.expected() == 2);
}

TEST_CASE("stream stats: a large jump confirmed by the next packet restarts the sequence") {
    RtpStreamStats stats;
    feed(stats, {1, 2, 3, 4, 5, 20000, 20001, 20002});
    CHECK(stats.bad_sequence_jumps() == 1);
    CHECK(stats.sequence_resets() == 1);
    CHECK(stats.base_sequence() == 20001);
    CHECK(stats.received() == 2);
    CHECK(stats.expected() == 2);
    CHECK(stats.lost() == 20002 - 8);  // the jump counts as loss, as in tshark
}

TEST_CASE("stream stats: a lone large jump is discarded") {
    RtpStreamStats stats;
    feed(stats, {1, 2, 3, 40000, 4, 5});
    CHECK(stats.bad_sequence_jumps() == 1);
    CHECK(stats.sequence_resets() == 0);
    CHECK(stats.received() == 4);  // 2, 3, 4, 5
    CHECK(stats.expected() == 4);
}

// Four packets 20 ms apart in RTP time (`step` timestamp units) arriving at 0, 20, 45 and 60 ms:
// the third is 5 ms late, the fourth 5 ms early relative to it.
void feed_late_and_early(RtpStreamStats& stats, std::uint8_t pt, std::uint32_t step, bool third_has_marker = false) {
    const std::int64_t arrivals[] = {0, 20'000, 45'000, 60'000};
    for (std::uint16_t i = 0; i < 4; ++i) {
        const auto marker = static_cast<std::uint8_t>(i == 2 && third_has_marker ? 0x80 : 0);
        const auto p =
            packet(static_cast<std::uint16_t>(i + 1), (i + 1U) * step, static_cast<std::uint8_t>(pt | marker));
        stats.on_packet(*parse_rtp(p), p, Timestamp{arrivals[i]}, 64);
    }
}

TEST_CASE("stream stats: interarrival jitter by hand, 8 kHz PCMU (RFC 3550 A.8)") {
    RtpStreamStats stats;  // PT 0 is PCMU/8000 by RFC 3551's static table
    feed_late_and_early(stats, 0, 160);
    // D2 = 0; D3 = |25 - 20| = 5 ms: J = 5 / 16 = 0.3125; D4 = |15 - 20| = 5: J = 0.3125 + (5 - 0.3125) / 16.
    REQUIRE(stats.jitter_known());
    CHECK(stats.jitter_ms() == Approx(0.60546875));
    CHECK(stats.max_jitter_ms() == Approx(0.60546875));
    // tshark's running mean over packets 2-4: 0, then (0 + 0.3125) / 2, then (0.15625 * 2 + 0.60546875) / 3.
    CHECK(stats.mean_jitter_ms() == Approx(0.30598958));
    CHECK(stats.max_delta_ms() == Approx(25.0));
}

TEST_CASE("stream stats: a 48 kHz stream with its rtpmap clock gives the same jitter in ms") {
    RtpStreamStats stats;
    stats.set_clock_rate(96, 48000);  // a=rtpmap:96 opus/48000/2
    feed_late_and_early(stats, 96, 960);
    CHECK(stats.jitter_ms() == Approx(0.60546875));
    CHECK(stats.max_jitter_ms() == Approx(0.60546875));
    CHECK(stats.mean_jitter_ms() == Approx(0.30598958));
}

TEST_CASE("stream stats: a 48 kHz stream read at 8 kHz would report six times the jitter") {
    RtpStreamStats stats;
    stats.set_clock_rate(96, 8000);  // the old behaviour: every stream at 8 kHz
    feed_late_and_early(stats, 96, 960);
    // Each 20 ms packet then looks 120 ms long: D = |20 - 120| = 100 ms per packet.
    CHECK(stats.jitter_ms() > 10.0);
}

TEST_CASE("stream stats: dynamic payload type without rtpmap has deltas but no jitter") {
    RtpStreamStats stats;
    feed_late_and_early(stats, 96, 960);
    CHECK_FALSE(stats.jitter_known());
    CHECK(stats.jitter_ms() == 0.0);
    CHECK(stats.max_jitter_ms() == 0.0);
    CHECK(stats.max_delta_ms() == Approx(25.0));
}

TEST_CASE("stream stats: a marker packet updates the jitter but not its maximum, mean or max delta") {
    RtpStreamStats stats;
    feed_late_and_early(stats, 0, 160, true);
    CHECK(stats.jitter_ms() == Approx(0.60546875));
    CHECK(stats.max_jitter_ms() == Approx(0.60546875));
    // Packet 3 is skipped, but the mean still divides by every packet before packet 4.
    CHECK(stats.mean_jitter_ms() == Approx(0.60546875 / 3));
    CHECK(stats.max_delta_ms() == Approx(20.0));  // the 25 ms gap before the marker is not counted
}

TEST_CASE("stream stats: comfort noise and the packet after it are left out of max delta") {
    RtpStreamStats stats;
    const auto p1 = packet(1, 160, 0);
    const auto cn = packet(2, 320, 13, 0x40, 1);
    const auto p3 = packet(3, 1600, 0);
    const auto p4 = packet(4, 1760, 0);
    stats.on_packet(*parse_rtp(p1), p1, Timestamp{0}, 64);
    stats.on_packet(*parse_rtp(cn), cn, Timestamp{30'000}, 64);
    stats.on_packet(*parse_rtp(p3), p3, Timestamp{190'000}, 64);
    stats.on_packet(*parse_rtp(p4), p4, Timestamp{211'000}, 64);
    CHECK(stats.max_delta_ms() == Approx(21.0));
}

TEST_CASE("stream stats: a packet timestamped before the first is out of time sequence") {
    RtpStreamStats stats;
    const auto p1 = packet(1, 1600);
    const auto early = packet(2, 160);  // RTP time before p1's: skipped entirely
    const auto p3 = packet(3, 1920);
    stats.on_packet(*parse_rtp(p1), p1, Timestamp{0}, 64);
    stats.on_packet(*parse_rtp(early), early, Timestamp{10'000}, 64);
    stats.on_packet(*parse_rtp(p3), p3, Timestamp{40'000}, 64);
    // p3 is compared with p1: arrival 40 ms, RTP 40 ms: D = 0.
    CHECK(stats.jitter_ms() == 0.0);
    CHECK(stats.max_delta_ms() == Approx(40.0));
}

TEST_CASE("stream stats: telephone-event has no clock for jitter (RFC 4733)") {
    CHECK(zaudit::rtp::jitter_clock_rate("telephone-event", 8000) == 0);
    CHECK(zaudit::rtp::jitter_clock_rate("TELEPHONE-EVENT", 48000) == 0);
    CHECK(zaudit::rtp::jitter_clock_rate("opus", 48000) == 48000);
}

TEST_CASE("stream stats: loss percentage of the expected packets") {
    RtpStreamStats stats;
    feed(stats, {1, 2, 3, 5, 6, 7, 8, 9, 10, 11});  // 4 lost: 1 of the 11 expected
    CHECK(stats.lost() == 1);
    CHECK(stats.lost_percent() == Approx(100.0 / 11));
}

TEST_CASE("stream stats: jitter across an RTP timestamp wrap stays small") {
    RtpStreamStats stats;
    const auto p1 = packet(1, 0xffffff60U);  // 160 before the wrap
    const auto p2 = packet(2, 0);
    stats.on_packet(*parse_rtp(p1), p1, Timestamp{0}, 64);
    stats.on_packet(*parse_rtp(p2), p2, Timestamp{20'000}, 64);
    CHECK(stats.jitter_known());
    CHECK(stats.jitter_ms() == 0.0);
}

TEST_CASE("stream stats: payload types seen and changes") {
    RtpStreamStats stats;
    const auto pcmu = packet(1, 160, 0);
    const auto cn = packet(2, 320, 13, 0x40, 1);
    const auto pcmu2 = packet(3, 480, 0);
    stats.on_packet(*parse_rtp(pcmu), pcmu, Timestamp{0}, 64);
    stats.on_packet(*parse_rtp(cn), cn, Timestamp{20'000}, 64);
    stats.on_packet(*parse_rtp(pcmu2), pcmu2, Timestamp{40'000}, 64);
    CHECK(stats.payload_types().count() == 2);
    CHECK(stats.payload_types().test(0));
    CHECK(stats.payload_types().test(13));
    CHECK(stats.payload_type_changes() == 2);
    CHECK(stats.last_payload_type() == 0);
    CHECK(stats.payload_bytes() == 321);
}
