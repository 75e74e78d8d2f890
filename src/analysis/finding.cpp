#include "zaudit/analysis/finding.hpp"

#include <array>

#include "zaudit/util/name_table.hpp"

namespace zaudit::analysis {
namespace {
constexpr std::array<const char*, 5> k_severity_names{"info", "low", "medium", "high", "critical"};

constexpr util::NameTable<RequiredProtection, 4> k_required_names{{{
    {RequiredProtection::zrtp, "zrtp"},
    {RequiredProtection::dtls_srtp, "dtls-srtp"},
    {RequiredProtection::sdes_tls, "sdes-tls"},
    {RequiredProtection::sdes, "sdes"},
}}};
static_assert(k_required_names.complete());
}  // namespace

std::string_view to_string(RequiredProtection required) {
    return k_required_names.name(required);
}

std::optional<RequiredProtection> parse_required_protection(std::string_view name) {
    return k_required_names.find(name);
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

void pack_details(std::span<Finding> findings) {
    for (auto& finding : findings) {
        if (!finding.packed_details.empty()) {
            continue;
        }
        nlohmann::ordered_json details = nlohmann::ordered_json::array();
        details.push_back(std::move(finding.evidence));
        details.push_back(std::move(finding.examples));
        finding.packed_details = nlohmann::ordered_json::to_cbor(details);
        finding.packed_details.shrink_to_fit();
        finding.evidence = nullptr;  // a reader that skipped evidence_of() sees no evidence, not stale evidence
        finding.examples = nullptr;
    }
}

namespace {
nlohmann::ordered_json unpacked(const Finding& finding, std::size_t which) {
    return std::move(nlohmann::ordered_json::from_cbor(finding.packed_details).at(which));
}
}  // namespace

nlohmann::ordered_json evidence_of(const Finding& finding) {
    return finding.packed_details.empty() ? finding.evidence : unpacked(finding, 0);
}

nlohmann::ordered_json examples_of(const Finding& finding) {
    return finding.packed_details.empty() ? finding.examples : unpacked(finding, 1);
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
