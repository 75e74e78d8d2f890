#include <catch2/catch.hpp>

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
