// media.clear-before-secure: RTP sent in clear on a stream before its ZRTP handshake completed.
#include <optional>

#include "rules.hpp"
#include "zrtp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

/// When the first clear packet was sent: the model keeps its frame; the stream that began with
/// that frame knows its time.
std::optional<util::Timestamp> first_clear_time(const StreamsByFlow& streams, const session::ZrtpHandshake& handshake) {
    for (const auto* stream : streams[handshake.flow]) {
        if (handshake.first_clear_rtp_frame && stream->first_frame == *handshake.first_clear_rtp_frame) {
            return stream->first_time;
        }
    }
    return std::nullopt;
}

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    const StreamsByFlow streams = streams_by_flow(model);
    for (const session::ZrtpHandshake& handshake : model.handshakes) {
        if (!handshake.completed || handshake.clear_rtp_before_secure == 0) {
            continue;
        }
        const auto first_time = first_clear_time(streams, handshake);
        std::optional<double> seconds;
        if (first_time && handshake.secure_time) {
            seconds = static_cast<double>(handshake.secure_time->micros - first_time->micros) / 1e6;
        }
        Finding& f = add_handshake_finding(
            streams, sink, handshake,
            fmt::format("{} RTP packet(s) on {} <-> {} were sent in clear before ZRTP secured the stream{}",
                        handshake.clear_rtp_before_secure, handshake.a, handshake.b,
                        seconds ? fmt::format(" ({:.3f} s)", *seconds) : std::string{}));
        f.confidence = Confidence::verified;  // counted from the capture, before the Conf2ACK frame
        if (handshake.first_clear_rtp_frame) {
            f.frames.push_back(*handshake.first_clear_rtp_frame);
        }
        if (handshake.secure_frame) {
            f.frames.push_back(*handshake.secure_frame);
        }
        f.evidence["clear_packets"] = handshake.clear_rtp_before_secure;
        f.evidence["first_clear_frame"] = handshake.first_clear_rtp_frame
                                              ? nlohmann::ordered_json(*handshake.first_clear_rtp_frame)
                                              : nlohmann::ordered_json();
        f.evidence["first_clear_time"] =
            first_time ? nlohmann::ordered_json(util::to_rfc3339(*first_time)) : nlohmann::ordered_json();
        f.evidence["secure_frame"] =
            handshake.secure_frame ? nlohmann::ordered_json(*handshake.secure_frame) : nlohmann::ordered_json();
        f.evidence["secure_time"] = handshake.secure_time
                                        ? nlohmann::ordered_json(util::to_rfc3339(*handshake.secure_time))
                                        : nlohmann::ordered_json();
        f.evidence["seconds_until_secure"] = seconds ? nlohmann::ordered_json(*seconds) : nlohmann::ordered_json();
    }
}

}  // namespace

RuleInfo media_clear_before_secure() {
    return {"media.clear-before-secure",
            Severity::low,
            "RTP sent in clear before the key exchange completed",
            "Some RTP packets of the stream went out unencrypted before its ZRTP handshake reached Conf2ACK. "
            "Endpoints do this to start audio quickly (linphone, for one, sends a few packets in each direction "
            "before ZRTP completes); those packets can be heard or analysed by anyone on the path. Usually it is a "
            "fraction of a second of audio, but it also shows that the endpoint will send media without keys.",
            "Configure the endpoint to hold media (or send silence) until ZRTP completes, where it allows; "
            "otherwise accept it knowingly for the first moments of each call.",
            "RFC 6189 section 4",
            &check};
}

}  // namespace zaudit::analysis::rules
