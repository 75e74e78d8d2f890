// Two views of the same calls (see compare.hpp). The per-input audits are done before this: here
// only the values the two models hold are set side by side, and the few findings that no single
// capture can give are made.
#include "zaudit/analysis/compare.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "compare_findings.hpp"
#include "rules/zrtp_facts.hpp"
#include "zaudit/analysis/registry.hpp"
#include "zaudit/crypto/hash.hpp"
#include "zaudit/util/hex.hpp"

namespace zaudit::analysis {
namespace {

using Values = std::vector<std::pair<std::string, std::string>>;

// ----- clock offset -----

/// The median of the differences (B minus A), in microseconds; nullopt for none.
std::optional<std::int64_t> median(std::vector<std::int64_t> differences) {
    if (differences.empty()) {
        return std::nullopt;
    }
    const auto middle = differences.begin() + static_cast<long>(differences.size() / 2);
    std::nth_element(differences.begin(), middle, differences.end());
    if (differences.size() % 2 == 1) {
        return *middle;
    }
    const std::int64_t upper = *middle;
    const std::int64_t lower = *std::max_element(differences.begin(), middle);
    return lower + (upper - lower) / 2;
}

/// The same ZRTP packet at both points: same SSRC and ZRTP sequence number, same message bytes
/// (a relay that forwards ZRTP keeps all three; one that terminates it keeps none).
void zrtp_pairs(const session::Model& a, const session::Model& b, std::vector<std::int64_t>& out) {
    std::map<std::pair<std::uint32_t, std::uint16_t>, const session::ZrtpMessageRecord*> in_a;
    for (const auto& h : a.handshakes) {
        for (const auto* list : {&h.messages, &h.variants}) {
            for (const auto& record : *list) {
                in_a.emplace(std::pair{record.ssrc, record.sequence}, &record);
            }
        }
    }
    for (const auto& h : b.handshakes) {
        for (const auto* list : {&h.messages, &h.variants}) {
            for (const auto& record : *list) {
                const auto it = in_a.find({record.ssrc, record.sequence});
                if (it != in_a.end() && it->second->message.bytes == record.message.bytes) {
                    out.push_back(record.time.micros - it->second->time.micros);
                }
            }
        }
    }
}

/// The same RTP stream at both points: an SSRC that only one stream of each capture has.
void rtp_pairs(const session::Model& a, const session::Model& b, std::vector<std::int64_t>& out) {
    const auto unique_ssrcs = [](const session::Model& m) {
        std::map<std::uint32_t, const session::MediaStream*> streams;
        std::set<std::uint32_t> repeated;
        for (const auto& s : m.media) {
            if (!streams.emplace(s.ssrc, &s).second) {
                repeated.insert(s.ssrc);
            }
        }
        for (const std::uint32_t ssrc : repeated) {
            streams.erase(ssrc);
        }
        return streams;
    };
    const auto in_a = unique_ssrcs(a);
    for (const auto& [ssrc, stream_b] : unique_ssrcs(b)) {
        if (const auto it = in_a.find(ssrc); it != in_a.end()) {
            out.push_back(stream_b->first_time.micros - it->second->first_time.micros);
            out.push_back(stream_b->last_time.micros - it->second->last_time.micros);
        }
    }
}

/// The same SIP transaction step at both points: the k-th message with one summary ("INVITE",
/// "200 OK (INVITE)") of a call in A and in B. Each hop answers 100 Trying itself, so a few
/// pairs are off by a hop's delay; the median does not mind.
void sip_pairs(const session::Call& a, const session::Call& b, std::vector<std::int64_t>& out) {
    std::map<std::string, std::vector<std::int64_t>> in_a;
    for (const auto& m : a.messages) {
        in_a[m.summary].push_back(m.time.micros);
    }
    std::map<std::string, std::size_t> seen;
    for (const auto& m : b.messages) {
        const std::size_t k = seen[m.summary]++;
        const auto it = in_a.find(m.summary);
        if (it != in_a.end() && k < it->second.size()) {
            out.push_back(m.time.micros - it->second[k]);
        }
    }
}

// ----- the values of one view -----

enum class Side : std::uint8_t { caller, callee };

const char* side_name(Side side) {
    return side == Side::caller ? "caller" : "callee";
}

/// The SDP each side sent in the call's first offer and answer.
struct CallSdp {
    const session::SdpSnapshot* caller = nullptr;
    const session::SdpSnapshot* callee = nullptr;
};

CallSdp first_exchange(const session::Call& call) {
    CallSdp out;
    if (call.exchanges.empty() || call.exchanges.front().offer >= call.sdps.size()) {
        return out;
    }
    const session::OfferAnswer& exchange = call.exchanges.front();
    const session::SdpSnapshot* offer = &call.sdps[exchange.offer];
    const session::SdpSnapshot* answer =
        exchange.answer && *exchange.answer < call.sdps.size() ? &call.sdps[*exchange.answer] : nullptr;
    // An INVITE's offer is the caller's; an offer in a response (late offer) is the callee's.
    const bool offer_from_caller = offer->status == 0;
    out.caller = offer_from_caller ? offer : answer;
    out.callee = offer_from_caller ? answer : offer;
    return out;
}

bool announces(const session::SdpSnapshot* sdp, const util::Endpoint& endpoint) {
    return sdp != nullptr && std::any_of(sdp->media.begin(), sdp->media.end(),
                                         [&](const session::SdpMedia& m) { return m.rtp == endpoint; });
}

/// The handshake's endpoints as (caller side, callee side): whichever one the caller's or the
/// callee's SDP announced (at a relay, the relay's address on that leg). With no SDP naming
/// either, the first sender is taken as the caller's side.
std::pair<util::Endpoint, util::Endpoint> orient(const session::ZrtpHandshake& h, const CallSdp& sdp) {
    if (announces(sdp.caller, h.b) || announces(sdp.callee, h.a)) {
        return {h.b, h.a};
    }
    return {h.a, h.b};
}

std::string hex(util::Bytes bytes) {
    return util::to_hex(bytes);
}

/// What one endpoint's messages expose (RFC 6189 section 9): H3, ZID and the Hello's hash from
/// its Hello, H2 and hvi from its Commit, H1 and the DH public value from its DHPart. H0 is
/// inside the encrypted part of Confirm, so no capture shows it.
void add_zrtp_values(const session::ZrtpHandshake& h, const util::Endpoint& sender, const std::string& prefix,
                     Values& values) {
    const session::ZrtpMessageRecord* hello = h.hello_of(sender);
    const session::ZrtpMessageRecord* commit = h.find(zrtp::MessageType::commit, &sender);
    const session::ZrtpMessageRecord* dhpart = h.find(zrtp::MessageType::dhpart1, &sender);
    if (dhpart == nullptr) {
        dhpart = h.find(zrtp::MessageType::dhpart2, &sender);
    }
    if (hello != nullptr && hello->message.hello() != nullptr) {
        values.emplace_back(prefix + "zid", hex(hello->message.hello()->zid));
    } else if (commit != nullptr && commit->message.commit() != nullptr) {
        values.emplace_back(prefix + "zid", hex(commit->message.commit()->zid));
    }
    if (hello != nullptr && hello->message.hello() != nullptr) {
        values.emplace_back(prefix + "h3", hex(hello->message.hello()->h3));
        values.emplace_back(prefix + "hello_hash", hex(crypto::sha256(hello->message.bytes)));
    }
    if (commit != nullptr && commit->message.commit() != nullptr) {
        values.emplace_back(prefix + "h2", hex(commit->message.commit()->h2));
        if (!commit->message.commit()->hvi.empty()) {
            values.emplace_back(prefix + "hvi", hex(commit->message.commit()->hvi));
        }
    }
    if (dhpart != nullptr && dhpart->message.dhpart() != nullptr) {
        values.emplace_back(prefix + "h1", hex(dhpart->message.dhpart()->h1));
        values.emplace_back(prefix + "pv", hex(dhpart->message.dhpart()->pv));
    }
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        out += (out.empty() ? "" : ", ") + item;
    }
    return out;
}

/// The security attributes of one side's SDP, every m= line in order. SDES keys as their
/// fingerprint (the key itself only with --reveal-keys).
void add_sdp_values(const session::SdpSnapshot& sdp, const std::string& prefix, const Policy& policy, Values& values) {
    std::vector<std::string> zrtp_hashes;
    std::vector<std::string> keys;
    std::vector<std::string> fingerprints;
    for (const session::SdpMedia& m : sdp.media) {
        zrtp_hashes.insert(zrtp_hashes.end(), m.zrtp_hashes.begin(), m.zrtp_hashes.end());
        fingerprints.insert(fingerprints.end(), m.fingerprints.begin(), m.fingerprints.end());
        for (const session::SdesKey& key : m.cryptos) {
            keys.push_back(policy.reveal_keys
                               ? fmt::format("{} {} inline:{}", key.tag, key.suite, util::to_base64(key.key_salt))
                               : fmt::format("{} {} key {}", key.tag, key.suite, key.fingerprint));
        }
    }
    const std::pair<const char*, const std::vector<std::string>*> attributes[] = {
        {"zrtp_hash", &zrtp_hashes}, {"sdes_keys", &keys}, {"dtls_fingerprint", &fingerprints}};
    for (const auto& [name, list] : attributes) {
        if (!list->empty()) {
            values.emplace_back(prefix + name, joined(*list));
        }
    }
}

/// A view's values, and the SDP sides it saw (an attribute missing from an SDP that both views
/// saw is a difference; a message missing from one capture is not).
struct ViewValues {
    Values values;
    std::set<std::string> sdp_sides;
    bool declared_mitm = false;
};

/// Handshake group names: "zrtp" for the first pair, "zrtp2"... for the next.
std::string group_name(std::size_t index) {
    return index == 0 ? std::string{"zrtp"} : fmt::format("zrtp{}", index + 1);
}

using HandshakePair = std::pair<const session::ZrtpHandshake*, const session::ZrtpHandshake*>;

ViewValues view_values(const session::Call& call, const std::vector<HandshakePair>& pairs, bool view_a,
                       const Policy& policy) {
    ViewValues out;
    const CallSdp sdp = first_exchange(call);
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const session::ZrtpHandshake* h = view_a ? pairs[i].first : pairs[i].second;
        if (h == nullptr) {
            continue;
        }
        const auto [caller, callee] = orient(*h, sdp);
        add_zrtp_values(*h, caller, group_name(i) + ".caller.", out.values);
        add_zrtp_values(*h, callee, group_name(i) + ".callee.", out.values);
        out.declared_mitm = out.declared_mitm || rules::declares_trusted_mitm(*h);
    }
    for (const auto& [side, snapshot] : {std::pair{Side::caller, sdp.caller}, std::pair{Side::callee, sdp.callee}}) {
        if (snapshot != nullptr) {
            const std::string prefix = fmt::format("sdp.{}.", side_name(side));
            out.sdp_sides.insert(prefix);
            add_sdp_values(*snapshot, prefix, policy, out.values);
        }
    }
    return out;
}

// ----- pairing -----

/// The call's handshakes (none when the view lacks the call).
std::vector<const session::ZrtpHandshake*> handshakes_of(const session::Model& model, const session::Call* call) {
    std::vector<const session::ZrtpHandshake*> out;
    if (call == nullptr) {
        return out;
    }
    for (const std::uint32_t id : call->handshakes) {
        if (const session::ZrtpHandshake* h = model.handshake(id)) {
            out.push_back(h);
        }
    }
    return out;
}

std::set<std::uint32_t> ssrcs_of(const session::ZrtpHandshake& h) {
    std::set<std::uint32_t> out;
    for (const auto& r : h.messages) {
        out.insert(r.ssrc);
    }
    return out;
}

std::set<std::string> zids_of(const session::ZrtpHandshake& h) {
    std::set<std::string> out;
    for (const auto& r : h.messages) {
        if (r.message.hello() != nullptr) {
            out.insert(hex(r.message.hello()->zid));
        }
    }
    return out;
}

template <typename T>
std::size_t shared(const std::set<T>& x, const std::set<T>& y) {
    return static_cast<std::size_t>(
        std::count_if(x.begin(), x.end(), [&](const T& item) { return y.count(item) != 0; }));
}

/// Pairs the call's handshakes of A and B: most shared SSRCs first (a forwarding relay keeps
/// them), then most shared ZIDs, then nearest start once B's clock is set back by the offset.
/// Handshakes left over stay unpaired (their values are one-sided).
std::vector<HandshakePair> pair_handshakes(const std::vector<const session::ZrtpHandshake*>& in_a,
                                           const std::vector<const session::ZrtpHandshake*>& in_b,
                                           std::int64_t offset) {
    using Candidate = std::tuple<std::size_t, std::size_t, std::int64_t, std::size_t, std::size_t>;
    std::vector<Candidate> candidates;  // (-ssrcs, -zids, |Δt|, i, j) sorts best first
    for (std::size_t i = 0; i < in_a.size(); ++i) {
        for (std::size_t j = 0; j < in_b.size(); ++j) {
            const std::size_t s = shared(ssrcs_of(*in_a[i]), ssrcs_of(*in_b[j]));
            const std::size_t z = shared(zids_of(*in_a[i]), zids_of(*in_b[j]));
            const std::int64_t dt = std::llabs(in_b[j]->first_time.micros - offset - in_a[i]->first_time.micros);
            candidates.emplace_back(SIZE_MAX - s, SIZE_MAX - z, dt, i, j);
        }
    }
    std::sort(candidates.begin(), candidates.end());
    std::vector<bool> used_a(in_a.size());
    std::vector<bool> used_b(in_b.size());
    std::vector<std::pair<std::size_t, std::size_t>> chosen;
    for (const auto& [s, z, dt, i, j] : candidates) {
        if (!used_a[i] && !used_b[j]) {
            used_a[i] = used_b[j] = true;
            chosen.emplace_back(i, j);
        }
    }
    std::sort(chosen.begin(), chosen.end());  // in A's order
    std::vector<HandshakePair> out;
    out.reserve(in_a.size() + in_b.size());
    for (const auto& [i, j] : chosen) {
        out.emplace_back(in_a[i], in_b[j]);
    }
    for (std::size_t i = 0; i < in_a.size(); ++i) {
        if (!used_a[i]) {
            out.emplace_back(in_a[i], nullptr);
        }
    }
    for (std::size_t j = 0; j < in_b.size(); ++j) {
        if (!used_b[j]) {
            out.emplace_back(nullptr, in_b[j]);
        }
    }
    return out;
}

// ----- comparing -----

const std::string* value_of(const Values& values, const std::string& field) {
    const auto it = std::find_if(values.begin(), values.end(), [&](const auto& entry) { return entry.first == field; });
    return it == values.end() ? nullptr : &it->second;
}

bool sdp_field_in_both(const std::string& field, const ViewValues& x, const ViewValues& y) {
    return std::any_of(x.sdp_sides.begin(), x.sdp_sides.end(), [&](const std::string& prefix) {
        return field.rfind(prefix, 0) == 0 && y.sdp_sides.count(prefix) != 0;
    });
}

void compare_values(const ViewValues& x, const ViewValues& y, CallComparison& out) {
    std::vector<std::string> fields;
    for (const auto* view : {&x, &y}) {
        for (const auto& [field, value] : view->values) {
            if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
                fields.push_back(field);
            }
        }
    }
    for (const std::string& field : fields) {
        const std::string* va = value_of(x.values, field);
        const std::string* vb = value_of(y.values, field);
        if (va != nullptr && vb != nullptr && *va == *vb) {
            out.same.push_back(field);
        } else if ((va != nullptr && vb != nullptr) || sdp_field_in_both(field, x, y)) {
            out.different.push_back(
                {field, va ? std::optional{*va} : std::nullopt, vb ? std::optional{*vb} : std::nullopt});
        } else {
            out.one_sided.push_back(field);
        }
    }
}

CallView call_view(const session::Call& call, const std::vector<HandshakePair>& pairs, bool view_a, Values values) {
    CallView view;
    view.call = call.id;
    for (const auto& pair : pairs) {
        if (const session::ZrtpHandshake* h = view_a ? pair.first : pair.second) {
            view.handshakes.push_back(h->id);
        }
    }
    view.values = std::move(values);
    return view;
}

}  // namespace

bool is_identity_field(std::string_view field) {
    const bool zrtp = field.rfind("zrtp", 0) == 0;
    const bool sdp_identity = field.ends_with(".zrtp_hash") || field.ends_with(".dtls_fingerprint");
    return zrtp || (field.rfind("sdp.", 0) == 0 && sdp_identity);
}

Comparison compare(const session::Model& a, const session::Model& b, const Policy& policy) {
    Comparison out;
    std::vector<std::int64_t> packets;
    zrtp_pairs(a, b, packets);
    rtp_pairs(a, b, packets);
    std::vector<std::int64_t> sip;
    std::map<std::string, std::vector<const session::Call*>> b_calls;
    for (const auto& call : b.calls) {
        b_calls[call.call_id].push_back(&call);
    }
    std::map<std::string, std::size_t> taken;
    std::vector<std::pair<const session::Call*, const session::Call*>> matched;
    for (const auto& call : a.calls) {
        const auto& candidates = b_calls[call.call_id];
        const std::size_t k = taken[call.call_id]++;
        matched.emplace_back(&call, k < candidates.size() ? candidates[k] : nullptr);
        if (matched.back().second != nullptr) {
            sip_pairs(call, *matched.back().second, sip);
        }
    }
    for (const auto& call : b.calls) {  // calls only B saw
        const auto& candidates = b_calls[call.call_id];
        const auto rank =
            static_cast<std::size_t>(std::find(candidates.begin(), candidates.end(), &call) - candidates.begin());
        if (rank >= taken[call.call_id]) {
            matched.emplace_back(nullptr, &call);
        }
    }
    const bool by_packets = !packets.empty();
    const auto offset = median(by_packets ? packets : sip);
    if (offset) {
        out.clock_offset_s = static_cast<double>(*offset) / 1e6;
        out.clock_offset_basis = by_packets ? "packets" : "sip";
        out.clock_offset_samples = by_packets ? packets.size() : sip.size();
    }
    for (const auto& [ca, cb] : matched) {
        CallComparison c;
        c.call_id = ca != nullptr ? ca->call_id : cb->call_id;
        const auto pairs = pair_handshakes(handshakes_of(a, ca), handshakes_of(b, cb), offset.value_or(0));
        ViewValues va;
        ViewValues vb;
        if (ca != nullptr) {
            va = view_values(*ca, pairs, true, policy);
        }
        if (cb != nullptr) {
            vb = view_values(*cb, pairs, false, policy);
        }
        if (ca != nullptr && cb != nullptr) {
            compare_values(va, vb, c);
        }
        c.declared_mitm = va.declared_mitm || vb.declared_mitm;
        if (ca != nullptr) {
            c.a = call_view(*ca, pairs, true, std::move(va.values));
        }
        if (cb != nullptr) {
            c.b = call_view(*cb, pairs, false, std::move(vb.values));
        }
        out.calls.push_back(std::move(c));
    }
    add_compare_findings(a, b, out);
    return out;
}

}  // namespace zaudit::analysis
