// Protocols that are not media, audited end to end: DNS, STUN, DTLS, WireGuard and OpenVPN as
// their real Debian 12 programs sent them (tests/data/make_tunnel_captures.sh), and QUIC, which
// has no client in Debian 12, built from RFC 9000's headers. None may give an RTP stream or an
// rtp.* finding, each flow is named by its protocol, and a tunnel is no unauditable media.
#include <catch2/catch.hpp>

#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/temp_dir.hpp"
#include "zaudit/cli/cli.hpp"
#include "zaudit/gen/capture_writer.hpp"

using namespace zaudit;
using nlohmann::json;

namespace {

json audit(const std::string& capture) {
    std::ostringstream out;
    std::ostringstream err;
    const int code = cli::run({"--format", "json", "--fail-on", "none", capture}, out, err);
    REQUIRE(code == 0);
    return json::parse(out.str());
}

/// Every flow of the report carries only `kind` (and `also`, when given).
void check_not_media(const json& report, const std::string& kind, const std::string& also = "") {
    CHECK(report["media"].empty());
    CHECK(report["zrtp"].empty());
    for (const auto& finding : report["findings"]) {
        const auto rule = finding["rule"].get<std::string>();
        CHECK_FALSE(rule.starts_with("rtp."));
        CHECK(rule != "media.unauditable");
    }
    REQUIRE_FALSE(report["flows"].empty());
    for (const auto& flow : report["flows"]) {
        INFO(flow["a"] << " " << flow["b"] << " " << flow["payloads"]);
        CHECK(flow["payloads"].contains(kind));
        for (const auto& [name, packets] : flow["payloads"].items()) {
            CHECK((name == kind || name == also));
        }
    }
}

/// A QUIC v1 connection as RFC 9000 section 17 lays it out: the client's Initial (padded to
/// 1200 bytes, section 14.1), the server's Initial and Handshake in long headers, then 1-RTT
/// short headers both ways carrying the server's 8-byte connection id; protected bytes random.
gen::CaptureBuilder quic_connection() {
    const util::Endpoint client{*util::IpAddress::parse("192.0.2.90"), 51000};
    const util::Endpoint server{*util::IpAddress::parse("203.0.113.9"), 443};
    std::mt19937 random{9000};
    const auto fill = [&](gen::ByteVector& p, std::size_t from) {
        for (std::size_t i = from; i < p.size(); ++i) {
            p[i] = static_cast<std::uint8_t>(random());
        }
    };
    const auto long_header = [&](std::uint8_t first, std::size_t size) {
        gen::ByteVector p{first, 0x00, 0x00, 0x00, 0x01, 8, 1, 2, 3, 4, 5, 6, 7, 8, 8, 9, 10, 11, 12, 13, 14, 15, 16};
        p.resize(size);
        fill(p, 23);
        return p;
    };
    gen::CaptureBuilder capture;
    std::int64_t t = 1'790'000'000'000'000;
    capture.add_udp(util::Timestamp{t}, client, server, long_header(0xc3, 1200));            // Initial
    capture.add_udp(util::Timestamp{t += 20'000}, server, client, long_header(0xc1, 1200));  // Initial
    capture.add_udp(util::Timestamp{t += 100}, server, client, long_header(0xe1, 900));      // Handshake
    capture.add_udp(util::Timestamp{t += 20'000}, client, server, long_header(0xe1, 80));    // Handshake
    for (int i = 0; i < 200; ++i) {  // 1-RTT at 50 packets a second each way, voice-sized
        for (const bool from_client : {true, false}) {
            gen::ByteVector p(60 + random() % 40);
            fill(p, 0);
            p[0] = static_cast<std::uint8_t>(0x40 | (p[0] & 0x3f));  // 0b01xxxxxx
            capture.add_udp(util::Timestamp{t += 10'000}, from_client ? client : server, from_client ? server : client,
                            p);
        }
    }
    return capture;
}

}  // namespace

TEST_CASE("not media: DNS queries and answers of dig and dnsmasq") {
    check_not_media(audit(test::source_path("tests/data/dns-dnsmasq-dig.pcap")), "dns");
}

TEST_CASE("not media: STUN Binding requests of turnutils_stunclient and coturn's answers") {
    check_not_media(audit(test::source_path("tests/data/stun-coturn.pcap")), "stun");
}

TEST_CASE("not media: a DTLS 1.2 handshake and records of openssl s_client and s_server") {
    check_not_media(audit(test::source_path("tests/data/dtls-openssl.pcap")), "dtls");
}

TEST_CASE("not media: a wireguard-go tunnel is named WireGuard") {
    const json report = audit(test::source_path("tests/data/wireguard-go.pcap"));
    check_not_media(report, "wireguard");
    REQUIRE(report["flows"].size() == 1);
    CHECK(report["flows"][0]["payloads"]["wireguard"] == 42);  // every packet: handshake and data
}

TEST_CASE("not media: an OpenVPN tunnel in TLS mode is named OpenVPN from its first packet") {
    const json report = audit(test::source_path("tests/data/openvpn-tls.pcap"));
    check_not_media(report, "openvpn");
    REQUIRE(report["flows"].size() == 1);
    CHECK(report["flows"][0]["payloads"]["openvpn"] == 56);
}

TEST_CASE("not media: a QUIC connection built from RFC 9000's headers is named QUIC") {
    const test::TempDir dir;
    const std::string path = dir.file("quic.pcap");
    REQUIRE(quic_connection().write_pcap(path).ok());
    const json report = audit(path);
    check_not_media(report, "quic");
    REQUIRE(report["flows"].size() == 1);
    CHECK(report["flows"][0]["payloads"]["quic"] == 404);
}
