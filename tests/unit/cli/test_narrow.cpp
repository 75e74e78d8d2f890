// --calls, --since, --until: a report of part of a capture, which says so in every format.
#include <catch2/catch.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"
#include "zaudit/analysis/baseline.hpp"
#include "zaudit/cli/cli.hpp"

using namespace zaudit;
using nlohmann::json;

namespace {

// A REGISTER with credentials (frame 3, no call), call 1 refused 488 (14:13:21.000 to 21.304),
// call 2 answered with 8 s of plain RTP (14:13:22.000 to 30.907); the capture runs from
// 14:13:20.000 to 14:13:30.907.
const std::string k_calls = test::source_path("samples/sip-digest-register-calls.pcap");
const std::string k_call_1_id = "6f7930e7a0339c3b4ae61a7d@192.0.2.10";
const std::string k_b2bua = test::source_path("samples/b2bua-two-legs.pcap");

json report_of(std::vector<std::string> args, int expected_exit = cli::k_exit_clean) {
    args.insert(args.end(), {"--format", "json", "--fail-on", "none"});
    const auto r = test::run_cli(args);
    INFO(r.err);
    CHECK(r.exit_code == expected_exit);
    return json::parse(r.out);
}

std::vector<int> call_ids(const json& report) {
    std::vector<int> ids;
    for (const auto& call : report["calls"]) {
        ids.push_back(call["id"].get<int>());
    }
    return ids;
}

}  // namespace

TEST_CASE("narrowing by call number keeps those calls and the findings about them") {
    const json report = report_of({"--calls", "2", k_calls});
    CHECK(call_ids(report) == std::vector<int>{2});
    CHECK(report["media"].size() == 2);
    REQUIRE(report["findings"].size() == 4);
    for (const auto& finding : report["findings"]) {
        CHECK(finding["call"] == 2);
    }
    CHECK(report["summary"]["calls"] == 1);
    const json& narrowed = report["narrowed"];
    CHECK(narrowed["calls"] == json::array({"2"}));
    CHECK(narrowed["since"].is_null());
    CHECK(narrowed["kept"]["calls"] == 1);
    CHECK(narrowed["left_out"]["calls"] == 1);
    // Call 1's two findings and the REGISTER's, which is about no call.
    CHECK(narrowed["left_out"]["findings"] == 3);
    CHECK(narrowed["kept"]["findings"] == 4);
}

TEST_CASE("calls named by Call-ID, comma-separated or with --calls repeated, give the same report") {
    const json by_id = report_of({"--calls", k_call_1_id, k_calls});
    CHECK(call_ids(by_id) == std::vector<int>{1});
    const json listed = report_of({"--calls", "1,2", k_calls});
    const json repeated = report_of({"--calls", "2", "--calls=1", k_calls});
    CHECK(call_ids(listed) == std::vector<int>{1, 2});
    CHECK(listed["findings"] == repeated["findings"]);
    CHECK(listed["narrowed"]["left_out"]["findings"] == 1);  // the REGISTER's
}

TEST_CASE("a whole report says it is not narrowed") {
    CHECK(report_of({k_calls})["narrowed"].is_null());
}

TEST_CASE("a --calls item that names no call is exit 2 with the report of the others") {
    const auto r = test::run_cli({"--calls", "2,9,nobody@example.com", "--format", "json", "--quiet", k_calls});
    CHECK(r.exit_code == cli::k_exit_usage);
    CHECK(r.err ==
          "zaudit: --calls 9: no call of any input has this number or Call-ID (zaudit calls lists them)\n"
          "zaudit: --calls nobody@example.com: no call of any input has this number or Call-ID (zaudit calls lists "
          "them)\n");
    CHECK(call_ids(json::parse(r.out)) == std::vector<int>{2});
}

TEST_CASE("a call number names that call in each input that has it") {
    const json report = report_of({"--calls", "2", k_calls, k_b2bua});
    REQUIRE(report["calls"].size() == 2);
    CHECK(report["calls"][0]["input"] == 1);
    CHECK(report["calls"][1]["input"] == 2);
    // Named in one input only: not an error.
    CHECK(call_ids(report_of({"--calls", k_call_1_id, k_calls, k_b2bua})) == std::vector<int>{1});
}

TEST_CASE("a window from --since keeps the calls still going at that time, whole") {
    const json report = report_of({"--since", "2026-09-21T14:13:21.5Z", k_calls});
    CHECK(call_ids(report) == std::vector<int>{2});
    CHECK(report["narrowed"]["since"] == "2026-09-21T14:13:21.500000Z");
    CHECK(report["narrowed"]["until"].is_null());
    // Call 2's SIP began at 14:13:22 and its media flow too: both flows lie in the window.
    CHECK(report["flows"].size() == 2);
    // Offsets and seconds after the first packet say the same.
    CHECK(report_of({"--since", "2026-09-21T16:13:21.5+02:00", k_calls})["calls"] == report["calls"]);
    CHECK(report_of({"--since", "+1.5", k_calls})["calls"] == report["calls"]);
}

TEST_CASE("a window up to --until keeps what began before it, and places the REGISTER by its time") {
    const json report = report_of({"--until", "+1", k_calls});  // before 14:13:21.000: call 1 starts then
    CHECK(call_ids(report).empty());
    REQUIRE(report["findings"].size() == 1);
    CHECK(report["findings"][0]["rule"] == "sip.cleartext-credentials");
    CHECK(report["findings"][0]["call"].is_null());
    CHECK(report["narrowed"]["until"] == "+1");
    CHECK(report["flows"].size() == 1);  // the SIP flow; the media began at 14:13:22.92
}

TEST_CASE("a window that meets no capture is exit 2 and says when the capture ran") {
    const auto r = test::run_cli({"--since", "2026-09-22T00:00:00Z", "--quiet", k_calls});
    CHECK(r.exit_code == cli::k_exit_usage);
    CHECK(r.err == "zaudit: --since/--until: the window holds no packet of any capture: " + k_calls +
                       " runs from 2026-09-21T14:13:20.000000Z to 2026-09-21T14:13:30.907000Z\n");
    CHECK_THAT(r.out, Catch::Contains("NARROWED"));
}

TEST_CASE("every report format says it is narrowed") {
    const std::vector<std::string> narrow{"--calls", "2", "--since", "+1", "--fail-on", "none", k_calls};
    const auto with = [&](std::vector<std::string> args) {
        args.insert(args.end(), narrow.begin(), narrow.end());
        const auto r = test::run_cli(args);
        CHECK(r.exit_code == cli::k_exit_clean);
        return r.out;
    };
    CHECK_THAT(with({}), Catch::Contains("  NARROWED to calls 2; since +1 s after the first packet: kept 1 of "
                                         "2 calls, 2 of 2 media streams, 0 of 0 ZRTP handshakes, 2 of 2 flows, 4 of 7 "
                                         "findings\n"));
    CHECK_THAT(with({"--format", "markdown"}), Catch::Contains("**Narrowed** to calls 2; since +1 s after the first "
                                                               "packet: kept 1 of 2 calls"));
    CHECK_THAT(with({"--format", "html"}), Catch::Contains("<b>Narrowed</b> to calls 2; since +1 s after the first "
                                                           "packet: kept 1 of 2 calls"));
    CHECK_THAT(with({"calls"}), Catch::StartsWith("NARROWED to calls 2"));
    CHECK_THAT(with({"zrtp"}), Catch::StartsWith("NARROWED to calls 2"));
    const json sarif = json::parse(with({"--format", "sarif"}));
    const json& run = sarif["runs"][0];
    CHECK(run["results"].size() == 4);
    CHECK(run["properties"]["narrowed"]["calls"] == json::array({"2"}));
    CHECK(run["properties"]["narrowed"]["since"] == "+1");
    // A category of its own, so that a code-scanning upload does not close the whole run's alerts.
    CHECK(run["automationDetails"]["id"] == "zaudit-narrowed/calls=2;since=+1/");
    // Not narrowed: none of it.
    const json whole = json::parse(test::run_cli({"--format", "sarif", k_calls}).out);
    CHECK_FALSE(whole["runs"][0].contains("properties"));
    CHECK_FALSE(whole["runs"][0].contains("automationDetails"));
    CHECK_THAT(test::run_cli({k_calls}).out, !Catch::Contains("NARROWED"));
}

TEST_CASE("a narrowed baseline says so in a comment and reads back") {
    const auto r = test::run_cli({"baseline", "--calls", "1", k_calls});
    CHECK(r.exit_code == cli::k_exit_clean);
    CHECK_THAT(r.out, Catch::Contains("\n# narrowed to calls 1: kept 1 of 2 calls"));
    const auto baseline = analysis::parse_baseline(r.out, "narrowed.baseline");
    REQUIRE(baseline);
    CHECK(baseline->fingerprints.size() == 2);  // call 1's signalling and credentials
}

TEST_CASE("narrowing options that are malformed or do not apply are usage errors") {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--calls", "", k_calls},
             {"--calls", "1,,2", k_calls},
             {"--calls", "0", k_calls},
             {"--since", "2026-09-21T14:13:21", k_calls},
             {"--until", "tomorrow", k_calls},
             {"--since", "+5", "--until", "+2", k_calls},
             {"--since", "2026-09-21T14:13:21Z", "--until", "2026-09-21T14:13:21Z", k_calls},
             {"--calls", "1", "--format", "jsonl", k_calls},
             {"compare", "--calls", "1", k_calls, k_calls}}) {
        const auto r = test::run_cli(args);
        INFO(args.front() << " " << args[1]);
        CHECK(r.exit_code == cli::k_exit_usage);
        CHECK(r.out.empty());
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK_THAT(r.err, Catch::EndsWith("(try --help)\n"));
    }
    CHECK_THAT(test::run_cli({"--since", "noon", k_calls}).err,
               Catch::StartsWith("zaudit: --since: 'noon' is neither"));
}

TEST_CASE("a narrowed run fails on the findings it kept only") {
    // Call 2's plain media is high; call 1 has only low findings.
    CHECK(test::run_cli({"--calls", "1", "--quiet", k_calls}).exit_code == cli::k_exit_clean);
    CHECK(test::run_cli({"--calls", "2", "--quiet", k_calls}).exit_code == cli::k_exit_findings);
}
