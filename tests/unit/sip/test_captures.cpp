// SIP messages from real stacks (public sample captures listed in tests/data/README.md, extracted byte for byte
// into tests/unit/sip/fixtures/). Every expected value was read with tshark, e.g.
//   tshark -r sip-proxy.pcap -Y frame.number==3 -T fields -e sip.Via.branch -e sip.CSeq.seq ...
#include <catch2/catch.hpp>

#include "unit/sip/fixture.hpp"
#include "zaudit/sip/message.hpp"
#include "zaudit/sip/multipart.hpp"

using namespace zaudit::sip;
using zaudit::sip::test::fixture;

namespace {

SipMessage load(const std::string& name) {
    const std::string text = fixture(name);
    REQUIRE_FALSE(text.empty());
    auto r = parse_message(text);
    REQUIRE(r.ok());
    return std::move(r).value();
}

}  // namespace

TEST_CASE("sip-proxy.pcap frame 3: proxied INVITE with two Vias") {
    const auto m = load("sip-proxy-f3-invite.txt");
    CHECK(m.is_request);
    CHECK(m.method == "INVITE");
    CHECK(m.request_uri == "sip:101@10.33.6.100:5060");
    CHECK(m.call_id == "75104938772201062721@10.33.6.101");
    REQUIRE(m.vias.size() == 2);
    CHECK(m.vias[0].transport == "UDP");
    CHECK(m.vias[0].host == "10.33.6.102");
    CHECK(m.vias[0].port == 5080);
    CHECK(m.vias[0].branch == "z9hG4bKac49822475");
    CHECK(m.vias[1].host == "10.33.6.101");
    CHECK_FALSE(m.vias[1].port);
    CHECK(m.vias[1].branch == "z9hG4bKac751052981");
    REQUIRE(m.from);
    CHECK(m.from->tag == "1c751049942");
    REQUIRE(m.to);
    CHECK(m.to->uri == "sip:101@10.33.6.102;user=phone");
    CHECK(m.to->tag.empty());
    REQUIRE(m.cseq);
    CHECK(m.cseq->number == 1u);
    CHECK(m.cseq->method == "INVITE");
    CHECK(m.content_length == 216u);
    CHECK(m.body.size() == 216u);
    CHECK(m.user_agent == "GW/v.6.20A.027.012");
    CHECK(m.anomalies.empty());
    const auto sdp = find_sdp_body(m);
    REQUIRE(sdp);
    CHECK(sdp->find("m=audio 6010 RTP/AVP 8 96") != std::string::npos);
}

TEST_CASE("sip-proxy.pcap frame 7: 200 OK with To tag and Server") {
    const auto m = load("sip-proxy-f7-200.txt");
    CHECK(m.status_code == 200);
    CHECK(m.reason == "OK");
    REQUIRE(m.to);
    CHECK(m.to->tag == "1c2071048551");
    CHECK(m.server == "IPP/v.6.20A.027.012");
    CHECK(m.transaction_method() == "INVITE");
    CHECK(m.content_length == 222u);
}

TEST_CASE("sip-488-codec-reject.pcapng frame 7: Linphone INVITE, addr-spec To, rport flag") {
    const auto m = load("codec-reject-f7-invite.txt");
    CHECK(m.call_id == "NA4y5nr9Jk");
    REQUIRE(m.vias.size() == 1);
    CHECK(m.vias[0].has_rport);
    CHECK_FALSE(m.vias[0].rport);
    CHECK(m.vias[0].branch == "z9hG4bK.8RiLA5Cnw");
    REQUIRE(m.to);
    CHECK(m.to->uri == "sip:8802@192.168.8.13");
    REQUIRE(m.from);
    CHECK(m.from->tag == "5V~AE6uZT");
    REQUIRE(m.cseq);
    CHECK(m.cseq->number == 20u);
    REQUIRE(m.contacts.size() == 1);
    CHECK(m.contacts[0].uri == "sip:8801@192.168.8.183;transport=udp");
    CHECK(m.content_length == 183u);
    CHECK(m.user_agent == "Linphonec/3.12.0 (belle-sip/1.6.3)");
}

TEST_CASE("sip-488-codec-reject.pcapng frames 8 and 12: 401 and 488 with received/rport") {
    const auto m401 = load("codec-reject-f8-401.txt");
    CHECK(m401.status_code == 401);
    REQUIRE(m401.vias.size() == 1);
    CHECK(m401.vias[0].rport == 5060);
    CHECK(m401.vias[0].received == "192.168.8.183");
    CHECK(m401.header("WWW-Authenticate")->value.find("realm=\"asterisk\"") != std::string::npos);
    CHECK(m401.content_length == 0u);
    const auto m488 = load("codec-reject-f12-488.txt");
    CHECK(m488.status_code == 488);
    CHECK(m488.reason == "Not Acceptable Here");
    CHECK(m488.cseq->number == 21u);
    CHECK(m488.to->tag == "3c23b2df-21f2-4d39-b0a3-756ac976b0c9");
    CHECK(m488.vias[0].branch == "z9hG4bK.PKP18iidY");
}

TEST_CASE("rtp-protocol.pcap frames 1 and 4: INVITE with Content-Disposition, PRACK") {
    const auto invite = load("rtp-protocol-f1-invite.txt");
    CHECK(invite.call_id == "1907983263271201083544@10.33.6.101");
    CHECK(invite.request_uri == "sip:101@10.33.6.100;user=phone");
    CHECK(invite.header("Content-Disposition")->value == "session");
    CHECK(invite.content_length == 227u);
    const auto prack = load("rtp-protocol-f4-prack.txt");
    CHECK(prack.method == "PRACK");
    CHECK(prack.cseq->number == 2u);
    CHECK(prack.header("RAck")->value == "1 1 INVITE");
}

TEST_CASE("invite-opus-bye.pcap: quoted display names, padded Content-Length") {
    const auto m = load("opus-f1-invite.txt");
    CHECK(m.call_id == "1-3811003@127.0.0.1");
    CHECK(m.from->display_name == "Alice");
    CHECK(m.from->tag == "call-1");
    CHECK(m.to->display_name == "Bob");
    CHECK(m.content_length == 131u);
    CHECK(m.user_agent == "sipnab-demo");
    const auto ok = load("opus-f4-200.txt");
    CHECK(ok.status_code == 200);
    CHECK(ok.to->tag == "bob-1");
    CHECK(ok.server == "sipnab-demo");
    CHECK(ok.content_length == 129u);
}

TEST_CASE("register-invite-reinvite-bye.pcap: REGISTER and the re-INVITE (CSeq 2)") {
    const auto reg = load("reinvite-f1-register.txt");
    CHECK(reg.method == "REGISTER");
    CHECK(reg.call_id == "1-3812679@127.0.0.1");
    CHECK(reg.header("Expires")->value == "3600");
    const auto re = load("reinvite-f162-invite.txt");
    CHECK(re.method == "INVITE");
    CHECK(re.cseq->number == 2u);
    CHECK(re.to->tag == "bob-1");
    REQUIRE(find_sdp_body(re));
}

TEST_CASE("sip-routing-error.pcapng: SUBSCRIBE and PUBLISH with a non-SDP body") {
    const auto sub = load("routing-error-f5-subscribe.txt");
    CHECK(sub.method == "SUBSCRIBE");
    CHECK(sub.call_id == "YmU4NmEwMTVkYjdlNzRjODZmYzcwMWUwZDI0YzE0YmM.");
    CHECK(sub.vias[0].port == 44285);
    CHECK(sub.header("Event")->value == "message-summary");
    const auto pub = load("routing-error-f11-publish.txt");
    CHECK(pub.method == "PUBLISH");
    CHECK(pub.media_type() == "application/pidf+xml");
    CHECK(pub.content_length == 273u);
    CHECK(pub.body.size() == 273u);
    CHECK_FALSE(find_sdp_body(pub));
}

TEST_CASE("sip-rtp-g711.pcap frame 1: token display name and bare Contact URI") {
    const auto m = load("g711-f1-invite.txt");
    CHECK(m.call_id == "1-1966@10.0.2.20");
    CHECK(m.from->display_name == "PCMU/8000");
    CHECK(m.to->display_name == "test");
    REQUIRE(m.contacts.size() == 1);
    CHECK(m.contacts[0].uri == "sip:sipp@10.0.2.20:5060");
    CHECK(m.content_length == 123u);
}

TEST_CASE("every fixture passes looks_like_sip") {
    for (const char* name : {"sip-proxy-f3-invite.txt", "codec-reject-f8-401.txt", "rtp-protocol-f4-prack.txt",
                             "routing-error-f11-publish.txt", "tcp-client-to-server.txt"}) {
        const std::string text = fixture(name);
        CHECK(looks_like_sip(zaudit::util::as_bytes(text)));
    }
}
