#pragma once
// Builds calls from SIP messages: dialogs by Call-ID, offers and answers (RFC 3264, RFC 6337),
// the signalling path. Private to the session area.

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "zaudit/session/call.hpp"
#include "zaudit/session/credentials.hpp"
#include "zaudit/sip/message.hpp"
#include "zaudit/util/anomaly.hpp"

namespace zaudit::session {

/// Where a SIP message was seen.
struct MessageContext {
    std::uint64_t frame = 0;
    util::Timestamp time;
    util::Endpoint src;
    util::Endpoint dst;
    const char* transport = "udp";
    std::size_t offset = 0;  ///< where the message starts in what anomaly offsets count from
};

class AnomalyLog;

/// What the SIP of a capture amounts to.
struct SipResult {
    std::vector<Call> calls;                 ///< in order of their first message
    std::vector<CredentialUse> credentials;  ///< in frame order, bound to the calls above
};

class CallTracker {
public:
    /// SDP anomalies go to `anomalies`, which must outlive the tracker.
    explicit CallTracker(AnomalyLog& anomalies) : m_anomalies{anomalies} {}
    void on_message(const sip::SipMessage& message, const MessageContext& context);
    SipResult finish() &&;
    [[nodiscard]] std::uint64_t messages() const { return m_messages; }
    [[nodiscard]] std::uint64_t without_call_id() const { return m_without_call_id; }
    /// The m= line of the latest SDP seen so far that announced `endpoint` as where its sender
    /// receives media (RFC 3264), or nullptr. Valid until the next message.
    [[nodiscard]] const SdpMedia* latest_media_at(const util::Endpoint& endpoint) const;

private:
    struct CallState {
        Call call;
        /// Offer waiting for its answer, by "CSeq number + method" of its transaction.
        std::map<std::pair<std::uint32_t, std::string>, std::size_t> pending;
        std::optional<std::size_t> offer_awaiting_ack;  ///< offer sent in a 2xx to an SDP-less INVITE
        std::vector<std::string> seen_bodies;           ///< dedupe retransmissions: key of each SDP seen
        std::vector<std::uint32_t> initial_invites;     ///< CSeq numbers of INVITEs sent without a To tag
        std::vector<std::uint32_t> invites;             ///< CSeq numbers of every INVITE request seen
        bool cancelled = false;
        bool bye = false;
    };
    CallState& call_for(const sip::SipMessage& message, const MessageContext& context);
    void on_sdp(CallState& state, const sip::SipMessage& message, const MessageContext& context,
                const std::string& body);
    void on_failure(CallState& state, const sip::SipMessage& message);
    static void on_invite_outcome(CallState& state, const sip::SipMessage& message, const MessageContext& context);
    void on_credentials(const sip::SipMessage& message, const MessageContext& context);

    AnomalyLog& m_anomalies;
    std::vector<CallState> m_calls;
    std::vector<CredentialUse> m_credentials;
    std::unordered_map<std::string, std::size_t> m_by_call_id;
    std::uint64_t m_messages = 0;
    std::uint64_t m_without_call_id = 0;
};

/// The m= lines of an SDP body, reduced for the model; what was malformed goes to `anomalies`.
std::vector<SdpMedia> to_sdp_media(std::string_view sdp_text, std::vector<util::Anomaly>& anomalies);

}  // namespace zaudit::session
