#pragma once
// The generator's scenario functions, one group per file; listed in scenarios.cpp.

#include "zaudit/gen/scenario.hpp"

namespace zaudit::gen::scenario_builders {

CaptureBuilder rtp_over_vlan(std::uint64_t seed);
CaptureBuilder ipv6_fragments_sll(std::uint64_t seed);
CaptureBuilder tcp_reordered_pcapng(std::uint64_t seed);

}  // namespace zaudit::gen::scenario_builders
