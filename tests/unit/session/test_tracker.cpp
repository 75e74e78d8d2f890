// The session tracker over small generated captures.
#include <catch2/catch.hpp>

#include "zaudit/capture/frame.hpp"
#include "zaudit/gen/capture_writer.hpp"
#include "zaudit/session/tracker.hpp"

using namespace zaudit;

namespace {

const util::Endpoint k_client{*util::IpAddress::parse("192.0.2.30"), 45000};
const util::Endpoint k_server{*util::IpAddress::parse("192.0.2.40"), 5060};

std::string sip_request(const std::string& method, int cseq) {
    return method + " sip:bob@192.0.2.40 SIP/2.0\r\n"
                    "Via: SIP/2.0/TCP 192.0.2.30:45000;branch=z9hG4bK" + std::to_string(cseq) + "\r\n"
                    "From: <sip:alice@192.0.2.30>;tag=a1\r\nTo: <sip:bob@192.0.2.40>\r\n"
                    "Call-ID: gap-test\r\nCSeq: " + std::to_string(cseq) + " " + method + "\r\n"
                    "Content-Length: 0\r\n\r\n";
}

session::Model track(const gen::CaptureBuilder& capture) {
    session::Tracker tracker;
    std::uint64_t number = 0;
    for (const auto& g : capture.frames()) {
        tracker.on_frame(capture::Frame{++number, g.time, g.bytes, static_cast<std::uint32_t>(g.bytes.size()),
                                        g.link_type, 0});
    }
    return std::move(tracker).finish({}, false);
}

}  // namespace

TEST_CASE("a SIP message after a TCP segment the capture missed is still read, once the capture ends") {
    gen::CaptureBuilder capture;
    const std::string invite = sip_request("INVITE", 1);
    const std::string lost = sip_request("OPTIONS", 2);
    const std::string bye = sip_request("BYE", 3);
    const std::uint32_t isn = 1000;
    capture.add_tcp(util::Timestamp{1}, k_client, k_server, isn, 0, 0x02, {});
    capture.add_tcp(util::Timestamp{2}, k_client, k_server, isn + 1, 1, 0x18, util::as_bytes(invite));
    // the OPTIONS segment is not in the capture
    const auto bye_seq = static_cast<std::uint32_t>(isn + 1 + invite.size() + lost.size());
    capture.add_tcp(util::Timestamp{3}, k_client, k_server, bye_seq, 1, 0x18, util::as_bytes(bye));
    const session::Model model = track(capture);
    REQUIRE(model.calls.size() == 1);
    const auto& messages = model.calls[0].messages;
    REQUIRE(messages.size() == 2);
    CHECK(messages[0].summary == "INVITE");
    CHECK(messages[1].summary == "BYE");
    REQUIRE(model.flows.size() == 1);
    CHECK(model.flows[0].tcp_gap_bytes == lost.size());  // counted once
}

TEST_CASE("a message cut by a hole does not swallow the next one") {
    gen::CaptureBuilder capture;
    const std::string invite = sip_request("INVITE", 1);
    const std::string options = sip_request("OPTIONS", 2);
    const std::string bye = sip_request("BYE", 3);
    const std::uint32_t isn = 5000;
    capture.add_tcp(util::Timestamp{1}, k_client, k_server, isn, 0, 0x02, {});
    capture.add_tcp(util::Timestamp{2}, k_client, k_server, isn + 1, 1, 0x18, util::as_bytes(invite));
    // the OPTIONS' first 40 bytes arrive, the rest is missing, then the BYE
    const auto options_seq = static_cast<std::uint32_t>(isn + 1 + invite.size());
    capture.add_tcp(util::Timestamp{3}, k_client, k_server, options_seq, 1, 0x18,
                    util::as_bytes(std::string_view{options}.substr(0, 40)));
    const auto bye_seq = static_cast<std::uint32_t>(options_seq + options.size());
    capture.add_tcp(util::Timestamp{4}, k_client, k_server, bye_seq, 1, 0x18, util::as_bytes(bye));
    const session::Model model = track(capture);
    REQUIRE(model.calls.size() == 1);
    const auto& messages = model.calls[0].messages;
    REQUIRE(messages.size() == 2);  // the cut OPTIONS is dropped, the BYE is read whole
    CHECK(messages[1].summary == "BYE");
    CHECK(model.flows.at(0).tcp_gap_bytes == options.size() - 40);
}
