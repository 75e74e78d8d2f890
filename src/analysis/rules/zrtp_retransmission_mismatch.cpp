// zrtp.retransmission-mismatch: two different copies of one handshake message.
#include <algorithm>

#include "rules.hpp"
#include "zrtp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    const StreamsByFlow streams = streams_by_flow(model);
    for (const session::ZrtpHandshake& handshake : model.handshakes) {
        const auto edits = hello_edits(handshake);
        for (const session::ZrtpConflict& conflict : handshake.conflicts) {
            // A Hello pair whose edited copy its checks name is zrtp.hello-tampered's finding.
            if (std::any_of(edits.begin(), edits.end(), [&](const HelloEdit& e) { return e.conflict == &conflict; })) {
                continue;
            }
            const std::string_view type = zrtp::message_type_name(conflict.type);
            Finding& f = add_handshake_finding(
                streams, sink, handshake,
                fmt::format("ZRTP handshake {}: two different {} messages from {} (frames {} and {})", handshake.id,
                            type, conflict.sender, conflict.first_frame, conflict.other_frame));
            f.confidence = Confidence::verified;  // both copies were read and compared byte for byte
            f.frames = {conflict.first_frame, conflict.other_frame};
            f.evidence["message"] = type;
            f.evidence["sender"] = conflict.sender.to_string();
            f.evidence["first_frame"] = conflict.first_frame;
            f.evidence["other_frame"] = conflict.other_frame;
            f.evidence["first_difference"] = conflict.first_difference;
        }
    }
}

}  // namespace

RuleInfo zrtp_retransmission_mismatch() {
    return {"zrtp.retransmission-mismatch",
            Severity::high,
            "ZRTP message retransmitted with different content",
            "ZRTP endpoints retransmit a handshake message unchanged until it is acknowledged; within one handshake "
            "a Hello, Commit, DHPart, Confirm or SASrelay from one sender is always the same message. Two copies "
            "from the same address that differ (both with a valid CRC) mean that a second party is speaking with "
            "that endpoint's address: an injector racing the genuine endpoint, or a device that rewrites some "
            "copies.",
            "Compare the two frames (the evidence gives the first differing byte of the message) and find which "
            "copy the peer answered; capture closer to the endpoint to see which one it really sent. (Two Hellos "
            "whose checks tell the edited copy from the genuine one are reported as zrtp.hello-tampered instead.)",
            "RFC 6189 sections 6 and 9",
            &check};
}

}  // namespace zaudit::analysis::rules
