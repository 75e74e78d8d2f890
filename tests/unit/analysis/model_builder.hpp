#pragma once
// Hand-built session models for rule tests: no pcap, only the fields the rules read.

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "zaudit/analysis/registry.hpp"
#include "zaudit/crypto/hash.hpp"
#include "zaudit/session/model.hpp"
#include "zaudit/util/hex.hpp"

namespace zaudit::test {

/// Usable in namespace-scope constants (no Catch2 assertion before a test runs).
inline util::Endpoint ep(const char* ip, std::uint16_t port) {
    const auto address = util::IpAddress::parse(ip);
    if (!address) {
        throw std::invalid_argument{ip};
    }
    return util::Endpoint{*address, port};
}

/// An SDES key of 30 bytes (AES-128: 16 key + 14 salt) all equal to `fill`; the fingerprint
/// is computed as the tracker does (first 16 hex digits of SHA-256 of key||salt).
inline session::SdesKey sdes(std::uint32_t tag, std::string suite, std::uint8_t fill) {
    session::SdesKey key;
    key.tag = tag;
    key.suite = std::move(suite);
    key.key_salt.assign(30, fill);
    key.fingerprint = util::to_hex(crypto::sha256(key.key_salt)).substr(0, 16);
    return key;
}

inline session::SdpMedia audio(util::Endpoint rtp, std::string profile, std::vector<session::SdesKey> cryptos = {}) {
    session::SdpMedia media;
    media.media = "audio";
    media.rtp = rtp;
    media.profile = std::move(profile);
    media.profile_secure = media.profile.find("SAVP") != std::string::npos;
    media.profile_dtls = media.profile.find("TLS") != std::string::npos;
    media.cryptos = std::move(cryptos);
    return media;
}

inline session::SdpSnapshot sdp_snapshot(std::uint64_t frame, util::Endpoint sender, util::Endpoint receiver,
                                         std::string carried_by, std::uint32_t cseq, bool is_offer,
                                         std::vector<session::SdpMedia> media) {
    session::SdpSnapshot snapshot;
    snapshot.frame = frame;
    snapshot.time = util::Timestamp{static_cast<std::int64_t>(frame) * 1000};
    snapshot.sender = sender;
    snapshot.receiver = receiver;
    // carried_by as the session writes it: "INVITE", "ACK", or "<status> <method>" for a response.
    const auto space = carried_by.find(' ');
    snapshot.status = space == std::string::npos ? 0 : std::stoi(carried_by.substr(0, space));
    snapshot.method = sip::method_from_text(space == std::string::npos ? carried_by : carried_by.substr(space + 1));
    snapshot.carried_by = std::move(carried_by);
    snapshot.cseq = cseq;
    snapshot.is_offer = is_offer;
    snapshot.media = std::move(media);
    return snapshot;
}

/// A call between 192.0.2.10:5060 (caller) and 198.51.100.20:5060 (callee) over UDP.
inline session::Call call(std::uint32_t id = 1) {
    session::Call c;
    c.id = id;
    c.call_id = "call-" + std::to_string(id);
    c.from = "sip:alice@example.com";
    c.to = "sip:bob@example.com";
    c.transport = "udp";
    c.messages.push_back(session::SipEvent{
        1, {}, ep("192.0.2.10", 5060), ep("198.51.100.20", 5060), "INVITE", sip::Method::invite, 0, true});
    return c;
}

/// Appends an SDP to the call and returns its index.
inline std::size_t add(session::Call& c, session::SdpSnapshot snapshot) {
    c.sdps.push_back(std::move(snapshot));
    c.start = std::min(c.start.micros == 0 ? c.sdps.back().time : c.start, c.sdps.back().time);
    c.end = std::max(c.end, c.sdps.back().time);
    return c.sdps.size() - 1;
}

/// Appends an offer and its answer as one exchange.
inline void exchange(session::Call& c, session::SdpSnapshot offer, session::SdpSnapshot answer, int status = 200) {
    const std::size_t o = add(c, std::move(offer));
    const std::size_t a = add(c, std::move(answer));
    c.exchanges.push_back(session::OfferAnswer{o, a, false, status});
}

inline const session::SdpSnapshot& offer_of(const session::Call& c, std::size_t e) {
    return c.sdps[c.exchanges[e].offer];
}

/// Runs one rule of the catalogue over the model.
inline std::vector<analysis::Finding> run_rule(std::string_view id, const session::Model& model,
                                               const analysis::Policy& policy = {}) {
    const analysis::RuleInfo* rule = analysis::find_rule(id);
    REQUIRE(rule != nullptr);
    std::vector<analysis::Finding> findings;
    analysis::FindingSink sink{*rule, findings};
    rule->check(model, policy, sink);
    return findings;
}

inline session::Model model_of(std::vector<session::Call> calls) {
    session::Model model;
    model.calls = std::move(calls);
    return model;
}

}  // namespace zaudit::test
