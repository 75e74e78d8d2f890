#include "zaudit/cli/progress.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace zaudit::cli {
namespace {

/// Below this much elapsed time a rate is noise (the first read-ahead, the page cache).
constexpr double k_min_seconds_for_rate = 0.2;

}  // namespace

std::string clock_text(double seconds) {
    if (!(seconds > 0)) {  // also NaN
        return "0:00";
    }
    // A day of work left is as good as "a long time"; the clamp keeps the cast defined.
    const auto whole = static_cast<std::uint64_t>(std::ceil(std::min(seconds, 99.0 * 3600)));
    const std::uint64_t hours = whole / 3600;
    const std::uint64_t minutes = whole / 60 % 60;
    const std::uint64_t secs = whole % 60;
    return hours > 0 ? fmt::format("{}:{:02}:{:02}", hours, minutes, secs) : fmt::format("{}:{:02}", minutes, secs);
}

std::string progress_line(const ProgressCounts& counts) {
    std::string line = fmt::format("zaudit: {} frames", counts.frames);
    const bool known_size = counts.bytes_total > 0;
    if (known_size) {
        const double share = static_cast<double>(std::min(counts.bytes_done, counts.bytes_total)) /
                             static_cast<double>(counts.bytes_total);
        line += fmt::format(", {:.0f}%", std::floor(share * 100));  // floor: 100% only when all is read
    }
    if (counts.elapsed_seconds < k_min_seconds_for_rate) {
        return line;
    }
    const double bytes_per_second = static_cast<double>(counts.bytes_done) / counts.elapsed_seconds;
    if (counts.bytes_done > 0) {
        line += fmt::format(", {:.1f} MB/s", bytes_per_second / 1e6);
    }
    line += fmt::format(", {:.0f} frames/s", static_cast<double>(counts.frames) / counts.elapsed_seconds);
    if (known_size && counts.bytes_done > 0 && counts.bytes_done < counts.bytes_total) {
        // The average since the start: steadier than the last interval's, and honest about
        // the page cache having served the first megabytes faster.
        const double left = static_cast<double>(counts.bytes_total - counts.bytes_done) / bytes_per_second;
        line += fmt::format(", {} left", clock_text(left));
    }
    return line;
}

}  // namespace zaudit::cli
