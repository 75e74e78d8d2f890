// Findings counted and grouped for the human formats: one cause is one finding in every machine
// format (its id and fingerprint stay), and one paragraph per rule for people.
#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "sections.hpp"

namespace zaudit::report {

FindingCounts count_findings(const std::vector<analysis::Finding>& findings) {
    FindingCounts counts;
    counts.total = findings.size();
    for (const analysis::Finding& f : findings) {
        ++counts.by_severity.at(static_cast<std::size_t>(f.severity));
        ++counts.by_rule[f.rule];
        if (f.call) {
            ++counts.by_call[*f.call];
        } else {
            ++counts.without_call;
        }
    }
    return counts;
}

std::string frames_text(const std::vector<std::uint64_t>& frames) {
    if (frames.empty()) {
        return "";
    }
    std::string text = frames.size() == 1 ? "frame " : "frames ";
    for (std::size_t i = 0; i < frames.size() && i < 8; ++i) {
        text += fmt::format("{}{}", i > 0 ? ", " : "", frames[i]);
    }
    if (frames.size() > 8) {
        text += fmt::format(" (+{} more)", frames.size() - 8);
    }
    return text;
}

std::string_view media_path_word(const analysis::CallVerdict& verdict) {
    if (verdict.achieved == analysis::Achieved::no_media) {
        return "none";
    }
    return verdict.relayed ? "relayed" : "direct";
}

std::string severity_counts_text(const std::array<std::size_t, 5>& by_severity) {
    std::string text;
    for (std::size_t s = by_severity.size(); s-- > 0;) {
        if (by_severity.at(s) > 0) {
            text += fmt::format("{}{} {}", text.empty() ? "" : ", ", by_severity.at(s),
                                analysis::to_string(static_cast<analysis::Severity>(s)));
        }
    }
    return text;
}

std::vector<FindingGroup> group_by_rule(const std::vector<analysis::Finding>& findings) {
    std::vector<FindingGroup> groups;
    std::unordered_map<std::string_view, std::size_t> group_of;
    for (std::size_t i = 0; i < findings.size(); ++i) {
        const auto [it, inserted] = group_of.try_emplace(findings[i].rule, groups.size());
        if (inserted) {
            groups.push_back(FindingGroup{findings[i].rule, findings[i].severity, {}});
        }
        FindingGroup& group = groups[it->second];
        group.members.push_back(i);
        // A rule's severity can differ between findings (zrtp.weak-algorithms: low, or high for
        // broken ones): a group stands at its worst.
        group.severity = std::max(group.severity, findings[i].severity);
    }
    std::sort(groups.begin(), groups.end(), [](const FindingGroup& a, const FindingGroup& b) {
        return a.severity != b.severity ? a.severity > b.severity : a.rule < b.rule;
    });
    return groups;
}

}  // namespace zaudit::report
