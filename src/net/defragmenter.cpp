#include "zaudit/net/defragmenter.hpp"

#include <algorithm>
#include <cstring>

namespace zaudit::net {
namespace {

using Ranges = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

/// Adds [begin, end) to ranges kept sorted, disjoint and merged (touching ones join), so that
/// copies of one fragment, or a flood of adjacent ones, keep a handful of ranges rather than one
/// per fragment for every later fragment to be compared with and sorted among.
void cover(Ranges& covered, std::uint32_t begin, std::uint32_t end) {
    if (begin >= end) {
        return;
    }
    // The first range that ends at or after `begin` is the first that can touch [begin, end).
    auto first = std::lower_bound(covered.begin(), covered.end(), begin,
                                  [](const auto& range, std::uint32_t at) { return range.second < at; });
    auto last = first;
    for (; last != covered.end() && last->first <= end; ++last) {
        begin = std::min(begin, last->first);
        end = std::max(end, last->second);
    }
    covered.insert(covered.erase(first, last), {begin, end});
}

}  // namespace

void Defragmenter::expire(util::Timestamp now) {
    const auto before = m_pending.size();
    std::erase_if(m_pending,
                  [&](const Pending& p) { return now.micros - p.first_seen.micros > m_limits.timeout_micros; });
    m_stats.timed_out += before - m_pending.size();
}

bool Defragmenter::complete(const Pending& pending) {
    if (!pending.total_length) {
        return false;
    }
    std::uint32_t reached = 0;  // ranges are kept sorted and merged
    for (const auto& [begin, end] : pending.covered) {
        if (begin > reached) {
            return false;
        }
        reached = std::max(reached, end);
    }
    return reached >= *pending.total_length;
}

std::optional<util::Bytes> Defragmenter::add(const Fragment& fragment, util::Timestamp now) {
    ++m_stats.fragments;
    expire(now);
    const std::uint64_t end = std::uint64_t{fragment.offset} + fragment.data.size();
    if (end > m_limits.max_datagram_bytes) {
        ++m_stats.oversized;
        return std::nullopt;
    }
    auto it = std::find_if(m_pending.begin(), m_pending.end(), [&](const Pending& p) {
        return p.id == fragment.id && p.protocol == fragment.protocol && p.ipv6 == fragment.ipv6 &&
               p.src == fragment.src && p.dst == fragment.dst;
    });
    if (it == m_pending.end()) {
        if (m_pending.size() >= m_limits.max_pending) {
            ++m_stats.dropped_for_space;
            m_pending.erase(m_pending.begin());  // the oldest goes first
        }
        Pending fresh;
        fresh.src = fragment.src;
        fresh.dst = fragment.dst;
        fresh.id = fragment.id;
        fresh.protocol = fragment.protocol;
        fresh.ipv6 = fragment.ipv6;
        fresh.first_seen = now;
        m_pending.push_back(std::move(fresh));
        it = std::prev(m_pending.end());
    }
    Pending& pending = *it;
    const auto begin32 = fragment.offset;
    const auto end32 = static_cast<std::uint32_t>(end);
    if (!fragment.more_fragments) {
        pending.total_length = end32;
    }
    if (pending.data.size() < end32) {
        pending.data.resize(end32);
    }
    // Overlapping fragments whose bytes differ are an evasion technique; count them and keep
    // the first copy, as most stacks do (RFC 5722 says drop the datagram for IPv6).
    for (const auto& [b, e] : pending.covered) {
        const std::uint32_t lo = std::max(b, begin32);
        const std::uint32_t hi = std::min(e, end32);
        if (lo < hi && std::memcmp(pending.data.data() + lo, fragment.data.data() + (lo - begin32), hi - lo) != 0) {
            ++m_stats.overlaps;
            return std::nullopt;
        }
    }
    if (!fragment.data.empty()) {
        std::memcpy(pending.data.data() + begin32, fragment.data.data(), fragment.data.size());
    }
    cover(pending.covered, begin32, end32);
    if (!complete(pending)) {
        return std::nullopt;
    }
    m_completed = std::move(pending.data);
    m_completed.resize(*pending.total_length);
    m_pending.erase(it);
    ++m_stats.reassembled;
    return util::Bytes{m_completed};
}

}  // namespace zaudit::net
