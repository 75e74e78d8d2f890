// Scenarios for SIP, SDP, SDES and SRTP: calls as softphones, proxies and B2BUAs make them.
//
// Addresses come from the documentation ranges (RFC 5737, RFC 3849): the caller lives in
// 192.0.2.0/24, the callee in 198.51.100.0/24, proxies and B2BUAs in 203.0.113.0/24. Every
// random value (tags, branches, Call-IDs, SSRCs, keys) comes from the scenario's seed.
#include <algorithm>
#include <optional>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "scenarios.hpp"
#include "zaudit/gen/sip_builder.hpp"

namespace zaudit::gen::scenario_builders {
namespace {

constexpr std::size_t k_key_salt = 30;  // AES-128 master key and 112-bit salt
constexpr std::string_view k_suite_80 = "AES_CM_128_HMAC_SHA1_80";
constexpr std::string_view k_suite_32 = "AES_CM_128_HMAC_SHA1_32";

/// One user agent: its SIP identity and where its media lives.
struct Agent {
    SipParty party;
    util::Endpoint media;
};

Agent agent(SeededBytes& random, std::string user, std::string display, util::Endpoint sip, util::Endpoint media,
            std::string user_agent) {
    SipParty party{std::move(user), std::move(display), sip, sip_tag(random), std::move(user_agent)};
    return Agent{std::move(party), media};
}

Agent alice(SeededBytes& random, const char* ip = "192.0.2.10", std::uint16_t sip_port = 5060) {
    return agent(random, "alice", "Alice", ep(ip, sip_port), ep(ip, 40000), "ExamplePhone/2.1");
}

Agent bob(SeededBytes& random, const char* ip = "198.51.100.20", std::uint16_t sip_port = 5060) {
    return agent(random, "bob", "Bob", ep(ip, sip_port), ep(ip, 50000), "ExampleDesk/7.4");
}

SdpCrypto crypto(SeededBytes& random, std::uint32_t tag, std::string_view suite) {
    return SdpCrypto{tag, std::string{suite}, random.bytes(k_key_salt), {}};
}

/// The SDP of one side: its media address, profile and a=crypto lines.
struct Media {
    util::Endpoint address;
    bool savp = false;
    std::vector<SdpCrypto> cryptos;
    std::uint64_t session_id = 0;
    std::uint64_t version = 0;
    bool dtls = false;        ///< UDP/TLS/RTP/SAVP
    std::string fingerprint;  ///< a=fingerprint value
    std::string setup;        ///< a=setup value
};

std::string sdp(const Media& media) {
    SdpSpec spec;
    spec.session_id = media.session_id;
    spec.session_version = media.version;
    spec.address = media.address.address;
    spec.port = media.address.port;
    spec.savp = media.savp;
    spec.cryptos = media.cryptos;
    spec.dtls = media.dtls;
    spec.fingerprint = media.fingerprint;
    spec.setup = media.setup;
    return build_sdp(spec);
}

Media media_of(SeededBytes& random, util::Endpoint address, bool savp, std::vector<SdpCrypto> cryptos) {
    Media media;
    media.address = address;
    media.savp = savp;
    media.cryptos = std::move(cryptos);
    media.session_id = media.version = random.u32();
    return media;
}

std::shared_ptr<SrtpSender> sender(const SdpCrypto& key) {
    auto created = SrtpSender::create(key.suite, key.key_salt, key.session_params == "UNENCRYPTED_SRTP");
    if (!created) {
        throw std::logic_error{created.error().message};  // the scenarios only name suites it has
    }
    return std::make_shared<SrtpSender>(std::move(*created));
}

// ----- sending requests and responses over a link whose side `a` is the dialog's caller -----

void request(SignalingLink& link, util::Timestamp time, const DialogSpec& dialog, const RequestSpec& spec) {
    link.send(time, !spec.from_callee, build_request(dialog, spec));
}

void respond(SignalingLink& link, util::Timestamp time, const DialogSpec& dialog, const RequestSpec& spec, int code,
             std::string_view reason, std::string_view body = {}) {
    link.send(time, spec.from_callee, build_response(dialog, spec, code, reason, body));
}

RequestSpec invite_spec(SeededBytes& random, std::uint32_t cseq, bool reinvite, std::string offer) {
    RequestSpec spec;
    spec.method = "INVITE";
    spec.cseq = cseq;
    spec.branch = sip_branch(random);
    spec.in_dialog = reinvite;
    spec.sdp = std::move(offer);
    return spec;
}

RequestSpec in_dialog_spec(SeededBytes& random, std::string method, std::uint32_t cseq) {
    RequestSpec spec;
    spec.method = std::move(method);
    spec.cseq = cseq;
    spec.branch = sip_branch(random);  // ACK to a 2xx is a transaction of its own (RFC 3261 13.2.2.4)
    spec.in_dialog = true;
    return spec;
}

/// INVITE, 100 Trying, 180 Ringing (first INVITE only), 200 OK with the answer, ACK.
/// Returns the time of the ACK.
util::Timestamp invite_transaction(SignalingLink& link, util::Timestamp start, const DialogSpec& dialog,
                                   SeededBytes& random, std::uint32_t cseq, const std::string& offer,
                                   const std::string& answer) {
    const bool reinvite = cseq > 1;
    const RequestSpec invite = invite_spec(random, cseq, reinvite, offer);
    request(link, start, dialog, invite);
    respond(link, util::Timestamp{start.micros + 4'000}, dialog, invite, 100, "Trying");
    std::int64_t answered = start.micros + 30'000;
    if (!reinvite) {
        respond(link, util::Timestamp{start.micros + 40'000}, dialog, invite, 180, "Ringing");
        answered = start.micros + 900'000;  // someone picks up
    }
    respond(link, util::Timestamp{answered}, dialog, invite, 200, "OK", answer);
    const util::Timestamp ack_time{answered + 8'000};
    request(link, ack_time, dialog, in_dialog_spec(random, "ACK", cseq));
    return ack_time;
}

void bye_transaction(SignalingLink& link, util::Timestamp start, const DialogSpec& dialog, SeededBytes& random,
                     std::uint32_t cseq) {
    const RequestSpec bye = in_dialog_spec(random, "BYE", cseq);
    request(link, start, dialog, bye);
    respond(link, util::Timestamp{start.micros + 6'000}, dialog, bye, 200, "OK");
}

/// A call between two agents: who, over what, with which SDP, and which keys protect the
/// media each way (nullopt: plain RTP).
struct CallPlan {
    SipTransport transport = SipTransport::udp;
    Agent caller;
    Agent callee;
    util::Endpoint caller_link;  ///< the caller's end of the signalling connection
    util::Endpoint callee_link;
    Media offer;
    Media answer;
    std::optional<SdpCrypto> caller_key;
    std::optional<SdpCrypto> callee_key;
    std::size_t packets = 50;
    /// The caller's packet at this index is replaced in flight by one protected under a key the
    /// SDP never carried: what an attacker without the key who alters or injects media sends.
    std::optional<std::size_t> forged_packet;
};

CaptureBuilder two_party_call(SeededBytes& random, const CallPlan& plan, Framing framing = {}) {
    CaptureBuilder capture{std::move(framing)};
    const DialogSpec dialog{plan.caller.party, plan.callee.party,
                            sip_call_id(random, plan.caller.party.signaling.address.to_string()), plan.transport};
    SignalingLink link{capture, random, plan.caller_link, plan.callee_link, plan.transport};
    const util::Timestamp ack = invite_transaction(link, at(0), dialog, random, 1, sdp(plan.offer), sdp(plan.answer));
    auto forward = media_direction(random, plan.caller.media, plan.callee.media,
                                   plan.caller_key ? sender(*plan.caller_key) : nullptr);
    auto backward = media_direction(random, plan.callee.media, plan.caller.media,
                                    plan.callee_key ? sender(*plan.callee_key) : nullptr);
    util::Timestamp end{ack.micros + 12'000};
    if (plan.forged_packet && *plan.forged_packet < plan.packets) {
        end = add_g711_media(capture, end, *plan.forged_packet, forward, backward);
        const auto genuine = std::exchange(forward.srtp, sender(crypto(random, 1, k_suite_80)));
        end = add_g711_media(capture, end, 1, forward, backward);
        forward.srtp = genuine;
        end = add_g711_media(capture, end, plan.packets - *plan.forged_packet - 1, forward, backward);
    } else {
        end = add_g711_media(capture, end, plan.packets, forward, backward);
    }
    bye_transaction(link, util::Timestamp{end.micros + 20'000}, dialog, random, 2);
    link.close(util::Timestamp{end.micros + 200'000});
    return capture;
}

/// A UDP call between alice and bob with the given SDP sides and media keys.
CallPlan udp_plan(SeededBytes& random) {
    CallPlan plan;
    plan.caller = alice(random);
    plan.callee = bob(random);
    plan.caller_link = plan.caller.party.signaling;
    plan.callee_link = plan.callee.party.signaling;
    return plan;
}

/// SDES both ways: each side's a=crypto carries the key it sends with (RFC 4568 section 6.1).
CallPlan sdes_plan(SeededBytes& random) {
    CallPlan plan = udp_plan(random);
    const SdpCrypto caller_key = crypto(random, 1, k_suite_80);
    const SdpCrypto callee_key = crypto(random, 1, k_suite_80);
    plan.offer = media_of(random, plan.caller.media, true, {caller_key});
    plan.answer = media_of(random, plan.callee.media, true, {callee_key});
    plan.caller_key = caller_key;
    plan.callee_key = callee_key;
    return plan;
}

/// A DTLS-SRTP side of an SDP (RFC 5763 section 5): a certificate fingerprint and a setup role.
Media dtls_media_of(SeededBytes& random, util::Endpoint address, std::string setup) {
    Media media = media_of(random, address, true, {});
    media.dtls = true;
    media.setup = std::move(setup);
    media.fingerprint = "sha-256";
    for (const std::uint8_t byte : random.bytes(32)) {  // a certificate never sent: any digest will do
        media.fingerprint += fmt::format("{}{:02X}", media.fingerprint.size() == 7 ? ' ' : ':', byte);
    }
    return media;
}

/// A DTLS 1.2 ClientHello in one record of epoch 0 (RFC 6347 section 4.2.2, RFC 5246 section
/// 7.4.1.2) offering SRTP_AES128_CM_HMAC_SHA1_80 and SRTP_AEAD_AES_128_GCM in use_srtp (RFC 5764
/// section 4.1.1). Retransmissions repeat the message under the next record sequence number.
ByteVector dtls_client_hello(util::Bytes client_random, std::uint32_t record_sequence) {
    ByteWriter extensions;
    extensions.u16(0x000e).u16(7).u16(4).u16(0x0001).u16(0x0007).u8(0);  // use_srtp, no MKI
    extensions.u16(0x0017).u16(0);                                       // extended_master_secret
    ByteWriter body;
    body.u16(0xfefd).bytes(client_random).u8(0).u8(0);  // DTLS 1.2, no session id, no cookie
    body.u16(4).u16(0xc02b).u16(0xc02f).u8(1).u8(0);    // ECDHE-ECDSA/RSA-AES128-GCM, null compression
    body.u16(static_cast<std::uint16_t>(extensions.size())).bytes(extensions.out());
    const auto length = static_cast<std::uint32_t>(body.size());
    ByteWriter handshake;
    handshake.u8(1).u8(0).u16(static_cast<std::uint16_t>(length));                // client_hello, 24-bit length
    handshake.u16(0).u8(0).u16(0).u8(0).u16(static_cast<std::uint16_t>(length));  // seq 0, offset 0, whole
    handshake.bytes(body.out());
    ByteWriter record;
    record.u8(22).u16(0xfeff).u16(0).u16(0).u32(record_sequence);  // handshake, epoch 0
    record.u16(static_cast<std::uint16_t>(handshake.size())).bytes(handshake.out());
    return record.take();
}

}  // namespace

CaptureBuilder sip_plain_call(std::uint64_t seed) {
    SeededBytes random = SeededBytes::for_scenario(seed, "sip-plain-call");
    CallPlan plan = udp_plan(random);
    plan.offer = media_of(random, plan.caller.media, false, {});
    plan.answer = media_of(random, plan.callee.media, false, {});
    plan.packets = 100;
    return two_party_call(random, plan);
}

CaptureBuilder sdes_call_udp(std::uint64_t seed) {
    SeededBytes random = SeededBytes::for_scenario(seed, "sdes-call-udp");
    CallPlan plan = sdes_plan(random);
    plan.packets = 100;
    return two_party_call(random, plan);
}

CaptureBuilder srtp_auth_failure(std::uint64_t seed) {
    SeededBytes random = SeededBytes::for_scenario(seed, "srtp-auth-failure");
    CallPlan plan = sdes_plan(random);
    plan.packets = 300;
    plan.forged_packet = 150;  // one the sampled checks try (after the first 64, 1 in 50)
    return two_party_call(random, plan);
}

CaptureBuilder dtls_never_completes(std::uint64_t seed) {
    SeededBytes random = SeededBytes::for_scenario(seed, "dtls-never-completes");
    CallPlan plan = udp_plan(random);
    plan.offer = dtls_media_of(random, plan.caller.media, "actpass");
    plan.answer = dtls_media_of(random, plan.callee.media, "active");
    CaptureBuilder capture;
    const DialogSpec dialog{plan.caller.party, plan.callee.party,
                            sip_call_id(random, plan.caller.party.signaling.address.to_string()), plan.transport};
    SignalingLink link{capture, random, plan.caller_link, plan.callee_link, plan.transport};
    const util::Timestamp ack = invite_transaction(link, at(0), dialog, random, 1, sdp(plan.offer), sdp(plan.answer));
    auto forward = media_direction(random, plan.caller.media, plan.callee.media);
    auto backward = media_direction(random, plan.callee.media, plan.caller.media);
    // The callee (a=setup:active) is the DTLS client: its ClientHello goes unanswered (dropped on
    // the way, or never answered) and is retransmitted every second (RFC 6347 section 4.2.4.1
    // starts at 1 s), while both sides send plain RTP rather than give up.
    const ByteVector client_random = random.bytes(32);
    util::Timestamp time{ack.micros + 5'000};
    for (std::uint32_t attempt = 0; attempt < 3; ++attempt) {
        capture.add_udp(time, plan.callee.media, plan.caller.media, dtls_client_hello(client_random, attempt));
        time = add_g711_media(capture, util::Timestamp{time.micros + 7'000}, 50, forward, backward);
    }
    bye_transaction(link, util::Timestamp{time.micros + 20'000}, dialog, random, 2);
    link.close(util::Timestamp{time.micros + 200'000});
    return capture;
}

CaptureBuilder sdes_call_tls(std::uint64_t seed) {
    SeededBytes random = SeededBytes::for_scenario(seed, "sdes-call-tls");
    CallPlan plan = sdes_plan(random);
    plan.transport = SipTransport::tls;
    plan.caller.party.signaling.port = 5061;
    plan.callee.party.signaling.port = 5061;
    plan.caller_link = ep("192.0.2.10", 49732);  // the caller's ephemeral port
    plan.callee_link = plan.callee.party.signaling;
    return two_party_call(random, plan);
}

CaptureBuilder srtp_declined(std::uint64_t seed) {
    SeededBytes random = SeededBytes::for_scenario(seed, "srtp-declined");
    CallPlan plan = udp_plan(random);
    plan.offer = media_of(random, plan.caller.media, true, {crypto(random, 1, k_suite_80)});
    plan.answer = media_of(random, plan.callee.media, false, {});
    return two_party_call(random, plan);
}

CaptureBuilder sdes_key_reuse(std::uint64_t seed) {
    SeededBytes random = SeededBytes::for_scenario(seed, "sdes-key-reuse");
    CallPlan plan = udp_plan(random);
    const SdpCrypto key = crypto(random, 1, k_suite_80);
    plan.offer = media_of(random, plan.caller.media, true, {key});
    plan.answer = media_of(random, plan.callee.media, true, {key});  // the answerer echoes the offer's key
    plan.caller_key = key;
    plan.callee_key = key;
    return two_party_call(random, plan);
}

CaptureBuilder weak_suite(std::uint64_t seed) {
    SeededBytes random = SeededBytes::for_scenario(seed, "weak-suite");
    CallPlan plan = udp_plan(random);
    const SdpCrypto offer_80 = crypto(random, 1, k_suite_80);
    const SdpCrypto offer_32 = crypto(random, 2, k_suite_32);
    const SdpCrypto answer_32 = crypto(random, 2, k_suite_32);
    plan.offer = media_of(random, plan.caller.media, true, {offer_80, offer_32});
    plan.answer = media_of(random, plan.callee.media, true, {answer_32});
    plan.caller_key = offer_32;  // the offerer sends with the key of the accepted line
    plan.callee_key = answer_32;
    return two_party_call(random, plan);
}

CaptureBuilder null_cipher(std::uint64_t seed) {
    SeededBytes random = SeededBytes::for_scenario(seed, "null-cipher");
    CallPlan plan = udp_plan(random);
    const SdpCrypto offer_80 = crypto(random, 1, k_suite_80);
    const SdpCrypto offer_null = crypto(random, 2, "NULL_HMAC_SHA1_80");
    const SdpCrypto answer_null = crypto(random, 2, "NULL_HMAC_SHA1_80");
    plan.offer = media_of(random, plan.caller.media, true, {offer_80, offer_null});
    plan.answer = media_of(random, plan.callee.media, true, {answer_null});
    plan.caller_key = offer_null;
    plan.callee_key = answer_null;
    return two_party_call(random, plan);
}

CaptureBuilder sip_fragmented_ipv6(std::uint64_t seed) {
    SeededBytes random = SeededBytes::for_scenario(seed, "sip-fragmented-ipv6");
    CallPlan plan;
    plan.caller = alice(random, "2001:db8::10");
    plan.callee = bob(random, "2001:db8:1::20");
    plan.caller_link = plan.caller.party.signaling;
    plan.callee_link = plan.callee.party.signaling;
    plan.offer = media_of(random, plan.caller.media, false, {});
    plan.answer = media_of(random, plan.callee.media, false, {});
    Framing framing;
    framing.mtu = 576;  // the IPv6 minimum is 1280, but paths with smaller links fragment lower
    return two_party_call(random, plan, framing);
}

CaptureBuilder reinvite_drops_crypto(std::uint64_t seed) {
    SeededBytes random = SeededBytes::for_scenario(seed, "reinvite-drops-crypto");
    CallPlan plan = sdes_plan(random);
    CaptureBuilder capture;
    const DialogSpec dialog{plan.caller.party, plan.callee.party, sip_call_id(random, "192.0.2.10"), SipTransport::udp};
    SignalingLink link{capture, random, plan.caller_link, plan.callee_link, SipTransport::udp};
    util::Timestamp t = invite_transaction(link, at(0), dialog, random, 1, sdp(plan.offer), sdp(plan.answer));
    auto forward = media_direction(random, plan.caller.media, plan.callee.media, sender(*plan.caller_key));
    auto backward = media_direction(random, plan.callee.media, plan.caller.media, sender(*plan.callee_key));
    t = add_g711_media(capture, util::Timestamp{t.micros + 12'000}, 50, forward, backward);
    // The re-offer: same session, next version, plain RTP/AVP and no a=crypto (RFC 3264 8).
    Media offer = plan.offer;
    Media answer = plan.answer;
    offer.savp = answer.savp = false;
    offer.cryptos.clear();
    answer.cryptos.clear();
    ++offer.version;
    ++answer.version;
    t = invite_transaction(link, t, dialog, random, 2, sdp(offer), sdp(answer));
    forward.srtp = nullptr;
    backward.srtp = nullptr;  // same SSRCs and sequence numbers, now in clear
    t = add_g711_media(capture, util::Timestamp{t.micros + 12'000}, 50, forward, backward);
    bye_transaction(link, util::Timestamp{t.micros + 20'000}, dialog, random, 3);
    return capture;
}

}  // namespace zaudit::gen::scenario_builders

namespace zaudit::gen::scenario_builders {
namespace {

/// Frames added leg by leg back in capture order (stable: equal times keep their order).
void sort_by_time(CaptureBuilder& capture) {
    std::stable_sort(capture.frames().begin(), capture.frames().end(),
                     [](const GeneratedFrame& x, const GeneratedFrame& y) { return x.time.micros < y.time.micros; });
}

/// The Via a stateful proxy puts on top when it forwards a request (RFC 3261 section 16.6 step 8).
std::string proxy_via(SeededBytes& random, const util::Endpoint& proxy) {
    return fmt::format("SIP/2.0/UDP {}:{};branch={}", proxy.address.to_string(), proxy.port, sip_branch(random));
}

}  // namespace

CaptureBuilder b2bua_two_legs(std::uint64_t seed) {
    SeededBytes random = SeededBytes::for_scenario(seed, "b2bua-two-legs");
    CaptureBuilder capture;
    const Agent caller = alice(random);
    const Agent callee = bob(random);
    // The B2BUA is the callee of leg 1 and the caller of leg 2, anchoring media on its own ports.
    const Agent sbc_in =
        agent(random, "bob", "Bob", ep("203.0.113.5", 5060), ep("203.0.113.5", 30000), "ExampleSBC/4.0");
    const Agent sbc_out =
        agent(random, "alice", "Alice", ep("203.0.113.5", 5060), ep("203.0.113.5", 30002), "ExampleSBC/4.0");
    const DialogSpec leg1{caller.party, sbc_in.party, sip_call_id(random, "192.0.2.10"), SipTransport::udp};
    const DialogSpec leg2{sbc_out.party, callee.party, sip_call_id(random, "203.0.113.5"), SipTransport::udp};
    SignalingLink link1{capture, random, caller.party.signaling, sbc_in.party.signaling, SipTransport::udp};
    SignalingLink link2{capture, random, sbc_out.party.signaling, callee.party.signaling, SipTransport::udp};

    const SdpCrypto caller_key = crypto(random, 1, k_suite_80);
    const SdpCrypto sbc_key = crypto(random, 1, k_suite_80);
    const RequestSpec invite1 = invite_spec(random, 1, false, sdp(media_of(random, caller.media, true, {caller_key})));
    const RequestSpec invite2 = invite_spec(random, 1, false, sdp(media_of(random, sbc_out.media, false, {})));
    request(link1, at(0), leg1, invite1);
    respond(link1, at(3'000), leg1, invite1, 100, "Trying");
    request(link2, at(10'000), leg2, invite2);
    respond(link2, at(14'000), leg2, invite2, 100, "Trying");
    respond(link2, at(50'000), leg2, invite2, 180, "Ringing");
    respond(link1, at(52'000), leg1, invite1, 180, "Ringing");
    respond(link2, at(900'000), leg2, invite2, 200, "OK", sdp(media_of(random, callee.media, false, {})));
    request(link2, at(908'000), leg2, in_dialog_spec(random, "ACK", 1));
    respond(link1, at(910'000), leg1, invite1, 200, "OK", sdp(media_of(random, sbc_in.media, true, {sbc_key})));
    request(link1, at(918'000), leg1, in_dialog_spec(random, "ACK", 1));

    auto a_out = media_direction(random, caller.media, sbc_in.media, sender(caller_key));
    auto a_in = media_direction(random, sbc_in.media, caller.media, sender(sbc_key));
    auto c_in = media_direction(random, sbc_out.media, callee.media);
    auto c_out = media_direction(random, callee.media, sbc_out.media);
    util::Timestamp t = at(930'000);
    for (int i = 0; i < 50; ++i) {
        add_g711_media(capture, t, 1, a_out, a_in);
        t = add_g711_media(capture, util::Timestamp{t.micros + 2'000}, 1, c_in, c_out);
        t.micros -= 2'000;
    }
    bye_transaction(link1, util::Timestamp{t.micros + 20'000}, leg1, random, 2);
    bye_transaction(link2, util::Timestamp{t.micros + 30'000}, leg2, random, 2);
    sort_by_time(capture);
    return capture;
}

CaptureBuilder proxy_strips_crypto(std::uint64_t seed) {
    SeededBytes random = SeededBytes::for_scenario(seed, "proxy-strips-crypto");
    CaptureBuilder capture;
    const Agent caller = alice(random);
    const Agent callee = bob(random);
    const util::Endpoint proxy = ep("203.0.113.1", 5060);
    const std::string record_route = "<sip:203.0.113.1;lr>";
    const DialogSpec dialog{caller.party, callee.party, sip_call_id(random, "192.0.2.10"), SipTransport::udp};
    SignalingLink hop1{capture, random, caller.party.signaling, proxy, SipTransport::udp};
    SignalingLink hop2{capture, random, proxy, callee.party.signaling, SipTransport::udp};

    const Media offer = media_of(random, caller.media, true, {crypto(random, 1, k_suite_80)});
    Media stripped = offer;  // what the proxy forwards: the same session, SRTP removed
    stripped.savp = false;
    stripped.cryptos.clear();
    const std::string answer = sdp(media_of(random, callee.media, false, {}));

    const RequestSpec invite1 = invite_spec(random, 1, false, sdp(offer));
    RequestSpec invite2 = invite1;
    invite2.sdp = sdp(stripped);
    invite2.proxy_vias = {proxy_via(random, proxy)};
    invite2.record_routes = {record_route};
    RequestSpec invite1_back = invite1;  // responses reach alice with the proxy's Record-Route
    invite1_back.record_routes = {record_route};
    request(hop1, at(0), dialog, invite1);
    respond(hop1, at(3'000), dialog, invite1, 100, "Trying");
    request(hop2, at(5'000), dialog, invite2);
    respond(hop2, at(9'000), dialog, invite2, 100, "Trying");
    respond(hop2, at(45'000), dialog, invite2, 180, "Ringing");
    respond(hop1, at(46'000), dialog, invite1_back, 180, "Ringing");
    respond(hop2, at(900'000), dialog, invite2, 200, "OK", answer);
    respond(hop1, at(901'000), dialog, invite1_back, 200, "OK", answer);

    // In-dialog requests are routed through the proxy (Route at hop 1, its Via at hop 2).
    const auto through_proxy = [&](std::string method, std::uint32_t cseq, std::int64_t when) {
        RequestSpec first = in_dialog_spec(random, std::move(method), cseq);
        first.routes = {record_route};
        RequestSpec second = first;
        second.routes.clear();
        second.proxy_vias = {proxy_via(random, proxy)};
        request(hop1, at(when), dialog, first);
        request(hop2, at(when + 1'000), dialog, second);
        return std::pair{first, second};
    };
    through_proxy("ACK", 1, 910'000);
    auto forward = media_direction(random, caller.media, callee.media);
    auto backward = media_direction(random, callee.media, caller.media);
    const util::Timestamp end = add_g711_media(capture, at(920'000), 50, forward, backward);
    const std::int64_t bye_at = end.micros - k_start + 20'000;
    const auto [bye1, bye2] = through_proxy("BYE", 2, bye_at);
    respond(hop2, at(bye_at + 5'000), dialog, bye2, 200, "OK");
    respond(hop1, at(bye_at + 6'000), dialog, bye1, 200, "OK");
    return capture;
}

CaptureBuilder relay_sdes_to_plain(std::uint64_t seed) {
    SeededBytes random = SeededBytes::for_scenario(seed, "relay-sdes-to-plain");
    CaptureBuilder capture;
    const Agent caller = alice(random);
    const Agent callee = bob(random);
    // A proxy with a media relay beside it (as Kamailio with rtpengine): one address on each
    // network, SIP forwarded with Contact untouched, each SDP's c= rewritten to the relay.
    const util::Endpoint proxy_a = ep("203.0.113.1", 5060);
    const util::Endpoint proxy_b = ep("198.51.100.1", 5060);
    const util::Endpoint relay_a = ep("203.0.113.1", 30000);
    const util::Endpoint relay_b = ep("198.51.100.1", 30000);
    const std::vector<std::string> record_route = {"<sip:198.51.100.1;r2=on;lr>", "<sip:203.0.113.1;r2=on;lr>"};
    const DialogSpec dialog{caller.party, callee.party, sip_call_id(random, "192.0.2.10"), SipTransport::udp};
    SignalingLink hop1{capture, random, caller.party.signaling, proxy_a, SipTransport::udp};
    SignalingLink hop2{capture, random, proxy_b, callee.party.signaling, SipTransport::udp};

    // SDES-SRTP towards alice, plain RTP towards bob: the relay decrypts one way and encrypts
    // the other, with a key of its own in its answer to alice.
    const SdpCrypto caller_key = crypto(random, 1, k_suite_80);
    const SdpCrypto relay_key = crypto(random, 1, k_suite_80);
    const RequestSpec invite1 = invite_spec(random, 1, false, sdp(media_of(random, caller.media, true, {caller_key})));
    RequestSpec invite2 = invite1;
    invite2.sdp = sdp(media_of(random, relay_b, false, {}));
    invite2.proxy_vias = {proxy_via(random, proxy_b)};
    invite2.record_routes = record_route;
    RequestSpec invite1_back = invite1;
    invite1_back.record_routes = record_route;
    request(hop1, at(0), dialog, invite1);
    respond(hop1, at(3'000), dialog, invite1, 100, "Trying");
    request(hop2, at(6'000), dialog, invite2);
    respond(hop2, at(9'000), dialog, invite2, 100, "Trying");
    respond(hop2, at(45'000), dialog, invite2, 180, "Ringing");
    respond(hop1, at(46'000), dialog, invite1_back, 180, "Ringing");
    respond(hop2, at(900'000), dialog, invite2, 200, "OK", sdp(media_of(random, callee.media, false, {})));
    respond(hop1, at(903'000), dialog, invite1_back, 200, "OK", sdp(media_of(random, relay_a, true, {relay_key})));
    RequestSpec ack1 = in_dialog_spec(random, "ACK", 1);
    ack1.routes = {record_route[1], record_route[0]};
    RequestSpec ack2 = in_dialog_spec(random, "ACK", 1);
    ack2.proxy_vias = {proxy_via(random, proxy_b)};
    request(hop1, at(910'000), dialog, ack1);
    request(hop2, at(911'000), dialog, ack2);

    // The relay keeps SSRC, sequence numbers and timestamps: each packet appears on both wires,
    // 1 ms apart, SRTP on alice's and RTP on bob's.
    auto a_out = media_direction(random, caller.media, relay_a, sender(caller_key));
    MediaDirection b_in = a_out;
    b_in.src = relay_b;
    b_in.dst = callee.media;
    b_in.srtp = nullptr;
    auto b_out = media_direction(random, callee.media, relay_b);
    MediaDirection a_in = b_out;
    a_in.src = relay_a;
    a_in.dst = caller.media;
    a_in.srtp = sender(relay_key);
    util::Timestamp t = at(920'000);
    for (int i = 0; i < 50; ++i) {
        add_g711_media(capture, t, 1, a_out, b_out);
        t = add_g711_media(capture, util::Timestamp{t.micros + 1'000}, 1, b_in, a_in);
        t.micros -= 1'000;
    }
    const std::int64_t bye_at = t.micros - k_start + 20'000;
    RequestSpec bye1 = in_dialog_spec(random, "BYE", 2);
    bye1.routes = ack1.routes;
    RequestSpec bye2 = in_dialog_spec(random, "BYE", 2);
    bye2.proxy_vias = {proxy_via(random, proxy_b)};
    request(hop1, at(bye_at), dialog, bye1);
    request(hop2, at(bye_at + 1'000), dialog, bye2);
    respond(hop2, at(bye_at + 5'000), dialog, bye2, 200, "OK");
    respond(hop1, at(bye_at + 6'000), dialog, bye1, 200, "OK");
    sort_by_time(capture);
    return capture;
}

CaptureBuilder pbx_direct_media(std::uint64_t seed) {
    SeededBytes random = SeededBytes::for_scenario(seed, "pbx-direct-media");
    CaptureBuilder capture;
    const Agent caller = alice(random);
    const Agent callee = bob(random);
    // A B2BUA PBX (Asterisk with directmedia=yes): two dialogs with the PBX as the far party of
    // each (its own Contact), but each answer sends the phone's media straight to the other phone.
    const Agent pbx_in = agent(random, "bob", "Bob", ep("203.0.113.5", 5060), callee.media, "ExamplePBX/18");
    const Agent pbx_out = agent(random, "alice", "Alice", ep("203.0.113.5", 5060), caller.media, "ExamplePBX/18");
    const DialogSpec leg1{caller.party, pbx_in.party, sip_call_id(random, "192.0.2.10"), SipTransport::udp};
    const DialogSpec leg2{pbx_out.party, callee.party, sip_call_id(random, "203.0.113.5"), SipTransport::udp};
    SignalingLink link1{capture, random, caller.party.signaling, pbx_in.party.signaling, SipTransport::udp};
    SignalingLink link2{capture, random, pbx_out.party.signaling, callee.party.signaling, SipTransport::udp};

    const RequestSpec invite1 = invite_spec(random, 1, false, sdp(media_of(random, caller.media, false, {})));
    const RequestSpec invite2 = invite_spec(random, 1, false, sdp(media_of(random, pbx_out.media, false, {})));
    request(link1, at(0), leg1, invite1);
    respond(link1, at(3'000), leg1, invite1, 100, "Trying");
    request(link2, at(10'000), leg2, invite2);
    respond(link2, at(50'000), leg2, invite2, 180, "Ringing");
    respond(link1, at(52'000), leg1, invite1, 180, "Ringing");
    respond(link2, at(900'000), leg2, invite2, 200, "OK", sdp(media_of(random, callee.media, false, {})));
    request(link2, at(905'000), leg2, in_dialog_spec(random, "ACK", 1));
    respond(link1, at(906'000), leg1, invite1, 200, "OK", sdp(media_of(random, pbx_in.media, false, {})));
    request(link1, at(912'000), leg1, in_dialog_spec(random, "ACK", 1));

    auto forward = media_direction(random, caller.media, callee.media);
    auto backward = media_direction(random, callee.media, caller.media);
    const util::Timestamp end = add_g711_media(capture, at(920'000), 50, forward, backward);
    bye_transaction(link1, util::Timestamp{end.micros + 20'000}, leg1, random, 2);
    bye_transaction(link2, util::Timestamp{end.micros + 30'000}, leg2, random, 2);
    sort_by_time(capture);
    return capture;
}

CaptureBuilder sip_over_tcp_split(std::uint64_t seed) {
    SeededBytes random = SeededBytes::for_scenario(seed, "sip-over-tcp-split");
    CaptureBuilder capture;
    const Agent caller = alice(random);
    const Agent callee = bob(random);
    const DialogSpec dialog{caller.party, callee.party, sip_call_id(random, "192.0.2.10"), SipTransport::tcp};
    SignalingLink link{capture, random, ep("192.0.2.10", 49870), callee.party.signaling, SipTransport::tcp};

    const RequestSpec invite = invite_spec(random, 1, false, sdp(media_of(random, caller.media, false, {})));
    const std::string text = build_request(dialog, invite);
    // Three segments: the first cut falls inside the Call-ID line, the second inside the body.
    const std::size_t cut1 = text.find("Call-ID") + 4;
    const std::size_t cut2 = text.find("m=audio") + 3;
    link.send_segment(at(0), true, std::string_view{text}.substr(0, cut1));
    link.send_segment(at(200), true, std::string_view{text}.substr(cut1, cut2 - cut1));
    link.send_segment(at(400), true, std::string_view{text}.substr(cut2));
    respond(link, at(4'000), dialog, invite, 100, "Trying");
    link.retransmit_last(at(210'000), true);  // the third segment again: its ACK went missing
    // 180 Ringing and 200 OK leave together in one segment.
    const std::string ringing = build_response(dialog, invite, 180, "Ringing");
    const std::string ok = build_response(dialog, invite, 200, "OK", sdp(media_of(random, callee.media, false, {})));
    link.send_segment(at(900'000), false, ringing + ok);
    request(link, at(908'000), dialog, in_dialog_spec(random, "ACK", 1));
    bye_transaction(link, at(1'900'000), dialog, random, 2);
    link.close(at(2'000'000));
    return capture;
}

}  // namespace zaudit::gen::scenario_builders
