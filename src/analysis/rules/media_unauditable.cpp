// media.unauditable: a flow that looks like a call but speaks no protocol zaudit can check.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>

#include "rules.hpp"

namespace zaudit::analysis::rules {
namespace {

// What makes a flow look like a call. A voice codec sends a frame every 10-60 ms (17-100
// packets a second; 50 for the usual 20 ms), each of tens to a few hundred bytes, for as long
// as the call lasts; encrypted, its bytes read as random. Other steady UDP (games, tunnels,
// telemetry) usually differs in one of these, and the known ones are named before this rule
// sees them (demux: DNS, QUIC, WireGuard, OpenVPN, STUN, DTLS).
constexpr double k_min_packets_per_second = 20;
constexpr std::int64_t k_min_duration_micros = 5'000'000;
constexpr std::int64_t k_max_silence_micros = 1'000'000;  ///< longest gap in the steady direction
constexpr double k_min_voice_sized_share = 0.9;
constexpr double k_min_entropy_bits = 7.5;  ///< G.711 speech reads 6.5-7, ciphertext 8.0 (rtp/payload.hpp)
constexpr std::uint64_t k_min_sampled_bytes = 1024;
/// The flow's datagrams that no parser took: a few STUN checks (ICE) around a proprietary
/// stream still leave the flow unauditable.
constexpr double k_min_opaque_share = 0.9;

double seconds(std::int64_t micros) {
    return static_cast<double>(micros) / 1e6;
}

/// Packets a second in one direction over its own span; 0 for fewer than two packets.
double rate(const session::OpaquePayloads& o, std::size_t d) {
    const std::int64_t span = o.last_time[d].micros - o.first_time[d].micros;
    if (o.packets[d] < 2 || span <= 0) {
        return 0;
    }
    return static_cast<double>(o.packets[d] - 1) / seconds(span);
}

bool steady(const session::OpaquePayloads& o, std::size_t d) {
    return rate(o, d) >= k_min_packets_per_second && o.longest_gap_micros[d] <= k_max_silence_micros &&
           o.last_time[d].micros - o.first_time[d].micros >= k_min_duration_micros;
}

bool media_like(const session::FlowRecord& flow) {
    const std::uint64_t packets = flow.packets_ab + flow.packets_ba;
    if (flow.transport != net::Transport::udp || !flow.opaque || packets == 0) {
        return false;
    }
    const session::OpaquePayloads& o = *flow.opaque;
    const auto share = [](std::uint64_t part, std::uint64_t whole) {
        return static_cast<double>(part) / static_cast<double>(whole);
    };
    return share(o.total(), packets) >= k_min_opaque_share && (steady(o, 0) || steady(o, 1)) &&
           share(o.voice_sized, o.total()) >= k_min_voice_sized_share && o.sampled_bytes >= k_min_sampled_bytes &&
           o.entropy_bits >= k_min_entropy_bits;
}

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    // Flows where zaudit found media it reads are audited by the other rules.
    std::set<std::uint32_t> audited;
    for (const session::MediaStream& stream : model.media) {
        audited.insert(stream.flow);
    }
    for (const session::ZrtpHandshake& handshake : model.handshakes) {
        audited.insert(handshake.flow);
    }
    for (const session::FlowRecord& flow : model.flows) {
        if (audited.count(flow.id) > 0 || !media_like(flow)) {
            continue;
        }
        const session::OpaquePayloads& o = *flow.opaque;
        const std::int64_t first = std::min(o.packets[0] > 0 ? o.first_time[0].micros : INT64_MAX,
                                            o.packets[1] > 0 ? o.first_time[1].micros : INT64_MAX);
        const std::int64_t last = std::max(o.last_time[0].micros, o.last_time[1].micros);
        const double duration = seconds(last - first);
        const double mean = static_cast<double>(o.bytes) / static_cast<double>(o.total());
        Finding& f = sink.add(fmt::format(
            "flow {} {} <-> {}: {:.0f} and {:.0f} packets/s of {}-{} bytes (mean {:.0f}) for {:.1f} s, payload "
            "entropy {:.2f} bits/byte, in no protocol zaudit can check",
            flow.id, flow.a, flow.b, rate(o, 0), rate(o, 1), o.min_size, o.max_size, mean, duration, o.entropy_bits));
        f.confidence = Confidence::not_verifiable;
        f.frames = {o.first_frame, o.last_frame};
        f.evidence = {{"flow", flow.id},
                      {"src", flow.a.to_string()},
                      {"dst", flow.b.to_string()},
                      {"packets_ab", o.packets[0]},
                      {"packets_ba", o.packets[1]},
                      {"packets_per_second_ab", std::round(rate(o, 0) * 10) / 10},
                      {"packets_per_second_ba", std::round(rate(o, 1) * 10) / 10},
                      {"duration_s", std::round(duration * 10) / 10},
                      {"size_min", o.min_size},
                      {"size_mean", std::round(mean * 10) / 10},
                      {"size_max", o.max_size},
                      {"entropy_bits_per_byte", std::round(o.entropy_bits * 100) / 100},
                      {"sampled_bytes", o.sampled_bytes},
                      {"first_frame", o.first_frame},
                      {"last_frame", o.last_frame}};
    }
}

}  // namespace

RuleInfo media_unauditable() {
    return {"media.unauditable",
            Severity::info,
            "Media-like traffic zaudit cannot audit",
            "A UDP flow carries what looks like a call: a steady stream of voice-sized datagrams (20 or more a "
            "second for several seconds, nearly all of 40-300 bytes) whose bytes are as random as ciphertext, in "
            "no protocol zaudit reads: not SIP, RTP, SRTP, ZRTP, STUN, DTLS, nor a tunnel it recognises (WireGuard, "
            "OpenVPN, QUIC, DNS). A closed application (Skype, WhatsApp, Signal, Telegram, a game's voice chat) "
            "that encrypts with a protocol of its own sends such flows. It is encrypted with a protocol zaudit "
            "cannot verify: whether it is end to end, who holds the keys, and whether the vendor or a relay can "
            "listen cannot be seen in packets, so its security rests on the vendor. It is reported so that the "
            "absence of other findings is not read as a clean call.",
            "Find which application on the two endpoints sends the flow. Where calls must be auditable, use a "
            "VoIP client with standard, verifiable protection (SIP with ZRTP and SAS comparison, or DTLS-SRTP); "
            "otherwise rely on the vendor's published security design and independent audits.",
            "RFC 7983 section 7 (what a VoIP endpoint demultiplexes); RFC 3550 section 5.1; RFC 3711 section 3",
            &check};
}

}  // namespace zaudit::analysis::rules
