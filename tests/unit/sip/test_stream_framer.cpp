#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "unit/sip/fixture.hpp"
#include "zaudit/sip/message.hpp"
#include "zaudit/sip/stream_framer.hpp"

using namespace zaudit::sip;
using zaudit::sip::test::fixture;
using zaudit::util::as_bytes;

namespace {

const std::string k_first = "OPTIONS sip:a@b SIP/2.0\r\nCall-ID: one\r\nContent-Length: 4\r\n\r\nbody";
const std::string k_second = "SIP/2.0 200 OK\r\nCall-ID: two\r\nl: 0\r\n\r\n";

std::vector<std::string> texts(const FeedResult& r) {
    std::vector<std::string> out;
    for (const auto& m : r.messages) {
        out.push_back(m.text);
    }
    return out;
}

void append(FeedResult& into, FeedResult more) {
    for (auto& m : more.messages) {
        into.messages.push_back(std::move(m));
    }
    for (auto& e : more.errors) {
        into.errors.push_back(std::move(e));
    }
}

}  // namespace

TEST_CASE("two messages in one segment") {
    StreamFramer f;
    const auto r = f.feed(as_bytes(k_first + k_second));
    REQUIRE(r.messages.size() == 2);
    CHECK(r.messages[0].text == k_first);
    CHECK(r.messages[0].stream_offset == 0);
    CHECK(r.messages[1].text == k_second);
    CHECK(r.messages[1].stream_offset == k_first.size());
    CHECK(r.errors.empty());
    CHECK(f.buffered() == 0);
}

TEST_CASE("two-message stream split at every byte boundary") {
    const std::string stream = k_first + k_second;
    for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
        StreamFramer f;
        FeedResult all = f.feed(as_bytes(std::string_view{stream}.substr(0, cut)));
        append(all, f.feed(as_bytes(std::string_view{stream}.substr(cut))));
        INFO("cut at " << cut);
        REQUIRE(texts(all) == std::vector<std::string>{k_first, k_second});
        CHECK(all.errors.empty());
    }
}

TEST_CASE("one message fed one byte at a time") {
    StreamFramer f;
    FeedResult all;
    for (const char c : k_first) {
        append(all, f.feed(as_bytes(std::string_view{&c, 1})));
    }
    REQUIRE(all.messages.size() == 1);
    CHECK(all.messages[0].text == k_first);
}

TEST_CASE("CRLF keep-alives between messages are skipped and counted") {
    StreamFramer f;
    FeedResult all = f.feed(as_bytes("\r\n\r\n" + k_first + "\r\n"));
    append(all, f.feed(as_bytes("\r\n")));
    append(all, f.feed(as_bytes("\r\n\r\n" + k_second)));
    REQUIRE(texts(all) == std::vector<std::string>{k_first, k_second});
    CHECK(all.messages[0].stream_offset == 4);
    CHECK(f.keepalives() == 2);
    CHECK(all.errors.empty());
}

TEST_CASE("missing Content-Length on TCP means an empty body") {
    StreamFramer f;
    const std::string no_length = "ACK sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n";
    const auto r = f.feed(as_bytes(no_length + k_second));
    REQUIRE(r.messages.size() == 2);
    CHECK(r.messages[0].text == no_length);
    CHECK(r.messages[0].content_length_missing);
    CHECK_FALSE(r.messages[1].content_length_missing);
}

TEST_CASE("hostile Content-Length is an error and framing resumes at the next start line") {
    StreamFramer f;
    const std::string hostile = "INVITE sip:a@b SIP/2.0\r\nContent-Length: 2000000\r\n\r\nv=0\r\n";
    const auto r = f.feed(as_bytes(hostile + k_second));
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].offset == 0);
    CHECK(r.errors[0].code == zaudit::util::AnomalyCode::sip_body_too_large);
    CHECK(r.errors[0].detail.find("Content-Length") != std::string::npos);
    REQUIRE(r.messages.size() == 1);
    CHECK(r.messages[0].text == k_second);
    CHECK(r.messages[0].stream_offset == hostile.size());
}

TEST_CASE("non-numeric Content-Length is an error") {
    StreamFramer f;
    const auto r = f.feed(as_bytes("INVITE sip:a@b SIP/2.0\r\nContent-Length: 12abc\r\n\r\n" + k_second));
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].code == zaudit::util::AnomalyCode::sip_bad_content_length);
    CHECK(texts(r) == std::vector<std::string>{k_second});
}

TEST_CASE("two different Content-Length values are an error") {
    StreamFramer f;
    const auto r = f.feed(as_bytes("INVITE sip:a@b SIP/2.0\r\nContent-Length: 1\r\nl: 2\r\n\r\nxx\r\n" + k_second));
    REQUIRE(r.errors.size() == 1);
    CHECK(texts(r) == std::vector<std::string>{k_second});
}

TEST_CASE("header section over 64 KiB is an error, memory stays bounded") {
    StreamFramer f;
    std::string huge = "INVITE sip:a@b SIP/2.0\r\n";
    const std::string line = "X-Padding: " + std::string(100, 'p') + "\r\n";
    FeedResult all = f.feed(as_bytes(huge));
    for (int i = 0; i < 2000; ++i) {  // ~220 KiB of headers
        append(all, f.feed(as_bytes(line)));
        REQUIRE(f.buffered() <= 64 * 1024 + 16 * 1024);
    }
    append(all, f.feed(as_bytes("\r\n" + k_second)));
    REQUIRE(all.errors.size() == 1);
    CHECK(all.errors[0].code == zaudit::util::AnomalyCode::sip_headers_too_large);
    CHECK(all.errors[0].detail.find("header section") != std::string::npos);
    CHECK(texts(all) == std::vector<std::string>{k_second});
}

TEST_CASE("endless bytes without a line end stay bounded") {
    StreamFramer f;
    const std::string chunk(100000, 'A');
    FeedResult all;
    for (int i = 0; i < 30; ++i) {
        append(all, f.feed(as_bytes(chunk)));
        REQUIRE(f.buffered() <= 64 * 1024 + 16 * 1024);
    }
    CHECK(all.errors.size() == 1);
    CHECK(all.messages.empty());
    append(all, f.feed(as_bytes("\r\n" + k_first)));
    CHECK(texts(all) == std::vector<std::string>{k_first});
}

TEST_CASE("a stream not starting with SIP resynchronises") {
    StreamFramer f;
    const auto r = f.feed(as_bytes("HELLO there\r\nmore junk\r\n" + k_first));
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].offset == 0);
    CHECK(r.errors[0].code == zaudit::util::AnomalyCode::sip_stream_not_sip);
    CHECK(texts(r) == std::vector<std::string>{k_first});
    CHECK(r.messages[0].stream_offset == 24);
    CHECK_FALSE(f.resynchronising());
}

TEST_CASE("resynchronising waits for a start line split across segments") {
    StreamFramer f;
    FeedResult all = f.feed(as_bytes("junk\r\nOPTIONS sip:a@b SI"));
    CHECK(f.resynchronising());
    append(all, f.feed(as_bytes(k_first.substr(18))));
    CHECK(all.errors.size() == 1);
    CHECK(texts(all) == std::vector<std::string>{k_first});
}

TEST_CASE("custom limits apply") {
    StreamFramer f{FramerLimits{64, 2}};
    const auto r = f.feed(as_bytes(k_first));  // Content-Length 4 > 2
    CHECK(r.errors.size() == 1);
    CHECK(r.messages.empty());
}

// sip-over-tcp.pcap, 10.33.6.100:64802 → 10.33.6.101:5060: frames 3 (INVITE, tcp.len 788),
// 11 (ACK, 536), 83 (200 OK to BYE, 477); tshark's sip.Content-Length 228, 0, 0.
TEST_CASE("sip-over-tcp.pcap client stream, split at every byte") {
    const std::string stream = fixture("tcp-client-to-server.txt");
    REQUIRE(stream.size() == 788 + 536 + 477);
    for (std::size_t cut = 0; cut <= stream.size(); cut += 1) {
        StreamFramer f;
        FeedResult all = f.feed(as_bytes(std::string_view{stream}.substr(0, cut)));
        append(all, f.feed(as_bytes(std::string_view{stream}.substr(cut))));
        REQUIRE(all.messages.size() == 3);
        REQUIRE(all.errors.empty());
        CHECK(all.messages[1].stream_offset == 788);
        CHECK(all.messages[2].stream_offset == 788 + 536);
    }
    StreamFramer f;
    const auto r = f.feed(as_bytes(stream));
    REQUIRE(r.messages.size() == 3);
    const auto invite = parse_message(r.messages[0].text);
    REQUIRE(invite.ok());
    CHECK(invite->method == "INVITE");
    CHECK(invite->content_length == 228u);
    CHECK(invite->body.size() == 228u);
    CHECK(invite->vias[0].transport == "TCP");
    CHECK(invite->call_id == "158936656982201062716@10.33.6.100");
    CHECK(parse_message(r.messages[1].text)->method == "ACK");
    CHECK(parse_message(r.messages[2].text)->status_code == 200);
}

// Other direction: frames 5 (100, 447 bytes), 7 (180, 499), 9 (200, 752, Content-Length 225),
// 81 (BYE, 536); relative tcp.seq 1, 448, 947, 1699.
TEST_CASE("sip-over-tcp.pcap server stream") {
    const std::string stream = fixture("tcp-server-to-client.txt");
    StreamFramer f;
    const auto r = f.feed(as_bytes(stream));
    REQUIRE(r.messages.size() == 4);
    CHECK(r.messages[0].stream_offset == 0);
    CHECK(r.messages[1].stream_offset == 447);
    CHECK(r.messages[2].stream_offset == 946);
    CHECK(r.messages[3].stream_offset == 1698);
    CHECK(parse_message(r.messages[0].text)->status_code == 100);
    CHECK(parse_message(r.messages[1].text)->status_code == 180);
    CHECK(parse_message(r.messages[2].text)->content_length == 225u);
    CHECK(parse_message(r.messages[3].text)->method == "BYE");
}
