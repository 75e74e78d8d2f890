// Scenarios for SIP digest authentication and call outcomes: a phone that registers and calls
// through a registrar/proxy over UDP, challenged as RFC 3261 section 22 describes.
//
// Addresses as in scenarios_sip.cpp: the phone in 192.0.2.0/24, the registrar/PBX (which also
// anchors the media) in 203.0.113.0/24. Every random value comes from the seed.
#include <fmt/format.h>

#include "scenarios.hpp"
#include "zaudit/gen/sip_builder.hpp"
#include "zaudit/util/hex.hpp"

namespace zaudit::gen::scenario_builders {
namespace {

constexpr std::string_view k_realm = "sip.example.com";
constexpr std::string_view k_password = "summer2024";  // a weak one, as offline guessing finds them

std::string offer_sdp(SeededBytes& random, const util::Endpoint& media) {
    SdpSpec spec;
    spec.session_id = spec.session_version = random.u32();
    spec.address = media.address;
    spec.port = media.port;
    return build_sdp(spec);
}

using Headers = std::vector<std::pair<std::string, std::string>>;

/// A REGISTER of alice's address of record at the registrar (RFC 3261 section 10.2), with
/// credentials when `authorization` is not empty; and the registrar's response to it.
struct Registration {
    SipParty phone;
    util::Endpoint registrar;
    std::string call_id;
    std::string registrar_tag;

    [[nodiscard]] std::string aor() const { return fmt::format("sip:{}@{}", phone.user, k_realm); }

    [[nodiscard]] std::string request(std::uint32_t cseq, const std::string& branch,
                                      const std::string& authorization) const {
        auto writer = SipWriter::request("REGISTER", fmt::format("sip:{}", k_realm));
        writer.header("Via", fmt::format("SIP/2.0/UDP {};branch={};rport", phone.signaling, branch))
            .header("Max-Forwards", "70")
            .header("From", fmt::format("\"{}\" <{}>;tag={}", phone.display_name, aor(), phone.tag))
            .header("To", fmt::format("\"{}\" <{}>", phone.display_name, aor()))
            .header("Call-ID", call_id)
            .header("CSeq", fmt::format("{} REGISTER", cseq))
            .header("Contact", fmt::format("<sip:{}@{}>;expires=3600", phone.user, phone.signaling))
            .header("User-Agent", phone.user_agent);
        if (!authorization.empty()) {
            writer.header("Authorization", authorization);
        }
        writer.header("Expires", "3600");
        return writer.text();
    }

    [[nodiscard]] std::string response(std::uint32_t cseq, const std::string& branch, int code, std::string_view reason,
                                       const Headers& extra) const {
        auto writer = SipWriter::response(code, reason);
        writer
            .header("Via", fmt::format("SIP/2.0/UDP {};branch={};rport={};received={}", phone.signaling, branch,
                                       phone.signaling.port, phone.signaling.address.to_string()))
            .header("From", fmt::format("\"{}\" <{}>;tag={}", phone.display_name, aor(), phone.tag))
            .header("To", fmt::format("\"{}\" <{}>;tag={}", phone.display_name, aor(), registrar_tag))
            .header("Call-ID", call_id)
            .header("CSeq", fmt::format("{} REGISTER", cseq));
        for (const auto& [name, value] : extra) {
            writer.header(name, value);
        }
        writer.header("Server", "ExampleProxy/5.8");
        return writer.text();
    }
};

}  // namespace

CaptureBuilder sip_digest_register_calls(std::uint64_t seed) {
    SeededBytes random = SeededBytes::for_scenario(seed, "sip-digest-register-calls");
    CaptureBuilder capture;
    const util::Endpoint proxy = ep("203.0.113.1", 5060);
    const SipParty alice{"alice", "Alice", ep("192.0.2.10", 5060), sip_tag(random), "ExamplePhone/2.1"};
    SignalingLink link{capture, random, alice.signaling, proxy, SipTransport::udp};
    const auto nonce = [&] { return util::to_base64(random.bytes(24)); };
    const auto cnonce = [&] { return util::to_hex(random.bytes(8)); };

    // 1. REGISTER, 401 with a challenge, REGISTER again with Authorization, 200 OK.
    const Registration registration{alice, proxy, sip_call_id(random, "192.0.2.10"), sip_tag(random)};
    const DigestChallenge www{std::string{k_realm}, nonce()};
    const std::string branch1 = sip_branch(random);
    link.send(at(0), true, registration.request(1, branch1, {}));
    link.send(at(5'000), false,
              registration.response(1, branch1, 401, "Unauthorized", {{"WWW-Authenticate", digest_challenge(www)}}));
    const std::string branch2 = sip_branch(random);
    const DigestAnswer register_answer{
        "alice", std::string{k_password}, "REGISTER", fmt::format("sip:{}", k_realm), cnonce(), 1};
    link.send(at(20'000), true, registration.request(2, branch2, digest_credentials(www, register_answer)));
    link.send(at(26'000), false,
              registration.response(2, branch2, 200, "OK",
                                    {{"Contact", fmt::format("<sip:alice@{}>;expires=3600", alice.signaling)}}));

    // 2. A call the far end refuses: INVITE, 407, ACK, INVITE with Proxy-Authorization, 100, 488, ACK.
    SipParty far_end{"bob", "Bob", proxy, sip_tag(random), "ExampleProxy/5.8"};
    const DialogSpec refused{alice, far_end, sip_call_id(random, "192.0.2.10"), SipTransport::udp};
    const DigestChallenge proxy_challenge{std::string{k_realm}, nonce()};
    RequestSpec invite1;
    invite1.method = "INVITE";
    invite1.cseq = 1;
    invite1.branch = sip_branch(random);
    invite1.sdp = offer_sdp(random, ep("192.0.2.10", 40000));
    link.send(at(1'000'000), true, build_request(refused, invite1));
    link.send(at(1'004'000), false,
              build_response(refused, invite1, 407, "Proxy Authentication Required", {},
                             {{"Proxy-Authenticate", digest_challenge(proxy_challenge)}}));
    RequestSpec ack1 = invite1;  // ACK of a non-2xx: same branch, part of the INVITE transaction
    ack1.method = "ACK";
    ack1.in_dialog = true;
    ack1.sdp.clear();
    link.send(at(1'006'000), true, build_request(refused, ack1));
    const std::string far_uri = far_end.uri();
    RequestSpec invite2 = invite1;
    invite2.cseq = 2;
    invite2.branch = sip_branch(random);
    invite2.headers = {{"Proxy-Authorization", digest_credentials(proxy_challenge, {"alice", std::string{k_password},
                                                                                    "INVITE", far_uri, cnonce(), 1})}};
    link.send(at(1'020'000), true, build_request(refused, invite2));
    link.send(at(1'024'000), false, build_response(refused, invite2, 100, "Trying"));
    link.send(at(1'300'000), false,
              build_response(refused, invite2, 488, "Not Acceptable Here", {},
                             {{"Warning", "304 203.0.113.1 \"Media type not available\""}}));
    RequestSpec ack2 = invite2;
    ack2.method = "ACK";
    ack2.in_dialog = true;
    ack2.sdp.clear();
    ack2.headers.clear();
    link.send(at(1'304'000), true, build_request(refused, ack2));

    // 3. A call answered and never hung up in the capture: the phone reuses the proxy's nonce
    //    (nc=2, RFC 7616 section 3.4), 100, 180, 200, ACK, then 8 s of G.711 both ways, no BYE.
    far_end.tag = sip_tag(random);
    const DialogSpec answered{alice, far_end, sip_call_id(random, "192.0.2.10"), SipTransport::udp};
    RequestSpec invite3;
    invite3.method = "INVITE";
    invite3.cseq = 1;
    invite3.branch = sip_branch(random);
    const util::Endpoint alice_media = ep("192.0.2.10", 40002);
    const util::Endpoint pbx_media = ep("203.0.113.1", 30000);  // the PBX anchors the media
    invite3.sdp = offer_sdp(random, alice_media);
    invite3.headers = {{"Proxy-Authorization", digest_credentials(proxy_challenge, {"alice", std::string{k_password},
                                                                                    "INVITE", far_uri, cnonce(), 2})}};
    link.send(at(2'000'000), true, build_request(answered, invite3));
    link.send(at(2'004'000), false, build_response(answered, invite3, 100, "Trying"));
    link.send(at(2'040'000), false, build_response(answered, invite3, 180, "Ringing"));
    link.send(at(2'900'000), false, build_response(answered, invite3, 200, "OK", offer_sdp(random, pbx_media)));
    RequestSpec ack3;
    ack3.method = "ACK";
    ack3.cseq = 1;
    ack3.branch = sip_branch(random);
    ack3.in_dialog = true;
    link.send(at(2'908'000), true, build_request(answered, ack3));
    auto forward = media_direction(random, alice_media, pbx_media);
    auto backward = media_direction(random, pbx_media, alice_media);
    add_g711_media(capture, at(2'920'000), 400, forward, backward);
    return capture;
}

}  // namespace zaudit::gen::scenario_builders
