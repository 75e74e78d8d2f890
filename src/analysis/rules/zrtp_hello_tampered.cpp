// zrtp.hello-tampered: a Hello that its sender's later-revealed hash images do not vouch for.
#include <array>

#include "rules.hpp"
#include "zrtp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

constexpr std::array k_checks{zrtp::CheckId::hello_mac, zrtp::CheckId::hello_h3, zrtp::CheckId::responder_hello_mac,
                              zrtp::CheckId::responder_hello_h3};

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    report_failed_checks(model, sink, k_checks);
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
            "man-in-the-middle does before answering with its own keys.",
            "Treat the call as intercepted: compare the SAS read aloud on both ends, check the media path for "
            "devices that terminate ZRTP (SBCs, PBXs without trusted-MiTM enrolment), and capture at both ends to "
            "see where the Hello changes.",
            "RFC 6189 sections 5.2 and 9",
            &check};
}

}  // namespace zaudit::analysis::rules
