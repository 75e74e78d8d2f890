#pragma once
/// \file The command line's options: one table read by `zaudit --help`, the parser, the man
/// page's OPTIONS section and the bash completion (zaudit-docs), so they cannot disagree.

#include <string_view>
#include <vector>

#include <boost/program_options/options_description.hpp>

namespace zaudit::cli {

/// Every option zaudit accepts, with its value name, default and description.
boost::program_options::options_description option_descriptions();

/// The commands, as the first word of a command line takes them ("audit" is also the default).
std::vector<std::string_view> command_names();

/// An option whose value is one of a fixed list: the values the parser accepts, in the order
/// --help lists them. `command` is the command the list is for, or empty for the others.
struct ValueChoices {
    std::string_view option;  ///< the long name, without dashes
    std::string_view command;
    std::vector<std::string_view> values;
};
std::vector<ValueChoices> value_choices();

}  // namespace zaudit::cli
