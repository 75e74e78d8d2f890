// A real call (sipp's uac_pcap and uas -rtp_echo) wrapped by scapy in the encapsulations that
// port mirrors, overlays and access links put around VoIP (tests/data/make_encapsulated_captures.py,
// each file checked with tshark): the audit sees through each to the same call as unwrapped.
#include <catch2/catch.hpp>

#include <sstream>

#include <nlohmann/json.hpp>

#include "support/temp_dir.hpp"
#include "zaudit/cli/cli.hpp"

using namespace zaudit;
using nlohmann::json;

namespace {

json audit(const std::string& name) {
    std::ostringstream out;
    std::ostringstream err;
    const std::string capture = test::source_path("tests/data/encapsulated/" + name + ".pcap");
    const int code = cli::run({"--format", "json", "--fail-on", "none", capture}, out, err);
    REQUIRE(code == 0);
    return json::parse(out.str());
}

/// What must not depend on the wrapping: calls, streams and findings with their frames.
json essence(const json& report) {
    json out = json::object();
    for (const auto& call : report["calls"]) {
        out["calls"].push_back({call["call_id"], call["from"], call["to"], call["media"], call["sip_messages"],
                                call["path"], call["verdict"]});
    }
    for (const auto& m : report["media"]) {
        out["media"].push_back({m["src"], m["dst"], m["ssrc"], m["packets"], m["protection"], m["codecs"]});
    }
    for (const auto& f : report["findings"]) {
        out["findings"].push_back({f["rule"], f["severity"], f["frames"], f["message"]});
    }
    return out;
}

}  // namespace

TEST_CASE("a call inside GRE, ERSPAN II and III, VXLAN, IP in IP, MPLS or PPPoE is the call unwrapped") {
    const json plain = essence(audit("plain"));
    REQUIRE(plain["calls"].size() == 1);
    REQUIRE(plain["media"].size() == 2);
    REQUIRE(plain["findings"].size() == 3);
    const std::string kind = GENERATE("gre", "gretap", "erspan2", "erspan3", "vxlan", "ipip", "mpls", "pppoe");
    INFO(kind);
    const json report = audit(kind);
    CHECK(essence(report) == plain);
    CHECK(report["decode"]["frames"]["ok"] == 66);
}
