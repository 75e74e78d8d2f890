#include "zaudit/util/timestamp.hpp"

#include <ctime>

#include <fmt/format.h>

namespace zaudit::util {

std::string to_rfc3339(Timestamp t) {
    std::int64_t seconds = t.micros / 1'000'000;
    std::int64_t micros = t.micros % 1'000'000;
    if (micros < 0) {
        micros += 1'000'000;
        --seconds;
    }
    const auto as_time = static_cast<std::time_t>(seconds);
    std::tm utc{};
    gmtime_r(&as_time, &utc);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                       utc.tm_hour, utc.tm_min, utc.tm_sec, micros);
}

}  // namespace zaudit::util
