#include "zaudit/util/timestamp.hpp"

#include <array>
#include <chrono>
#include <ctime>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace zaudit::util {
namespace {

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
    year -= month <= 2 ? 1 : 0;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto year_of_era = static_cast<unsigned>(year - era * 400);                            // [0, 399]
    const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;  // [0, 365]
    const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

unsigned days_in_month(unsigned year, unsigned month) {
    constexpr std::array<unsigned, 12> k_days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : k_days[month - 1];
}

/// Reads exactly `width` decimal digits at `at`, advancing it; nullopt otherwise.
std::optional<unsigned> digits(std::string_view text, std::size_t& at, std::size_t width) {
    if (at + width > text.size()) {
        return std::nullopt;
    }
    unsigned value = 0;
    for (std::size_t i = 0; i < width; ++i) {
        const char c = text[at + i];
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    at += width;
    return value;
}

bool expect(std::string_view text, std::size_t& at, std::string_view one_of) {
    if (at < text.size() && one_of.find(text[at]) != std::string_view::npos) {
        ++at;
        return true;
    }
    return false;
}

}  // namespace

std::string to_rfc3339(Timestamp t) {
    std::int64_t seconds = t.micros / 1'000'000;
    std::int64_t micros = t.micros % 1'000'000;
    if (micros < 0) {
        micros += 1'000'000;
        --seconds;
    }
    // Years 1 to 9999 by calendar arithmetic (std::chrono's civil dates, proleptic Gregorian as
    // gmtime_r is): gmtime_r takes glibc's time zone lock and every item of a JSON report carries
    // a few of these times, built on two threads. Other years keep gmtime_r's answer.
    constexpr std::int64_t k_year_1 = -62'135'596'800;           // 0001-01-01T00:00:00Z
    constexpr std::int64_t k_after_year_9999 = 253'402'300'800;  // 10000-01-01T00:00:00Z
    if (seconds >= k_year_1 && seconds < k_after_year_9999) {
        const std::chrono::sys_seconds at{std::chrono::seconds{seconds}};
        const auto day = std::chrono::floor<std::chrono::days>(at);
        const std::chrono::year_month_day date{day};
        const std::chrono::hh_mm_ss time{at - day};
        return fmt::format(FMT_COMPILE("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z"), static_cast<int>(date.year()),
                           static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), time.hours().count(),
                           time.minutes().count(), time.seconds().count(), micros);
    }
    const auto as_time = static_cast<std::time_t>(seconds);
    std::tm utc{};
    gmtime_r(&as_time, &utc);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                       utc.tm_hour, utc.tm_min, utc.tm_sec, micros);
}

}  // namespace zaudit::util

namespace zaudit::util {

std::optional<Timestamp> parse_rfc3339(std::string_view text) {
    std::size_t at = 0;
    const auto year = digits(text, at, 4);
    if (!year || !expect(text, at, "-")) return std::nullopt;
    const auto month = digits(text, at, 2);
    if (!month || !expect(text, at, "-")) return std::nullopt;
    const auto day = digits(text, at, 2);
    if (!day || !expect(text, at, "Tt ")) return std::nullopt;
    const auto hour = digits(text, at, 2);
    if (!hour || !expect(text, at, ":")) return std::nullopt;
    const auto minute = digits(text, at, 2);
    if (!minute || !expect(text, at, ":")) return std::nullopt;
    const auto second = digits(text, at, 2);
    if (!second || *month < 1 || *month > 12 || *day < 1 || *day > days_in_month(*year, *month) || *hour > 23 ||
        *minute > 59 || *second > 59) {
        return std::nullopt;
    }
    std::int64_t micros = 0;
    if (expect(text, at, ".")) {
        const std::size_t first = at;
        std::int64_t scale = 100'000;
        for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at) {
            micros += scale * (text[at] - '0');
            scale /= 10;
        }
        if (at == first) return std::nullopt;
    }
    std::int64_t offset_minutes = 0;
    if (!expect(text, at, "Zz")) {
        const bool east = at < text.size() && text[at] == '+';
        if (!expect(text, at, "+-")) return std::nullopt;
        const auto offset_hours = digits(text, at, 2);
        if (!offset_hours || !expect(text, at, ":")) return std::nullopt;
        const auto offset_mins = digits(text, at, 2);
        if (!offset_mins || *offset_hours > 23 || *offset_mins > 59) return std::nullopt;
        offset_minutes = (east ? 1 : -1) * static_cast<std::int64_t>(*offset_hours * 60 + *offset_mins);
    }
    if (at != text.size()) {
        return std::nullopt;
    }
    // The local time minus its offset east of UTC is UTC.
    const std::int64_t time_of_day = std::int64_t{*hour} * 3600 + std::int64_t{*minute} * 60 + *second;
    const std::int64_t seconds = days_from_civil(*year, *month, *day) * 86400 + time_of_day - offset_minutes * 60;
    return Timestamp{seconds * 1'000'000 + micros};
}

}  // namespace zaudit::util
