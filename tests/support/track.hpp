#pragma once
// Runs the session tracker over a capture built in memory, frame by frame as the reader would
// hand them over, and returns the model.

#include <cstdint>
#include <utility>

#include "zaudit/capture/frame.hpp"
#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/session/tracker.hpp"

namespace zaudit::test {

inline session::Model track(const gen::CaptureBuilder& capture, const session::Limits& limits = {},
                            session::UserHints hints = {}) {
    session::Tracker tracker{limits, std::move(hints)};
    std::uint64_t number = 0;
    for (const auto& g : capture.frames()) {
        tracker.on_frame(
            capture::Frame{++number, g.time, g.bytes, static_cast<std::uint32_t>(g.bytes.size()), g.link_type, 0});
    }
    return std::move(tracker).finish({}, false);
}

}  // namespace zaudit::test
