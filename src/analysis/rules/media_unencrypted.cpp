// media.unencrypted: an RTP stream that nothing protects.
#include <algorithm>
#include <cmath>
#include <string_view>

#include "rules.hpp"
#include "sdp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

nlohmann::ordered_json payload_types(const session::MediaStream& stream) {
    auto types = nlohmann::ordered_json::array();
    for (std::size_t pt = 0; pt < stream.payload_types.size(); ++pt) {
        if (stream.payload_types.test(pt)) {
            types.push_back(pt);
        }
    }
    return types;
}

/// What IAX2's own encryption is worth, for the finding about a call that did without it.
constexpr std::string_view k_iax2_note =
    "IAX2 can encrypt a call itself (RFC 5456 ENCRYPTION element, AES-128-CBC as Asterisk implements it): the key "
    "is MD5 of the callee's MD5 challenge and the peers' shared secret, so the protection is only as strong as that "
    "secret (a capture of the challenge allows an offline guess of it), and there is no forward secrecy (a secret "
    "learnt later decrypts every recorded call). zaudit checks encrypted IAX2 only against its own generator.";

/// IAX2 calls whose voice frames went in clear: their media is in the call, not in RTP streams.
void check_iax2(const session::Model& model, FindingSink& sink) {
    for (const session::Call& call : model.calls) {
        if (!call.iax2 || call.iax2->media != session::Iax2Call::Media::plain) {
            continue;
        }
        const session::Iax2Call& iax = *call.iax2;
        const bool agreed = iax.encryption_agreed();
        auto codecs = nlohmann::ordered_json::array();
        for (const auto& codec : iax.codecs) {
            codecs.push_back(codec);
        }
        Finding& f = sink.add(
            fmt::format("IAX2 call {} {} -> {} (call numbers {}/{}) carries {} voice frames in clear{}", call.id,
                        iax.caller, iax.callee, iax.caller_call, iax.callee_call, iax.plain_voice_frames,
                        agreed                   ? ", although its NEW and the callee's answer agreed on AES-128"
                        : iax.encryption_offered ? ": the caller offered AES-128, the callee did not take it"
                                                 : ": neither peer asked for IAX2 encryption"));
        f.call = call.id;
        f.confidence = Confidence::inferred;
        f.frames = {iax.first_voice_frame, iax.last_voice_frame};
        f.evidence = {{"protocol", "iax2"},
                      {"media", "iax2-voice"},
                      {"src", iax.caller.to_string()},
                      {"dst", iax.callee.to_string()},
                      {"caller_call_number", iax.caller_call},
                      {"callee_call_number", iax.callee_call},
                      {"voice_frames", iax.plain_voice_frames},
                      {"payload_bytes", iax.plain_voice_bytes},
                      {"codecs", codecs},
                      {"encryption_offered", iax.encryption_offered.has_value()},
                      {"encryption_agreed", agreed},
                      {"note", k_iax2_note}};
    }
}

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    check_iax2(model, sink);
    for (const session::MediaStream& stream : model.media) {
        // Protection none: the call negotiated plain RTP, a ZRTP handshake never completed or
        // was cleared, or (no SDP, no ZRTP) the payload itself read like codec data.
        if (stream.packets == 0 || stream.protection != session::Protection::none) {
            continue;
        }
        // An unsignalled stream with ciphertext-like payload may be keyed from somewhere zaudit
        // cannot see (SDES in SIP over TLS): no proof of plaintext. A signalled one whose SDP
        // agreed on plain RTP is plain whatever its first packets looked like (a re-offer or
        // GoClear can end SRTP mid-stream).
        const bool unsignalled = !stream.call;
        if (unsignalled && stream.payload_looks_encrypted == true) {
            continue;
        }
        // The verdict names its period: a stream that was SRTP until a re-offer is in clear only
        // from the answer that dropped the keys.
        const auto& timeline = stream.protection_timeline;
        const auto clear = std::find_if(timeline.begin(), timeline.end(),
                                        [](const auto& p) { return p.protection == session::Protection::none; });
        const bool whole_life = clear == timeline.end() || timeline.size() == 1;
        const std::uint64_t from_frame = stream.cleared_at_frame ? *stream.cleared_at_frame
                                         : whole_life            ? stream.first_frame
                                                                 : clear->from_frame;
        const std::string reason =
            stream.cleared_at_frame
                ? fmt::format("ZRTP GoClear switched it to clear at frame {}", *stream.cleared_at_frame)
            : unsignalled ? std::string{"no SDP, ZRTP or DTLS set up SRTP for it"}
            : stream.dtls_never_keyed && whole_life
                ? std::string{"its SDP agreed on DTLS-SRTP, but no DTLS handshake on its flow completed"}
            : stream.zrtp_never_completed && whole_life
                ? std::string{"its SDP announced ZRTP (a=zrtp-hash), but no ZRTP handshake on its flow completed"}
            : whole_life ? std::string{"its SDP set up plain RTP (no SDES key, ZRTP or DTLS-SRTP)"}
                         : fmt::format("it was {} until the answer in frame {} agreed on plain RTP",
                                       session::to_string(timeline.front().protection), from_frame);
        Finding& f = sink.add(fmt::format(
            "RTP stream {} ssrc {} {} -> {} ({} packets) carries media in clear{}: {}", stream.id,
            ssrc_hex(stream.ssrc), stream.src, stream.dst, stream.packets,
            whole_life || stream.cleared_at_frame ? std::string{} : fmt::format(" from frame {}", from_frame), reason));
        f.call = stream.call;
        f.stream = stream.id;
        // The payload was sampled: codec-like bytes make it a strong pattern, not a recomputation.
        f.confidence = Confidence::inferred;
        f.frames = {from_frame, stream.last_frame};
        f.evidence = {{"ssrc", ssrc_hex(stream.ssrc)},
                      {"src", stream.src.to_string()},
                      {"dst", stream.dst.to_string()},
                      {"packets", stream.packets},
                      {"payload_bytes", stream.bytes},
                      {"payload_types", payload_types(stream)},
                      {"signalled", !unsignalled},
                      {"clear_from_frame", from_frame},
                      {"payload_entropy_bits", std::round(stream.payload_entropy * 1000) / 1000},
                      {"first_byte_share", std::round(stream.first_byte_share * 1000) / 1000},
                      {"payload_check", stream.payload_looks_encrypted ? "codec-like" : "too-few-bytes"}};
    }
}

}  // namespace

RuleInfo media_unencrypted() {
    return {"media.unencrypted",
            Severity::high,
            "Media in clear text",
            "This media is not encrypted: an RTP stream whose call agreed on plain RTP, or for which no SDP, ZRTP "
            "or DTLS exchange set up keys, or an IAX2 call whose voice frames went without IAX2's encryption. Anyone "
            "who can capture its packets (on the LAN, Wi-Fi, at the provider or any router "
            "on the way) can play back the conversation with common tools such as Wireshark.",
            "Enable SRTP on both endpoints and make it mandatory: ZRTP or DTLS-SRTP for end-to-end keys, or SDES "
            "only together with SIP over TLS. Check SBCs and trunks that may terminate SRTP and forward plain RTP.",
            "RFC 3550 section 9; RFC 3711 section 3",
            &check};
}

}  // namespace zaudit::analysis::rules
