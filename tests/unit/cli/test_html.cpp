// The HTML report is one page an investigator opens from a mail or a folder of evidence: its
// links must land, its ladders must carry the frames the findings cite, and it must load nothing.
#include <catch2/catch.hpp>

#include <regex>
#include <set>
#include <string>

#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"
#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/gen/sip_builder.hpp"

using namespace zaudit;

namespace {

std::string html_of(const std::string& sample, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"--format", "html", std::string{ZAUDIT_SOURCE_DIR} + "/" + sample};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = test::run_cli(args);
    REQUIRE((r.exit_code == 0 || r.exit_code == 1));
    return r.out;
}

/// Every value of `attribute` in the page, in order.
std::vector<std::string> attribute_values(const std::string& html, const std::string& attribute) {
    std::vector<std::string> values;
    const std::regex pattern{" " + attribute + "=\"([^\"]*)\""};
    for (auto it = std::sregex_iterator(html.begin(), html.end(), pattern); it != std::sregex_iterator(); ++it) {
        values.push_back((*it)[1]);
    }
    return values;
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        ++n;
    }
    return n;
}

}  // namespace

TEST_CASE("html: every in-page link lands on an element of the page, and ids are unique") {
    for (const std::string sample : {"samples/zrtp-hello-tampered.pcap", "samples/relay-sdes-to-plain.pcap",
                                     "samples/b2bua-two-legs.pcap", "samples/sip-digest-register-calls.pcap"}) {
        INFO(sample);
        const std::string html = html_of(sample);
        const auto ids = attribute_values(html, "id");
        const std::set<std::string> unique(ids.begin(), ids.end());
        CHECK(unique.size() == ids.size());
        std::size_t links = 0;
        for (const std::string& href : attribute_values(html, "href")) {
            REQUIRE(href.size() > 1);
            CHECK(href.front() == '#');  // nothing outside the page
            CHECK(unique.count(href.substr(1)) == 1);
            ++links;
        }
        CHECK(links > 0);
    }
}

TEST_CASE("html: a tampered Hello is drawn in the ladder, flagged and linked both ways with its finding") {
    const std::string html = html_of("samples/zrtp-hello-tampered.pcap");
    // One ladder per call, with SIP and ZRTP arrows titled by frame.
    CHECK(occurrences(html, "<svg ") == 1);
    CHECK(html.find(">INVITE (SDP)</text>") != std::string::npos);
    CHECK(html.find(">ZRTP Hello") != std::string::npos);
    CHECK(html.find("<title>frame 1 at ") != std::string::npos);
    // The finding's frames (6 and 11) link to their arrows, drawn in red, which link back to it.
    const auto rule_at = html.find(R"(<h4 id="a1-rule-zrtp.hello-tampered">)");
    REQUIRE(rule_at != std::string::npos);
    std::smatch row;
    const std::string after_rule = html.substr(rule_at);
    REQUIRE(std::regex_search(after_rule, row, std::regex{R"re(<tr id="(a1-finding-\d+)">)re"}));
    const std::string finding = row[1];
    int links_back = 0;
    for (const std::string frame : {"6", "11"}) {
        INFO("frame " << frame);
        const std::string arrow = "a1-call-1-frame-" + frame;
        CHECK(after_rule.find("<a href=\"#" + arrow + "\">" + frame + "</a>") != std::string::npos);
        const auto arrow_at = html.find("id=\"" + arrow + "\"");
        REQUIRE(arrow_at != std::string::npos);
        const auto group_start = html.rfind("<g ", arrow_at);
        const std::string group = html.substr(group_start, html.find("</g>", arrow_at) - group_start);
        CHECK(group.find("flagged") != std::string::npos);
        CHECK(group.find("zrtp.hello-tampered") != std::string::npos);
        CHECK(group.find("<a href=\"#a1-finding-") != std::string::npos);  // to the frame's first finding
        links_back += group.find("<a href=\"#" + finding + "\">") != std::string::npos ? 1 : 0;
    }
    CHECK(links_back > 0);
}

TEST_CASE("html: the page loads nothing and runs nothing, and names its inputs' sha256") {
    const std::string html = html_of("samples/sdes-call-udp.pcap");
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("src=") == std::string::npos);
    CHECK(html.find("http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'") != std::string::npos);
    CHECK(std::regex_search(html, std::regex{"<td class=\"mono\">[0-9a-f]{64}</td>"}));
    // SDES keys stay fingerprints unless --reveal-keys.
    CHECK(html.find("inline:") == std::string::npos);
}

TEST_CASE("html: without --verbose a ladder draws its first 200 rows, with --verbose every one") {
    // One call whose dialog carries 150 INFO requests and their answers: 303 SIP rows.
    const util::Endpoint alice{*util::IpAddress::parse("192.0.2.10"), 5060};
    const util::Endpoint bob{*util::IpAddress::parse("198.51.100.20"), 5060};
    gen::CaptureBuilder capture{gen::Framing{}};
    std::int64_t micros = 1'800'000'000'000'000;
    auto send = [&](const util::Endpoint& from, const util::Endpoint& to, gen::SipWriter message, int cseq,
                    const std::string& method) {
        message.header("Via", "SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK" + std::to_string(cseq))
            .header("From", "<sip:alice@192.0.2.10>;tag=a")
            .header("To", "<sip:bob@198.51.100.20>;tag=b")
            .header("Call-ID", "long-call")
            .header("CSeq", std::to_string(cseq) + " " + method);
        capture.add_udp(util::Timestamp{micros += 10'000}, from, to, util::as_bytes(message.text()));
    };
    send(alice, bob, gen::SipWriter::request("INVITE", "sip:bob@198.51.100.20"), 1, "INVITE");
    send(bob, alice, gen::SipWriter::response(200, "OK"), 1, "INVITE");
    send(alice, bob, gen::SipWriter::request("ACK", "sip:bob@198.51.100.20"), 1, "ACK");
    for (int cseq = 2; cseq < 152; ++cseq) {
        send(alice, bob, gen::SipWriter::request("INFO", "sip:bob@198.51.100.20"), cseq, "INFO");
        send(bob, alice, gen::SipWriter::response(200, "OK"), cseq, "INFO");
    }
    test::TempDir dir;
    const auto path = dir.file("long-call.pcap");
    REQUIRE(capture.write_pcap(path).ok());

    const auto terse = test::run_cli({"--format", "html", path});
    const auto verbose = test::run_cli({"--format", "html", "--verbose", path});
    CHECK(occurrences(terse.out, "<g class=\"sip") == 200);
    CHECK(terse.out.find("... and 103 more (--verbose draws every one)") != std::string::npos);
    CHECK(occurrences(verbose.out, "<g class=\"sip") == 303);
    CHECK(verbose.out.find("--verbose draws every one") == std::string::npos);
}
