// What the user tells zaudit that packets cannot: --decode-as and --srtp-key.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"
#include "zaudit/cli/cli.hpp"

using namespace zaudit;
using nlohmann::json;

namespace {

const std::string k_plain = test::source_path("samples/sip-plain-call.pcap");
const std::string k_sdes = test::source_path("samples/sdes-call-udp.pcap");
// From the caller's SDP in samples/sdes-call-udp.pcap (frame 1): what it sends from 192.0.2.10:40000.
const std::string k_caller_key = "AES_CM_128_HMAC_SHA1_80:VZHIHQUdr8og4iyk37TKgwxYtA9X9uIl6jAfoyjJ";
const std::string k_callee_key = "AES_CM_128_HMAC_SHA1_80:eFEqcyxdWrs3N8VsDCOVRZgXhaNUJcFKarsbc1QN";

json audit(std::vector<std::string> args) {
    args.insert(args.begin(), {"--format", "json", "--fail-on", "none"});
    const auto r = test::run_cli(args);
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
}

const json* stream_from(const json& doc, const std::string& src) {
    for (const auto& m : doc["media"]) {
        if (m["src"] == src) {
            return &m;
        }
    }
    return nullptr;
}

}  // namespace

TEST_CASE("decode-as sends a port's datagrams to the named parser") {
    const json usual = audit({k_plain});
    REQUIRE(usual["calls"].size() == 1);
    // Told that port 5060 carries RTP, zaudit no longer reads the SIP there: no call, and the
    // SIP text shows up as RTP that does not parse.
    const json forced = audit({"--decode-as", "udp:5060=rtp", k_plain});
    CHECK(forced["calls"].empty());
    CHECK(forced["media"].size() == usual["media"].size());  // the media port is untouched
    // Repeatable: the second rule applies too.
    const json both = audit({"--decode-as", "udp:5060=rtp", "--decode-as", "udp:40000=sip", k_plain});
    CHECK(both["media"].empty());
    CHECK(both["decode"]["anomalies"].size() > forced["decode"]["anomalies"].size());
}

TEST_CASE("a malformed decode-as or srtp-key value is a usage error naming it") {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"--decode-as", "bogus", k_plain},
          std::vector<std::string>{"--decode-as", "udp:99999=sip", k_plain},
          std::vector<std::string>{"--srtp-key", "192.0.2.10:40000", k_plain},
          std::vector<std::string>{"--srtp-key", "192.0.2.10:40000=AES_CM_128_HMAC_SHA1_99:AAAA", k_plain},
          std::vector<std::string>{"--srtp-key", "192.0.2.10=" + k_caller_key, k_plain},
          std::vector<std::string>{"--srtp-key", "0xzz=" + k_caller_key, k_plain},
          std::vector<std::string>{"--srtp-key", "192.0.2.10:40000=AES_CM_128_HMAC_SHA1_80:AAAA", k_plain},
          std::vector<std::string>{"--srtp-key", "192.0.2.10:40000=AES_CM_128_HMAC_SHA1_80:!!!!", k_plain}}) {
        INFO(args[1]);
        const auto r = test::run_cli(args);
        CHECK(r.exit_code == cli::k_exit_usage);
        CHECK_THAT(r.err, Catch::Contains(args[0]));
        CHECK(r.out.empty());
    }
}

TEST_CASE("the key is never repeated in an srtp-key error") {
    const auto r = test::run_cli({"--srtp-key", "192.0.2.10:40000=AES_CM_128_HMAC_SHA1_80:c2VjcmV0c2VjcmV0", k_plain});
    CHECK(r.exit_code == cli::k_exit_usage);
    CHECK_THAT(r.err, !Catch::Contains("c2VjcmV0c2VjcmV0"));
}

TEST_CASE("srtp-key verifies SRTP whose keys the capture does not show") {
    // Without its SIP the SDES call's media is unsignalled: nothing can be checked.
    const json blind = audit({"--filter", "not port 5060", k_sdes});
    const json* caller = stream_from(blind, "192.0.2.10:40000");
    REQUIRE(caller != nullptr);
    CHECK((*caller)["srtp_checks"].empty());

    // Given by address and port, or by SSRC, the right key authenticates every packet tried.
    const std::string ssrc = (*caller)["ssrc"];
    for (const std::string& spec : {"192.0.2.10:40000=" + k_caller_key, ssrc + "=" + k_caller_key}) {
        const json by_spec = audit({"--filter", "not port 5060", "--srtp-key", spec, k_sdes});
        const json* keyed = stream_from(by_spec, "192.0.2.10:40000");
        REQUIRE(keyed != nullptr);
        REQUIRE((*keyed)["srtp_checks"].size() == 1);
        CHECK((*keyed)["srtp_checks"][0]["source"] == "given");
        CHECK((*keyed)["srtp_checks"][0]["checked"].get<int>() > 0);
        CHECK((*keyed)["srtp_checks"][0]["authenticated"] == (*keyed)["srtp_checks"][0]["checked"]);
    }
    // The same key given both ways is tried once.
    const json given = audit({"--filter", "not port 5060", "--srtp-key", "192.0.2.10:40000=" + k_caller_key,
                              "--srtp-key", ssrc + "=" + k_caller_key, k_sdes});
    const json* checked = stream_from(given, "192.0.2.10:40000");
    REQUIRE(checked != nullptr);
    REQUIRE((*checked)["srtp_checks"].size() == 1);
    CHECK((*checked)["srtp_checks"][0]["authenticated"] == (*checked)["srtp_checks"][0]["checked"]);

    // --verify-all tries every packet of the stream, and says so.
    const json every =
        audit({"--filter", "not port 5060", "--verify-all", "--srtp-key", "192.0.2.10:40000=" + k_caller_key, k_sdes});
    const json* all = stream_from(every, "192.0.2.10:40000");
    REQUIRE(all != nullptr);
    REQUIRE((*all)["srtp_checks"].size() == 1);
    CHECK((*all)["srtp_checks"][0]["coverage"] == "every-packet");
    CHECK((*all)["srtp_checks"][0]["checked"] == (*all)["packets"]);
    CHECK((*all)["srtp_checks"][0]["authenticated"] == (*all)["packets"]);
    CHECK((*checked)["srtp_checks"][0]["coverage"] == "sample");

    // The key is shown only as its fingerprint, in the repeated command line too.
    CHECK(given.dump().find("VZHIHQUdr8og4iyk37TKgwxYtA9X9uIl6jAfoyjJ") == std::string::npos);
    CHECK(given["tool"]["command_line"].dump().find("AES_CM_128_HMAC_SHA1_80:(redacted)") != std::string::npos);

    // The callee's key does not authenticate what the caller sends.
    const json wrong = audit({"--filter", "not port 5060", "--srtp-key", "192.0.2.10:40000=" + k_callee_key, k_sdes});
    const json* failed = stream_from(wrong, "192.0.2.10:40000");
    REQUIRE(failed != nullptr);
    REQUIRE((*failed)["srtp_checks"].size() == 1);
    CHECK((*failed)["srtp_checks"][0]["authenticated"] == 0);
    CHECK((*failed)["srtp_checks"][0]["auth_failed"].get<int>() > 0);
}
