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

const char* to_string(Confidence confidence) {
    switch (confidence) {
        case Confidence::verified: return "verified";
        case Confidence::inferred: return "inferred";
        case Confidence::not_verifiable: return "not-verifiable";
    }
    return "inferred";
}

}  // namespace zaudit::analysis
