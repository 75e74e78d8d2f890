// Scenarios for SIP calls over several hops: B2BUAs, proxies that edit the SDP, media relays, a
// PBX that steps out of the media path, SIP over TCP split across segments.
//
// Addresses come from the documentation ranges (RFC 5737, RFC 3849): the caller lives in
// 192.0.2.0/24, the callee in 198.51.100.0/24, proxies and B2BUAs in 203.0.113.0/24. Every
// random value (tags, branches, Call-IDs, SSRCs, keys) comes from the scenario's seed.
#include <algorithm>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "sip_scenario_kit.hpp"

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
