// policy.protection-required: a call whose media fell short of what the policy (zaudit.toml's
// [policy] require) demands.
#include <algorithm>

#include "rules.hpp"
#include "zaudit/analysis/verdict.hpp"

namespace zaudit::analysis::rules {
namespace {

bool satisfies(Achieved achieved, RequiredProtection required) {
    switch (required) {
        case RequiredProtection::zrtp: return achieved == Achieved::zrtp_verified;
        case RequiredProtection::dtls_srtp:
            return achieved == Achieved::dtls_unverified || achieved == Achieved::dtls_verified;
        case RequiredProtection::sdes_tls: return achieved == Achieved::sdes_tls;
        case RequiredProtection::sdes: return achieved == Achieved::sdes_tls || achieved == Achieved::sdes_exposed;
    }
    return false;
}

void check(const session::Model& model, const Policy& policy, FindingSink& sink) {
    if (policy.required.empty()) {
        return;
    }
    nlohmann::ordered_json required = nlohmann::ordered_json::array();
    std::string required_text;
    for (const RequiredProtection r : policy.required) {
        required.push_back(to_string(r));
        required_text += fmt::format("{}{}", required_text.empty() ? "" : " or ", to_string(r));
    }
    for (const CallVerdict& verdict : call_verdicts(model, {})) {
        if (verdict.achieved == Achieved::no_media ||
            std::any_of(policy.required.begin(), policy.required.end(),
                        [&](RequiredProtection r) { return satisfies(verdict.achieved, r); })) {
            continue;  // no media to judge, or as required
        }
        const session::Call* call = model.call(verdict.call);
        Finding& f = sink.add(fmt::format("call {} ({} -> {}): {}; the policy requires {}", verdict.call,
                                          call != nullptr ? call->from : "", call != nullptr ? call->to : "",
                                          describe(verdict.achieved), required_text));
        f.call = verdict.call;
        f.confidence = Confidence::verified;  // the achieved protection is the model's, the requirement the policy's
        if (call != nullptr) {
            for (const std::uint32_t id : call->media) {
                if (const session::MediaStream* m = model.stream(id)) {
                    f.frames.push_back(m->first_frame);
                }
            }
        }
        f.evidence = {{"achieved", to_string(verdict.achieved)}, {"required", required}};
    }
}

}  // namespace

RuleInfo policy_protection_required() {
    return {"policy.protection-required",
            Severity::high,
            "Call below the protection the policy requires",
            "The policy in force (zaudit.toml, [policy] require) names the media protections every call must "
            "achieve, and this call's media achieved none of them at this capture point: its weakest stream was "
            "plain RTP, SRTP keyed in clear SIP, or a protection the policy does not accept. The policy is the "
            "deployment's own rule; the other findings say what a listener could do.",
            "Configure the endpoints, trunks and SBCs on this call's path to negotiate a required protection "
            "and to refuse calls that cannot (mandatory SRTP profiles, ZRTP or DTLS-SRTP only), or change the "
            "policy if the requirement is wrong.",
            "zaudit.toml; RFC 6189; RFC 5763; RFC 4568",
            &check};
}

}  // namespace zaudit::analysis::rules
