#pragma once
/// \file A finding's fingerprint (DESIGN.md section 5): what makes it the same weakness in
/// tomorrow's capture. SHA-256 over the rule id, the parties (the call's SIP addresses of
/// record, else the IP addresses the evidence names), the media kind and the facts that make the
/// finding (suite, algorithm, check, how...), never a Call-ID, tag, SSRC, port, key, frame or
/// time. SARIF's partialFingerprints and the baseline use it.

#include <string>
#include <vector>

#include "zaudit/analysis/finding.hpp"
#include "zaudit/session/model.hpp"

namespace zaudit::analysis {

/// Lower-case hex of the SHA-256 (64 digits).
std::string fingerprint(const Finding& finding, const session::Model& model);

/// Sets the fingerprint of each finding about `model`.
void fingerprint_all(std::vector<Finding>& findings, const session::Model& model);

/// "sip:alice@example.com" from "<SIP:Alice@Example.COM:5060;transport=udp>": scheme and host
/// lower-cased, the user kept as written (it is case-sensitive), port and parameters dropped.
std::string address_of_record(std::string_view uri);

}  // namespace zaudit::analysis
