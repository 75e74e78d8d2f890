// call.security-downgraded, ZRTP side (see zrtp_facts.hpp): GoClear in a call, or a ZRTP
// handshake that did not complete followed by media with weaker protection. The rule's
// RuleInfo and SDP side live in call_security_downgraded.cpp, which calls this.
#include <algorithm>

#include "rules.hpp"
#include "zrtp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

void go_clear_in_call(const session::Model& model, const session::ZrtpHandshake& handshake, FindingSink& sink) {
    std::vector<std::uint64_t> frames;
    for (const session::ZrtpEvent& event : handshake.events) {
        if (event.kind == session::ZrtpEventKind::go_clear || event.kind == session::ZrtpEventKind::clear_ack) {
            frames.push_back(event.frame);
        }
    }
    if (frames.empty()) {
        return;
    }
    Finding& f = add_handshake_finding(model, sink, handshake,
                                       fmt::format("call {}: ZRTP stream {} <-> {} was switched to clear by GoClear "
                                                   "(frame {})",
                                                   *handshake.call, handshake.a, handshake.b, frames.front()));
    f.confidence = Confidence::verified;  // the GoClear is on the wire
    f.frames = frames;
    if (handshake.secure_frame) {
        f.frames.push_back(*handshake.secure_frame);
        std::sort(f.frames.begin(), f.frames.end());
    }
    f.evidence["from"] = session::to_string(session::Protection::zrtp);
    f.evidence["to"] = session::to_string(session::Protection::none);
    f.evidence["from_source"] = "zrtp";
    f.evidence["to_source"] = "zrtp_go_clear";
    f.evidence["go_clear_frames"] = frames;
}

/// Media of the call after the handshake began that is weaker than ZRTP: on the handshake's own
/// flow anything not keyed by a completed handshake; elsewhere plain RTP or SDES (known levels).
std::vector<const session::MediaStream*> weaker_media_after(const session::Model& model, const session::Call& call,
                                                            const session::ZrtpHandshake& handshake) {
    std::vector<const session::MediaStream*> out;
    for (const session::MediaStream& stream : model.media) {
        const bool same_flow = stream.flow == handshake.flow;
        if ((!same_flow && stream.call != call.id) || stream.packets == 0 ||
            stream.last_frame <= handshake.first_frame || stream.protection == session::Protection::zrtp) {
            continue;
        }
        const bool weaker = same_flow || stream.protection == session::Protection::none ||
                            stream.protection == session::Protection::sdes_srtp;
        if (weaker) {
            out.push_back(&stream);
        }
    }
    return out;
}

void failed_then_weaker(const session::Model& model, const session::Call& call,
                        const session::ZrtpHandshake& handshake, FindingSink& sink) {
    if (handshake.completed || handshake.find(zrtp::MessageType::hello) == nullptr ||
        flow_secured_elsewhere(model, handshake)) {
        return;
    }
    const auto streams = weaker_media_after(model, call, handshake);
    if (streams.empty()) {
        return;
    }
    const session::Protection to = streams.front()->protection;
    Finding& f = add_handshake_finding(
        model, sink, handshake,
        fmt::format("call {}: ZRTP handshake {} did not complete and media went on with {} protection", call.id,
                    handshake.id, session::to_string(to)));
    f.confidence = Confidence::inferred;  // the stream's protection is what signalling and packets showed
    f.frames = {handshake.first_frame, handshake.last_frame};
    auto media = nlohmann::ordered_json::array();
    for (const auto* stream : streams) {
        f.frames.push_back(stream->first_frame);
        media.push_back({{"stream", stream->id},
                         {"src", stream->src.to_string()},
                         {"dst", stream->dst.to_string()},
                         {"packets", stream->packets},
                         {"protection", session::to_string(stream->protection)}});
    }
    f.stream = streams.front()->id;
    f.evidence["from"] = session::to_string(session::Protection::zrtp);
    f.evidence["to"] = session::to_string(to);
    f.evidence["from_source"] = "zrtp_hello";
    f.evidence["to_source"] = "media";
    f.evidence["handshake_errors"] = std::count_if(handshake.events.begin(), handshake.events.end(),
                                                   [](const session::ZrtpEvent& e) {
                                                       return e.kind == session::ZrtpEventKind::error;
                                                   });
    f.evidence["media"] = media;
}

}  // namespace

void check_zrtp_downgrades(const session::Model& model, FindingSink& sink) {
    for (const session::ZrtpHandshake& handshake : model.handshakes) {
        const session::Call* call = call_of(model, handshake);
        if (call == nullptr) {
            continue;  // a downgrade "within one call" needs the call
        }
        go_clear_in_call(model, handshake, sink);
        failed_then_weaker(model, *call, handshake, sink);
    }
}

}  // namespace zaudit::analysis::rules
