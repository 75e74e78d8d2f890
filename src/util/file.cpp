#include "zaudit/util/file.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace zaudit::util {

Expected<std::string> read_small_file(const std::string& path, std::string_view what) {
    std::ifstream in{path, std::ios::binary};
    if (!in) {
        return Error{fmt::format("{}: cannot read the {}", path, what)};
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
        return Error{fmt::format("{}: cannot read the {}", path, what)};
    }
    return text.str();
}

}  // namespace zaudit::util
