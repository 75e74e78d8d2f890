// path.vantage-divergence: two views of one call disagree on who speaks ZRTP (or DTLS).
// The views come from two captures (`zaudit compare A B`, analysis/compare.cpp makes the
// findings there); a single capture gives none here.
#include "rules.hpp"

namespace zaudit::analysis::rules {
namespace {

void check(const session::Model& /*model*/, const Policy& /*policy*/, FindingSink& /*sink*/) {
    // One capture is one view: the comparison needs two (analysis::compare).
}

}  // namespace

RuleInfo path_vantage_divergence() {
    return {"path.vantage-divergence",
            Severity::critical,
            "ZRTP terminated between two capture points",
            "Two views of the same call (captures taken at two points of its path, matched by Call-ID) show "
            "different ZRTP identities: ZIDs, hash images (H3 in the Hello, H2 in the Commit, H1 in the DHPart), "
            "Hello hashes, DH public values or SDP a=zrtp-hash, or different DTLS a=fingerprint values. A node that "
            "only forwards the media leaves all of them unchanged. A node that terminates ZRTP must run a handshake "
            "of its own with each side, and each of those handshakes can verify perfectly on its own: only the "
            "comparison shows that the two endpoints never keyed with each other, so the node in between can "
            "decrypt, record and alter the call. Unless the users compared the SAS aloud (it would differ), nothing "
            "else reveals it. A node that declares itself (Hello M flag, SASrelay) is reported as zrtp.trusted-mitm "
            "instead.",
            "Treat the call as intercepted: compare the SAS on both phones, and find the node between the two "
            "capture points (media relays, SBCs, B2BUAs, anything that rewrote the SDP) that runs ZRTP or DTLS "
            "itself. Keep ZRTP end to end: relays must forward ZRTP packets unchanged.",
            "RFC 6189 sections 4.1, 7 and 9; RFC 5763 section 5",
            &check};
}

}  // namespace zaudit::analysis::rules
