#include "zaudit/analysis/finding.hpp"

#include <array>

namespace zaudit::analysis {
namespace {
constexpr std::array<const char*, 5> k_severity_names{"info", "low", "medium", "high", "critical"};
}

const char* to_string(Severity severity) {
    return k_severity_names.at(static_cast<std::size_t>(severity));
}

std::optional<Severity> parse_severity(std::string_view text) {
    for (std::size_t i = 0; i < k_severity_names.size(); ++i) {
        if (text == k_severity_names[i]) {
            return static_cast<Severity>(i);
        }
    }
    return std::nullopt;
}

const char* to_string(Confidence confidence) {
    switch (confidence) {
        case Confidence::verified: return "verified";
        case Confidence::inferred: return "inferred";
        case Confidence::not_verifiable: return "not-verifiable";
    }
    return "inferred";
}

}  // namespace zaudit::analysis
