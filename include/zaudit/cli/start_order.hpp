#pragma once
/// \file The order in which inputs audited on their own start under --jobs.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "zaudit/capture/reader.hpp"

namespace zaudit::cli {

/// Input indices, largest input first (longest processing time first): the inputs that start
/// last are the small ones, so no core waits at the end for a big input that began late.
/// `sizes` holds each input's size in bytes, or nullopt where it is not known beforehand (stdin,
/// an interface): those start first, as they may be the longest. Equal sizes keep input order.
/// The report does not depend on this order: results are put back in input order.
std::vector<std::size_t> largest_first(const std::vector<std::optional<std::uint64_t>>& sizes);

/// What largest_first needs of each group of sources: its files' bytes in all, or nullopt when
/// one of them has no size to read (stdin, an interface, a path that does not stat).
std::optional<std::uint64_t> input_size(const std::vector<capture::Source>& sources);

}  // namespace zaudit::cli
