#pragma once
/// \file Capture timestamps: microseconds since the Unix epoch, from the capture, never the clock.

#include <compare>
#include <cstdint>
#include <string>

namespace zaudit::util {

struct Timestamp {
    std::int64_t micros = 0;                             ///< microseconds since 1970-01-01T00:00:00Z
    auto operator<=>(const Timestamp&) const = default;  // NOLINT(modernize-use-nullptr): v14 bug
    [[nodiscard]] double seconds() const { return static_cast<double>(micros) / 1e6; }
};

/// RFC 3339 UTC with microseconds: "2026-11-27T06:53:00.000000Z".
std::string to_rfc3339(Timestamp t);

}  // namespace zaudit::util
