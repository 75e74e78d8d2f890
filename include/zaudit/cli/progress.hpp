#pragma once
/// \file The progress line a long read shows on a terminal: frames, share read, rate and time
/// left. The wording is a pure function of the counts, so it is tested without a terminal or
/// a clock; audit.cpp decides when to print it (throttled, stderr a terminal, not --quiet).

#include <cstdint>
#include <string>

namespace zaudit::cli {

/// How far a read has come. `bytes_total` is 0 when the size is unknown (standard input, a live
/// interface): the line then has no share read and no time left.
struct ProgressCounts {
    std::uint64_t frames = 0;
    std::uint64_t bytes_done = 0;
    std::uint64_t bytes_total = 0;
    double elapsed_seconds = 0;  ///< wall-clock time since the read began
};

/// "zaudit: 1234567 frames, 42%, 85.3 MB/s, 310000 frames/s, 0:12 left" (MB are 10^6 bytes).
/// Rates appear once some time has passed, the time left once some bytes of a known total are
/// read. No carriage return or erase sequence: the caller owns the terminal.
std::string progress_line(const ProgressCounts& counts);

/// "0:07", "12:05", "1:02:03": whole seconds as a terminal clock shows them (rounded up, so
/// the count never reads 0:00 while work is left).
std::string clock_text(double seconds);

}  // namespace zaudit::cli
