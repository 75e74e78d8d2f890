// Text from a capture is written by whoever controls the network: a Call-ID, From, User-Agent or
// SDP line may hold terminal escapes, markup or bytes that are not UTF-8. Every format must show
// them escaped, and never die on them (exit 3 would switch a CI gate off).
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"
#include "zaudit/cli/cli.hpp"
#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/gen/sip_builder.hpp"
#include "zaudit/util/escape.hpp"

using namespace zaudit;

namespace {

/// Every byte 0x00-0xFF except CR and LF (which end a SIP header line, so cannot be inside one),
/// plus a screen-clearing escape and live markup.
std::string hostile_text() {
    std::string text = "evil\x1b[2J<img src=x onerror=alert(1)>|*_`[x](y)";
    for (int byte = 0; byte < 256; ++byte) {
        if (byte != '\r' && byte != '\n') {
            text += static_cast<char>(byte);
        }
    }
    return text;
}

std::string hostile_capture(const test::TempDir& dir) {
    const util::Endpoint alice{*util::IpAddress::parse("192.0.2.10"), 5060};
    const util::Endpoint bob{*util::IpAddress::parse("198.51.100.20"), 5060};
    const std::string evil = hostile_text();
    const std::string sdp = "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=" + evil +
                            "\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=tool:" + evil + "\r\n";
    auto common = [&](gen::SipWriter message) {
        message.header("Via", "SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK" + evil)
            .header("From", "\"" + evil + "\" <sip:alice@192.0.2.10>;tag=a" + evil)
            .header("To", "<sip:" + evil + "@198.51.100.20>")
            .header("Call-ID", evil)
            .header("CSeq", "1 INVITE")
            .header("User-Agent", evil);
        return message;
    };
    gen::CaptureBuilder capture{gen::Framing{}};
    const std::string invite = common(gen::SipWriter::request("INVITE", "sip:bob@198.51.100.20"))
                                   .header("Proxy-Authorization", "Digest username=\"" + evil + "\", realm=" + evil +
                                                                      ", uri=\"" + evil + "\", response=\"0a1b\"")
                                   .body("application/sdp", sdp)
                                   .text();
    const std::string ok = common(gen::SipWriter::response(200, "OK " + evil)).body("application/sdp", sdp).text();
    capture.add_udp(util::Timestamp{1'800'000'000'000'000}, alice, bob, util::as_bytes(invite));
    capture.add_udp(util::Timestamp{1'800'000'000'100'000}, bob, alice, util::as_bytes(ok));
    const auto path = dir.file("hostile.pcap");
    REQUIRE(capture.write_pcap(path).ok());
    return path;
}

/// No byte a terminal acts on: C0 controls other than newline, DEL, and C1 (as UTF-8 C2 80-9F).
void check_no_control_bytes(const std::string& text) {
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        INFO("byte " << i << ": " << static_cast<int>(byte));
        CHECK((byte >= 0x20 || byte == '\n'));
        CHECK(byte != 0x7f);
        if (byte == 0xc2 && i + 1 < text.size()) {
            CHECK(static_cast<unsigned char>(text[i + 1]) > 0x9f);
        }
    }
}

}  // namespace

TEST_CASE("printable escapes control bytes, backslashes and invalid UTF-8, and nothing else") {
    CHECK(util::printable("sip:alice@example.com") == "sip:alice@example.com");
    CHECK(util::printable("caf\xc3\xa9 \xe2\x82\xac") == "caf\xc3\xa9 \xe2\x82\xac");  // é and € stay
    CHECK(util::printable("a\x1b[2Jb") == "a\\x1B[2Jb");
    CHECK(util::printable(std::string_view{"a\0b", 3}) == "a\\x00b");
    CHECK(util::printable("\xff\xfe") == "\\xFF\\xFE");
    CHECK(util::printable("back\\slash") == "back\\\\slash");
    CHECK(util::printable("\xc2\x9b"
                          "31m") == "\\xC2\\x9B31m");             // C1 CSI
    CHECK(util::printable("\xc0\xaf") == "\\xC0\\xAF");           // overlong '/'
    CHECK(util::printable("\xed\xa0\x80") == "\\xED\\xA0\\x80");  // a UTF-16 surrogate
    CHECK(util::printable("\xe2\x82") == "\\xE2\\x82");           // cut short
    CHECK(util::is_printable("plain"));
    CHECK_FALSE(util::is_printable("\x7f"));
}

TEST_CASE("is_printable judges what follows a run of plain ASCII as it judges a whole string") {
    // The ASCII run is skipped before UTF-8 decoding: whatever comes after it must still count.
    CHECK(util::is_printable(""));
    CHECK(util::is_printable("sip:bob@example.com caf\xc3\xa9"));
    CHECK_FALSE(util::is_printable("user\\name"));
    CHECK_FALSE(util::is_printable("abc~\x7f"));
    CHECK_FALSE(util::is_printable("abc\x1b[2J"));
    CHECK_FALSE(util::is_printable(std::string_view{"abc\0", 4}));
    CHECK_FALSE(util::is_printable("abc\xc2\x9b"));  // C1 CSI after the run
    CHECK_FALSE(util::is_printable("abc\xe2\x82"));  // cut short after the run
    CHECK_FALSE(util::is_printable("abc\xff"));
}

TEST_CASE("a hostile Call-ID, From, User-Agent and SDP are escaped in every format") {
    test::TempDir dir;
    const std::string capture = hostile_capture(dir);
    for (const std::string format : {"text", "json", "jsonl", "sarif", "markdown", "html"}) {
        INFO(format);
        const auto r = test::run_cli({"--format", format, "--color", "never", capture});
        CHECK((r.exit_code == 0 || r.exit_code == 1));
        REQUIRE_FALSE(r.out.empty());
        check_no_control_bytes(r.out);
        CHECK(r.out.find("\x1b") == std::string::npos);
        if (format == "json" || format == "sarif") {
            const auto doc = nlohmann::json::parse(r.out);              // throws on invalid UTF-8
            CHECK(doc.dump().find("\\\\x1B[2J") != std::string::npos);  // shown, escaped
        }
        if (format == "html") {  // the capture's markup is text; tests/browser checks it in Chromium
            CHECK(r.out.find("<img") == std::string::npos);
            CHECK(r.out.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
            CHECK(r.out.find("\\x1B[2J") != std::string::npos);
        }
        if (format == "jsonl") {
            std::istringstream lines(r.out);
            for (std::string line; std::getline(lines, line);) {
                CHECK_NOTHROW(nlohmann::json::parse(line));
            }
        }
    }
    for (const std::string command : {"calls", "zrtp"}) {
        const auto r = test::run_cli({command, capture});
        CHECK(r.exit_code == 0);
        check_no_control_bytes(r.out);
    }
    const auto text = test::run_cli({"--color", "never", "--verbose", capture}).out;
    CHECK(text.find("sip.cleartext-credentials") != std::string::npos);  // its user name, realm and uri escaped
    CHECK(text.find("\\x1B[2J") != std::string::npos);
    CHECK(text.find("\\xFF") != std::string::npos);
}

namespace {

/// What GitHub would show for `markdown`: cmark-gfm (scripts/deps) with its table extension.
std::string render_gfm(test::TempDir& dir, const std::string& markdown) {
    const auto path = dir.write("report.md", util::as_bytes(markdown));
    std::string html;
    const std::unique_ptr<FILE, int (*)(FILE*)> pipe{::popen(("cmark-gfm -e table " + path).c_str(), "r"), ::pclose};
    REQUIRE(pipe != nullptr);
    std::array<char, 4096> buffer{};
    for (std::size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), pipe.get())) > 0;) {
        html.append(buffer.data(), n);
    }
    return html;
}

}  // namespace

TEST_CASE("the markdown report of a hostile capture renders with no live markup from the capture") {
    test::TempDir dir;
    const std::string capture = hostile_capture(dir);
    const auto r = test::run_cli({"--format", "markdown", "--verbose", capture});
    REQUIRE((r.exit_code == 0 || r.exit_code == 1));
    const std::string html = render_gfm(dir, r.out);
    REQUIRE_FALSE(html.empty());  // cmark-gfm ran
    // The report's own structure is there: the verdict table with the hostile From and To in
    // its cells, and the findings.
    CHECK(html.find("<table>") != std::string::npos);
    CHECK(html.find("<h4>LOW <code>sip.cleartext-signaling</code>") != std::string::npos);
    // The capture's markup is text: no element, link or emphasis came from it.
    CHECK(html.find("<img") == std::string::npos);
    CHECK(html.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
    CHECK(html.find("<a href") == std::string::npos);
    CHECK(html.find("[x](y)") != std::string::npos);
    CHECK(html.find("<em>") == std::string::npos);
    check_no_control_bytes(r.out);
}
