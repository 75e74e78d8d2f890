// zaudit-gen: writes the sample captures from the scenarios described in code.
#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <fstream>
#include <iostream>

#include "zaudit/gen/scenario.hpp"

// A generator for the project's own samples: an exception here (disk full, bad scenario) is a
// bug report, and the runtime's message says which.
// NOLINTNEXTLINE(bugprone-exception-escape)
int main(int argc, char** argv) {
    namespace po = boost::program_options;
    po::options_description options{"usage: zaudit-gen [--out DIR] [--seed N] [--only NAME] [--list]"};
    options.add_options()("out", po::value<std::string>()->default_value("samples"), "output folder")(
        "seed", po::value<std::uint64_t>()->default_value(6189), "seed for keys, nonces and payloads")(
        "only", po::value<std::string>(), "write only this scenario")("list", "list scenarios")(
        "readme", "also write DIR/README.md, the table of samples")("help,h", "help");
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, options), vm);
    } catch (const po::error& e) {
        std::cerr << "zaudit-gen: " << e.what() << '\n';
        return 2;
    }
    if (vm.count("help") != 0) {
        std::cout << options << '\n';
        return 0;
    }
    const auto seed = vm["seed"].as<std::uint64_t>();
    if (vm.count("readme") != 0) {
        const std::string path = vm["out"].as<std::string>() + "/README.md";
        std::ofstream readme(path);
        readme << "# Samples\n\n"
               << "Captures written by `zaudit-gen` (src/gen/) from scenarios described in code, deterministic by\n"
               << "seed (default 6189), with genuine keys, hashes and MACs. Rebuild them with\n"
               << "`build/zaudit-gen --out samples --readme`; `scripts/demo` audits them, and tests/golden/ holds\n"
               << "the reviewed report of each.\n\n"
               << "| file | what it shows | expected findings |\n|---|---|---|\n";
        for (const auto& scenario : zaudit::gen::scenarios()) {
            readme << fmt::format("| {}.{} | {} | {} |\n", scenario.name, scenario.pcapng ? "pcapng" : "pcap",
                                  scenario.shows, scenario.expected);
        }
    }
    for (const auto& scenario : zaudit::gen::scenarios()) {
        if (vm.count("list") != 0) {
            std::cout << fmt::format("{:<32} {}\n", scenario.name, scenario.shows);
            continue;
        }
        if (vm.count("only") != 0 && vm["only"].as<std::string>() != scenario.name) {
            continue;
        }
        const auto capture = scenario.build(seed);
        const std::string path =
            fmt::format("{}/{}.{}", vm["out"].as<std::string>(), scenario.name, scenario.pcapng ? "pcapng" : "pcap");
        const auto status = scenario.pcapng ? capture.write_pcapng(path) : capture.write_pcap(path);
        if (!status) {
            std::cerr << "zaudit-gen: " << status.error().message << '\n';
            return 1;
        }
        std::cout << fmt::format("{} ({} frames)\n", path, capture.frames().size());
    }
    return 0;
}
