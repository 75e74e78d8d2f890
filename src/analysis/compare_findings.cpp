// What only two views of a call can show (compare_findings.hpp). Each capture alone may verify
// clean: a box that terminates ZRTP runs two complete, valid handshakes, one per side, and only
// the different identities at the two points give it away.
#include "compare_findings.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "zaudit/analysis/fingerprint.hpp"
#include "zaudit/analysis/registry.hpp"

namespace zaudit::analysis {
namespace {

std::vector<const ComparedField*> differences_where(const CallComparison& c, bool (*keep)(const ComparedField&)) {
    std::vector<const ComparedField*> out;
    for (const ComparedField& d : c.different) {
        if (keep(d)) {
            out.push_back(&d);
        }
    }
    return out;
}

/// A ZRTP or DTLS identity that both views have and that differs. An attribute only one view
/// has is listed in `different` but is no proof of a terminating node: rtpengine, for one, adds
/// a DTLS offer (a=fingerprint) to an SDES call that forwards the SDES keys untouched.
bool is_identity_difference(const ComparedField& d) {
    return is_identity_field(d.field) && d.a && d.b;
}

/// The keys of an sdes_keys value ("1 SUITE key FP, 2 SUITE key FP"): the last word of each.
std::set<std::string> keys_of(const std::string& value) {
    std::set<std::string> keys;
    std::size_t start = 0;
    while (start < value.size()) {
        const std::size_t end = std::min(value.find(", ", start), value.size());
        const std::string item = value.substr(start, end - start);
        keys.insert(item.substr(item.rfind(' ') + 1));
        start = end + 2;
    }
    return keys;
}

/// SDES keys that the node between the points re-made or removed: no key in common (a relay
/// that forwards SRTP passes the offered key on, perhaps with suites of its own added).
bool is_sdes_difference(const ComparedField& d) {
    if (!d.field.ends_with(".sdes_keys")) {
        return false;
    }
    if (!d.a || !d.b) {
        return true;
    }
    const auto in_a = keys_of(*d.a);
    const auto in_b = keys_of(*d.b);
    return std::none_of(in_a.begin(), in_a.end(), [&](const std::string& key) { return in_b.count(key) != 0; });
}

/// The frames that show the compared values in one view: the Hello, Commit and DHPart of its
/// handshakes, and the SDP of the call's first offer and answer.
void add_frames(const session::Model& model, const CallView& view, std::uint32_t input, std::vector<InputFrame>& out) {
    for (const std::uint32_t id : view.handshakes) {
        const session::ZrtpHandshake* h = model.handshake(id);
        if (h == nullptr) {
            continue;
        }
        for (const auto& r : h->messages) {
            const auto t = r.message.type;
            if (t == zrtp::MessageType::hello || t == zrtp::MessageType::commit || t == zrtp::MessageType::dhpart1 ||
                t == zrtp::MessageType::dhpart2) {
                out.push_back({input, r.frame});
            }
        }
    }
    const session::Call* call = model.call(view.call);
    if (call != nullptr && !call->exchanges.empty()) {
        const session::OfferAnswer& first = call->exchanges.front();
        for (const auto index : {std::optional<std::size_t>{first.offer}, first.answer}) {
            if (index && *index < call->sdps.size()) {
                out.push_back({input, call->sdps[*index].frame});
            }
        }
    }
}

std::vector<InputFrame> frames_of(const session::Model& a, const session::Model& b, const CallComparison& c) {
    std::vector<InputFrame> out;
    add_frames(a, *c.a, 1, out);
    add_frames(b, *c.b, 2, out);
    std::sort(out.begin(), out.end(), [](const InputFrame& x, const InputFrame& y) {
        return std::tie(x.input, x.frame) < std::tie(y.input, y.frame);
    });
    out.erase(
        std::unique(out.begin(), out.end(),
                    [](const InputFrame& x, const InputFrame& y) { return x.input == y.input && x.frame == y.frame; }),
        out.end());
    return out;
}

nlohmann::ordered_json values_json(const std::vector<const ComparedField*>& fields) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const ComparedField* d : fields) {
        out.push_back({{"field", d->field},
                       {"a", d->a ? nlohmann::ordered_json(*d->a) : nlohmann::ordered_json()},
                       {"b", d->b ? nlohmann::ordered_json(*d->b) : nlohmann::ordered_json()}});
    }
    return out;
}

std::string field_list(const std::vector<const ComparedField*>& fields) {
    std::string out;
    for (std::size_t i = 0; i < fields.size() && i < 6; ++i) {
        out += (i > 0 ? ", " : "") + fields[i]->field;
    }
    return fields.size() > 6 ? fmt::format("{} and {} more", out, fields.size() - 6) : out;
}

Finding& add(std::string_view rule, std::vector<Finding>& findings, std::string message) {
    const RuleInfo* info = find_rule(rule);
    if (info == nullptr) {
        throw std::logic_error{fmt::format("rule {} is not in the catalogue", rule)};
    }
    return FindingSink{*info, findings}.add(std::move(message));
}

nlohmann::ordered_json common_evidence(const CallComparison& c, const std::vector<const ComparedField*>& fields) {
    return {{"call_id", c.call_id},
            {"call_a", c.a->call},
            {"call_b", c.b->call},
            {"handshakes_a", c.a->handshakes},
            {"handshakes_b", c.b->handshakes},
            {"differences", values_json(fields)}};
}

void add_identity_finding(const session::Model& a, const session::Model& b, const CallComparison& c,
                          const std::vector<const ComparedField*>& fields, std::vector<Finding>& findings) {
    if (c.declared_mitm) {
        // A ZRTP PBX (M flag, SASrelay) terminates ZRTP by design and says so; whether it is
        // trusted is the user's call, as for a single capture.
        Finding& f = add("zrtp.trusted-mitm", findings,
                         fmt::format("Call-ID {}: the ZRTP identities differ between the two capture points ({}), and "
                                     "the node between them declares itself a trusted MiTM (Hello M flag or SASrelay): "
                                     "a ZRTP PBX terminates ZRTP there",
                                     c.call_id, field_list(fields)));
        f.confidence = Confidence::verified;
        f.evidence = common_evidence(c, fields);
        f.evidence["indicator"] = "compare";
        f.frames_by_input = frames_of(a, b, c);
        return;
    }
    Finding& f =
        add("path.vantage-divergence", findings,
            fmt::format("Call-ID {}: {} identity {} between the two capture points ({}): "
                        "something between them terminates ZRTP{}",
                        c.call_id, fields.size(), fields.size() == 1 ? "value differs" : "values differ",
                        field_list(fields),
                        std::any_of(fields.begin(), fields.end(),
                                    [](const ComparedField* d) { return d->field.ends_with(".dtls_fingerprint"); })
                            ? " or DTLS"
                            : ""));
    f.confidence = Confidence::verified;  // the values were read in both captures and compared
    f.evidence = common_evidence(c, fields);
    f.frames_by_input = frames_of(a, b, c);
}

void add_sdes_finding(const session::Model& a, const session::Model& b, const CallComparison& c,
                      const std::vector<const ComparedField*>& fields, std::vector<Finding>& findings) {
    Finding& f = add("path.media-relay", findings,
                     fmt::format("Call-ID {}: the SDES keys differ between the two capture points ({}): the node "
                                 "between them made keys of its own or removed them, so it decrypts the media",
                                 c.call_id, field_list(fields)));
    f.severity = Severity::medium;  // the catalogue's "medium with SDES": that node can listen
    f.confidence = Confidence::verified;
    f.evidence = common_evidence(c, fields);
    f.frames_by_input = frames_of(a, b, c);
}

}  // namespace

void add_compare_findings(const session::Model& a, const session::Model& b, Comparison& comparison) {
    std::vector<Finding>& findings = comparison.findings;
    for (const CallComparison& c : comparison.calls) {
        if (!c.a || !c.b) {
            continue;
        }
        const auto identity = differences_where(c, is_identity_difference);
        if (!identity.empty()) {
            add_identity_finding(a, b, c, identity, findings);
        }
        const auto sdes = differences_where(c, is_sdes_difference);
        if (!sdes.empty()) {
            add_sdes_finding(a, b, c, sdes, findings);
        }
    }
    std::stable_sort(findings.begin(), findings.end(),
                     [](const Finding& x, const Finding& y) { return x.severity > y.severity; });
    fingerprint_all(findings, a);  // their calls are A's
}

}  // namespace zaudit::analysis
