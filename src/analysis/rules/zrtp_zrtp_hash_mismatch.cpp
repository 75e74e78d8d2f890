// zrtp.zrtp-hash-mismatch: the Hello on the wire is not the one the endpoint's SDP bound.
#include <array>

#include "rules.hpp"
#include "zrtp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

constexpr std::array k_checks{zrtp::CheckId::zrtp_hash};

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    report_failed_checks(model, sink, k_checks);
}

}  // namespace

RuleInfo zrtp_zrtp_hash_mismatch() {
    return {"zrtp.zrtp-hash-mismatch",
            Severity::critical,
            "SDP a=zrtp-hash does not match the Hello",
            "An endpoint's SDP a=zrtp-hash carries the SHA-256 of the Hello it will send, binding the signalling "
            "to the media path. The Hello that endpoint actually sent hashes to a different value (or carries "
            "another protocol version): either the Hello was replaced in the media path or the SDP was rewritten "
            "in the signalling path. With SIP over TLS this is strong evidence of a man-in-the-middle on the media.",
            "Compare the SAS on both ends; capture the signalling and the media at both ends to find which of the "
            "two was changed, and by which device (SBCs that rewrite SDP must pass a=zrtp-hash through unchanged).",
            "RFC 6189 section 8.1",
            &check};
}

}  // namespace zaudit::analysis::rules
