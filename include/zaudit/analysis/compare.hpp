#pragma once
/// \file Two views of the same calls (`zaudit compare A B`): captures taken at two points of the
/// path, each audited on its own, then held against each other call by call (Call-ID, which a
/// proxy keeps). A node between the two points that terminates ZRTP (or DTLS) has to run a
/// handshake of its own on each side, so the identities differ: ZIDs, hash images, DH values,
/// Hello hashes. A node that forwards the media shows the same values at both points.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "zaudit/analysis/finding.hpp"
#include "zaudit/session/model.hpp"

namespace zaudit::analysis {

/// One value both views were asked for; a view that lacks it has nullopt.
struct ComparedField {
    std::string field;  ///< "zrtp.caller.zid", "sdp.callee.zrtp_hash"...
    std::optional<std::string> a;
    std::optional<std::string> b;
};

/// One call as one capture saw it.
struct CallView {
    std::uint32_t call = 0;                 ///< its id in that input's audit
    std::vector<std::uint32_t> handshakes;  ///< ZRTP handshakes compared, by id in that input
    /// Every value this view has, by field name, in field order.
    std::vector<std::pair<std::string, std::string>> values;
};

/// How the views of one Call-ID compare. Fields are named `<group>.<side>.<value>`: group `zrtp`
/// for the first pair of matched handshakes (`zrtp2`, `zrtp3`... for the next ones) or `sdp` for
/// the call's first offer and answer; side `caller` or `callee`.
struct CallComparison {
    std::string call_id;
    std::optional<CallView> a;  ///< nullopt: the call is not in input A
    std::optional<CallView> b;
    std::vector<std::string> same;         ///< fields both views have, with equal values
    std::vector<ComparedField> different;  ///< fields whose values differ (one view may lack an SDP attribute)
    /// ZRTP fields only one view has (a message that one capture missed): not compared.
    std::vector<std::string> one_sided;
    /// A ZRTP endpoint in either view announced itself as a trusted MiTM (Hello M flag, SASrelay).
    bool declared_mitm = false;
};

/// The result of `zaudit compare`.
struct Comparison {
    /// B's clock minus A's, in seconds: the median of the time differences of the same packets
    /// seen at both points (ZRTP messages by SSRC and sequence number, RTP streams by SSRC), or
    /// when no packet is in both, of the same calls' SIP messages; nullopt when nothing matched.
    std::optional<double> clock_offset_s;
    std::string clock_offset_basis;  ///< "packets", "sip" or "" (no estimate)
    std::size_t clock_offset_samples = 0;
    std::vector<CallComparison> calls;  ///< A's calls in order, then calls only B has
    /// path.vantage-divergence, zrtp.trusted-mitm and path.media-relay (SDES keys re-made
    /// between the points), sorted as run_rules sorts; frames_by_input name the frames.
    std::vector<Finding> findings;
};

/// Compares two models (input A and input B). Key material appears as fingerprints unless
/// `policy.reveal_keys`.
Comparison compare(const session::Model& a, const session::Model& b, const Policy& policy);

/// True when a field of this name carries a ZRTP or DTLS identity (ZID, hash image, Hello hash,
/// DH value, a=zrtp-hash, a=fingerprint): a difference where both views have a value is
/// path.vantage-divergence.
bool is_identity_field(std::string_view field);

}  // namespace zaudit::analysis
