// The key exchanges of the JSON report: ZRTP handshakes (`zrtp[]`) and DTLS handshakes (`dtls[]`).

#include "json_handshakes.hpp"

#include <fmt/format.h>

#include "zaudit/dtls/handshake.hpp"
#include "zaudit/report/json_document.hpp"
#include "zaudit/util/hex.hpp"
#include "zaudit/util/text.hpp"

namespace zaudit::report {
namespace {

using nlohmann::ordered_json;

/// A ZRTP name as people write it: the wire pads blocks with spaces ("B32 ") and the client id
/// with spaces or NULs (RFC 6189 section 5.1.2).
std::string zrtp_name(std::string_view block) {
    return std::string{util::trim_padding(block)};
}

ordered_json zrtp_names(const std::vector<std::string>& blocks) {
    ordered_json out = ordered_json::array();
    for (const auto& block : blocks) {
        out.push_back(zrtp_name(block));
    }
    return out;
}

ordered_json hello_to_json(const zrtp::Hello& h) {
    return JsonObject{10}
        .add("version", zrtp_name(h.version))
        .add("client_id", zrtp_name(h.client_id))
        .add("zid", util::to_hex(h.zid))
        .add("h3", util::to_hex(h.h3))
        .add(
            "flags",
            std::move(JsonObject{3}.add("signature", h.signature_capable).add("mitm", h.mitm).add("passive", h.passive))
                .take())
        .add("hashes", zrtp_names(h.hashes))
        .add("ciphers", zrtp_names(h.ciphers))
        .add("auth_tags", zrtp_names(h.auth_tags))
        .add("key_agreements", zrtp_names(h.key_agreements))
        .add("sas_types", zrtp_names(h.sas_types))
        .take();
}

std::string profile_label(std::uint16_t profile) {
    const std::string_view name = dtls::profile_name(profile);
    return name == "unknown" ? fmt::format("0x{:04x}", profile) : std::string{name};
}

}  // namespace

ordered_json handshake_to_json(const session::ZrtpHandshake& h) {
    ordered_json endpoints = ordered_json::array();
    for (const auto* endpoint : {&h.a, &h.b}) {
        JsonObject e{4};
        e.add("address", endpoint->to_string())
            .add("role", h.initiator && *h.initiator == *endpoint   ? "initiator"
                         : h.responder && *h.responder == *endpoint ? "responder"
                                                                    : "unknown");
        if (const auto* hello = h.hello_of(*endpoint); hello != nullptr && hello->message.hello() != nullptr) {
            e.add("hello", hello_to_json(*hello->message.hello())).add("hello_frame", hello->frame);
        }
        endpoints.push_back(e.take());
    }
    ordered_json chosen = nullptr;
    if (const auto* commit = h.commit(); commit != nullptr && commit->message.commit() != nullptr) {
        const auto& c = *commit->message.commit();
        chosen = JsonObject{6}
                     .add("hash", zrtp_name(c.hash))
                     .add("cipher", zrtp_name(c.cipher))
                     .add("auth_tag", zrtp_name(c.auth_tag))
                     .add("key_agreement", zrtp_name(c.key_agreement))
                     .add("sas", zrtp_name(c.sas))
                     .add("mode", c.mode == zrtp::CommitMode::dh            ? "dh"
                                  : c.mode == zrtp::CommitMode::multistream ? "multistream"
                                                                            : "preshared")
                     .take();
    }
    ordered_json messages = ordered_json::array();
    for (const auto& m : h.messages) {
        messages.push_back(JsonObject{5}
                               .add("frame", m.frame)
                               .add("time", util::to_rfc3339(m.time))
                               .add("from", m.src.to_string())
                               .add("type", zrtp::message_type_name(m.message.type))
                               .add("copies", m.copies)
                               .take());
    }
    ordered_json checks = ordered_json::array();
    for (const auto& c : h.checks) {
        checks.push_back(JsonObject{4}
                             .add("name", zrtp::to_string(c.check.id))
                             .add("outcome", zrtp::check_outcome_name(c.check.outcome))
                             .add("frames", c.frames)
                             .add("reason", c.check.reason)
                             .take());
    }
    ordered_json events = ordered_json::array();
    for (const auto& e : h.events) {
        events.push_back(JsonObject{4}
                             .add("frame", e.frame)
                             .add("from", e.src.to_string())
                             .add("what", session::event_label(e))
                             .add("detail", e.detail)
                             .take());
    }
    return JsonObject{16}  // with the input write_json adds
        .add("id", h.id)
        .add("flow", h.flow)
        .add_optional("call", h.call)
        .add("endpoints", std::move(endpoints))
        .add("completed", h.completed)
        .add_optional("secure_frame", h.secure_frame)
        .add("chosen", std::move(chosen))
        .add("first_frame", h.first_frame)
        .add("last_frame", h.last_frame)
        .add("packets", h.packets)
        .add("clear_rtp_before_secure", h.clear_rtp_before_secure)
        .add("messages", std::move(messages))
        .add("checks", std::move(checks))
        .add("conflicts", h.conflicts.size())
        .add("events", std::move(events))
        .take();
}

ordered_json dtls_to_json(const session::DtlsHandshake& h) {
    ordered_json offered = ordered_json::array();
    for (const std::uint16_t profile : h.offered_profiles) {
        offered.push_back(profile_label(profile));
    }
    ordered_json certificates = ordered_json::array();
    for (const session::DtlsCertificate& c : h.certificates) {
        certificates.push_back(
            {{"frame", c.frame},
             {"from", c.sender.to_string()},
             {"role", c.sender == h.client ? "client" : "server"},
             {"chain_length", c.chain_length},
             {"hash_function", c.hash_function.empty() ? ordered_json(nullptr) : ordered_json(c.hash_function)},
             {"fingerprint", c.computed.empty() ? ordered_json(nullptr) : ordered_json(c.computed)},
             {"sdp_fingerprint", c.announced.empty() ? ordered_json(nullptr) : ordered_json(c.announced)},
             {"sdp_frame", c.sdp ? ordered_json(c.sdp_frame) : ordered_json(nullptr)},
             {"sdp_matched_by", session::to_string(c.matched_by)},
             {"verdict", session::to_string(c.verdict)},
             {"reason", c.reason.empty() ? ordered_json(nullptr) : ordered_json(c.reason)}});
    }
    const auto optional_frame = [](const std::optional<std::uint64_t>& frame) {
        return frame ? ordered_json(*frame) : ordered_json(nullptr);
    };
    const char* verdict = h.any_mismatch() ? "mismatch" : h.verified() ? "verified" : "not-verifiable";
    return {{"id", h.id},
            {"flow", h.flow},
            {"call", h.call ? ordered_json(*h.call) : ordered_json(nullptr)},
            {"client", h.client_known ? ordered_json(h.client.to_string()) : ordered_json(nullptr)},
            {"server", h.client_known ? ordered_json(h.server.to_string()) : ordered_json(nullptr)},
            {"version", h.version == 0 ? ordered_json(nullptr) : ordered_json(fmt::format("0x{:04x}", h.version))},
            {"dtls13", h.dtls13},
            {"completed", h.completed},
            {"client_hello_frame", optional_frame(h.client_hello_frame)},
            {"server_hello_frame", optional_frame(h.server_hello_frame)},
            {"offered_profiles", std::move(offered)},
            {"selected_profile",
             h.selected_profile ? ordered_json(profile_label(*h.selected_profile)) : ordered_json(nullptr)},
            {"certificates", std::move(certificates)},
            {"verdict", verdict},
            {"not_verifiable", h.not_verifiable.empty() ? ordered_json(nullptr) : ordered_json(h.not_verifiable)},
            {"first_frame", h.first_frame},
            {"last_frame", h.last_frame},
            {"records", h.records},
            {"retransmitted_fragments", h.retransmitted_fragments},
            {"encrypted_records", h.encrypted_records}};
}

}  // namespace zaudit::report
