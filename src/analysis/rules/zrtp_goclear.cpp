// zrtp.goclear: a secure ZRTP stream switched to clear with GoClear / ClearACK.
#include "rules.hpp"
#include "zrtp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    const StreamsByFlow streams = streams_by_flow(model);
    for (const session::ZrtpHandshake& handshake : model.handshakes) {
        const session::ZrtpEvent* go_clear = nullptr;
        const session::ZrtpEvent* clear_ack = nullptr;
        std::vector<std::uint64_t> frames;
        for (const session::ZrtpEvent& event : handshake.events) {
            const bool is_go_clear = event.kind == session::ZrtpEventKind::go_clear;
            if (is_go_clear || event.kind == session::ZrtpEventKind::clear_ack) {
                frames.push_back(event.frame);
                const session::ZrtpEvent*& first = is_go_clear ? go_clear : clear_ack;
                if (first == nullptr) {
                    first = &event;
                }
            }
        }
        if (frames.empty()) {
            continue;
        }
        Finding& f = add_handshake_finding(
            streams, sink, handshake,
            fmt::format("ZRTP handshake {} ({} <-> {}): {}", handshake.id, handshake.a, handshake.b,
                        clear_ack != nullptr ? "GoClear acknowledged with ClearACK: the stream went to clear"
                                             : "GoClear sent (no ClearACK seen)"));
        // Both sides agreeing is read from the wire; a lone GoClear may have been refused.
        f.confidence = clear_ack != nullptr ? Confidence::verified : Confidence::inferred;
        f.frames = frames;
        if (go_clear != nullptr) {
            f.evidence["go_clear_frame"] = go_clear->frame;
            f.evidence["go_clear_sender"] = go_clear->src.to_string();
        }
        if (clear_ack != nullptr) {
            f.evidence["clear_ack_frame"] = clear_ack->frame;
            f.evidence["clear_ack_sender"] = clear_ack->src.to_string();
        }
        f.evidence["handshake_completed"] = handshake.completed;
        f.evidence["clear_mac"] = "not verifiable: keyed by mackeyi/mackeyr, derived from the DH secret";
    }
}

}  // namespace

RuleInfo zrtp_goclear() {
    return {"zrtp.goclear",
            Severity::high,
            "ZRTP stream switched to clear (GoClear)",
            "GoClear asks the peer to stop encrypting a ZRTP-secured stream, and ClearACK agrees: from then on the "
            "media travels as plain RTP that anyone on the path can hear. RFC 6189 allows it only when both users "
            "are told and consent (the Confirm messages' Allow Clear flag). Its MAC is keyed from the session "
            "secret, which a passive capture cannot check, so whether a user asked for it cannot be told from here.",
            "Find out whether a user switched the call to clear on purpose; otherwise disable the Allow Clear "
            "option on the endpoints so that GoClear is refused.",
            "RFC 6189 sections 4.7.2 and 5.11",
            &check};
}

}  // namespace zaudit::analysis::rules
