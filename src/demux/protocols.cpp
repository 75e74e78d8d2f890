#include "zaudit/demux/protocols.hpp"

#include <array>

namespace zaudit::demux {

namespace {

constexpr std::uint32_t k_stun_cookie = 0x2112A442;  // RFC 8489 section 5
constexpr std::size_t k_stun_header = 20;
constexpr std::size_t k_dtls_header = 13;   // type, version, epoch, sequence number (48 bits), length
constexpr std::size_t k_max_quic_cid = 20;  // RFC 9000 section 17.2: at most 20 bytes in QUIC v1 and v2

/// Message types of RFC 3489 (section 11.1), which had no magic cookie: Binding and Shared
/// Secret requests, responses and error responses.
bool classic_stun_type(std::uint16_t type) {
    constexpr std::array<std::uint16_t, 6> k_types{0x0001, 0x0101, 0x0111, 0x0002, 0x0102, 0x0112};
    for (const std::uint16_t known : k_types) {
        if (type == known) {
            return true;
        }
    }
    return false;
}

bool quic_version(std::uint32_t version) {
    // 1 (RFC 9000), 2 (RFC 9369), the IETF drafts 0xff0000xx, and 0 for Version Negotiation.
    return version == 0x00000001 || version == 0x6b3343cf || (version & 0xffffff00U) == 0xff000000U || version == 0;
}

}  // namespace

bool looks_like_stun(util::Bytes payload) {
    util::ByteReader r{payload};
    const std::uint16_t type = r.u16be();
    const std::uint16_t length = r.u16be();
    const std::uint32_t cookie = r.u32be();
    if (!r.ok() || (type & 0xC000) != 0 || length % 4 != 0 || payload.size() != k_stun_header + length) {
        return false;
    }
    return cookie == k_stun_cookie || classic_stun_type(type);
}

bool looks_like_modern_stun(util::Bytes payload) {
    util::ByteReader r{payload};
    r.skip(4);
    return looks_like_stun(payload) && r.u32be() == k_stun_cookie;
}

bool looks_like_dtls_record(util::Bytes payload) {
    util::ByteReader r{payload};
    const std::uint8_t type = r.u8();
    const std::uint8_t major = r.u8();
    const std::uint8_t minor = r.u8();
    r.skip(8);  // epoch, sequence number
    const std::uint16_t length = r.u16be();
    // 20-26: change_cipher_spec, alert, handshake, application_data, heartbeat, tls12_cid, ack.
    // 254.255 is DTLS 1.0, 254.253 DTLS 1.2 (and DTLS 1.3's legacy record version).
    return r.ok() && type >= 20 && type <= 26 && major == 254 && (minor == 255 || minor == 253 || minor == 252) &&
           length <= payload.size() - k_dtls_header;
}

bool looks_like_turn_channel(util::Bytes payload) {
    util::ByteReader r{payload};
    const std::uint16_t channel = r.u16be();
    const std::uint16_t length = r.u16be();
    constexpr std::size_t k_max_padding = 3;  // to a multiple of four (RFC 8656 section 12.5)
    return r.ok() && channel >= 0x4000 && channel <= 0x4FFF && r.remaining() >= length &&
           r.remaining() - length <= k_max_padding;
}

std::optional<WireGuardMessage> wireguard_message(util::Bytes payload) {
    util::ByteReader r{payload};
    const std::uint8_t type = r.u8();
    const std::uint32_t reserved = r.u24be();
    if (!r.ok() || reserved != 0) {
        return std::nullopt;
    }
    const std::size_t size = payload.size();
    constexpr std::size_t k_block = 16;  // transport data is padded to 16 bytes, its tag is 16
    switch (type) {
        case 1: return size == 148 ? std::optional{WireGuardMessage::handshake_initiation} : std::nullopt;
        case 2: return size == 92 ? std::optional{WireGuardMessage::handshake_response} : std::nullopt;
        case 3: return size == 64 ? std::optional{WireGuardMessage::cookie_reply} : std::nullopt;
        case 4:
            // type, reserved, receiver index, counter (16 bytes), then at least the tag: a
            // keepalive is 32 bytes.
            return size >= 2 * k_block && size % k_block == 0 ? std::optional{WireGuardMessage::transport_data}
                                                              : std::nullopt;
        default: return std::nullopt;
    }
}

std::optional<OpenVpnHeader> openvpn_header(util::Bytes payload) {
    if (payload.empty()) {
        return std::nullopt;
    }
    const auto opcode = static_cast<std::uint8_t>(payload[0] >> 3);
    const auto key_id = static_cast<std::uint8_t>(payload[0] & 0x07);
    constexpr std::size_t k_control_min = 1 + 8 + 1;  // opcode, session id, ack count
    constexpr std::size_t k_data_min = 1 + 3 + 1;     // opcode, peer id (P_DATA_V2), something
    switch (opcode) {
        case 3:
        case 4:
        case 5:
        case 7:
        case 8:
        case 10:
            if (payload.size() < k_control_min) {
                return std::nullopt;
            }
            break;
        case 6:
        case 9:
            if (payload.size() < k_data_min) {
                return std::nullopt;
            }
            break;
        default: return std::nullopt;
    }
    return OpenVpnHeader{static_cast<OpenVpnOpcode>(opcode), key_id};
}

namespace {

/// A hard reset carries at least opcode, session id, ack count and its own packet id.
constexpr std::size_t k_openvpn_reset_min = 1 + 8 + 1 + 4;

}  // namespace

bool is_openvpn_client_reset(util::Bytes payload) {
    const auto header = openvpn_header(payload);
    return header && header->key_id == 0 && payload.size() >= k_openvpn_reset_min &&
           (header->opcode == OpenVpnOpcode::control_hard_reset_client_v2 ||
            header->opcode == OpenVpnOpcode::control_hard_reset_client_v3);
}

bool is_openvpn_server_reset(util::Bytes payload) {
    const auto header = openvpn_header(payload);
    return header && header->key_id == 0 && payload.size() >= k_openvpn_reset_min &&
           header->opcode == OpenVpnOpcode::control_hard_reset_server_v2;
}

bool looks_like_quic_long_header(util::Bytes payload) {
    util::ByteReader r{payload};
    const std::uint8_t first = r.u8();
    const std::uint32_t version = r.u32be();
    const std::uint8_t dcid_length = r.u8();
    r.skip(dcid_length);
    const std::uint8_t scid_length = r.u8();
    r.skip(scid_length);
    // Form and fixed bits both set: 0b11xxxxxx. (Version Negotiation may clear the fixed bit,
    // which would put it among RTP's first bytes; it is left to the RTP heuristic to refuse.)
    return r.ok() && (first & 0xC0) == 0xC0 && quic_version(version) && dcid_length <= k_max_quic_cid &&
           scid_length <= k_max_quic_cid;
}

bool looks_like_quic_short_header(util::Bytes payload) {
    // First byte, packet number (1-4 bytes) and the 16-byte header protection sample taken 4
    // bytes after the packet number's start (RFC 9001 section 5.4.2), around a connection id
    // of any length the endpoints chose (possibly none).
    constexpr std::size_t k_min_short = 1 + 4 + 16;
    return payload.size() >= k_min_short && (payload[0] & 0xC0) == 0x40;
}

bool looks_like_dns(util::Bytes payload) {
    util::ByteReader r{payload};
    r.skip(2);  // id
    const std::uint16_t flags = r.u16be();
    const std::uint16_t questions = r.u16be();
    const std::uint16_t answers = r.u16be();
    const std::uint16_t authority = r.u16be();
    const std::uint16_t additional = r.u16be();
    if (!r.ok()) {
        return false;
    }
    const unsigned opcode = (flags >> 11) & 0x0F;
    const bool z_bit = (flags & 0x0040) != 0;  // reserved, zero (RFC 1035, RFC 6895 section 2)
    if (z_bit || !(opcode <= 2 || opcode == 4 || opcode == 5)) {
        return false;
    }
    // Smallest question: the root name (1 byte), type and class; smallest record 11 bytes.
    constexpr std::size_t k_min_question = 5;
    constexpr std::size_t k_min_record = 11;
    const std::size_t least =
        std::size_t{questions} * k_min_question + (std::size_t{answers} + authority + additional) * k_min_record;
    if (least > r.remaining()) {
        return false;
    }
    if (questions == 0) {
        return true;
    }
    // The first question's name: labels of 1-63 bytes up to the root label or a compression
    // pointer (RFC 1035 section 4.1.4), 255 bytes at most, then type and class.
    constexpr std::size_t k_max_name = 255;
    constexpr std::uint8_t k_max_label = 63;
    std::size_t name_length = 0;
    for (;;) {
        const std::uint8_t label = r.u8();
        if (!r.ok()) {
            return false;
        }
        if (label == 0) {
            break;
        }
        if ((label & 0xC0) == 0xC0) {
            r.skip(1);
            break;
        }
        if (label > k_max_label) {
            return false;
        }
        r.skip(label);
        name_length += label + 1U;
        if (name_length > k_max_name) {
            return false;
        }
    }
    r.skip(4);  // type, class
    return r.ok();
}

}  // namespace zaudit::demux
