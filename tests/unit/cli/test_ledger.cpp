// The ZID ledger is known_hosts for ZRTP: a changed ZID stays a conflict on every run until the
// user accepts it (`zaudit ledger accept`), and entries can be listed and forgotten.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"
#include "zaudit/cli/cli.hpp"

using namespace zaudit;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::size_t zid_conflicts(const std::string& ledger, const std::string& capture) {
    const auto doc = nlohmann::json::parse(test::run_cli({"--format", "json", "--ledger", ledger, capture}).out);
    return static_cast<std::size_t>(std::count_if(doc["findings"].begin(), doc["findings"].end(), [](const auto& f) {
        return f["rule"] == "zrtp.zid-conflict" && f["evidence"]["kind"] == "zid_changed_since_ledger";
    }));
}

// tshark: in tests/interop/zrtp-linphone.pcap bob (10.77.0.2) sends ZID 36fd6c4701697a963cacca0d.
const std::string k_call = test::source_path("tests/interop/zrtp-linphone.pcap");
const std::string k_bob_zid = "36fd6c4701697a963cacca0d";

}  // namespace

TEST_CASE("a changed ZID stays a conflict across runs until it is accepted") {
    test::TempDir dir;
    const std::string ledger = dir.file("ledger.txt");
    REQUIRE(test::run_cli({"--fail-on", "none", "--ledger", ledger, k_call}).exit_code == 0);
    // Bob was known with another ZID before this capture.
    std::string edited = read_file(ledger);
    edited.replace(edited.find(k_bob_zid), 24, "000000000000000000000000");
    std::ofstream(ledger) << edited;

    CHECK(zid_conflicts(ledger, k_call) == 1);
    CHECK(zid_conflicts(ledger, k_call) == 1);  // still there: seeing it again is no consent
    CHECK_THAT(read_file(ledger), Catch::Contains(k_bob_zid + "\tsip:bob@10.77.0.2\tBZRTPv1.1"));
    CHECK_THAT(read_file(ledger), Catch::Contains("\tpending\n"));

    const auto listed = test::run_cli({"ledger", "list", "--ledger", ledger});
    CHECK(listed.exit_code == 0);
    CHECK_THAT(listed.out, Catch::Contains(k_bob_zid + "  pending  sip:bob@10.77.0.2"));
    CHECK_THAT(listed.out, Catch::Contains("000000000000000000000000  known    sip:bob@10.77.0.2"));

    REQUIRE(test::run_cli({"ledger", "accept", "sip:bob@10.77.0.2", "--ledger", ledger}).exit_code == 0);
    CHECK(zid_conflicts(ledger, k_call) == 0);
    CHECK(read_file(ledger).find("000000000000000000000000") == std::string::npos);  // the old ZID is gone
    CHECK(test::run_cli({"ledger", "accept", k_bob_zid, "--ledger", ledger}).exit_code == cli::k_exit_usage);
}

TEST_CASE("ledger forget drops an identity, and misuse is a usage error") {
    test::TempDir dir;
    const std::string ledger = dir.file("ledger.txt");
    REQUIRE(test::run_cli({"--fail-on", "none", "--ledger", ledger, k_call}).exit_code == 0);
    CHECK(test::run_cli({"ledger", "forget", k_bob_zid, "--ledger", ledger}).exit_code == 0);
    CHECK(read_file(ledger).find(k_bob_zid) == std::string::npos);
    CHECK(test::run_cli({"ledger", "forget", k_bob_zid, "--ledger", ledger}).exit_code == cli::k_exit_usage);
    CHECK(test::run_cli({"ledger", "list"}).exit_code == cli::k_exit_usage);  // no --ledger
    CHECK(test::run_cli({"ledger", "accept", "--ledger", ledger}).exit_code == cli::k_exit_usage);
    CHECK(test::run_cli({"ledger", "purge", "x", "--ledger", ledger}).exit_code == cli::k_exit_usage);
}
