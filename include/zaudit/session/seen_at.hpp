#pragma once
/// \file Where and when a message was seen, as evidence cites it.

#include <cstdint>

#include "zaudit/util/address.hpp"
#include "zaudit/util/timestamp.hpp"

namespace zaudit::session {

/// The frame a message came in, its capture time and its addresses.
struct SeenAt {
    std::uint64_t frame = 0;
    util::Timestamp time;
    util::Endpoint src;
    util::Endpoint dst;
};

}  // namespace zaudit::session
