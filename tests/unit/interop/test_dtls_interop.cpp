// DTLS-SRTP on the captures of real stacks (linphone, baresip; tests/interop/README.md): every
// certificate's fingerprint is the one tshark computed (dtls-*.facts.json) and the one the
// sender's SDP announced, so the call is verified; with one hex digit of an SDP a=fingerprint
// changed (in a copy written at run time), dtls.fingerprint-mismatch fires. With the DTLS records
// blanked out, the SRTP still reads like ciphertext: a handshake missed, not a downgrade.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/temp_dir.hpp"
#include "zaudit/cli/cli.hpp"

using namespace zaudit;
using nlohmann::json;

namespace {

json audit(const std::string& capture, int expected_code = 0) {
    std::ostringstream out;
    std::ostringstream err;
    const int code = cli::run({"--format", "json", "--fail-on", "high", capture}, out, err);
    CHECK(code == expected_code);
    return json::parse(out.str());
}

json facts_of(const std::string& name) {
    std::ifstream in(test::source_path("tests/interop/" + name + ".facts.json"));
    return json::parse(in);
}

std::vector<std::uint8_t> read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// tshark's "SRTP_AES128_CM_HMAC_SHA1_80 (0x0001)" without the number.
std::string profile_of(const json& fact) {
    const std::string text = fact.get<std::string>();
    return text.substr(0, text.find(' '));
}

std::size_t findings_of(const json& report, const std::string& rule) {
    return static_cast<std::size_t>(std::count_if(report["findings"].begin(), report["findings"].end(),
                                                  [&](const json& f) { return f["rule"] == rule; }));
}

/// Little-endian microsecond pcap of Ethernet frames (as tests/interop's captures are): calls
/// `edit` with each IPv4 UDP payload.
template <typename Edit>
void each_udp_payload(std::vector<std::uint8_t>& pcap, Edit edit) {
    const auto u32 = [&](std::size_t at) {
        return static_cast<std::uint32_t>(pcap[at] | pcap[at + 1] << 8 | pcap[at + 2] << 16 | pcap[at + 3] << 24);
    };
    REQUIRE(u32(0) == 0xa1b2c3d4);
    REQUIRE(u32(20) == 1);  // Ethernet
    for (std::size_t at = 24; at + 16 <= pcap.size();) {
        const std::size_t captured = u32(at + 8);
        REQUIRE(at + 16 + captured <= pcap.size());
        std::uint8_t* frame = pcap.data() + at + 16;
        if (captured > 34 && frame[12] == 0x08 && frame[13] == 0x00 && frame[23] == 17) {
            const std::size_t payload = 14 + static_cast<std::size_t>(frame[14] & 0x0f) * 4 + 8;
            if (payload < captured) {
                edit(frame + payload, captured - payload);
            }
        }
        at += 16 + captured;
    }
}

}  // namespace

TEST_CASE("dtls interop: linphone and baresip certificates match tshark's hashes and their SDP fingerprints") {
    for (const std::string name : {"dtls-linphone", "dtls-baresip"}) {
        INFO(name);
        const json facts = facts_of(name);
        const json report = audit(test::source_path("tests/interop/" + name + ".pcap"));
        // Two handshakes each: the RTP and the RTCP port (no rtcp-mux).
        REQUIRE(report["dtls"].size() == 2);
        std::set<std::string> fingerprints;
        for (const json& handshake : report["dtls"]) {
            INFO(handshake.dump());
            CHECK(handshake["call"] == 1);
            CHECK(handshake["version"] == "0xfefd");
            CHECK(handshake["completed"] == true);
            CHECK(handshake["verdict"] == "verified");
            CHECK(handshake["selected_profile"] == profile_of(facts["summary"]["dtls_srtp_profile_selected"][0]));
            std::set<std::string> offered;
            for (const json& p : facts["summary"]["dtls_srtp_profiles"]) {
                offered.insert(profile_of(p));
            }
            CHECK(handshake["offered_profiles"].get<std::set<std::string>>() == offered);
            REQUIRE(handshake["certificates"].size() == 2);
            for (const json& certificate : handshake["certificates"]) {
                CHECK(certificate["verdict"] == "verified");
                CHECK(certificate["hash_function"] == "sha-256");
                CHECK(certificate["sdp_matched_by"] == "address");
                fingerprints.insert(certificate["fingerprint"].get<std::string>());
            }
        }
        CHECK(report["dtls"][0]["client"] == facts["summary"]["dtls_client"]);
        CHECK(fingerprints == facts["summary"]["dtls_certificate_sha256"].get<std::set<std::string>>());
        CHECK(findings_of(report, "dtls.fingerprint-mismatch") == 0);
        CHECK(findings_of(report, "call.security-downgraded") == 0);
        CHECK(report["calls"][0]["verdict"]["protection"] == "dtls-srtp-verified");
        CHECK(report["calls"][0]["dtls_handshakes"] == json::array({1, 2}));
    }
}

TEST_CASE("dtls interop: one hex digit of the offer's a=fingerprint changed is a critical mismatch") {
    const json facts = facts_of("dtls-linphone");
    std::vector<std::uint8_t> bytes = read_bytes(test::source_path("tests/interop/dtls-linphone.pcap"));
    // The INVITE's (frame 1) fingerprint, of the caller 10.77.0.1: its first digit 0 becomes 1.
    // Clear text, same length; zaudit does not verify UDP checksums.
    const std::string needle = "fingerprint:SHA-256 05:8D:31";
    const auto at = std::search(bytes.begin(), bytes.end(), needle.begin(), needle.end());
    REQUIRE(at != bytes.end());
    REQUIRE(std::search(at + 1, bytes.end(), needle.begin(), needle.end()) == bytes.end());
    *(at + static_cast<std::ptrdiff_t>(std::string{"fingerprint:SHA-256 "}.size())) = '1';
    const test::TempDir dir;
    const std::string copy = dir.write("dtls-linphone-edited.pcap", {bytes.data(), bytes.size()});

    const json report = audit(copy, 1);
    // The caller's certificate on both ports (RTP and RTCP handshakes); the callee's still matches.
    REQUIRE(findings_of(report, "dtls.fingerprint-mismatch") == 2);
    for (const json& f : report["findings"]) {
        if (f["rule"] != "dtls.fingerprint-mismatch") {
            continue;
        }
        INFO(f.dump());
        CHECK(f["severity"] == "critical");
        CHECK(f["confidence"] == "verified");
        CHECK(f["call"] == 1);
        CHECK(f["evidence"]["sender"].get<std::string>().starts_with("10.77.0.1:"));
        CHECK(f["evidence"]["role"] == "server");
        CHECK(f["evidence"]["computed"] == facts["summary"]["dtls_certificate_sha256"][0]);
        CHECK(f["evidence"]["announced"].get<std::string>().ends_with(
            " 15:8D:31:E0:1A:9B:AA:22:A6:48:66:65:97:32:C0:12:7E:CB:88:6E:4E:FB:E7:D5:14:78:32:15:F7:FF:8F:D6"));
        CHECK(f["evidence"]["sdp_frame"] == 1);
        CHECK(std::find(f["frames"].begin(), f["frames"].end(), json(1)) != f["frames"].end());
    }
    CHECK(report["calls"][0]["verdict"]["protection"] == "dtls-srtp-failed");
    for (const json& handshake : report["dtls"]) {
        CHECK(handshake["verdict"] == "mismatch");
    }
}

TEST_CASE("dtls interop: DTLS records missing from the capture are no downgrade while the SRTP reads like ciphertext") {
    std::vector<std::uint8_t> bytes = read_bytes(test::source_path("tests/interop/dtls-linphone.pcap"));
    // Every DTLS record's content type (20-23, then version 0xfe..) becomes 0xff: a datagram of
    // no known protocol, as if the capture had begun after the handshakes.
    std::size_t blanked = 0;
    each_udp_payload(bytes, [&](std::uint8_t* payload, std::size_t size) {
        if (size >= 13 && payload[0] >= 20 && payload[0] <= 23 && payload[1] == 0xfe) {
            payload[0] = 0xff;
            ++blanked;
        }
    });
    CHECK(blanked > 10);  // both handshakes (RTP and RTCP port), both ways
    const test::TempDir dir;
    const json report = audit(dir.write("dtls-linphone-no-dtls.pcap", {bytes.data(), bytes.size()}));
    CHECK(report["dtls"].empty());
    CHECK(findings_of(report, "call.security-downgraded") == 0);
    CHECK(findings_of(report, "media.unencrypted") == 0);
    REQUIRE_FALSE(report["media"].empty());
    for (const json& stream : report["media"]) {
        INFO(stream["id"]);
        CHECK(stream["protection"] == "dtls-srtp");
    }
}
