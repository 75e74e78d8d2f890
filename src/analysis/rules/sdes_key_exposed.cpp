// sdes.key-exposed: an SDES master key that anyone who saw the SIP can use to decrypt the call.
#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "rules.hpp"
#include "sdp_facts.hpp"
#include "zaudit/util/hex.hpp"

namespace zaudit::analysis::rules {
namespace {

/// One distinct key of one call, with every SDP that carried it.
struct ExposedKey {
    const session::SdesKey* key = nullptr;
    const session::SdpSnapshot* first = nullptr;
    std::size_t m_line = 0;
    std::vector<std::uint64_t> frames;
};

std::vector<ExposedKey> keys_of(const session::Call& call) {
    std::vector<ExposedKey> keys;
    std::unordered_map<std::string_view, std::size_t> index_of;  // by fingerprint: a dialog may re-offer without end
    for (const session::SdpSnapshot& sdp : call.sdps) {
        for (std::size_t m = 0; m < sdp.media.size(); ++m) {
            for (const session::SdesKey& key : sdp.media[m].cryptos) {
                if (key.key_salt.empty()) {
                    continue;  // nothing decodable was sent: no key to expose
                }
                const auto [it, added] = index_of.try_emplace(key.fingerprint, keys.size());
                if (added) {
                    keys.push_back(ExposedKey{&key, &sdp, m, {}});
                }
                // An SDP lists a key once per m= line or a=crypto that carries it: one frame each.
                std::vector<std::uint64_t>& frames = keys[it->second].frames;
                if (frames.empty() || frames.back() != sdp.frame) {
                    frames.push_back(sdp.frame);
                }
            }
        }
    }
    return keys;
}

/// An answered offer's exchange by its transaction (CSeq number and method).
using AnsweredOffers = std::map<std::pair<std::uint32_t, sip::Method>, const session::OfferAnswer*>;

/// The first exchange of each transaction whose offer got an answer: what in_use looks up for
/// every key, built once per call.
AnsweredOffers answered_offers(const session::Call& call) {
    AnsweredOffers answered;
    for (const session::OfferAnswer& exchange : call.exchanges) {
        const session::SdpSnapshot& offer = call.sdps[exchange.offer];
        if (offer.is_offer && exchange.answer) {
            const Transaction t = transaction_of(offer);
            answered.try_emplace({t.cseq, t.method}, &exchange);
        }
    }
    return answered;
}

/// Whether the key protects media: an answer's key does; an offered key only when the answer
/// accepted its tag (RFC 4568 section 7.1.2). Null when the offer got no answer in the capture.
std::optional<bool> in_use(const session::Call& call, const AnsweredOffers& answered, const session::SdpSnapshot& sdp,
                           std::size_t m_line, std::uint32_t tag) {
    if (!sdp.is_offer) {
        return true;
    }
    const Transaction t = transaction_of(sdp);
    const auto found = answered.find({t.cseq, t.method});
    if (found == answered.end()) {
        return std::nullopt;
    }
    const session::SdpSnapshot& answer = call.sdps[*found->second->answer];
    if (m_line >= answer.media.size() || !accepted(answer.media[m_line])) {
        return false;
    }
    const auto& chosen = answer.media[m_line].cryptos;
    return std::any_of(chosen.begin(), chosen.end(), [&](const session::SdesKey& k) { return k.tag == tag; });
}

/// With an audio export (--export-audio, zaudit export): every packet of the stream went through
/// libsrtp2 with this key, RTP and RTCP, and the decrypted ones became sound.
void add_audio_proof(const session::MediaStream& stream, const std::string& fingerprint, nlohmann::ordered_json& entry,
                     Finding& f) {
    const auto& exported = stream.audio_export;
    if (!exported || exported->key_fingerprint != fingerprint) {
        return;
    }
    entry["decrypted_to_audio"] = exported->decrypted;
    entry["decrypt_failed"] = exported->decrypt_failed;
    entry["srtcp_authenticated"] = exported->srtcp_authenticated;
    entry["srtcp_failed"] = exported->srtcp_failed;
    entry["rtcp_plain"] = exported->rtcp_plain;
    f.message += fmt::format(
        "; the audio export decrypted {} packets to audio ({} failed; SRTCP: {} authenticated "
        "and decrypted, {} failed)",
        exported->decrypted, exported->decrypt_failed, exported->srtcp_authenticated, exported->srtcp_failed);
}

/// A key check of one of the call's streams.
struct StreamCheck {
    const session::MediaStream* stream = nullptr;
    const session::SrtpKeyCheck* check = nullptr;
};
/// The call's key checks by key fingerprint, in stream order: looked up once per key, so that a
/// call of many keys and many streams costs their sum, not their product.
using ChecksByKey = std::unordered_map<std::string_view, std::vector<StreamCheck>>;

ChecksByKey checks_by_key(const session::Model& model, const session::Call& call) {
    ChecksByKey checks;
    for (const std::uint32_t id : call.media) {
        const session::MediaStream* stream = model.stream(id);
        if (stream == nullptr) {
            continue;
        }
        for (const session::SrtpKeyCheck& check : stream->srtp_checks) {
            if (check.checked > 0) {
                checks[check.key_fingerprint].push_back(StreamCheck{stream, &check});
            }
        }
    }
    return checks;
}

/// Whether libsrtp2 authenticated the call's SRTP with this key (session/srtp_check.cpp):
/// "verified" is proof that whoever holds the capture can decrypt the media.
void add_srtp_proof(const ChecksByKey& checks, const std::string& fingerprint, Finding& f) {
    std::string outcome = "no-packets";
    nlohmann::ordered_json streams = nlohmann::ordered_json::array();
    if (const auto found = checks.find(fingerprint); found != checks.end()) {
        for (const StreamCheck& stream_check : found->second) {
            const session::MediaStream& stream = *stream_check.stream;
            const session::SrtpKeyCheck& check = *stream_check.check;
            streams.push_back({{"stream", stream.id},
                               {"ssrc", fmt::format("0x{:08x}", stream.ssrc)},
                               {"checked", check.checked},
                               {"authenticated", check.authenticated}});
            if (check.authenticated > 0) {
                outcome = "verified";
                f.frames.push_back(stream.first_frame);
                f.message += fmt::format("; libsrtp2 authenticated {} of {} {}SRTP packets of stream {} with it",
                                         check.authenticated, check.checked,
                                         check.coverage == session::SrtpCoverage::sample ? "sampled " : "", stream.id);
            } else if (outcome != "verified") {
                outcome = "failed";
            }
            add_audio_proof(stream, fingerprint, streams.back(), f);
        }
    }
    f.evidence["srtp_authenticated"] = outcome;
    f.evidence["srtp_streams"] = streams;
}

/// The keys of one call listed one finding each. A call of real endpoints sends a few (two or
/// three suites offered per m= line, audio and video, an answer, a rekeying re-INVITE); a dialog
/// that re-offers fresh keys without end, or an SDP of dozens of keyed sections, would make every
/// key a finding of its own. Keys beyond these are counted in one finding of the call.
constexpr std::size_t k_max_listed_keys = 16;

/// in_use() as evidence: true, false, or null when the offer got no answer in the capture.
nlohmann::ordered_json in_use_evidence(std::optional<bool> used) {
    return used ? nlohmann::ordered_json(*used) : nlohmann::ordered_json(nullptr);
}

/// A key of the call, with what in_use() said of it.
struct JudgedKey {
    const ExposedKey* exposed = nullptr;
    std::optional<bool> in_use;  ///< nullopt: the offer got no answer in the capture
};

/// The call's keys to list one by one (in the order they were sent) and the rest: keys that
/// protect media first, so that a flood of offered keys cannot push them out of the list.
std::pair<std::vector<JudgedKey>, std::vector<JudgedKey>> listed_and_counted(const session::Call& call,
                                                                             const std::vector<ExposedKey>& keys,
                                                                             const AnsweredOffers& answered) {
    std::vector<JudgedKey> listed;
    listed.reserve(keys.size());
    for (const ExposedKey& exposed : keys) {
        listed.push_back(JudgedKey{&exposed, in_use(call, answered, *exposed.first, exposed.m_line, exposed.key->tag)});
    }
    std::vector<JudgedKey> counted;
    if (listed.size() > k_max_listed_keys) {
        std::stable_partition(listed.begin(), listed.end(),
                              [](const JudgedKey& judged) { return judged.in_use.value_or(false); });
        counted.assign(std::make_move_iterator(listed.begin() + k_max_listed_keys),
                       std::make_move_iterator(listed.end()));
        listed.resize(k_max_listed_keys);
        // Back to the order sent: the pointers point into `keys`, which is in that order.
        std::sort(listed.begin(), listed.end(),
                  [](const JudgedKey& x, const JudgedKey& y) { return x.exposed < y.exposed; });
        std::sort(counted.begin(), counted.end(),
                  [](const JudgedKey& x, const JudgedKey& y) { return x.exposed < y.exposed; });
    }
    return {std::move(listed), std::move(counted)};
}

void add_key_finding(const session::Call& call, const ChecksByKey& checks, const JudgedKey& judged,
                     const Policy& policy, FindingSink& sink) {
    const ExposedKey& exposed = *judged.exposed;
    const session::SdesKey& key = *exposed.key;
    const session::SdpSnapshot& sdp = *exposed.first;
    const session::SdpMedia& media = sdp.media[exposed.m_line];
    Finding& f = sink.add(
        fmt::format("SDES key {} ({}) of {} was sent in clear {} by {} (frame {}): the key is exposed to anyone who "
                    "captured the signalling",
                    key.fingerprint, key.suite, media.media, sdp.carried_by, sdp.sender, sdp.frame));
    f.call = call.id;
    f.confidence = Confidence::verified;  // the key was read from the captured SDP
    f.frames = first_frames(exposed.frames);
    f.evidence = {{"suite", key.suite},
                  {"tag", key.tag},
                  {"key_fingerprint", key.fingerprint},
                  {"media", media.media},
                  {"m_line", exposed.m_line + 1},
                  {"sent_by", sdp.sender.to_string()},
                  {"sent_to", sdp.receiver.to_string()},
                  {"carried_by", sdp.carried_by},
                  {"offer", sdp.is_offer},
                  {"in_use", in_use_evidence(judged.in_use)},
                  {"transport", call.transport},
                  {"sdp_frames", exposed.frames}};
    add_srtp_proof(checks, key.fingerprint, f);
    if (policy.reveal_keys) {
        f.evidence["key_base64"] = util::to_base64(key.key_salt);
    }
}

/// The one finding that counts the call's keys beyond the listed ones, with the first examples.
void add_counted_keys_finding(const session::Call& call, const std::vector<JudgedKey>& counted, const Policy& policy,
                              FindingSink& sink) {
    const auto protecting = static_cast<std::size_t>(std::count_if(
        counted.begin(), counted.end(), [](const JudgedKey& judged) { return judged.in_use.value_or(false); }));
    Finding& f = sink.add(fmt::format(
        "{} more SDES keys of this call were sent in clear (beyond the {} listed one by one): each is exposed to "
        "anyone who captured the signalling",
        counted.size(), k_max_listed_keys));
    f.call = call.id;
    f.confidence = Confidence::verified;
    f.count = counted.size();
    for (const JudgedKey& judged : counted) {
        const ExposedKey& exposed = *judged.exposed;
        f.frames.push_back(exposed.frames.front());
        if (f.examples.size() < max_examples) {
            nlohmann::ordered_json example{{"key_fingerprint", exposed.key->fingerprint},
                                           {"suite", exposed.key->suite},
                                           {"tag", exposed.key->tag},
                                           {"media", exposed.first->media[exposed.m_line].media},
                                           {"m_line", exposed.m_line + 1},
                                           {"frame", exposed.frames.front()},
                                           {"in_use", in_use_evidence(judged.in_use)}};
            if (policy.reveal_keys) {
                example["key_base64"] = util::to_base64(exposed.key->key_salt);
            }
            f.examples.push_back(std::move(example));
        }
    }
    std::sort(f.frames.begin(), f.frames.end());
    f.frames.erase(std::unique(f.frames.begin(), f.frames.end()), f.frames.end());
    f.frames = first_frames(f.frames);
    f.evidence = {
        {"listed_separately", k_max_listed_keys}, {"in_use_count", protecting}, {"transport", call.transport}};
}

void check(const session::Model& model, const Policy& policy, FindingSink& sink) {
    for (const session::Call& call : model.calls) {
        if (call.tls) {
            continue;
        }
        const auto answered = answered_offers(call);
        const ChecksByKey checks = checks_by_key(model, call);
        const std::vector<ExposedKey> keys = keys_of(call);
        const auto [listed, counted] = listed_and_counted(call, keys, answered);
        for (const JudgedKey& judged : listed) {
            add_key_finding(call, checks, judged, policy, sink);
        }
        if (!counted.empty()) {
            add_counted_keys_finding(call, counted, policy, sink);
        }
    }
    const session::SummarisedDialogs& summarised = model.summarised;
    if (summarised.exposing_keys > 0) {
        // Keys of dialogs that never got a final response, summarised: counted, not listed
        // (their bytes are gone with the dialogs, whatever --reveal-keys says).
        Finding& f = add_summarised_finding(
            sink,
            fmt::format("{} dialogs that never got a final response sent SDES keys in clear: each key is exposed to "
                        "anyone who captured the signalling",
                        summarised.exposing_keys),
            summarised.exposing_keys, summarised.key_examples);
        f.evidence = {{"summarised", true}, {"in_use", nullptr}};
    }
}

}  // namespace

RuleInfo sdes_key_exposed() {
    return {"sdes.key-exposed",
            Severity::critical,
            "SDES media key sent in clear text",
            "With SDES (RFC 4568) the SRTP master key travels inside the SDP of the SIP messages. This call's SIP "
            "was not protected by TLS, so the key was readable on the wire: anyone who captured the signalling (on "
            "the LAN, at the ISP, at any proxy) can decrypt the call's audio and video and forge packets, now or "
            "from a recording made today.",
            "Carry SIP over TLS end to end (sips:, transport=tls) whenever SDES is used, or switch the media to "
            "DTLS-SRTP or ZRTP, whose keys never appear in signalling. Treat the keys of this call as public.",
            "RFC 4568 section 8 (security considerations); RFC 3261 section 26.2",
            &check};
}

}  // namespace zaudit::analysis::rules
