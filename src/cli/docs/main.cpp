// zaudit-docs: the man page's generated sections and the bash completion's lists, written from the
// code's own tables (the options zaudit parses, the rule catalogue). scripts/gen-docs splices them
// into man/zaudit.1 and scripts/completion/zaudit.bash, and a test fails when a committed file
// differs. Not installed: a build tool, like zaudit-gen.
#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

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

/// `'text'`: a word for bash, single-quoted (no option name or value word holds a quote).
std::string quoted(std::string_view word) {
    return "'" + std::string{word} + "'";
}

/// Appends `words` to `out` as the items of a bash array, wrapped before 100 columns.
void wrapped(std::ostream& out, std::string_view opening, const std::vector<std::string>& words) {
    std::string line = "    " + std::string{opening};
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string item = (i == 0 ? "" : " ") + words[i];
        if (line.size() + item.size() > 98) {
            out << line << '\n';
            line = "        " + words[i];
        } else {
            line += item;
        }
    }
    out << line << ")\n";
}

/// The lists the bash completion (scripts/completion/zaudit.bash) completes from, as the
/// locals of its function: the commands, every option, the value each one takes (its name in
/// --help: FILE, IF...), short names to long ones, and the values of options with a fixed list
/// (`--format@rules` for a command's own list).
void bash_options(std::ostream& out) {
    std::vector<std::string> commands;
    for (const std::string_view name : zaudit::cli::command_names()) {
        commands.emplace_back(name);
    }
    std::vector<std::string> options;
    std::vector<std::string> takes;
    std::vector<std::string> long_of;
    const po::options_description descriptions = zaudit::cli::option_descriptions();  // outlives the loop
    for (const auto& option : descriptions.options()) {
        const std::string long_name = "--" + option->long_name();
        const std::string short_name = option->canonical_display_name(po::command_line_style::allow_dash_for_short);
        const bool has_short = short_name.size() == 2 && short_name[0] == '-';
        options.push_back(long_name);
        if (has_short) {
            options.push_back(short_name);
            long_of.push_back(fmt::format("[{}]={}", quoted(short_name), quoted(long_name)));
        }
        const std::string value = parameter_of(*option).first;
        if (!value.empty()) {
            takes.push_back(fmt::format("[{}]={}", quoted(long_name), quoted(value)));
            if (has_short) {
                takes.push_back(fmt::format("[{}]={}", quoted(short_name), quoted(value)));
            }
        }
    }
    std::vector<std::string> choices;
    for (const auto& choice : zaudit::cli::value_choices()) {
        const std::string key =
            "--" + std::string{choice.option} + (choice.command.empty() ? "" : "@" + std::string{choice.command});
        choices.push_back(
            fmt::format("[{}]={}", quoted(key), quoted(fmt::format("{}", fmt::join(choice.values, " ")))));
    }
    wrapped(out, "local commands=(", commands);
    wrapped(out, "local options=(", options);
    wrapped(out, "local -A takes=(", takes);
    wrapped(out, "local -A long_of=(", long_of);
    wrapped(out, "local -A choices=(", choices);
}

}  // namespace

int main(int argc, char** argv) {
    const std::string_view what = argc == 2 ? argv[1] : "";
    if (what == "man-options") {
        man_options(std::cout);
    } else if (what == "bash-options") {
        bash_options(std::cout);
    } else if (what == "man-rules") {
        zaudit::report::render_rules(zaudit::report::RulesFormat::man, std::cout);
    } else {
        std::cerr << "usage: zaudit-docs man-options|man-rules|bash-options\n";
        return 2;
    }
    return 0;
}
