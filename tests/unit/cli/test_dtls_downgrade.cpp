// The DTLS side of call.security-downgraded (samples/dtls-never-completes.pcap): the SDP agreed on
// DTLS-SRTP, the callee's ClientHello went unanswered three times, and both sides sent plain
// G.711 instead. tshark on the sample: frame 4 is the 200 OK (the answer), frames 6, 107 and 208
// the ClientHello and its two retransmissions (`dtls.handshake.type == 1`), 300 RTP packets.
// The opposite case, real DTLS-SRTP whose records the capture lacks, is in tests/unit/interop.
#include <catch2/catch.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "support/report_json.hpp"
#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

using namespace zaudit;
using nlohmann::json;
using test::findings_of;

namespace {}  // namespace

TEST_CASE("DTLS-SRTP agreed, the handshake never completed, plain media: the call was downgraded") {
    const auto r = test::run_cli({"--format", "json", test::source_path("samples/dtls-never-completes.pcap")});
    CHECK(r.exit_code == 1);  // high findings under the default --fail-on high
    const json report = json::parse(r.out);

    REQUIRE(report["dtls"].size() == 1);
    const json& handshake = report["dtls"][0];
    CHECK(handshake["completed"] == false);
    CHECK(handshake["call"] == 1);
    CHECK(handshake["client_hello_frame"] == 6);
    CHECK(handshake["server_hello_frame"].is_null());

    REQUIRE(report["media"].size() == 2);
    for (const json& stream : report["media"]) {
        INFO(stream["id"]);
        CHECK(stream["packets"] == 150);
        CHECK(stream["protection"] == "none");
        REQUIRE(stream["protection_timeline"].size() == 1);
        CHECK(stream["protection_timeline"][0]["protection"] == "none");
    }

    const auto downgrades = findings_of(report, "call.security-downgraded");
    REQUIRE(downgrades.size() == 1);  // one per flow: both directions share the failed handshake
    const json& f = downgrades[0];
    INFO(f.dump());
    CHECK(f["call"] == 1);
    CHECK(f["confidence"] == "inferred");
    CHECK(f["evidence"]["from"] == "dtls-srtp");
    CHECK(f["evidence"]["to"] == "none");
    CHECK(f["evidence"]["from_source"] == "sdp");
    CHECK(f["evidence"]["dtls_handshake"] == 1);
    CHECK(f["evidence"]["client_hello_frame"] == 6);
    CHECK(f["evidence"]["server_hello_frame"].is_null());
    CHECK(f["evidence"]["media"].size() == 2);
    CHECK_THAT(f["message"].get<std::string>(), Catch::Contains("got no ServerHello (ClientHello in frame 6)"));
    CHECK(f["frames"][0] == 4);  // the answer that agreed on DTLS-SRTP

    const auto unencrypted = findings_of(report, "media.unencrypted");
    CHECK(unencrypted.size() == 2);
    for (const json& u : unencrypted) {
        CHECK_THAT(u["message"].get<std::string>(), Catch::Contains("agreed on DTLS-SRTP"));
    }
    CHECK(report["calls"][0]["verdict"]["protection"] != "dtls-srtp-verified");
}
