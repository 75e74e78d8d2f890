#include <catch2/catch.hpp>

#include "unit/zrtp/zrtp_builder.hpp"
#include "zaudit/gen/zrtp_wire.hpp"
#include "zaudit/zrtp/fragment.hpp"

using namespace zaudit::zrtp;
using zaudit::util::Anomaly;
using zaudit::util::AnomalyCode;
using zrtp_test::Blob;

namespace {

bool has_anomaly(const std::vector<Anomaly>& anomalies, AnomalyCode code) {
    return std::any_of(anomalies.begin(), anomalies.end(), [&](const Anomaly& a) { return a.code == code; });
}

/// A 468-byte DHPart2 (DH3k) to split.
Blob big_message() {
    Blob pv(384);
    for (std::size_t i = 0; i < pv.size(); ++i) {
        pv[i] = static_cast<std::uint8_t>(i * 7);
    }
    return zrtp_test::dhpart(true, zrtp_test::filled(32, 3), pv, zrtp_test::filled(32, 4));
}

FragmentInfo piece(const Blob& msg, std::uint16_t id, std::size_t offset_words, std::size_t words) {
    FragmentInfo f;
    f.message_id = id;
    f.total_words = static_cast<std::uint16_t>(msg.size() / 4);
    f.offset_words = static_cast<std::uint16_t>(offset_words);
    f.length_words = static_cast<std::uint16_t>(words);
    f.data.assign(msg.begin() + static_cast<std::ptrdiff_t>(offset_words * 4),
                  msg.begin() + static_cast<std::ptrdiff_t>((offset_words + words) * 4));
    return f;
}

}  // namespace

TEST_CASE("fragments written by the sample generator reassemble into the message") {
    // zaudit::gen writes bzrtp-style fragments from its own reading of bzrtp (an independent writer).
    const Blob msg = big_message();
    const auto packets = zaudit::gen::zrtp_fragment_packets(100, 0xabcdef01, msg, {7, 200});
    REQUIRE(packets.size() > 1);
    FragmentAssembler assembler;
    std::optional<Message> whole;
    for (const auto& p : packets) {
        const Packet packet = parse_packet(p);
        CHECK(packet.crc_valid);
        CHECK(packet.anomalies.empty());
        REQUIRE(packet.fragment);
        CHECK(packet.fragment->message_id == 7);
        auto result = assembler.add(packet.header.ssrc, *packet.fragment);
        CHECK(result.anomalies.empty());
        if (result.message) {
            whole = std::move(result.message);
        }
    }
    REQUIRE(whole);
    CHECK(whole->bytes == msg);
    CHECK(whole->type == MessageType::dhpart2);
    CHECK(assembler.pending() == 0);
}

TEST_CASE("fragments out of order and duplicated") {
    const Blob msg = big_message();
    const std::size_t words = msg.size() / 4;
    FragmentAssembler assembler;
    CHECK_FALSE(assembler.add(1, piece(msg, 1, 60, words - 60)).message);
    CHECK_FALSE(assembler.add(1, piece(msg, 1, 60, words - 60)).message);  // retransmission
    CHECK(assembler.pending() == 1);
    const auto done = assembler.add(1, piece(msg, 1, 0, 60));
    REQUIRE(done.message);
    CHECK(done.anomalies.empty());
    CHECK(done.message->bytes == msg);
}

TEST_CASE("fragments of different SSRCs or ids do not mix") {
    const Blob msg = big_message();
    const std::size_t words = msg.size() / 4;
    FragmentAssembler assembler;
    CHECK_FALSE(assembler.add(1, piece(msg, 1, 0, 60)).message);
    CHECK_FALSE(assembler.add(2, piece(msg, 1, 60, words - 60)).message);
    CHECK_FALSE(assembler.add(1, piece(msg, 2, 60, words - 60)).message);
    CHECK(assembler.pending() == 3);
}

TEST_CASE("overlapping fragment with other bytes is an anomaly, the first bytes are kept") {
    const Blob msg = big_message();
    const std::size_t words = msg.size() / 4;
    FragmentAssembler assembler;
    (void)assembler.add(1, piece(msg, 1, 0, 60));
    FragmentInfo forged = piece(msg, 1, 50, 20);
    forged.data[0] ^= 0xff;
    const auto r = assembler.add(1, forged);
    CHECK(has_anomaly(r.anomalies, AnomalyCode::zrtp_fragment_overlap_conflict));
    const auto done = assembler.add(1, piece(msg, 1, 60, words - 60));
    REQUIRE(done.message);
    CHECK(done.message->bytes == msg);
}

TEST_CASE("inconsistent total restarts the message") {
    const Blob msg = big_message();
    FragmentAssembler assembler;
    (void)assembler.add(1, piece(msg, 1, 0, 60));
    FragmentInfo other = piece(msg, 1, 60, 10);
    other.total_words = 80;
    const auto r = assembler.add(1, other);
    CHECK(has_anomaly(r.anomalies, AnomalyCode::zrtp_fragment_total_mismatch));
    CHECK(assembler.pending() == 1);
}

TEST_CASE("fragment beyond the total, empty, or a hostile total") {
    const Blob msg = big_message();
    FragmentAssembler assembler{AssemblerLimits{1024, 4}};
    FragmentInfo beyond = piece(msg, 1, 100, 17);
    beyond.data.resize(20 * 4);  // 20 words at 100: beyond the 117 the total announces
    beyond.length_words = 20;
    CHECK(has_anomaly(assembler.add(1, beyond).anomalies, AnomalyCode::zrtp_fragment_out_of_range));
    FragmentInfo empty = piece(msg, 1, 0, 0);
    CHECK(has_anomaly(assembler.add(1, empty).anomalies, AnomalyCode::zrtp_fragment_out_of_range));
    FragmentInfo huge = piece(msg, 1, 0, 10);
    huge.total_words = 0xffff;
    CHECK(has_anomaly(assembler.add(1, huge).anomalies, AnomalyCode::zrtp_fragment_total_invalid));
    CHECK(assembler.pending() == 0);
}

TEST_CASE("memory is bounded: the oldest pending message is evicted") {
    const Blob msg = big_message();
    FragmentAssembler assembler{AssemblerLimits{16384, 2}};
    (void)assembler.add(1, piece(msg, 1, 0, 10));
    (void)assembler.add(1, piece(msg, 2, 0, 10));
    const auto r = assembler.add(1, piece(msg, 3, 0, 10));
    CHECK(has_anomaly(r.anomalies, AnomalyCode::zrtp_fragment_evicted));
    CHECK(assembler.pending() == 2);
    // Message 1 was dropped: its remaining fragment alone does not complete it.
    CHECK_FALSE(assembler.add(1, piece(msg, 1, 10, msg.size() / 4 - 10)).message);
}
