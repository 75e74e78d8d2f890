// zrtp.hvi-mismatch: the Commit's hvi does not commit to the DHPart2 that followed.
#include <array>

#include "rules.hpp"
#include "zrtp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

constexpr std::array k_checks{zrtp::CheckId::hvi};

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    report_failed_checks(model, sink, k_checks);
}

}  // namespace

RuleInfo zrtp_hvi_mismatch() {
    return {"zrtp.hvi-mismatch",
            Severity::critical,
            "ZRTP hvi does not match DHPart2",
            "In its Commit the initiator commits to its Diffie-Hellman value: hvi is the hash of its DHPart2 and "
            "the responder's Hello. The DHPart2 on the wire does not hash to that hvi, so the public value the "
            "responder received is not the one the initiator committed to. This is the signature of a "
            "man-in-the-middle that substitutes its own DH value; the endpoints' SAS will differ.",
            "Treat the call as intercepted: compare the SAS read aloud on both ends, and look for the device in "
            "the media path that terminates ZRTP.",
            "RFC 6189 section 4.4.1.1",
            &check};
}

}  // namespace zaudit::analysis::rules
