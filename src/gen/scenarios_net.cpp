// Scenarios for the capture and network layers: link types, VLANs, IPv6, fragments, TCP.
#include "scenarios.hpp"

namespace zaudit::gen::scenario_builders {

CaptureBuilder rtp_over_vlan(std::uint64_t seed) {
    Framing framing;
    framing.vlan_ids = {100};
    CaptureBuilder capture{framing};
    SeededBytes random{seed};
    const auto a = ep("192.0.2.10", 40000);
    const auto b = ep("198.51.100.20", 50000);
    const std::uint32_t ssrc_a = random.u32();
    const std::uint32_t ssrc_b = random.u32();
    std::uint16_t seq_a = random.u16();
    std::uint16_t seq_b = random.u16();
    for (std::uint32_t i = 0; i < 50; ++i) {
        const util::Timestamp t{k_start + std::int64_t{i} * 20'000};
        capture.add_udp(t, a, b, build_rtp(0, seq_a++, i * 160, ssrc_a, g711_tone(i * 160)));
        capture.add_udp(util::Timestamp{t.micros + 7'000}, b, a,
                        build_rtp(0, seq_b++, i * 160, ssrc_b, g711_tone(i * 160 + 40)));
    }
    return capture;
}

CaptureBuilder opaque_p2p_call(std::uint64_t seed) {
    // What a closed softphone's encrypted P2P call looks like on the wire: no signalling, 20 ms
    // frames each way (50 datagrams a second) of 60-100 bytes whose every byte, the first ones
    // included, is uniformly random, with a few milliseconds of jitter, for 12 s.
    CaptureBuilder capture;
    SeededBytes random = SeededBytes::for_scenario(seed, "net-opaque-p2p-call");
    const auto a = ep("192.0.2.70", 34567);
    const auto b = ep("198.51.100.80", 45678);
    constexpr std::uint32_t k_frames = 600;  // 12 s of 20 ms frames
    constexpr std::int64_t k_frame_micros = 20'000;
    constexpr std::int64_t k_jitter_micros = 4'000;
    constexpr std::size_t k_min_size = 60;
    constexpr std::size_t k_sizes = 41;  // 60-100 bytes
    const auto jitter = [&] { return std::int64_t{random.u16() % k_jitter_micros}; };
    const auto payload = [&] {
        const std::size_t size = k_min_size + random.u16() % k_sizes;
        return random.bytes(size);
    };
    for (std::uint32_t i = 0; i < k_frames; ++i) {
        const std::int64_t t = k_start + std::int64_t{i} * k_frame_micros;
        // b's frames are 9-13 ms after a's, so the two directions never swap order.
        // One draw per statement: the order of a call's arguments is unspecified.
        const std::int64_t t_ab = t + jitter();
        const ByteVector ab = payload();
        const std::int64_t t_ba = t + 9'000 + jitter();
        const ByteVector ba = payload();
        capture.add_udp(util::Timestamp{t_ab}, a, b, ab);
        capture.add_udp(util::Timestamp{t_ba}, b, a, ba);
    }
    return capture;
}

CaptureBuilder ipv6_fragments_sll(std::uint64_t seed) {
    Framing framing;
    framing.link_type = 113;
    framing.mtu = 576;
    CaptureBuilder capture{framing};
    SeededBytes random{seed};
    const auto a = ep("2001:db8::10", 5060);
    const auto b = ep("2001:db8:1::20", 5060);
    for (int i = 0; i < 3; ++i) {
        capture.add_udp(util::Timestamp{k_start + std::int64_t{i} * 100'000}, a, b, random.bytes(1400));
    }
    return capture;
}

CaptureBuilder tcp_reordered_pcapng(std::uint64_t seed) {
    CaptureBuilder capture;
    SeededBytes random{seed};
    const auto client = ep("192.0.2.30", 45000);
    const auto server = ep("192.0.2.40", 5060);
    const std::uint32_t isn = random.u32();
    std::int64_t t = k_start;
    capture.add_tcp(util::Timestamp{t++}, client, server, isn, 0, 0x02, {});
    capture.add_tcp(util::Timestamp{t++}, server, client, 7000, isn + 1, 0x12, {});
    const ByteVector data = random.bytes(3000);
    const auto part = [&](std::size_t from, std::size_t n) { return util::Bytes{data}.subspan(from, n); };
    // 1000-byte segments sent 0, 2, 1 (reordered), then 1 again (retransmitted)
    capture.add_tcp(util::Timestamp{t++}, client, server, isn + 1, 7001, 0x18, part(0, 1000));
    capture.add_tcp(util::Timestamp{t++}, client, server, isn + 2001, 7001, 0x18, part(2000, 1000));
    capture.add_tcp(util::Timestamp{t++}, client, server, isn + 1001, 7001, 0x18, part(1000, 1000));
    capture.add_tcp(util::Timestamp{t++}, client, server, isn + 1001, 7001, 0x18, part(1000, 1000));
    for (std::size_t i = 0; i < capture.frames().size(); ++i) {
        capture.frames()[i].interface = static_cast<std::uint32_t>(i % 2);  // two capture interfaces
    }
    return capture;
}

}  // namespace zaudit::gen::scenario_builders
