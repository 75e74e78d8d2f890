#pragma once
/// \file Narrowing an audit to the calls or the time an analyst asks about (--calls, --since,
/// --until). The audit itself stays whole: every packet is read and every rule judges the whole
/// model, so no finding changes because of what is left out (a call cut in half by a window
/// would look like a call without its keys). Narrowing then keeps the calls asked for, what is
/// bound to them and the findings about them, as a smaller copy, and counts what it left out,
/// so that a report can say it was narrowed and never pass for a whole one.
///
/// What is kept:
///   - a call when an item of --calls names it (if any are given) and its span, first to last
///     SIP message or media packet, overlaps the window [since, until);
///   - a media stream or ZRTP handshake when it is bound to a kept call; one bound to no call
///     when nothing is narrowed by call and its span overlaps the window;
///   - a flow when it carries a kept stream or handshake, or the SIP of a kept call (both its
///     ends are addresses of one of that call's messages); any flow overlapping the window when
///     nothing is narrowed by call;
///   - a finding when it is about a kept call; one about no call when it is about a kept
///     stream; one about neither (a REGISTER's credentials, a handshake without a call) only
///     when nothing is narrowed by call and one of its frames is a frame whose time the model
///     knows (a SIP message, a credential, a ZRTP message or event, a stream's or flow's first
///     or last packet) inside the window. Counted findings about summarised dialogs speak for
///     the whole input and are left out of any narrowed report.
/// The inputs, frame count and decode counters stay those of the whole input: it was read whole.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zaudit/analysis/finding.hpp"
#include "zaudit/session/model.hpp"
#include "zaudit/util/expected.hpp"
#include "zaudit/util/timestamp.hpp"

namespace zaudit::analysis {

/// One item of --calls: a call's number as reports show it, or a SIP Call-ID.
struct CallSelector {
    std::string text;                     ///< as given
    std::optional<std::uint32_t> number;  ///< set when the item is all digits: session::Call::id
    /// Whether this item names `call`: by number when it is one, else by Call-ID, byte for byte.
    [[nodiscard]] bool names(const session::Call& call) const;
};

/// The comma-separated items of one --calls value ("3,a84b4c76e66710@pc33.example.com"). An item
/// of digits only is a call number (a Call-ID of digits only is named by its number). An empty
/// item, or a number that is 0 or beyond any call id, is an error saying so.
util::Expected<std::vector<CallSelector>> parse_call_selectors(std::string_view list);

/// One end of the time window.
struct TimeBound {
    bool from_first_packet = false;  ///< "+SECONDS": relative to the first packet of the audit
    std::int64_t micros = 0;         ///< since the epoch, or since that first packet
    /// As reports give it: RFC 3339 in UTC with microseconds (as every report time), or "+90",
    /// "+1.5" (seconds, trailing zeros dropped).
    [[nodiscard]] std::string text() const;
    /// The instant it stands for in an audit whose first packet came at `first_packet`.
    [[nodiscard]] util::Timestamp at(util::Timestamp first_packet) const;
};

/// An RFC 3339 time with its zone (util::parse_rfc3339), or "+SECONDS" after the first packet
/// (decimal, at most six digits of fraction); an error says which forms are accepted.
util::Expected<TimeBound> parse_time_bound(std::string_view text);

struct Narrowing {
    std::vector<CallSelector> calls;  ///< none: calls are not narrowed by number or Call-ID
    std::optional<TimeBound> since;   ///< the window's start, included
    std::optional<TimeBound> until;   ///< its end, excluded: an hour's window ends where the next begins
    [[nodiscard]] bool by_call() const { return !calls.empty(); }
    [[nodiscard]] bool by_time() const { return since.has_value() || until.has_value(); }
    [[nodiscard]] bool active() const { return by_call() || by_time(); }
};

/// How many of one kind of thing a narrowing kept, of how many.
struct KeptOf {
    std::size_t kept = 0;
    std::size_t total = 0;
};

struct NarrowingCounts {
    KeptOf calls;
    KeptOf media;
    KeptOf handshakes;
    KeptOf flows;
    KeptOf findings;
    NarrowingCounts& operator+=(const NarrowingCounts& other);
};

/// One audit, narrowed.
struct NarrowedAudit {
    session::Model model;           ///< ids as in the whole model: a kept call keeps its number
    std::vector<Finding> findings;  ///< in their order
    NarrowingCounts counts;
    /// Per item of Narrowing::calls: it names a call of this audit (whether or not the window
    /// then kept it).
    std::vector<bool> matched;
    /// The window overlaps this audit's packets (first to last) and is not empty; false for an
    /// audit without packets. Always true without a window.
    bool window_meets_capture = true;
};

/// Narrows one audit (a model and the findings judged on it, whole). Without an active
/// narrowing, everything is kept.
NarrowedAudit narrow(session::Model model, std::vector<Finding> findings, const Narrowing& narrowing);

}  // namespace zaudit::analysis
