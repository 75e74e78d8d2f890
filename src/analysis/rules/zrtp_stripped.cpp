// zrtp.stripped: both sides wanted ZRTP, media flowed, and no handshake completed.
#include <algorithm>

#include "rules.hpp"
#include "zrtp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

/// The first answered exchange whose offer and answer both carry a=zrtp-hash on the same m=
/// line, as {offer frame, answer frame}; empty when there is none.
std::vector<std::uint64_t> zrtp_offer_answer(const session::Call& call) {
    for (const session::OfferAnswer& exchange : call.exchanges) {
        if (!exchange.answer || exchange.rejected) {
            continue;
        }
        const auto& offer = call.sdps[exchange.offer].media;
        const auto& answer = call.sdps[*exchange.answer].media;
        for (std::size_t m = 0; m < std::min(offer.size(), answer.size()); ++m) {
            if (!offer[m].zrtp_hashes.empty() && !answer[m].zrtp_hashes.empty()) {
                return {call.sdps[exchange.offer].frame, call.sdps[*exchange.answer].frame};
            }
        }
    }
    return {};
}

std::uint64_t rtp_on_flow(const StreamsByFlow& streams, const session::ZrtpHandshake& handshake) {
    std::uint64_t packets = 0;
    for (const auto* stream : streams[handshake.flow]) {
        packets += stream->packets;
    }
    return std::max(packets, handshake.rtp_packets);
}

/// A handshake both sides took part in (or that both SDPs asked for) that never completed while
/// RTP flowed on its flow.
void stripped_handshakes(const session::Model& model, const StreamsByFlow& streams, const HandshakesByFlow& handshakes,
                         FindingSink& sink) {
    for (const session::ZrtpHandshake& handshake : model.handshakes) {
        if (handshake.completed || flow_secured_elsewhere(handshakes, handshake)) {
            continue;
        }
        const session::Call* call = call_of(model, handshake);
        const bool hellos_from_both =
            handshake.hello_of(handshake.a) != nullptr && handshake.hello_of(handshake.b) != nullptr;
        const std::vector<std::uint64_t> sdp_frames =
            call != nullptr ? zrtp_offer_answer(*call) : std::vector<std::uint64_t>{};
        const std::uint64_t rtp = rtp_on_flow(streams, handshake);
        if ((!hellos_from_both && sdp_frames.empty()) || rtp == 0) {
            continue;
        }
        Finding& f = add_handshake_finding(
            streams, sink, handshake,
            fmt::format("ZRTP handshake {} ({} <-> {}) never completed although both sides advertised ZRTP, "
                        "and {} RTP packet(s) flowed",
                        handshake.id, handshake.a, handshake.b, rtp));
        f.confidence = Confidence::inferred;  // who blocked it is not in the capture
        f.frames = sdp_frames;
        for (const auto* endpoint : {&handshake.a, &handshake.b}) {
            if (const auto* last = last_message_of(handshake, *endpoint)) {
                f.frames.push_back(last->frame);
            }
        }
        if (handshake.first_clear_rtp_frame) {
            f.frames.push_back(*handshake.first_clear_rtp_frame);
        }
        f.evidence["hellos_from_both"] = hellos_from_both;
        f.evidence["sdp_offer_answer_zrtp_hash"] = sdp_frames;
        f.evidence["rtp_packets"] = rtp;
        f.evidence["first_rtp_frame"] = handshake.first_clear_rtp_frame
                                            ? nlohmann::ordered_json(*handshake.first_clear_rtp_frame)
                                            : nlohmann::ordered_json();
    }
}

/// A call whose offer and answer both carry a=zrtp-hash, with media, but not one ZRTP packet on
/// its media flows: someone filters ZRTP.
void calls_without_zrtp(const session::Model& model, const HandshakesByFlow& handshakes, FindingSink& sink) {
    const StreamsByCall streams_of_call = streams_by_call(model);
    for (const session::Call& call : model.calls) {
        const std::vector<std::uint64_t> sdp_frames = zrtp_offer_answer(call);
        if (sdp_frames.empty() || !call.handshakes.empty()) {
            continue;
        }
        std::uint64_t packets = 0;
        std::vector<const session::MediaStream*> streams;
        for (const session::MediaStream* stream : streams_of_call[call.id]) {
            if (stream->packets > 0) {
                streams.push_back(stream);
                packets += stream->packets;
            }
        }
        const bool zrtp_on_flows = std::any_of(streams.begin(), streams.end(), [&](const session::MediaStream* s) {
            return !handshakes[s->flow].empty();
        });
        if (streams.empty() || zrtp_on_flows) {
            continue;
        }
        Finding& f =
            sink.add(fmt::format("call {}: offer and answer both carry a=zrtp-hash, yet {} RTP packet(s) "
                                 "flowed without a single ZRTP packet",
                                 call.id, packets));
        f.call = call.id;
        f.stream = streams.front()->id;
        f.confidence = Confidence::inferred;
        f.frames = sdp_frames;
        auto flows = nlohmann::ordered_json::array();
        for (const auto* stream : streams) {
            f.frames.push_back(stream->first_frame);
            flows.push_back({{"stream", stream->id},
                             {"src", stream->src.to_string()},
                             {"dst", stream->dst.to_string()},
                             {"packets", stream->packets},
                             {"first_frame", stream->first_frame}});
        }
        f.evidence = {{"call", call.id},   {"call_id", call.call_id}, {"sdp_offer_answer_zrtp_hash", sdp_frames},
                      {"zrtp_packets", 0}, {"rtp_packets", packets},  {"streams", flows}};
    }
}

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    const HandshakesByFlow handshakes = handshakes_by_flow(model);
    stripped_handshakes(model, streams_by_flow(model), handshakes, sink);
    calls_without_zrtp(model, handshakes, sink);
}

}  // namespace

RuleInfo zrtp_stripped() {
    return {"zrtp.stripped",
            Severity::high,
            "ZRTP blocked in the media path",
            "Both sides advertised ZRTP (a=zrtp-hash in the offer and in the answer, or Hellos from both "
            "endpoints), media flowed, and yet no ZRTP handshake completed, or no ZRTP packet appeared at all on "
            "the call's media flows. Two ZRTP endpoints that can exchange RTP can exchange ZRTP: something in the "
            "path (a firewall, an SBC, an attacker) drops or mangles ZRTP packets so that the call falls back to "
            "whatever else protects it, often nothing.",
            "Find the device in the media path that filters ZRTP (its packets start with 0x10 and carry the "
            "'ZRTP' magic cookie) and let them through; configure endpoints to warn or hang up when a ZRTP "
            "handshake the peer advertised does not complete.",
            "RFC 6189 sections 4 and 8.1",
            &check};
}

}  // namespace zaudit::analysis::rules
