// The audio export end to end: the real SDES calls of tests/interop (made by linphone with Opus
// and by baresip with PCMU, each side playing the 440 Hz + 660 Hz tone of tests/interop/lib.sh's
// make_tone) decrypted by libsrtp2 and decoded to WAV files that hold that tone; a wrong key;
// a plain sample; a hostile stream.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numbers>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"
#include "zaudit/audio/export.hpp"
#include "zaudit/capture/reader.hpp"
#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/session/tracker.hpp"

using namespace zaudit;
using nlohmann::json;

namespace {

struct Wav {
    std::uint32_t rate = 0;
    std::vector<double> samples;
};

Wav read_wav(const std::string& path) {
    std::ifstream in{path, std::ios::binary};
    const std::vector<unsigned char> bytes{std::istreambuf_iterator<char>(in), {}};
    REQUIRE(bytes.size() >= 44);
    Wav wav;
    wav.rate = bytes[24] | (bytes[25] << 8U) | (bytes[26] << 16U) | (static_cast<std::uint32_t>(bytes[27]) << 24U);
    for (std::size_t i = 44; i + 1 < bytes.size(); i += 2) {
        wav.samples.push_back(static_cast<std::int16_t>(bytes[i] | (bytes[i + 1] << 8U)));
    }
    return wav;
}

/// Goertzel: the power of `samples` at `frequency` Hz.
double goertzel(const std::vector<double>& samples, std::size_t from, std::size_t count, double frequency,
                std::uint32_t rate) {
    const double coefficient = 2 * std::cos(2 * std::numbers::pi * frequency / rate);
    double s1 = 0;
    double s2 = 0;
    for (std::size_t i = from; i < from + count; ++i) {
        const double s0 = samples[i] + coefficient * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
}

/// The strongest frequency of one second from the middle of the file, searched from 100 Hz to
/// 3 kHz in 10 Hz steps.
double dominant_frequency(const Wav& wav) {
    REQUIRE(wav.samples.size() >= 2 * wav.rate);
    const std::size_t from = wav.samples.size() / 2 - wav.rate / 2;
    double best = 0;
    double best_power = -1;
    for (double f = 100; f <= 3000; f += 10) {
        const double power = goertzel(wav.samples, from, wav.rate, f, wav.rate);
        if (power > best_power) {
            best_power = power;
            best = f;
        }
    }
    return best;
}

/// How much stronger the tone's 660 Hz is than a frequency the tone does not have (1 kHz).
double tone_contrast(const Wav& wav) {
    const std::size_t from = wav.samples.size() / 2 - wav.rate / 2;
    return goertzel(wav.samples, from, wav.rate, 660, wav.rate) /
           std::max(1.0, goertzel(wav.samples, from, wav.rate, 1000, wav.rate));
}

json read_manifest(const test::TempDir& dir) {
    std::ifstream in{dir.file("manifest.json")};
    REQUIRE(in);
    return json::parse(in);
}

void check_call_exports_tone(const std::string& capture, const std::string& codec, std::uint32_t rate,
                             std::uint64_t srtcp_at_least) {
    test::TempDir dir;
    const auto run = test::run_cli({"export", "--audio", dir.file(""), test::source_path(capture)});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    const json manifest = read_manifest(dir);
    CHECK(manifest["schema"] == "zaudit-audio/1");
    REQUIRE(manifest["exports"].size() == 1);
    const json& entry = manifest["exports"][0];
    CHECK(entry["inputs"][0]["sha256"].get<std::string>().size() == 64);
    std::size_t exported = 0;
    std::uint64_t srtcp = 0;
    for (const json& stream : entry["streams"]) {
        INFO(stream.dump());
        REQUIRE(stream.contains("file"));
        ++exported;
        CHECK(stream["codec"] == codec);
        CHECK(stream["sample_rate"] == rate);
        CHECK(stream["protection"] == "srtp");
        CHECK(stream["key_source"] == "sdp");
        const auto read = stream["packets"]["read"].get<double>();
        const auto decrypted = stream["packets"]["decrypted"].get<double>();
        CHECK(read > 200);
        CHECK(decrypted >= 0.99 * read);  // libsrtp2 authenticated and decrypted at least 99 %
        CHECK(stream["srtcp"]["failed"] == 0);
        srtcp += stream["srtcp"]["authenticated"].get<std::uint64_t>();
        const Wav wav = read_wav(dir.file(stream["file"].get<std::string>()));
        CHECK(wav.rate == rate);
        CHECK(dominant_frequency(wav) == Approx(440).margin(10));
        CHECK(tone_contrast(wav) > 100);
    }
    CHECK(exported == 2);
    CHECK(srtcp >= srtcp_at_least);
    // The report's SDES finding cites the export.
    const auto audit = test::run_cli(
        {"--format", "json", "--fail-on", "none", "--export-audio", dir.file("again"), test::source_path(capture)});
    REQUIRE(audit.exit_code == 0);
    const json report = json::parse(audit.out);
    bool cited = false;
    for (const json& finding : report["findings"]) {
        if (finding["rule"] == "sdes.key-exposed" &&
            finding["message"].get<std::string>().find("packets to audio") != std::string::npos) {
            cited = true;
            for (const json& s : finding["evidence"]["srtp_streams"]) {
                if (s.contains("decrypted_to_audio")) {
                    CHECK(s["decrypted_to_audio"].get<std::uint64_t>() > 200);
                    CHECK(s.contains("srtcp_authenticated"));
                }
            }
        }
    }
    CHECK(cited);
}

/// The model of a capture file, as the audit makes it.
session::Model audit_model(const std::string& path) {
    auto reader = capture::Reader::open({capture::Source::file(path)});
    REQUIRE(reader);
    session::Tracker tracker;
    while (auto frame = reader->next()) {
        tracker.on_frame(*frame);
    }
    std::vector<capture::InputInfo> inputs = reader->inputs();
    return std::move(tracker).finish(std::move(inputs), false);
}

}  // namespace

TEST_CASE("export: linphone's SDES call (Opus) decrypts to WAV files holding its 440 Hz tone") {
    check_call_exports_tone("tests/interop/sdes-linphone.pcap", "opus", 48000, 1);
}

TEST_CASE("export: baresip's SDES call (PCMU) decrypts to WAV files holding its 440 Hz tone") {
    check_call_exports_tone("tests/interop/sdes-baresip.pcap", "pcmu", 8000, 2);
}

TEST_CASE("export: a wrong SDES key decrypts nothing, writes no audio and counts every failure") {
    const std::string capture = test::source_path("tests/interop/sdes-baresip.pcap");
    session::Model model = audit_model(capture);
    for (auto& call : model.calls) {
        for (auto& sdp : call.sdps) {
            for (auto& media : sdp.media) {
                for (auto& key : media.cryptos) {
                    key.key_salt[0] ^= 0x01U;  // one bit off: the key no longer matches
                }
            }
        }
    }
    test::TempDir dir;
    auto exported = audio::export_streams(model, {capture::Source::file(capture)}, {dir.file(""), "", {}});
    REQUIRE(exported);
    REQUIRE(exported->size() == 2);
    for (const auto& stream : *exported) {
        CHECK(stream.decrypted == 0);
        CHECK(stream.decrypt_failed == stream.packets);
        CHECK(stream.packets > 200);
        CHECK(stream.srtcp_authenticated == 0);
        CHECK(stream.file.empty());
    }
    CHECK(std::distance(std::filesystem::directory_iterator(dir.file("")), {}) == 0);
}

TEST_CASE("export: a plain RTP sample call is written without a key") {
    test::TempDir dir;
    const auto run =
        test::run_cli({"export", "--audio", dir.file(""), test::source_path("samples/sip-plain-call.pcap")});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    const json manifest = read_manifest(dir);
    std::size_t files = 0;
    for (const json& stream : manifest["exports"][0]["streams"]) {
        if (stream.contains("file") && !stream["file"].is_null()) {
            ++files;
            CHECK(stream["protection"] == "none");
            CHECK(!stream.contains("key_fingerprint"));
            CHECK(stream["packets"]["decoded"] == stream["packets"]["read"]);
            CHECK(std::filesystem::file_size(dir.file(stream["file"].get<std::string>())) ==
                  44 + 2 * stream["samples"].get<std::uint64_t>());
            // Names from numbers only.
            CHECK(stream["file"].get<std::string>().starts_with("call"));
        }
    }
    CHECK(files >= 1);
    CHECK(run.out.find("manifest:") != std::string::npos);
}

TEST_CASE("export: standard input, a pipe and a missing folder argument are refused before reading") {
    const auto stdin_run = test::run_cli({"export", "--audio", "/tmp/x", "-"});
    CHECK(stdin_run.exit_code == 2);
    CHECK(stdin_run.err.find("cannot be read again") != std::string::npos);
    test::TempDir dir;
    const auto fifo = dir.file("fifo");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const auto pipe_run = test::run_cli({"export", "--audio", dir.file("out"), fifo});
    CHECK(pipe_run.exit_code == 2);
    CHECK(pipe_run.err.find(fifo + " is a pipe and cannot be read again") != std::string::npos);
    CHECK(test::run_cli({"export", test::source_path("samples/sip-plain-call.pcap")}).exit_code == 2);
    CHECK(test::run_cli({"--audio", "/tmp/x", test::source_path("samples/sip-plain-call.pcap")}).exit_code == 2);
}

TEST_CASE("export: a stream of absurd sequence jumps writes no more sound than its packets last") {
    // 500 PCMU packets 20 ms apart whose sequence numbers jump by 200 (a loss the sequencer would
    // fill) and then far: the silence is bounded by the capture time, not by the jumps.
    gen::CaptureBuilder capture;
    const util::Endpoint a{util::IpAddress::v4(0xC0000201), 4000};
    const util::Endpoint b{util::IpAddress::v4(0xC0000202), 4000};
    std::uint16_t sequence = 0;
    for (std::uint32_t i = 0; i < 500; ++i) {
        std::vector<std::uint8_t> rtp{0x80,
                                      0x00,
                                      static_cast<std::uint8_t>(sequence >> 8U),
                                      static_cast<std::uint8_t>(sequence & 0xFFU),
                                      0,
                                      0,
                                      0,
                                      0,
                                      0x11,
                                      0x22,
                                      0x33,
                                      0x44};
        rtp.resize(12 + 160, 0xFF);
        capture.add_udp(util::Timestamp{1'700'000'000'000'000 + static_cast<std::int64_t>(i) * 20'000}, a, b, rtp);
        sequence = static_cast<std::uint16_t>(sequence + (i % 2 == 0 ? 200 : 31'000));
    }
    test::TempDir dir;
    const std::string path = dir.file("hostile.pcap");
    REQUIRE(capture.write_pcap(path));
    test::TempDir out;
    const auto run = test::run_cli({"export", "--audio", out.file(""), "--decode-as", "udp:4000=rtp", path});
    INFO(run.err + run.out);
    REQUIRE(run.exit_code == 0);
    const json manifest = read_manifest(out);
    REQUIRE(manifest["exports"][0]["streams"].size() == 1);
    const json& stream = manifest["exports"][0]["streams"][0];
    INFO(stream.dump());
    REQUIRE(stream["file"].is_string());
    CHECK(stream["packets"]["decoded"] == 500);
    // 500 packets over 10 s: at most 10 s of sound, silence included.
    CHECK(stream["samples"].get<std::uint64_t>() <= 500 * 160);
    CHECK(stream["gaps"]["resyncs"].get<std::uint64_t>() > 0);
}
