// IAX2 calls (RFC 5456) end to end: the generator's two IAX2 scenarios through the tracker and
// the rules. Plain voice is media.unencrypted about the call; AES-128 agreed and ciphertext on
// the wire is protection iax2-aes128 and no finding.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string_view>

#include "zaudit/analysis/registry.hpp"
#include "zaudit/analysis/verdict.hpp"
#include "zaudit/gen/scenario.hpp"
#include "zaudit/session/tracker.hpp"

#include "support/track.hpp"

using namespace zaudit;

namespace {

constexpr std::uint64_t k_seed = 6189;  // zaudit-gen's default

session::Model model_of(std::string_view name) {
    const auto all = gen::scenarios();
    const auto it = std::find_if(all.begin(), all.end(), [&](const gen::Scenario& s) { return s.name == name; });
    REQUIRE(it != all.end());
    return test::track(it->build(k_seed));
}

std::size_t count_rule(const std::vector<analysis::Finding>& findings, std::string_view rule) {
    return static_cast<std::size_t>(
        std::count_if(findings.begin(), findings.end(), [&](const analysis::Finding& f) { return f.rule == rule; }));
}

}  // namespace

TEST_CASE("iax2 calls: the plain call is an iax2 call whose voice is in clear") {
    const session::Model model = model_of("iax2-plain-call");
    REQUIRE(model.calls.size() == 1);
    const session::Call& call = model.calls[0];
    CHECK(call.protocol == session::CallProtocol::iax2);
    REQUIRE(call.iax2);
    const session::Iax2Call& iax = *call.iax2;
    CHECK(call.from == "100");
    CHECK(call.to == "200");
    CHECK(call.ended_by == session::CallEnd::hangup);
    CHECK(iax.accepted);
    CHECK(iax.caller_call != 0);
    CHECK(iax.callee_call != 0);
    CHECK_FALSE(iax.encryption_offered);
    CHECK(iax.media == session::Iax2Call::Media::plain);
    CHECK(iax.plain_voice_frames == 200);  // 100 each way: one full voice frame, then 99 minis
    CHECK(iax.encrypted_frames == 0);
    CHECK(iax.codecs == std::vector<std::string>{"ulaw"});
    CHECK(model.media.empty());  // IAX2 voice is no RTP stream
    REQUIRE(model.flows.size() == 1);
    CHECK(model.flows[0].kinds() == std::vector<demux::PayloadKind>{demux::PayloadKind::iax2});

    const auto findings = analysis::run_rules(model, {});
    REQUIRE(count_rule(findings, "media.unencrypted") == 1);
    const auto f = std::find_if(findings.begin(), findings.end(),
                                [](const analysis::Finding& x) { return x.rule == "media.unencrypted"; });
    CHECK(f->call == call.id);
    CHECK(analysis::evidence_of(*f)["protocol"] == "iax2");
    CHECK(analysis::evidence_of(*f)["voice_frames"] == 200);
    CHECK(f->frames.front() == iax.first_voice_frame);
    CHECK(findings.size() == 1);  // no sip.cleartext-signaling, no media.unauditable
    const auto verdicts = analysis::call_verdicts(model, findings);
    REQUIRE(verdicts.size() == 1);
    CHECK(verdicts[0].achieved == analysis::Achieved::plain);
}

TEST_CASE("iax2 calls: the encrypted call is told apart from the plain one") {
    const session::Model model = model_of("iax2-encrypted-call");
    REQUIRE(model.calls.size() == 1);
    const session::Call& call = model.calls[0];
    CHECK(call.protocol == session::CallProtocol::iax2);
    REQUIRE(call.iax2);
    const session::Iax2Call& iax = *call.iax2;
    CHECK(iax.encryption_offered == std::uint16_t{1});
    CHECK(iax.encryption_answered == std::uint16_t{1});
    CHECK(iax.encryption_agreed());
    CHECK(iax.md5_challenge);
    CHECK(iax.media == session::Iax2Call::Media::aes128);
    CHECK(iax.plain_voice_frames == 0);
    // Everything from the ACCEPT on: ACCEPT, ACK, ANSWER, ACK, 200 voice frames, HANGUP, ACK.
    CHECK(iax.encrypted_frames == 206);
    CHECK(iax.first_encrypted_frame == 4);
    // The HANGUP is encrypted: the call's end is not visible, only that frames stopped.
    CHECK(call.ended_by == session::CallEnd::none);

    const auto findings = analysis::run_rules(model, {});
    CHECK(count_rule(findings, "media.unencrypted") == 0);
    CHECK(findings.empty());
    const auto verdicts = analysis::call_verdicts(model, findings);
    REQUIRE(verdicts.size() == 1);
    CHECK(verdicts[0].achieved == analysis::Achieved::iax2_aes128);
}
