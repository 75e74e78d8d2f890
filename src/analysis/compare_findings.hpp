#pragma once
// The findings of `zaudit compare`, made from a finished comparison (compare.cpp builds it).

#include "zaudit/analysis/compare.hpp"

namespace zaudit::analysis {

/// Adds to `comparison.findings`, sorted: path.vantage-divergence for a call whose ZRTP or DTLS
/// identity values differ between the views (zrtp.trusted-mitm instead when an endpoint of the
/// handshakes declares itself a trusted MiTM), path.media-relay (medium) for SDES keys
/// re-made or removed between the points. Frames are named per input (frames_by_input: 1 is A, 2 is B).
void add_compare_findings(const session::Model& a, const session::Model& b, Comparison& comparison);

}  // namespace zaudit::analysis
