// zrtp.public-value-invalid: a DHPart whose Diffie-Hellman public value no honest endpoint
// sends. Not in DESIGN.md's first catalogue: without it a failed dhpart*_public_value check
// would be computed and then dropped silently, which section 4 forbids.
#include <array>

#include "rules.hpp"
#include "zrtp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

constexpr std::array k_checks{zrtp::CheckId::dhpart1_public_value, zrtp::CheckId::dhpart2_public_value};

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    report_failed_checks(model, sink, k_checks);
}

}  // namespace

RuleInfo zrtp_public_value_invalid() {
    return {"zrtp.public-value-invalid",
            Severity::critical,
            "ZRTP DHPart carries an invalid public value",
            "The public value in a DHPart message is not a valid element for the negotiated key agreement: for "
            "finite-field DH, 0, 1 or p-1 or out of range; for elliptic curves, a point not on the curve or of "
            "small order; or a value of the wrong size. Such values force the shared secret into a handful of "
            "known values (or leak bits of the peer's private key), so whoever sent it can compute the session "
            "keys. RFC 6189 requires endpoints to reject them (Error 0x61); one on the wire is an attack or a "
            "badly broken implementation.",
            "Treat the call as intercepted; check whether the receiving endpoint aborted with Error 0x61, and "
            "update or replace an endpoint that accepts such values.",
            "RFC 6189 sections 5.5, 5.6 and 5.9 (Error 0x61)",
            &check};
}

}  // namespace zaudit::analysis::rules
