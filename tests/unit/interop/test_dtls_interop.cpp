// DTLS-SRTP on the captures of real stacks (linphone, baresip; tests/interop/README.md): every
// certificate's fingerprint is the one tshark computed (dtls-*.facts.json) and the one the
// sender's SDP announced, so the call is verified; with one hex digit of an SDP a=fingerprint
// changed (in a copy written at run time), dtls.fingerprint-mismatch fires. With the DTLS records
// blanked out, the SRTP still reads like ciphertext: a handshake missed, not a downgrade.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

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

constexpr std::uint8_t k_client_hello = 1;  // handshake types (RFC 5246 section 7.4)
constexpr std::uint8_t k_certificate = 11;

/// A pcap record: its 16-byte header and its frame.
struct PcapRecord {
    std::uint64_t micros = 0;
    std::vector<std::uint8_t> bytes;
};

std::uint32_t le32(const std::uint8_t* at) {
    return static_cast<std::uint32_t>(at[0] | at[1] << 8 | at[2] << 16 | at[3] << 24);
}

void put_le32(std::uint8_t* at, std::uint32_t value) {
    for (int i = 0; i < 4; ++i) {
        at[i] = static_cast<std::uint8_t>(value >> (8 * i));
    }
}

/// The records of a little-endian microsecond pcap of Ethernet frames (as tests/interop's
/// captures are).
std::vector<PcapRecord> read_records(const std::vector<std::uint8_t>& pcap) {
    REQUIRE(pcap.size() >= 24);
    REQUIRE(le32(pcap.data()) == 0xa1b2c3d4);
    REQUIRE(le32(pcap.data() + 20) == 1);  // Ethernet
    std::vector<PcapRecord> records;
    for (std::size_t at = 24; at + 16 <= pcap.size();) {
        const std::size_t captured = le32(pcap.data() + at + 8);
        REQUIRE(at + 16 + captured <= pcap.size());
        PcapRecord record;
        record.micros = std::uint64_t{le32(pcap.data() + at)} * 1'000'000 + le32(pcap.data() + at + 4);
        record.bytes.assign(pcap.begin() + static_cast<std::ptrdiff_t>(at),
                            pcap.begin() + static_cast<std::ptrdiff_t>(at + 16 + captured));
        records.push_back(std::move(record));
        at += 16 + captured;
    }
    return records;
}

/// `pcap`'s file header, then `records`.
std::vector<std::uint8_t> write_records(const std::vector<std::uint8_t>& pcap, const std::vector<PcapRecord>& records) {
    std::vector<std::uint8_t> out(pcap.begin(), pcap.begin() + 24);
    for (const PcapRecord& record : records) {
        out.insert(out.end(), record.bytes.begin(), record.bytes.end());
    }
    return out;
}

/// The IPv4 UDP payload of an Ethernet frame, or nullptr.
std::uint8_t* udp_payload(PcapRecord& record, std::size_t& size) {
    const std::size_t captured = record.bytes.size() - 16;
    std::uint8_t* frame = record.bytes.data() + 16;
    if (captured <= 34 || frame[12] != 0x08 || frame[13] != 0x00 || frame[23] != 17) {
        return nullptr;
    }
    const std::size_t payload = 14 + static_cast<std::size_t>(frame[14] & 0x0f) * 4 + 8;
    if (payload >= captured) {
        return nullptr;
    }
    size = captured - payload;
    return frame + payload;
}

/// Calls `edit` with each IPv4 UDP payload of `pcap`.
template <typename Edit>
void each_udp_payload(std::vector<std::uint8_t>& pcap, Edit edit) {
    std::vector<PcapRecord> records = read_records(pcap);
    for (PcapRecord& record : records) {
        std::size_t size = 0;
        if (std::uint8_t* payload = udp_payload(record, size)) {
            edit(payload, size);
        }
    }
    pcap = write_records(pcap, records);
}

/// Each DTLS record in clear (epoch 0) of a handshake message in one fragment: `edit(record,
/// msg_type)`, `record` pointing at its 13-byte header.
template <typename Edit>
void each_dtls_message(std::uint8_t* payload, std::size_t size, Edit edit) {
    for (std::size_t at = 0; at + 25 <= size;) {
        const std::size_t length = static_cast<std::size_t>(payload[at + 11] << 8 | payload[at + 12]);
        if (at + 13 + length > size) {
            return;
        }
        const std::uint8_t* h = payload + at + 13;
        const std::uint32_t message_length = static_cast<std::uint32_t>(h[1] << 16 | h[2] << 8 | h[3]);
        const std::uint32_t fragment_offset = static_cast<std::uint32_t>(h[6] << 16 | h[7] << 8 | h[8]);
        const bool epoch0 = payload[at + 3] == 0 && payload[at + 4] == 0;
        if (payload[at] == 22 && epoch0 && fragment_offset == 0 && message_length + 12 == length) {
            edit(payload + at, h[0]);
        }
        at += 13 + length;
    }
}

/// dtls-linphone.pcap with the DTLS datagrams of its first handshake's flow sent again 2 s
/// later, mid-call, each edited by `edit(payload, size)` and kept if it returns true; records
/// stay in time order.
template <typename Edit>
std::vector<std::uint8_t> with_handshake_replayed(Edit edit) {
    const std::vector<std::uint8_t> original = read_bytes(test::source_path("tests/interop/dtls-linphone.pcap"));
    std::vector<PcapRecord> records = read_records(original);
    constexpr std::uint64_t k_later = 2'000'000;
    std::optional<std::pair<std::uint16_t, std::uint16_t>> ports;  // of the first DTLS datagram
    std::vector<PcapRecord> replayed;
    for (PcapRecord& record : records) {
        std::size_t size = 0;
        std::uint8_t* payload = udp_payload(record, size);
        if (payload == nullptr || size < 13 || payload[0] < 20 || payload[0] > 22 || payload[1] != 0xfe) {
            continue;
        }
        const std::uint8_t* udp = payload - 8;
        const std::pair<std::uint16_t, std::uint16_t> these{static_cast<std::uint16_t>(udp[0] << 8 | udp[1]),
                                                            static_cast<std::uint16_t>(udp[2] << 8 | udp[3])};
        if (!ports) {
            ports = these;
        }
        if (these != *ports && these != std::pair{ports->second, ports->first}) {
            continue;
        }
        PcapRecord copy = record;
        copy.micros += k_later;
        put_le32(copy.bytes.data(), static_cast<std::uint32_t>(copy.micros / 1'000'000));
        put_le32(copy.bytes.data() + 4, static_cast<std::uint32_t>(copy.micros % 1'000'000));
        std::uint8_t* copied = udp_payload(copy, size);
        if (edit(copied, size)) {
            replayed.push_back(std::move(copy));
        }
    }
    REQUIRE_FALSE(replayed.empty());
    REQUIRE(replayed.back().micros < records.back().micros);  // before the call ends
    std::move(replayed.begin(), replayed.end(), std::back_inserter(records));
    std::stable_sort(records.begin(), records.end(),
                     [](const PcapRecord& a, const PcapRecord& b) { return a.micros < b.micros; });
    return write_records(original, records);
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

TEST_CASE("dtls interop: a second association on the flow has its certificates checked too") {
    // The first handshake again, 2 s later on the same addresses, with another ClientHello random
    // (a new association, as after a re-INVITE that changed a=fingerprint) and the first
    // Certificate's last byte (in its signature) changed: a certificate the SDP never announced.
    bool certificate_changed = false;
    const std::vector<std::uint8_t> bytes = with_handshake_replayed([&](std::uint8_t* payload, std::size_t size) {
        each_dtls_message(payload, size, [&](std::uint8_t* record, std::uint8_t msg_type) {
            if (msg_type == k_client_hello) {
                record[13 + 12 + 2 + 5] ^= 0x01;  // a byte of the ClientHello's random
            } else if (msg_type == k_certificate && !certificate_changed) {
                const std::size_t length = static_cast<std::size_t>(record[11] << 8 | record[12]);
                record[13 + length - 1] ^= 0x01;
                certificate_changed = true;
            }
        });
        return true;
    });
    REQUIRE(certificate_changed);
    const test::TempDir dir;
    const json report = audit(dir.write("dtls-linphone-reassociated.pcap", {bytes.data(), bytes.size()}), 1);
    // The RTP port's handshake, the RTCP port's, then the new one on the RTP port's flow.
    REQUIRE(report["dtls"].size() == 3);
    const json& again = report["dtls"][2];
    INFO(again.dump());
    CHECK(again["flow"] == report["dtls"][0]["flow"]);
    CHECK(again["call"] == 1);
    CHECK(again["completed"] == true);
    CHECK(again["verdict"] == "mismatch");
    CHECK(again["client_hello_frame"] > report["dtls"][0]["client_hello_frame"]);
    CHECK(report["dtls"][0]["verdict"] == "verified");
    CHECK(report["dtls"][0]["retransmitted_fragments"] == 0);
    CHECK(findings_of(report, "dtls.fingerprint-mismatch") == 1);
    CHECK(report["calls"][0]["verdict"]["protection"] == "dtls-srtp-failed");
    CHECK(report["calls"][0]["dtls_handshakes"] == json::array({1, 2, 3}));
}

TEST_CASE("dtls interop: the same handshake's datagrams again are retransmissions, not an association") {
    // Byte for byte (a duplicate, as merged captures or a retransmitting stack give): the same
    // ClientHello random, so the same handshake, whose messages are already complete.
    const std::vector<std::uint8_t> bytes = with_handshake_replayed([](std::uint8_t*, std::size_t) { return true; });
    const test::TempDir dir;
    const json report = audit(dir.write("dtls-linphone-duplicated.pcap", {bytes.data(), bytes.size()}));
    REQUIRE(report["dtls"].size() == 2);
    CHECK(report["dtls"][0]["verdict"] == "verified");
    CHECK(report["dtls"][0]["retransmitted_fragments"] > 0);
    CHECK(findings_of(report, "dtls.fingerprint-mismatch") == 0);
    CHECK(report["calls"][0]["verdict"]["protection"] == "dtls-srtp-verified");
}

TEST_CASE("dtls interop: a ClientHello of another association that comes to nothing leaves the call verified") {
    // Only the ClientHello again, with another random: anyone on the path can send one. It begins
    // a handshake of its own, which never completes, and the media stays keyed by the first.
    const std::vector<std::uint8_t> bytes = with_handshake_replayed([](std::uint8_t* payload, std::size_t size) {
        bool client_hello = false;
        each_dtls_message(payload, size, [&](std::uint8_t* record, std::uint8_t msg_type) {
            if (msg_type == k_client_hello) {
                record[13 + 12 + 2 + 5] ^= 0x01;
                client_hello = true;
            }
        });
        return client_hello;
    });
    const test::TempDir dir;
    const json report = audit(dir.write("dtls-linphone-hello-again.pcap", {bytes.data(), bytes.size()}));
    REQUIRE(report["dtls"].size() == 3);
    CHECK(report["dtls"][2]["completed"] == false);
    CHECK(report["dtls"][2]["flow"] == report["dtls"][0]["flow"]);
    CHECK(report["dtls"][2]["certificates"].empty());
    CHECK(findings_of(report, "call.security-downgraded") == 0);
    CHECK(findings_of(report, "media.unencrypted") == 0);
    CHECK(report["calls"][0]["verdict"]["protection"] == "dtls-srtp-verified");
    for (const json& stream : report["media"]) {
        INFO(stream["id"]);
        CHECK(stream["protection"] == "dtls-srtp");
    }
}
