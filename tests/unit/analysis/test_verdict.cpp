// A call's verdict: the weakest protection its streams achieved, worded for one capture point,
// and its worst finding.
#include <catch2/catch.hpp>

#include "zaudit/analysis/verdict.hpp"

using namespace zaudit;
using analysis::Achieved;

namespace {

session::MediaStream stream(std::uint32_t id, session::Protection protection, std::uint32_t flow = 1) {
    session::MediaStream m;
    m.id = id;
    m.flow = flow;
    m.protection = protection;
    return m;
}

session::Model one_call(std::vector<session::MediaStream> streams, bool tls = false) {
    session::Model model;
    session::Call call;
    call.id = 1;
    call.tls = tls;
    for (const auto& m : streams) {
        call.media.push_back(m.id);
    }
    model.calls.push_back(call);
    model.media.assign(streams.begin(), streams.end());
    return model;
}

analysis::Finding finding(analysis::Severity severity, std::optional<std::uint32_t> call) {
    analysis::Finding f;
    f.rule = "media.unencrypted";
    f.severity = severity;
    f.call = call;
    return f;
}

session::ZrtpHandshake handshake(bool completed, zrtp::CheckOutcome outcome) {
    session::ZrtpHandshake h;
    h.call = 1;
    h.flow = 1;
    h.completed = completed;
    session::ZrtpCheck check;
    check.check.outcome = outcome;
    h.checks.push_back(check);
    return h;
}

}  // namespace

TEST_CASE("a call is as protected as its weakest stream") {
    using P = session::Protection;
    CHECK(analysis::call_verdicts(one_call({stream(1, P::zrtp), stream(2, P::none)}), {})[0].achieved ==
          Achieved::plain);
    CHECK(analysis::call_verdicts(one_call({stream(1, P::sdes_srtp), stream(2, P::dtls_srtp)}), {})[0].achieved ==
          Achieved::sdes_exposed);
    CHECK(analysis::call_verdicts(one_call({stream(1, P::sdes_srtp)}, true), {})[0].achieved == Achieved::sdes_tls);
    CHECK(analysis::call_verdicts(one_call({stream(1, P::unknown)}), {})[0].achieved == Achieved::srtp_unknown);
    CHECK(analysis::call_verdicts(one_call({}), {})[0].achieved == Achieved::no_media);
    CHECK(analysis::describe(Achieved::sdes_exposed) == "SDES keys exposed: anyone on the path can listen");
}

TEST_CASE("ZRTP is verified only when its handshake completed and passed every check made here") {
    using P = session::Protection;
    session::Model model = one_call({stream(1, P::zrtp)});
    model.handshakes.push_back(handshake(true, zrtp::CheckOutcome::passed));
    CHECK(analysis::call_verdicts(model, {})[0].achieved == Achieved::zrtp_verified);
    CHECK(analysis::describe(Achieved::zrtp_verified) == "ZRTP: handshake verified at this point, SAS not checkable");
    model.handshakes[0] = handshake(true, zrtp::CheckOutcome::failed);
    CHECK(analysis::call_verdicts(model, {})[0].achieved == Achieved::zrtp_failed);
    model.handshakes[0] = handshake(false, zrtp::CheckOutcome::passed);
    CHECK(analysis::call_verdicts(model, {})[0].achieved == Achieved::zrtp_failed);
    // A handshake of another flow does not speak for this stream.
    model.handshakes[0] = handshake(true, zrtp::CheckOutcome::failed);
    model.handshakes[0].flow = 2;
    CHECK(analysis::call_verdicts(model, {})[0].achieved == Achieved::zrtp_verified);
    // A critical finding about the call (two vantage points that disagree) withdraws "verified".
    CHECK(analysis::call_verdicts(model, {finding(analysis::Severity::critical, 1)})[0].achieved ==
          Achieved::zrtp_failed);
    CHECK(analysis::call_verdicts(model, {finding(analysis::Severity::medium, 1)})[0].achieved ==
          Achieved::zrtp_verified);
}

TEST_CASE("a verdict counts its call's findings and points at the worst") {
    const session::Model model = one_call({stream(1, session::Protection::none)});
    const std::vector<analysis::Finding> findings{
        finding(analysis::Severity::low, 1), finding(analysis::Severity::high, 1),
        finding(analysis::Severity::critical, std::nullopt), finding(analysis::Severity::medium, 1)};
    const auto verdicts = analysis::call_verdicts(model, findings);
    REQUIRE(verdicts.size() == 1);
    CHECK(verdicts[0].findings == 3);
    CHECK(verdicts[0].worst == 1U);
    CHECK_FALSE(verdicts[0].relayed);
}
