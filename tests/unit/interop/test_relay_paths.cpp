// Real relay captures (kamailio + rtpengine between two linphone-cli, each leg on its own wire,
// and both merged with mergecap; tests/interop/make_relay_*.sh) held against the facts
// relay_facts.py established from tshark and rtpengine's own key log (<name>.relay.json),
// without zaudit: where the media is anchored, whether the relay forwards or rewrites, and
// what protects each hop.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "support/report_json.hpp"
#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

using namespace zaudit;
using nlohmann::json;
using test::findings_of;

namespace {

std::vector<std::string> relay_fact_files() {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(test::source_path("tests/interop"))) {
        if (entry.path().string().ends_with(".relay.json")) {
            files.push_back(entry.path().string());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::string capture(const std::string& name) {
    return test::source_path("tests/interop/" + name);
}

json audit(std::vector<std::string> args) {
    args.insert(args.begin(), {"--format", "json", "--fail-on", "none"});
    const test::CliResult result = test::run_cli(args);
    REQUIRE(result.exit_code == 0);
    return json::parse(result.out);
}

std::set<std::string> split(const std::string& text, char separator) {
    std::set<std::string> parts;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find(separator, start), text.size());
        parts.insert(text.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

/// The rule ids and severities of a report, counted: what must not depend on how the two legs
/// were put together.
std::multiset<std::string> rule_counts(const json& report) {
    std::multiset<std::string> out;
    for (const auto& f : report["findings"]) {
        out.insert(f["rule"].get<std::string>() + " " + f["severity"].get<std::string>());
    }
    return out;
}

const json* stream_between(const json& report, const json& ends) {
    for (const auto& m : report["media"]) {
        if (m["src"] == ends["src"] && m["dst"] == ends["dst"]) {
            return &m;
        }
    }
    return nullptr;
}

}  // namespace

TEST_CASE("relay captures: path.media-relay names the node rtpengine anchored the media at, on every view") {
    const auto files = relay_fact_files();
    REQUIRE(files.size() >= 5);
    for (const auto& path : files) {
        std::ifstream in(path);
        const json facts = json::parse(in);
        INFO(path);
        const json leg_a = audit({capture(facts["legs"]["a"])});
        const json leg_b = audit({capture(facts["legs"]["b"])});
        const json merged = audit({capture(facts["legs"]["merged"])});
        const json merge_option = audit({"--merge", capture(facts["legs"]["a"]), capture(facts["legs"]["b"])});
        CHECK(rule_counts(merged) == rule_counts(merge_option));
        const json& relay = facts["relay"];
        if (relay["anchor"].is_null()) {
            // Media went straight between the phones although their SIP crossed the proxy.
            for (const json* report : {&leg_a, &leg_b, &merged, &merge_option}) {
                CHECK(findings_of(*report, "path.media-relay").empty());
            }
            continue;
        }
        const std::set<std::string> anchor = split(relay["anchor"], '/');
        const auto relay_addresses = [](const json& finding) {
            return finding["evidence"]["relay_addresses"].get<std::set<std::string>>();
        };
        for (const auto& [report, leg] : {std::pair{&leg_a, "leg_a"}, std::pair{&leg_b, "leg_b"}}) {
            INFO(leg);
            const auto found = findings_of(*report, "path.media-relay");
            REQUIRE(found.size() == 1);
            // One wire shows one side of the relay: the address its SDP put in c=.
            std::set<std::string> expected;
            for (const auto& endpoint : relay["anchor_endpoints"][leg]) {
                expected.insert(endpoint.get<std::string>().substr(0, endpoint.get<std::string>().rfind(':')));
            }
            CHECK(relay_addresses(found[0]) == expected);
            CHECK(found[0]["evidence"]["forwarding"] == "unknown");
        }
        for (const json* report : {&merged, &merge_option}) {
            const auto found = findings_of(*report, "path.media-relay");
            REQUIRE(found.size() == 1);
            CHECK(relay_addresses(found[0]) == anchor);
            CHECK(found[0]["confidence"] == "verified");  // the same packets on both its sides
            CHECK(found[0]["evidence"]["forwarding"] == (relay["media"] == "forwarded" ? "forwards" : "rewrites"));
            CHECK(found[0]["evidence"]["twin_streams"].size() == facts["rtp_streams"].size());
            // rtpengine's own key log (--log-srtp-keys) holds keys exactly when the keys reached it.
            const json& logged = facts["sdes"]["relay_logged_keys"];
            CHECK(found[0]["evidence"]["keeps_keys"] == (logged.is_array() && !logged.empty()));
            for (const char* rule : {"zrtp.zid-conflict", "sdes.key-reuse", "rtp.injection-suspected",
                                     "zrtp.retransmission-mismatch", "sdp.srtp-declined", "path.vantage-divergence"}) {
                INFO(rule);
                CHECK(findings_of(*report, rule).empty());
            }
        }
    }
}

TEST_CASE("relay captures: each hop's streams carry that hop's protection, and a change between hops is one finding") {
    for (const auto& path : relay_fact_files()) {
        std::ifstream in(path);
        const json facts = json::parse(in);
        INFO(path);
        const json merged = audit({capture(facts["legs"]["merged"])});
        std::set<bool> srtp_per_leg;
        for (const auto& stream : facts["rtp_streams"]) {
            for (const char* leg : {"leg_a", "leg_b"}) {
                INFO(leg << " " << stream[leg]["src"] << " -> " << stream[leg]["dst"]);
                const json* m = stream_between(merged, stream[leg]);
                REQUIRE(m != nullptr);
                const bool srtp = stream[leg]["srtp"].get<bool>();
                srtp_per_leg.insert(srtp);
                if (srtp) {
                    CHECK((*m)["protection"] != "none");
                } else {
                    CHECK((*m)["protection"] == "none");
                }
                for (const auto& f : findings_of(merged, "media.unencrypted")) {
                    CHECK((srtp ? f["stream"] != (*m)["id"] : true));
                }
            }
        }
        const auto changed = findings_of(merged, "path.protection-changed");
        if (srtp_per_leg.size() == 2) {
            REQUIRE(changed.size() == 1);
            CHECK(changed[0]["evidence"]["node"] == facts["relay"]["anchor"]);
            CHECK(changed[0]["severity"] == "high");
        } else {
            CHECK(changed.empty());
        }
    }
}

TEST_CASE(
    "generated paths: a B2BUA PBX with direct media is no relay, a relay that decrypts is found from both sides") {
    const json pbx = audit({test::source_path("samples/pbx-direct-media.pcap")});
    CHECK(findings_of(pbx, "path.media-relay").empty());
    REQUIRE(pbx["calls"].size() == 2);  // the PBX ends each dialog: two calls
    // ... tied together because the PBX re-offered alice's media address to bob.
    CHECK(pbx["calls"][0]["linked_calls"] == json::parse(R"([{"call": 2, "by": "sdp"}])"));
    CHECK(pbx["calls"][1]["legs"][0]["role"] == "b2bua-leg");
    for (const auto& call : pbx["calls"]) {
        for (const auto& node : call["path"]) {
            CHECK(node["kind"] != "media-relay");
        }
    }

    const json relay = audit({test::source_path("samples/relay-sdes-to-plain.pcap")});
    const auto found = findings_of(relay, "path.media-relay");
    REQUIRE(found.size() == 1);
    CHECK(found[0]["severity"] == "medium");
    CHECK(found[0]["evidence"]["forwarding"] == "rewrites");
    CHECK(found[0]["evidence"]["relay_addresses"] == json::array({"203.0.113.1", "198.51.100.1"}));
    const json& path = relay["calls"][0]["path"];
    REQUIRE(path.size() == 3);
    CHECK(path[0]["protection_to_next"] == "sdes-srtp");
    CHECK(path[1]["kind"] == "media-relay");
    CHECK(path[1]["protection_to_next"] == "none");
    CHECK(findings_of(relay, "path.protection-changed").size() == 1);
    CHECK(findings_of(relay, "sdp.srtp-declined").empty());
}

TEST_CASE("generated MITM: two legs of one call in one capture with different ZIDs are a vantage divergence") {
    const json merged = audit({test::source_path("samples/zrtp-mitm-vantage-merged.pcap")});
    const auto found = findings_of(merged, "path.vantage-divergence");
    REQUIRE(found.size() == 1);
    CHECK(found[0]["severity"] == "critical");
    CHECK(found[0]["evidence"]["views"] == "legs");
    CHECK(found[0]["evidence"]["a"]["zids"] != found[0]["evidence"]["b"]["zids"]);
    // Each wire alone verifies clean: only the second view shows the box.
    for (const char* wire : {"samples/zrtp-mitm-vantage-a.pcap", "samples/zrtp-mitm-vantage-b.pcap"}) {
        CHECK(findings_of(audit({test::source_path(wire)}), "path.vantage-divergence").empty());
    }
}

TEST_CASE("generated B2BUA: its two dialogs are tied, and SRTP ending at it is path.protection-changed") {
    const json report = audit({test::source_path("samples/b2bua-two-legs.pcap")});
    REQUIRE(report["calls"].size() == 2);
    CHECK(report["calls"][0]["linked_calls"] == json::parse(R"([{"call": 2, "by": "timing"}])"));
    CHECK(report["calls"][0]["path"].back()["kind"] == "b2bua");
    const auto changed = findings_of(report, "path.protection-changed");
    REQUIRE(changed.size() == 1);
    CHECK(changed[0]["evidence"]["node"] == "203.0.113.5");
    CHECK(changed[0]["evidence"]["caller_side"]["protection"] == "sdes-srtp");
    CHECK(changed[0]["evidence"]["callee_side"]["call"] == 2);
    CHECK(changed[0]["evidence"]["callee_side"]["protection"] == "none");
}

TEST_CASE("sipp's RTP echo: packets sent back to their sender are no relay") {
    std::ifstream in(capture("sipp-echo.facts.json"));
    const json facts = json::parse(in);
    // tshark's facts, not zaudit, establish the echo: every stream has a twin by SSRC that runs
    // the other way between the same two endpoints.
    const json& streams = facts["rtp_streams"];
    REQUIRE(streams.size() >= 2);
    for (const auto& stream : streams) {
        const auto back = std::find_if(streams.begin(), streams.end(), [&](const json& other) {
            return other["ssrc"] == stream["ssrc"] && other["src"] == stream["dst"] && other["dst"] == stream["src"];
        });
        CHECK(back != streams.end());
    }
    const json report = audit({capture("sipp-echo.pcap")});
    CHECK(findings_of(report, "path.media-relay").empty());
    REQUIRE(report["media"].size() == streams.size());
    for (const auto& m : report["media"]) {
        CHECK(m["twin"].is_null());
    }
    REQUIRE(report["calls"].size() == 1);
    for (const auto& node : report["calls"][0]["path"]) {
        CHECK(node["kind"] == "ua");
    }
}
