#pragma once
/// \file IPv4 (RFC 791) and IPv6 (RFC 8200 section 4.5) fragment reassembly, with limits.

#include <cstdint>
#include <optional>
#include <vector>

#include "zaudit/util/address.hpp"
#include "zaudit/util/byte_reader.hpp"
#include "zaudit/util/timestamp.hpp"

namespace zaudit::net {

struct DefragLimits {
    std::int64_t timeout_micros = 30'000'000;     ///< a datagram's fragments must arrive within this
    std::size_t max_datagram_bytes = 65'535 + 8;  ///< the largest IP payload we rebuild
    std::size_t max_pending = 4096;               ///< datagrams in reassembly at once
};

struct DefragStats {
    std::uint64_t fragments = 0;
    std::uint64_t reassembled = 0;
    std::uint64_t timed_out = 0;  ///< datagrams dropped incomplete
    std::uint64_t overlaps = 0;   ///< fragments overlapping with different bytes (RFC 5722 evasion)
    std::uint64_t oversized = 0;
    std::uint64_t dropped_for_space = 0;
};

/// One fragment's facts, as the IP decoder read them.
struct Fragment {
    util::IpAddress src;
    util::IpAddress dst;
    std::uint32_t id = 0;       ///< IPv4 Identification or IPv6 fragment Identification
    std::uint8_t protocol = 0;  ///< transport protocol of the datagram
    bool ipv6 = false;
    std::uint32_t offset = 0;  ///< in bytes
    bool more_fragments = false;
    util::Bytes data;  ///< this fragment's part of the IP payload
};

/// Collects fragments; returns the whole IP payload once every part is there.
class Defragmenter {
public:
    explicit Defragmenter(DefragLimits limits = {}) : m_limits{limits} {}

    /// The reassembled payload when `fragment` completes a datagram; the view stays valid until
    /// the next call.
    std::optional<util::Bytes> add(const Fragment& fragment, util::Timestamp now);

    [[nodiscard]] const DefragStats& stats() const { return m_stats; }
    [[nodiscard]] std::size_t pending() const { return m_pending.size(); }

private:
    struct Pending {
        util::IpAddress src;
        util::IpAddress dst;
        std::uint32_t id = 0;
        std::uint8_t protocol = 0;
        bool ipv6 = false;
        util::Timestamp first_seen;
        std::optional<std::uint32_t> total_length;  ///< known once the last fragment arrived
        std::vector<std::uint8_t> data;
        std::vector<std::pair<std::uint32_t, std::uint32_t>> covered;  ///< [begin, end) ranges
    };
    void expire(util::Timestamp now);
    static bool complete(const Pending& pending);

    DefragLimits m_limits;
    DefragStats m_stats;
    std::vector<Pending> m_pending;  ///< few at a time: a vector beats a map here
    std::vector<std::uint8_t> m_completed;
};

}  // namespace zaudit::net
