#pragma once
// Collects what the parsers found malformed into the model. Private to the session area.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "zaudit/session/model.hpp"
#include "zaudit/util/anomaly.hpp"

namespace zaudit::session {

/// Every anomaly is counted per code; the first `limit` are kept with their frame and with
/// offsets made relative to what the caller names (the UDP payload, or a TCP byte stream).
class AnomalyLog {
public:
    explicit AnomalyLog(std::size_t limit) : m_limit{limit} {}

    /// One anomaly seen in `frame`, its offset counted from `base` bytes into the unit.
    void add(util::Anomaly anomaly, std::uint64_t frame, std::size_t base = 0) {
        count(anomaly.code);
        if (m_kept.size() < m_limit) {
            anomaly.frame = frame;
            anomaly.offset += base;
            m_kept.push_back(std::move(anomaly));
        }
    }

    /// One more of an anomaly already added once, counted without being kept: a capped
    /// condition says what it is once and counts every time it drops something.
    void count(util::AnomalyCode code) {
        const auto index = static_cast<std::size_t>(code);
        if (index < m_counts.size()) {
            ++m_counts[index];
        }
    }

    void add_all(const std::vector<util::Anomaly>& anomalies, std::uint64_t frame, std::size_t base = 0) {
        for (const util::Anomaly& anomaly : anomalies) {
            add(anomaly, frame, base);
        }
    }

    /// Hands the anomalies (in frame order) and the counts to the model.
    void finish(Model& model) && {
        std::stable_sort(m_kept.begin(), m_kept.end(),
                         [](const util::Anomaly& x, const util::Anomaly& y) { return x.frame < y.frame; });
        model.anomalies = std::move(m_kept);
        model.decode.anomalies = m_counts;
    }

private:
    std::size_t m_limit;
    std::vector<util::Anomaly> m_kept;
    decltype(DecodeSummary::anomalies) m_counts{};
};

}  // namespace zaudit::session
