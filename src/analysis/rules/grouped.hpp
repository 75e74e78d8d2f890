#pragma once
// The model's media streams and handshakes grouped by the flow that carried them or the call
// they are bound to. Rules ask "which streams are on this handshake's flow" or "which are this
// call's" for every handshake or call; answering each question with a scan of the whole model
// made them quadratic in the calls of a capture (bench/README.md, "Rules in time linear in the
// calls"). Built once per rule in O(n log n), each answer is a binary search.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "zaudit/session/model.hpp"

namespace zaudit::analysis::rules {

/// Items of one kind grouped by a key, each group in model order (streams and handshakes are
/// numbered in the order they were created, so also in id order).
template <class T>
class Grouped {
public:
    /// `key_of(item)` gives the item's key, or std::nullopt to leave it out (a stream bound to
    /// no call).
    template <class Items, class KeyOf>
    Grouped(const Items& items, KeyOf key_of) {
        std::vector<std::pair<std::uint32_t, const T*>> keyed;
        keyed.reserve(items.size());
        for (const T& item : items) {
            if (const std::optional<std::uint32_t> key = key_of(item)) {
                keyed.emplace_back(*key, &item);
            }
        }
        std::stable_sort(keyed.begin(), keyed.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
        m_keys.reserve(keyed.size());
        m_items.reserve(keyed.size());
        for (const auto& [key, item] : keyed) {
            m_keys.push_back(key);
            m_items.push_back(item);
        }
    }

    /// The items with this key, in model order; empty when there are none.
    [[nodiscard]] std::span<const T* const> operator[](std::uint32_t key) const {
        const auto [first, last] = std::equal_range(m_keys.begin(), m_keys.end(), key);
        return std::span<const T* const>{m_items}.subspan(static_cast<std::size_t>(first - m_keys.begin()),
                                                          static_cast<std::size_t>(last - first));
    }

private:
    std::vector<std::uint32_t> m_keys;  ///< ascending
    std::vector<const T*> m_items;      ///< m_items[i] has key m_keys[i]
};

using StreamsByFlow = Grouped<session::MediaStream>;
using StreamsByCall = Grouped<session::MediaStream>;
using HandshakesByFlow = Grouped<session::ZrtpHandshake>;
using DtlsHandshakesByFlow = Grouped<session::DtlsHandshake>;

/// The media streams (RTP) of each flow.
inline StreamsByFlow streams_by_flow(const session::Model& model) {
    return {model.media, [](const session::MediaStream& stream) { return std::optional{stream.flow}; }};
}

/// The media streams bound to each call.
inline StreamsByCall streams_by_call(const session::Model& model) {
    return {model.media, [](const session::MediaStream& stream) { return stream.call; }};
}

/// The ZRTP handshakes of each flow.
inline HandshakesByFlow handshakes_by_flow(const session::Model& model) {
    return {model.handshakes, [](const session::ZrtpHandshake& handshake) { return std::optional{handshake.flow}; }};
}

/// The DTLS handshakes of each flow.
inline DtlsHandshakesByFlow dtls_handshakes_by_flow(const session::Model& model) {
    return {model.dtls_handshakes,
            [](const session::DtlsHandshake& handshake) { return std::optional{handshake.flow}; }};
}

}  // namespace zaudit::analysis::rules
