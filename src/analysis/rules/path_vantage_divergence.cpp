// path.vantage-divergence: two views of one call disagree on who speaks ZRTP (or DTLS).
// The views are two captures (`zaudit compare A B`; analysis/compare.cpp makes those findings)
// or, here, two legs of one call inside one capture: a relay that forwards ZRTP shows the same
// two ZIDs on both its sides, a node that terminates it shows its own on each.
#include <algorithm>
#include <map>
#include <set>

#include "rules.hpp"
#include "zrtp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

/// What the handshakes of one leg show.
struct LegView {
    std::set<std::string> zids;
    std::vector<std::uint32_t> handshakes;
    std::vector<std::uint64_t> hello_frames;
};

std::uint32_t leg_of(const StreamsByFlow& streams, const session::ZrtpHandshake& handshake) {
    for (const session::MediaStream* stream : streams[handshake.flow]) {
        if (stream->leg != 0) {
            return stream->leg;
        }
    }
    return 0;
}

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    std::map<std::uint32_t, std::map<std::uint32_t, LegView>> views;  // call -> leg -> view
    std::set<std::uint32_t> declared;                                 // calls with a trusted MiTM
    const StreamsByFlow streams = streams_by_flow(model);
    for (const session::ZrtpHandshake& handshake : model.handshakes) {
        const std::uint32_t leg = leg_of(streams, handshake);
        if (!handshake.call || leg == 0) {
            continue;
        }
        if (declares_trusted_mitm(handshake)) {
            declared.insert(*handshake.call);
        }
        LegView& view = views[*handshake.call][leg];
        view.handshakes.push_back(handshake.id);
        for (const session::ZrtpMessageRecord& record : handshake.messages) {
            if (const auto* hello = record.message.hello()) {
                view.zids.insert(zid_hex(hello->zid));
                view.hello_frames.push_back(record.frame);
            }
        }
    }
    for (const auto& [call, legs] : views) {
        if (legs.size() < 2 || declared.contains(call)) {
            continue;  // one view; or a PBX that says it is one (zrtp.trusted-mitm)
        }
        const auto& [first_leg, first] = *legs.begin();
        for (auto it = std::next(legs.begin()); it != legs.end(); ++it) {
            const auto& [leg, view] = *it;
            if (view.zids.empty() || first.zids.empty() || view.zids == first.zids) {
                continue;
            }
            Finding& f = sink.add(
                fmt::format("call {} runs ZRTP with different ZIDs on leg {} ({}) and leg {} ({}): a node between them "
                            "terminates ZRTP and keys each side on its own",
                            call, first_leg, fmt::join(first.zids, ", "), leg, fmt::join(view.zids, ", ")));
            f.call = call;
            f.confidence = Confidence::verified;  // the ZIDs were read from both legs' Hellos
            std::vector<std::uint64_t> frames = first.hello_frames;
            frames.insert(frames.end(), view.hello_frames.begin(), view.hello_frames.end());
            std::sort(frames.begin(), frames.end());
            f.frames = first_frames(frames);
            f.evidence = {{"views", "legs"},
                          {"a", {{"leg", first_leg}, {"zids", first.zids}, {"handshakes", first.handshakes}}},
                          {"b", {{"leg", leg}, {"zids", view.zids}, {"handshakes", view.handshakes}}}};
        }
    }
}

}  // namespace

RuleInfo path_vantage_divergence() {
    return {"path.vantage-divergence",
            Severity::critical,
            "ZRTP terminated between two capture points",
            "Two views of the same call (captures taken at two points of its path, matched by Call-ID, or two "
            "legs of it in one capture) show "
            "different ZRTP identities: ZIDs, hash images (H3 in the Hello, H2 in the Commit, H1 in the DHPart), "
            "Hello hashes, DH public values or SDP a=zrtp-hash, or different DTLS a=fingerprint values. A node that "
            "only forwards the media leaves all of them unchanged. A node that terminates ZRTP must run a handshake "
            "of its own with each side, and each of those handshakes can verify perfectly on its own: only the "
            "comparison shows that the two endpoints never keyed with each other, so the node in between can "
            "decrypt, record and alter the call. Unless the users compared the SAS aloud (it would differ), nothing "
            "else reveals it. A node that declares itself (Hello M flag, SASrelay) is reported as zrtp.trusted-mitm "
            "instead.",
            "Treat the call as intercepted: compare the SAS on both phones, and find the node between the two "
            "capture points (media relays, SBCs, B2BUAs, anything that rewrote the SDP) that runs ZRTP or DTLS "
            "itself. Keep ZRTP end to end: relays must forward ZRTP packets unchanged.",
            "RFC 6189 sections 4.1, 7 and 9; RFC 5763 section 5",
            &check};
}

}  // namespace zaudit::analysis::rules
