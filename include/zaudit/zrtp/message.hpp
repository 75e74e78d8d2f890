#pragma once
/// \file ZRTP packets and messages (RFC 6189 section 5): bytes in, values out, no judgements.
///
/// Vocabulary. A *packet* is the UDP payload: a 12-byte header (20 bytes for bzrtp's fragments),
/// a *message* and a 4-byte CRC-32C. The *message* runs from the 0x505a preamble through its
/// last field (the MAC where there is one). Hashes and MACs of RFC 6189 (a=zrtp-hash section 8.1,
/// hvi section 4.4.1.1, the hash-image MACs section 9) are computed over messages, never over the
/// packet header or the CRC, so a Message owns exactly those bytes.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "zaudit/util/anomaly.hpp"
#include "zaudit/util/boxed.hpp"
#include "zaudit/util/byte_reader.hpp"

namespace zaudit::zrtp {

using HashImage = std::array<std::uint8_t, 32>;
using Zid = std::array<std::uint8_t, 12>;
using Mac = std::array<std::uint8_t, 8>;
using Iv = std::array<std::uint8_t, 16>;

inline constexpr std::uint32_t k_magic_cookie = 0x5a525450;  ///< "ZRTP", section 5
inline constexpr std::uint16_t k_preamble = 0x505a;          ///< section 5.1.1
inline constexpr std::size_t k_header_size = 12;
inline constexpr std::size_t k_fragment_header_size = 20;
inline constexpr std::size_t k_crc_size = 4;
inline constexpr std::size_t k_message_header_size = 12;  ///< preamble, length, type block

/// The sixteen message types of section 5.1.1, plus unknown type blocks.
enum class MessageType {
    hello,
    hello_ack,
    commit,
    dhpart1,
    dhpart2,
    confirm1,
    confirm2,
    conf2_ack,
    error,
    error_ack,
    go_clear,
    clear_ack,
    sas_relay,
    relay_ack,
    ping,
    ping_ack,
    unknown,
};

/// The 8-character type block ("Hello   ", "DHPart1 " ...); "" for unknown.
std::string_view message_type_block(MessageType type);
/// The type block trimmed ("Hello", "DHPart1"), "unknown" for unknown.
std::string_view message_type_name(MessageType type);
/// MessageType::unknown when the block is not one of the sixteen.
MessageType message_type_from_block(std::string_view block);

/// Section 5.2.
struct Hello {
    std::string version;    ///< 4 characters as sent, "1.10" or "1.20"
    std::string client_id;  ///< 16 characters as sent (padding kept)
    HashImage h3{};
    Zid zid{};
    bool signature_capable = false;  ///< S
    bool mitm = false;               ///< M: a trusted MiTM (PBX)
    bool passive = false;            ///< P
    /// Names in the Hello's order, 4 characters each, kept even when unknown.
    std::vector<std::string> hashes, ciphers, auth_tags, key_agreements, sas_types;
    Mac mac{};
};

/// Which of the three Commit layouts (section 5.4) the key agreement type selects.
enum class CommitMode { dh, multistream, preshared };

/// Section 5.4.
struct Commit {
    HashImage h2{};
    Zid zid{};
    std::string hash, cipher, auth_tag, key_agreement, sas;
    CommitMode mode = CommitMode::dh;
    std::vector<std::uint8_t> hvi;                      ///< DH mode: 32 bytes
    std::vector<std::uint8_t> nonce;                    ///< Multistream and Preshared: 16 bytes
    std::optional<std::array<std::uint8_t, 8>> key_id;  ///< Preshared only
    /// bzrtp's KEM mode puts the initiator's public key between hvi and MAC; empty otherwise.
    std::vector<std::uint8_t> kem_public_key;
    Mac mac{};
};

/// Sections 5.5 and 5.6 (DHPart1 carries the responder's values, DHPart2 the initiator's).
struct DhPart {
    HashImage h1{};
    std::array<std::uint8_t, 8> rs1_id{}, rs2_id{}, auxsecret_id{}, pbxsecret_id{};
    std::vector<std::uint8_t> pv;  ///< everything between pbxsecretID and the MAC
    Mac mac{};
};

/// Sections 5.7 (Confirm1/2). The encrypted part (H0, flags, expiry, signature) is opaque to a
/// passive observer: only its size is kept.
struct Confirm {
    Mac confirm_mac{};
    Iv cfb_iv{};
    std::size_t encrypted_size = 0;
};

/// Section 5.9.
struct ErrorBody {
    std::uint32_t code = 0;
};

/// Section 5.11.
struct GoClear {
    Mac clear_mac{};
};

/// Section 5.13: like Confirm, MAC, IV and an encrypted part.
struct SasRelay {
    Mac mac{};
    Iv cfb_iv{};
    std::size_t encrypted_size = 0;
};

/// Section 5.15.
struct Ping {
    std::string version;
    std::array<std::uint8_t, 8> endpoint_hash{};
};

/// Section 5.16.
struct PingAck {
    std::string version;
    std::array<std::uint8_t, 8> sender_endpoint_hash{};
    std::array<std::uint8_t, 8> received_endpoint_hash{};
    std::uint32_t ssrc = 0;
};

/// HelloACK, Conf2ACK, ErrorACK, ClearACK, RelayACK and unknown types carry no parsed body.
/// Hello and Commit, three times the size of the others, are boxed: a handshake keeps its ten
/// messages until the audit ends, and the acknowledgements would otherwise each pay for a Commit.
using MessageBody = std::variant<std::monostate, util::Boxed<Hello>, util::Boxed<Commit>, DhPart, Confirm, ErrorBody,
                                 GoClear, SasRelay, Ping, PingAck>;

/// One ZRTP message (section 5.1 onwards).
struct Message {
    MessageType type = MessageType::unknown;
    std::string type_block;          ///< the 8 characters as sent
    std::uint16_t length_words = 0;  ///< the length field: the whole message in 32-bit words
    /// The message bytes, preamble first: length_words * 4 bytes when that many were present,
    /// otherwise what was there (see anomalies).
    std::vector<std::uint8_t> bytes;
    MessageBody body;
    /// Malformations (zrtp.* codes), evidence rather than a reason to drop the message; offsets
    /// relative to the message start.
    std::vector<util::Anomaly> anomalies;

    [[nodiscard]] const Hello* hello() const { return unboxed<Hello>(); }
    [[nodiscard]] const Commit* commit() const { return unboxed<Commit>(); }
    [[nodiscard]] const DhPart* dhpart() const { return std::get_if<DhPart>(&body); }
    [[nodiscard]] const Confirm* confirm() const { return std::get_if<Confirm>(&body); }
    [[nodiscard]] const ErrorBody* error() const { return std::get_if<ErrorBody>(&body); }
    [[nodiscard]] const GoClear* go_clear() const { return std::get_if<GoClear>(&body); }
    [[nodiscard]] const SasRelay* sas_relay() const { return std::get_if<SasRelay>(&body); }
    [[nodiscard]] const Ping* ping() const { return std::get_if<Ping>(&body); }
    [[nodiscard]] const PingAck* ping_ack() const { return std::get_if<PingAck>(&body); }
    /// Bytes its length or its body promised are missing (zrtp.message_truncated,
    /// zrtp.body_truncated): nothing computed over the whole message can be checked.
    [[nodiscard]] bool incomplete() const;

private:
    template <class T>
    [[nodiscard]] const T* unboxed() const {
        const auto* boxed = std::get_if<util::Boxed<T>>(&body);
        return boxed != nullptr && *boxed ? &**boxed : nullptr;
    }
};

/// bzrtp's fragment header (not in RFC 6189; packetParser.c, bzrtp_packetCheck): after the
/// SSRC four 16-bit big-endian fields; total length, offset and fragment length count 32-bit
/// words of the reassembled message.
struct FragmentInfo {
    std::uint16_t message_id = 0;
    std::uint16_t total_words = 0;
    std::uint16_t offset_words = 0;
    std::uint16_t length_words = 0;
    std::vector<std::uint8_t> data;  ///< the fragment bytes actually present
};

/// Section 5 packet header.
struct PacketHeader {
    std::uint8_t first_byte = 0;   ///< 0x10 (RFC 6189) or 0x11 (bzrtp fragment)
    std::uint8_t second_byte = 0;  ///< "set to zero"
    std::uint16_t sequence = 0;
    std::uint32_t magic = 0;
    std::uint32_t ssrc = 0;
};

/// One parsed UDP payload.
struct Packet {
    PacketHeader header;
    /// CRC-32C over everything but the last 4 bytes (section 5). The wire carries it least
    /// significant byte first; crc_stored is the value read that way.
    std::uint32_t crc_stored = 0;
    std::uint32_t crc_computed = 0;
    bool crc_valid = false;
    /// The capture cut the packet (its snap length): the CRC is not among the bytes kept, so
    /// crc_valid says nothing, and the message is incomplete (zrtp.message_truncated).
    bool cut = false;
    std::optional<FragmentInfo> fragment;  ///< set for 0x11 packets (then no message)
    std::optional<Message> message;        ///< set for whole (0x10) packets with a message
    std::vector<util::Anomaly> anomalies;  ///< offsets relative to the packet start
};

/// Cheap test for the demultiplexer: first byte 0x10 or 0x11 and the magic cookie at offset 4.
bool looks_like_zrtp(util::Bytes udp_payload);

/// CRC-32C (Castagnoli, RFC 3309; reflected, init and final XOR 0xFFFFFFFF) as a number.
std::uint32_t crc32c(util::Bytes data);

/// Parses a packet. Never throws; a packet too short for a header still yields a Packet whose
/// anomalies say why. A bad CRC is recorded and the message parsed anyway. `cut_by_capture`:
/// the capture kept only the start of the payload, so there is no CRC to check and every byte
/// after the header is message.
Packet parse_packet(util::Bytes udp_payload, bool cut_by_capture = false);

/// Parses a message (preamble onwards), e.g. one reassembled from fragments.
Message parse_message(util::Bytes message_bytes);

/// The message bytes a hash-image MAC covers: all but the last 8 bytes (section 9).
util::Bytes mac_input(const Message& message);

}  // namespace zaudit::zrtp
