#include <csignal>
#include <exception>
#include <iostream>

#include "zaudit/cli/cli.hpp"

namespace {

// The one piece of process-wide state: a signal handler can only talk through such a flag.
// The first SIGINT/SIGTERM asks the reader to stop so that the report of what was gathered is
// still printed (marked partial); a second one ends the process at once.
volatile std::sig_atomic_t g_stop_requested = 0;  // NOLINT(cppcoreguidelines-avoid-non-const-global-variables)

extern "C" void request_stop(int signal_number) {
    g_stop_requested = 1;
    std::signal(signal_number, SIG_DFL);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        std::ios::sync_with_stdio(false);
        std::signal(SIGINT, request_stop);
        std::signal(SIGTERM, request_stop);
        return zaudit::cli::run(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr,
                                &g_stop_requested);
    } catch (const std::exception& e) {  // a programmer error: say so once, never a stack of noise
        std::cerr << "zaudit: internal error: " << e.what() << '\n';
        return 3;
    }
}
