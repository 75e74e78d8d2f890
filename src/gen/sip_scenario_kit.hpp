#pragma once
// What the SIP scenarios share (scenarios_sip.cpp: two parties; scenarios_sip_paths.cpp: proxies,
// B2BUAs and relays between them; scenarios_zrtp.cpp its request specs): the agents, their SDP
// and keys, and requests and responses sent over a link whose side `a` is the dialog's caller.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios.hpp"
#include "zaudit/gen/sip_builder.hpp"

namespace zaudit::gen::scenario_builders {

inline constexpr std::size_t k_key_salt = 30;  // AES-128 master key and 112-bit salt
inline constexpr std::string_view k_suite_80 = "AES_CM_128_HMAC_SHA1_80";
inline constexpr std::string_view k_suite_32 = "AES_CM_128_HMAC_SHA1_32";

/// One user agent: its SIP identity and where its media lives.
struct Agent {
    SipParty party;
    util::Endpoint media;
};

Agent agent(SeededBytes& random, std::string user, std::string display, util::Endpoint sip, util::Endpoint media,
            std::string user_agent);
Agent alice(SeededBytes& random, const char* ip = "192.0.2.10", std::uint16_t sip_port = 5060);
Agent bob(SeededBytes& random, const char* ip = "198.51.100.20", std::uint16_t sip_port = 5060);
/// A fresh AES-128 master key and salt from the seed, with this tag and suite.
SdpCrypto crypto(SeededBytes& random, std::uint32_t tag, std::string_view suite);

/// The SDP of one side: its media address, profile and a=crypto lines.
struct Media {
    util::Endpoint address;
    bool savp = false;
    std::vector<SdpCrypto> cryptos;
    std::uint64_t session_id = 0;
    std::uint64_t version = 0;
    bool dtls = false;        ///< UDP/TLS/RTP/SAVP
    std::string fingerprint;  ///< a=fingerprint value
    std::string setup;        ///< a=setup value
};

std::string sdp(const Media& media);
Media media_of(SeededBytes& random, util::Endpoint address, bool savp, std::vector<SdpCrypto> cryptos);
/// Protects media under an SDES key (the scenarios only name suites libsrtp2 has).
std::shared_ptr<SrtpSender> sender(const SdpCrypto& key);

void request(SignalingLink& link, util::Timestamp time, const DialogSpec& dialog, const RequestSpec& spec);
void respond(SignalingLink& link, util::Timestamp time, const DialogSpec& dialog, const RequestSpec& spec, int code,
             std::string_view reason, std::string_view body = {});
RequestSpec invite_spec(SeededBytes& random, std::uint32_t cseq, bool reinvite, std::string offer);
RequestSpec in_dialog_spec(SeededBytes& random, std::string method, std::uint32_t cseq);
/// BYE and its 200 OK, 6 ms apart.
void bye_transaction(SignalingLink& link, util::Timestamp start, const DialogSpec& dialog, SeededBytes& random,
                     std::uint32_t cseq);

}  // namespace zaudit::gen::scenario_builders
