// Several inputs: audited on their own by default (own flows, calls and frame numbers), merged by
// time with --merge; frame numbers are always the ones Wireshark shows, under --filter too.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"
#include "zaudit/cli/cli.hpp"
#include "zaudit/cli/start_order.hpp"
#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/gen/scenario.hpp"

using namespace zaudit;
using nlohmann::json;

namespace {

json audit_json(std::vector<std::string> args) {
    args.insert(args.begin(), {"--format", "json"});
    return json::parse(test::run_cli(args).out);
}

const std::string k_plain = test::source_path("samples/sip-plain-call.pcap");
const std::string k_zrtp = test::source_path("samples/zrtp-clean-call.pcap");
const std::string k_sdes = test::source_path("samples/sdes-call-udp.pcap");

std::size_t count_rule(const json& doc, const std::string& rule, const std::string& severity) {
    return static_cast<std::size_t>(std::count_if(doc["findings"].begin(), doc["findings"].end(), [&](const json& f) {
        return f["rule"] == rule && f["severity"] == severity;
    }));
}

/// The JSON report of `inputs` audited with --jobs `jobs`, without the command line that names it.
json report_with_jobs(const std::string& jobs, const std::vector<std::string>& inputs) {
    std::vector<std::string> args{"--format", "json", "--jobs", jobs};
    args.insert(args.end(), inputs.begin(), inputs.end());
    auto doc = json::parse(test::run_cli(args).out);
    doc["tool"].erase("command_line");
    return doc;
}

/// The findings of one input, without the "input" key: what a run on that file alone says.
json findings_of_input(const json& doc, int input) {
    json out = json::array();
    for (auto f : doc["findings"]) {
        if (f["input"] == input) {
            f.erase("input");
            out.push_back(f);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("two inputs do not contaminate each other: the plain call keeps its HIGH findings") {
    // Regression: the first file's plain RTP was credited to the second file's ZRTP handshake.
    const auto alone = test::run_cli({k_plain});
    REQUIRE(alone.exit_code == cli::k_exit_findings);
    const auto both = test::run_cli({k_plain, k_zrtp});
    CHECK(both.exit_code == cli::k_exit_findings);
    const json doc = audit_json({k_plain, k_zrtp});
    CHECK(doc["merged"] == false);
    CHECK(count_rule(doc, "media.unencrypted", "high") == 2);
    for (const auto& f : doc["findings"]) {
        if (f["rule"] == "media.unencrypted") {
            CHECK(f["input"] == 1);
        }
    }
    REQUIRE(doc["inputs"].size() == 2);
    CHECK(doc["inputs"][1]["first_frame"] == 1);  // each input has its own frame numbers
    CHECK(doc["calls"].size() == 2);
    CHECK(doc["calls"][0]["input"] == 1);
    CHECK(doc["calls"][1]["input"] == 2);
    CHECK(doc["calls"][1]["id"] == 1);
}

TEST_CASE("each input's findings are exactly those of auditing it alone") {
    const json both = audit_json({k_sdes, k_zrtp});
    const json first = audit_json({k_sdes});
    const json second = audit_json({k_zrtp});
    json first_alone = findings_of_input(first, 1);
    json second_alone = findings_of_input(second, 1);
    CHECK(findings_of_input(both, 1) == first_alone);
    CHECK(findings_of_input(both, 2) == second_alone);
    CHECK_FALSE(first_alone.empty());
}

TEST_CASE("the text report has a section per input and a summary") {
    const auto r = test::run_cli({"--color", "never", k_plain, k_zrtp});
    CHECK_THAT(r.out, Catch::Contains("== input 1: " + k_plain + " =="));
    CHECK_THAT(r.out, Catch::Contains("== input 2: " + k_zrtp + " =="));
    CHECK_THAT(r.out, Catch::Contains("Summary: 2 inputs audited on their own"));
}

TEST_CASE("option --jobs gives the same report as one job") {
    const std::vector<std::string> inputs{k_plain, k_zrtp, k_sdes};
    // One thread each (-j 1, -j 3; -j 2: two workers, the inputs too small to take the core one
    // gives back), and reading ahead beside each audit (-j 6).
    const auto one = report_with_jobs("1", inputs);
    CHECK(one == report_with_jobs("2", inputs));
    CHECK(one == report_with_jobs("3", inputs));
    CHECK(one == report_with_jobs("6", inputs));
    CHECK(test::run_cli({"--jobs", "0", k_plain}).exit_code == cli::k_exit_usage);
}

TEST_CASE("option --jobs: an audit that takes a spare core midway reports the same") {
    // Two inputs on two cores: each audits on one thread; the small one ends first, its worker
    // gives its core back, and the long one reads ahead from then on (every 4,096 frames it
    // looks). Long: 20,000 RTP packets of one unsignalled stream.
    test::TempDir dir;
    gen::CaptureBuilder capture;
    const util::Endpoint a{*util::IpAddress::parse("192.0.2.1"), 40000};
    const util::Endpoint b{*util::IpAddress::parse("192.0.2.2"), 50000};
    const std::vector<std::uint8_t> silence(160, 0xd5);
    for (std::uint32_t i = 0; i < 20'000; ++i) {
        const auto rtp = gen::build_rtp(0, static_cast<std::uint16_t>(i), i * 160, 0x2a, silence);
        capture.add_udp(util::Timestamp{1'700'000'000'000'000 + std::int64_t{i} * 20'000}, a, b, rtp);
    }
    const auto big = dir.file("long-stream.pcap");
    REQUIRE(capture.write_pcap(big).ok());
    const std::vector<std::string> inputs{k_plain, big};
    const auto one = report_with_jobs("1", inputs);
    REQUIRE(one["media"].size() >= 2);
    CHECK(one["inputs"][1]["packets"] == 20'000);
    for (int run = 0; run < 3; ++run) {
        CHECK(report_with_jobs("2", inputs) == one);
    }
}

TEST_CASE("option --jobs starts the largest input first, inputs of unknown size before it") {
    using Sizes = std::vector<std::optional<std::uint64_t>>;
    CHECK(cli::largest_first(Sizes{10, 300, 20}) == std::vector<std::size_t>{1, 2, 0});
    // Equal sizes keep input order; stdin or an interface (no size) may be the longest of all.
    CHECK(cli::largest_first(Sizes{5, std::nullopt, 5, 7}) == std::vector<std::size_t>{1, 3, 0, 2});
    CHECK(cli::largest_first(Sizes{}).empty());

    CHECK(cli::input_size({capture::Source::file(k_plain)}) == std::filesystem::file_size(k_plain));
    CHECK(cli::input_size({capture::Source::file(k_plain), capture::Source::file(k_zrtp)}) ==
          std::filesystem::file_size(k_plain) + std::filesystem::file_size(k_zrtp));
    CHECK_FALSE(cli::input_size({capture::Source::file("-")}).has_value());
    CHECK_FALSE(cli::input_size({capture::Source::file("/nonexistent.pcap")}).has_value());
    capture::Source live;
    live.interface = "lo";
    CHECK_FALSE(cli::input_size({live}).has_value());
}

TEST_CASE("an unreadable input is listed and exits 2, and the others are still reported") {
    const auto r = test::run_cli({"--format", "json", k_plain, "/nonexistent.pcap"});
    CHECK(r.exit_code == cli::k_exit_usage);
    CHECK_THAT(r.err, Catch::Contains("/nonexistent.pcap"));
    const json doc = json::parse(r.out);
    REQUIRE(doc["inputs"].size() == 2);
    CHECK(doc["inputs"][0]["error"].is_null());
    CHECK(doc["inputs"][1]["error"].is_string());
    CHECK(count_rule(doc, "media.unencrypted", "high") == 2);
}

TEST_CASE("a capture without one complete packet could not be read: exit 2") {
    test::TempDir dir;
    std::ifstream whole(k_plain, std::ios::binary);
    std::vector<char> header(24);
    whole.read(header.data(), 24);  // the pcap file header alone
    const auto path =
        dir.write("header-only.pcap", util::Bytes{reinterpret_cast<const std::uint8_t*>(header.data()), 24});
    const auto r = test::run_cli({path});
    CHECK(r.exit_code == cli::k_exit_usage);
    CHECK_THAT(r.err, Catch::Contains("no complete packet"));
}

TEST_CASE("option --merge audits the inputs as one capture and maps frames back to each input") {
    // The plain call merged with the TCP sample (all of it at the same second): the merged
    // capture interleaves them, and every finding says where its frames are in its own file.
    const std::string tcp = test::source_path("samples/net-tcp-reordered.pcapng");
    const json doc = audit_json({"--merge", k_plain, tcp});
    CHECK(doc["merged"] == true);
    CHECK(doc["inputs"].size() == 2);
    CHECK(doc["summary"]["frames"] == 207 + 6);
    CHECK(count_rule(doc, "media.unencrypted", "high") == 2);
    for (const auto& f : doc["findings"]) {
        CHECK_FALSE(f.contains("input"));
        REQUIRE(f["frames_by_input"].size() == f["frames"].size());
        for (const auto& where : f["frames_by_input"]) {
            CHECK(where["input"] == 1);  // every finding is about the plain call
            CHECK(where["frame"].get<int>() <= 207);
        }
    }
    // The same findings, frame for frame, as the plain call alone.
    const json alone = audit_json({k_plain});
    for (std::size_t i = 0; i < alone["findings"].size(); ++i) {
        const auto& merged_finding = doc["findings"][i];
        std::vector<int> own;
        for (const auto& where : merged_finding["frames_by_input"]) {
            own.push_back(where["frame"]);
        }
        CHECK(own == alone["findings"][i]["frames"].get<std::vector<int>>());
    }
    CHECK(test::run_cli({"--merge", k_plain, "-"}).exit_code == cli::k_exit_usage);
    // A pipe neither: opened again, a FIFO would wait for a writer that is gone.
    test::TempDir dir;
    const auto fifo = dir.file("fifo");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const auto pipe_run = test::run_cli({"--merge", k_plain, fifo});
    CHECK(pipe_run.exit_code == cli::k_exit_usage);
    CHECK(pipe_run.err.find(fifo + ", a pipe, cannot be one of them") != std::string::npos);
}

TEST_CASE("option --filter keeps the file's frame numbers (tshark's)") {
    // tshark -r samples/sip-plain-call.pcap -Y 'ip.src==198.51.100.20' -T fields -e frame.number:
    // 2 3 4 7 9 ... 207 (every odd frame from 7); the first RTP packet of ssrc 0x0eeb9467 is frame 7.
    std::set<int> tshark_frames{2, 3, 4};
    for (int frame = 7; frame <= 207; frame += 2) {
        tshark_frames.insert(frame);
    }
    const json doc = audit_json({"--filter", "src host 198.51.100.20", k_plain});
    REQUIRE(doc["media"].size() == 1);
    CHECK(doc["media"][0]["first_frame"] == 7);
    CHECK(doc["inputs"][0]["packets"] == 207);
    CHECK(doc["inputs"][0]["filtered_out"] == 207 - static_cast<int>(tshark_frames.size()));
    // The input is described as capinfos describes the file, whatever the filter kept.
    CHECK(doc["inputs"][0]["bytes"] == 46062);
    CHECK(doc["inputs"][0]["first_time"] == "2026-09-21T14:13:20.000000Z");
    CHECK(doc["inputs"][0]["last_time"] == "2026-09-21T14:13:22.946000Z");
    bool cited = false;
    for (const auto& f : doc["findings"]) {
        for (const auto& frame : f["frames"]) {
            CHECK(tshark_frames.count(frame.get<int>()) == 1);
            cited = true;
        }
    }
    CHECK(cited);
}

TEST_CASE("usage errors for live-capture options") {
    CHECK(test::run_cli({"-i", "lo", k_plain}).exit_code == cli::k_exit_usage);
    CHECK(test::run_cli({"--count", "3", k_plain}).exit_code == cli::k_exit_usage);
    CHECK(test::run_cli({"--duration", "1", k_plain}).exit_code == cli::k_exit_usage);
}

TEST_CASE("option -o - writes the report to standard output") {
    const auto r = test::run_cli({"-o", "-", "--format", "json", k_plain});
    CHECK(json::parse(r.out)["schema"] == "zaudit/1");
    CHECK_FALSE(std::filesystem::exists("-"));
}

TEST_CASE("a live capture on a quiet interface ends after --duration with a report") {
    // Regression: a blocking read on a quiet Linux interface never returned, so --duration never
    // ended. Needs capture privileges (root or CAP_NET_RAW): without them it says why and skips.
    const auto r = test::run_cli({"--format", "json", "-i", "lo", "--duration", "1", "--filter", "udp port 9"});
    if (r.exit_code == cli::k_exit_usage && r.out.empty()) {
        WARN("skipped: no capture privileges here (" << r.err << ")");
        return;
    }
    CHECK(r.exit_code == cli::k_exit_clean);
    const json doc = json::parse(r.out);
    CHECK(doc["inputs"][0]["format"] == "live");
    CHECK(doc["inputs"][0]["path"] == "if:lo");
}
