#pragma once
// Builds calls from SIP messages: dialogs by Call-ID, offers and answers (RFC 3264, RFC 6337),
// the signalling path. Private to the session area.

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "zaudit/crypto/hash.hpp"
#include "zaudit/session/call.hpp"
#include "zaudit/session/credentials.hpp"
#include "zaudit/session/model.hpp"
#include "zaudit/session/seen_at.hpp"
#include "zaudit/sip/message.hpp"
#include "zaudit/util/anomaly.hpp"

namespace zaudit::session {

/// Where a SIP message was seen, and what the parser needs to place its anomalies.
struct MessageContext : SeenAt {
    const char* transport = "udp";
    std::size_t offset = 0;       ///< where the message starts in what anomaly offsets count from
    bool cut_by_capture = false;  ///< the capture's snap length cut the datagram it came in
};

class AnomalyLog;

/// What the SIP of a capture amounts to.
struct SipResult {
    std::vector<Call> calls;                 ///< in order of their first message
    std::vector<CredentialUse> credentials;  ///< in frame order, bound to the calls above
    DialogCounts dialogs;
    SummarisedDialogs summarised;
};

/// When dialogs that never got a final response are closed (Limits in tracker.hpp says why).
struct DialogLimits {
    std::int64_t timeout_micros = 180'000'000;
    std::size_t max_live = 10'000;
    std::size_t max_summarised_keys = 1'000'000;
    std::int64_t call_idle_micros = 3'600'000'000;
    std::size_t max_failed = 10'000;
    std::size_t max_messages = 10'000;  ///< a call keeps (Limits::max_messages_per_call)
    std::size_t max_credential_uses = 100'000;
};

/// An offer/answer transaction on one hop: the two addresses (lower first), CSeq number and method.
using TransactionKey = std::tuple<util::IpAddress, util::IpAddress, std::uint32_t, std::string>;

class CallTracker {
public:
    /// SDP anomalies go to `anomalies`, which must outlive the tracker.
    CallTracker(AnomalyLog& anomalies, DialogLimits limits) : m_anomalies{anomalies}, m_limits{limits} {}
    /// Returns the index (as call_at gives) of the dialog the message belongs to, if any.
    std::optional<std::size_t> on_message(const sip::SipMessage& message, const MessageContext& context);
    /// Closes the dialogs without a final response that were silent for the timeout by `now`,
    /// and the answered calls idle for DialogLimits::call_idle_micros.
    void sweep(util::Timestamp now);
    /// Counts SDP announcements: what call_at answers changes only when this does.
    [[nodiscard]] std::uint64_t announcements() const { return m_announcements; }
    /// Endpoints share k_announcement_slots counters of the announcements that named them: what
    /// call_at(endpoint) answers changes only when announcements_in(announcement_slot(endpoint))
    /// does. Coarser than one per endpoint (a shared slot costs a needless lookup, never a stale
    /// answer) but a flow asks it for every packet without a lookup, while announcements()
    /// changes with every new call anywhere.
    [[nodiscard]] static std::size_t announcement_slot(const util::Endpoint& endpoint);
    [[nodiscard]] std::uint64_t announcements_in(std::size_t slot) const { return m_announcements_by_slot[slot]; }
    /// The call (an index for on_media) whose latest SDP announced `endpoint`, while it is followed.
    [[nodiscard]] std::optional<std::size_t> call_at(const util::Endpoint& endpoint) const;
    /// The call whose latest SDP for the RTP port below `endpoint` put that stream's RTCP there
    /// (RFC 3550 section 11: the next port up, unless a=rtcp or a=rtcp-mux said otherwise).
    /// announcements_in() counts these announcements in the RTCP endpoint's slot too.
    [[nodiscard]] std::optional<std::size_t> call_at_rtcp(const util::Endpoint& endpoint) const;
    /// Call `index` (from call_at) as seen so far; nullptr once it was summarised.
    [[nodiscard]] const Call* call_of(std::size_t index) const;
    /// Whether call `index` had ended (a BYE, or summarised) by `time`.
    [[nodiscard]] bool ended_by(std::size_t index, util::Timestamp time) const;
    /// A packet at the media addresses of call `index` (from call_at) at `time`: the call is alive.
    void on_media(std::size_t index, util::Timestamp time);
    SipResult finish() &&;
    [[nodiscard]] std::uint64_t messages() const { return m_messages; }
    [[nodiscard]] std::uint64_t without_call_id() const { return m_without_call_id; }
    /// The m= line of the latest SDP seen so far that announced `endpoint` as where its sender
    /// receives media (RFC 3264), or nullptr. Valid until the next message.
    [[nodiscard]] const SdpMedia* latest_media_at(const util::Endpoint& endpoint) const;

private:
    struct CallState {
        Call call;
        std::size_t index = 0;       ///< in m_calls
        bool open = true;            ///< no final response to an INVITE yet: the timeout and the cap apply
        bool answered = false;       ///< queued in m_answered: the idle timeout applies
        bool failed = false;         ///< queued in m_failed: its INVITE failed
        util::Timestamp last_media;  ///< latest packet at its announced media addresses
        /// Offer waiting for its answer, by the hop it travels on and "CSeq number + method" of
        /// its transaction: a proxy forwards one offer over several hops, and each hop (a relay
        /// may rewrite the SDP between them) has its own answer.
        std::map<TransactionKey, std::size_t> pending;
        std::optional<std::size_t> offer_awaiting_ack;  ///< offer sent in a 2xx to an SDP-less INVITE
        /// Dedupe retransmissions: key of each SDP seen (a set: a dialog may re-offer thousands of
        /// times; a tree: no bucket array for the two or three of a call).
        std::set<crypto::Sha256Digest> seen_bodies;
        std::vector<std::uint32_t> initial_invites;  ///< CSeq numbers of INVITEs sent without a To tag
        std::vector<std::uint32_t> invites;          ///< CSeq numbers of every INVITE request seen
        bool cancelled = false;
        bool over_message_cap = false;  ///< DialogLimits::max_messages reached: further messages counted only
        bool bye = false;
        util::Timestamp bye_time;  ///< of the first BYE
        /// Where the Contacts of the setting-up INVITE and of its first answer with a Contact point:
        /// the two user agents (a proxy forwards Contact untouched; RFC 3261 section 16.6).
        std::optional<util::IpAddress> caller_contact;
        std::optional<util::IpAddress> callee_contact;
    };
    CallState& call_for(const sip::SipMessage& message, const MessageContext& context);
    void on_sdp(CallState& state, const sip::SipMessage& message, const MessageContext& context,
                const std::string& body);
    void on_failure(CallState& state, const sip::SipMessage& message, const MessageContext& context);
    static void on_invite_outcome(CallState& state, const sip::SipMessage& message, const MessageContext& context);
    void on_credentials(const sip::SipMessage& message, const MessageContext& context);
    static void note_contact(CallState& state, const sip::SipMessage& message);
    enum class CloseReason : std::uint8_t { timeout, cap, idle, failed_cap };
    void close(CallState& state, CloseReason reason);
    void sweep_open(util::Timestamp now);
    void sweep_answered(util::Timestamp now);
    /// Queues a failed call; beyond DialogLimits::max_failed, the oldest still failed is summarised.
    void keep_failed(std::size_t index);
    void summarise(const CallState& state);

    /// Where the latest SDP that announced an address put it: call, SDP and m= line indices.
    struct Announced {
        std::size_t call = 0;
        std::size_t sdp = 0;
        std::size_t media = 0;
        util::Timestamp time;
    };

    /// A dialog waiting for a final response, in the order it was queued, with the time of its
    /// last message then: the queue runs in time order, so the timeout looks only at its front.
    struct OpenDialog {
        std::size_t index = 0;
        util::Timestamp last_time;
    };

    AnomalyLog& m_anomalies;
    DialogLimits m_limits;
    std::vector<std::unique_ptr<CallState>> m_calls;  ///< null once closed and summarised
    std::deque<OpenDialog> m_open;
    std::deque<OpenDialog> m_answered;  ///< answered calls by the time of their last activity then
    std::deque<std::size_t> m_failed;   ///< calls whose INVITE failed, oldest first
    std::uint64_t m_announcements = 0;
    static constexpr std::size_t k_announcement_slots = 4096;
    std::array<std::uint64_t, k_announcement_slots> m_announcements_by_slot{};
    std::size_t m_live_open = 0;  ///< dialogs with `open` set
    DialogCounts m_dialog_counts;
    SummarisedDialogs m_summarised;
    std::map<util::Endpoint, Announced> m_announced;  ///< keeps latest_media_at logarithmic
    std::vector<CredentialUse> m_credentials;
    bool m_credentials_capped = false;  ///< DialogLimits::max_credential_uses reached (said once)
    std::unordered_map<std::string, std::size_t> m_by_call_id;
    std::uint64_t m_messages = 0;
    std::uint64_t m_without_call_id = 0;
};

/// An SDP body reduced for the model.
struct SdpBody {
    std::vector<SdpMedia> media;
    std::optional<util::IpAddress> origin;  ///< o= unicast address, when an IP address
};

/// The m= lines and origin of an SDP body; what was malformed goes to `anomalies`.
SdpBody to_sdp_body(std::string_view sdp_text, std::vector<util::Anomaly>& anomalies);

}  // namespace zaudit::session
