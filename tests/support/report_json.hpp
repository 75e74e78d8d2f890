#pragma once
// Reading a JSON report in tests: the findings of one rule, as the report lists them.

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace zaudit::test {

inline std::vector<nlohmann::json> findings_of(const nlohmann::json& report, const std::string& rule) {
    std::vector<nlohmann::json> out;
    std::copy_if(report["findings"].begin(), report["findings"].end(), std::back_inserter(out),
                 [&](const nlohmann::json& f) { return f["rule"] == rule; });
    return out;
}

}  // namespace zaudit::test
