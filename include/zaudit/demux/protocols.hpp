#pragma once
/// \file Recognisers for the protocols a UDP payload may carry besides VoIP: each checks the
/// structure its specification fixes (lengths, reserved bits, magic values), so that random
/// bytes match with a probability of 2^-24 or less, and none reads past the payload.
///
/// They only say what a payload is; demux::classify() decides in which order they are asked.

#include <cstdint>
#include <optional>

#include "zaudit/util/byte_reader.hpp"

namespace zaudit::demux {

/// A STUN message (RFC 8489 section 5): the two top bits zero, a length that is a multiple of
/// four and covers exactly the rest of the datagram, and the magic cookie 0x2112A442 (or, for
/// RFC 3489's classic STUN, which has none, a message type of that RFC).
bool looks_like_stun(util::Bytes payload);
/// A STUN message with RFC 8489's magic cookie: STUN by more than RFC 3489's weak rules (an
/// IAX2 mini frame of call number 1 or 2 is classic STUN whenever its 16-bit timestamp equals
/// its length less 20).
bool looks_like_modern_stun(util::Bytes payload);

/// A DTLS record header (RFC 6347 section 4.1, RFC 9147 section 4): content type 20-26,
/// version 254.x, and a length that fits in the datagram.
bool looks_like_dtls_record(util::Bytes payload);

/// A TURN ChannelData message (RFC 8656 section 12.4): channel 0x4000-0x4FFF and a length
/// that the datagram carries, with at most three bytes of padding.
bool looks_like_turn_channel(util::Bytes payload);

/// WireGuard's four messages (the WireGuard paper, section 5.4): a type byte 1-4, three
/// reserved zero bytes, and each type's fixed size (transport data: 16-byte header, then
/// ciphertext padded to 16 bytes with a 16-byte tag).
enum class WireGuardMessage : std::uint8_t {
    handshake_initiation = 1,  ///< 148 bytes
    handshake_response = 2,    ///< 92 bytes
    cookie_reply = 3,          ///< 64 bytes
    transport_data = 4,        ///< receiver index, 8-byte counter, ciphertext: 32 bytes or more, a multiple of 16
};
std::optional<WireGuardMessage> wireguard_message(util::Bytes payload);

/// OpenVPN over UDP (openvpn's ssl_pkt.h, doc/doxygen/network_protocol.txt): the first byte is
/// opcode << 3 | key_id.
enum class OpenVpnOpcode : std::uint8_t {
    control_soft_reset_v1 = 3,
    control_v1 = 4,
    ack_v1 = 5,
    data_v1 = 6,
    control_hard_reset_client_v2 = 7,
    control_hard_reset_server_v2 = 8,
    data_v2 = 9,
    control_hard_reset_client_v3 = 10,
};
struct OpenVpnHeader {
    OpenVpnOpcode opcode = OpenVpnOpcode::control_v1;
    std::uint8_t key_id = 0;
};
/// The opcode and key id of a packet long enough for its opcode: control packets carry an
/// 8-byte session id and an ack count after the first byte, data packets at least a few
/// bytes. One byte is weak evidence: FlowDemux takes it only on a flow that began with the
/// hard resets.
std::optional<OpenVpnHeader> openvpn_header(util::Bytes payload);
/// A client's hard reset (opcode 7 or 10, key id 0) or a server's (8, key id 0): what the
/// first packet of each direction of an OpenVPN flow is.
bool is_openvpn_client_reset(util::Bytes payload);
bool is_openvpn_server_reset(util::Bytes payload);

/// A QUIC long header (RFC 8999 section 5.1, RFC 9000 section 17.2): the form bit set, a
/// version QUIC defines (1, 2 = 0x6b3343cf, drafts 0xff0000xx, 0 for version negotiation),
/// connection ids of at most 20 bytes that fit in the datagram.
bool looks_like_quic_long_header(util::Bytes payload);
/// A short header's first byte (RFC 9000 section 17.3: form bit clear, fixed bit set) on a
/// datagram long enough for a connection id and a packet protection sample. Alone it is one
/// byte of evidence; only a flow that carried a long header makes it QUIC.
bool looks_like_quic_short_header(util::Bytes payload);

/// A DNS message header (RFC 1035 section 4.1.1) that reads as one: a standard opcode
/// (0-2, 4, 5), section counts whose records fit in the datagram, and a first question name
/// made of labels of at most 63 bytes that ends inside it.
bool looks_like_dns(util::Bytes payload);

}  // namespace zaudit::demux
