// Scenarios for IAX2 (RFC 5456): one call between two peers on UDP 4569, plain or encrypted
// with AES-128 as Asterisk does it (key MD5(challenge ‖ secret), genuine AES-128-CBC).
#include <array>
#include <optional>
#include <string>

#include "scenarios.hpp"
#include "zaudit/gen/iax2_wire.hpp"

namespace zaudit::gen::scenario_builders {
namespace {

constexpr std::int64_t k_iax2_start = 1'790'100'000'000'000;  // fixed for determinism
constexpr std::uint8_t k_type_voice = 2;
constexpr std::uint8_t k_type_control = 4;
constexpr std::uint8_t k_type_iax = 6;
constexpr std::uint8_t k_new = 1;
constexpr std::uint8_t k_ack = 4;
constexpr std::uint8_t k_hangup = 5;
constexpr std::uint8_t k_accept = 7;
constexpr std::uint8_t k_authreq = 8;
constexpr std::uint8_t k_authrep = 9;
constexpr std::uint8_t k_control_answer = 4;
constexpr std::uint8_t k_ulaw = 0x04;  // format bit 2 (RFC 5456 media formats)
// Information elements (section 8.6).
constexpr std::uint8_t k_ie_called_number = 1;
constexpr std::uint8_t k_ie_calling_number = 2;
constexpr std::uint8_t k_ie_calling_name = 4;
constexpr std::uint8_t k_ie_username = 6;
constexpr std::uint8_t k_ie_capability = 8;
constexpr std::uint8_t k_ie_format = 9;
constexpr std::uint8_t k_ie_version = 11;
constexpr std::uint8_t k_ie_auth_methods = 14;
constexpr std::uint8_t k_ie_challenge = 15;
constexpr std::uint8_t k_ie_md5_result = 16;
constexpr std::uint8_t k_ie_cause = 22;
constexpr std::uint8_t k_ie_encryption = 38;
constexpr std::uint16_t k_auth_md5 = 0x0002;
constexpr std::uint16_t k_aes128 = 0x0001;

/// One IAX2 call between a caller and a callee; frames encrypted once `key` is set.
class Iax2Call {
public:
    Iax2Call(CaptureBuilder& capture, SeededBytes& random)
        : m_capture{capture},
          m_random{random},
          m_caller_call{static_cast<std::uint16_t>(1 + random.u16() % 0x7ffe)},
          m_callee_call{static_cast<std::uint16_t>(1 + random.u16() % 0x7ffe)} {}

    /// A full frame at `ms` after the call's start, from the caller (or the callee).
    void full(bool from_caller, std::uint32_t ms, std::uint8_t type, std::uint8_t csub, util::Bytes data,
              bool known_peer = true) {
        Side& self = m_sides.at(from_caller ? 0 : 1);
        Side& other = m_sides.at(from_caller ? 1 : 0);
        const std::uint16_t source = from_caller ? m_caller_call : m_callee_call;
        const std::uint16_t destination = !known_peer ? 0 : from_caller ? m_callee_call : m_caller_call;
        ByteVector frame = iax2_full_frame(source, destination, ms, self.oseqno, self.iseqno, type, csub, data);
        // ACKs take no sequence number of their own (section 7.1).
        if (!(type == k_type_iax && csub == k_ack)) {
            ++self.oseqno;
            ++other.iseqno;
        }
        send(from_caller, ms, std::move(frame));
    }
    void mini(bool from_caller, std::uint32_t ms, util::Bytes media) {
        send(from_caller, ms,
             iax2_mini_frame(from_caller ? m_caller_call : m_callee_call, static_cast<std::uint16_t>(ms), media));
    }
    void encrypt_with(const Iax2Key& key) { m_key = key; }

private:
    struct Side {
        std::uint8_t oseqno = 0;
        std::uint8_t iseqno = 0;
    };
    void send(bool from_caller, std::uint32_t ms, ByteVector frame) {
        if (m_key) {
            const ByteVector padding = m_random.bytes(31);
            frame = iax2_encrypt(frame, *m_key, padding);
        }
        const util::Timestamp t{k_iax2_start + std::int64_t{ms} * 1000 + (from_caller ? 0 : 400)};
        m_capture.add_udp(t, from_caller ? m_caller : m_callee, from_caller ? m_callee : m_caller, frame);
    }

    CaptureBuilder& m_capture;
    SeededBytes& m_random;
    util::Endpoint m_caller = ep("192.0.2.50", 4569);
    util::Endpoint m_callee = ep("198.51.100.60", 4569);
    std::uint16_t m_caller_call;
    std::uint16_t m_callee_call;
    std::array<Side, 2> m_sides{};
    std::optional<Iax2Key> m_key;
};

ByteVector new_ies(bool ask_encryption) {
    ByteWriter w;
    iax2_ie_u16(w, k_ie_version, 2);
    iax2_ie_text(w, k_ie_called_number, "200");
    iax2_ie_text(w, k_ie_calling_number, "100");
    iax2_ie_text(w, k_ie_calling_name, "Alice");
    iax2_ie_text(w, k_ie_username, "alice");
    iax2_ie_u32(w, k_ie_capability, 0x0e);  // gsm, ulaw, alaw
    iax2_ie_u32(w, k_ie_format, k_ulaw);
    if (ask_encryption) {
        iax2_ie_u16(w, k_ie_encryption, k_aes128);
    }
    return w.take();
}

/// Answer, 2 s of 20 ms G.711 voice each way (a full voice frame first, then mini frames),
/// HANGUP and its ACK; `ms` is where the call stands.
void talk_and_hang_up(Iax2Call& call, std::uint32_t ms) {
    ByteWriter format;
    iax2_ie_u32(format, k_ie_format, k_ulaw);
    call.full(false, ms, k_type_control, k_control_answer, {});
    call.full(true, ms + 2, k_type_iax, k_ack, {});
    constexpr std::uint32_t k_frames = 100;
    for (std::uint32_t i = 0; i < k_frames; ++i) {
        const std::uint32_t t = ms + 20 + i * 20;
        for (const bool from_caller : {true, false}) {
            const ByteVector voice = g711_tone(i * 160 + (from_caller ? 0 : 40));
            if (i == 0) {
                call.full(from_caller, t, k_type_voice, k_ulaw, voice);
            } else {
                call.mini(from_caller, t, voice);
            }
        }
    }
    const std::uint32_t end = ms + 40 + k_frames * 20;
    ByteWriter cause;
    iax2_ie_text(cause, k_ie_cause, "Normal Clearing");
    call.full(true, end, k_type_iax, k_hangup, cause.take());
    call.full(false, end + 3, k_type_iax, k_ack, {});
}

}  // namespace

CaptureBuilder iax2_plain_call(std::uint64_t seed) {
    CaptureBuilder capture;
    SeededBytes random = SeededBytes::for_scenario(seed, "iax2-plain-call");
    Iax2Call call{capture, random};
    call.full(true, 3, k_type_iax, k_new, new_ies(false), false);
    ByteWriter accept;
    iax2_ie_u32(accept, k_ie_format, k_ulaw);
    call.full(false, 10, k_type_iax, k_accept, accept.take());
    call.full(true, 12, k_type_iax, k_ack, {});
    talk_and_hang_up(call, 40);
    return capture;
}

CaptureBuilder iax2_encrypted_call(std::uint64_t seed) {
    CaptureBuilder capture;
    SeededBytes random = SeededBytes::for_scenario(seed, "iax2-encrypted-call");
    Iax2Call call{capture, random};
    constexpr std::string_view k_secret = "trunk-secret-5456";
    const std::string challenge = std::to_string(100'000'000 + random.u32() % 900'000'000);
    call.full(true, 3, k_type_iax, k_new, new_ies(true), false);
    // The callee asks for MD5 authentication and names the encryption it takes (as Asterisk's
    // authenticate_request does); both then derive the key from the challenge and the secret.
    ByteWriter authreq;
    iax2_ie_u16(authreq, k_ie_auth_methods, k_auth_md5);
    iax2_ie_text(authreq, k_ie_challenge, challenge);
    iax2_ie_text(authreq, k_ie_username, "alice");
    iax2_ie_u16(authreq, k_ie_encryption, k_aes128);
    call.full(false, 10, k_type_iax, k_authreq, authreq.take());
    ByteWriter authrep;
    iax2_ie_text(authrep, k_ie_md5_result, iax2_md5_result(challenge, k_secret));
    call.full(true, 14, k_type_iax, k_authrep, authrep.take());
    call.encrypt_with(iax2_key(challenge, k_secret));
    ByteWriter accept;
    iax2_ie_u32(accept, k_ie_format, k_ulaw);
    iax2_ie_u16(accept, k_ie_encryption, k_aes128);
    call.full(false, 20, k_type_iax, k_accept, accept.take());
    call.full(true, 22, k_type_iax, k_ack, {});
    talk_and_hang_up(call, 50);
    return capture;
}

}  // namespace zaudit::gen::scenario_builders
