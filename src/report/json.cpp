#include <cmath>

#include <fmt/compile.h>
#include <fmt/format.h>

#include <map>

#include "zaudit/report/json_document.hpp"
#include "json_handshakes.hpp"
#include "sections.hpp"
#include "zaudit/analysis/verdict.hpp"
#include "zaudit/report/report.hpp"
#include "zaudit/util/escape.hpp"
#include "zaudit/util/text.hpp"

namespace zaudit::report {
namespace {

using nlohmann::ordered_json;

ordered_json optional_time(const std::optional<util::Timestamp>& t) {
    return t ? ordered_json(util::to_rfc3339(*t)) : ordered_json(nullptr);
}

ordered_json flow_to_json(const session::FlowRecord& flow) {
    ordered_json kinds = ordered_json::object();
    for (const auto kind : flow.kinds()) {
        kinds[demux::to_string(kind)] = flow.packets_by_kind[static_cast<std::size_t>(kind)];
    }
    JsonObject j{14};
    j.add("id", flow.id)
        .add("transport", flow.transport == net::Transport::udp ? "udp" : "tcp")
        .add("a", flow.a.to_string())
        .add("b", flow.b.to_string())
        .add("packets_ab", flow.packets_ab)
        .add("packets_ba", flow.packets_ba)
        .add("bytes_ab", flow.bytes_ab)
        .add("bytes_ba", flow.bytes_ba)
        .add("first_frame", flow.first_frame)
        .add("last_frame", flow.last_frame)
        .add("first_time", util::to_rfc3339(flow.first_time))
        .add("last_time", util::to_rfc3339(flow.last_time))
        .add("payloads", std::move(kinds));
    if (flow.transport == net::Transport::tcp) {
        j.add("tcp", JsonObject{2}
                         .add("gap_bytes", flow.tcp_gap_bytes)
                         .add("retransmitted_bytes", flow.tcp_retransmitted_bytes)
                         .take());
    }
    return j.take();
}

ordered_json srtp_checks_to_json(const std::vector<session::SrtpKeyCheck>& checks) {
    ordered_json out = ordered_json::array();
    for (const auto& c : checks) {
        ordered_json settled = nullptr;
        if (c.settled != session::SrtpKeyCheck::Settled::no) {
            settled = JsonObject{2}.add("verdict", session::to_string(c.settled)).add("after", c.settled_after).take();
        }
        JsonObject j{11};
        j.add("source", session::to_string(c.source))
            .add("key_fingerprint", c.key_fingerprint)
            .add("suite", c.suite)
            .add("coverage", session::to_string(c.coverage))
            .add("settled", std::move(settled))
            .add("checked", c.checked)
            .add("authenticated", c.authenticated)
            .add("auth_failed", c.auth_failed)
            .add("replayed", c.replayed)
            .add("failed_frames", c.failed_frames);
        if (!c.error.empty()) {
            j.add("error", c.error);
        }
        out.push_back(j.take());
    }
    return out;
}

ordered_json timeline_to_json(const std::vector<session::ProtectionPeriod>& timeline) {
    ordered_json out = ordered_json::array();
    for (const auto& period : timeline) {
        out.push_back(JsonObject{2}
                          .add("from_frame", period.from_frame)
                          .add("protection", session::to_string(period.protection))
                          .take());
    }
    return out;
}

/// Milliseconds to three decimals (microsecond resolution, as tshark prints them); null when unknown.
ordered_json millis(std::optional<double> ms) {
    return ms ? ordered_json(std::round(*ms * 1000) / 1000) : ordered_json(nullptr);
}

ordered_json codecs_to_json(const std::vector<session::StreamCodec>& codecs) {
    ordered_json out = ordered_json::array();
    for (const auto& c : codecs) {
        const bool known = c.source != session::StreamCodec::Source::unknown;
        out.push_back(
            JsonObject{4}
                .add("payload_type", c.payload_type)
                .add("name", known ? ordered_json(c.name) : ordered_json(nullptr))
                .add("clock_rate", known && c.clock_rate != 0 ? ordered_json(c.clock_rate) : ordered_json(nullptr))
                .add("source", session::to_string(c.source))
                .take());
    }
    return out;
}

ordered_json media_to_json(const session::MediaStream& m) {
    ordered_json pts = ordered_json::array();
    for (std::size_t pt = 0; pt < m.payload_types.size(); ++pt) {
        if (m.payload_types.test(pt)) {
            pts.push_back(pt);
        }
    }
    const auto rounded = [](double value) { return std::round(value * 1000) / 1000; };
    JsonObject rtp{9};
    rtp.add("lost", m.lost)
        .add("lost_percent", rounded(m.lost_percent))
        .add("duplicates", m.duplicates)
        .add("conflicting_duplicates", m.conflicting_duplicates)
        .add("out_of_order", m.out_of_order)
        .add("jitter_ms", millis(m.jitter_ms))
        .add("mean_jitter_ms", millis(m.mean_jitter_ms))
        .add("max_jitter_ms", millis(m.max_jitter_ms))
        .add("max_delta_ms", millis(m.max_delta_ms));
    JsonObject payload{4};
    payload.add("entropy_bits", rounded(m.payload_entropy))
        .add("first_byte_share", rounded(m.first_byte_share))
        .add("sampled_bytes", m.sampled_bytes)
        .add_optional("looks_encrypted", m.payload_looks_encrypted);
    ordered_json twin = nullptr;
    if (m.twin) {
        twin = JsonObject{3}
                   .add("stream", m.twin->stream)
                   .add("matched", m.twin->matched)
                   .add("identical", m.twin->identical)
                   .take();
    }
    JsonObject j{20};
    j.add("id", m.id)
        .add("flow", m.flow)
        .add("src", m.src.to_string())
        .add("dst", m.dst.to_string())
        .add("ssrc", fmt::format(FMT_COMPILE("0x{:08x}"), m.ssrc))
        .add("packets", m.packets)
        .add("bytes", m.bytes)
        .add("first_frame", m.first_frame)
        .add("last_frame", m.last_frame)
        .add("first_time", util::to_rfc3339(m.first_time))
        .add("last_time", util::to_rfc3339(m.last_time))
        .add("payload_types", std::move(pts))
        .add("codecs", codecs_to_json(m.codecs))
        .add("ttl", JsonObject{3}.add("min", m.ttl_min).add("max", m.ttl_max).add("changes", m.ttl_changes).take())
        .add("rtp", rtp.take())
        .add("payload", payload.take())
        .add("srtp_checks", srtp_checks_to_json(m.srtp_checks))
        .add("protection", session::to_string(m.protection))
        .add("protection_timeline", timeline_to_json(m.protection_timeline))
        .add("leg", m.leg == 0 ? ordered_json(nullptr) : ordered_json(m.leg))
        .add("twin", std::move(twin));
    return j.take();
}

ordered_json legs_to_json(const session::Call& call) {
    ordered_json out = ordered_json::array();
    for (const session::CallLeg& leg : call.legs) {
        out.push_back(JsonObject{7}
                          .add("id", leg.id)
                          .add("a", leg.a.to_string())
                          .add("b", leg.b.to_string())
                          .add("role", session::to_string(leg.role))
                          .add("first_frame", leg.first_frame)
                          .add("media", leg.media)
                          .add("protection", leg.media.empty() ? ordered_json(nullptr)
                                                               : ordered_json(session::to_string(leg.protection)))
                          .take());
    }
    return out;
}

ordered_json linked_to_json(const session::Call& call) {
    ordered_json out = ordered_json::array();
    for (const session::Call::Link& link : call.linked_calls) {
        out.push_back({{"call", link.call}, {"by", session::to_string(link.by)}});
    }
    return out;
}

ordered_json path_to_json(const session::Call& call) {
    ordered_json out = ordered_json::array();
    for (const session::PathNode& node : call.path) {
        ordered_json addresses = ordered_json::array();
        for (const auto& address : node.addresses) {
            addresses.push_back(address.to_string());
        }
        ordered_json twins = ordered_json::array();
        for (const auto& [in, out_stream] : node.twin_streams) {
            twins.push_back({in, out_stream});
        }
        const bool relay = node.kind == session::PathNode::Kind::media_relay;
        ordered_json address = addresses.empty() ? ordered_json(nullptr) : addresses.front();
        out.push_back(
            JsonObject{9}
                .add("address", std::move(address))
                .add("addresses", std::move(addresses))
                .add("kind", session::to_string(node.kind))
                .add("on_wire", node.on_wire)
                .add("keeps_keys", node.keeps_keys)
                .add("forwarding", relay ? ordered_json(session::to_string(node.forwarding)) : ordered_json(nullptr))
                .add("anchored_in", node.anchored_in)
                .add("twin_streams", std::move(twins))
                .add("protection_to_next", node.protection_to_next
                                               ? ordered_json(session::to_string(*node.protection_to_next))
                                               : ordered_json(nullptr))
                .take());
    }
    return out;
}

/// An IAX2 call's own facts (calls[].iax2): call numbers, encryption, voice frames.
ordered_json iax2_to_json(const session::Iax2Call& iax) {
    ordered_json events = ordered_json::array();
    for (const session::Iax2Event& event : iax.events) {
        events.push_back({{"frame", event.frame},
                          {"src", event.src.to_string()},
                          {"dst", event.dst.to_string()},
                          {"name", event.name}});
    }
    const auto frame_or_null = [](std::uint64_t frame) {
        return frame == 0 ? ordered_json(nullptr) : ordered_json(frame);
    };
    return {{"caller", iax.caller.to_string()},
            {"callee", iax.callee.to_string()},
            {"caller_call_number", iax.caller_call},
            {"callee_call_number", iax.callee_call},
            {"accepted", iax.accepted},
            {"md5_challenge", iax.md5_challenge},
            {"encryption_offered", iax.encryption_offered.has_value() && (*iax.encryption_offered & 1) != 0},
            {"encryption_agreed", iax.encryption_agreed()},
            {"protection", iax.media == session::Iax2Call::Media::none ? ordered_json(nullptr)
                                                                       : ordered_json(session::to_string(iax.media))},
            {"codecs", iax.codecs},
            {"voice_frames", iax.plain_voice_frames},
            {"voice_bytes", iax.plain_voice_bytes},
            {"encrypted_frames", iax.encrypted_frames},
            {"first_voice_frame", frame_or_null(iax.first_voice_frame)},
            {"first_encrypted_frame", frame_or_null(iax.first_encrypted_frame)},
            {"cause", iax.cause},
            {"events", std::move(events)}};
}

ordered_json call_to_json(const session::Call& call, const session::Model& model) {
    ordered_json media = ordered_json::array();
    for (const std::uint32_t id : call.media) {
        if (const session::MediaStream* stream = model.stream(id)) {
            media.push_back(media_to_json(*stream));
        }
    }
    ordered_json outcome = nullptr;
    if (call.outcome) {
        outcome = JsonObject{3}
                      .add("status", call.outcome->status)
                      .add("reason", call.outcome->reason)
                      .add("frame", call.outcome->frame)
                      .take();
    }
    JsonObject out{22};  // with iax2, and the verdict and input write_json adds
    out.add("id", call.id)
        .add("protocol", session::to_string(call.protocol))
        .add("call_id", call.call_id)
        .add("from", call.from)
        .add("to", call.to)
        .add("start", util::to_rfc3339(call.start))
        .add("end", util::to_rfc3339(call.end))
        .add("duration_s", std::round(duration_seconds(call) * 1000) / 1000)
        .add("signaling", JsonObject{2}.add("transport", call.transport).add("tls", call.tls).take())
        .add("sip_messages", call.messages.size())
        .add("offer_answer", call.exchanges.size())
        .add("outcome", std::move(outcome))
        .add_optional("ended_by", ended_by_label(call))
        .add("zrtp_handshakes", call.handshakes)
        .add("dtls_handshakes", call.dtls_handshakes)
        .add("legs", legs_to_json(call))
        .add("linked_calls", linked_to_json(call))
        .add("path", path_to_json(call))
        .add("media", std::move(media));
    if (call.iax2) {
        out.add("iax2", iax2_to_json(*call.iax2));
    }
    return out.take();
}

ordered_json decode_to_json(const session::DecodeSummary& d) {
    ordered_json frames = ordered_json::object();
    for (std::size_t i = 0; i < d.decode.by_status.size(); ++i) {
        frames[net::to_string(static_cast<net::DecodeStatus>(i))] = d.decode.by_status[i];
    }
    ordered_json anomalies = ordered_json::object();
    for (const auto& [code, count] : anomaly_counts(d)) {
        anomalies[std::string{code}] = count;
    }
    return {{"frames", frames},
            {"ip_fragments",
             {{"fragments", d.defrag.fragments},
              {"reassembled", d.defrag.reassembled},
              {"timed_out", d.defrag.timed_out},
              {"overlaps", d.defrag.overlaps},
              {"dropped", d.defrag.dropped_for_space + d.defrag.oversized}}},
            {"dialogs",
             {{"summarised", d.dialogs.summarised},
              {"by_timeout", d.dialogs.by_timeout},
              {"by_cap", d.dialogs.by_cap},
              {"idle_calls", d.dialogs.idle_calls},
              {"failed_calls", d.dialogs.failed_calls},
              {"not_calls", d.dialogs.not_calls},
              {"keys_untracked", d.dialogs.keys_untracked}}},
            {"anomalies", anomalies}};
}

/// The finding as JSON, its strings still as captured.
ordered_json finding_fields(const analysis::Finding& f, std::optional<std::uint32_t> input) {
    JsonObject j{17};
    j.add("rule", f.rule)
        .add("severity", analysis::to_string(f.severity))
        .add("confidence", analysis::to_string(f.confidence))
        .add("title", f.title)
        .add("message", f.message);
    if (input) {
        j.add("input", *input);
    }
    j.add_optional("call", f.call).add_optional("stream", f.stream).add("frames", f.frames);
    if (!input) {  // merged: the frames above are the merged capture's; here each one's own input
        ordered_json located = ordered_json::array();
        for (const auto& where : f.frames_by_input) {
            located.push_back(JsonObject{2}.add("input", where.input).add("frame", where.frame).take());
        }
        j.add("frames_by_input", std::move(located));
    }
    j.add("evidence", f.evidence);
    if (f.count) {
        j.add("count", *f.count).add("examples", f.examples);
    }
    j.add("explanation", f.explanation)
        .add("remediation", f.remediation)
        .add("fingerprint", f.fingerprint)
        .add("accepted", f.accepted);
    return j.take();
}

}  // namespace

ordered_json input_to_json(const capture::InputInfo& input) {
    return {{"path", input.path},
            {"sha256", input.sha256},
            {"format", input.format},
            {"link_type", input.link_type},
            {"packets", input.packets},
            {"bytes", input.bytes},
            {"first_frame", input.first_frame},
            {"first_time", optional_time(input.first_time)},
            {"last_time", optional_time(input.last_time)},
            {"truncated", input.truncated},
            {"filtered_out", input.filtered_out},
            {"warnings", input.warnings},
            {"error", input.error ? ordered_json(*input.error) : ordered_json(nullptr)}};
}

void make_printable(ordered_json& value) {
    // Through the containers themselves rather than nlohmann's iterators: this visits every
    // value of the report.
    switch (value.type()) {
        case nlohmann::json::value_t::string: {
            const auto& text = value.get_ref<const std::string&>();
            if (!util::is_printable(text)) {
                value = util::printable(text);
            }
            return;
        }
        case nlohmann::json::value_t::array:
            for (auto& item : value.get_ref<ordered_json::array_t&>()) {
                make_printable(item);
            }
            return;
        case nlohmann::json::value_t::object: break;
        default: return;
    }
    auto& fields = value.get_ref<ordered_json::object_t&>();
    bool keys_printable = true;
    for (auto& [key, item] : fields) {
        keys_printable = keys_printable && util::is_printable(key);
        make_printable(item);
    }
    if (!keys_printable) {  // keys cannot be renamed in place: rebuild the object in order
        ordered_json renamed = ordered_json::object();
        for (auto& [key, item] : fields) {
            renamed[util::printable(key)] = std::move(item);
        }
        value = std::move(renamed);
    }
}

ordered_json finding_to_json(const analysis::Finding& f, std::optional<std::uint32_t> input) {
    ordered_json j = finding_fields(f, input);
    make_printable(j);
    return j;
}

namespace {

/// `item` with "input": N right after its "id", when the audit stands for one input.
ordered_json with_input(ordered_json item, std::optional<std::uint32_t> input) {
    if (!input) {
        return item;
    }
    auto& fields = item.get_ref<ordered_json::object_t&>();
    JsonObject out{fields.size() + 1};
    for (auto& [key, value] : fields) {
        out.add(key, std::move(value));
        if (key == "id") {
            out.add("input", *input);
        }
    }
    return out.take();
}

/// What the call's media achieved and its worst finding (calls[].verdict); `findings` per call
/// counts the findings about it.
ordered_json verdict_to_json(const analysis::CallVerdict& verdict, const session::Call& call,
                             const std::vector<analysis::Finding>& findings) {
    ordered_json worst = nullptr;
    if (verdict.worst) {
        const analysis::Finding& f = findings.at(*verdict.worst);
        worst = JsonObject{2}.add("rule", f.rule).add("severity", analysis::to_string(f.severity)).take();
    }
    return JsonObject{5}
        .add("protection", analysis::to_string(verdict.achieved))
        .add("text", verdict_text(verdict, call))
        .add("media_relayed", verdict.relayed)
        .add("findings", verdict.findings)
        .add("worst", std::move(worst))
        .take();
}

/// Adds every count of `from` into `into` (same shape): the decode counters of several inputs.
void add_counts(ordered_json& into, const ordered_json& from) {
    for (auto it = from.begin(); it != from.end(); ++it) {
        if (it.value().is_object()) {
            if (!into.contains(it.key())) {
                into[it.key()] = ordered_json::object();
            }
            add_counts(into[it.key()], it.value());
        } else if (it.value().is_number_unsigned()) {
            const std::uint64_t before = into.contains(it.key()) ? into[it.key()].get<std::uint64_t>() : 0;
            into[it.key()] = before + it.value().get<std::uint64_t>();
        }
    }
}

}  // namespace

ordered_json narrowing_to_json(const NarrowingUse& use) {
    const analysis::Narrowing& n = use.narrowing;
    ordered_json calls = ordered_json::array();
    for (const analysis::CallSelector& selector : n.calls) {
        calls.push_back(selector.text);
    }
    const auto bound = [](const std::optional<analysis::TimeBound>& b) {
        return b ? ordered_json(b->text()) : ordered_json(nullptr);
    };
    const analysis::NarrowingCounts& c = use.counts;
    const auto counts = [&](auto of) {
        return ordered_json{{"calls", of(c.calls)},
                            {"media_streams", of(c.media)},
                            {"zrtp_handshakes", of(c.handshakes)},
                            {"flows", of(c.flows)},
                            {"findings", of(c.findings)}};
    };
    return {{"calls", calls},
            {"since", bound(n.since)},
            {"until", bound(n.until)},
            {"kept", counts([](const analysis::KeptOf& k) { return k.kept; })},
            {"left_out", counts([](const analysis::KeptOf& k) { return k.total - k.kept; })}};
}

namespace {

ordered_json config_to_json(const ConfigUse& c) {
    ordered_json severity = ordered_json::object();
    for (const auto& [rule, level] : c.severity) {
        severity[rule] = analysis::to_string(level);
    }
    ordered_json required = ordered_json::array();
    for (const analysis::RequiredProtection r : c.required) {
        required.push_back(analysis::to_string(r));
    }
    return {{"path", c.path},
            {"sha256", c.sha256},
            {"required", required},
            {"rules_off", c.rules_off},
            {"severity", severity}};
}

/// DESIGN.md section 5's summary, counted from the models and findings before anything is written.
ordered_json summary_to_json(const AuditResult& result) {
    ordered_json counts = ordered_json::object();
    for (const char* name : {"critical", "high", "medium", "low", "info"}) {
        counts[name] = 0;
    }
    std::map<std::string_view, std::size_t> by_rule;  // rule id -> findings, over every audit (static ids)
    std::uint64_t frames = 0;
    std::size_t flows = 0;
    std::size_t calls = 0;
    std::size_t media = 0;
    std::size_t zrtp = 0;
    std::size_t dtls = 0;
    for (const InputAudit& audit : result.audits) {
        const session::Model& model = audit.model;
        frames += model.frames;
        flows += model.flows.size();
        calls += model.calls.size();
        media += model.media.size();
        zrtp += model.handshakes.size();
        dtls += model.dtls_handshakes.size();
        for (const auto& [rule, n] : count_findings(audit.findings).by_rule) {
            by_rule[rule] += n;
        }
        for (const auto& f : audit.findings) {
            counts[analysis::to_string(f.severity)] = counts[analysis::to_string(f.severity)].get<int>() + 1;
        }
    }
    return {{"frames", frames},        {"flows", flows},
            {"calls", calls},          {"media_streams", media},
            {"zrtp_handshakes", zrtp}, {"dtls_handshakes", dtls},
            {"findings", counts},      {"findings_by_rule", by_rule}};  // an object, keys sorted
}

/// (audit, element) of every element `list_of(audit)` holds, across the audits in report order.
template <typename ListOf>
std::vector<std::pair<std::size_t, std::size_t>> positions(const AuditResult& result, ListOf list_of) {
    std::vector<std::pair<std::size_t, std::size_t>> at;
    for (std::size_t i = 0; i < result.audits.size(); ++i) {
        for (std::size_t e = 0; e < list_of(result.audits[i]).size(); ++e) {
            at.emplace_back(i, e);
        }
    }
    return at;
}

/// The list `key` of the items `to_item(element, audit index)` makes of the elements
/// `list_of(audit)` of every audit (built on two threads: to_item only reads).
template <typename ListOf, typename ToItem>
void write_items(DocumentWriter& doc, std::string_view key, const AuditResult& result, ListOf list_of, ToItem to_item) {
    const auto at = positions(result, list_of);
    doc.indexed_list(key, at.size(), [&](std::size_t i) {
        return to_item(list_of(result.audits[at[i].first])[at[i].second], at[i].first);
    });
}

/// write_items() for elements of the model, each tagged with its input when the audit stands
/// for one.
template <typename ListOf, typename ToItem>
void write_model_items(DocumentWriter& doc, std::string_view key, const AuditResult& result, ListOf list_of,
                       ToItem to_item) {
    write_items(
        doc, key, result, [&](const InputAudit& audit) -> const auto& { return list_of(audit.model); },
        [&](const auto& element, std::size_t audit) { return with_input(to_item(element), result.input_of(audit)); });
}

}  // namespace

void write_json(const AuditResult& result, std::ostream& out) {
    bool partial = false;
    for (const InputAudit& audit : result.audits) {
        const session::Model& model = audit.model;
        // Dialogs summarised early by the cap, or keys beyond the key memory: incomplete too.
        partial =
            partial || model.partial || model.decode.dialogs.by_cap > 0 || model.decode.dialogs.keys_untracked > 0;
    }
    DocumentWriter doc{out};
    doc.member("schema", "zaudit/1");
    doc.member("tool",
               {{"name", "zaudit"}, {"version", result.tool.version}, {"command_line", result.tool.command_line}});
    doc.list("inputs", [&](auto&& emit) {
        for (const InputAudit& audit : result.audits) {
            for (const auto& in : audit.model.inputs) {
                emit(input_to_json(in));
            }
        }
    });
    doc.member("partial", partial);
    doc.member("merged", result.merged);
    doc.member("config", result.config ? config_to_json(*result.config) : ordered_json(nullptr));
    doc.member("baseline", result.baseline ? ordered_json{{"path", result.baseline->path},
                                                          {"sha256", result.baseline->sha256},
                                                          {"fingerprints", result.baseline->fingerprints},
                                                          {"accepted", result.baseline->accepted}}
                                           : ordered_json(nullptr));
    doc.member("narrowed", result.narrowed ? narrowing_to_json(*result.narrowed) : ordered_json(nullptr));
    doc.member("summary", summary_to_json(result));
    std::vector<std::vector<analysis::CallVerdict>> verdicts;
    for (const InputAudit& audit : result.audits) {
        verdicts.push_back(analysis::call_verdicts(audit.model, audit.findings));
    }
    write_items(
        doc, "calls", result, [](const InputAudit& audit) -> const auto& { return audit.model.calls; },
        [&](const session::Call& call, std::size_t i) {
            const InputAudit& audit = result.audits[i];
            const auto c = static_cast<std::size_t>(&call - audit.model.calls.data());
            ordered_json j = call_to_json(call, audit.model);
            j["verdict"] = verdict_to_json(verdicts[i].at(c), call, audit.findings);
            return with_input(std::move(j), result.input_of(i));
        });
    write_model_items(
        doc, "media", result, [](const session::Model& m) -> const auto& { return m.media; }, media_to_json);
    write_model_items(
        doc, "zrtp", result, [](const session::Model& m) -> const auto& { return m.handshakes; }, handshake_to_json);
    write_model_items(
        doc, "dtls", result, [](const session::Model& m) -> const auto& { return m.dtls_handshakes; }, dtls_to_json);
    write_model_items(
        doc, "flows", result, [](const session::Model& m) -> const auto& { return m.flows; }, flow_to_json);
    ordered_json decode = ordered_json::object();
    for (const InputAudit& audit : result.audits) {
        add_counts(decode, decode_to_json(audit.model.decode));
    }
    doc.member("decode", std::move(decode));
    write_items(
        doc, "findings", result, [](const InputAudit& audit) -> const auto& { return audit.findings; },
        [&](const analysis::Finding& f, std::size_t i) { return finding_fields(f, result.input_of(i)); });
    doc.finish();
}

}  // namespace zaudit::report
