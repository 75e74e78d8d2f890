#pragma once
/// \file Capture timestamps: microseconds since the Unix epoch, from the capture, never the clock.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace zaudit::util {

struct Timestamp {
    std::int64_t micros = 0;                             ///< microseconds since 1970-01-01T00:00:00Z
    auto operator<=>(const Timestamp&) const = default;  // NOLINT(modernize-use-nullptr): v14 bug
    [[nodiscard]] double seconds() const { return static_cast<double>(micros) / 1e6; }
};

/// RFC 3339 UTC with microseconds: "2026-11-27T06:53:00.000000Z".
std::string to_rfc3339(Timestamp t);

/// An RFC 3339 date-time as a person types it: "2026-03-01T10:00:00Z", "2026-03-01T11:00:00.25+01:00"
/// ('t' or a space for the 'T', 'z' for the 'Z'). The zone is required: a time without one would
/// mean the reader's local time, which a capture from another place does not share. Digits of
/// the fraction beyond microseconds are dropped; a leap second (:60) is refused, as capture
/// timestamps cannot hold one. nullopt for anything else.
std::optional<Timestamp> parse_rfc3339(std::string_view text);

}  // namespace zaudit::util
