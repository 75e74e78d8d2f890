#pragma once
/// \file A ZRTP handshake between two endpoints, as far as the capture shows it.

#include <cstdint>
#include <optional>

#include "zaudit/util/address.hpp"

namespace zaudit::session {

struct ZrtpHandshake {
    std::uint32_t id = 0;
    std::uint32_t flow = 0;
    std::optional<std::uint32_t> call;
};

}  // namespace zaudit::session
