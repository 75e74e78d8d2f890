// zrtp.hello-tampered: a Hello that its sender's later-revealed hash images do not vouch for.
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "rules.hpp"
#include "zrtp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

constexpr std::array k_checks{zrtp::CheckId::hello_mac, zrtp::CheckId::hello_h3, zrtp::CheckId::responder_hello_mac,
                              zrtp::CheckId::responder_hello_h3};

/// The Hello checks of one copy, for the evidence: which check, against which frames, how it went.
nlohmann::ordered_json checks_of(const session::ZrtpHandshake& handshake, const session::ZrtpMessageRecord& copy) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const session::ZrtpCheck& entry : handshake.checks) {
        const bool hello_check = std::find(k_checks.begin(), k_checks.end(), entry.check.id) != k_checks.end() ||
                                 entry.check.id == zrtp::CheckId::zrtp_hash;
        if (!hello_check || std::find(entry.frames.begin(), entry.frames.end(), copy.frame) == entry.frames.end() ||
            entry.check.outcome == zrtp::CheckOutcome::not_verifiable) {
            continue;
        }
        out.push_back({{"check", zrtp::to_string(entry.check.id)},
                       {"outcome", zrtp::check_outcome_name(entry.check.outcome)},
                       {"frames", entry.frames},
                       {"expected", entry.check.expected},
                       {"observed", entry.check.observed},
                       {"reason", entry.check.reason}});
    }
    return out;
}

/// Two copies of one endpoint's Hello, one of which its own hash chain (or SDP) disowns: one
/// finding naming both, instead of a retransmission mismatch plus a failed check per key.
void report_edits(const session::Model& model, FindingSink& sink) {
    const StreamsByFlow streams = streams_by_flow(model);
    for (const session::ZrtpHandshake& handshake : model.handshakes) {
        for (const HelloEdit& edit : hello_edits(handshake)) {
            Finding& f = add_handshake_finding(
                streams, sink, handshake,
                fmt::format("ZRTP handshake {}: two different Hellos from {}; frame {} was edited ({} fails), frame {} "
                            "is the one its sender made",
                            handshake.id, edit.conflict->sender, edit.edited->frame,
                            edit.by_hash_chain ? "its MAC or H3 under the sender's revealed hash image" : "a=zrtp-hash",
                            edit.intact->frame));
            f.confidence = Confidence::verified;  // both copies were checked against values recomputed from the capture
            f.frames = {std::min(edit.edited->frame, edit.intact->frame),
                        std::max(edit.edited->frame, edit.intact->frame)};
            f.evidence["sender"] = edit.conflict->sender.to_string();
            f.evidence["edited_frame"] = edit.edited->frame;
            f.evidence["intact_frame"] = edit.intact->frame;
            f.evidence["told_apart_by"] = edit.by_hash_chain ? "hash_chain" : "zrtp_hash";
            f.evidence["first_difference"] = edit.conflict->first_difference;
            f.evidence["edited_checks"] = checks_of(handshake, *edit.edited);
            f.evidence["intact_checks"] = checks_of(handshake, *edit.intact);
        }
    }
}

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    report_edits(model, sink);
    report_failed_checks(model, sink, k_checks);  // leaves out the checks report_edits explained
}

}  // namespace

RuleInfo zrtp_hello_tampered() {
    return {"zrtp.hello-tampered",
            Severity::critical,
            "ZRTP Hello altered or forged",
            "A ZRTP Hello carries H3, the top of its sender's hash chain, and a MAC keyed by H2, which the sender "
            "reveals only later (in its Commit; the responder reveals SHA-256(H1) through its DHPart1). Once H2 is "
            "known, SHA-256(H2) must equal H3 and the Hello's MAC must verify. Here one of them failed: the Hello on "
            "the wire is not the one the endpoint sent. Someone in the media path changed it (for example to "
            "change the offered algorithms or flags) or replaced it with a Hello of their own, which is what a "
            "man-in-the-middle does before answering with its own keys. Every copy of a Hello is checked, against "
            "every Commit of its sender (under Commit contention both endpoints send one) and the responder's "
            "DHPart1. When the capture holds two different copies of one endpoint's Hello (taps on both sides of "
            "the device that edits it), the finding names both frames: the edited copy is the one that fails its "
            "MAC or H3 (or, with no Commit or DHPart1 captured, the endpoint's a=zrtp-hash), the other passes.",
            "Treat the call as intercepted: compare the SAS read aloud on both ends, check the media path for "
            "devices that terminate ZRTP (SBCs, PBXs without trusted-MiTM enrolment), and capture at both ends to "
            "see where the Hello changes; with both copies in the capture, the device sits between the two "
            "capture points.",
            "RFC 6189 sections 5.2 and 9",
            &check};
}

}  // namespace zaudit::analysis::rules
