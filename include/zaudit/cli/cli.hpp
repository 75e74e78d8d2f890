#pragma once
/// \file The command line: parse options, run the pipeline, pick a renderer and an exit code.

#include <csignal>
#include <ostream>
#include <string>
#include <vector>

namespace zaudit::cli {

/// Exit codes (DESIGN.md section 6).
constexpr int k_exit_clean = 0;     ///< nothing at or above --fail-on
constexpr int k_exit_findings = 1;  ///< findings at or above --fail-on
constexpr int k_exit_usage = 2;     ///< usage error or unreadable input

/// Runs zaudit with `args` (without the program name). Never throws for bad input. When `stop`
/// becomes non-zero (SIGINT/SIGTERM), reading ends and the report covers what was read, as partial.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        const volatile std::sig_atomic_t* stop = nullptr);

}  // namespace zaudit::cli
