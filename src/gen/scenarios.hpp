#pragma once
// The generator's scenario functions, one group per file; listed in scenarios.cpp.

#include "zaudit/gen/scenario.hpp"

namespace zaudit::gen::scenario_builders {

CaptureBuilder rtp_over_vlan(std::uint64_t seed);
CaptureBuilder ipv6_fragments_sll(std::uint64_t seed);
CaptureBuilder tcp_reordered_pcapng(std::uint64_t seed);

// scenarios_sip.cpp: SIP, SDP, SDES and SRTP
CaptureBuilder sip_plain_call(std::uint64_t seed);
CaptureBuilder sdes_call_udp(std::uint64_t seed);
CaptureBuilder sdes_call_tls(std::uint64_t seed);
CaptureBuilder srtp_declined(std::uint64_t seed);
CaptureBuilder reinvite_drops_crypto(std::uint64_t seed);
CaptureBuilder b2bua_two_legs(std::uint64_t seed);
CaptureBuilder sdes_key_reuse(std::uint64_t seed);
CaptureBuilder weak_suite(std::uint64_t seed);
CaptureBuilder null_cipher(std::uint64_t seed);
CaptureBuilder proxy_strips_crypto(std::uint64_t seed);
CaptureBuilder sip_over_tcp_split(std::uint64_t seed);
CaptureBuilder sip_fragmented_ipv6(std::uint64_t seed);

}  // namespace zaudit::gen::scenario_builders
