#include <catch2/catch.hpp>

#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include "zaudit/util/timestamp.hpp"

using zaudit::util::parse_rfc3339;
using zaudit::util::Timestamp;
using zaudit::util::to_rfc3339;

namespace {

constexpr std::int64_t k_second = 1'000'000;

}  // namespace

TEST_CASE("RFC 3339 times are read as UTC microseconds") {
    CHECK(parse_rfc3339("1970-01-01T00:00:00Z") == Timestamp{0});
    CHECK(parse_rfc3339("2000-01-01T00:00:00Z") == Timestamp{946'684'800 * k_second});
    CHECK(parse_rfc3339("2026-03-01T10:00:00.5Z") == Timestamp{1'772'359'200 * k_second + 500'000});
    CHECK(parse_rfc3339("1969-12-31T23:59:59Z") == Timestamp{-k_second});
}

TEST_CASE("RFC 3339 offsets are east of UTC, and 't', 'z' and a space are accepted") {
    const auto utc = parse_rfc3339("2026-03-01T10:00:00Z");
    REQUIRE(utc);
    CHECK(parse_rfc3339("2026-03-01T11:00:00+01:00") == utc);
    CHECK(parse_rfc3339("2026-03-01T04:30:00-05:30") == utc);
    CHECK(parse_rfc3339("2026-03-01t10:00:00z") == utc);
    CHECK(parse_rfc3339("2026-03-01 10:00:00+00:00") == utc);
}

TEST_CASE("RFC 3339 fractions beyond microseconds are dropped, and every report time reads back") {
    CHECK(parse_rfc3339("2026-03-01T10:00:00.123456789Z")->micros % k_second == 123456);
    for (const std::int64_t micros :
         {std::int64_t{0}, std::int64_t{1'772'359'200'123'456}, std::int64_t{951'782'400'000'001}}) {
        CHECK(parse_rfc3339(to_rfc3339(Timestamp{micros})) == Timestamp{micros});
    }
}

TEST_CASE("RFC 3339: no zone, impossible dates and leap seconds are refused") {
    CHECK(parse_rfc3339("2024-02-29T00:00:00Z"));  // a leap year
    for (const char* bad : {"2026-03-01T10:00:00", "2026-03-01T10:00Z", "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
                            "2026-04-31T00:00:00Z", "2026-03-01T24:00:00Z", "2026-03-01T10:60:00Z",
                            "2026-03-01T10:00:60Z", "2026-03-01T10:00:00.Z", "2026-03-01T10:00:00+1:00",
                            "2026-03-01T10:00:00+01:00 ", "26-03-01T10:00:00Z", "2026-03-01X10:00:00Z", ""}) {
        INFO(bad);
        CHECK_FALSE(parse_rfc3339(bad));
    }
}

TEST_CASE("RFC 3339 output agrees with gmtime_r from year 1 to 9999 and beyond") {
    // to_rfc3339 computes years 1-9999 without gmtime_r: gmtime_r is the reference here.
    const auto reference = [](std::int64_t micros) {
        std::int64_t seconds = micros / k_second;
        std::int64_t fraction = micros % k_second;
        if (fraction < 0) {
            fraction += k_second;
            --seconds;
        }
        const auto as_time = static_cast<std::time_t>(seconds);
        std::tm utc{};
        gmtime_r(&as_time, &utc);
        char text[64];
        std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", utc.tm_year + 1900, utc.tm_mon + 1,
                      utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<long long>(fraction));
        return std::string{text};
    };
    std::vector<std::int64_t> cases{0,
                                    -1,
                                    1,
                                    -k_second,
                                    951'782'400 * k_second,          // 2000-02-29
                                    4'107'542'400 * k_second - 1,    // just before 2100-03-01
                                    -62'135'596'800 * k_second,      // 0001-01-01, the first year done by arithmetic
                                    -62'135'596'800 * k_second - 1,  // the last microsecond of year 0: gmtime_r
                                    253'402'300'799 * k_second + 999'999,  // 9999-12-31T23:59:59.999999
                                    253'402'300'800 * k_second,            // 10000-01-01: gmtime_r
                                    4'294'967'295 * k_second};             // pcap's largest second
    std::uint64_t state = 0x9e3779b97f4a7c15ULL;
    for (int i = 0; i < 2000; ++i) {  // spread over years 1-9999 and a little beyond
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        cases.push_back(static_cast<std::int64_t>(state % 320'000'000'000'000'000ULL) - 63'000'000'000'000'000LL);
    }
    for (const std::int64_t micros : cases) {
        INFO(micros);
        CHECK(to_rfc3339(Timestamp{micros}) == reference(micros));
    }
}
