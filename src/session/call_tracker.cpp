#include "call_tracker.hpp"

#include "anomaly_log.hpp"
#include "path.hpp"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "zaudit/crypto/hash.hpp"
#include "zaudit/sdp/session.hpp"
#include "zaudit/sip/credentials.hpp"
#include "zaudit/sip/multipart.hpp"
#include "zaudit/util/hex.hpp"
#include "zaudit/util/mix.hpp"
#include "zaudit/util/text.hpp"

namespace zaudit::session {
namespace {

std::string summary_of(const sip::SipMessage& m) {
    if (m.is_request) {
        return m.method;
    }
    return fmt::format("{} {} ({})", m.status_code, m.reason, m.transaction_method());
}

template <typename T>
void add_unique(std::vector<T>& values, const T& value) {
    if (std::find(values.begin(), values.end(), value) == values.end()) {
        values.push_back(value);
    }
}

SdesKey to_sdes_key(const sdp::CryptoAttribute& crypto) {
    SdesKey key;
    key.tag = crypto.tag;
    key.suite = crypto.suite;
    if (!crypto.keys.empty()) {
        key.key_salt = crypto.keys.front().key_salt;
        key.fingerprint = util::to_hex(crypto::sha256(key.key_salt)).substr(0, 16);
    }
    key.unencrypted_srtp = crypto.unencrypted_srtp;
    key.unencrypted_srtcp = crypto.unencrypted_srtcp;
    key.unauthenticated_srtp = crypto.unauthenticated_srtp;
    return key;
}

TransactionKey transaction_on_hop(const MessageContext& context, std::uint32_t cseq, std::string method) {
    const auto [low, high] = std::minmax(context.src.address, context.dst.address);
    return {low, high, cseq, std::move(method)};
}

/// The offer `key` answers: the one on the same hop, else (the answer came back over addresses
/// the capture did not see the offer on) an unanswered one of the same transaction elsewhere.
auto find_offer(std::map<TransactionKey, std::size_t>& pending, const std::vector<OfferAnswer>& exchanges,
                const TransactionKey& key) {
    if (const auto it = pending.find(key); it != pending.end()) {
        return it;
    }
    return std::find_if(pending.begin(), pending.end(), [&](const auto& entry) {
        return std::get<2>(entry.first) == std::get<2>(key) && std::get<3>(entry.first) == std::get<3>(key) &&
               !exchanges[entry.second].answer;
    });
}

PathNode node_at(std::vector<util::IpAddress> addresses, PathNode::Kind kind, bool on_wire) {
    PathNode node;
    node.addresses = std::move(addresses);
    node.kind = kind;
    node.on_wire = on_wire;
    return node;
}

/// The call's legs (one per pair of addresses its SIP travelled between, caller side first,
/// in the order each hop's first request was seen: a proxy forwards after it receives) and the
/// nodes they join. A party whose Contact is not the address its hop ends at sits behind a
/// proxy outside the capture.
void trace_path(Call& call, const std::optional<util::IpAddress>& caller,
                const std::optional<util::IpAddress>& callee) {
    for (const SipEvent& event : call.messages) {
        const auto it = std::find_if(call.legs.begin(), call.legs.end(), [&](const CallLeg& leg) {
            return leg.joins(event.src.address, event.dst.address);
        });
        if (it == call.legs.end()) {
            CallLeg leg;
            leg.id = static_cast<std::uint32_t>(call.legs.size() + 1);
            // Responses travel back towards the caller: their source is the callee side.
            leg.a = event.status == 0 ? event.src : event.dst;
            leg.b = event.status == 0 ? event.dst : event.src;
            leg.first_frame = event.frame;
            call.legs.push_back(leg);
        }
    }
    for (SdpSnapshot& sdp : call.sdps) {
        for (const CallLeg& leg : call.legs) {
            if (leg.joins(sdp.sender.address, sdp.receiver.address)) {
                sdp.leg = leg.id;
            }
        }
    }
    if (call.legs.empty()) {
        return;
    }
    const bool caller_behind = caller && !same_node(*caller, call.legs.front().a.address);
    const bool callee_behind = callee && !same_node(*callee, call.legs.back().b.address);
    for (CallLeg& leg : call.legs) {
        const bool from_caller = leg.id == 1 && !caller_behind;
        const bool to_callee = leg.id == call.legs.size() && !callee_behind;
        leg.role = from_caller && to_callee ? LegRole::direct
                   : from_caller            ? LegRole::uac_proxy
                   : to_callee              ? LegRole::proxy_uas
                                            : LegRole::proxy_proxy;
    }
    if (caller_behind) {
        call.path.push_back(node_at({*caller}, PathNode::Kind::ua, false));
    }
    call.path.push_back(
        node_at({call.legs.front().a.address}, caller_behind ? PathNode::Kind::proxy : PathNode::Kind::ua, true));
    for (std::size_t i = 0; i + 1 < call.legs.size(); ++i) {
        std::vector<util::IpAddress> addresses{call.legs[i].b.address};
        if (call.legs[i + 1].a.address != addresses.front()) {
            addresses.push_back(call.legs[i + 1].a.address);
        }
        call.path.push_back(node_at(std::move(addresses), PathNode::Kind::proxy, true));
    }
    call.path.push_back(
        node_at({call.legs.back().b.address}, callee_behind ? PathNode::Kind::proxy : PathNode::Kind::ua, true));
    if (callee_behind) {
        call.path.push_back(node_at({*callee}, PathNode::Kind::ua, false));
    }
}

}  // namespace

SdpBody to_sdp_body(std::string_view sdp_text, std::vector<util::Anomaly>& anomalies) {
    sdp::SdpSession session = sdp::parse(sdp_text);
    std::move(session.anomalies.begin(), session.anomalies.end(), std::back_inserter(anomalies));
    SdpBody body;
    if (session.origin) {
        body.origin = util::IpAddress::parse(session.origin->address);
    }
    // Reserved to size: every call keeps its SDPs until the audit ends, doubling's slack included.
    std::vector<SdpMedia>& out = body.media;
    out.reserve(session.media.size());
    for (const auto& m : session.media) {
        SdpMedia media;
        media.media = m.media;
        if (m.connection && m.connection->ip) {
            media.rtp = util::Endpoint{*m.connection->ip, m.port};
        } else {
            media.rtp.port = m.port;
        }
        media.rtcp_mux = m.rtcp_mux;
        if (m.rtcp) {
            const auto& address =
                m.rtcp->connection && m.rtcp->connection->ip ? *m.rtcp->connection->ip : media.rtp.address;
            media.rtcp = util::Endpoint{address, m.rtcp->port};
        } else if (m.port != 0 && !m.rtcp_mux) {
            media.rtcp = util::Endpoint{media.rtp.address, static_cast<std::uint16_t>(m.port + 1)};  // RFC 3550 11
        }
        media.profile = m.profile;
        media.profile_secure = m.profile_secure;
        media.profile_dtls = m.profile_dtls;
        media.rtpmaps.reserve(std::min(m.formats.size(), m.rtpmaps.size()));
        for (const auto& format : m.formats) {
            const auto payload_type = format.size() < 4 ? util::parse_unsigned<unsigned>(format) : std::nullopt;
            const sdp::RtpMap* map = payload_type ? m.rtpmap(*payload_type) : nullptr;
            if (map != nullptr && *payload_type <= 127) {
                media.rtpmaps.push_back(
                    PayloadFormat{static_cast<std::uint8_t>(*payload_type), map->encoding, map->clock_rate});
            }
        }
        media.cryptos.reserve(m.cryptos.size());
        for (const auto& crypto : m.cryptos) {
            media.cryptos.push_back(to_sdes_key(crypto));
        }
        for (const auto& hash : m.zrtp_hashes) {
            media.zrtp_hashes.push_back(fmt::format("{} {}", hash.version, hash.hash));
        }
        for (const auto& fp : m.fingerprints) {
            media.fingerprints.push_back(fmt::format("{} {}", fp.hash_function, fp.value));
        }
        media.setup = m.setup;
        media.direction = m.direction;
        out.push_back(std::move(media));
    }
    return body;
}

CallTracker::CallState& CallTracker::call_for(const sip::SipMessage& message, const MessageContext& context) {
    auto [it, inserted] = m_by_call_id.try_emplace(message.call_id, m_calls.size());
    if (inserted) {
        auto state = std::make_unique<CallState>();
        state->index = m_calls.size();
        Call& call = state->call;
        call.id = static_cast<std::uint32_t>(m_calls.size() + 1);
        call.call_id = message.call_id;
        call.start = context.time;
        call.transport = context.transport;
        if (message.from) {
            call.from = message.from->uri;
        }
        if (message.to) {
            call.to = message.to->uri;
        }
        m_open.push_back(OpenDialog{state->index, context.time});
        ++m_live_open;
        m_calls.push_back(std::move(state));
        // Over the cap, the oldest open dialog goes (never the one just made: the cap is at least 1).
        while (m_live_open > std::max<std::size_t>(m_limits.max_live, 1)) {
            const std::size_t oldest = m_open.front().index;
            m_open.pop_front();
            if (m_calls[oldest] && m_calls[oldest]->open) {
                close(*m_calls[oldest], CloseReason::cap);
            }
        }
    }
    return *m_calls[it->second];
}

std::optional<std::size_t> CallTracker::on_message(const sip::SipMessage& message, const MessageContext& context) {
    ++m_messages;
    if (message.is_request) {
        on_credentials(message, context);
    }
    if (message.call_id.empty()) {
        ++m_without_call_id;
        return std::nullopt;
    }
    CallState& state = call_for(message, context);
    Call& call = state.call;
    call.end = std::max(call.end, context.time);
    // Past the cap a message still moves the dialog on (a BYE ends it, a final response settles
    // the INVITE) but is only counted: what it offered goes unjudged, and the report says so.
    const bool kept = call.messages.size() < std::max<std::size_t>(m_limits.max_messages, 1);
    if (!kept) {
        ++m_dialog_counts.messages_not_kept;
        if (!state.over_message_cap) {
            state.over_message_cap = true;
            m_anomalies.add(util::Anomaly{util::AnomalyCode::sip_too_many_messages, context.frame, 0,
                                          fmt::format("more than {} SIP messages in one dialog: the others are "
                                                      "counted only, their SDP not read",
                                                      m_limits.max_messages)},
                            context.frame, context.offset);
        }
    }
    // A body the capture cut is not the SDP the parties exchanged: read, its missing a=crypto
    // lines and m= sections would look like a downgrade. The message still counts.
    const bool body_cut = context.cut_by_capture && message.body_truncated;
    const std::optional<std::string> body = kept && !body_cut ? sip::find_sdp_body(message) : std::nullopt;
    if (kept) {
        call.messages.push_back(SipEvent{context.frame, context.time, context.src, context.dst, summary_of(message),
                                         message.transaction_method_kind(),
                                         message.is_request ? 0 : message.status_code, body.has_value()});
    }
    if (body) {
        on_sdp(state, message, context, *body);
    } else if (!message.is_request && message.status_code >= 300) {
        on_failure(state, message, context);
    }
    if (kept && message.is_request && message.method_kind == sip::Method::invite && message.cseq) {
        add_unique(state.invites, message.cseq->number);
        if (!message.to || message.to->tag.empty()) {  // out of any dialog: sets the call up (RFC 3261 12.1)
            add_unique(state.initial_invites, message.cseq->number);
        }
    }
    note_contact(state, message);
    if (!state.bye && message.is_request && message.method_kind == sip::Method::bye) {
        state.bye = true;
        state.bye_time = context.time;
    }
    state.cancelled = state.cancelled || (message.is_request && message.method_kind == sip::Method::cancel);
    on_invite_outcome(state, message, context);
    if (state.open && call.outcome) {  // answered: a call (or a failure) the rules judge whole
        state.open = false;
        --m_live_open;
    }
    if (!state.answered && call.outcome && call.outcome->status < 300 && !state.bye) {
        state.answered = true;  // from now on the idle timeout watches it
        m_answered.push_back(OpenDialog{state.index, context.time});
    }
    const std::size_t index = state.index;
    if (!state.failed && call.outcome && call.outcome->status >= 300) {
        state.failed = true;
        keep_failed(index);  // may summarise an older failed call
    }
    return index;
}

/// The final response to the INVITE that set the call up (RFC 3261 13.2.2). A failure is
/// replaced by a later final response (the retry of a 401/407 challenge, another fork's 200);
/// a 2xx stays (a late 487 from another fork, a failed re-INVITE do not undo the call).
void CallTracker::on_invite_outcome(CallState& state, const sip::SipMessage& message, const MessageContext& context) {
    if (message.is_request || message.status_code < 200 || !message.cseq ||
        message.transaction_method_kind() != sip::Method::invite) {
        return;
    }
    const std::uint32_t cseq = message.cseq->number;
    const auto contains = [](const std::vector<std::uint32_t>& v, std::uint32_t n) {
        return std::find(v.begin(), v.end(), n) != v.end();
    };
    auto& outcome = state.call.outcome;
    const bool established = outcome && outcome->status < 300;
    // An INVITE the capture missed counts as initial until the call is up.
    const bool initial = contains(state.initial_invites, cseq) || (!contains(state.invites, cseq) && !established);
    if (!initial || established) {
        return;
    }
    if (outcome && outcome->cseq == cseq && outcome->status == message.status_code) {
        return;  // a retransmission, or the same response seen at another hop: keep the first
    }
    outcome = FinalResponse{message.status_code, message.reason, context.frame, context.time, cseq};
}

void CallTracker::note_contact(CallState& state, const sip::SipMessage& message) {
    if (message.contacts.empty()) {
        return;
    }
    const auto contact = sip::uri_ip_address(message.contacts.front().uri);
    if (message.is_request && message.method_kind == sip::Method::invite && (!message.to || message.to->tag.empty())) {
        state.caller_contact = state.caller_contact ? state.caller_contact : contact;
    } else if (!message.is_request && message.status_code > 100 && message.status_code < 300 &&
               message.transaction_method_kind() == sip::Method::invite) {
        state.callee_contact = state.callee_contact ? state.callee_contact : contact;
    }
}

void CallTracker::on_credentials(const sip::SipMessage& message, const MessageContext& context) {
    for (auto& credentials : sip::credentials_of(message)) {
        if (m_credentials.size() >= m_limits.max_credential_uses) {
            if (!m_credentials_capped) {
                m_credentials_capped = true;
                m_anomalies.add(util::Anomaly{util::AnomalyCode::sip_too_many_credentials, context.frame, 0,
                                              fmt::format("more than {} requests with credentials: the others are "
                                                          "counted only",
                                                          m_limits.max_credential_uses)},
                                context.frame);
            } else {
                m_anomalies.count(util::AnomalyCode::sip_too_many_credentials);
            }
            continue;
        }
        CredentialUse use;
        use.seen = static_cast<const SeenAt&>(context);  // where, without the parser's offset
        use.transport = context.transport;
        use.method = message.method_kind;
        use.method_text = message.method;
        use.call_id = message.call_id;
        const auto& party = message.transaction_method() == "REGISTER" ? message.to : message.from;
        use.aor = party ? party->uri : std::string{};
        use.credentials = std::move(credentials);
        m_credentials.push_back(std::move(use));
    }
}

void CallTracker::on_failure(CallState& state, const sip::SipMessage& message, const MessageContext& context) {
    if (!message.cseq) {
        return;
    }
    const auto it = find_offer(state.pending, state.call.exchanges,
                               transaction_on_hop(context, message.cseq->number, message.cseq->method));
    if (it != state.pending.end()) {
        OfferAnswer& exchange = state.call.exchanges[it->second];
        exchange.rejected = true;
        exchange.final_status = message.status_code;
        state.pending.erase(it);
    }
}

void CallTracker::on_sdp(CallState& state, const sip::SipMessage& message, const MessageContext& context,
                         const std::string& body) {
    Call& call = state.call;
    const std::uint32_t cseq = message.cseq ? message.cseq->number : 0;
    const std::string method = message.transaction_method();
    const std::string carried_by =
        message.is_request ? message.method : fmt::format("{} {}", message.status_code, method);
    // A retransmission (same message, same hop, same body) adds nothing (and its SDP anomalies
    // were noted with the first copy). The key is a digest of hop and body: 32 bytes, where the
    // text was some 140 in a string of its own, and every call keeps its keys to the end.
    const std::string hop = fmt::format("{}|{}|{}|", cseq, carried_by, context.src);
    const std::vector<std::uint8_t> digest =
        crypto::Hasher{crypto::HashAlgorithm::sha256}.update(util::as_bytes(hop)).update(util::as_bytes(body)).finish();
    crypto::Sha256Digest key{};
    std::copy(digest.begin(), digest.end(), key.begin());
    if (!state.seen_bodies.insert(key).second) {
        return;
    }

    SdpSnapshot snapshot;
    snapshot.frame = context.frame;
    snapshot.time = context.time;
    snapshot.sender = context.src;
    snapshot.receiver = context.dst;
    snapshot.carried_by = carried_by;
    snapshot.method = message.transaction_method_kind();
    snapshot.status = message.is_request ? 0 : message.status_code;
    snapshot.cseq = cseq;
    std::vector<util::Anomaly> anomalies;
    SdpBody sdp = to_sdp_body(body, anomalies);
    snapshot.media = std::move(sdp.media);
    snapshot.origin = sdp.origin;
    if (!message.contacts.empty()) {
        snapshot.contact = sip::uri_ip_address(message.contacts.front().uri);
    }
    // Offsets count from the SIP message's start: the SDP is the body or one of its parts.
    const std::size_t sdp_at = message.body.find(body);
    const std::size_t base = context.offset + message.body_offset + (sdp_at == std::string::npos ? 0 : sdp_at);
    m_anomalies.add_all(anomalies, context.frame, base);
    const std::size_t index = call.sdps.size();

    const TransactionKey transaction = transaction_on_hop(context, cseq, method);
    if (message.is_request && message.method_kind == sip::Method::ack) {
        if (state.offer_awaiting_ack) {  // RFC 3261 13.2.1: an offer in a 2xx is answered in the ACK
            call.exchanges[*state.offer_awaiting_ack].answer = index;
            state.offer_awaiting_ack.reset();
        }
    } else if (message.is_request) {
        snapshot.is_offer = true;
        if (!state.pending.contains(transaction)) {  // else: a retransmission with another body
            state.pending[transaction] = call.exchanges.size();
            call.exchanges.push_back(OfferAnswer{index, std::nullopt, false, 0});
        }
    } else if (const auto it = find_offer(state.pending, call.exchanges, transaction); it != state.pending.end()) {
        OfferAnswer& exchange = call.exchanges[it->second];
        if (!exchange.answer) {
            exchange.answer = index;
        }
        if (message.status_code >= 200) {
            exchange.final_status = message.status_code;
        }
    } else if (message.status_code >= 200 && message.status_code < 300 &&
               message.transaction_method_kind() == sip::Method::invite) {
        snapshot.is_offer = true;  // the INVITE had no SDP: the 2xx offers, the ACK answers
        state.offer_awaiting_ack = call.exchanges.size();
        call.exchanges.push_back(OfferAnswer{index, std::nullopt, false, message.status_code});
    }
    if (!snapshot.is_offer && !snapshot.media.empty()) {
        call.timeline.push_back(TimelineEvent{context.frame, context.time, snapshot.media.front().advertised(), index});
    }
    const std::size_t call_index = state.index;
    for (std::size_t m = 0; m < snapshot.media.size(); ++m) {
        const util::Endpoint& rtp = snapshot.media[m].rtp;
        if (rtp.port == 0) {
            continue;
        }
        Announced& latest = m_announced[rtp];
        if (latest.time <= snapshot.time) {  // capture order may run back in time: keep the latest
            latest = Announced{call_index, index, m, snapshot.time};
            ++m_announcements;
            ++m_announcements_by_slot[announcement_slot(rtp)];
            if (const auto& rtcp = snapshot.media[m].rtcp; rtcp && *rtcp != rtp) {
                ++m_announcements_by_slot[announcement_slot(*rtcp)];  // call_at_rtcp may answer anew
            }
        }
    }
    call.sdps.push_back(std::move(snapshot));
}

std::size_t CallTracker::announcement_slot(const util::Endpoint& endpoint) {
    const auto words = endpoint.address.words();
    const std::uint64_t h = util::fmix64((words[0] * 0x9e3779b97f4a7c15ULL) ^ words[1] ^ endpoint.port);
    return static_cast<std::size_t>(h % k_announcement_slots);
}

std::optional<std::size_t> CallTracker::call_at(const util::Endpoint& endpoint) const {
    const auto it = m_announced.find(endpoint);
    if (it == m_announced.end()) {
        return std::nullopt;
    }
    return it->second.call;
}

std::optional<std::size_t> CallTracker::call_at_rtcp(const util::Endpoint& endpoint) const {
    if (endpoint.port == 0) {
        return std::nullopt;
    }
    const util::Endpoint rtp{endpoint.address, static_cast<std::uint16_t>(endpoint.port - 1)};
    const SdpMedia* media = latest_media_at(rtp);
    if (media == nullptr || media->rtcp != endpoint) {
        return std::nullopt;
    }
    return call_at(rtp);
}

const Call* CallTracker::call_of(std::size_t index) const {
    return index < m_calls.size() && m_calls[index] ? &m_calls[index]->call : nullptr;
}

bool CallTracker::ended_by(std::size_t index, util::Timestamp time) const {
    if (index >= m_calls.size() || !m_calls[index]) {
        return true;
    }
    const CallState& state = *m_calls[index];
    return state.bye && state.bye_time <= time;
}

void CallTracker::on_media(std::size_t index, util::Timestamp time) {
    if (index < m_calls.size() && m_calls[index]) {
        CallState& state = *m_calls[index];
        state.last_media = std::max(state.last_media, time);
    }
}

const SdpMedia* CallTracker::latest_media_at(const util::Endpoint& endpoint) const {
    const auto it = m_announced.find(endpoint);
    if (it == m_announced.end()) {
        return nullptr;
    }
    const Announced& at = it->second;
    return &m_calls[at.call]->call.sdps[at.sdp].media[at.media];
}

SipResult CallTracker::finish() && {
    // A call is a dialog that an INVITE set up; REGISTER, OPTIONS, SUBSCRIBE... are counted
    // as SIP messages but are not calls.
    SipResult result;
    // Reserved: not twice what a large capture's calls need (summarised slots are empty).
    result.calls.reserve(static_cast<std::size_t>(
        std::count_if(m_calls.begin(), m_calls.end(), [](const auto& slot) { return slot != nullptr; })));
    std::unordered_map<std::string, std::uint32_t> call_of;
    for (auto& slot : m_calls) {
        if (!slot) {
            continue;  // closed and summarised
        }
        CallState& state = *slot;
        const auto& messages = state.call.messages;
        const bool invited = std::any_of(messages.begin(), messages.end(), [](const SipEvent& e) {
            return e.status == 0 && e.method == sip::Method::invite;
        });
        if (!invited) {
            continue;
        }
        Call& call = state.call;
        call.id = static_cast<std::uint32_t>(result.calls.size() + 1);
        if (state.bye) {  // a BYE ends the dialog even after a CANCEL that lost the race with the 200
            call.ended_by = CallEnd::bye;
        } else if (state.cancelled) {
            call.ended_by = CallEnd::cancel;
        } else if (call.outcome && call.outcome->status >= 300) {
            call.ended_by = CallEnd::failure;
        }
        trace_path(call, state.caller_contact, state.callee_contact);
        call_of[call.call_id] = call.id;
        result.calls.push_back(std::move(call));
        slot.reset();  // its offers and bodies seen: freed as the calls move, not all at the end
    }
    for (auto& use : m_credentials) {
        if (const auto it = call_of.find(use.call_id); it != call_of.end() && !use.call_id.empty()) {
            use.call = it->second;
        }
    }
    result.credentials = std::move(m_credentials);
    result.dialogs = m_dialog_counts;
    result.summarised = std::move(m_summarised);
    return result;
}

}  // namespace zaudit::session
