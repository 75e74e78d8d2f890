#include <map>

#include <fmt/format.h>

#include "zaudit/report/json_document.hpp"
#include "json_calls.hpp"
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
              {"keys_untracked", d.dialogs.keys_untracked},
              {"messages_not_kept", d.dialogs.messages_not_kept}}},
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
    j.add("evidence", analysis::evidence_of(f));
    if (f.count) {
        j.add("count", *f.count).add("examples", analysis::examples_of(f));
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
/// `list_of(audit)` of every audit (built on the writer's threads: to_item only reads).
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

void write_json(const AuditResult& result, std::ostream& out, unsigned int threads) {
    bool partial = false;
    for (const InputAudit& audit : result.audits) {
        const session::Model& model = audit.model;
        // A limit that left dialogs, keys or messages unjudged: incomplete too.
        partial = partial || model.partial || model.decode.limited();
    }
    DocumentWriter doc{out, 0, threads};
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
