#include "zaudit/cli/start_order.hpp"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <numeric>
#include <system_error>

namespace zaudit::cli {

std::vector<std::size_t> largest_first(const std::vector<std::optional<std::uint64_t>>& sizes) {
    std::vector<std::size_t> order(sizes.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    // An unknown size ranks above every known one.
    const auto rank = [&](std::size_t i) { return sizes[i].value_or(std::numeric_limits<std::uint64_t>::max()); };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rank(a) > rank(b); });
    return order;
}

std::optional<std::uint64_t> input_size(const std::vector<capture::Source>& sources) {
    std::uint64_t total = 0;
    for (const auto& source : sources) {
        if (!source.interface.empty() || source.path == "-") {
            return std::nullopt;
        }
        std::error_code error;
        const auto size = std::filesystem::file_size(source.path, error);
        if (error) {
            return std::nullopt;
        }
        total += size;
    }
    return total;
}

}  // namespace zaudit::cli
