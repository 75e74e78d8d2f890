#pragma once
/// \file The 5-tuple that names a flow, in a direction-independent form.

#include <cstdint>

#include "zaudit/net/packet.hpp"
#include "zaudit/util/address.hpp"

namespace zaudit::net {

/// Both directions of a conversation map to the same key: the lower endpoint comes first.
struct FlowKey {
    util::Endpoint low;
    util::Endpoint high;
    Transport transport = Transport::udp;

    /// The key of the flow a packet belongs to; `forward` tells whether src is `low`.
    static FlowKey of(const Packet& packet, bool& forward) {
        forward = packet.src <= packet.dst;
        return forward ? FlowKey{packet.src, packet.dst, packet.transport}
                       : FlowKey{packet.dst, packet.src, packet.transport};
    }
    bool operator==(const FlowKey&) const = default;
};

/// A fast mix of the key's words; flows are not attacker-chosen hash-flood keys offline, and
/// the table's probing bounds the damage when they are.
std::uint64_t hash_value(const FlowKey& key);

}  // namespace zaudit::net
