#include <catch2/catch.hpp>

#include "zaudit/cli/progress.hpp"

using zaudit::cli::clock_text;
using zaudit::cli::progress_line;
using zaudit::cli::ProgressCounts;

TEST_CASE("the progress line gives frames, share read, rates and the time left") {
    // 40 MB of 100 MB in 2 s: 20 MB/s, so the 60 MB left take 3 s.
    const ProgressCounts counts{500000, 40'000'000, 100'000'000, 2.0};
    CHECK(progress_line(counts) == "zaudit: 500000 frames, 40%, 20.0 MB/s, 250000 frames/s, 0:03 left");
}

TEST_CASE("the progress line leaves out the rates until a rate means something") {
    CHECK(progress_line({4096, 1'000'000, 100'000'000, 0.05}) == "zaudit: 4096 frames, 1%");
    CHECK(progress_line({0, 0, 100'000'000, 0.0}) == "zaudit: 0 frames, 0%");
}

TEST_CASE("the progress line of an input of unknown size has no share and no time left") {
    // Standard input and live interfaces: the reader knows no total.
    CHECK(progress_line({8192, 3'000'000, 0, 1.5}) == "zaudit: 8192 frames, 2.0 MB/s, 5461 frames/s");
    CHECK(progress_line({8192, 0, 0, 1.5}) == "zaudit: 8192 frames, 5461 frames/s");
}

TEST_CASE("the progress line shows 100% only when everything is read, and then no time left") {
    CHECK(progress_line({10, 999'999, 1'000'000, 1.0}) == "zaudit: 10 frames, 99%, 1.0 MB/s, 10 frames/s, 0:01 left");
    CHECK(progress_line({10, 1'000'000, 1'000'000, 1.0}) == "zaudit: 10 frames, 100%, 1.0 MB/s, 10 frames/s");
}

TEST_CASE("times left read as a terminal clock, rounded up") {
    CHECK(clock_text(0) == "0:00");
    CHECK(clock_text(0.2) == "0:01");
    CHECK(clock_text(59.5) == "1:00");
    CHECK(clock_text(725) == "12:05");
    CHECK(clock_text(3723) == "1:02:03");
    CHECK(clock_text(-3) == "0:00");
    CHECK(clock_text(1e30) == "99:00:00");  // clamped, not undefined
}
