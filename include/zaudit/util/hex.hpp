#pragma once
/// \file Hex encoding for evidence and fixtures.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zaudit/util/byte_reader.hpp"

namespace zaudit::util {

/// Lower-case hex, no separators.
std::string to_hex(Bytes bytes);
/// Parses hex, ignoring spaces, colons and newlines (so fixtures can be laid out like a dump).
std::optional<std::vector<std::uint8_t>> from_hex(std::string_view text);
/// Base64 (RFC 4648, for SDES inline keys); nullopt on bad input.
std::optional<std::vector<std::uint8_t>> from_base64(std::string_view text);
std::string to_base64(Bytes bytes);

}  // namespace zaudit::util
