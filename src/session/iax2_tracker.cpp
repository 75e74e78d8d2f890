#include "iax2_tracker.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "anomaly_log.hpp"

namespace zaudit::session {
namespace {

/// Asterisk's encrypt_frame (chan_iax2.c) pads to a multiple of the AES block with 16 to 31
/// bytes of random padding, so an encrypted frame's bytes after its clear call numbers are a
/// multiple of 16 and at least two blocks long.
bool ciphertext_shaped(util::Bytes after_call_numbers) {
    return after_call_numbers.size() >= 2 * iax2::k_aes_block && after_call_numbers.size() % iax2::k_aes_block == 0;
}

}  // namespace

Iax2Tracker::CallState* Iax2Tracker::state_for(const iax2::Frame& frame, std::uint32_t flow, bool from_a) {
    if (const auto it = m_by_source.find({flow, from_a, frame.source_call}); it != m_by_source.end()) {
        return &m_calls[it->second];
    }
    if (frame.shape != iax2::FrameShape::full) {
        return nullptr;
    }
    // The callee's first frame names the caller's number as its destination (section 8.1.1).
    if (frame.destination_call != 0) {
        if (const auto it = m_by_source.find({flow, !from_a, frame.destination_call}); it != m_by_source.end()) {
            CallState& state = m_calls[it->second];
            // A CALLTOKEN answer (section 8.6, Asterisk's call-token exchange) comes from no call
            // number of the callee's own yet: it binds nothing.
            if (state.call.iax2->callee_call == 0 && frame.source_call != 0) {
                state.call.iax2->callee_call = frame.source_call;
                m_by_source.emplace(Key{flow, from_a, frame.source_call}, it->second);
                return &state;
            }
        }
        return nullptr;
    }
    const bool is_new = frame.plain && frame.type == static_cast<std::uint8_t>(iax2::FrameType::iax) &&
                        frame.subclass == static_cast<std::uint32_t>(iax2::IaxSubclass::new_call);
    if (!is_new || m_calls.size() >= k_max_calls) {
        return nullptr;  // a registration, a poke, a CALLTOKEN exchange: no call
    }
    CallState state;
    state.flow = flow;
    state.caller_is_a = from_a;
    state.call.protocol = CallProtocol::iax2;
    state.call.transport = "udp";
    state.call.iax2.emplace();
    state.call.iax2->caller_call = frame.source_call;
    m_by_source.emplace(Key{flow, from_a, frame.source_call}, m_calls.size());
    m_calls.push_back(std::move(state));
    return &m_calls.back();
}

void Iax2Tracker::on_datagram(std::uint32_t flow, bool from_a, const net::Packet& packet) {
    std::vector<util::Anomaly> anomalies;
    const auto frame = iax2::parse(packet.payload, anomalies);
    m_anomalies.add_all(anomalies, packet.frame);
    if (!frame || frame->shape == iax2::FrameShape::meta) {
        return;  // trunk (meta) frames bundle several calls' mini frames: not followed
    }
    CallState* state = state_for(*frame, flow, from_a);
    if (state == nullptr) {
        return;
    }
    Call& call = state->call;
    Iax2Call& iax = *call.iax2;
    const bool from_caller = from_a == state->caller_is_a;
    if (call.start.micros == 0 || packet.time < call.start) {
        call.start = packet.time;
    }
    call.end = std::max(call.end, packet.time);
    if (frame->shape == iax2::FrameShape::mini) {
        // A mini frame has no field to check: on a call whose encryption is established its
        // bytes are ciphertext when they have ciphertext's shape; otherwise they are voice.
        if (iax.encryption_agreed() && iax.encrypted_frames > 0 && ciphertext_shaped(frame->after_call_numbers)) {
            ++iax.encrypted_frames;
        } else {
            on_voice(*state, state->voice_format.at(from_caller ? 0 : 1), frame->data.size(), packet.frame);
        }
        return;
    }
    on_full(*state, *frame, packet, from_caller);
}

/// Whether a full frame that parsed as plain is plain. On a call that agreed on AES-128, one
/// ciphertext frame in some 30 has a type byte and subclass that parse (a few types take any
/// subclass); its 32-bit timestamp then decides: a plain one counts milliseconds since its
/// sender's call began, so it is at most the time since the NEW (plus slack for clock drift),
/// which random bytes are with a probability of about 1e-5 in the first minute.
bool Iax2Tracker::plain_on_call(const Call& call, const iax2::Frame& frame, const net::Packet& packet) {
    constexpr std::int64_t k_slack_ms = 60'000;
    if (!frame.plain) {
        return false;
    }
    if (!call.iax2->encryption_agreed() || !ciphertext_shaped(frame.after_call_numbers)) {
        return true;
    }
    const std::int64_t elapsed_ms = (packet.time.micros - call.start.micros) / 1000;
    return std::int64_t{frame.timestamp} <= elapsed_ms + k_slack_ms;
}

void Iax2Tracker::on_full(CallState& state, const iax2::Frame& frame, const net::Packet& packet, bool from_caller) {
    Iax2Call& iax = *state.call.iax2;
    if (!plain_on_call(state.call, frame, packet)) {
        if (iax.first_encrypted_frame == 0) {
            iax.first_encrypted_frame = packet.frame;
        }
        ++iax.encrypted_frames;
        return;
    }
    switch (static_cast<iax2::FrameType>(frame.type)) {
        case iax2::FrameType::iax: on_iax(state, frame, packet, from_caller); break;
        case iax2::FrameType::voice:
            state.voice_format.at(from_caller ? 0 : 1) = frame.subclass;
            on_voice(state, frame.subclass, frame.data.size(), packet.frame);
            break;
        default: break;
    }
}

void Iax2Tracker::on_voice(CallState& state, std::uint32_t format, std::size_t bytes, std::uint64_t frame) {
    Iax2Call& iax = *state.call.iax2;
    ++iax.plain_voice_frames;
    iax.plain_voice_bytes += bytes;
    if (iax.first_voice_frame == 0) {
        iax.first_voice_frame = frame;
    }
    iax.last_voice_frame = frame;
    const std::string codec = iax2::codec_name(format);
    if (!codec.empty() && std::find(iax.codecs.begin(), iax.codecs.end(), codec) == iax.codecs.end()) {
        iax.codecs.push_back(codec);
    }
}

void Iax2Tracker::on_iax(CallState& state, const iax2::Frame& frame, const net::Packet& packet, bool from_caller) {
    Call& call = state.call;
    Iax2Call& iax = *call.iax2;
    std::vector<util::Anomaly> anomalies;
    const std::size_t base = packet.payload.size() - frame.data.size();
    const iax2::InfoElements ies = iax2::parse_ies(frame.data, anomalies, base);
    m_anomalies.add_all(anomalies, packet.frame);
    if (iax.events.size() < k_max_events) {
        iax.events.push_back(
            {packet.frame, packet.time, packet.src, packet.dst, iax2::iax_subclass_name(frame.subclass)});
    }
    using S = iax2::IaxSubclass;
    switch (static_cast<S>(frame.subclass)) {
        case S::new_call:
            if (iax.new_frame == 0) {
                iax.new_frame = packet.frame;
                iax.caller = packet.src;
                iax.callee = packet.dst;
                call.from = ies.calling_number ? *ies.calling_number : ies.username.value_or("");
                call.to = ies.called_number.value_or("");
                call.call_id = fmt::format("iax2:{}/{}", packet.src, iax.caller_call);
                iax.encryption_offered = ies.encryption;
                if (ies.format) {
                    state.voice_format.at(0) = *ies.format;
                    state.voice_format.at(1) = *ies.format;
                }
            }
            break;
        case S::authreq:
            if (!from_caller) {
                iax.auth_methods = ies.auth_methods;
                iax.md5_challenge = iax.md5_challenge || ies.challenge;
                iax.encryption_answered = iax.encryption_answered ? iax.encryption_answered : ies.encryption;
            }
            break;
        case S::accept:
            if (!from_caller) {
                iax.accepted = true;
                iax.encryption_answered = iax.encryption_answered ? iax.encryption_answered : ies.encryption;
                if (ies.format) {
                    state.voice_format.at(0) = *ies.format;
                    state.voice_format.at(1) = *ies.format;
                }
            }
            break;
        case S::hangup:
        case S::reject:
            if (call.ended_by == CallEnd::none) {
                call.ended_by =
                    frame.subclass == static_cast<std::uint32_t>(S::hangup) ? CallEnd::hangup : CallEnd::reject;
                iax.cause = ies.cause.value_or("");
            }
            break;
        default: break;
    }
}

std::vector<Call> Iax2Tracker::finish() && {
    std::vector<Call> calls;
    calls.reserve(m_calls.size());
    for (CallState& state : m_calls) {
        Iax2Call& iax = *state.call.iax2;
        if (iax.plain_voice_frames > 0) {
            iax.media = Iax2Call::Media::plain;
        } else if (iax.encrypted_frames > 0) {
            iax.media = iax.encryption_agreed() ? Iax2Call::Media::aes128 : Iax2Call::Media::unreadable;
        }
        if (iax.media == Iax2Call::Media::aes128) {
            iax.accepted = true;  // the callee took the encryption it answered with (its ACCEPT is encrypted)
        }
        calls.push_back(std::move(state.call));
    }
    return calls;
}

}  // namespace zaudit::session
