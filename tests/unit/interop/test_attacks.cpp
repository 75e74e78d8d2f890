// Real VoIP stacks under a real attack: two linphone-cli (bzrtp, libsrtp2) call each other
// through a kamailio proxy while tests/interop/media_mitm.py, on the host that routes their
// media, drops their ZRTP, rewrites the caller's Hello or injects forged SRTP (make_attack.sh).
// What each wire showed is established by tshark in the .facts.json beside each capture, and
// what the attacker did by its own log (.mitm.txt), never by zaudit.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>
#include <vector>
#include <string>

#include <nlohmann/json.hpp>

#include "support/report_json.hpp"
#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

using namespace zaudit;
using nlohmann::json;
using test::findings_of;

namespace {

const char* const k_views[] = {"leg-a", "leg-b", "merged"};

json facts_of(const std::string& capture) {
    std::ifstream in(test::source_path("tests/interop/" + capture + ".facts.json"));
    return json::parse(in);
}

json audit(const std::string& capture, const std::vector<std::string>& options = {}) {
    std::vector<std::string> args{"--format", "json", "--fail-on", "none"};
    args.insert(args.end(), options.begin(), options.end());
    args.push_back(test::source_path("tests/interop/" + capture + ".pcap"));
    const test::CliResult result = test::run_cli(args);
    REQUIRE(result.exit_code == 0);
    return json::parse(result.out);
}

/// The a=zrtp-hash values of the capture's SDP (tshark's), without their version.
std::set<std::string> sdp_hello_hashes(const json& facts) {
    std::set<std::string> out;
    for (const auto& attribute : facts["summary"]["zrtp_hash_attributes"]) {
        const auto text = attribute.get<std::string>();
        out.insert(text.substr(text.find(' ') + 1));
    }
    return out;
}

/// Frames of the Hellos (tshark's) whose SHA-256 no a=zrtp-hash of the capture names.
std::set<std::uint64_t> hellos_off_sdp(const json& facts) {
    const auto announced = sdp_hello_hashes(facts);
    std::set<std::uint64_t> frames;
    for (const auto& message : facts["zrtp"]) {
        if (message["type"] == "Hello" && announced.count(message["message_sha256"].get<std::string>()) == 0) {
            frames.insert(message["frame"].get<std::uint64_t>());
        }
    }
    return frames;
}

/// The attacker's own record of what it injected: SSRC (hex, 8 digits) and sequence numbers.
std::pair<std::string, std::set<std::uint64_t>> injected_packets(const std::string& base) {
    std::ifstream in(test::source_path("tests/interop/" + base + ".mitm.txt"));
    std::string line;
    std::string ssrc;
    std::set<std::uint64_t> sequences;
    while (std::getline(in, line)) {
        // "injected RTP ssrc 3c525d98 seq 150 10.78.1.1 -> 10.78.2.1"
        std::istringstream words(line);
        std::string injected, rtp, ssrc_word, seq_word;
        std::uint64_t sequence = 0;
        if (words >> injected >> rtp >> ssrc_word >> ssrc >> seq_word >> sequence && injected == "injected") {
            sequences.insert(sequence);
        }
    }
    return {"0x" + ssrc, sequences};
}

bool shares_a_frame(const json& finding, const std::set<std::uint64_t>& frames) {
    for (const auto& frame : finding["frames"]) {
        if (frames.count(frame.get<std::uint64_t>()) > 0) {
            return true;
        }
    }
    return false;
}

}  // namespace

TEST_CASE("zrtp attacks: ZRTP dropped in flight between two bzrtp phones is zrtp.stripped on every wire") {
    for (const std::string view : k_views) {
        const std::string capture = std::string{"attack-zrtp-strip-"} + view;
        INFO(capture);
        const json facts = facts_of(capture);
        // What the attack did, as tshark saw it: Hellos only, no handshake, clear RTP both ways.
        REQUIRE(facts["summary"]["zrtp_message_types"] == json::array({"Hello"}));
        REQUIRE(facts["rtp_streams"].size() == 2);
        const json report = audit(capture);
        const auto stripped = findings_of(report, "zrtp.stripped");
        REQUIRE(stripped.size() == 1);
        CHECK(stripped[0]["severity"] == "high");
        // Both streams are in clear, and the report says why: ZRTP was announced, never completed.
        const auto clear = findings_of(report, "media.unencrypted");
        REQUIRE(clear.size() == facts["rtp_streams"].size());
        for (const auto& finding : clear) {
            CHECK_THAT(finding["message"].get<std::string>(),
                       Catch::Contains("its SDP announced ZRTP (a=zrtp-hash), but no ZRTP handshake"));
        }
        // Nothing was altered, only removed: no Hello is reported as tampered.
        CHECK(hellos_off_sdp(facts).empty());
        CHECK(findings_of(report, "zrtp.hello-tampered").empty());
        CHECK(findings_of(report, "zrtp.zrtp-hash-mismatch").empty());
        REQUIRE(report["calls"].size() == 1);
        CHECK(report["calls"][0]["verdict"]["protection"] == "plain");
    }
}

TEST_CASE("zrtp attacks: a Hello rewritten in flight is a verified zrtp-hash mismatch past the attacker") {
    // Leg B, the callee's wire, carries the caller's Hellos as the attacker re-sent them: DH2k
    // for DH3k, CRC-32C valid (tshark checks it), SHA-256 no longer the caller's a=zrtp-hash.
    const json facts = facts_of("attack-zrtp-hello-downgrade-leg-b");
    CHECK(facts["summary"]["zrtp_checksums_all_good"] == true);
    const auto edited = hellos_off_sdp(facts);
    REQUIRE_FALSE(edited.empty());
    const json report = audit("attack-zrtp-hello-downgrade-leg-b");
    const auto mismatches = findings_of(report, "zrtp.zrtp-hash-mismatch");
    REQUIRE(mismatches.size() == 1);
    CHECK(mismatches[0]["severity"] == "critical");
    CHECK(mismatches[0]["confidence"] == "verified");
    CHECK(shares_a_frame(mismatches[0], edited));
    // The CRC was recomputed: the edit is no transmission error.
    CHECK(findings_of(report, "zrtp.crc-invalid").empty());
}

TEST_CASE("zrtp attacks: the caller's wire, before the attacker, shows its genuine Hello") {
    const json facts = facts_of("attack-zrtp-hello-downgrade-leg-a");
    REQUIRE(hellos_off_sdp(facts).empty());
    const json report = audit("attack-zrtp-hello-downgrade-leg-a");
    CHECK(findings_of(report, "zrtp.zrtp-hash-mismatch").empty());
    CHECK(findings_of(report, "zrtp.hello-tampered").empty());
    // What that wire does show: the callee never answered with more than Hello.
    CHECK(findings_of(report, "zrtp.stripped").size() == 1);
}

TEST_CASE("zrtp attacks: both wires in one capture show the Hello before and after the edit, tampered") {
    const json facts = facts_of("attack-zrtp-hello-downgrade-merged");
    const auto edited = hellos_off_sdp(facts);
    REQUIRE_FALSE(edited.empty());
    const json report = audit("attack-zrtp-hello-downgrade-merged");
    const auto tampered = findings_of(report, "zrtp.hello-tampered");
    REQUIRE(tampered.size() == 1);
    CHECK(tampered[0]["severity"] == "critical");
    CHECK(tampered[0]["confidence"] == "verified");
    // It names a rewritten copy (tshark: its SHA-256 is not the SDP's) and an original one.
    CHECK(shares_a_frame(tampered[0], edited));
    bool names_original = false;
    for (const auto& frame : tampered[0]["frames"]) {
        names_original = names_original || edited.count(frame.get<std::uint64_t>()) == 0;
    }
    CHECK(names_original);
}

TEST_CASE(
    "zrtp attacks: a proxy that strips a=zrtp-hash while the Hello is rewritten is found where both wires are seen") {
    // tshark's view of each wire: a=zrtp-hash only in the SDP that had not yet crossed the proxy.
    for (const std::string leg : {"leg-a", "leg-b"}) {
        INFO(leg);
        CHECK(facts_of("attack-zrtp-nohash-downgrade-" + leg)["summary"]["zrtp_hash_attributes"].size() == 1);
    }
    const json merged_facts = facts_of("attack-zrtp-nohash-downgrade-merged");
    REQUIRE(merged_facts["summary"]["zrtp_hash_attributes"].size() == 2);
    const auto edited = hellos_off_sdp(merged_facts);
    REQUIRE_FALSE(edited.empty());
    const json merged = audit("attack-zrtp-nohash-downgrade-merged");
    // The INVITE and the 200 each lost their a=zrtp-hash at the proxy.
    const auto stripped = findings_of(merged, "sdp.security-stripped");
    REQUIRE(stripped.size() == 2);
    for (const auto& finding : stripped) {
        CHECK(finding["confidence"] == "verified");
        CHECK_THAT(finding["message"].get<std::string>(), Catch::Contains("a=zrtp-hash"));
    }
    const auto tampered = findings_of(merged, "zrtp.hello-tampered");
    REQUIRE(tampered.size() == 1);
    CHECK(tampered[0]["confidence"] == "verified");
    CHECK(shares_a_frame(tampered[0], edited));
    // The callee's wire alone holds the rewritten Hello without the hash that would expose it,
    // and no Commit reveals the H2 that keys its MAC: zaudit must not claim what it cannot check.
    const auto types = facts_of("attack-zrtp-nohash-downgrade-leg-b")["summary"]["zrtp_message_types"];
    REQUIRE(std::find(types.begin(), types.end(), "Commit") == types.end());
    const json leg_b = audit("attack-zrtp-nohash-downgrade-leg-b");
    CHECK(findings_of(leg_b, "zrtp.hello-tampered").empty());
    CHECK(findings_of(leg_b, "zrtp.zrtp-hash-mismatch").empty());
    CHECK(findings_of(leg_b, "zrtp.stripped").size() == 1);
}

TEST_CASE(
    "srtp attacks: forged packets injected into a real SDES-SRTP call fail libsrtp2 and repeat sequence numbers") {
    const auto [ssrc, sequences] = injected_packets("attack-srtp-inject");
    REQUIRE(sequences.size() == 5);
    const auto stream_findings = [&ssrc = ssrc](const json& report, const std::string& rule) {
        std::vector<json> out;
        for (const auto& f : findings_of(report, rule)) {
            if (f["evidence"]["ssrc"] == ssrc) {
                out.push_back(f);
            }
        }
        return out;
    };
    // The caller's wire is before the attacker: nothing forged there.
    const json leg_a = audit("attack-srtp-inject-leg-a", {"--verify-all"});
    CHECK(findings_of(leg_a, "rtp.injection-suspected").empty());
    CHECK(findings_of(leg_a, "srtp.auth-failure").empty());
    // The callee's wire: each forged packet fails authentication under the key that
    // authenticates the caller's genuine ones, and its sequence number comes again, genuine.
    const json leg_b = audit("attack-srtp-inject-leg-b", {"--verify-all"});
    const auto failures = stream_findings(leg_b, "srtp.auth-failure");
    REQUIRE(failures.size() == 1);
    CHECK(failures[0]["confidence"] == "verified");
    CHECK(failures[0]["evidence"]["failed_while_in_use"] == sequences.size());
    CHECK(failures[0]["frames"].size() == sequences.size());
    CHECK(failures[0]["evidence"]["replayed"] == 0);
    const auto injected = stream_findings(leg_b, "rtp.injection-suspected");
    REQUIRE(injected.size() == 1);
    CHECK(injected[0]["evidence"]["conflicting_duplicates"] == sequences.size());
    // Both wires merged hold every genuine packet twice: the copies are replays, not failures.
    const json merged = audit("attack-srtp-inject-merged", {"--verify-all"});
    const auto merged_failures = stream_findings(merged, "srtp.auth-failure");
    REQUIRE(merged_failures.size() == 1);
    CHECK(merged_failures[0]["evidence"]["failed_while_in_use"] == sequences.size());
    CHECK(merged_failures[0]["evidence"]["replayed"].get<std::uint64_t>() > 0);
    CHECK_THAT(merged_failures[0]["message"].get<std::string>(), Catch::Contains("refused by the replay window"));
}
