#pragma once
// Runs the command line in-process, as a user would type it, and keeps what it printed.

#include <sstream>
#include <string>
#include <vector>

#include "zaudit/cli/cli.hpp"

namespace zaudit::test {

struct CliResult {
    int exit_code = 0;
    std::string out;
    std::string err;
};

inline CliResult run_cli(const std::vector<std::string>& args) {
    std::ostringstream out;
    std::ostringstream err;
    const int code = cli::run(args, out, err);
    return {code, out.str(), err.str()};
}

}  // namespace zaudit::test
