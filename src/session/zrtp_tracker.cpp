#include "zrtp_tracker.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "anomaly_log.hpp"
#include "zaudit/util/name_table.hpp"
#include "zaudit/zrtp/algorithms.hpp"

namespace zaudit::session {
namespace {

using zrtp::MessageType;

constexpr util::NameTable<ZrtpEventKind, static_cast<std::size_t>(ZrtpEventKind::count_)> k_event_names{{{
    {ZrtpEventKind::crc_invalid, "crc_invalid"},
    {ZrtpEventKind::anomaly, "anomaly"},
    {ZrtpEventKind::error, "error"},
    {ZrtpEventKind::go_clear, "go_clear"},
    {ZrtpEventKind::clear_ack, "clear_ack"},
    {ZrtpEventKind::sas_relay, "sas_relay"},
}}};
static_assert(k_event_names.complete(), "every ZrtpEventKind has one distinct name, in declaration order");

/// Messages whose content is fixed for one handshake: a second copy that differs means a
/// second party is speaking (RFC 6189 section 6: retransmissions repeat the same message).
bool must_repeat_identically(MessageType type) {
    switch (type) {
        case MessageType::hello:
        case MessageType::commit:
        case MessageType::dhpart1:
        case MessageType::dhpart2:
        case MessageType::confirm1:
        case MessageType::confirm2:
        case MessageType::sas_relay: return true;
        default: return false;
    }
}

std::size_t first_difference(const std::vector<std::uint8_t>& x, const std::vector<std::uint8_t>& y) {
    const auto [ix, iy] = std::mismatch(x.begin(), x.end(), y.begin(), y.end());
    return static_cast<std::size_t>(ix - x.begin());
}

void note_event(ZrtpHandshake& handshake, const net::Packet& packet, const zrtp::Message& message) {
    const auto add = [&](ZrtpEventKind kind, std::string detail, std::uint32_t code = 0) {
        handshake.events.push_back(
            ZrtpEvent{packet.frame, packet.time, packet.src, kind, std::move(detail), code, std::nullopt});
    };
    switch (message.type) {
        case MessageType::error:
            if (const auto* error = message.error()) {
                add(ZrtpEventKind::error, std::string{zrtp::error_code_name(error->code).value_or("unknown code")},
                    error->code);
            }
            break;
        case MessageType::go_clear: add(ZrtpEventKind::go_clear, ""); break;
        case MessageType::clear_ack: add(ZrtpEventKind::clear_ack, ""); break;
        case MessageType::sas_relay: add(ZrtpEventKind::sas_relay, ""); break;
        default: break;
    }
}

/// Each anomaly as a handshake event too, so that the handshake's evidence lists it.
void note_anomalies(ZrtpHandshake& handshake, const net::Packet& packet, const std::vector<util::Anomaly>& anomalies) {
    for (const auto& anomaly : anomalies) {
        handshake.events.push_back(
            ZrtpEvent{packet.frame, packet.time, packet.src, ZrtpEventKind::anomaly, anomaly.detail, 0, anomaly.code});
    }
}

/// Feeds a bzrtp fragment to the assembler: the whole message once its last piece is in. What
/// the reassembly, and the message it gave, found malformed is noted against this packet.
std::optional<zrtp::Message> reassemble(ZrtpHandshake& handshake, zrtp::FragmentAssembler& fragments,
                                        const net::Packet& packet, const zrtp::Packet& parsed, AnomalyLog& anomalies) {
    auto assembled = fragments.add(parsed.header.ssrc, *parsed.fragment);
    anomalies.add_all(assembled.anomalies, packet.frame);
    note_anomalies(handshake, packet, assembled.anomalies);
    if (assembled.message) {
        // The message's offsets count from its own start, not from this packet: the detail says where.
        std::vector<util::Anomaly> in_message = assembled.message->anomalies;
        for (auto& anomaly : in_message) {
            anomaly.detail = fmt::format("reassembled message, offset {}: {}", anomaly.offset, anomaly.detail);
            anomaly.offset = zrtp::k_fragment_header_size;
        }
        anomalies.add_all(in_message, packet.frame);
        note_anomalies(handshake, packet, in_message);
    }
    return std::move(assembled.message);
}

/// A copy that differs from `record`, the distinct message of its sender and type: counted
/// when its content was seen before, else kept (so that it is verified too) with one conflict.
void add_variant(ZrtpHandshake& handshake, const ZrtpMessageRecord& record, ZrtpMessageRecord copy) {
    for (auto& variant : handshake.variants) {
        if (variant.src == copy.src && variant.message.bytes == copy.message.bytes) {
            ++variant.copies;
            return;
        }
    }
    handshake.conflicts.push_back(ZrtpConflict{copy.message.type, copy.src, record.frame, copy.frame,
                                               first_difference(record.message.bytes, copy.message.bytes)});
    handshake.variants.push_back(std::move(copy));
}

}  // namespace

std::string_view to_string(ZrtpEventKind kind) {
    return k_event_names.name(kind);
}

std::optional<ZrtpEventKind> zrtp_event_kind_from_string(std::string_view name) {
    return k_event_names.find(name);
}

std::string event_label(const ZrtpEvent& event) {
    if (event.kind == ZrtpEventKind::anomaly && event.anomaly) {
        return fmt::format("{}:{}", to_string(event.kind), util::to_string(*event.anomaly));
    }
    return std::string{to_string(event.kind)};
}

bool add_zrtp_packet(ZrtpHandshake& handshake, zrtp::FragmentAssembler& fragments, const net::Packet& packet,
                     AnomalyLog& anomalies) {
    zrtp::Packet parsed = zrtp::parse_packet(packet.payload, packet.payload_truncated);
    if ((parsed.crc_valid || parsed.cut) && parsed.message && parsed.message->type == MessageType::hello &&
        handshake.find(MessageType::conf2_ack) != nullptr) {
        const auto* earlier = handshake.hello_of(packet.src);
        if (earlier != nullptr && earlier->message.bytes != parsed.message->bytes) {
            return false;
        }
    }
    if (handshake.packets++ == 0) {
        handshake.a = packet.src;
        handshake.b = packet.dst;
        handshake.first_frame = packet.frame;
        handshake.first_time = packet.time;
    }
    handshake.last_frame = packet.frame;
    handshake.last_time = packet.time;

    anomalies.add_all(parsed.anomalies, packet.frame);
    if (!parsed.crc_valid && !parsed.cut) {
        // An endpoint drops a packet whose CRC fails (RFC 6189 section 5), so its content
        // takes no part in the handshake: this one event stands for the packet, evidence of
        // damage or forgery (its anomalies, zrtp.crc_mismatch among them, are in the model's).
        handshake.events.push_back(ZrtpEvent{
            packet.frame, packet.time, packet.src, ZrtpEventKind::crc_invalid,
            fmt::format("stored {:08x}, computed {:08x}", parsed.crc_stored, parsed.crc_computed), 0, std::nullopt});
        return true;
    }
    note_anomalies(handshake, packet, parsed.anomalies);
    std::optional<zrtp::Message> message = std::move(parsed.message);
    bool reassembled = false;
    if (parsed.fragment && !parsed.cut) {  // a cut fragment would reassemble into a wrong message
        message = reassemble(handshake, fragments, packet, parsed, anomalies);
        reassembled = message.has_value();
    }
    if (!message) {
        return true;
    }
    note_event(handshake, packet, *message);
    ZrtpMessageRecord copy{packet.frame,           packet.time, packet.src,  packet.dst,         parsed.header.ssrc,
                           parsed.header.sequence, 1,           reassembled, std::move(*message)};
    for (auto& record : handshake.messages) {
        if (record.src != packet.src || record.message.type != copy.message.type) {
            continue;
        }
        if (record.message.bytes == copy.message.bytes) {
            ++record.copies;
            return true;
        }
        if (must_repeat_identically(copy.message.type)) {
            add_variant(handshake, record, std::move(copy));
            return true;
        }
    }
    handshake.messages.push_back(std::move(copy));
    return true;
}

namespace {

/// The frames of the messages a check compared, in order.
std::vector<std::uint64_t> frames_of(const std::vector<const zrtp::Message*>& compared,
                                     const ZrtpHandshake& handshake) {
    std::vector<std::uint64_t> frames;
    for (const auto& record : handshake.messages) {
        if (std::find(compared.begin(), compared.end(), &record.message) != compared.end()) {
            frames.push_back(record.frame);
        }
    }
    std::sort(frames.begin(), frames.end());
    return frames;
}

const ZrtpMessageRecord* record_or_null(const ZrtpHandshake& h, MessageType type,
                                        const std::optional<util::Endpoint>& who) {
    return who ? h.find(type, &*who) : nullptr;
}

/// Adds a check of two copies unless the same check of the same frames is already there.
void add_pair_check(ZrtpHandshake& handshake, zrtp::Check check, const ZrtpMessageRecord& x,
                    const ZrtpMessageRecord& y) {
    std::vector<std::uint64_t> frames{x.frame, y.frame};
    std::sort(frames.begin(), frames.end());
    const bool present = std::any_of(handshake.checks.begin(), handshake.checks.end(),
                                     [&](const ZrtpCheck& c) { return c.check.id == check.id && c.frames == frames; });
    if (!present) {
        handshake.checks.push_back(ZrtpCheck{std::move(check), std::move(frames)});
    }
}

/// The hash-chain checks that verify_handshake() did not make because they involve a variant
/// (a differing copy) or the Commit of the endpoint that yielded under Commit contention
/// (RFC 6189 section 4.2: both endpoints sent a Commit; each one revealed its sender's H2). Per
/// endpoint: every Hello copy against every Commit copy of the same sender (H2: hello_h3,
/// hello_mac) and every DHPart1 copy (SHA-256(H1): responder_hello_*); every Commit copy against
/// every DHPart copy of the same sender (H1: commit_h2, commit_mac), the yielding endpoint's
/// DHPart1 included. Same chain, same sender: all of them hold for a genuine endpoint.
void verify_copies(ZrtpHandshake& handshake) {
    for (const auto* endpoint : {&handshake.a, &handshake.b}) {
        const auto hellos = handshake.copies_of(MessageType::hello, *endpoint);
        const auto commits = handshake.copies_of(MessageType::commit, *endpoint);
        const auto dhpart1s = handshake.copies_of(MessageType::dhpart1, *endpoint);
        auto dhparts = handshake.copies_of(MessageType::dhpart2, *endpoint);
        dhparts.insert(dhparts.end(), dhpart1s.begin(), dhpart1s.end());
        for (const auto* hello : hellos) {
            for (const auto* commit : commits) {
                add_pair_check(handshake, zrtp::check_hello_h3(hello->message, commit->message), *hello, *commit);
                add_pair_check(handshake, zrtp::check_hello_mac(hello->message, commit->message), *hello, *commit);
            }
            for (const auto* dhpart1 : dhpart1s) {
                add_pair_check(handshake, zrtp::check_responder_hello_h3(hello->message, dhpart1->message), *hello,
                               *dhpart1);
                add_pair_check(handshake, zrtp::check_responder_hello_mac(hello->message, dhpart1->message), *hello,
                               *dhpart1);
            }
        }
        for (const auto* commit : commits) {
            for (const auto* dhpart : dhparts) {
                add_pair_check(handshake, zrtp::check_commit_h2(commit->message, dhpart->message), *commit, *dhpart);
                add_pair_check(handshake, zrtp::check_commit_mac(commit->message, dhpart->message), *commit, *dhpart);
            }
        }
    }
}

/// a=zrtp-hash (RFC 6189 section 8.1): each endpoint's SDP binds the Hello it will send; every
/// copy of that endpoint's Hello is checked, so that an edited copy shows against the original.
void verify_zrtp_hashes(ZrtpHandshake& handshake, const Call& call) {
    for (const auto* endpoint : {&handshake.a, &handshake.b}) {
        for (const auto* hello : handshake.copies_of(MessageType::hello, *endpoint)) {
            for (const auto& sdp : call.sdps) {
                for (const auto& media : sdp.media) {
                    if (media.rtp != *endpoint) {
                        continue;
                    }
                    for (const auto& value : media.zrtp_hashes) {
                        auto check = zrtp::check_zrtp_hash(hello->message, value);
                        const bool repeated =
                            std::any_of(handshake.checks.begin(), handshake.checks.end(), [&](const ZrtpCheck& c) {
                                return c.check.id == check.id && c.check.observed == check.observed &&
                                       c.check.expected == check.expected;
                            });
                        if (!repeated) {
                            handshake.checks.push_back(ZrtpCheck{std::move(check), {sdp.frame, hello->frame}});
                        }
                    }
                }
            }
        }
    }
}

}  // namespace

void finish_handshake(ZrtpHandshake& handshake, const Call* call) {
    // Roles (RFC 6189 section 4.2): with Commit contention both sides send a Commit, and the
    // one that goes on to send DHPart2 is the initiator.
    if (const auto* dhpart2 = handshake.find(MessageType::dhpart2)) {
        handshake.initiator = dhpart2->src;
    } else if (const auto* commit = handshake.find(MessageType::commit)) {
        handshake.initiator = commit->src;
    }
    if (handshake.initiator) {
        handshake.responder = *handshake.initiator == handshake.a ? handshake.b : handshake.a;
    }
    if (const auto* ack = handshake.find(MessageType::conf2_ack)) {
        handshake.completed = true;
        handshake.secure_frame = ack->frame;
        handshake.secure_time = ack->time;
    }
    const auto* ih = record_or_null(handshake, MessageType::hello, handshake.initiator);
    const auto* rh = record_or_null(handshake, MessageType::hello, handshake.responder);
    const auto* commit = record_or_null(handshake, MessageType::commit, handshake.initiator);
    const auto* dh1 = record_or_null(handshake, MessageType::dhpart1, handshake.responder);
    const auto* dh2 = record_or_null(handshake, MessageType::dhpart2, handshake.initiator);
    const auto message_of = [](const ZrtpMessageRecord* r) { return r != nullptr ? &r->message : nullptr; };
    const zrtp::HandshakeMessages hs{message_of(ih), message_of(rh), message_of(commit), message_of(dh1),
                                     message_of(dh2)};
    if (handshake.initiator) {
        for (auto& verified : zrtp::verify_handshake(hs)) {
            auto frames = frames_of(verified.compared, handshake);
            handshake.checks.push_back(ZrtpCheck{std::move(verified.check), std::move(frames)});
        }
    }
    verify_copies(handshake);
    if (call != nullptr) {
        verify_zrtp_hashes(handshake, *call);
    }
}

}  // namespace zaudit::session
