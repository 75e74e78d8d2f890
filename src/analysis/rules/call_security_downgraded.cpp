// call.security-downgraded: within one call, the media protection fell (SDP side).
#include <algorithm>

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

nlohmann::ordered_json timeline_json(const std::vector<ProtectionStep>& steps, std::size_t m_line) {
    auto out = nlohmann::ordered_json::array();
    for (const ProtectionStep& step : steps) {
        if (step.m_line == m_line) {
            out.push_back({{"frame", step.frame},
                           {"protection", session::to_string(step.level)},
                           {"source", step.source}});
        }
    }
    return out;
}

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    for (const session::Call& call : model.calls) {
        const std::vector<ProtectionStep> steps = protection_timeline(model, call);
        for (std::size_t i = 0; i < steps.size(); ++i) {
            // The previous step of the same m= line.
            const ProtectionStep* before = nullptr;
            for (std::size_t j = i; j-- > 0;) {
                if (steps[j].m_line == steps[i].m_line) {
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
}

}  // namespace

RuleInfo call_security_downgraded() {
    return {"call.security-downgraded", Severity::high, "Media protection fell during the call",
            "Within one call, the protection the two sides agreed for a stream became weaker after a later "
            "offer/answer exchange (a re-INVITE or UPDATE): for example from ZRTP or DTLS-SRTP to SDES, whose keys "
            "travel in the SIP, or from SRTP to plain RTP. From that point the media is only as safe as the weaker "
            "method; a passive listener may be able to hear the rest of the call. Downgrades in mid-call are a "
            "way to get around protection that the first exchange set up correctly.",
            "Find which side sent the weaker offer or answer (frames in the evidence) and why (a transfer, hold, "
            "an SBC re-anchoring media, an attack). Configure endpoints and SBCs to keep the same or a stronger "
            "protection on re-INVITE and to reject offers below the policy.",
            "RFC 3264 section 8", &check};
}

}  // namespace zaudit::analysis::rules
