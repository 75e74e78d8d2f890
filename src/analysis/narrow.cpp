#include "zaudit/analysis/narrow.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "zaudit/util/escape.hpp"
#include "zaudit/util/text.hpp"

namespace zaudit::analysis {
namespace {

constexpr std::int64_t k_micros_per_second = 1'000'000;

/// The window of one audit, its relative ends resolved against its first packet.
struct Window {
    std::optional<util::Timestamp> since;
    std::optional<util::Timestamp> until;
    [[nodiscard]] bool overlaps(util::Timestamp first, util::Timestamp last) const {
        return (!since || last >= *since) && (!until || first < *until);
    }
    [[nodiscard]] bool contains(util::Timestamp t) const { return overlaps(t, t); }
    [[nodiscard]] bool empty() const { return since && until && *since >= *until; }
};

/// The first and last packet of an audit, over its inputs; nullopt when none has a packet.
std::optional<std::pair<util::Timestamp, util::Timestamp>> packet_span(const session::Model& model) {
    std::optional<std::pair<util::Timestamp, util::Timestamp>> span;
    for (const capture::InputInfo& input : model.inputs) {
        if (!input.first_time || !input.last_time) {
            continue;
        }
        span = span ? std::pair{std::min(span->first, *input.first_time), std::max(span->second, *input.last_time)}
                    : std::pair{*input.first_time, *input.last_time};
    }
    return span;
}

/// The capture times the model knows for single frames, to place in time a finding that is
/// about no call and no stream. Built only when such a finding meets a time window.
std::unordered_map<std::uint64_t, util::Timestamp> known_frame_times(const session::Model& model) {
    std::unordered_map<std::uint64_t, util::Timestamp> times;
    for (const session::Call& call : model.calls) {
        for (const session::SipEvent& message : call.messages) {
            times.emplace(message.frame, message.time);
        }
    }
    for (const session::CredentialUse& use : model.credentials) {
        times.emplace(use.seen.frame, use.seen.time);
    }
    for (const session::ZrtpHandshake& handshake : model.handshakes) {
        for (const auto* records : {&handshake.messages, &handshake.variants}) {
            for (const session::ZrtpMessageRecord& record : *records) {
                times.emplace(record.frame, record.time);
            }
        }
        for (const session::ZrtpEvent& event : handshake.events) {
            times.emplace(event.frame, event.time);
        }
    }
    for (const session::DtlsHandshake& handshake : model.dtls_handshakes) {
        for (const session::DtlsCertificate& certificate : handshake.certificates) {
            times.emplace(certificate.frame, certificate.time);
        }
    }
    for (const session::MediaStream& stream : model.media) {
        times.emplace(stream.first_frame, stream.first_time);
        times.emplace(stream.last_frame, stream.last_time);
    }
    for (const session::FlowRecord& flow : model.flows) {
        times.emplace(flow.first_frame, flow.first_time);
        times.emplace(flow.last_frame, flow.last_time);
    }
    return times;
}

/// Keeps the items `keep` says yes to, in order, and counts them.
template <typename Items, typename Keep>
void keep_only(Items& items, KeptOf& counts, Keep keep) {
    counts.total = items.size();
    std::erase_if(items, [&](const auto& item) { return !keep(item); });
    counts.kept = items.size();
}

/// An endpoint pair in one order, whichever way a message went.
using EndpointPair = std::pair<util::Endpoint, util::Endpoint>;
EndpointPair unordered(const util::Endpoint& a, const util::Endpoint& b) {
    return a < b ? EndpointPair{a, b} : EndpointPair{b, a};
}

}  // namespace

bool CallSelector::names(const session::Call& call) const {
    return number ? call.id == *number : call.call_id == text;
}

util::Expected<std::vector<CallSelector>> parse_call_selectors(std::string_view list) {
    std::vector<CallSelector> selectors;
    for (;;) {
        const std::size_t comma = list.find(',');
        const std::string_view item = list.substr(0, comma);
        if (item.empty()) {
            return util::Error{"--calls needs call numbers or Call-IDs separated by commas, without empty items"};
        }
        CallSelector selector{std::string{item}, std::nullopt};
        if (std::all_of(item.begin(), item.end(), util::is_digit)) {
            selector.number = util::parse_unsigned<std::uint32_t>(item);
            if (!selector.number || *selector.number == 0) {
                return util::Error{fmt::format("--calls {}: calls are numbered from 1 (as reports number them)",
                                               util::printable(item))};
            }
        }
        selectors.push_back(std::move(selector));
        if (comma == std::string_view::npos) {
            return selectors;
        }
        list.remove_prefix(comma + 1);
    }
}

std::string TimeBound::text() const {
    if (!from_first_packet) {
        return util::to_rfc3339(util::Timestamp{micros});
    }
    std::string fraction = fmt::format("{:06}", micros % k_micros_per_second);
    while (!fraction.empty() && fraction.back() == '0') {
        fraction.pop_back();
    }
    return fmt::format("+{}{}{}", micros / k_micros_per_second, fraction.empty() ? "" : ".", fraction);
}

util::Timestamp TimeBound::at(util::Timestamp first_packet) const {
    return from_first_packet ? util::Timestamp{first_packet.micros + micros} : util::Timestamp{micros};
}

util::Expected<TimeBound> parse_time_bound(std::string_view text) {
    const auto refuse = [&] {
        return util::Error{fmt::format(
            "'{}' is neither an RFC 3339 time with its zone (2026-03-01T10:00:00Z, 2026-03-01T11:00:00.5+01:00) nor "
            "seconds after the first packet (+90, +1.5)",
            util::printable(text.substr(0, 80)))};
    };
    if (!text.empty() && text.front() == '+') {
        const std::string_view number = text.substr(1);
        const std::size_t dot = number.find('.');
        const std::string_view whole = number.substr(0, dot);
        const std::string_view fraction = dot == std::string_view::npos ? std::string_view{} : number.substr(dot + 1);
        // Ten digits of seconds are three centuries: enough for any capture, and no overflow.
        const auto seconds = whole.size() <= 10 ? util::parse_unsigned<std::int64_t>(whole) : std::nullopt;
        if (!seconds ||
            (dot != std::string_view::npos && (fraction.empty() || fraction.size() > 6 ||
                                               !std::all_of(fraction.begin(), fraction.end(), util::is_digit)))) {
            return refuse();
        }
        std::int64_t micros = 0;
        for (std::size_t i = 0; i < 6; ++i) {
            micros = micros * 10 + (i < fraction.size() ? fraction[i] - '0' : 0);
        }
        return TimeBound{true, *seconds * k_micros_per_second + micros};
    }
    const auto instant = util::parse_rfc3339(text);
    if (!instant) {
        return refuse();
    }
    return TimeBound{false, instant->micros};
}

NarrowingCounts& NarrowingCounts::operator+=(const NarrowingCounts& other) {
    for (auto [into, from] :
         {std::pair{&calls, &other.calls}, std::pair{&media, &other.media}, std::pair{&handshakes, &other.handshakes},
          std::pair{&flows, &other.flows}, std::pair{&findings, &other.findings}}) {
        into->kept += from->kept;
        into->total += from->total;
    }
    return *this;
}

NarrowedAudit narrow(session::Model model, std::vector<Finding> findings, const Narrowing& narrowing) {
    NarrowedAudit out;
    if (!narrowing.active()) {
        out.counts = {{model.calls.size(), model.calls.size()},
                      {model.media.size(), model.media.size()},
                      {model.handshakes.size(), model.handshakes.size()},
                      {model.flows.size(), model.flows.size()},
                      {findings.size(), findings.size()}};
        out.model = std::move(model);
        out.findings = std::move(findings);
        return out;
    }
    for (const CallSelector& selector : narrowing.calls) {
        out.matched.push_back(std::any_of(model.calls.begin(), model.calls.end(),
                                          [&](const session::Call& call) { return selector.names(call); }));
    }
    const bool by_call = narrowing.by_call();
    Window window;
    const auto span = packet_span(model);
    if (narrowing.by_time()) {
        // An audit without a packet has no first packet to count "+SECONDS" from, and nothing
        // in any window: every bound is then the epoch, and window_meets_capture says so.
        const util::Timestamp first = span ? span->first : util::Timestamp{};
        if (narrowing.since) window.since = narrowing.since->at(first);
        if (narrowing.until) window.until = narrowing.until->at(first);
        out.window_meets_capture = span && !window.empty() && window.overlaps(span->first, span->second);
    }

    std::unordered_map<std::uint64_t, util::Timestamp> frame_times;
    if (narrowing.by_time() && !by_call) {
        frame_times = known_frame_times(model);  // before anything is dropped: a dropped call's SIP still has its time
    }

    keep_only(model.calls, out.counts.calls, [&](const session::Call& call) {
        const bool named = !by_call || std::any_of(narrowing.calls.begin(), narrowing.calls.end(),
                                                   [&](const CallSelector& selector) { return selector.names(call); });
        return named && window.overlaps(call.start, call.end);
    });
    std::unordered_set<std::uint32_t> kept_calls;
    std::set<EndpointPair> kept_signalling;
    for (const session::Call& call : model.calls) {
        kept_calls.insert(call.id);
        for (const session::SipEvent& message : call.messages) {
            kept_signalling.insert(unordered(message.src, message.dst));
        }
    }
    // Bound to a kept call, or to no call and in the window when calls are not named.
    const auto kept_with_calls = [&](const std::optional<std::uint32_t>& call, util::Timestamp first,
                                     util::Timestamp last) {
        return call ? kept_calls.count(*call) > 0 : !by_call && window.overlaps(first, last);
    };
    std::unordered_set<std::uint32_t> kept_streams;
    std::unordered_set<std::uint32_t> carrying_flows;
    keep_only(model.media, out.counts.media, [&](const session::MediaStream& stream) {
        return kept_with_calls(stream.call, stream.first_time, stream.last_time);
    });
    for (const session::MediaStream& stream : model.media) {
        kept_streams.insert(stream.id);
        carrying_flows.insert(stream.flow);
    }
    keep_only(model.handshakes, out.counts.handshakes, [&](const session::ZrtpHandshake& handshake) {
        return kept_with_calls(handshake.call, handshake.first_time, handshake.last_time);
    });
    for (const session::ZrtpHandshake& handshake : model.handshakes) {
        carrying_flows.insert(handshake.flow);
    }
    KeptOf dtls_handshakes;  // listed with the calls they belong to; not counted apart
    keep_only(model.dtls_handshakes, dtls_handshakes, [&](const session::DtlsHandshake& handshake) {
        return kept_with_calls(handshake.call, handshake.first_time, handshake.last_time);
    });
    for (const session::DtlsHandshake& handshake : model.dtls_handshakes) {
        carrying_flows.insert(handshake.flow);
    }
    keep_only(model.flows, out.counts.flows, [&](const session::FlowRecord& flow) {
        return carrying_flows.count(flow.id) > 0 || kept_signalling.count(unordered(flow.a, flow.b)) > 0 ||
               (!by_call && window.overlaps(flow.first_time, flow.last_time));
    });
    KeptOf credentials;  // not listed by any report: kept for the model's consistency, not counted
    keep_only(model.credentials, credentials, [&](const session::CredentialUse& use) {
        return kept_with_calls(use.call, use.seen.time, use.seen.time);
    });
    keep_only(findings, out.counts.findings, [&](const Finding& finding) {
        if (finding.call) {
            return kept_calls.count(*finding.call) > 0;
        }
        if (finding.stream) {
            return kept_streams.count(*finding.stream) > 0;
        }
        if (by_call || finding.count) {
            return false;
        }
        return std::any_of(finding.frames.begin(), finding.frames.end(), [&](std::uint64_t frame) {
            const auto it = frame_times.find(frame);
            return it != frame_times.end() && window.contains(it->second);
        });
    });
    out.model = std::move(model);
    out.findings = std::move(findings);
    return out;
}

}  // namespace zaudit::analysis
