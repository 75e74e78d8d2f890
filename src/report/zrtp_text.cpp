// `zaudit zrtp`: every ZRTP handshake in detail.
#include <fmt/format.h>

#include "sections.hpp"
#include "zaudit/report/report.hpp"
#include "zaudit/util/escape.hpp"
#include "zaudit/util/hex.hpp"
#include "zaudit/util/text.hpp"

namespace zaudit::report {
namespace {

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names) {
        out += fmt::format("{}{}", out.empty() ? "" : " ", util::printable(util::trim_padding(name)));
    }
    return out.empty() ? "-" : out;
}

void render_endpoint(const session::ZrtpHandshake& h, const util::Endpoint& endpoint, std::ostream& out) {
    const char* role = h.initiator && *h.initiator == endpoint   ? "initiator"
                       : h.responder && *h.responder == endpoint ? "responder"
                                                                 : "role unknown";
    out << fmt::format("  {} ({})\n", endpoint, role);
    const auto* record = h.hello_of(endpoint);
    if (record == nullptr || record->message.hello() == nullptr) {
        out << "    no Hello captured\n";
        return;
    }
    const auto& hello = *record->message.hello();
    out << fmt::format("    Hello frame {}: version {}  client \"{}\"  ZID {}  flags{}{}{}\n", record->frame,
                       util::printable(util::trim_padding(hello.version)),
                       util::printable(util::trim_padding(hello.client_id)), util::to_hex(hello.zid),
                       hello.signature_capable ? " S" : "", hello.mitm ? " M" : "", hello.passive ? " P" : "");
    out << fmt::format("    offers hash {} | cipher {} | auth {} | key agreement {} | SAS {}\n", joined(hello.hashes),
                       joined(hello.ciphers), joined(hello.auth_tags), joined(hello.key_agreements),
                       joined(hello.sas_types));
}

void render_zrtp_of(const session::Model& model, std::ostream& out) {
    const auto& handshakes = model.handshakes;
    out << fmt::format("{} ZRTP handshake{}\n", handshakes.size(), handshakes.size() == 1 ? "" : "s");
    for (const auto& h : handshakes) {
        out << fmt::format("\nHandshake {}  {} <-> {}  frames {}..{}  {}{}\n", h.id, h.a, h.b, h.first_frame,
                           h.last_frame, h.completed ? "completed" : "NOT completed",
                           h.call ? fmt::format("  call {}", *h.call) : "  no SIP call");
        render_endpoint(h, h.a, out);
        render_endpoint(h, h.b, out);
        if (const auto* commit = h.commit(); commit != nullptr && commit->message.commit() != nullptr) {
            const auto& c = *commit->message.commit();
            out << fmt::format(
                "  chosen (Commit frame {}): hash {} cipher {} auth {} key agreement {} SAS {}\n", commit->frame,
                util::printable(util::trim_padding(c.hash)), util::printable(util::trim_padding(c.cipher)),
                util::printable(util::trim_padding(c.auth_tag)), util::printable(util::trim_padding(c.key_agreement)),
                util::printable(util::trim_padding(c.sas)));
        }
        out << "  messages:";
        for (const auto& m : h.messages) {
            out << fmt::format(" {}@{}{}", zrtp::message_type_name(m.message.type), m.frame,
                               m.copies > 1 ? fmt::format("x{}", m.copies) : "");
        }
        out << '\n';
        if (h.completed && h.secure_time) {
            out << fmt::format("  secure after {:.3f} s (Conf2ACK frame {}); {} RTP packets in clear before\n",
                               static_cast<double>(h.secure_time->micros - h.first_time.micros) / 1e6, *h.secure_frame,
                               h.clear_rtp_before_secure);
        }
        out << "  checks:\n";
        for (const auto& c : h.checks) {
            out << fmt::format("    {:<15} {:<26} {}\n", zrtp::check_outcome_name(c.check.outcome),
                               zrtp::to_string(c.check.id), c.check.reason);
        }
        for (const auto& e : h.events) {
            out << fmt::format("  event frame {}: {} {}\n", e.frame, session::event_label(e),
                               util::printable(e.detail));
        }
        for (const auto& c : h.conflicts) {
            out << fmt::format("  conflict: two different {} from {} (frames {} and {}, first difference at byte {})\n",
                               zrtp::message_type_name(c.type), c.sender, c.first_frame, c.other_frame,
                               c.first_difference);
        }
    }
}

}  // namespace

void render_zrtp(const AuditResult& result, std::ostream& out) {
    if (result.narrowed) {
        out << fmt::format("NARROWED to {}: {}\n\n", narrowing_terms(result.narrowed->narrowing, util::printable),
                           narrowing_counts_text(result.narrowed->counts));
    }
    each_audit(result, out, [&](const InputAudit& audit) { render_zrtp_of(audit.model, out); });
}

}  // namespace zaudit::report
