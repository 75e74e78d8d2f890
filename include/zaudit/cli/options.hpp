#pragma once
/// \file The command line's options: one table read by `zaudit --help`, the parser, and the man
/// page's OPTIONS section (zaudit-docs), so the three cannot disagree.

#include <boost/program_options/options_description.hpp>

namespace zaudit::cli {

/// Every option zaudit accepts, with its value name, default and description.
boost::program_options::options_description option_descriptions();

}  // namespace zaudit::cli
