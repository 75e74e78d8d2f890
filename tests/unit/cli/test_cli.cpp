#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"
#include "zaudit/cli/cli.hpp"
#include "zaudit/crypto/hash.hpp"

using namespace zaudit;

namespace {

std::size_t lines(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

const std::string k_sample = test::source_path("samples/net-rtp-over-vlan.pcap");

}  // namespace

TEST_CASE("a missing capture exits 2 with one line naming it") {
    const auto r = test::run_cli({"/nonexistent"});
    CHECK(r.exit_code == cli::k_exit_usage);
    CHECK(r.out.empty());
    CHECK(r.err == "zaudit: /nonexistent: No such file or directory\n");
}

TEST_CASE("a text file that is not a capture exits 2 with one line") {
    const auto r = test::run_cli({"/etc/passwd"});
    CHECK(r.exit_code == cli::k_exit_usage);
    CHECK(lines(r.err) == 1);
    CHECK_THAT(r.err, Catch::StartsWith("zaudit: /etc/passwd: not a pcap or pcapng capture"));
}

TEST_CASE("usage errors exit 2 and point at --help") {
    for (const auto& args : std::vector<std::vector<std::string>>{{},
                                                                  {"--format", "xml", k_sample},
                                                                  {"--fail-on", "severe", k_sample},
                                                                  {"--bogus", k_sample},
                                                                  {"--color", "sometimes", k_sample},
                                                                  {"--duration", "5", k_sample},
                                                                  {"--count", "10", k_sample},
                                                                  {"rules", "--format", "sarif"},
                                                                  {"rules", k_sample}}) {
        const auto r = test::run_cli(args);
        CHECK(r.exit_code == cli::k_exit_usage);
        CHECK(lines(r.err) == 1);
        CHECK_THAT(r.err, Catch::EndsWith("(try --help)\n"));
    }
}

TEST_CASE("what is not implemented is refused, not faked") {
    // An unknown format is a usage error, not the text report under another name (html once
    // printed the text report, markdown too, until each had a renderer of its own).
    const auto unknown = test::run_cli({"--format", "md", k_sample});
    CHECK(unknown.exit_code == cli::k_exit_usage);
    CHECK(unknown.out.empty());
    CHECK_THAT(unknown.err, Catch::EndsWith("(try --help)\n"));
    // compare once only said "not implemented"; now it runs (test_compare.cpp), and with one
    // capture it is a usage error rather than an audit of a file named "compare".
    const auto compare = test::run_cli({"compare", k_sample});
    CHECK(compare.exit_code == cli::k_exit_usage);
    CHECK_THAT(compare.err, Catch::StartsWith("zaudit: usage: zaudit compare A B"));
    // markdown and html are their own reports, not the text one.
    const auto text = test::run_cli({"--format", "text", k_sample}).out;
    const auto markdown = test::run_cli({"--format", "markdown", k_sample});
    CHECK_THAT(markdown.out, Catch::StartsWith("## zaudit "));
    CHECK(markdown.out != text);
    const auto html = test::run_cli({"--format", "html", k_sample});
    CHECK_THAT(html.out, Catch::StartsWith("<!DOCTYPE html>"));
    CHECK_THAT(html.out, Catch::Contains("<h2>Inputs</h2>"));
}

TEST_CASE("help and version exit 0 on stdout") {
    CHECK(test::run_cli({"--help"}).exit_code == 0);
    CHECK_THAT(test::run_cli({"--help"}).out, Catch::Contains("--fail-on"));
    CHECK_THAT(test::run_cli({"--version"}).out, Catch::StartsWith("zaudit "));
}

TEST_CASE("json report has the DESIGN.md shape and the input's real sha256") {
    const auto r = test::run_cli({"--format", "json", "--fail-on", "none", k_sample});
    REQUIRE(r.exit_code == 0);
    const auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["schema"] == "zaudit/1");
    CHECK(doc["tool"]["name"] == "zaudit");
    REQUIRE(doc["inputs"].size() == 1);
    CHECK(doc["inputs"][0]["sha256"] == *crypto::sha256_file(k_sample));
    CHECK(doc["inputs"][0]["packets"] == 100);
    CHECK(doc["inputs"][0]["format"] == "pcap");
    CHECK(doc["inputs"][0]["truncated"] == false);
    for (const char* key : {"calls", "media_streams", "findings"}) {
        CHECK(doc["summary"].contains(key));
    }
    CHECK(doc["calls"].is_array());
    CHECK(doc["findings"].is_array());
    CHECK(doc["decode"]["anomalies"] == nlohmann::json::object());  // always there, empty for a clean capture
}

TEST_CASE("decode anomalies are counted per code in the json and text reports") {
    const std::string sample = test::source_path("samples/zrtp-crc-corrupt.pcap");
    const auto json = test::run_cli({"--format", "json", "--fail-on", "none", sample});
    REQUIRE(json.exit_code == 0);
    const auto doc = nlohmann::json::parse(json.out);
    CHECK(doc["decode"]["anomalies"] == nlohmann::json{{"zrtp.crc_mismatch", 1}});
    const auto text = test::run_cli({"--fail-on", "none", sample});
    CHECK_THAT(text.out, Catch::Contains("  decode anomalies: zrtp.crc_mismatch 1\n"));
}

TEST_CASE("the same input gives the same bytes") {
    CHECK(test::run_cli({"--format", "json", k_sample}).out == test::run_cli({"--format", "json", k_sample}).out);
}

TEST_CASE("a truncated capture is reported as partial, not as unreadable") {
    test::TempDir dir;
    std::ifstream in(k_sample, std::ios::binary);
    std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
    bytes.resize(bytes.size() - 30);
    const auto path = dir.write("cut.pcap", bytes);
    const auto r = test::run_cli({"--format", "json", "--fail-on", "none", path});
    CHECK(r.exit_code == 0);
    const auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["partial"] == true);
    CHECK(doc["inputs"][0]["truncated"] == true);
    CHECK(doc["inputs"][0]["packets"] == 99);
    CHECK_THAT(r.err, Catch::Contains("partial"));
}

TEST_CASE("the exit code follows --fail-on") {
    const std::string tcp = test::source_path("samples/net-tcp-reordered.pcapng");
    CHECK(test::run_cli({"--fail-on", "info", tcp}).exit_code == 0);  // no call, no finding
    const std::string call = test::source_path("tests/data/sip-over-tcp.pcap");
    CHECK(test::run_cli({"--fail-on", "low", call}).exit_code == cli::k_exit_findings);  // cleartext SIP is low
    CHECK(test::run_cli({"--fail-on", "critical", call}).exit_code == 0);  // plain media is high, nothing is critical
    CHECK(test::run_cli({"--fail-on", "none", call}).exit_code == 0);
}

TEST_CASE("several captures and stdin in one run") {
    const auto r = test::run_cli({"--format", "json", k_sample, test::source_path("samples/net-tcp-reordered.pcapng")});
    const auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["inputs"].size() == 2);
    CHECK(doc["inputs"][1]["first_frame"] == 1);  // each input is audited on its own
}

TEST_CASE("jsonl and sarif are valid documents") {
    const std::string call = test::source_path("tests/data/sip-over-tcp.pcap");
    const auto jsonl = test::run_cli({"--format", "jsonl", call});
    REQUIRE_FALSE(jsonl.out.empty());
    std::istringstream stream(jsonl.out);
    for (std::string line; std::getline(stream, line);) {
        CHECK(nlohmann::json::parse(line).contains("rule"));
    }
    const auto sarif = nlohmann::json::parse(test::run_cli({"--format", "sarif", call}).out);
    CHECK(sarif["version"] == "2.1.0");
    const auto& results = sarif["runs"][0]["results"];
    CHECK(std::any_of(results.begin(), results.end(),
                      [](const auto& r) { return r["ruleId"] == "sip.cleartext-signaling" && r["level"] == "note"; }));
}

TEST_CASE("sarif names a capture by a URI reference, and a merged finding's other inputs as related locations") {
    test::TempDir dir;
    std::ifstream in(k_sample, std::ios::binary);
    const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
    const auto odd = nlohmann::json::parse(
        test::run_cli({"--format", "sarif", dir.write("tap #1 50%:\xc3\xbc [a].pcap", bytes)}).out)["runs"][0];
    const std::string uri = odd["artifacts"][0]["location"]["uri"];
    CHECK_THAT(uri, Catch::EndsWith("/tap%20%231%2050%25%3A%C3%BC%20%5Ba%5D.pcap"));  // RFC 3986 percent-encoding
    REQUIRE_FALSE(odd["results"].empty());
    for (const auto& result : odd["results"]) {
        CHECK(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri);
    }

    const auto merged = nlohmann::json::parse(
        test::run_cli({"--format", "sarif", "--merge", test::source_path("samples/zrtp-mitm-vantage-a.pcap"),
                       test::source_path("samples/zrtp-mitm-vantage-b.pcap")})
            .out)["runs"][0];
    const auto& results = merged["results"];
    const auto divergence = std::find_if(results.begin(), results.end(),
                                         [](const auto& r) { return r["ruleId"] == "path.vantage-divergence"; });
    REQUIRE(divergence != results.end());
    // Its first frame is in input 1 (the location); it has frames 6 and 8 of input 2 too.
    CHECK((*divergence)["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
          merged["artifacts"][0]["location"]["uri"]);
    const auto& related = (*divergence)["relatedLocations"];
    REQUIRE(related.size() == 1);
    CHECK(related[0]["id"] == 2);
    CHECK(related[0]["physicalLocation"]["artifactLocation"]["uri"] == merged["artifacts"][1]["location"]["uri"]);
    CHECK(related[0]["message"]["text"] == "frames 6, 8");
    CHECK((*divergence)["properties"]["frames_by_input"].size() == (*divergence)["properties"]["frames"].size());
}

TEST_CASE("rules lists the catalogue") {
    const auto r = test::run_cli({"rules"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("sip.cleartext-signaling"));
}

TEST_CASE("rules as json and markdown carry every rule of the text catalogue") {
    const auto text = test::run_cli({"rules", "--format", "text"});
    const auto json = test::run_cli({"rules", "--format", "json"});
    const auto markdown = test::run_cli({"rules", "-f", "markdown"});
    REQUIRE(json.exit_code == 0);
    REQUIRE(markdown.exit_code == 0);
    CHECK(text.out == test::run_cli({"rules"}).out);
    const auto doc = nlohmann::json::parse(json.out);
    CHECK(doc["schema"] == "zaudit-rules/1");
    REQUIRE(doc["rules"].size() >= 12);
    for (const auto& rule : doc["rules"]) {
        const auto id = rule["id"].get<std::string>();
        INFO(id);
        CHECK_THAT(text.out, Catch::Contains(fmt::format("{}  [{}]  {}\n", id, rule["severity"].get<std::string>(),
                                                         rule["title"].get<std::string>())));
        CHECK_THAT(markdown.out, Catch::Contains("\n## " + id + "\n"));
        for (const char* key : {"explanation", "remediation", "reference"}) {
            CHECK_FALSE(rule[key].get<std::string>().empty());
        }
    }
}

TEST_CASE("every rule in the catalogue has a man-page entry") {
    std::ifstream in(test::source_path("man/zaudit.1"));
    const std::string man{std::istreambuf_iterator<char>(in), {}};
    const auto r = test::run_cli({"rules"});
    std::istringstream lines_of(r.out);
    std::size_t rules = 0;
    for (std::string line; std::getline(lines_of, line);) {
        const auto space = line.find("  [");
        if (space == std::string::npos || line.starts_with(" ")) {
            continue;
        }
        ++rules;
        const std::string id = line.substr(0, space);
        INFO(id);
        CHECK(man.find(".B " + id + " ") != std::string::npos);
    }
    CHECK(rules >= 12);
}

TEST_CASE("the ZID ledger learns on the first run and reports a changed ZID on a later one") {
    test::TempDir dir;
    const std::string ledger = dir.file("ledger.txt");
    const std::string call = test::source_path("tests/interop/zrtp-linphone.pcap");
    auto first = test::run_cli({"--format", "json", "--fail-on", "none", "--ledger", ledger, call});
    REQUIRE(first.exit_code == 0);
    std::ifstream learned_file(ledger);
    const std::string learned{std::istreambuf_iterator<char>(learned_file), {}};
    // tshark: the two Hellos carry ZIDs 36fd6c47... (bob) and a3ada7cb... (linphone)
    CHECK_THAT(learned, Catch::Contains("36fd6c4701697a963cacca0d\tsip:bob@10.77.0.2\tBZRTPv1.1"));
    CHECK_THAT(learned, Catch::Contains("a3ada7cb5f4e948301c6001a\tsip:linphone@10.77.0.1"));
    // The same call again: nothing new.
    const auto again = nlohmann::json::parse(test::run_cli({"--format", "json", "--ledger", ledger, call}).out);
    for (const auto& f : again["findings"]) {
        CHECK(f["rule"] != "zrtp.zid-conflict");
    }
    // Pretend bob used another ZID before: now his ZID has changed.
    std::string edited = learned;
    edited.replace(edited.find("36fd6c47"), 8, "00000000");
    test::TempDir other;
    const auto path = other.write("ledger.txt", util::as_bytes(edited));
    const auto changed = nlohmann::json::parse(test::run_cli({"--format", "json", "--ledger", path, call}).out);
    const auto conflict = std::find_if(changed["findings"].begin(), changed["findings"].end(),
                                       [](const auto& f) { return f["rule"] == "zrtp.zid-conflict"; });
    REQUIRE(conflict != changed["findings"].end());
    CHECK((*conflict)["evidence"]["kind"] == "zid_changed_since_ledger");
    CHECK((*conflict)["evidence"]["identity"] == "sip:bob@10.77.0.2");
}

TEST_CASE("a malformed ledger is a usage error") {
    test::TempDir dir;
    const auto path = dir.write("ledger.txt", util::as_bytes(std::string{"not a ledger\n"}));
    const auto r = test::run_cli({"--ledger", path, k_sample});
    CHECK(r.exit_code == cli::k_exit_usage);
    CHECK_THAT(r.err, Catch::Contains("not a ledger line"));
}

TEST_CASE("calls lists each call and its media as the verbose text report's calls section does") {
    const std::string sample = test::source_path("samples/sdes-call-udp.pcap");
    const auto listing = test::run_cli({"calls", sample});
    CHECK(listing.exit_code == cli::k_exit_clean);
    CHECK_THAT(listing.out, Catch::StartsWith("Calls (1)\n  #1 "));
    CHECK_THAT(listing.out, Catch::Contains("     media "));
    const auto report = test::run_cli({"--fail-on", "none", "--verbose", sample});
    CHECK_THAT(report.out, Catch::Contains("\n" + listing.out + "\nFlows ("));
    // Without --verbose the report gives each call one verdict line instead.
    const auto brief = test::run_cli({"--fail-on", "none", sample});
    CHECK_THAT(brief.out, !Catch::Contains("\nFlows ("));
    CHECK_THAT(brief.out, Catch::Contains("\nVerdict (1 call)\n  #1 sip:alice@192.0.2.10 -> sip:bob@198.51.100.20  "));
}

TEST_CASE("a baseline of today's findings lets the same capture pass, names itself, and marks what it accepted") {
    test::TempDir dir;
    const std::string sample = test::source_path("samples/relay-sdes-to-plain.pcap");
    const auto written = test::run_cli({"baseline", sample});
    REQUIRE(written.exit_code == cli::k_exit_clean);
    CHECK_THAT(written.out, Catch::StartsWith("# zaudit baseline 1\n"));
    const std::string path = dir.write("zaudit.baseline", util::as_bytes(written.out));

    CHECK(test::run_cli({sample}).exit_code == cli::k_exit_findings);
    const auto gated = test::run_cli({"--baseline", path, "--format", "json", sample});
    CHECK(gated.exit_code == cli::k_exit_clean);
    const auto doc = nlohmann::json::parse(gated.out);
    CHECK(doc["baseline"]["path"] == path);
    CHECK(doc["baseline"]["sha256"].get<std::string>().size() == 64);
    CHECK(doc["baseline"]["accepted"] == doc["findings"].size());
    for (const auto& f : doc["findings"]) {
        CHECK(f["accepted"] == true);
    }
    const auto sarif = nlohmann::json::parse(test::run_cli({"--baseline", path, "--format", "sarif", sample}).out);
    const auto& result = sarif["runs"][0]["results"][0];
    CHECK(result["baselineState"] == "unchanged");
    CHECK(result["suppressions"][0]["kind"] == "external");
    CHECK(result["partialFingerprints"]["zauditFingerprint/v1"].get<std::string>().size() == 64);

    // A weakness the baseline does not hold still fails the gate: here a ZRTP MitM.
    const auto other = test::run_cli({"--baseline", path, test::source_path("samples/zrtp-mitm-dhpart2.pcap")});
    CHECK(other.exit_code == cli::k_exit_findings);
    // A damaged baseline is a usage error naming its line, not an empty baseline.
    const std::string damaged = dir.write("damaged.baseline", util::as_bytes(written.out + "not-a-fingerprint x\n"));
    const auto refused = test::run_cli({"--baseline", damaged, sample});
    CHECK(refused.exit_code == cli::k_exit_usage);
    CHECK_THAT(refused.err, Catch::Contains("damaged.baseline:"));
    CHECK(refused.out.empty());
}
