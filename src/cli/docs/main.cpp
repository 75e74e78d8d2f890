// zaudit-docs: the man page's generated sections, written from the code's own tables (the options
// zaudit parses, the rule catalogue). scripts/gen-docs splices them into man/zaudit.1 and a test
// fails when the committed page differs. Not installed: a build tool, like zaudit-gen.
#include <boost/program_options.hpp>
#include <iostream>
#include <string>
#include <string_view>

#include "zaudit/cli/options.hpp"
#include "zaudit/report/rules.hpp"

namespace {

namespace po = boost::program_options;

/// Option names and prose in roff: every '-' an ASCII minus (\-), so a reader can paste them.
std::string roff_dashes(std::string_view text) {
    std::string out;
    for (const char c : zaudit::report::roff_escape(text)) {
        if (c == '-') {
            out += '\\';
        }
        out += c;
    }
    return out;
}

/// "FILE", or "FORMAT (=text)" split into the value's name and its default.
std::pair<std::string, std::string> parameter_of(const po::option_description& option) {
    const std::string parameter = option.format_parameter();
    const auto open = parameter.find(" (=");
    if (open == std::string::npos || parameter.back() != ')') {
        return {parameter, ""};
    }
    return {parameter.substr(0, open), parameter.substr(open + 3, parameter.size() - open - 4)};
}

void man_options(std::ostream& out) {
    const po::options_description options = zaudit::cli::option_descriptions();  // outlives the loop
    for (const auto& option : options.options()) {
        const std::string short_name = option->canonical_display_name(po::command_line_style::allow_dash_for_short);
        const auto [value, default_value] = parameter_of(*option);
        out << ".TP\n";
        if (short_name.size() == 2 && short_name[0] == '-') {
            out << "\\fB" << roff_dashes(short_name) << "\\fR, ";
        }
        out << "\\fB\\-\\-" << roff_dashes(option->long_name()) << "\\fR";
        if (!value.empty()) {
            out << " \\fI" << roff_dashes(value) << "\\fR";
        }
        out << '\n' << roff_dashes(option->description());
        if (!default_value.empty()) {
            out << " (default " << roff_dashes(default_value) << ")";
        }
        out << ".\n";
    }
}

}  // namespace

int main(int argc, char** argv) {
    const std::string_view what = argc == 2 ? argv[1] : "";
    if (what == "man-options") {
        man_options(std::cout);
    } else if (what == "man-rules") {
        zaudit::report::render_rules(zaudit::report::RulesFormat::man, std::cout);
    } else {
        std::cerr << "usage: zaudit-docs man-options|man-rules\n";
        return 2;
    }
    return 0;
}
