// zrtp.hash-chain-broken: a Commit that the initiator's DHPart2 does not vouch for.
#include <array>

#include "rules.hpp"
#include "zrtp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

constexpr std::array k_checks{zrtp::CheckId::commit_h2, zrtp::CheckId::commit_mac};

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    report_failed_checks(model, sink, k_checks);
}

}  // namespace

RuleInfo zrtp_hash_chain_broken() {
    return {"zrtp.hash-chain-broken",
            Severity::critical,
            "ZRTP hash chain broken",
            "Each ZRTP message reveals the preimage of the hash image in the one before: the initiator's DHPart2 "
            "carries H1, so SHA-256(H1) must equal the H2 of its Commit, and the Commit's MAC, keyed by H1, must "
            "verify. Here one of them failed: the Commit and the DHPart2 on the wire were not made by the same "
            "party. A man-in-the-middle that took over the exchange after the Commit, or altered the Commit, "
            "produces exactly this.",
            "Treat the call as intercepted: compare the SAS on both ends, and capture at both ends to find the "
            "device that rewrites ZRTP.",
            "RFC 6189 section 9",
            &check};
}

}  // namespace zaudit::analysis::rules
