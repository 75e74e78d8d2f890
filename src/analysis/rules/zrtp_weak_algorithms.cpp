// zrtp.weak-algorithms: a completed handshake whose key agreement is below the floor.
#include <algorithm>
#include <array>
#include <string_view>

#include "rules.hpp"
#include "zaudit/util/text.hpp"
#include "zrtp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

using namespace std::string_view_literals;

/// Key agreements with a published practical break, whatever the policy says. bzrtp's SIK1..SIK3
/// are SIKE (SIDH-based): Castryck and Decru (2022, ePrint 2022/975) recover the key in hours on
/// one core, so the secret of such a handshake is open to a passive recorder. The names of the
/// other families in zrtp/algorithms.hpp have no such break (HS32 is a short tag, allowed by
/// RFC 6189 section 5.1.4 and not a floor violation).
constexpr std::array k_broken_key_agreements = {"SIK1"sv, "SIK2"sv, "SIK3"sv};

bool is_broken(std::string_view name) {
    return std::find(k_broken_key_agreements.begin(), k_broken_key_agreements.end(), name) !=
           k_broken_key_agreements.end();
}

void check(const session::Model& model, const Policy& policy, FindingSink& sink) {
    const StreamsByFlow streams = streams_by_flow(model);
    for (const session::ZrtpHandshake& handshake : model.handshakes) {
        const session::ZrtpMessageRecord* record = handshake.completed ? handshake.commit() : nullptr;
        const zrtp::Commit* commit = record != nullptr ? record->message.commit() : nullptr;
        if (commit == nullptr) {
            continue;
        }
        const std::string& name = commit->key_agreement;
        const bool broken = is_broken(name);
        const bool weak = std::find(policy.weak_key_agreements.begin(), policy.weak_key_agreements.end(), name) !=
                          policy.weak_key_agreements.end();
        if (!broken && !weak) {
            continue;
        }
        Finding& f = add_handshake_finding(
            streams, sink, handshake,
            fmt::format("ZRTP handshake {} ({} <-> {}) completed with key agreement {}{}", handshake.id, handshake.a,
                        handshake.b, name, broken ? ", which is broken" : ", below the policy floor"));
        if (broken) {
            f.severity = Severity::high;
        }
        f.confidence = Confidence::verified;  // the Commit on the wire names it, and the handshake completed
        f.frames = {record->frame};
        if (handshake.secure_frame) {
            f.frames.push_back(*handshake.secure_frame);
        }
        // Names as people write them: the wire pads blocks with spaces ("B32 ").
        f.evidence["key_agreement"] = util::trim_padding(name);
        f.evidence["hash"] = util::trim_padding(commit->hash);
        f.evidence["cipher"] = util::trim_padding(commit->cipher);
        f.evidence["auth_tag"] = util::trim_padding(commit->auth_tag);
        f.evidence["sas"] = util::trim_padding(commit->sas);
        f.evidence["why"] = broken ? "SIDH/SIKE-based key agreement: practical key recovery (Castryck-Decru 2022)"
                                   : "listed as weak by the policy";
        f.evidence["commit_frame"] = record->frame;
    }
}

}  // namespace

RuleInfo zrtp_weak_algorithms() {
    return {"zrtp.weak-algorithms",
            Severity::low,
            "ZRTP completed with weak algorithms",
            "The handshake completed, but its Commit chose a key agreement below the floor: by default DH2k "
            "(2048-bit finite-field Diffie-Hellman: about 112-bit security by NIST SP 800-57, below the 128 bits "
            "of the rest of the suite) is reported as low, and key agreements with a published practical break, such "
            "as bzrtp's "
            "SIDH-based SIKE types (SIK1, SIK2, SIK3), as high: anyone who recorded the call can recover its keys.",
            "Remove the weak key agreement from the endpoints' ZRTP configuration (keep DH3k, EC25/EC38, X255 or "
            "the post-quantum hybrids) and disable SIKE entirely.",
            "RFC 6189 sections 4.1.2 and 5.1.5",
            &check};
}

}  // namespace zaudit::analysis::rules
