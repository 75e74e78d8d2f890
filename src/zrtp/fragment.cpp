#include "zaudit/zrtp/fragment.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace zaudit::zrtp {
namespace {

// Offsets of the fragment header fields in the packet (message.hpp, FragmentInfo), which the
// anomalies point at.
constexpr std::size_t k_total_field = 14;
constexpr std::size_t k_offset_field = 16;

}  // namespace

void FragmentAssembler::evict_if_full(AssemblyResult& result) {
    while (m_pending.size() >= m_limits.max_pending && !m_pending.empty()) {
        const auto oldest = std::min_element(m_pending.begin(), m_pending.end(),
                                             [](const auto& a, const auto& b) { return a.second.age < b.second.age; });
        result.anomalies.push_back({util::AnomalyCode::zrtp_fragment_evicted, 0, 0,
                                    fmt::format("message {} of SSRC 0x{:08x} dropped incomplete: too many pending",
                                                oldest->first.second, oldest->first.first)});
        m_pending.erase(oldest);
    }
}

AssemblyResult FragmentAssembler::add(std::uint32_t ssrc, const FragmentInfo& fragment) {
    AssemblyResult result;
    const std::size_t total_bytes = std::size_t{fragment.total_words} * 4;
    const std::size_t offset = std::size_t{fragment.offset_words} * 4;
    // The bytes present count, not the announced length (parse_packet reports a disagreement).
    const std::size_t size = fragment.data.size() - fragment.data.size() % 4;
    if (total_bytes == 0 || total_bytes > m_limits.max_message_bytes) {
        result.anomalies.push_back(
            {util::AnomalyCode::zrtp_fragment_total_invalid, 0, k_total_field,
             fmt::format("total length {} bytes (limit {})", total_bytes, m_limits.max_message_bytes)});
        return result;
    }
    if (size == 0 || offset + size > total_bytes) {
        result.anomalies.push_back(
            {util::AnomalyCode::zrtp_fragment_out_of_range, 0, k_offset_field,
             fmt::format("fragment of {} bytes at {} does not fit a {}-byte message", size, offset, total_bytes)});
        return result;
    }
    const Key key{ssrc, fragment.message_id};
    auto it = m_pending.find(key);
    if (it != m_pending.end() && it->second.total_words != fragment.total_words) {
        result.anomalies.push_back({util::AnomalyCode::zrtp_fragment_total_mismatch, 0, k_total_field,
                                    fmt::format("message {} announced {} words, now {}", fragment.message_id,
                                                it->second.total_words, fragment.total_words)});
        m_pending.erase(it);
        it = m_pending.end();
    }
    if (it == m_pending.end()) {
        evict_if_full(result);
        Pending fresh;
        fresh.total_words = fragment.total_words;
        fresh.bytes.assign(total_bytes, 0);
        fresh.filled.assign(fragment.total_words, false);
        fresh.age = m_next_age++;
        it = m_pending.emplace(key, std::move(fresh)).first;
    }
    Pending& p = it->second;
    bool conflict = false;
    for (std::size_t word = offset / 4; word < (offset + size) / 4; ++word) {
        const auto src = fragment.data.begin() + static_cast<std::ptrdiff_t>(word * 4 - offset);
        const auto dst = p.bytes.begin() + static_cast<std::ptrdiff_t>(word * 4);
        if (p.filled[word]) {
            conflict = conflict || !std::equal(src, src + 4, dst);
            continue;  // the first copy wins: it is what the receiver most likely kept
        }
        std::copy(src, src + 4, dst);
        p.filled[word] = true;
    }
    if (conflict) {
        result.anomalies.push_back(
            {util::AnomalyCode::zrtp_fragment_overlap_conflict, 0, k_fragment_header_size,
             fmt::format("fragment at {} rewrites bytes already received with other values", offset)});
    }
    if (std::all_of(p.filled.begin(), p.filled.end(), [](bool f) { return f; })) {
        result.message = parse_message(p.bytes);
        m_pending.erase(it);
    }
    return result;
}

}  // namespace zaudit::zrtp
