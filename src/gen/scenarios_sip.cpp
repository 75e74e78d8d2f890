// Scenarios for SIP, SDP, SDES and SRTP between two parties, as softphones make them.
//
// Addresses come from the documentation ranges (RFC 5737, RFC 3849): the caller lives in
// 192.0.2.0/24, the callee in 198.51.100.0/24, proxies and B2BUAs in 203.0.113.0/24. Every
// random value (tags, branches, Call-IDs, SSRCs, keys) comes from the scenario's seed.
#include <algorithm>
#include <optional>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>

#include "sip_scenario_kit.hpp"

namespace zaudit::gen::scenario_builders {
namespace {

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
