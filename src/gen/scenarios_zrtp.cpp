// Scenarios for ZRTP (RFC 6189): SIP calls over UDP whose SDP carries a=zrtp-hash (section 8.1),
// the ZRTP handshake on the RTP ports, then SRTP under the keys the handshake derived (4.5.3).
// One sample per check an auditor makes: each attack variant breaks exactly the check it
// targets, everything else stays genuine.
//
// Roles: the caller (alice, 192.0.2.10) is the ZRTP initiator (it sends the Commit), the callee
// (bob, 198.51.100.20) the responder; media on 40000 and 50000 (video on 40002 and 50002).
// The ZRTP packets carry the SSRC of the RTP stream they key (section 5), so the SRTP that
// follows on each flow continues that SSRC. Every random value comes from the scenario's seed.
//
// The SDP a=zrtp-hash is SHA-256 of the Hello the endpoint really produced, except:
// zrtp-hello-tampered, where it hashes the altered Hello as sent (an attacker on cleartext SIP
// rewrites it too, so only the Hello MAC gives the tampering away), and zrtp-sdp-hash-mismatch,
// where the callee's hashes another Hello of the same endpoint. zrtp-hello-forged-h3 keeps the
// genuine hash, so the forged Hello also fails the SDP binding.
#include <algorithm>
#include <functional>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "sip_scenario_kit.hpp"
#include "zaudit/crypto/hash.hpp"
#include "zaudit/gen/sip_builder.hpp"
#include "zaudit/util/hex.hpp"

namespace zaudit::gen::scenario_builders {
namespace {

constexpr std::int64_t k_frame_ms = 1'000;
constexpr std::int64_t k_crossing = 20 * k_frame_ms;  // an answer leaves one network crossing later

std::uint64_t u64(SeededBytes& random) {
    return (std::uint64_t{random.u32()} << 32) | random.u32();
}

/// Which Hello the SDP's a=zrtp-hash hashes.
enum class SdpHash : std::uint8_t { genuine, as_sent, other_hello };

/// What distinguishes one ZRTP sample from the clean call.
struct Plan {
    std::string_view name;
    ZrtpHandshakeOptions options;
    bool sip = true;
    std::vector<std::string> key_agreements{"DH3k", "Mult"};
    bool callee_is_pbx = false;    ///< M flag in the responder's Hello, "ExamplePBX" user agent
    std::size_t hello_copies = 0;  ///< retransmissions of the first Hello before HelloACK came
    std::size_t clear_rtp = 0;     ///< clear RTP packets each way before Conf2ACK
    SdpHash caller_hash = SdpHash::genuine;
    SdpHash callee_hash = SdpHash::genuine;
    bool only_caller_hellos = false;  ///< the callee's ZRTP never shows: someone drops it
    std::size_t media_packets = 60;   ///< 1.2 s of 20 ms packets each way
    std::size_t clear_after_goclear = 30;
};

/// The ZRTP side of a scenario: both endpoints and the handshake they ran.
struct Prepared {
    ZrtpEndpointConfig caller;
    ZrtpEndpointConfig callee;
    ZrtpHandshake handshake;
};

ZrtpEndpointConfig endpoint(SeededBytes& random, std::string client_id) {
    ZrtpEndpointConfig c;
    const ByteVector zid = random.bytes(c.zid.size());
    std::copy(zid.begin(), zid.end(), c.zid.begin());
    c.client_id = std::move(client_id);
    c.ssrc = random.u32();
    c.multistream_ssrc = random.u32();
    c.seed = u64(random);
    return c;
}

/// Draws the ZRTP endpoints first, so that a scenario and zrtp_scenario_handshake() agree.
Prepared prepare(SeededBytes& random, const Plan& plan) {
    Prepared p;
    p.caller = endpoint(random, "ExamplePhone 2.1");
    p.callee = endpoint(random, plan.callee_is_pbx ? "ExamplePBX 3.0" : "ExampleDesk 7.4");
    p.caller.auth_tags = {"HS80", "HS32"};  // the initiator's first choice: 80-bit SRTP tags
    p.caller.key_agreements = plan.key_agreements;
    p.callee.key_agreements = plan.key_agreements;
    p.callee.mitm_flag = plan.callee_is_pbx;
    auto run = ZrtpHandshakeGenerator{p.caller, p.callee, plan.options}.run();
    if (!run) {
        throw std::logic_error{run.error().message};  // the plans only name algorithms it runs
    }
    p.handshake = std::move(*run);
    return p;
}

// ----- SDP -----

std::string hash_attribute(util::Bytes hello_message) {
    return "1.10 " + util::to_hex(crypto::sha256(hello_message));
}

/// The message inside a whole (0x10) ZRTP packet: after the 12-byte header, before the CRC.
util::Bytes message_of(const ZrtpWirePacket& packet) {
    return util::Bytes{packet.udp_payload}.subspan(
        k_zrtp_packet_header_size, packet.udp_payload.size() - k_zrtp_packet_header_size - k_zrtp_crc_size);
}

std::string sdp_hash(const ZrtpStreamResult& stream, ZrtpSide side, SdpHash which, SeededBytes& random,
                     const ZrtpEndpointConfig& config) {
    const bool initiator = side == ZrtpSide::initiator;
    switch (which) {
        case SdpHash::genuine: return hash_attribute(initiator ? stream.initiator_hello : stream.responder_hello);
        case SdpHash::as_sent:
            for (const auto& packet : stream.packets) {
                if (packet.from_initiator == initiator && packet.message_type == "Hello" && !packet.fragment) {
                    return hash_attribute(message_of(packet));
                }
            }
            throw std::logic_error{"no whole Hello from that side"};
        case SdpHash::other_hello: {
            // The same endpoint's Hello from another call: another hash chain, so another H3.
            const auto h2 = random.bytes(32);
            const auto h3 = crypto::sha256(h2);
            return hash_attribute(zrtp_hello_message(zrtp_hello_fields(config, h3), h2));
        }
    }
    return {};
}

/// An audio m= line (build_sdp), and with a second ZRTP stream a video m= line keyed by it.
std::string zrtp_sdp(SeededBytes& random, util::Endpoint media, std::string zrtp_hash,
                     const std::optional<std::string>& video_hash) {
    SdpSpec spec;
    spec.username = "-";
    spec.session_id = random.u32();
    spec.session_version = spec.session_id;
    spec.address = media.address;
    spec.port = media.port;
    spec.zrtp_hash = std::move(zrtp_hash);
    std::string out = build_sdp(spec);
    if (video_hash) {
        out += fmt::format("m=video {} RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=zrtp-hash:{}\r\na=sendrecv\r\n",
                           media.port + 2, *video_hash);
    }
    return out;
}

// ----- SIP -----

struct Call {
    DialogSpec dialog;
    RequestSpec invite;
};

/// INVITE with the offer, 100 Trying, 180 Ringing, 200 OK with the answer, ACK; returns the
/// time of the ACK.
std::int64_t invite(SignalingLink& link, SeededBytes& random, Call& call, std::string offer,
                    const std::string& answer) {
    call.invite = invite_spec(random, 1, false, std::move(offer));
    link.send(at(0), true, build_request(call.dialog, call.invite));
    link.send(at(4 * k_frame_ms), false, build_response(call.dialog, call.invite, 100, "Trying"));
    link.send(at(40 * k_frame_ms), false, build_response(call.dialog, call.invite, 180, "Ringing"));
    link.send(at(900 * k_frame_ms), false, build_response(call.dialog, call.invite, 200, "OK", answer));
    link.send(at(908 * k_frame_ms), true, build_request(call.dialog, in_dialog_spec(random, "ACK", 1)));
    return 908 * k_frame_ms;
}

void bye(SignalingLink& link, SeededBytes& random, const Call& call, std::int64_t t) {
    const RequestSpec spec = in_dialog_spec(random, "BYE", 2);
    link.send(at(t), true, build_request(call.dialog, spec));
    link.send(at(t + 6 * k_frame_ms), false, build_response(call.dialog, spec, 200, "OK"));
}

// ----- ZRTP on the wire -----

struct Path {
    util::Endpoint initiator;
    util::Endpoint responder;
};

/// One packet to send and how long after the previous one (nullopt: 1 ms after a packet of the
/// same side, one crossing after the other side's).
struct Outgoing {
    const ZrtpWirePacket* packet = nullptr;
    ByteVector copy;  ///< a retransmission's own bytes (its sequence number differs)
    std::optional<std::int64_t> delay;
};

/// The stream's packets, with `copies` earlier transmissions of the initiator's first Hello
/// (RFC 6189 section 6: T1 starts at 50 ms and doubles up to 200 ms). Each copy carries the
/// same message under a lower sequence number, as bzrtp numbers every packet it sends.
std::vector<Outgoing> schedule(const ZrtpStreamResult& stream, std::size_t copies) {
    std::vector<Outgoing> out;
    const ZrtpWirePacket& first = stream.packets.front();
    if (copies > 0 && first.from_initiator && first.message_type == "Hello" && !first.fragment) {
        const std::uint16_t sequence = static_cast<std::uint16_t>((first.udp_payload[2] << 8) | first.udp_payload[3]);
        const std::uint32_t ssrc = (std::uint32_t{first.udp_payload[8]} << 24) |
                                   (std::uint32_t{first.udp_payload[9]} << 16) |
                                   (std::uint32_t{first.udp_payload[10]} << 8) | first.udp_payload[11];
        std::int64_t backoff = 50 * k_frame_ms;
        for (std::size_t k = copies; k > 0; --k) {
            out.push_back({&first, zrtp_packet(static_cast<std::uint16_t>(sequence - k), ssrc, message_of(first)),
                           k == copies ? std::optional<std::int64_t>{} : backoff});
            backoff = std::min<std::int64_t>(backoff * 2, 200 * k_frame_ms);
        }
        out.push_back({&first, {}, backoff});
    }
    for (std::size_t n = out.empty() ? 0 : 1; n < stream.packets.size(); ++n) {
        out.push_back({&stream.packets[n], {}, std::nullopt});
    }
    return out;
}

/// Sends packets [begin, end) of a schedule from time t; returns the time of the last one.
std::int64_t send_zrtp(CaptureBuilder& capture, const Path& path, const std::vector<Outgoing>& packets,
                       std::size_t begin, std::size_t end, std::int64_t t) {
    std::optional<bool> last_from_initiator;
    for (std::size_t n = begin; n < end; ++n) {
        const Outgoing& o = packets[n];
        const bool from_i = o.packet->from_initiator;
        if (last_from_initiator) {
            t += o.delay.value_or(*last_from_initiator == from_i ? k_frame_ms : k_crossing);
        }
        last_from_initiator = from_i;
        const util::Bytes payload = o.copy.empty() ? util::Bytes{o.packet->udp_payload} : util::Bytes{o.copy};
        capture.add_udp(at(t), from_i ? path.initiator : path.responder, from_i ? path.responder : path.initiator,
                        payload);
    }
    return t;
}

/// Index of the first packet of that type in a schedule (its size when there is none).
std::size_t index_of(const std::vector<Outgoing>& packets, std::string_view type) {
    const auto it =
        std::find_if(packets.begin(), packets.end(), [&](const Outgoing& o) { return o.packet->message_type == type; });
    return static_cast<std::size_t>(it - packets.begin());
}

// ----- media -----

/// One direction of RTP on one flow: plain until `srtp` is set, then SRTP with the same SSRC
/// and sequence numbers going on.
struct RtpFlow {
    util::Endpoint src;
    util::Endpoint dst;
    std::uint32_t ssrc = 0;
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
    std::uint8_t payload_type = 0;  ///< 0: G.711 mu-law tone; 96: H.264-like video
    std::shared_ptr<SrtpSender> srtp;
    std::size_t sent = 0;
};

RtpFlow rtp_flow(SeededBytes& random, util::Endpoint src, util::Endpoint dst, std::uint32_t ssrc,
                 std::uint8_t payload_type = 0) {
    return RtpFlow{src,          dst,          ssrc,    static_cast<std::uint16_t>(random.u16() & 0x3FFF),
                   random.u32(), payload_type, nullptr, 0};
}

void send_rtp(CaptureBuilder& capture, std::int64_t t, RtpFlow& flow) {
    ByteVector payload;
    if (flow.payload_type == 0) {
        payload = g711_tone(static_cast<std::uint32_t>(flow.sent * 160));
    } else {
        // A non-IDR H.264 slice (NAL type 1) of fixed filler: only ever sent under SRTP.
        payload.assign(240, static_cast<std::uint8_t>(flow.sent));
        payload[0] = 0x41;
    }
    ByteVector packet =
        build_rtp(flow.payload_type, flow.sequence++, flow.timestamp, flow.ssrc, payload, flow.sent == 0);
    flow.timestamp += flow.payload_type == 0 ? 160 : 3600;
    ++flow.sent;
    if (flow.srtp) {
        auto protected_packet = flow.srtp->protect(packet);
        if (!protected_packet) {
            throw std::logic_error{protected_packet.error().message};
        }
        packet = std::move(*protected_packet);
    }
    capture.add_udp(at(t), flow.src, flow.dst, packet);
}

/// `count` packets each way every `interval`, the backward direction 7 ms behind; returns the
/// time after the last.
std::int64_t send_media(CaptureBuilder& capture, std::int64_t t, std::size_t count, RtpFlow& forward, RtpFlow& backward,
                        std::int64_t interval = 20 * k_frame_ms) {
    for (std::size_t n = 0; n < count; ++n, t += interval) {
        send_rtp(capture, t, forward);
        send_rtp(capture, t + 7 * k_frame_ms, backward);
    }
    return t;
}

/// RFC 6189 section 5.1.3-5.1.4 and 7.1: AES1 with HS80/HS32 keys AES_CM_128_HMAC_SHA1_80/_32.
/// The SRTP master key and salt of a direction are srtpkey/srtpsalt of its sender (4.5.3).
std::shared_ptr<SrtpSender> zrtp_sender(const ZrtpStreamResult& stream, bool initiator) {
    const ZrtpNegotiated& n = stream.algorithms;
    if (n.cipher != "AES1" || (n.auth_tag != "HS80" && n.auth_tag != "HS32")) {
        throw std::logic_error{"SrtpSender runs AES-128 with HMAC-SHA1 only"};
    }
    const std::string_view suite = n.auth_tag == "HS80" ? "AES_CM_128_HMAC_SHA1_80" : "AES_CM_128_HMAC_SHA1_32";
    ByteVector key_salt = initiator ? stream.keys.srtp_key_i : stream.keys.srtp_key_r;
    const auto& salt = initiator ? stream.keys.srtp_salt_i : stream.keys.srtp_salt_r;
    key_salt.insert(key_salt.end(), salt.begin(), salt.end());
    auto sender = SrtpSender::create(suite, key_salt);
    if (!sender) {
        throw std::logic_error{sender.error().message};
    }
    return std::make_shared<SrtpSender>(std::move(*sender));
}

/// Frames added stream by stream back in capture order (stable: equal times keep their order).
void sort_by_time(CaptureBuilder& capture) {
    std::stable_sort(capture.frames().begin(), capture.frames().end(),
                     [](const GeneratedFrame& x, const GeneratedFrame& y) { return x.time.micros < y.time.micros; });
}

// ----- one scenario -----

struct Endpoints {
    Path audio{ep("192.0.2.10", 40000), ep("198.51.100.20", 50000)};
    Path video{ep("192.0.2.10", 40002), ep("198.51.100.20", 50002)};
};

struct StreamTimes {
    std::int64_t secure = 0;  ///< Conf2ACK, or the last packet of a handshake that never got there
    std::int64_t end = 0;
};

/// Handshake, clear RTP before it completes, SRTP, and GoClear with clear RTP after it, on one
/// flow.
StreamTimes run_stream(CaptureBuilder& capture, SeededBytes& random, const Plan& plan, const ZrtpStreamResult& stream,
                       const Path& path, std::int64_t t, std::uint8_t payload_type, std::uint32_t ssrc_i,
                       std::uint32_t ssrc_r) {
    RtpFlow forward = rtp_flow(random, path.initiator, path.responder, ssrc_i, payload_type);
    RtpFlow backward = rtp_flow(random, path.responder, path.initiator, ssrc_r, payload_type);
    const std::vector<Outgoing> packets = schedule(stream, plan.hello_copies);
    const std::size_t secure = index_of(packets, "Conf2ACK");
    const std::size_t go_clear = index_of(packets, "GoClear");
    StreamTimes times;
    times.secure = send_zrtp(capture, path, packets, 0, std::min(secure + 1, go_clear), t);
    times.end = times.secure;
    if (secure + 1 < go_clear) {  // SASrelay and RelayACK follow Conf2ACK
        times.end = send_zrtp(capture, path, packets, secure + 1, go_clear, times.secure + k_crossing);
    }
    const std::int64_t interval = payload_type == 0 ? 20 * k_frame_ms : 40 * k_frame_ms;
    if (plan.clear_rtp > 0) {
        // Sent while the handshake runs, as linphone does; all of it before Conf2ACK.
        const std::int64_t clear_end = send_media(capture, t + 30 * k_frame_ms, plan.clear_rtp, forward, backward);
        if (secure >= packets.size() || clear_end >= times.secure) {
            throw std::logic_error{"clear RTP must end before Conf2ACK"};
        }
    }
    if (secure >= packets.size()) {
        return times;  // no keys: no SRTP
    }
    forward.srtp = zrtp_sender(stream, true);
    backward.srtp = zrtp_sender(stream, false);
    const std::size_t count = payload_type == 0 ? plan.media_packets : plan.media_packets / 2;
    times.end = send_media(capture, times.secure + 15 * k_frame_ms, count, forward, backward, interval);
    if (go_clear < packets.size()) {
        // GoClear and ClearACK, then the rest of the call in clear (RFC 6189 section 4.7.2).
        times.end = send_zrtp(capture, path, packets, go_clear, packets.size(), times.end);
        forward.srtp = nullptr;
        backward.srtp = nullptr;
        times.end =
            send_media(capture, times.end + 15 * k_frame_ms, plan.clear_after_goclear, forward, backward, interval);
    }
    return times;
}

/// zrtp-stripped: the caller's Hellos go out again and again (section 6 backoff, then every
/// 200 ms), nothing of the callee's ZRTP shows, and both sides send plain RTP meanwhile.
std::int64_t run_stripped(CaptureBuilder& capture, SeededBytes& random, const Plan& plan,
                          const ZrtpStreamResult& stream, const Path& path, std::int64_t t, std::uint32_t ssrc_i,
                          std::uint32_t ssrc_r) {
    std::vector<Outgoing> packets = schedule(stream, plan.hello_copies);
    packets.resize(index_of(packets, "HelloACK"));  // the Hellos only
    send_zrtp(capture, path, packets, 0, packets.size(), t);
    RtpFlow forward = rtp_flow(random, path.initiator, path.responder, ssrc_i);
    RtpFlow backward = rtp_flow(random, path.responder, path.initiator, ssrc_r);
    return send_media(capture, t + 30 * k_frame_ms, plan.media_packets, forward, backward);
}

CaptureBuilder build(const Plan& plan, std::uint64_t seed) {
    SeededBytes random = SeededBytes::for_scenario(seed, plan.name);
    const Prepared z = prepare(random, plan);
    const ZrtpHandshake& hs = z.handshake;
    const Endpoints where;
    CaptureBuilder capture;

    std::optional<SignalingLink> link;
    std::optional<Call> call;
    std::int64_t t = 0;
    if (plan.sip) {
        SipParty caller{"alice", "Alice", ep("192.0.2.10", 5060), sip_tag(random), "ExamplePhone/2.1"};
        SipParty callee{"bob", "Bob", ep("198.51.100.20", 5060), sip_tag(random),
                        plan.callee_is_pbx ? "ExamplePBX/3.0" : "ExampleDesk/7.4"};
        call = Call{DialogSpec{caller, callee, sip_call_id(random, "192.0.2.10"), SipTransport::udp}, {}};
        link.emplace(capture, random, caller.signaling, callee.signaling, SipTransport::udp);
        const auto video_hash = [&](ZrtpSide side) -> std::optional<std::string> {
            if (!hs.second) {
                return std::nullopt;
            }
            return sdp_hash(*hs.second, side, SdpHash::genuine, random, {});
        };
        std::string offer = zrtp_sdp(random, where.audio.initiator,
                                     sdp_hash(hs.main, ZrtpSide::initiator, plan.caller_hash, random, z.caller),
                                     video_hash(ZrtpSide::initiator));
        std::string answer = zrtp_sdp(random, where.audio.responder,
                                      sdp_hash(hs.main, ZrtpSide::responder, plan.callee_hash, random, z.callee),
                                      video_hash(ZrtpSide::responder));
        t = invite(*link, random, *call, std::move(offer), answer) + 15 * k_frame_ms;
    }
    std::int64_t end = 0;
    if (plan.only_caller_hellos) {
        end = run_stripped(capture, random, plan, hs.main, where.audio, t, z.caller.ssrc, z.callee.ssrc);
    } else {
        const StreamTimes audio =
            run_stream(capture, random, plan, hs.main, where.audio, t, 0, z.caller.ssrc, z.callee.ssrc);
        end = audio.end;
        if (hs.second) {
            // Multistream starts once the DH stream is secure (section 4.4.3); the audio goes on.
            const StreamTimes video =
                run_stream(capture, random, plan, *hs.second, where.video, audio.secure + 10 * k_frame_ms, 96,
                           z.caller.multistream_ssrc, z.callee.multistream_ssrc);
            end = std::max(end, video.end);
        }
    }
    if (plan.sip) {
        bye(*link, random, *call, end + 20 * k_frame_ms);
    }
    sort_by_time(capture);
    return capture;
}

}  // namespace

// ----- the samples -----

namespace {

Plan plan(std::string_view name, const std::function<void(Plan&)>& change = {}) {
    Plan p;
    p.name = name;
    p.hello_copies = 1;  // the first Hello leaves before the callee's stack listens, as in real calls
    if (change) {
        change(p);
    }
    return p;
}

/// Every ZRTP sample's plan, by scenario name.
std::vector<Plan> plans() {
    return {
        plan("zrtp-clean-call", [](Plan& p) { p.hello_copies = 0; }),
        plan("zrtp-clear-before-secure",
             [](Plan& p) {
                 p.hello_copies = 2;
                 p.clear_rtp = 5;  // linphone sends about five clear packets each way before Conf2ACK
             }),
        plan("zrtp-hello-tampered",
             [](Plan& p) {
                 p.options.tamper_hello = true;
                 p.caller_hash = SdpHash::as_sent;
             }),
        plan("zrtp-hello-forged-h3", [](Plan& p) { p.options.forge_hello_h3 = true; }),
        plan("zrtp-mitm-dhpart2", [](Plan& p) { p.options.substitute_dhpart2 = true; }),
        plan("zrtp-hash-chain-broken", [](Plan& p) { p.options.break_hash_chain = true; }),
        plan("zrtp-sdp-hash-mismatch", [](Plan& p) { p.callee_hash = SdpHash::other_hello; }),
        plan("zrtp-goclear", [](Plan& p) { p.options.go_clear = true; }),
        plan("zrtp-error", [](Plan& p) { p.options.error_code = 0x62; }),  // "DH Error: hvi != hashed data"
        plan("zrtp-stripped",
             [](Plan& p) {
                 p.only_caller_hellos = true;
                 p.hello_copies = 7;
             }),
        plan("zrtp-pbx-mitm",
             [](Plan& p) {
                 p.callee_is_pbx = true;
                 p.options.sas_relay = true;
             }),
        plan("zrtp-multistream", [](Plan& p) { p.options.multistream = true; }),
        plan("zrtp-crc-corrupt", [](Plan& p) { p.options.corrupt_crc = true; }),
        plan("zrtp-retransmit-changed", [](Plan& p) { p.options.retransmit_hello_changed = true; }),
        plan("zrtp-fragmented",
             [](Plan& p) {
                 p.hello_copies = 0;
                 p.options.max_fragment_size = 128;  // Hellos, Commit and DHParts in pieces; Confirms fit
             }),
        plan("zrtp-dh2k", [](Plan& p) { p.key_agreements = {"DH2k"}; }),
        plan("zrtp-no-sip", [](Plan& p) { p.sip = false; }),
    };
}

Plan plan_named(std::string_view name) {
    for (auto& p : plans()) {
        if (p.name == name) {
            return p;
        }
    }
    throw std::logic_error{fmt::format("no ZRTP scenario {}", name)};
}

CaptureBuilder build_named(std::string_view name, std::uint64_t seed) {
    return build(plan_named(name), seed);
}

}  // namespace

CaptureBuilder zrtp_clean_call(std::uint64_t seed) {
    return build_named("zrtp-clean-call", seed);
}
CaptureBuilder zrtp_clear_before_secure(std::uint64_t seed) {
    return build_named("zrtp-clear-before-secure", seed);
}
CaptureBuilder zrtp_hello_tampered(std::uint64_t seed) {
    return build_named("zrtp-hello-tampered", seed);
}
CaptureBuilder zrtp_hello_forged_h3(std::uint64_t seed) {
    return build_named("zrtp-hello-forged-h3", seed);
}
CaptureBuilder zrtp_mitm_dhpart2(std::uint64_t seed) {
    return build_named("zrtp-mitm-dhpart2", seed);
}
CaptureBuilder zrtp_hash_chain_broken(std::uint64_t seed) {
    return build_named("zrtp-hash-chain-broken", seed);
}
CaptureBuilder zrtp_sdp_hash_mismatch(std::uint64_t seed) {
    return build_named("zrtp-sdp-hash-mismatch", seed);
}
CaptureBuilder zrtp_goclear(std::uint64_t seed) {
    return build_named("zrtp-goclear", seed);
}
CaptureBuilder zrtp_error(std::uint64_t seed) {
    return build_named("zrtp-error", seed);
}
CaptureBuilder zrtp_stripped(std::uint64_t seed) {
    return build_named("zrtp-stripped", seed);
}
CaptureBuilder zrtp_pbx_mitm(std::uint64_t seed) {
    return build_named("zrtp-pbx-mitm", seed);
}
CaptureBuilder zrtp_multistream(std::uint64_t seed) {
    return build_named("zrtp-multistream", seed);
}
CaptureBuilder zrtp_crc_corrupt(std::uint64_t seed) {
    return build_named("zrtp-crc-corrupt", seed);
}
CaptureBuilder zrtp_retransmit_changed(std::uint64_t seed) {
    return build_named("zrtp-retransmit-changed", seed);
}
CaptureBuilder zrtp_fragmented(std::uint64_t seed) {
    return build_named("zrtp-fragmented", seed);
}
CaptureBuilder zrtp_dh2k(std::uint64_t seed) {
    return build_named("zrtp-dh2k", seed);
}
CaptureBuilder zrtp_no_sip(std::uint64_t seed) {
    return build_named("zrtp-no-sip", seed);
}

}  // namespace zaudit::gen::scenario_builders

namespace zaudit::gen {

util::Expected<ZrtpHandshake> zrtp_scenario_handshake(std::string_view name, std::uint64_t seed) {
    const auto all = scenario_builders::plans();
    const auto it = std::find_if(all.begin(), all.end(), [&](const auto& p) { return p.name == name; });
    if (it == all.end()) {
        return util::Error{fmt::format("no ZRTP scenario {}", name)};
    }
    SeededBytes random = SeededBytes::for_scenario(seed, it->name);
    return scenario_builders::prepare(random, *it).handshake;
}

}  // namespace zaudit::gen
