// Shared ZRTP facts for the rules (see zrtp_facts.hpp).
#include "zrtp_facts.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "zaudit/util/hex.hpp"

namespace zaudit::analysis::rules {

const session::Call* find_call(const session::Model& model, std::optional<std::uint32_t> id) {
    return id ? model.call(*id) : nullptr;
}

const session::Call* call_of(const session::Model& model, const session::ZrtpHandshake& handshake) {
    return find_call(model, handshake.call);
}

std::string hex_code(std::uint32_t code) {
    return fmt::format("0x{:02x}", code);
}

std::string zid_hex(const zrtp::Zid& zid) {
    return util::to_hex(zid);
}

nlohmann::ordered_json handshake_evidence(const session::ZrtpHandshake& handshake) {
    nlohmann::ordered_json evidence = {{"handshake", handshake.id}};
    evidence["call"] = handshake.call ? nlohmann::ordered_json(*handshake.call) : nlohmann::ordered_json();
    evidence["endpoint_a"] = handshake.a.to_string();
    evidence["endpoint_b"] = handshake.b.to_string();
    if (handshake.initiator) {
        evidence["initiator"] = handshake.initiator->to_string();
    }
    if (handshake.responder) {
        evidence["responder"] = handshake.responder->to_string();
    }
    return evidence;
}

Finding& add_handshake_finding(const StreamsByFlow& streams, FindingSink& sink, const session::ZrtpHandshake& handshake,
                               std::string message) {
    Finding& f = sink.add(std::move(message));
    f.call = handshake.call;
    if (const auto on_flow = streams[handshake.flow]; !on_flow.empty()) {
        f.stream = on_flow.front()->id;
    }
    f.evidence = handshake_evidence(handshake);
    return f;
}

namespace {

bool is_hello_chain_check(zrtp::CheckId id) {
    return id == zrtp::CheckId::hello_h3 || id == zrtp::CheckId::hello_mac || id == zrtp::CheckId::responder_hello_h3 ||
           id == zrtp::CheckId::responder_hello_mac;
}

/// What the checks of one kind say about one Hello copy: failed when any failed, passed when
/// some passed and none failed, nullopt when none could be made.
std::optional<bool> copy_passes(const session::ZrtpHandshake& handshake, std::uint64_t frame, bool chain) {
    std::optional<bool> verdict;
    for (const session::ZrtpCheck& entry : handshake.checks) {
        const bool kind = chain ? is_hello_chain_check(entry.check.id) : entry.check.id == zrtp::CheckId::zrtp_hash;
        if (!kind || std::find(entry.frames.begin(), entry.frames.end(), frame) == entry.frames.end()) {
            continue;
        }
        if (entry.check.outcome == zrtp::CheckOutcome::failed) {
            return false;
        }
        if (entry.check.outcome == zrtp::CheckOutcome::passed) {
            verdict = true;
        }
    }
    return verdict;
}

}  // namespace

std::vector<HelloEdit> hello_edits(const session::ZrtpHandshake& handshake) {
    std::vector<HelloEdit> edits;
    for (const session::ZrtpConflict& conflict : handshake.conflicts) {
        const auto* first = handshake.record_at(conflict.first_frame);
        const auto* other = handshake.record_at(conflict.other_frame);
        if (conflict.type != zrtp::MessageType::hello || first == nullptr || other == nullptr) {
            continue;
        }
        for (const bool chain : {true, false}) {
            const auto a = copy_passes(handshake, first->frame, chain);
            const auto b = copy_passes(handshake, other->frame, chain);
            if (a && b && *a != *b) {
                edits.push_back(HelloEdit{&conflict, *a ? other : first, *a ? first : other, chain});
                break;
            }
            if (a || b) {
                break;  // the hash chain decided (both pass or both fail): a=zrtp-hash does not overrule it
            }
        }
    }
    return edits;
}

bool explained_by_hello_edit(std::span<const HelloEdit> edits, const session::ZrtpCheck& check) {
    if (!is_hello_chain_check(check.check.id) && check.check.id != zrtp::CheckId::zrtp_hash) {
        return false;
    }
    return std::any_of(edits.begin(), edits.end(), [&](const HelloEdit& edit) {
        return std::find(check.frames.begin(), check.frames.end(), edit.edited->frame) != check.frames.end();
    });
}

void report_failed_checks(const session::Model& model, FindingSink& sink, std::span<const zrtp::CheckId> ids) {
    const StreamsByFlow streams = streams_by_flow(model);
    for (const session::ZrtpHandshake& handshake : model.handshakes) {
        const auto edits = hello_edits(handshake);
        for (const session::ZrtpCheck& entry : handshake.checks) {
            const zrtp::Check& check = entry.check;
            // not_verifiable is listed by the zrtp command, never reported as a finding.
            if (check.outcome != zrtp::CheckOutcome::failed ||
                std::find(ids.begin(), ids.end(), check.id) == ids.end() || explained_by_hello_edit(edits, entry)) {
                continue;
            }
            Finding& f = add_handshake_finding(
                streams, sink, handshake,
                fmt::format("ZRTP handshake {} ({} <-> {}): check {} failed{}", handshake.id, handshake.a, handshake.b,
                            zrtp::to_string(check.id), check.reason.empty() ? "" : ": " + check.reason));
            f.confidence = Confidence::verified;  // the value was recomputed from the capture
            f.frames = entry.frames;
            f.evidence["check"] = zrtp::to_string(check.id);
            f.evidence["expected"] = check.expected;
            f.evidence["observed"] = check.observed;
            f.evidence["reason"] = check.reason;
        }
    }
}

bool sdp_offers_zrtp(const session::Call& call, const util::Endpoint& endpoint) {
    return std::any_of(call.sdps.begin(), call.sdps.end(), [&](const session::SdpSnapshot& sdp) {
        return std::any_of(sdp.media.begin(), sdp.media.end(), [&](const session::SdpMedia& media) {
            return media.rtp == endpoint && !media.zrtp_hashes.empty();
        });
    });
}

const session::ZrtpMessageRecord* last_message_of(const session::ZrtpHandshake& handshake,
                                                  const util::Endpoint& sender) {
    const session::ZrtpMessageRecord* last = nullptr;
    for (const auto& record : handshake.messages) {
        if (record.src == sender && (last == nullptr || record.frame > last->frame)) {
            last = &record;
        }
    }
    return last;
}

bool flow_secured_elsewhere(const HandshakesByFlow& handshakes, const session::ZrtpHandshake& handshake) {
    const auto on_flow = handshakes[handshake.flow];
    return std::any_of(on_flow.begin(), on_flow.end(), [&](const session::ZrtpHandshake* other) {
        return other->id != handshake.id && other->completed;
    });
}

bool declares_trusted_mitm(const session::ZrtpHandshake& handshake) {
    const auto& messages = handshake.messages;
    const bool flag = std::any_of(messages.begin(), messages.end(), [](const session::ZrtpMessageRecord& r) {
        return r.message.hello() != nullptr && r.message.hello()->mitm;
    });
    return flag || std::any_of(handshake.events.begin(), handshake.events.end(),
                               [](const session::ZrtpEvent& e) { return e.kind == session::ZrtpEventKind::sas_relay; });
}

}  // namespace zaudit::analysis::rules
