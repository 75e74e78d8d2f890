// A stream's protection is a timeline: the weakest period is its verdict, and each verdict names
// its period (samples/reinvite-drops-crypto.pcap: SDES-SRTP until a re-INVITE drops the keys).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

using namespace zaudit;
using nlohmann::json;

TEST_CASE("a stream that was SRTP until a re-INVITE has both periods and is none from the answer on") {
    const auto r = test::run_cli({"--format", "json", test::source_path("samples/reinvite-drops-crypto.pcap")});
    const json doc = json::parse(r.out);
    REQUIRE(doc["media"].size() == 2);
    // tshark: frame 106 is the re-INVITE without a=crypto, frame 108 its 200 OK (the answer).
    for (const auto& stream : doc["media"]) {
        INFO(stream["id"]);
        CHECK(stream["protection"] == "none");
        const auto& timeline = stream["protection_timeline"];
        REQUIRE(timeline.size() == 2);
        CHECK(timeline[0]["from_frame"] == stream["first_frame"]);
        CHECK(timeline[0]["protection"] == "sdes-srtp");
        CHECK(timeline[1]["from_frame"] == 108);
        CHECK(timeline[1]["protection"] == "none");
        // libsrtp2 authenticated the packets of the SRTP period with the SDP's key.
        REQUIRE(stream["srtp_checks"].size() == 1);
        CHECK(stream["srtp_checks"][0]["authenticated"].get<int>() > 0);
    }
    int unencrypted = 0;
    for (const auto& f : doc["findings"]) {
        if (f["rule"] == "media.unencrypted") {
            ++unencrypted;
            CHECK(f["frames"][0] == 108);  // the verdict names its period, not the whole stream
            CHECK(f["evidence"]["clear_from_frame"] == 108);
            CHECK_THAT(f["message"].get<std::string>(), Catch::Contains("until the answer in frame 108"));
        }
        CHECK(f["rule"] != "media.protection-mismatch");  // the keys did authenticate their period
    }
    CHECK(unencrypted == 2);
}

TEST_CASE("a stream protected all along has one period") {
    const auto r = test::run_cli({"--format", "json", test::source_path("samples/sdes-call-udp.pcap")});
    const json doc = json::parse(r.out);
    REQUIRE_FALSE(doc["media"].empty());
    for (const auto& stream : doc["media"]) {
        CHECK(stream["protection"] == "sdes-srtp");
        REQUIRE(stream["protection_timeline"].size() == 1);
        CHECK(stream["protection_timeline"][0]["from_frame"] == stream["first_frame"]);
    }
}
