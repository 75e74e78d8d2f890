// The life of dialogs that never get a final response, of answered calls that went idle and of
// failed calls beyond their cap: closed and summarised into counts, examples and key
// fingerprints (DialogCounts, SummarisedDialogs), so that a flood of them costs counts rather
// than memory.
#include "call_tracker.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <optional>
#include <string_view>
#include <unordered_set>

namespace zaudit::session {
namespace {

/// A key fingerprint (16 hex digits) as the number a summary files it under.
std::optional<std::uint64_t> fingerprint_number(std::string_view hex) {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), value, 16);
    if (ec != std::errc{} || end != hex.data() + hex.size()) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

void CallTracker::sweep(util::Timestamp now) {
    sweep_open(now);
    sweep_answered(now);
}

void CallTracker::sweep_open(util::Timestamp now) {
    while (!m_open.empty()) {
        const OpenDialog front = m_open.front();
        const std::unique_ptr<CallState>& state = m_calls[front.index];
        if (!state || !state->open) {
            m_open.pop_front();
            continue;
        }
        if (state->call.end > front.last_time) {  // active since it was queued: queue it again
            m_open.pop_front();
            m_open.push_back(OpenDialog{front.index, state->call.end});
            continue;
        }
        if (now.micros - front.last_time.micros < m_limits.timeout_micros) {
            return;  // the rest of the queue is younger
        }
        m_open.pop_front();
        close(*state, CloseReason::timeout);
    }
}

void CallTracker::sweep_answered(util::Timestamp now) {
    while (!m_answered.empty()) {
        const OpenDialog front = m_answered.front();
        const std::unique_ptr<CallState>& state = m_calls[front.index];
        if (!state || state->bye) {  // gone, or ended: the rules judge it whole
            m_answered.pop_front();
            continue;
        }
        const util::Timestamp last_activity = std::max(state->call.end, state->last_media);
        if (last_activity > front.last_time) {
            m_answered.pop_front();
            m_answered.push_back(OpenDialog{front.index, last_activity});
            continue;
        }
        if (now.micros - front.last_time.micros < m_limits.call_idle_micros) {
            return;
        }
        m_answered.pop_front();
        close(*state, CloseReason::idle);
    }
}

void CallTracker::keep_failed(std::size_t index) {
    m_failed.push_back(index);
    // A scanner's INVITEs answered 401, 403 or 404 are finished calls: kept whole up to the cap,
    // summarised beyond it, oldest first. A call that a retry answered since stays whole.
    while (m_failed.size() > std::max<std::size_t>(m_limits.max_failed, 1)) {
        const std::size_t oldest = m_failed.front();
        m_failed.pop_front();
        const std::unique_ptr<CallState>& state = m_calls[oldest];
        if (state && state->call.outcome && state->call.outcome->status >= 300) {
            close(*state, CloseReason::failed_cap);
        }
    }
}

void CallTracker::close(CallState& state, CloseReason reason) {
    const bool invited = !state.invites.empty();
    if (invited) {
        summarise(state);
        ++m_dialog_counts.summarised;
        switch (reason) {
            case CloseReason::timeout: ++m_dialog_counts.by_timeout; break;
            case CloseReason::cap: ++m_dialog_counts.by_cap; break;
            case CloseReason::idle: ++m_dialog_counts.idle_calls; break;
            case CloseReason::failed_cap: ++m_dialog_counts.failed_calls; break;
        }
    } else {
        ++m_dialog_counts.not_calls;
    }
    for (const SdpSnapshot& sdp : state.call.sdps) {
        for (const SdpMedia& media : sdp.media) {
            if (const auto it = m_announced.find(media.rtp);
                it != m_announced.end() && it->second.call == state.index) {
                m_announced.erase(it);
            }
        }
    }
    if (const auto it = m_by_call_id.find(state.call.call_id); it != m_by_call_id.end() && it->second == state.index) {
        m_by_call_id.erase(it);
    }
    if (state.open) {
        --m_live_open;
    }
    m_calls[state.index].reset();  // `state` is gone from here on
}

void CallTracker::summarise(const CallState& state) {
    const Call& call = state.call;
    SummarisedDialog example;
    const auto example_of = [&] {
        if (example.call_id.empty()) {
            example = SummarisedDialog{
                call.call_id,   call.from, call.to, call.messages.front().frame, call.messages.front().time,
                call.transport, {},        {}};
        }
        return example;
    };
    const SdesKey* first_key = nullptr;
    std::unordered_set<std::uint64_t> counted_here;  // keys of this dialog already counted
    for (const SdpSnapshot& sdp : call.sdps) {
        for (const SdpMedia& media : sdp.media) {
            for (const SdesKey& key : media.cryptos) {
                if (key.key_salt.empty()) {
                    continue;
                }
                first_key = first_key != nullptr ? first_key : &key;
                const auto number = fingerprint_number(key.fingerprint);
                if (!number) {
                    continue;
                }
                auto it = m_summarised.keys.find(*number);
                if (it == m_summarised.keys.end()) {
                    if (m_summarised.keys.size() >= m_limits.max_summarised_keys) {
                        ++m_dialog_counts.keys_untracked;
                        continue;
                    }
                    SummarisedKey fresh;
                    fresh.first_frame = sdp.frame;
                    fresh.earliest_end = call.end;
                    fresh.latest_start = call.start;
                    auto suite = std::find(m_summarised.suites.begin(), m_summarised.suites.end(), key.suite);
                    if (suite == m_summarised.suites.end() && m_summarised.suites.size() < 255) {
                        m_summarised.suites.push_back(key.suite);
                        suite = std::prev(m_summarised.suites.end());
                    }
                    fresh.suite = static_cast<std::uint8_t>(std::distance(m_summarised.suites.begin(), suite));
                    it = m_summarised.keys.emplace(*number, fresh).first;
                }
                if (!counted_here.insert(*number).second) {
                    continue;  // the same dialog offered it again (another m= line, a re-INVITE)
                }
                SummarisedKey& uses = it->second;
                ++uses.dialogs;
                uses.earliest_end = std::min(uses.earliest_end, call.end);
                uses.latest_start = std::max(uses.latest_start, call.start);
            }
        }
    }
    if (call.tls || call.messages.empty()) {
        return;
    }
    ++m_summarised.cleartext;
    if (m_summarised.cleartext_examples.size() < SummarisedDialogs::max_examples) {
        m_summarised.cleartext_examples.push_back(example_of());
    }
    if (first_key != nullptr) {
        ++m_summarised.exposing_keys;
        if (m_summarised.key_examples.size() < SummarisedDialogs::max_examples) {
            SummarisedDialog with_key = example_of();
            with_key.key_fingerprint = first_key->fingerprint;
            with_key.suite = first_key->suite;
            m_summarised.key_examples.push_back(std::move(with_key));
        }
    }
}

}  // namespace zaudit::session
