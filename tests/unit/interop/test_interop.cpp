// Captures made by independent implementations (linphone/bzrtp, baresip, sipp; see
// tests/interop/README.md), audited by zaudit and held against the facts tshark established
// for each (tests/interop/<name>.facts.json, written without zaudit).
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/temp_dir.hpp"
#include "zaudit/cli/cli.hpp"

using namespace zaudit;
using nlohmann::json;

namespace {

std::vector<std::string> fact_files() {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(test::source_path("tests/interop"))) {
        if (entry.path().string().ends_with(".facts.json")) {
            files.push_back(entry.path().string());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

json audit(const std::string& capture) {
    std::ostringstream out;
    std::ostringstream err;
    const int code = cli::run({"--format", "json", "--fail-on", "none", capture}, out, err);
    REQUIRE(code == 0);
    return json::parse(out.str());
}

}  // namespace

TEST_CASE("interop captures: packets, calls, SIP messages and RTP streams match tshark's facts") {
    const auto files = fact_files();
    REQUIRE(files.size() >= 10);
    for (const auto& facts_path : files) {
        std::ifstream in(facts_path);
        const json facts = json::parse(in);
        const std::string capture = test::source_path("tests/interop/" + facts["file"].get<std::string>());
        INFO(facts["file"]);
        const json report = audit(capture);
        CHECK(report["inputs"][0]["packets"] == facts["capture"]["packets"]);
        // tshark's SIP calls against zaudit's (IAX2 calls are test_iax2_interop.cpp's).
        std::set<std::string> call_ids;
        std::size_t messages = 0;
        for (const auto& call : report["calls"]) {
            if (call["protocol"] != "sip") {
                continue;
            }
            call_ids.insert(call["call_id"].get<std::string>());
            messages += call["sip_messages"].get<std::size_t>();
        }
        const auto expected_ids = facts["summary"]["sip_call_ids"].get<std::set<std::string>>();
        CHECK(call_ids.size() == facts["summary"]["calls"].get<std::size_t>());
        CHECK(call_ids == expected_ids);
        CHECK(messages == facts["sip"]["stat"]["messages"].get<std::size_t>());
        // Every RTP stream tshark saw is one of ours, with the same SSRC and direction.
        for (const auto& stream : facts["rtp_streams"]) {
            const bool found = std::any_of(report["media"].begin(), report["media"].end(), [&](const json& m) {
                return m["ssrc"] == stream["ssrc"] && m["src"] == stream["src"] && m["dst"] == stream["dst"];
            });
            INFO(stream.dump());
            CHECK(found);
        }
    }
}

// tshark prints milliseconds with three decimals and zaudit's JSON rounds them to three decimals
// too: two roundings of the same value differ by at most 0.001 ms (the epsilon absorbs binary
// representation). The loss percentage is printed with one decimal by tshark.
constexpr double k_ms_tolerance = 0.001 + 1e-9;
constexpr double k_percent_tolerance = 0.05 + 1e-9;

TEST_CASE("interop captures: loss, jitter and max delta of every RTP stream equal tshark's") {
    std::size_t streams = 0;
    std::size_t jitter_compared = 0;
    for (const auto& facts_path : fact_files()) {
        std::ifstream in(facts_path);
        const json facts = json::parse(in);
        if (facts["rtp_streams"].empty()) {
            continue;
        }
        INFO(facts["file"]);
        const json report = audit(test::source_path("tests/interop/" + facts["file"].get<std::string>()));
        for (const auto& expected : facts["rtp_streams"]) {
            INFO(expected.dump());
            const auto found = std::find_if(report["media"].begin(), report["media"].end(), [&](const json& m) {
                return m["ssrc"] == expected["ssrc"] && m["src"] == expected["src"] && m["dst"] == expected["dst"];
            });
            REQUIRE(found != report["media"].end());
            const json& rtp = (*found)["rtp"];
            INFO(rtp.dump());
            CHECK((*found)["packets"] == expected["packets"]);
            CHECK(rtp["lost"] == expected["lost"]);
            CHECK(std::abs(rtp["lost_percent"].get<double>() - expected["lost_percent"].get<double>()) <=
                  k_percent_tolerance);
            CHECK(std::abs(rtp["max_delta_ms"].get<double>() - expected["max_delta_ms"].get<double>()) <=
                  k_ms_tolerance);
            ++streams;
            // tshark's jitter covers only the packets whose payload type it tied to a clock rate:
            // none where it missed the SDP (dtls-linphone), the clear ones before Conf2ACK where
            // ZRTP set up SRTP without the SDP's payload map. zaudit reads the a=rtpmap for
            // every packet, so only streams tshark clocked throughout can be compared.
            if (expected["packets_with_clock"] != expected["packets"]) {
                continue;
            }
            if (expected["mean_jitter_ms"].is_null()) {
                // Neither tool clocks RFC 4733 telephone-event packets for jitter: tshark tied
                // their payload type to the a=rtpmap yet printed no jitter (facts.py: null).
                CHECK(rtp["mean_jitter_ms"].is_null());
                CHECK(rtp["max_jitter_ms"].is_null());
                continue;
            }
            REQUIRE(rtp["mean_jitter_ms"].is_number());
            CHECK(std::abs(rtp["mean_jitter_ms"].get<double>() - expected["mean_jitter_ms"].get<double>()) <=
                  k_ms_tolerance);
            CHECK(std::abs(rtp["max_jitter_ms"].get<double>() - expected["max_jitter_ms"].get<double>()) <=
                  k_ms_tolerance);
            ++jitter_compared;
        }
    }
    CHECK(streams >= 60);
    CHECK(jitter_compared >= 36);
}

TEST_CASE("interop captures: every verifiable ZRTP check passes on genuine bzrtp handshakes") {
    std::size_t handshakes_checked = 0;
    for (const auto& facts_path : fact_files()) {
        std::ifstream in(facts_path);
        const json facts = json::parse(in);
        if (!facts["summary"]["zrtp_handshake_complete"].get<bool>()) {
            continue;
        }
        INFO(facts["file"]);
        const json report = audit(test::source_path("tests/interop/" + facts["file"].get<std::string>()));
        REQUIRE(report["zrtp"].size() >= 1);
        // The initiator (the side whose DHPart2 followed its Commit) as tshark's sequence shows it:
        // the first DHPart2 of the file. A capture merged from two hops of a relay holds the same
        // handshake twice (once per leg, with the relay's address on one side); take the one whose
        // initiator tshark names.
        const auto initiator_of = [](const json& handshake) {
            const auto it = std::find_if(handshake["endpoints"].begin(), handshake["endpoints"].end(),
                                         [](const json& e) { return e["role"] == "initiator"; });
            return it == handshake["endpoints"].end() ? json() : (*it)["address"];
        };
        const auto found = std::find_if(report["zrtp"].begin(), report["zrtp"].end(), [&](const json& h) {
            return initiator_of(h) == facts["summary"]["zrtp_initiator"];
        });
        REQUIRE(found != report["zrtp"].end());
        const json& handshake = *found;
        CHECK(handshake["completed"] == true);
        for (const auto& endpoint : handshake["endpoints"]) {
            const auto& expected = facts["summary"]["zrtp_endpoints"][endpoint["address"].get<std::string>()];
            CHECK(endpoint["hello"]["zid"] == expected["zid"]);
            CHECK(endpoint["hello"]["version"] == expected["version"]);
        }
        const auto commit =
            std::find_if(facts["summary"]["zrtp_commits"].begin(), facts["summary"]["zrtp_commits"].end(),
                         [&](const json& c) { return c["src"] == facts["summary"]["zrtp_initiator"]; });
        REQUIRE(commit != facts["summary"]["zrtp_commits"].end());
        CHECK(handshake["chosen"]["key_agreement"] == (*commit)["key_agreement"]);
        CHECK(handshake["chosen"]["hash"] == (*commit)["hash"]);
        CHECK(handshake["chosen"]["cipher"] == (*commit)["cipher"]);
        std::size_t passed = 0;
        for (const auto& check : handshake["checks"]) {
            INFO(check.dump());
            CHECK(check["outcome"] != "failed");
            passed += check["outcome"] == "passed" ? 1 : 0;
        }
        CHECK(passed >= 15);  // hash chain, both MACs, hvi, negotiation, public values, a=zrtp-hash
        for (const auto& finding : report["findings"]) {
            const std::string rule = finding["rule"];
            INFO(rule);
            const bool zrtp_failure =
                rule.starts_with("zrtp.") || rule == "media.unencrypted" || rule == "call.security-downgraded";
            CHECK_FALSE(zrtp_failure);
        }
        ++handshakes_checked;
    }
    CHECK(handshakes_checked >= 5);
}
