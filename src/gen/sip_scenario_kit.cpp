// The SIP scenarios' shared parts (sip_scenario_kit.hpp).
#include "sip_scenario_kit.hpp"

#include <stdexcept>
#include <utility>

namespace zaudit::gen::scenario_builders {

Agent agent(SeededBytes& random, std::string user, std::string display, util::Endpoint sip, util::Endpoint media,
            std::string user_agent) {
    SipParty party{std::move(user), std::move(display), sip, sip_tag(random), std::move(user_agent)};
    return Agent{std::move(party), media};
}

Agent alice(SeededBytes& random, const char* ip, std::uint16_t sip_port) {
    return agent(random, "alice", "Alice", ep(ip, sip_port), ep(ip, 40000), "ExamplePhone/2.1");
}

Agent bob(SeededBytes& random, const char* ip, std::uint16_t sip_port) {
    return agent(random, "bob", "Bob", ep(ip, sip_port), ep(ip, 50000), "ExampleDesk/7.4");
}

SdpCrypto crypto(SeededBytes& random, std::uint32_t tag, std::string_view suite) {
    return SdpCrypto{tag, std::string{suite}, random.bytes(k_key_salt), {}};
}

std::string sdp(const Media& media) {
    SdpSpec spec;
    spec.session_id = media.session_id;
    spec.session_version = media.version;
    spec.address = media.address.address;
    spec.port = media.address.port;
    spec.savp = media.savp;
    spec.cryptos = media.cryptos;
    spec.dtls = media.dtls;
    spec.fingerprint = media.fingerprint;
    spec.setup = media.setup;
    return build_sdp(spec);
}

Media media_of(SeededBytes& random, util::Endpoint address, bool savp, std::vector<SdpCrypto> cryptos) {
    Media media;
    media.address = address;
    media.savp = savp;
    media.cryptos = std::move(cryptos);
    media.session_id = media.version = random.u32();
    return media;
}

std::shared_ptr<SrtpSender> sender(const SdpCrypto& key) {
    auto created = SrtpSender::create(key.suite, key.key_salt, key.session_params == "UNENCRYPTED_SRTP");
    if (!created) {
        throw std::logic_error{created.error().message};  // the scenarios only name suites it has
    }
    return std::make_shared<SrtpSender>(std::move(*created));
}

void request(SignalingLink& link, util::Timestamp time, const DialogSpec& dialog, const RequestSpec& spec) {
    link.send(time, !spec.from_callee, build_request(dialog, spec));
}

void respond(SignalingLink& link, util::Timestamp time, const DialogSpec& dialog, const RequestSpec& spec, int code,
             std::string_view reason, std::string_view body) {
    link.send(time, spec.from_callee, build_response(dialog, spec, code, reason, body));
}

RequestSpec invite_spec(SeededBytes& random, std::uint32_t cseq, bool reinvite, std::string offer) {
    RequestSpec spec;
    spec.method = "INVITE";
    spec.cseq = cseq;
    spec.branch = sip_branch(random);
    spec.in_dialog = reinvite;
    spec.sdp = std::move(offer);
    return spec;
}

RequestSpec in_dialog_spec(SeededBytes& random, std::string method, std::uint32_t cseq) {
    RequestSpec spec;
    spec.method = std::move(method);
    spec.cseq = cseq;
    spec.branch = sip_branch(random);  // ACK to a 2xx is a transaction of its own (RFC 3261 13.2.2.4)
    spec.in_dialog = true;
    return spec;
}

void bye_transaction(SignalingLink& link, util::Timestamp start, const DialogSpec& dialog, SeededBytes& random,
                     std::uint32_t cseq) {
    const RequestSpec bye = in_dialog_spec(random, "BYE", cseq);
    request(link, start, dialog, bye);
    respond(link, util::Timestamp{start.micros + 6'000}, dialog, bye, 200, "OK");
}

}  // namespace zaudit::gen::scenario_builders
