#pragma once
// The registry table and the check functions of every rule (one file each in this folder).

#include <span>

#include "zaudit/analysis/registry.hpp"

namespace zaudit::analysis::rules {

std::span<const RuleInfo> catalogue();

}  // namespace zaudit::analysis::rules
