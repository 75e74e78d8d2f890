// dtls.fingerprint-mismatch, media.null-cipher's DTLS side and the DTLS verdicts over hand-built
// models (the session's fingerprint check itself is tested on real captures, tests/unit/interop).
#include "model_builder.hpp"
#include "zaudit/analysis/verdict.hpp"

using namespace zaudit;
using namespace zaudit::test;
using analysis::Achieved;

namespace {

const util::Endpoint k_client = ep("198.51.100.20", 7078);
const util::Endpoint k_server = ep("192.0.2.10", 7078);

session::DtlsCertificate certificate(const util::Endpoint& sender, std::uint64_t frame, session::DtlsVerdict verdict) {
    session::DtlsCertificate c;
    c.frame = frame;
    c.sender = sender;
    c.der = {0x30, 0x03, 0x02, 0x01, 0x01};
    c.verdict = verdict;
    c.sdp = 0;
    c.sdp_frame = 1;
    c.matched_by = session::DtlsSdpMatch::address;
    c.hash_function = "sha-256";
    c.computed = "AA:BB";
    c.announced = verdict == session::DtlsVerdict::verified ? "sha-256 AA:BB" : "sha-256 AA:BC";
    return c;
}

/// One call with one DTLS-SRTP stream on flow 1 and its handshake, whose server certificate
/// has `server_verdict`.
session::Model dtls_call(session::DtlsVerdict server_verdict, std::uint16_t profile = 0x0001) {
    session::Call c = call();
    c.media = {1};
    c.dtls_handshakes = {1};
    session::Model model = model_of({c});
    session::MediaStream stream;
    stream.id = 1;
    stream.flow = 1;
    stream.call = 1;
    stream.src = k_client;
    stream.dst = k_server;
    stream.protection = session::Protection::dtls_srtp;
    model.media = {stream};
    session::DtlsHandshake h;
    h.id = 1;
    h.flow = 1;
    h.call = 1;
    h.client = k_client;
    h.server = k_server;
    h.client_known = true;
    h.server_hello_frame = 14;
    h.selected_profile = profile;
    h.certificates = {certificate(k_server, 14, server_verdict),
                      certificate(k_client, 20, session::DtlsVerdict::verified)};
    model.dtls_handshakes = {h};
    return model;
}

}  // namespace

TEST_CASE("dtls.fingerprint-mismatch: a certificate that differs from its SDP is critical, with both frames") {
    const auto findings = run_rule("dtls.fingerprint-mismatch", dtls_call(session::DtlsVerdict::mismatch));
    REQUIRE(findings.size() == 1);
    const analysis::Finding& f = findings[0];
    CHECK(f.severity == analysis::Severity::critical);
    CHECK(f.confidence == analysis::Confidence::verified);
    CHECK(f.call == 1u);
    CHECK(f.stream == 1u);
    CHECK(f.frames == std::vector<std::uint64_t>{1, 14});
    CHECK(f.evidence["role"] == "server");
    CHECK(f.evidence["computed"] == "AA:BB");
    CHECK(f.evidence["announced"] == "sha-256 AA:BC");
}

TEST_CASE("dtls.fingerprint-mismatch: nothing for verified or unverifiable certificates") {
    CHECK(run_rule("dtls.fingerprint-mismatch", dtls_call(session::DtlsVerdict::verified)).empty());
    CHECK(run_rule("dtls.fingerprint-mismatch", dtls_call(session::DtlsVerdict::not_verifiable)).empty());
}

TEST_CASE("media.null-cipher: a DTLS-SRTP handshake that selected a NULL profile") {
    const auto findings = run_rule("media.null-cipher", dtls_call(session::DtlsVerdict::verified, 0x0006));
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].frames == std::vector<std::uint64_t>{14});
    CHECK(findings[0].evidence["suite"] == "SRTP_NULL_HMAC_SHA1_32");
    CHECK(run_rule("media.null-cipher", dtls_call(session::DtlsVerdict::verified, 0x0007)).empty());
}

TEST_CASE("verdict: DTLS-SRTP verified, failed on a mismatch, unverified when a certificate was not checked") {
    CHECK(analysis::call_verdicts(dtls_call(session::DtlsVerdict::verified), {})[0].achieved ==
          Achieved::dtls_verified);
    CHECK(analysis::call_verdicts(dtls_call(session::DtlsVerdict::mismatch), {})[0].achieved == Achieved::dtls_failed);
    CHECK(analysis::call_verdicts(dtls_call(session::DtlsVerdict::not_verifiable), {})[0].achieved ==
          Achieved::dtls_unverified);
    session::Model one_side = dtls_call(session::DtlsVerdict::verified);
    one_side.dtls_handshakes[0].certificates.pop_back();
    CHECK(analysis::call_verdicts(one_side, {})[0].achieved == Achieved::dtls_unverified);
    CHECK(analysis::to_string(Achieved::dtls_verified) == "dtls-srtp-verified");
}

TEST_CASE("verdict: two DTLS associations on one flow: the completed ones decide, a mismatch anywhere fails") {
    using session::DtlsVerdict;
    // The first association completed; the second did too, or not (a new ClientHello that came to
    // nothing, or one injected: the first one's keys go on protecting the media).
    const auto achieved = [](DtlsVerdict first, DtlsVerdict second, bool second_completed) {
        session::Model model = dtls_call(first);
        model.dtls_handshakes[0].completed = true;
        session::DtlsHandshake again = dtls_call(second).dtls_handshakes[0];
        again.id = 2;
        again.completed = second_completed;
        model.dtls_handshakes.push_back(again);
        model.calls[0].dtls_handshakes = {1, 2};
        return analysis::call_verdicts(model, {})[0].achieved;
    };
    CHECK(achieved(DtlsVerdict::verified, DtlsVerdict::verified, true) == Achieved::dtls_verified);
    CHECK(achieved(DtlsVerdict::verified, DtlsVerdict::not_verifiable, true) == Achieved::dtls_unverified);
    CHECK(achieved(DtlsVerdict::not_verifiable, DtlsVerdict::verified, true) == Achieved::dtls_unverified);
    CHECK(achieved(DtlsVerdict::verified, DtlsVerdict::mismatch, true) == Achieved::dtls_failed);
    CHECK(achieved(DtlsVerdict::mismatch, DtlsVerdict::verified, true) == Achieved::dtls_failed);

    CHECK(achieved(DtlsVerdict::verified, DtlsVerdict::not_verifiable, false) == Achieved::dtls_verified);
    CHECK(achieved(DtlsVerdict::not_verifiable, DtlsVerdict::verified, false) == Achieved::dtls_unverified);
    CHECK(achieved(DtlsVerdict::verified, DtlsVerdict::mismatch, false) == Achieved::dtls_failed);

    // Neither completed (as dtls_call builds them): both decide.
    session::Model neither = dtls_call(DtlsVerdict::verified);
    neither.dtls_handshakes.push_back(dtls_call(DtlsVerdict::not_verifiable).dtls_handshakes[0]);
    neither.dtls_handshakes[1].id = 2;
    CHECK(analysis::call_verdicts(neither, {})[0].achieved == Achieved::dtls_unverified);
}
