// zrtp.handshake-incomplete: a handshake that began with a Hello and never reached Conf2ACK.
#include "rules.hpp"
#include "zrtp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

nlohmann::ordered_json side_json(const session::ZrtpHandshake& handshake, const session::Call* call,
                                 const util::Endpoint& endpoint) {
    nlohmann::ordered_json side = {{"endpoint", endpoint.to_string()}};
    const session::ZrtpMessageRecord* last = last_message_of(handshake, endpoint);
    side["last_message"] = last != nullptr ? nlohmann::ordered_json(zrtp::message_type_name(last->message.type))
                                           : nlohmann::ordered_json();
    side["last_frame"] = last != nullptr ? nlohmann::ordered_json(last->frame) : nlohmann::ordered_json();
    side["sent_hello"] = handshake.hello_of(endpoint) != nullptr;
    // null when no call is bound: nothing is known about this side's SDP.
    side["sdp_offered_zrtp"] =
        call != nullptr ? nlohmann::ordered_json(sdp_offers_zrtp(*call, endpoint)) : nlohmann::ordered_json();
    return side;
}

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    const StreamsByFlow streams = streams_by_flow(model);
    for (const session::ZrtpHandshake& handshake : model.handshakes) {
        const session::ZrtpMessageRecord* hello = handshake.find(zrtp::MessageType::hello);
        if (handshake.completed || hello == nullptr) {
            continue;
        }
        const session::Call* call = call_of(model, handshake);
        const session::ZrtpMessageRecord* last_a = last_message_of(handshake, handshake.a);
        const session::ZrtpMessageRecord* last_b = last_message_of(handshake, handshake.b);
        const auto name = [](const session::ZrtpMessageRecord* r) {
            return r != nullptr ? zrtp::message_type_name(r->message.type) : std::string_view{"nothing"};
        };
        Finding& f = add_handshake_finding(
            streams, sink, handshake,
            fmt::format("ZRTP handshake {} ({} <-> {}) did not complete: last from {} was {}, from {} was {}",
                        handshake.id, handshake.a, handshake.b, handshake.a, name(last_a), handshake.b, name(last_b)));
        f.confidence = Confidence::inferred;  // the capture may have missed the rest
        f.frames = {hello->frame};
        for (const auto* last : {last_a, last_b}) {
            if (last != nullptr) {
                f.frames.push_back(last->frame);
            }
        }
        f.evidence["side_a"] = side_json(handshake, call, handshake.a);
        f.evidence["side_b"] = side_json(handshake, call, handshake.b);
        f.evidence["rtp_packets"] = handshake.rtp_packets;
        f.evidence["last_frame"] = handshake.last_frame;
    }
}

}  // namespace

RuleInfo zrtp_handshake_incomplete() {
    return {"zrtp.handshake-incomplete",
            Severity::medium,
            "ZRTP handshake did not complete",
            "A ZRTP handshake started (a Hello was sent) but never reached Conf2ACK, so ZRTP did not key the "
            "stream. Common reasons are benign, such as a peer without ZRTP whose SDP never offered it (only one "
            "side sends Hellos) or a call that ended early; others are not: an Error, a middlebox dropping ZRTP "
            "packets in one direction, or a capture that missed part of the path. The evidence gives the last "
            "message from each side and whether each side's SDP offered a=zrtp-hash.",
            "If both sides support ZRTP, find where the handshake stops (the last message each side sent) and "
            "which device in the path drops or rewrites ZRTP; if the peer does not support ZRTP, the media is "
            "protected only by whatever the SDP negotiated.",
            "RFC 6189 sections 4 and 8.1",
            &check};
}

}  // namespace zaudit::analysis::rules
