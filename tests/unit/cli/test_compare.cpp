// `zaudit compare A B` end to end: a real relay that forwards ZRTP (rtpengine, two wires of one
// call), the generated box that terminates ZRTP, unreadable inputs, refused formats and a
// hostile Call-ID.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include <nlohmann/json.hpp>

#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"
#include "zaudit/cli/cli.hpp"
#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/gen/sip_builder.hpp"
#include "zaudit/util/escape.hpp"

using namespace zaudit;
using nlohmann::json;

namespace {

const std::string k_leg_a = test::source_path("tests/interop/relay-zrtp-leg-a.pcap");
const std::string k_leg_b = test::source_path("tests/interop/relay-zrtp-leg-b.pcap");
// Leg B with every timestamp 3.7 s later (editcap -t 3.7, tests/data/README.md).
const std::string k_leg_b_shifted = test::source_path("tests/data/relay-zrtp-leg-b-shifted-3.7s.pcap");
const std::string k_mitm_a = test::source_path("samples/zrtp-mitm-vantage-a.pcap");
const std::string k_mitm_b = test::source_path("samples/zrtp-mitm-vantage-b.pcap");

json compare_json(const std::string& a, const std::string& b, int expected_exit) {
    const auto r = test::run_cli({"compare", "--format", "json", a, b});
    INFO(r.err);
    REQUIRE(r.exit_code == expected_exit);
    return json::parse(r.out);
}

std::set<std::string> fields_of(const json& different) {
    std::set<std::string> out;
    for (const auto& d : different) {
        out.insert(d["field"].get<std::string>());
    }
    return out;
}

}  // namespace

TEST_CASE("compare: rtpengine forwarding ZRTP shows identical handshakes on both wires, whatever the clocks") {
    for (const auto& [leg_b, offset] : {std::pair{k_leg_b, 0.0}, std::pair{k_leg_b_shifted, 3.7}}) {
        INFO(leg_b);
        const json doc = compare_json(k_leg_a, leg_b, cli::k_exit_clean);
        CHECK(doc["schema"] == "zaudit-compare/1");
        REQUIRE(doc["clock_offset_s"].is_number());
        CHECK(std::abs(doc["clock_offset_s"].get<double>() - offset) < 0.1);
        CHECK(std::abs(doc["clock_offset_s"].get<double>() - offset) < 0.001);  // ZRTP and RTP are forwarded at once
        CHECK(doc["clock_offset_basis"] == "packets");
        CHECK(doc["findings"].empty());
        REQUIRE(doc["calls"].size() == 1);
        const json& call = doc["calls"][0];
        CHECK(call["call_id"] == "Xr6ez7ZFgP");  // tshark -Y sip -T fields -e sip.Call-ID, both wires
        CHECK(call["verdict"] == "identical");
        CHECK(call["different"].empty());
        const json& same = call["same"];
        for (const char* field : {"zrtp.caller.zid", "zrtp.caller.h3", "zrtp.caller.hello_hash", "zrtp.caller.h2",
                                  "zrtp.caller.h1", "zrtp.caller.pv", "zrtp.callee.zid", "zrtp.callee.h3",
                                  "zrtp.callee.h1", "zrtp.callee.pv", "sdp.caller.zrtp_hash", "sdp.callee.zrtp_hash"}) {
            INFO(field);
            CHECK(std::find(same.begin(), same.end(), field) != same.end());
        }
        // tshark -Y zrtp.zid -T fields -e ip.src -e zrtp.zid: the caller 10.78.1.1 is bc8c..., the
        // callee (seen from the caller's wire, behind the relay's 10.78.1.254) 48c3....
        CHECK(call["a"]["values"]["zrtp.caller.zid"] == "bc8cadd4a4883f08add9c6e3");
        CHECK(call["b"]["values"]["zrtp.callee.zid"] == "48c3d73f43373b208dae326d");
        // The caller's Hello is the one its SDP's a=zrtp-hash names.
        CHECK(call["a"]["values"]["sdp.caller.zrtp_hash"] ==
              "1.10 " + call["a"]["values"]["zrtp.caller.hello_hash"].get<std::string>());
    }
    const auto text = test::run_cli({"compare", k_leg_a, k_leg_b_shifted});
    CHECK(text.exit_code == cli::k_exit_clean);
    CHECK_THAT(text.out, Catch::Contains("clock offset: B = A +3.69"));
    CHECK_THAT(text.out,
               Catch::Contains("identical at both points (16 values): nothing between the two points terminates ZRTP"));
    CHECK_THAT(text.out, Catch::Contains("Findings: none"));
}

TEST_CASE("compare: a box that terminates ZRTP is path.vantage-divergence although each wire verifies clean") {
    for (const auto& sample : {k_mitm_a, k_mitm_b}) {  // alone, each looks clean at --fail-on medium
        CHECK(test::run_cli({"--fail-on", "medium", sample}).exit_code == cli::k_exit_clean);
    }
    const json doc = compare_json(k_mitm_a, k_mitm_b, cli::k_exit_findings);
    REQUIRE(doc["findings"].size() == 1);
    const json& f = doc["findings"][0];
    CHECK(f["rule"] == "path.vantage-divergence");
    CHECK(f["severity"] == "critical");
    CHECK(f["confidence"] == "verified");
    CHECK_FALSE(f.contains("input"));  // it is about both inputs: frames_by_input names each
    CHECK(f["frames_by_input"].size() >= 4);
    REQUIRE(doc["calls"].size() == 1);
    const json& call = doc["calls"][0];
    CHECK(call["verdict"] == "different");
    const auto different = fields_of(call["different"]);
    for (const char* field : {"zrtp.caller.zid", "zrtp.callee.zid", "zrtp.caller.h3", "zrtp.callee.h3",
                              "zrtp.caller.pv", "zrtp.callee.pv", "zrtp.caller.hello_hash", "sdp.caller.zrtp_hash"}) {
        INFO(field);
        CHECK(different.count(field) == 1);
    }
    for (const auto& d : call["different"]) {
        CHECK(d["a"] != d["b"]);
        CHECK(call["a"]["values"][d["field"].get<std::string>()] == d["a"]);
        CHECK(call["b"]["values"][d["field"].get<std::string>()] == d["b"]);
    }
    // The ZIDs are those each wire's own audit shows: alice's on A, bob's on B.
    const json audit_a = json::parse(test::run_cli({"--format", "json", "--fail-on", "none", k_mitm_a}).out);
    const json audit_b = json::parse(test::run_cli({"--format", "json", "--fail-on", "none", k_mitm_b}).out);
    const auto zid_at = [](const json& audit, const char* address) {
        for (const auto& endpoint : audit["zrtp"][0]["endpoints"]) {
            if (endpoint["address"].get<std::string>().rfind(address, 0) == 0) {
                return endpoint["hello"]["zid"].get<std::string>();
            }
        }
        return std::string{};
    };
    CHECK(call["a"]["values"]["zrtp.caller.zid"] == zid_at(audit_a, "192.0.2.10:"));
    CHECK(call["b"]["values"]["zrtp.callee.zid"] == zid_at(audit_b, "198.51.100.20:"));
    // --fail-on applies to the comparison's findings.
    CHECK(test::run_cli({"compare", "--fail-on", "critical", k_mitm_a, k_mitm_b}).exit_code == cli::k_exit_findings);
    CHECK(test::run_cli({"compare", "--fail-on", "none", k_mitm_a, k_mitm_b}).exit_code == cli::k_exit_clean);
    const auto text = test::run_cli({"compare", k_mitm_a, k_mitm_b});
    CHECK_THAT(text.out, Catch::Contains("14 differences:"));
    CHECK_THAT(text.out, Catch::Contains("CRITICAL path.vantage-divergence"));
    CHECK_THAT(text.out, Catch::Contains("(768 characters)"));  // DH3k public values, shortened for a terminal
}

TEST_CASE("compare: an input that cannot be read exits 2 and compares nothing") {
    const auto r = test::run_cli({"compare", k_leg_a, "/nonexistent.pcap"});
    CHECK(r.exit_code == cli::k_exit_usage);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::Contains("zaudit: /nonexistent.pcap: No such file or directory\n"));
    CHECK_THAT(r.err, Catch::EndsWith("zaudit: compare needs both captures; nothing compared\n"));
    const auto both = test::run_cli({"compare", "/nonexistent-a.pcap", "/nonexistent-b.pcap"});
    CHECK(both.exit_code == cli::k_exit_usage);
    CHECK(both.out.empty());
}

TEST_CASE("compare: usage errors and formats it cannot write exit 2 with one line") {
    for (const auto& args : std::vector<std::vector<std::string>>{{"compare", k_leg_a},
                                                                  {"compare", k_leg_a, k_leg_b, k_leg_b},
                                                                  {"compare", "--format", "sarif", k_leg_a, k_leg_b},
                                                                  {"compare", "--format", "jsonl", k_leg_a, k_leg_b},
                                                                  {"compare", "--merge", k_leg_a, k_leg_b}}) {
        const auto r = test::run_cli(args);
        CHECK(r.exit_code == cli::k_exit_usage);
        CHECK(r.out.empty());
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
        CHECK_THAT(r.err, Catch::EndsWith("(try --help)\n"));
    }
    CHECK_THAT(test::run_cli({"--help"}).out, Catch::Contains("zaudit compare A B"));
}

namespace {

/// One wire of a call whose Call-ID holds terminal escapes and bytes that are not UTF-8; its
/// offer's a=zrtp-hash differs per wire, so the comparison finds a divergence and names the call.
std::string hostile_wire(const test::TempDir& dir, const std::string& name, char hash_digit) {
    std::string evil = "evil\x1b[2J\x07<b>\xff\xfe";
    for (int byte = 1; byte < 0x20; ++byte) {
        if (byte != '\r' && byte != '\n') {
            evil += static_cast<char>(byte);
        }
    }
    const util::Endpoint alice{*util::IpAddress::parse("192.0.2.10"), 5060};
    const util::Endpoint bob{*util::IpAddress::parse("198.51.100.20"), 5060};
    const std::string sdp =
        "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n"
        "m=audio 40000 RTP/AVP 0\r\na=zrtp-hash:1.10 " +
        std::string(64, hash_digit) + "\r\n";
    const std::string invite = gen::SipWriter::request("INVITE", "sip:bob@198.51.100.20")
                                   .header("Via", "SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1")
                                   .header("From", "<sip:alice@192.0.2.10>;tag=a1")
                                   .header("To", "<sip:bob@198.51.100.20>")
                                   .header("Call-ID", evil)
                                   .header("CSeq", "1 INVITE")
                                   .body("application/sdp", sdp)
                                   .text();
    gen::CaptureBuilder capture{gen::Framing{}};
    capture.add_udp(util::Timestamp{1'800'000'000'000'000}, alice, bob, util::as_bytes(invite));
    const auto path = dir.file(name);
    REQUIRE(capture.write_pcap(path).ok());
    return path;
}

}  // namespace

TEST_CASE("compare: a hostile Call-ID is escaped in text and json") {
    const test::TempDir dir;
    const std::string a = hostile_wire(dir, "a.pcap", 'a');
    const std::string b = hostile_wire(dir, "b.pcap", 'b');
    const auto text = test::run_cli({"compare", "--fail-on", "none", a, b});
    REQUIRE(text.exit_code == cli::k_exit_clean);
    CHECK_THAT(text.out, Catch::Contains("Call-ID evil\\x1B[2J\\x07<b>\\xFF\\xFE"));
    CHECK_THAT(text.out, Catch::Contains("sdp.caller.zrtp_hash"));  // the offer differs: a finding names the call
    for (const char c : text.out) {
        const auto byte = static_cast<unsigned char>(c);
        CHECK((byte >= 0x20 || byte == '\n'));
        CHECK(byte != 0xff);
    }
    const auto out = test::run_cli({"compare", "--format", "json", "--fail-on", "none", a, b}).out;
    const json doc = json::parse(out);  // valid UTF-8, or parse throws
    for (const char c : doc["calls"][0]["call_id"].get<std::string>()) {
        CHECK(static_cast<unsigned char>(c) >= 0x20);
        CHECK(static_cast<unsigned char>(c) < 0x7f);
    }
    CHECK_THAT(doc["calls"][0]["call_id"].get<std::string>(), Catch::StartsWith("evil\\x1B[2J\\x07<b>\\xFF\\xFE\\x01"));
    REQUIRE(doc["findings"].size() == 1);
    // Escaped once, as in the call (the findings are escaped on their own: not twice).
    CHECK_THAT(doc["findings"][0]["message"].get<std::string>(), Catch::StartsWith("Call-ID evil\\x1B[2J\\x07<b>"));
    CHECK(doc["findings"][0]["evidence"]["call_id"] == doc["calls"][0]["call_id"]);
}
