#pragma once
// Builds IAX2 calls (RFC 5456) from the frames of the flows the demux named IAX2. Private to
// the session area.

#include <array>
#include <cstdint>
#include <map>
#include <tuple>
#include <vector>

#include "zaudit/iax2/frame.hpp"
#include "zaudit/net/packet.hpp"
#include "zaudit/session/call.hpp"

namespace zaudit::session {

class AnomalyLog;

/// An IAX2 call is the dialog of two call numbers on one UDP flow, from the NEW that gave the
/// caller's number to the HANGUP or REJECT; its voice is the full and mini frames those numbers
/// send. Encryption is established, for this audit, when the NEW offered AES-128 in its
/// ENCRYPTION element, the callee's AUTHREQ or ACCEPT answered with it, and frames of the call
/// then no longer read as plain frames (see Iax2Call::Media). Memory: one entry per call, at
/// most k_max_calls (later NEWs are not followed: a flood of NEWs costs nothing).
class Iax2Tracker {
public:
    static constexpr std::size_t k_max_calls = 100'000;
    static constexpr std::size_t k_max_events = 64;  ///< control frames kept per call

    explicit Iax2Tracker(AnomalyLog& anomalies) : m_anomalies{anomalies} {}
    void on_datagram(std::uint32_t flow, bool from_a, const net::Packet& packet);
    /// The calls in the order of their NEW, media decided; ids are left to the caller.
    std::vector<Call> finish() &&;

private:
    struct CallState {
        Call call;
        std::uint32_t flow = 0;
        bool caller_is_a = true;
        std::array<std::uint32_t, 2> voice_format{};  ///< last full voice frame's codec, [caller, callee]
    };
    using Key = std::tuple<std::uint32_t, bool, std::uint16_t>;  ///< flow, sent by a, source call number

    CallState* state_for(const iax2::Frame& frame, std::uint32_t flow, bool from_a);
    static bool plain_on_call(const Call& call, const iax2::Frame& frame, const net::Packet& packet);
    void on_full(CallState& state, const iax2::Frame& frame, const net::Packet& packet, bool from_caller);
    void on_iax(CallState& state, const iax2::Frame& frame, const net::Packet& packet, bool from_caller);
    static void on_voice(CallState& state, std::uint32_t format, std::size_t bytes, std::uint64_t frame);

    AnomalyLog& m_anomalies;
    std::vector<CallState> m_calls;
    std::map<Key, std::size_t> m_by_source;
};

}  // namespace zaudit::session
