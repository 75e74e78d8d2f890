// zrtp.algorithm-downgrade: the Commit's choice is not what the two Hellos allow.
#include <array>

#include "rules.hpp"
#include "zrtp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

constexpr std::array k_checks{zrtp::CheckId::negotiation_hash,     zrtp::CheckId::negotiation_cipher,
                              zrtp::CheckId::negotiation_auth_tag, zrtp::CheckId::negotiation_key_agreement,
                              zrtp::CheckId::negotiation_sas,      zrtp::CheckId::key_agreement_choice};

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    report_failed_checks(model, sink, k_checks);
}

}  // namespace

RuleInfo zrtp_algorithm_downgrade() {
    return {"zrtp.algorithm-downgrade",
            Severity::high,
            "ZRTP Commit picks algorithms the Hellos do not allow",
            "The Commit names the hash, cipher, auth tag, key agreement and SAS type of the session. Each must be "
            "offered by both Hellos (the mandatory algorithms count as offered even when omitted), and when the "
            "two sides' preferred key agreements differ the faster one should be used. This Commit breaks one of "
            "these rules: an endpoint that does not follow the negotiation, or a party in the path that altered "
            "the lists to push the call onto an algorithm of its choosing. The key_agreement_choice rule is a "
            "SHOULD: alone it is a deviation, together with other findings evidence of tampering.",
            "Check the endpoints' algorithm configuration and versions; if both follow RFC 6189, look for a device "
            "in the media path that rewrites ZRTP Hellos (the hello-tampered rule names the altered Hello once the "
            "hash chain reveals it).",
            "RFC 6189 sections 4.1.2 and 5.1",
            &check};
}

}  // namespace zaudit::analysis::rules
