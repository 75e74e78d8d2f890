#pragma once
/// \file A flat hash table of live flows with idle eviction: memory follows live flows.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "zaudit/net/flow_key.hpp"
#include "zaudit/util/timestamp.hpp"

namespace zaudit::net {

/// Open addressing (linear probing) over an index array, with entries stored densely so a
/// sweep for idle flows walks contiguous memory. Removal swaps the last entry into the hole.
template <typename State>
class FlowTable {
public:
    struct Entry {
        FlowKey key;
        std::uint64_t hash = 0;
        util::Timestamp last_seen;
        State state;
    };

    explicit FlowTable(std::size_t initial_capacity = 1024) { m_slots.assign(round_up(initial_capacity * 2), k_empty); }

    /// The entry for `key`, created with a default State if absent (`created` says which).
    Entry& find_or_insert(const FlowKey& key, util::Timestamp now, bool& created) {
        const std::uint64_t hash = hash_value(key);
        std::size_t slot = hash & (m_slots.size() - 1);
        while (m_slots[slot] != k_empty) {
            Entry& entry = m_entries[m_slots[slot]];
            if (entry.hash == hash && entry.key == key) {
                entry.last_seen = now;
                created = false;
                return entry;
            }
            slot = (slot + 1) & (m_slots.size() - 1);
        }
        created = true;
        m_slots[slot] = static_cast<std::uint32_t>(m_entries.size());
        m_entries.push_back(Entry{key, hash, now, State{}});
        if (m_entries.size() * 2 > m_slots.size()) {
            grow();
            return *find(key);
        }
        return m_entries.back();
    }

    Entry* find(const FlowKey& key) {
        const std::uint64_t hash = hash_value(key);
        for (std::size_t slot = hash & (m_slots.size() - 1); m_slots[slot] != k_empty;
             slot = (slot + 1) & (m_slots.size() - 1)) {
            Entry& entry = m_entries[m_slots[slot]];
            if (entry.hash == hash && entry.key == key) {
                return &entry;
            }
        }
        return nullptr;
    }

    /// Hands every flow idle since before `cutoff` to `on_evict(Entry&&)` and forgets it.
    template <typename OnEvict>
    void evict_idle(util::Timestamp cutoff, OnEvict&& on_evict) {
        evict_if([cutoff](const Entry& entry) { return entry.last_seen < cutoff; }, on_evict);
    }

    /// Hands every flow for which `is_over(const Entry&)` holds to `on_evict(Entry&&)` and
    /// forgets it. Linear in the live flows.
    template <typename IsOver, typename OnEvict>
    void evict_if(IsOver&& is_over, OnEvict&& on_evict) {
        for (std::size_t i = 0; i < m_entries.size();) {
            if (is_over(m_entries[i])) {
                on_evict(std::move(m_entries[i]));
                erase_at(i);
            } else {
                ++i;
            }
        }
    }

    /// Hands the flows idle longest to `on_evict(Entry&&)` and forgets them, keeping the `keep`
    /// most recently seen: when more flows are live than memory allows, whatever their idle time.
    /// Linear in the live flows (a selection, not a sort).
    template <typename OnEvict>
    void evict_oldest(std::size_t keep, OnEvict&& on_evict) {
        if (m_entries.size() <= keep) {
            return;
        }
        std::vector<std::pair<util::Timestamp, FlowKey>> by_age;
        by_age.reserve(m_entries.size());
        for (const Entry& entry : m_entries) {
            by_age.emplace_back(entry.last_seen, entry.key);
        }
        const auto cut = by_age.begin() + static_cast<std::ptrdiff_t>(m_entries.size() - keep);
        std::nth_element(by_age.begin(), cut, by_age.end(),
                         [](const auto& x, const auto& y) { return x.first < y.first; });
        for (auto it = by_age.begin(); it != cut; ++it) {
            const Entry* entry = find(it->second);
            const auto index = static_cast<std::size_t>(entry - m_entries.data());
            on_evict(std::move(m_entries[index]));
            erase_at(index);
        }
    }

    /// Hands every remaining flow to `on_evict` (end of input).
    template <typename OnEvict>
    void drain(OnEvict&& on_evict) {
        for (Entry& entry : m_entries) {
            on_evict(std::move(entry));
        }
        m_entries.clear();
        m_slots.assign(m_slots.size(), k_empty);
    }

    [[nodiscard]] std::size_t size() const { return m_entries.size(); }
    std::vector<Entry>& entries() { return m_entries; }

private:
    static constexpr std::uint32_t k_empty = 0xffffffff;

    static std::size_t round_up(std::size_t n) {
        std::size_t size = 16;
        while (size < n) {
            size *= 2;
        }
        return size;
    }

    std::size_t slot_of(std::size_t entry_index) const {
        std::size_t slot = m_entries[entry_index].hash & (m_slots.size() - 1);
        while (m_slots[slot] != entry_index) {
            slot = (slot + 1) & (m_slots.size() - 1);
        }
        return slot;
    }

    void erase_at(std::size_t index) {
        remove_slot(slot_of(index));
        const std::size_t last = m_entries.size() - 1;
        if (index != last) {
            m_slots[slot_of(last)] = static_cast<std::uint32_t>(index);
            m_entries[index] = std::move(m_entries[last]);
        }
        m_entries.pop_back();
    }

    /// Backward-shift deletion keeps probe chains intact without tombstones.
    void remove_slot(std::size_t hole) {
        const std::size_t mask = m_slots.size() - 1;
        std::size_t next = (hole + 1) & mask;
        while (m_slots[next] != k_empty) {
            const std::size_t home = m_entries[m_slots[next]].hash & mask;
            // Move `next` into the hole when its home is not cyclically in (hole, next].
            const bool stays = (hole < next) ? (home > hole && home <= next) : (home > hole || home <= next);
            if (!stays) {
                m_slots[hole] = m_slots[next];
                hole = next;
            }
            next = (next + 1) & mask;
        }
        m_slots[hole] = k_empty;
    }

    void grow() {
        m_slots.assign(m_slots.size() * 2, k_empty);
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t i = 0; i < m_entries.size(); ++i) {
            std::size_t slot = m_entries[i].hash & mask;
            while (m_slots[slot] != k_empty) {
                slot = (slot + 1) & mask;
            }
            m_slots[slot] = static_cast<std::uint32_t>(i);
        }
    }

    std::vector<std::uint32_t> m_slots;
    std::vector<Entry> m_entries;
};

}  // namespace zaudit::net
