// The scenario table: one line per sample in samples/.
#include <array>

#include "scenarios.hpp"

namespace zaudit::gen {

std::span<const Scenario> scenarios() {
    static const std::array<Scenario, 3> k_scenarios{{
        {"net-rtp-over-vlan", "plain G.711 RTP both ways over 802.1Q, no signalling captured",
         "none yet (media rules come with issue 3)", false, scenario_builders::rtp_over_vlan},
        {"net-ipv6-fragments-sll", "IPv6 datagrams fragmented at MTU 576, Linux cooked capture", "none", false,
         scenario_builders::ipv6_fragments_sll},
        {"net-tcp-reordered", "a TCP stream with reordered and retransmitted segments on two pcapng interfaces",
         "none", true, scenario_builders::tcp_reordered_pcapng},
    }};
    return k_scenarios;
}

}  // namespace zaudit::gen
