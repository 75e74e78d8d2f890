// Shared SDP facts for the rules (see sdp_facts.hpp).
#include "sdp_facts.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace zaudit::analysis::rules {

bool asks_for_srtp(const session::SdpMedia& media) {
    return media.profile_secure || media.profile_dtls || !media.cryptos.empty() || !media.fingerprints.empty();
}

bool carries_security(const session::SdpMedia& media) {
    return asks_for_srtp(media) || !media.zrtp_hashes.empty();
}

std::string ssrc_hex(std::uint32_t ssrc) {
    return fmt::format("0x{:08x}", ssrc);
}

std::vector<std::string> suites_of(const session::SdpMedia& media) {
    std::vector<std::string> suites;
    for (const auto& crypto : media.cryptos) {
        suites.push_back(crypto.suite);
    }
    return suites;
}

nlohmann::ordered_json snapshot_json(const session::SdpSnapshot& snapshot) {
    return {{"frame", snapshot.frame},
            {"carried_by", snapshot.carried_by},
            {"cseq", snapshot.cseq},
            {"sender", snapshot.sender.to_string()},
            {"receiver", snapshot.receiver.to_string()}};
}

Transaction transaction_of(const session::SdpSnapshot& snapshot) {
    // RFC 3261 17.1.1.3: the ACK carries the INVITE's CSeq number.
    const bool ack = snapshot.method == sip::Method::ack;
    return Transaction{snapshot.cseq, ack ? sip::Method::invite : snapshot.method};
}

std::vector<ProtectionStep> protection_timeline(const session::Model& /*model*/, const session::Call& call) {
    std::vector<ProtectionStep> steps;
    for_each_exchanged_line(call, [&](const ExchangedLine& line) {
        const session::SdpMedia& offered = line.offer.media[line.m_line];
        const session::SdpMedia& answered = line.answer.media[line.m_line];
        if (accepted(answered) && accepted(offered)) {
            steps.push_back(ProtectionStep{line.answer.frame,
                                           line.m_line,
                                           line.answer.leg,
                                           answered.media,
                                           std::min(offered.advertised(), answered.advertised()),
                                           "sdp",
                                           {line.offer.frame, line.answer.frame}});
        }
    });
    std::stable_sort(steps.begin(), steps.end(),
                     [](const ProtectionStep& x, const ProtectionStep& y) { return x.frame < y.frame; });
    return steps;
}

std::vector<const session::MediaStream*> streams_of(const session::Model& model, const session::Call& call,
                                                    std::size_t m_line) {
    std::vector<const session::MediaStream*> streams;
    for (const std::uint32_t id : call.media) {
        const session::MediaStream* stream = model.stream(id);
        if (stream != nullptr && stream->sdp_media == m_line) {
            streams.push_back(stream);
        }
    }
    return streams;
}

Finding& add_agreed_key_finding(const session::Model& model, const session::Call& call, const AgreedKey& agreed,
                                FindingSink& sink, std::string message, const nlohmann::ordered_json& extra) {
    Finding& f = sink.add(std::move(message));
    f.call = call.id;
    f.confidence = Confidence::verified;  // read from the answer; packets not examined
    f.frames = {agreed.offer.frame, agreed.answer.frame};
    const auto streams = streams_evidence(model, call, agreed.m_line, f.frames);
    f.evidence = {{"suite", agreed.key.suite}, {"tag", agreed.key.tag}};
    for (const auto& [name, value] : extra.items()) {
        f.evidence[name] = value;
    }
    f.evidence["media"] = agreed.answer.media[agreed.m_line].media;
    f.evidence["m_line"] = agreed.m_line + 1;
    f.evidence["offer"] = snapshot_json(agreed.offer);
    f.evidence["answer"] = snapshot_json(agreed.answer);
    f.evidence["streams"] = streams;
    f.evidence["checked"] = "sdp";
    return f;
}

nlohmann::ordered_json streams_evidence(const session::Model& model, const session::Call& call, std::size_t m_line,
                                        std::vector<std::uint64_t>& frames) {
    auto streams = nlohmann::ordered_json::array();
    for (const session::MediaStream* stream : streams_of(model, call, m_line)) {
        frames.push_back(stream->first_frame);
        streams.push_back({{"stream", stream->id},
                           {"ssrc", ssrc_hex(stream->ssrc)},
                           {"src", stream->src.to_string()},
                           {"dst", stream->dst.to_string()},
                           {"packets", stream->packets}});
    }
    return streams;
}

}  // namespace zaudit::analysis::rules
