// IAX2 from an implementation other than ours (tests/interop/make_iax2_iaxmodem.sh): Debian's
// iaxmodem, on its own libiax2, registers with a small peer and dials it. Everything zaudit says
// of the call is held against what tshark dissected (iax2-iaxmodem.facts.json). Moved to another
// port than 4569 (in a copy written at run time), the call is found through --decode-as only.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/temp_dir.hpp"
#include "zaudit/cli/cli.hpp"

using namespace zaudit;
using nlohmann::json;

namespace {

constexpr int k_iax_control = 6;
constexpr int k_new = 1;
constexpr int k_hangup = 5;
constexpr int k_accept = 7;
constexpr int k_regreq = 13;

const json* first_full(const json& facts, int subclass) {
    for (const json& frame : facts["iax2"]["full_frames"]) {
        if (frame["type"] == k_iax_control && frame.value("subclass", -1) == subclass) {
            return &frame;
        }
    }
    return nullptr;
}

json audit(const std::vector<std::string>& args) {
    std::ostringstream out;
    std::ostringstream err;
    std::vector<std::string> all{"--format", "json", "--fail-on", "none"};
    all.insert(all.end(), args.begin(), args.end());
    const int code = cli::run(all, out, err);
    CHECK(code == 0);
    return json::parse(out.str());
}

}  // namespace

TEST_CASE("iax2 interop: iaxmodem's registration is no call, its call is one, with tshark's numbers and voice") {
    std::ifstream in(test::source_path("tests/interop/iax2-iaxmodem.facts.json"));
    const json facts = json::parse(in);
    std::ostringstream out;
    std::ostringstream err;
    const int code = cli::run({"--format", "json", test::source_path("tests/interop/iax2-iaxmodem.pcap")}, out, err);
    CHECK(code == 1);  // plain voice: media.unencrypted is high
    const json report = json::parse(out.str());

    const json* regreq = first_full(facts, k_regreq);
    const json* call_new = first_full(facts, k_new);
    const json* accept = first_full(facts, k_accept);
    const json* hangup = first_full(facts, k_hangup);
    REQUIRE(regreq != nullptr);
    REQUIRE(call_new != nullptr);
    REQUIRE(accept != nullptr);
    REQUIRE(hangup != nullptr);

    REQUIRE(report["calls"].size() == 1);  // the REGREQ's call number carries no call
    const json& call = report["calls"][0];
    CHECK(call["protocol"] == "iax2");
    CHECK(call["from"] == (*call_new)["calling_number"]);
    CHECK(call["to"] == (*call_new)["called_number"]);
    const json& iax = call["iax2"];
    CHECK(iax["caller_call_number"] == (*call_new)["src_call"]);
    CHECK(iax["callee_call_number"] == (*accept)["src_call"]);
    CHECK(iax["accepted"] == true);
    CHECK((*accept)["format"] == 4);  // G.711 mu-law (RFC 5456 section 8.7)
    CHECK(iax["codecs"] == json::array({"ulaw"}));
    CHECK(iax["cause"] == (*hangup)["cause"]);
    CHECK(iax["encryption_offered"] == false);
    CHECK(iax["protection"] == "none");
    // Every voice frame, full and mini, of both call numbers: frame 26 is a mini frame that RFC
    // 3489 would also call STUN, and counts.
    const json& voice = facts["iax2"]["voice_frames_by_source_call"];
    const int expected = voice[std::to_string((*call_new)["src_call"].get<int>())].get<int>() +
                         voice[std::to_string((*accept)["src_call"].get<int>())].get<int>();
    CHECK(expected > 300);
    CHECK(iax["voice_frames"] == expected);
    CHECK(iax["encrypted_frames"] == 0);

    int unencrypted = 0;
    for (const json& f : report["findings"]) {
        if (f["rule"] == "media.unencrypted") {
            ++unencrypted;
            CHECK(f["call"] == 1);
            CHECK(f["evidence"]["protocol"] == "iax2");
            CHECK(f["evidence"]["voice_frames"] == expected);
        }
    }
    CHECK(unencrypted == 1);
    CHECK(report["media"].empty());  // no RTP invented from IAX2 mini frames
}

TEST_CASE("iax2 interop: on another port than 4569 the call is found through --decode-as udp:PORT=iax2") {
    std::ifstream in(test::source_path("tests/interop/iax2-iaxmodem.pcap"), std::ios::binary);
    std::vector<std::uint8_t> pcap{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    // Little-endian microsecond pcap of Ethernet/IPv4/UDP frames (tshark: all 419 are IAX2):
    // each UDP port 4569 (0x11d9) becomes 14569 (0x38e9). zaudit does not verify UDP checksums.
    std::size_t moved = 0;
    for (std::size_t at = 24; at + 16 <= pcap.size();) {
        const std::size_t captured = pcap[at + 8] | pcap[at + 9] << 8 | pcap[at + 10] << 16 | pcap[at + 11] << 24;
        REQUIRE(at + 16 + captured <= pcap.size());
        std::uint8_t* frame = pcap.data() + at + 16;
        const std::size_t udp = 14 + static_cast<std::size_t>(frame[14] & 0x0f) * 4;
        REQUIRE(frame[23] == 17);
        for (const std::size_t port : {udp, udp + 2}) {
            if (frame[port] == 0x11 && frame[port + 1] == 0xd9) {
                frame[port] = 0x38;
                frame[port + 1] = 0xe9;
                ++moved;
            }
        }
        at += 16 + captured;
    }
    CHECK(moved == 419);
    const test::TempDir dir;
    const std::string copy = dir.write("iax2-port-14569.pcap", {pcap.data(), pcap.size()});

    CHECK(audit({copy})["calls"].empty());  // IAX2 is not guessed on any port
    const json report = audit({"--decode-as", "udp:14569=iax2", copy});
    REQUIRE(report["calls"].size() == 1);
    CHECK(report["calls"][0]["protocol"] == "iax2");
    std::ifstream facts_in(test::source_path("tests/interop/iax2-iaxmodem.facts.json"));
    const json facts = json::parse(facts_in);
    int voice = 0;
    for (const auto& [call_number, frames] : facts["iax2"]["voice_frames_by_source_call"].items()) {
        voice += frames.get<int>();  // tshark's, on port 4569: here no other call is on the wire
    }
    CHECK(report["calls"][0]["iax2"]["voice_frames"] == voice);
    CHECK(report["calls"][0]["iax2"]["callee"] == "10.77.0.1:14569");
}
