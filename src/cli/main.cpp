#include <exception>
#include <iostream>

#include "zaudit/cli/cli.hpp"

int main(int argc, char** argv) {
    try {
        std::ios::sync_with_stdio(false);
        return zaudit::cli::run(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
    } catch (const std::exception& e) {  // a programmer error: say so once, never a stack of noise
        std::cerr << "zaudit: internal error: " << e.what() << '\n';
        return 3;
    }
}
