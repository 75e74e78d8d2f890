// The option table's fixed value lists (the bash completion's source) are what the parser takes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <stdexcept>

#include <boost/program_options.hpp>
#include <fmt/format.h>

#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"
#include "zaudit/analysis/finding.hpp"
#include "zaudit/cli/cli.hpp"
#include "zaudit/cli/options.hpp"
#include "zaudit/report/report.hpp"
#include "zaudit/report/rules.hpp"

using namespace zaudit;

namespace {

const cli::ValueChoices& choices_of(std::string_view option, std::string_view command = "") {
    static const std::vector<cli::ValueChoices> all = cli::value_choices();
    for (const auto& choice : all) {
        if (choice.option == option && choice.command == command) {
            return choice;
        }
    }
    FAIL("no value list for --" << option << " " << command);
    throw std::logic_error{"unreachable"};
}

std::string description_of(const std::string& option) {
    const auto descriptions = cli::option_descriptions();
    return descriptions.find(option, false).description();
}

const std::string k_sample = test::source_path("samples/sip-plain-call.pcap");

}  // namespace

TEST_CASE("the formats offered are the ones each command's parser takes, and all of them") {
    const auto& audit = choices_of("format");
    for (const std::string_view name : audit.values) {
        CHECK(report::parse_format(name));
    }
    CHECK(audit.values.size() == static_cast<std::size_t>(report::Format::markdown) + 1);  // the last format
    for (const std::string_view name : choices_of("format", "rules").values) {
        CHECK(report::parse_rules_format(name));
    }
    CHECK_FALSE(report::parse_rules_format("sarif"));
    for (const std::string_view name : audit.values) {
        const auto r =
            test::run_cli({"compare", "--format", std::string{name}, "--fail-on", "none", k_sample, k_sample});
        const auto& compare = choices_of("format", "compare").values;
        const bool offered = std::find(compare.begin(), compare.end(), name) != compare.end();
        INFO(name << ": " << r.err);
        CHECK((r.exit_code != cli::k_exit_usage) == offered);
    }
}

TEST_CASE("the --fail-on levels offered are none and every severity, mildest first") {
    const auto& levels = choices_of("fail-on").values;
    REQUIRE(levels.size() == 6);
    CHECK(levels.front() == "none");
    for (std::size_t i = 1; i < levels.size(); ++i) {
        CHECK(levels[i] == analysis::to_string(static_cast<analysis::Severity>(i - 1)));
    }
}

TEST_CASE("the --color values offered are taken by the parser") {
    for (const std::string_view when : choices_of("color").values) {
        INFO(when);
        CHECK(test::run_cli({"--color", std::string{when}, "--quiet", "--fail-on", "none", k_sample}).exit_code ==
              cli::k_exit_clean);
    }
}

TEST_CASE("the help lists the same values as the completion offers") {
    for (const auto& choice : cli::value_choices()) {
        const std::string list = fmt::format("{}", fmt::join(choice.values, "|"));
        const std::string description = description_of(std::string{choice.option});
        INFO(choice.option << " " << choice.command << ": " << description);
        if (choice.command.empty()) {
            CHECK_THAT(description, Catch::StartsWith(list));
        } else {
            CHECK_THAT(description, Catch::Contains(fmt::format("{}: {}", choice.command, list)));
        }
    }
}

TEST_CASE("every command is one --help shows") {
    const std::string help = test::run_cli({"--help"}).out;
    for (const std::string_view name : cli::command_names()) {
        if (name != "audit") {  // the default, shown as "zaudit [OPTIONS] CAPTURE..."
            CHECK_THAT(help, Catch::Contains(fmt::format("zaudit {} ", name)));
        }
    }
}
