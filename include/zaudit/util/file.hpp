#pragma once
/// \file Whole small files the user names (a baseline, a config), read at once.

#include <string>
#include <string_view>

#include "zaudit/util/expected.hpp"

namespace zaudit::util {

/// The bytes of the file at `path`; the error says "PATH: cannot read the WHAT".
Expected<std::string> read_small_file(const std::string& path, std::string_view what);

}  // namespace zaudit::util
