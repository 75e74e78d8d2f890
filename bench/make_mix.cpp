// Writes a benchmark capture that looks like the field (issue 13): many SIP calls over UDP, about
// C of them at once, each with G.711 media both ways every 20 ms and RTCP sender reports every
// 5 s each way, protected as a mix: 50% plain RTP, 30% SDES-SRTP, 20% ZRTP. A few percent of the
// calls travel over 802.1Q VLANs, a few percent over IPv6. Everything is a function of the seed.
//
// Each call is INVITE (SDP offer), 100 Trying, 180 Ringing, 200 OK (SDP answer), ACK, then media
// and at the end BYE and its 200 OK. SDES calls carry one a=crypto AES_CM_128_HMAC_SHA1_80 per
// side, and each side really protects its SRTP and SRTCP with the key of its own SDP (libsrtp2
// through srtp::SrtpProtector). ZRTP calls carry a=zrtp-hash of the Hello each side sends, run a
// genuine RFC 6189 DH3k handshake (gen::ZrtpHandshakeGenerator) on the media ports, and then send
// SRTP/SRTCP under the keys that handshake derived (srtpkeyi/srtpsalti and srtpkeyr/srtpsaltr),
// as src/gen/scenarios_zrtp.cpp does for one call.
//
// Streamed: a call's SIP and ZRTP frames (a dozen or so) are built when the call starts, its
// media one packet at a time; the live calls are merged by time through a priority queue and
// each frame goes straight to pcap_dump. Memory depends on the concurrency, not on the size.
//
// Addresses: call i's caller is 10.0.0.0/9 + i + 1, its callee 10.128.0.0/9 + i + 1 (IPv6 calls:
// 2001:db8:a::/64 and 2001:db8:b::/64), SIP on 5060, RTP on 40000 and 50000, RTCP one above.
//
// usage: bench_make_mix OUT.pcap [--calls N | --packets P | --megabytes M] [--concurrent C]
//                       [--seconds S] [--seed N] [--only plain|sdes|zrtp] [--list FILE]
// --list writes one line per call: caller user (a<i>), kind (plain, sdes, zrtp), vlan, ipv6 (0/1).
#include <pcap/pcap.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <memory>
#include <optional>
#include <queue>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/gen/frame_builder.hpp"
#include "zaudit/gen/scenario.hpp"
#include "zaudit/gen/sip_builder.hpp"
#include "zaudit/gen/zrtp_handshake.hpp"
#include "zaudit/srtp/crypto_suite.hpp"
#include "zaudit/srtp/srtp_session.hpp"

using namespace zaudit;

namespace {

constexpr std::int64_t k_epoch = 1'790'000'000'000'000;  // the generator's fixed epoch (scenarios_net.cpp)
constexpr std::int64_t k_ms = 1'000;
constexpr std::int64_t k_ptime = 20 * k_ms;
constexpr std::int64_t k_rtcp_interval = 5'000 * k_ms;
constexpr std::int64_t k_crossing = 20 * k_ms;   // an answer leaves one network crossing later
constexpr std::int64_t k_ring_min = 500 * k_ms;  // 180 Ringing to 200 OK: 0.5 to 3 s
constexpr std::int64_t k_ring_spread = 2'500 * k_ms;
constexpr std::uint16_t k_caller_rtp = 40000;
constexpr std::uint16_t k_callee_rtp = 50000;
constexpr std::size_t k_key_salt = 30;  // AES-128 master key and 112-bit salt
constexpr std::string_view k_suite = "AES_CM_128_HMAC_SHA1_80";
constexpr std::uint32_t k_vlan_percent = 4;
constexpr std::uint32_t k_ipv6_percent = 3;
constexpr std::uint64_t k_ntp_offset = 2'208'988'800;  // seconds from 1900 to 1970 (RFC 5905)

enum class Kind : std::uint8_t { plain, sdes, zrtp };

std::string_view name_of(Kind kind) {
    switch (kind) {
        case Kind::plain: return "plain";
        case Kind::sdes: return "sdes";
        case Kind::zrtp: return "zrtp";
    }
    return "?";
}

std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

struct Options {
    std::string out;
    std::uint64_t calls = 2000;
    std::optional<std::uint64_t> packets;
    std::optional<double> megabytes;
    std::uint32_t concurrent = 200;
    double seconds = 25.0;
    std::uint64_t seed = 1;
    std::optional<Kind> only;
    std::string list;  ///< where to write one line per call (caller user, kind, vlan, ipv6)
};

/// The parameters every call is drawn from.
struct Shape {
    std::size_t media_packets = 0;  ///< per direction, on average (S / 20 ms)
    std::int64_t gap = 0;           ///< mean time between two call starts
    std::uint64_t seed = 0;
};

// ---------------------------------------------------------------------------------------------
// Frames

struct Frame {
    std::int64_t time = 0;
    gen::ByteVector bytes;
};

gen::ByteVector udp_frame(const gen::Framing& framing, const util::Endpoint& src, const util::Endpoint& dst,
                          util::Bytes payload, std::uint32_t ip_id) {
    const gen::ByteVector udp = gen::build_udp(src, dst, payload);
    auto frames = gen::build_ip_frames(framing, src.address, dst.address, 17, udp, ip_id);
    if (frames.size() != 1) {
        throw std::logic_error{"a media packet was fragmented"};
    }
    return std::move(frames.front());
}

/// 20 ms of the 440 Hz tone from sample `offset`: the tone repeats every 200 samples (8000/40)
/// and every offset used is a multiple of 40, so five payloads serve every packet.
const gen::ByteVector& tone(std::uint64_t offset) {
    static const std::array<gen::ByteVector, 5> tones{gen::g711_tone(0), gen::g711_tone(40), gen::g711_tone(80),
                                                      gen::g711_tone(120), gen::g711_tone(160)};
    return tones[(offset % 200) / 40];
}

// ---------------------------------------------------------------------------------------------
// RTCP (RFC 3550 section 6.4.1 SR with one report block, section 6.5 SDES CNAME)

std::uint64_t ntp_of(std::int64_t micros) {
    const auto seconds = static_cast<std::uint64_t>(micros / 1'000'000) + k_ntp_offset;
    const auto fraction = (static_cast<std::uint64_t>(micros % 1'000'000) << 32) / 1'000'000;
    return (seconds << 32) | fraction;
}

util::Endpoint rtcp_of(util::Endpoint rtp) {
    rtp.port = static_cast<std::uint16_t>(rtp.port + 1);
    return rtp;
}

/// One direction of a call's media: RTP every 20 ms, an SR every 5 s, plain or SRTP.
struct Direction {
    util::Endpoint src;
    util::Endpoint dst;
    std::uint32_t ssrc = 0;
    std::uint16_t first_sequence = 0;
    std::uint32_t first_timestamp = 0;
    std::uint32_t tone_shift = 0;
    std::string cname;
    std::optional<srtp::SrtpProtector> srtp;
    std::int64_t first = 0;  ///< time of the first RTP packet
    std::size_t total = 0;   ///< RTP packets to send
    std::size_t sent = 0;
    std::int64_t next_rtcp = 0;
    // what this side last heard from the other (for its report block)
    std::uint32_t lsr = 0;
    std::int64_t lsr_at = -1;

    [[nodiscard]] bool rtp_done() const { return sent >= total; }
    [[nodiscard]] std::int64_t next_rtp() const {
        return rtp_done() ? std::numeric_limits<std::int64_t>::max()
                          : first + static_cast<std::int64_t>(sent) * k_ptime;
    }
    [[nodiscard]] std::int64_t last_rtp() const { return first + static_cast<std::int64_t>(total - 1) * k_ptime; }
    [[nodiscard]] std::int64_t rtcp_due() const {
        return next_rtcp <= last_rtp() ? next_rtcp : std::numeric_limits<std::int64_t>::max();
    }

    gen::ByteVector rtp_payload() {
        const gen::ByteVector rtp = gen::build_rtp(0, static_cast<std::uint16_t>(first_sequence + sent),
                                                   first_timestamp + static_cast<std::uint32_t>(sent * 160), ssrc,
                                                   tone(sent * 160 + tone_shift), sent == 0);
        ++sent;
        return protect(rtp, false);
    }

    /// SR + SDES, `peer` being the direction this side receives.
    gen::ByteVector rtcp_payload(std::int64_t now, const Direction& peer) {
        const std::uint64_t ntp = ntp_of(now);
        const auto rtp_ts = first_timestamp + static_cast<std::uint32_t>((now - first) / 125);  // 8 kHz
        const bool report = peer.sent > 0;
        gen::ByteWriter w;
        w.u8(report ? 0x81 : 0x80).u8(200).u16(report ? 12 : 6).u32(ssrc).u64(ntp).u32(rtp_ts);
        w.u32(static_cast<std::uint32_t>(sent)).u32(static_cast<std::uint32_t>(sent * 160));
        if (report) {
            const std::uint32_t highest =
                std::uint32_t{peer.first_sequence} + static_cast<std::uint32_t>(peer.sent) - 1;
            const std::uint32_t dlsr = lsr_at < 0 ? 0 : static_cast<std::uint32_t>((now - lsr_at) * 65536 / 1'000'000);
            w.u32(peer.ssrc)
                .u32(0)
                .u32(highest)
                .u32(static_cast<std::uint32_t>(3 + peer.sent % 5))
                .u32(lsr_at < 0 ? 0 : lsr)
                .u32(dlsr);
        }
        // SDES: one chunk, CNAME, END, padded to 32 bits (RFC 3550 section 6.5)
        const std::size_t chunk = 4 + 2 + cname.size() + 1;
        const std::size_t padded = (chunk + 3) / 4 * 4;
        w.u8(0x81).u8(202).u16(static_cast<std::uint16_t>(padded / 4)).u32(ssrc);
        w.u8(1).u8(static_cast<std::uint8_t>(cname.size())).text(cname).zeros(padded - chunk + 1);
        next_rtcp += k_rtcp_interval;
        return protect(w.take(), true);
    }

    gen::ByteVector protect(const gen::ByteVector& packet, bool rtcp) {
        if (!srtp) {
            return packet;
        }
        auto out = rtcp ? srtp->protect_rtcp(packet) : srtp->protect(packet);
        if (!out) {
            throw std::logic_error{out.error().message};
        }
        return gen::ByteVector(out->begin(), out->end());
    }
};

srtp::SrtpProtector protector(util::Bytes key_salt) {
    auto created = srtp::SrtpProtector::create(srtp::CryptoSuite::aes_cm_128_hmac_sha1_80, key_salt);
    if (!created) {
        throw std::logic_error{created.error().message};
    }
    return std::move(*created);
}

// ---------------------------------------------------------------------------------------------
// One call

std::uint64_t u64(gen::SeededBytes& random) {
    return (std::uint64_t{random.u32()} << 32) | random.u32();
}

gen::ZrtpEndpointConfig zrtp_endpoint(gen::SeededBytes& random, std::string client_id) {
    gen::ZrtpEndpointConfig c;
    const gen::ByteVector zid = random.bytes(c.zid.size());
    std::copy(zid.begin(), zid.end(), c.zid.begin());
    c.client_id = std::move(client_id);
    c.ssrc = random.u32();
    c.multistream_ssrc = random.u32();
    c.seed = u64(random);
    return c;
}

util::IpAddress host(std::uint64_t index, bool callee, bool ipv6) {
    if (!ipv6) {
        return util::IpAddress::v4(static_cast<std::uint32_t>((callee ? 0x0a800000U : 0x0a000000U) + index + 1));
    }
    std::array<std::uint8_t, 16> b{0x20, 0x01, 0x0d, 0xb8, 0x00, static_cast<std::uint8_t>(callee ? 0x0b : 0x0a)};
    const std::uint64_t id = index + 1;
    for (std::size_t i = 0; i < 8; ++i) {
        b[15 - i] = static_cast<std::uint8_t>(id >> (8 * i));
    }
    return util::IpAddress::v6_bytes(b.data());
}

struct CallFacts {
    Kind kind = Kind::plain;
    bool vlan = false;
    bool ipv6 = false;
};

class Call {
public:
    Call(std::uint64_t index, Kind kind, std::int64_t start, const Shape& shape) {
        gen::SeededBytes random{splitmix64(shape.seed ^ splitmix64(index))};
        m_facts.kind = kind;
        m_facts.vlan = random.u32() % 100 < k_vlan_percent;
        m_facts.ipv6 = random.u32() % 100 < k_ipv6_percent;
        if (m_facts.vlan) {
            m_framing.vlan_ids = {static_cast<std::uint16_t>(100 + index % 64)};
        }
        gen::CaptureBuilder capture{m_framing};
        const util::IpAddress caller_ip = host(index, false, m_facts.ipv6);
        const util::IpAddress callee_ip = host(index, true, m_facts.ipv6);
        const util::Endpoint caller_media{caller_ip, k_caller_rtp};
        const util::Endpoint callee_media{callee_ip, k_callee_rtp};

        gen::SipParty caller{fmt::format("a{}", index), "", util::Endpoint{caller_ip, 5060}, gen::sip_tag(random),
                             "ExamplePhone/2.1"};
        gen::SipParty callee{fmt::format("b{}", index), "", util::Endpoint{callee_ip, 5060}, gen::sip_tag(random),
                             "ExampleDesk/7.4"};
        const gen::DialogSpec dialog{caller, callee, gen::sip_call_id(random, caller_ip.to_string()),
                                     gen::SipTransport::udp};

        // What each side offers, and the keys it sends with.
        gen::SdpSpec offer;
        gen::SdpSpec answer;
        offer.session_id = offer.session_version = random.u32();
        answer.session_id = answer.session_version = random.u32();
        offer.address = caller_ip;
        offer.port = k_caller_rtp;
        answer.address = callee_ip;
        answer.port = k_callee_rtp;
        std::optional<gen::ZrtpHandshake> handshake;
        std::uint32_t caller_ssrc = random.u32();
        std::uint32_t callee_ssrc = random.u32();
        if (kind == Kind::sdes) {
            const gen::SdpCrypto caller_key{1, std::string{k_suite}, random.bytes(k_key_salt), {}};
            const gen::SdpCrypto callee_key{1, std::string{k_suite}, random.bytes(k_key_salt), {}};
            offer.savp = answer.savp = true;
            offer.cryptos = {caller_key};
            answer.cryptos = {callee_key};
            m_forward.srtp = protector(caller_key.key_salt);
            m_backward.srtp = protector(callee_key.key_salt);
        } else if (kind == Kind::zrtp) {
            gen::ZrtpEndpointConfig initiator = zrtp_endpoint(random, "ExamplePhone 2.1");
            const gen::ZrtpEndpointConfig responder = zrtp_endpoint(random, "ExampleDesk 7.4");
            initiator.auth_tags = {"HS80", "HS32"};  // 80-bit SRTP tags, as the ZRTP samples
            auto run = gen::ZrtpHandshakeGenerator{initiator, responder}.run();
            if (!run || !run->main.completed || run->main.algorithms.cipher != "AES1" ||
                run->main.algorithms.auth_tag != "HS80") {
                throw std::logic_error{"the ZRTP handshake did not give AES1/HS80 keys"};
            }
            handshake = std::move(*run);
            offer.zrtp_hash = handshake->zrtp_hash_attribute(gen::ZrtpSide::initiator);
            answer.zrtp_hash = handshake->zrtp_hash_attribute(gen::ZrtpSide::responder);
            caller_ssrc = initiator.ssrc;  // the SRTP continues the SSRC the ZRTP packets carry
            callee_ssrc = responder.ssrc;
            m_forward.srtp = protector(key_salt(*handshake, gen::ZrtpSide::initiator));
            m_backward.srtp = protector(key_salt(*handshake, gen::ZrtpSide::responder));
        }

        // SIP: INVITE, 100, 180, 200 with the answer, ACK.
        gen::SignalingLink link{capture, random, caller.signaling, callee.signaling, gen::SipTransport::udp};
        gen::RequestSpec invite;
        invite.method = "INVITE";
        invite.cseq = 1;
        invite.branch = gen::sip_branch(random);
        invite.sdp = gen::build_sdp(offer);
        const std::int64_t answered = start + k_ring_min + static_cast<std::int64_t>(random.u32() % k_ring_spread);
        link.send(util::Timestamp{start}, true, gen::build_request(dialog, invite));
        link.send(util::Timestamp{start + 4 * k_ms}, false, gen::build_response(dialog, invite, 100, "Trying"));
        link.send(util::Timestamp{start + 40 * k_ms}, false, gen::build_response(dialog, invite, 180, "Ringing"));
        link.send(util::Timestamp{answered}, false,
                  gen::build_response(dialog, invite, 200, "OK", gen::build_sdp(answer)));
        const std::int64_t ack = answered + 8 * k_ms;
        link.send(util::Timestamp{ack}, true, gen::build_request(dialog, in_dialog(random, "ACK", 1)));

        // ZRTP on the media ports, then the media.
        std::int64_t media = ack + 12 * k_ms;
        if (handshake) {
            std::int64_t t = ack + 15 * k_ms;
            std::optional<bool> last_from_initiator;
            for (const auto& packet : handshake->main.packets) {
                if (last_from_initiator) {
                    t += *last_from_initiator == packet.from_initiator ? k_ms : k_crossing;
                }
                last_from_initiator = packet.from_initiator;
                capture.add_udp(util::Timestamp{t}, packet.from_initiator ? caller_media : callee_media,
                                packet.from_initiator ? callee_media : caller_media, packet.udp_payload);
            }
            media = t + 15 * k_ms;
        }
        // Call lengths spread +-20% around the mean, as real calls do.
        const auto spread = static_cast<double>(random.u32() % 4001) / 10000.0 + 0.8;
        const auto packets = std::max<std::size_t>(
            2, static_cast<std::size_t>(std::llround(static_cast<double>(shape.media_packets) * spread)));
        const std::int64_t lag = static_cast<std::int64_t>(1 + random.u32() % 19) * k_ms;
        setup(m_forward, random, caller_media, callee_media, caller_ssrc, 0, fmt::format("a{}@{}", index, caller_ip),
              media, packets);
        setup(m_backward, random, callee_media, caller_media, callee_ssrc, 40, fmt::format("b{}@{}", index, callee_ip),
              media + lag, packets);

        // BYE from the caller after the last packet, and its 200 OK.
        const std::int64_t bye_at = std::max(m_forward.last_rtp(), m_backward.last_rtp()) + 20 * k_ms;
        const gen::RequestSpec bye = in_dialog(random, "BYE", 2);
        link.send(util::Timestamp{bye_at}, true, gen::build_request(dialog, bye));
        link.send(util::Timestamp{bye_at + 6 * k_ms}, false, gen::build_response(dialog, bye, 200, "OK"));

        for (auto& f : capture.frames()) {
            m_prebuilt.push_back(Frame{f.time.micros, std::move(f.bytes)});
        }
        std::stable_sort(m_prebuilt.begin(), m_prebuilt.end(),
                         [](const Frame& x, const Frame& y) { return x.time < y.time; });
        m_ip_id = random.u32();
    }

    [[nodiscard]] const CallFacts& facts() const { return m_facts; }
    [[nodiscard]] bool done() const { return next_time() == std::numeric_limits<std::int64_t>::max(); }

    [[nodiscard]] std::int64_t next_time() const {
        std::int64_t t =
            m_next < m_prebuilt.size() ? m_prebuilt[m_next].time : std::numeric_limits<std::int64_t>::max();
        t = std::min({t, m_forward.next_rtp(), m_backward.next_rtp(), m_forward.rtcp_due(), m_backward.rtcp_due()});
        return t;
    }

    /// The call's next frame, in time order (SIP/ZRTP first on a tie, then RTP, then RTCP).
    Frame emit() {
        const std::int64_t t = next_time();
        if (m_next < m_prebuilt.size() && m_prebuilt[m_next].time == t) {
            return std::move(m_prebuilt[m_next++]);
        }
        for (Direction* d : {&m_forward, &m_backward}) {
            if (d->next_rtp() == t) {
                const gen::ByteVector payload = d->rtp_payload();
                return Frame{t, udp_frame(m_framing, d->src, d->dst, payload, m_ip_id++)};
            }
        }
        for (Direction* d : {&m_forward, &m_backward}) {
            if (d->rtcp_due() == t) {
                Direction& peer = d == &m_forward ? m_backward : m_forward;
                const std::uint64_t ntp = ntp_of(t);
                const gen::ByteVector payload = d->rtcp_payload(t, peer);
                peer.lsr = static_cast<std::uint32_t>(ntp >> 16);  // the middle 32 bits (RFC 3550 6.4.1)
                peer.lsr_at = t;
                return Frame{t, udp_frame(m_framing, rtcp_of(d->src), rtcp_of(d->dst), payload, m_ip_id++)};
            }
        }
        throw std::logic_error{"a call with nothing to send"};
    }

private:
    static gen::RequestSpec in_dialog(gen::SeededBytes& random, std::string method, std::uint32_t cseq) {
        gen::RequestSpec spec;
        spec.method = std::move(method);
        spec.cseq = cseq;
        spec.branch = gen::sip_branch(random);  // ACK to a 2xx is a transaction of its own
        spec.in_dialog = true;
        return spec;
    }

    static gen::ByteVector key_salt(const gen::ZrtpHandshake& handshake, gen::ZrtpSide sender) {
        gen::ByteVector out(handshake.srtp_master_key(sender).begin(), handshake.srtp_master_key(sender).end());
        const auto& salt = handshake.srtp_master_salt(sender);
        out.insert(out.end(), salt.begin(), salt.end());
        return out;
    }

    static void setup(Direction& d, gen::SeededBytes& random, util::Endpoint src, util::Endpoint dst,
                      std::uint32_t ssrc, std::uint32_t tone_shift, std::string cname, std::int64_t first,
                      std::size_t packets) {
        d.src = src;
        d.dst = dst;
        d.ssrc = ssrc;
        d.first_sequence = static_cast<std::uint16_t>(random.u16() & 0x7fff);
        d.first_timestamp = random.u32();
        d.tone_shift = tone_shift;
        d.cname = std::move(cname);
        d.first = first;
        d.total = packets;
        d.next_rtcp = first + k_rtcp_interval + static_cast<std::int64_t>(random.u32() % 1000) * k_ms;
    }

    CallFacts m_facts;
    gen::Framing m_framing;
    std::vector<Frame> m_prebuilt;
    std::size_t m_next = 0;
    Direction m_forward;
    Direction m_backward;
    std::uint32_t m_ip_id = 0;
};

// ---------------------------------------------------------------------------------------------
// The schedule: which kind each call is, and when it starts.

/// Kinds in blocks of ten, each a seeded shuffle of 5 plain, 3 SDES, 2 ZRTP: the mix is exact
/// for every ten calls and the kinds interleave.
class KindDealer {
public:
    KindDealer(std::uint64_t seed, std::optional<Kind> only)
        : m_random{splitmix64(seed ^ 0x6b696e6473ULL)}, m_only{only} {}
    Kind next() {
        if (m_only) {
            return *m_only;
        }
        if (m_at == m_block.size()) {
            m_block = {Kind::plain, Kind::plain, Kind::plain, Kind::plain, Kind::plain,
                       Kind::sdes,  Kind::sdes,  Kind::sdes,  Kind::zrtp,  Kind::zrtp};
            for (std::size_t i = m_block.size() - 1; i > 0; --i) {
                std::swap(m_block[i], m_block[m_random.u32() % (i + 1)]);
            }
            m_at = 0;
        }
        return m_block[m_at++];
    }

private:
    gen::SeededBytes m_random;
    std::optional<Kind> m_only;
    std::array<Kind, 10> m_block{};
    std::size_t m_at = m_block.size();
};

/// Call i starts at i * gap plus a seeded jitter below gap: in order, about C at once.
std::int64_t start_of(std::uint64_t index, const Shape& shape) {
    const auto jitter = static_cast<std::int64_t>(splitmix64(shape.seed + 0x5354415254ULL + index) %
                                                  static_cast<std::uint64_t>(shape.gap));
    return k_epoch + static_cast<std::int64_t>(index) * shape.gap + jitter;
}

// ---------------------------------------------------------------------------------------------
// Options

[[noreturn]] void usage() {
    std::fprintf(stderr,
                 "usage: bench_make_mix OUT.pcap [--calls N | --packets P | --megabytes M] [--concurrent C]\n"
                 "                      [--seconds S] [--seed N] [--only plain|sdes|zrtp] [--list FILE]\n"
                 "defaults: 2000 calls, 200 concurrent, 25 s of media per call (about 5 M packets, 1.2 GB)\n");
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options o;
    std::vector<std::string_view> args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view a = args[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= args.size()) {
                usage();
            }
            return std::string{args[++i]};
        };
        if (a == "--calls") {
            o.calls = std::stoull(value());
        } else if (a == "--packets") {
            o.packets = std::stoull(value());
        } else if (a == "--megabytes") {
            o.megabytes = std::stod(value());
        } else if (a == "--concurrent") {
            o.concurrent = static_cast<std::uint32_t>(std::stoul(value()));
        } else if (a == "--seconds") {
            o.seconds = std::stod(value());
        } else if (a == "--seed") {
            o.seed = std::stoull(value());
        } else if (a == "--list") {
            o.list = value();
        } else if (a == "--only") {
            const std::string k = value();
            if (k == "plain") {
                o.only = Kind::plain;
            } else if (k == "sdes") {
                o.only = Kind::sdes;
            } else if (k == "zrtp") {
                o.only = Kind::zrtp;
            } else {
                usage();
            }
        } else if (!a.empty() && a.front() != '-' && o.out.empty()) {
            o.out = std::string{a};
        } else {
            usage();
        }
    }
    if (o.out.empty() || o.concurrent == 0 || o.seconds < 0.1 || o.calls == 0) {
        usage();
    }
    return o;
}

/// Packets and bytes (pcap record included) one call writes on average, for --packets and
/// --megabytes: RTP each way, an SR each way every 5 s, 7 SIP messages, 10 ZRTP messages.
struct PerCall {
    double packets = 0;
    double bytes = 0;
};

PerCall per_call(const Options& o, std::size_t media_packets) {
    const double share_plain = o.only ? (*o.only == Kind::plain ? 1.0 : 0.0) : 0.5;
    const double share_zrtp = o.only ? (*o.only == Kind::zrtp ? 1.0 : 0.0) : 0.2;
    const double rtp = 2.0 * static_cast<double>(media_packets);
    const double rtcp = 2.0 * std::floor(o.seconds / 5.0);
    PerCall p;
    p.packets = rtp + rtcp + 7 + 10 * share_zrtp;
    // Ethernet 14 + IPv4 20 + UDP 8 + RTP 12 + 160, SRTP +10; SR+SDES ~80; SIP ~600; pcap 16.
    const double rtp_bytes = 16 + 214 + 10 * (1 - share_plain);
    p.bytes = rtp * rtp_bytes + rtcp * 100 + 7 * 650 + 10 * share_zrtp * 250;
    return p;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        Options o = parse(argc, argv);
        Shape shape;
        shape.seed = o.seed;
        shape.media_packets = static_cast<std::size_t>(std::llround(o.seconds * 50));
        const PerCall estimate = per_call(o, shape.media_packets);
        if (o.packets) {
            o.calls = std::max<std::uint64_t>(
                1, static_cast<std::uint64_t>(std::ceil(static_cast<double>(*o.packets) / estimate.packets)));
        } else if (o.megabytes) {
            o.calls =
                std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(*o.megabytes * 1e6 / estimate.bytes)));
        }
        // A call lasts the ringing (1.75 s on average), the media and a little signalling.
        const double call_seconds = 1.75 + 0.1 + o.seconds;
        shape.gap = std::max<std::int64_t>(1, static_cast<std::int64_t>(call_seconds * 1e6 / o.concurrent));

        std::unique_ptr<pcap_t, void (*)(pcap_t*)> dead{pcap_open_dead(DLT_EN10MB, 65535), &pcap_close};
        std::unique_ptr<pcap_dumper_t, void (*)(pcap_dumper_t*)> dumper{pcap_dump_open(dead.get(), o.out.c_str()),
                                                                        &pcap_dump_close};
        if (!dumper) {
            std::fprintf(stderr, "%s\n", pcap_geterr(dead.get()));
            return 1;
        }

        struct Due {
            std::int64_t time;
            std::uint64_t call;
            std::size_t slot;
            bool operator>(const Due& other) const {
                return time != other.time ? time > other.time : call > other.call;
            }
        };
        std::priority_queue<Due, std::vector<Due>, std::greater<>> queue;
        std::vector<std::unique_ptr<Call>> slots;
        std::vector<std::size_t> free_slots;
        KindDealer dealer{o.seed, o.only};
        std::uint64_t next_call = 0;
        std::uint64_t packets = 0;
        std::uint64_t bytes = 24;  // pcap file header
        std::size_t live = 0;
        std::size_t peak_live = 0;
        std::array<std::uint64_t, 3> kinds{};
        std::uint64_t vlan = 0;
        std::uint64_t ipv6 = 0;
        std::int64_t last_time = k_epoch;
        std::unique_ptr<std::FILE, int (*)(std::FILE*)> list{nullptr, &std::fclose};
        if (!o.list.empty()) {
            list.reset(std::fopen(o.list.c_str(), "w"));
            if (!list) {
                std::fprintf(stderr, "bench_make_mix: cannot write %s\n", o.list.c_str());
                return 1;
            }
        }
        double live_seconds = 0;  // the sum of call lengths, for the mean concurrency

        while (next_call < o.calls || !queue.empty()) {
            const std::int64_t start = next_call < o.calls ? start_of(next_call, shape) : 0;
            if (next_call < o.calls && (queue.empty() || start <= queue.top().time)) {
                auto call = std::make_unique<Call>(next_call, dealer.next(), start, shape);
                ++kinds[static_cast<std::size_t>(call->facts().kind)];
                vlan += call->facts().vlan ? 1 : 0;
                ipv6 += call->facts().ipv6 ? 1 : 0;
                if (list) {
                    std::fprintf(list.get(), "a%llu %s %d %d\n", static_cast<unsigned long long>(next_call),
                                 std::string{name_of(call->facts().kind)}.c_str(), call->facts().vlan ? 1 : 0,
                                 call->facts().ipv6 ? 1 : 0);
                }
                std::size_t slot = slots.size();
                if (!free_slots.empty()) {
                    slot = free_slots.back();
                    free_slots.pop_back();
                    slots[slot] = std::move(call);
                } else {
                    slots.push_back(std::move(call));
                }
                queue.push(Due{slots[slot]->next_time(), next_call, slot});
                live_seconds -= static_cast<double>(start) / 1e6;
                peak_live = std::max(peak_live, ++live);
                ++next_call;
                continue;
            }
            const Due due = queue.top();
            queue.pop();
            Call& call = *slots[due.slot];
            const Frame frame = call.emit();
            pcap_pkthdr header{};
            header.ts.tv_sec = frame.time / 1'000'000;
            header.ts.tv_usec = frame.time % 1'000'000;
            header.caplen = header.len = static_cast<bpf_u_int32>(frame.bytes.size());
            pcap_dump(reinterpret_cast<u_char*>(dumper.get()), &header, frame.bytes.data());  // NOLINT: libpcap API
            ++packets;
            bytes += 16 + frame.bytes.size();
            last_time = frame.time;
            if (call.done()) {
                slots[due.slot].reset();
                free_slots.push_back(due.slot);
                live_seconds += static_cast<double>(frame.time) / 1e6;
                --live;
            } else {
                queue.push(Due{call.next_time(), due.call, due.slot});
            }
        }
        const double span = static_cast<double>(last_time - k_epoch) / 1e6;
        std::fprintf(stderr,
                     "%s: %llu calls (plain %llu, sdes %llu, zrtp %llu; vlan %llu, ipv6 %llu), %llu packets, "
                     "%.1f MB, %.1f s of capture, peak %zu calls at once, mean %.1f\n",
                     o.out.c_str(), static_cast<unsigned long long>(o.calls), static_cast<unsigned long long>(kinds[0]),
                     static_cast<unsigned long long>(kinds[1]), static_cast<unsigned long long>(kinds[2]),
                     static_cast<unsigned long long>(vlan), static_cast<unsigned long long>(ipv6),
                     static_cast<unsigned long long>(packets), static_cast<double>(bytes) / 1e6, span, peak_live,
                     span > 0 ? live_seconds / span : 0.0);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_make_mix: %s\n", e.what());
        return 1;
    }
}
