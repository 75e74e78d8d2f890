#pragma once
/// \file Calls: one per SIP dialog, with its offers and answers and the media bound to it.

#include <cstdint>
#include <string>
#include <vector>

#include "zaudit/util/timestamp.hpp"

namespace zaudit::session {

struct Call {
    std::uint32_t id = 0;
    std::string call_id;
    std::string from;
    std::string to;
    util::Timestamp start;
    util::Timestamp end;
    std::string transport;  ///< "udp", "tcp", "tls"
    bool tls = false;
    std::vector<std::uint32_t> media;  ///< MediaStream ids
    std::vector<std::uint64_t> frames;  ///< SIP frames of the dialog
};

}  // namespace zaudit::session
