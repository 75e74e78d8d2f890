// path.protection-changed: one call's media is protected differently on two of its hops.
#include <algorithm>

#include "rules.hpp"

namespace zaudit::analysis::rules {
namespace {

std::string hop_text(const session::CallLeg& leg) {
    return fmt::format("{} <-> {}", leg.a.address.to_string(), leg.b.address.to_string());
}

/// The node two legs meet at: the callee side of the first and the caller side of the second.
std::string node_between(const session::CallLeg& before, const session::CallLeg& after) {
    if (before.b.address == after.a.address) {
        return before.b.address.to_string();
    }
    return fmt::format("{}/{}", before.b.address.to_string(), after.a.address.to_string());
}

nlohmann::ordered_json hop_json(std::uint32_t call, const session::CallLeg& leg) {
    return {{"call", call},
            {"leg", leg.id},
            {"a", leg.a.to_string()},
            {"b", leg.b.to_string()},
            {"protection", session::to_string(leg.protection)},
            {"streams", leg.media}};
}

bool carries_known_media(const session::CallLeg& leg) {
    return !leg.media.empty() && leg.protection != session::Protection::unknown;
}

/// Two consecutive hops of one call, or the two dialogs a B2BUA joins.
void compare_hops(const session::Model& model, const session::Call& call, const session::CallLeg& before,
                  std::uint32_t after_call, const session::CallLeg& after, FindingSink& sink) {
    if (before.protection == after.protection) {
        return;
    }
    const bool lost = after.protection < before.protection;
    const session::CallLeg& weaker = lost ? after : before;
    const session::CallLeg& stronger = lost ? before : after;
    Finding& f =
        sink.add(fmt::format("call {} media is {} on hop {} but {} on hop {}: the node {} between them {} it", call.id,
                             session::to_string(stronger.protection), hop_text(stronger),
                             session::to_string(weaker.protection), hop_text(weaker), node_between(before, after),
                             weaker.protection == session::Protection::none ? "decrypts" : "decrypts and re-protects"));
    f.call = call.id;
    f.confidence = Confidence::verified;  // both hops' streams were read from the capture
    std::vector<std::uint64_t> frames;
    for (const std::uint32_t id : before.media) {
        if (const session::MediaStream* stream = model.stream(id)) {
            frames.push_back(stream->first_frame);
        }
    }
    for (const std::uint32_t id : after.media) {
        if (const session::MediaStream* stream = model.stream(id)) {
            frames.push_back(stream->first_frame);
        }
    }
    std::sort(frames.begin(), frames.end());
    f.frames = first_frames(frames);
    f.evidence = {{"node", node_between(before, after)},
                  {"caller_side", hop_json(call.id, before)},
                  {"callee_side", hop_json(after_call, after)},
                  {"lost_towards", lost ? "callee" : "caller"}};
}

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    for (const session::Call& call : model.calls) {
        // Legs in path order that carried media whose protection is known.
        std::vector<const session::CallLeg*> hops;
        for (const session::CallLeg& leg : call.legs) {
            if (carries_known_media(leg)) {
                hops.push_back(&leg);
            }
        }
        for (std::size_t i = 0; i + 1 < hops.size(); ++i) {
            compare_hops(model, call, *hops[i], call.id, *hops[i + 1], sink);
        }
        // A B2BUA ends this dialog and starts the linked one: its two sides are two calls.
        for (const session::Call::Link& link : call.linked_calls) {
            const session::Call* next = model.call(link.call);
            if (next == nullptr || next->start < call.start || call.legs.empty() || next->legs.empty() ||
                !carries_known_media(call.legs.back()) || !carries_known_media(next->legs.front())) {
                continue;
            }
            compare_hops(model, call, call.legs.back(), next->id, next->legs.front(), sink);
        }
    }
}

}  // namespace

RuleInfo path_protection_changed() {
    return {"path.protection-changed",
            Severity::high,
            "Protection changes between hops",
            "The same call's media is protected on one of its hops and weaker or plain on another, so the node "
            "between those hops (a media relay, SBC or PBX) decrypts it: it holds the keys of the protected hop "
            "and sends the media on in the weaker form, where anyone on that hop can listen. The endpoints on "
            "the protected side cannot see this: their own hop looks secure.",
            "Configure the node between the hops to keep the protection end to end (SRTP on every leg, or pass "
            "ZRTP/DTLS-SRTP through untouched), or move the call to end-to-end ZRTP or DTLS-SRTP, which a node in "
            "the middle cannot strip without the endpoints noticing.",
            "RFC 3711 section 9; RFC 4568 section 8.3; RFC 6189 section 10",
            &check};
}

}  // namespace zaudit::analysis::rules
