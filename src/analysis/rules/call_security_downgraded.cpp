// call.security-downgraded: within one call, the media protection fell: an offer/answer that
// weakened it (SDP side), a GoClear, or a ZRTP handshake that did not complete followed by media
// with weaker protection (ZRTP side), or DTLS-SRTP agreed but never keyed, the media plain (DTLS side).
#include <algorithm>
#include <iterator>
#include <map>

#include "rules.hpp"
#include "sdp_facts.hpp"
#include "zrtp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

/// A fall is a step to a weaker known level: to `unknown` (a secure profile whose keying the
/// SDP does not show) is not counted, nor is a rise.
bool falls(session::Protection before, session::Protection after) {
    return after < before && after != session::Protection::unknown;
}

/// What the ZRTP side looks up for each handshake.
struct Indexes {
    explicit Indexes(const session::Model& model)
        : streams_by_flow{rules::streams_by_flow(model)},
          streams_by_call{rules::streams_by_call(model)},
          handshakes_by_flow{rules::handshakes_by_flow(model)} {}
    StreamsByFlow streams_by_flow;
    StreamsByCall streams_by_call;
    HandshakesByFlow handshakes_by_flow;
};

nlohmann::ordered_json timeline_json(const std::vector<ProtectionStep>& steps, std::size_t m_line) {
    auto out = nlohmann::ordered_json::array();
    for (const ProtectionStep& step : steps) {
        if (step.m_line == m_line) {
            out.push_back(
                {{"frame", step.frame}, {"protection", session::to_string(step.level)}, {"source", step.source}});
        }
    }
    return out;
}

void go_clear_in_call(const StreamsByFlow& streams, const session::ZrtpHandshake& handshake, FindingSink& sink) {
    std::vector<std::uint64_t> frames;
    for (const session::ZrtpEvent& event : handshake.events) {
        if (event.kind == session::ZrtpEventKind::go_clear || event.kind == session::ZrtpEventKind::clear_ack) {
            frames.push_back(event.frame);
        }
    }
    if (frames.empty()) {
        return;
    }
    Finding& f = add_handshake_finding(streams, sink, handshake,
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

/// The streams on the handshake's flow and those of the call, in model order (id order), each once.
std::vector<const session::MediaStream*> flow_and_call_streams(const Indexes& indexes, const session::Call& call,
                                                               const session::ZrtpHandshake& handshake) {
    const auto on_flow = indexes.streams_by_flow[handshake.flow];
    const auto of_call = indexes.streams_by_call[call.id];
    std::vector<const session::MediaStream*> out;
    out.reserve(on_flow.size() + of_call.size());
    std::merge(on_flow.begin(), on_flow.end(), of_call.begin(), of_call.end(), std::back_inserter(out),
               [](const session::MediaStream* x, const session::MediaStream* y) { return x->id < y->id; });
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

/// Media of the call after the handshake began that is weaker than ZRTP: on the handshake's own
/// flow anything not keyed by a completed handshake; elsewhere plain RTP or SDES (known levels).
std::vector<const session::MediaStream*> weaker_media_after(const Indexes& indexes, const session::Call& call,
                                                            const session::ZrtpHandshake& handshake) {
    std::vector<const session::MediaStream*> out;
    for (const session::MediaStream* stream : flow_and_call_streams(indexes, call, handshake)) {
        const bool same_flow = stream->flow == handshake.flow;
        if (stream->packets == 0 || stream->last_frame <= handshake.first_frame ||
            stream->protection == session::Protection::zrtp) {
            continue;
        }
        const bool weaker = same_flow || stream->protection == session::Protection::none ||
                            stream->protection == session::Protection::sdes_srtp;
        if (weaker) {
            out.push_back(stream);
        }
    }
    return out;
}

void failed_then_weaker(const Indexes& indexes, const session::Call& call, const session::ZrtpHandshake& handshake,
                        FindingSink& sink) {
    if (handshake.completed || handshake.find(zrtp::MessageType::hello) == nullptr ||
        flow_secured_elsewhere(indexes.handshakes_by_flow, handshake)) {
        return;
    }
    const auto streams = weaker_media_after(indexes, call, handshake);
    if (streams.empty()) {
        return;
    }
    const session::Protection to = streams.front()->protection;
    Finding& f = add_handshake_finding(
        indexes.streams_by_flow, sink, handshake,
        fmt::format("call {}: ZRTP handshake {} did not complete and media went on {}", call.id, handshake.id,
                    to == session::Protection::none ? std::string{"in clear"}
                                                    : fmt::format("with {} protection", session::to_string(to))));
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
    f.evidence["handshake_errors"] =
        std::count_if(handshake.events.begin(), handshake.events.end(),
                      [](const session::ZrtpEvent& e) { return e.kind == session::ZrtpEventKind::error; });
    f.evidence["media"] = media;
}

/// ZRTP side: a GoClear in a call, or a handshake that did not complete followed by media with
/// weaker protection.
void check_zrtp_downgrades(const session::Model& model, FindingSink& sink) {
    const Indexes indexes{model};
    for (const session::ZrtpHandshake& handshake : model.handshakes) {
        const session::Call* call = call_of(model, handshake);
        if (call == nullptr) {
            continue;  // a downgrade "within one call" needs the call
        }
        go_clear_in_call(indexes.streams_by_flow, handshake, sink);
        failed_then_weaker(indexes, *call, handshake, sink);
    }
}

std::string dtls_failure(const session::DtlsHandshake* handshake) {
    if (handshake == nullptr) {
        return "no DTLS handshake was seen on its flow";
    }
    if (!handshake->server_hello_frame) {
        return fmt::format("DTLS handshake {} on its flow got no ServerHello{}", handshake->id,
                           handshake->client_hello_frame
                               ? fmt::format(" (ClientHello in frame {})", *handshake->client_hello_frame)
                               : std::string{});
    }
    return fmt::format(
        "DTLS handshake {} on its flow never completed (ServerHello in frame {}, no "
        "ChangeCipherSpec from both sides)",
        handshake->id, *handshake->server_hello_frame);
}

/// DTLS side: the SDP agreed on DTLS-SRTP (a=fingerprint, UDP/TLS/RTP/SAVP), no handshake on the
/// media's flow completed, and the media went on as plain codec data (the binding marks such
/// streams). One finding per flow: both directions share the handshake that failed them.
void check_dtls_downgrades(const session::Model& model, FindingSink& sink) {
    std::map<std::uint32_t, std::vector<const session::MediaStream*>> unkeyed_by_flow;
    for (const session::MediaStream& stream : model.media) {
        if (stream.dtls_never_keyed && stream.call && stream.packets > 0) {
            unkeyed_by_flow[stream.flow].push_back(&stream);
        }
    }
    const DtlsHandshakesByFlow dtls_on_flow = dtls_handshakes_by_flow(model);
    for (const auto& [flow, streams] : unkeyed_by_flow) {
        const session::MediaStream& first = *streams.front();
        const session::Call* call = model.call(*first.call);
        const auto candidates = dtls_on_flow[flow];
        const session::DtlsHandshake* handshake = candidates.empty() ? nullptr : candidates.back();
        Finding& f =
            sink.add(fmt::format("call {}: DTLS-SRTP was agreed for {} <-> {} but {}, and the media went on "
                                 "as plain codec data",
                                 *first.call, first.src, first.dst, dtls_failure(handshake)));
        f.call = first.call;
        f.stream = first.id;
        f.confidence = Confidence::inferred;  // plain: what the sampled payload reads like
        if (call != nullptr && first.sdp && *first.sdp < call->sdps.size()) {
            f.frames.push_back(call->sdps[*first.sdp].frame);
        }
        if (handshake != nullptr) {
            f.frames.push_back(handshake->first_frame);
            f.frames.push_back(handshake->last_frame);
        }
        auto media = nlohmann::ordered_json::array();
        for (const auto* stream : streams) {
            f.frames.push_back(stream->first_frame);
            media.push_back({{"stream", stream->id},
                             {"src", stream->src.to_string()},
                             {"dst", stream->dst.to_string()},
                             {"packets", stream->packets},
                             {"protection", session::to_string(stream->protection)}});
        }
        std::sort(f.frames.begin(), f.frames.end());
        f.frames.erase(std::unique(f.frames.begin(), f.frames.end()), f.frames.end());
        f.evidence["from"] = session::to_string(session::Protection::dtls_srtp);
        f.evidence["to"] = session::to_string(session::Protection::none);
        f.evidence["from_source"] = "sdp";
        f.evidence["to_source"] = "media";
        f.evidence["dtls_handshake"] = handshake != nullptr ? nlohmann::ordered_json(handshake->id) : nullptr;
        f.evidence["client_hello_frame"] = handshake != nullptr && handshake->client_hello_frame
                                               ? nlohmann::ordered_json(*handshake->client_hello_frame)
                                               : nullptr;
        f.evidence["server_hello_frame"] = handshake != nullptr && handshake->server_hello_frame
                                               ? nlohmann::ordered_json(*handshake->server_hello_frame)
                                               : nullptr;
        f.evidence["media"] = media;
    }
}

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    for (const session::Call& call : model.calls) {
        const std::vector<ProtectionStep> steps = protection_timeline(model, call);
        for (std::size_t i = 0; i < steps.size(); ++i) {
            // The previous step of the same m= line on the same hop (protection that differs
            // between hops is path.protection-changed's subject).
            const ProtectionStep* before = nullptr;
            for (std::size_t j = i; j-- > 0;) {
                if (steps[j].m_line == steps[i].m_line && steps[j].leg == steps[i].leg) {
                    before = &steps[j];
                    break;
                }
            }
            const ProtectionStep& after = steps[i];
            if (before == nullptr || !falls(before->level, after.level)) {
                continue;
            }
            Finding& f = sink.add(fmt::format("{} of call {} fell from {} (frame {}) to {} (frame {})", after.media,
                                              call.id, session::to_string(before->level), before->frame,
                                              session::to_string(after.level), after.frame));
            f.call = call.id;
            f.confidence = Confidence::verified;  // both steps were read from the capture
            f.frames = before->frames;
            f.frames.insert(f.frames.end(), after.frames.begin(), after.frames.end());
            f.evidence = {{"media", after.media},
                          {"m_line", after.m_line + 1},
                          {"from", session::to_string(before->level)},
                          {"to", session::to_string(after.level)},
                          {"from_source", before->source},
                          {"to_source", after.source},
                          {"before_frames", before->frames},
                          {"after_frames", after.frames},
                          {"timeline", timeline_json(steps, after.m_line)}};
        }
    }
    check_zrtp_downgrades(model, sink);  // ZRTP side: GoClear, failed handshake then weaker media
    check_dtls_downgrades(model, sink);  // DTLS side: agreed, never keyed, plain media
}

}  // namespace

RuleInfo call_security_downgraded() {
    return {
        "call.security-downgraded",
        Severity::high,
        "Media protection fell during the call",
        "Within one call, the protection the two sides agreed for a stream became weaker after a later "
        "offer/answer exchange (a re-INVITE or UPDATE): for example from ZRTP or DTLS-SRTP to SDES, whose keys "
        "travel in the SIP, or from SRTP to plain RTP. Or the protection the call set out with never took hold: a ZRTP "
        "handshake that did not complete, a GoClear, or DTLS-SRTP agreed in the SDP without a DTLS handshake "
        "that completed, the media then sent plain. From that point the media is only as safe as the weaker "
        "method; a passive listener may be able to hear the rest of the call. Downgrades are a way to get "
        "around protection that the first exchange set up correctly.",
        "Find which side sent the weaker offer or answer (frames in the evidence) and why (a transfer, hold, "
        "an SBC re-anchoring media, an attack). Configure endpoints and SBCs to keep the same or a stronger "
        "protection on re-INVITE and to reject offers below the policy. Where DTLS-SRTP never completed, let "
        "DTLS through the firewalls and SBCs on the media path, and make the endpoints end the call rather "
        "than send plain RTP when the handshake fails.",
        "RFC 3264 section 8",
        &check};
}

}  // namespace zaudit::analysis::rules
