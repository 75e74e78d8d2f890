// zrtp.error: ZRTP Error messages, one finding per distinct code in a handshake.
#include <algorithm>
#include <array>
#include <map>

#include "rules.hpp"
#include "zaudit/zrtp/algorithms.hpp"
#include "zrtp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

/// Codes that name an attack symptom rather than a configuration mismatch (RFC 6189 section
/// 5.9): bad DH value, hvi mismatch, SAS relayed by an untrusted MiTM, bad Confirm MAC, equal ZIDs.
constexpr std::array<std::uint32_t, 5> k_serious_codes{0x61, 0x62, 0x63, 0x70, 0x90};

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    const StreamsByFlow streams = streams_by_flow(model);
    for (const session::ZrtpHandshake& handshake : model.handshakes) {
        std::map<std::uint32_t, std::vector<const session::ZrtpEvent*>> by_code;
        for (const session::ZrtpEvent& event : handshake.events) {
            if (event.kind == session::ZrtpEventKind::error) {
                by_code[event.code].push_back(&event);
            }
        }
        for (const auto& [code, events] : by_code) {
            const std::string name{zrtp::error_code_name(code).value_or("not defined by RFC 6189")};
            const session::ZrtpEvent& first = *events.front();
            Finding& f = add_handshake_finding(
                streams, sink, handshake,
                fmt::format("ZRTP handshake {}: Error {} ({}) from {}", handshake.id, hex_code(code), name, first.src));
            if (std::find(k_serious_codes.begin(), k_serious_codes.end(), code) != k_serious_codes.end()) {
                f.severity = Severity::high;
            }
            // Error messages carry no MAC: anyone on the path can send one.
            f.confidence = Confidence::inferred;
            for (const auto* event : events) {
                f.frames.push_back(event->frame);
            }
            f.evidence["code"] = hex_code(code);
            f.evidence["name"] = name;
            f.evidence["sender"] = first.src.to_string();
            f.evidence["messages"] = events.size();
            f.evidence["handshake_completed"] = handshake.completed;
            f.evidence["authenticated"] = false;
        }
    }
}

}  // namespace

RuleInfo zrtp_error() {
    return {"zrtp.error",
            Severity::medium,
            "ZRTP Error message",
            "An endpoint sent a ZRTP Error and aborted the handshake, so the stream was not secured by ZRTP. The "
            "evidence names the code. Most codes are configuration or software mismatches (medium); 0x61 (bad DH "
            "value), 0x62 (hvi mismatch), 0x63 (SAS relayed by an untrusted MiTM), 0x70 (bad Confirm MAC) and 0x90 "
            "(equal ZIDs) are what an endpoint reports when it detects an attack, and are high. Error messages "
            "carry no MAC: a party on the path can also forge one to make the endpoints give up on encryption, so "
            "the sender named is only the packet's source.",
            "Look at what happened to the media after the Error (the call.security-downgraded and media rules say "
            "whether it went out in clear). For the attack codes, capture at both ends to find the device that "
            "altered the handshake; for the others, align the endpoints' ZRTP versions and algorithms.",
            "RFC 6189 sections 4.7.1 and 5.9",
            &check};
}

}  // namespace zaudit::analysis::rules
