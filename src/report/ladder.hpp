#pragma once
// The HTML report's call ladder (ladder.cpp): the rows of what the capture shows of one call, and
// their SVG. Private to the report area, shared with html.cpp.

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "zaudit/report/report.hpp"

namespace zaudit::report {

/// How many ladder rows a call shows without --verbose: a call re-keyed every minute for a day
/// must not make a page no browser can lay out.
inline constexpr std::size_t ladder_rows_shown = 200;

/// Text from a capture for HTML (html.cpp): control bytes and invalid UTF-8 made visible
/// (util::printable), then the characters HTML gives meaning to, in text and in quoted
/// attributes alike.
std::string html_captured(std::string_view captured);

/// How a protection reads in the page: "plain RTP", "SRTP (SDES)"...
std::string protection_name(session::Protection protection);

/// Element ids: an audit's findings, calls and ladder arrows, unique in the page.
inline std::string finding_anchor(std::size_t audit, std::size_t finding) {
    return fmt::format("a{}-finding-{}", audit + 1, finding + 1);
}
inline std::string call_anchor(std::size_t audit, std::uint32_t call) {
    return fmt::format("a{}-call-{}", audit + 1, call);
}
inline std::string arrow_anchor(std::size_t audit, std::uint32_t call, std::uint64_t frame) {
    return fmt::format("a{}-call-{}-frame-{}", audit + 1, call, frame);
}

/// One row of a call's ladder: a message or packet from one node to another, or a note.
struct LadderRow {
    enum class Kind : std::uint8_t { sip, zrtp, media, note };
    std::uint64_t frame = 0;
    util::Timestamp time;
    util::IpAddress from;
    util::IpAddress to;
    Kind kind = Kind::note;
    std::string label;  ///< raw: escaped when drawn
    int order = 0;      ///< within one frame: SIP, then ZRTP, then media
};

/// Everything the capture shows of one call, in frame order.
std::vector<LadderRow> ladder_rows(const session::Model& model, const session::Call& call);

/// The findings of one call that name frames, by frame, worst first: the first arrow of such a
/// frame links to the worst, and is red when that is medium or worse.
using FramesCited = std::map<std::uint64_t, std::vector<std::size_t>>;
/// FramesCited of every call of an audit, built once (a page of many calls stays n log n).
std::unordered_map<std::uint32_t, FramesCited> frames_cited_by_call(const std::vector<analysis::Finding>& findings);

/// The call's ladder as SVG: one lane per path node, one row per LadderRow (the first
/// ladder_rows_shown without --verbose), each titled with its frame.
void render_ladder(const InputAudit& audit, std::size_t audit_index, const session::Call& call,
                   const std::vector<LadderRow>& rows, const FramesCited& cited, const RenderOptions& options,
                   std::ostream& out);

}  // namespace zaudit::report
