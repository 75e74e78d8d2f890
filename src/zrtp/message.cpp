#include "zaudit/zrtp/message.hpp"

#include <algorithm>
#include <array>
#include <type_traits>
#include <utility>

#include <boost/crc.hpp>
#include <fmt/format.h>

#include "zaudit/zrtp/algorithms.hpp"

namespace zaudit::zrtp {
namespace {

using util::AnomalyCode;
using util::ByteReader;
using util::Bytes;

constexpr std::size_t k_mac_size = 8;

/// Section 5.1.1 type blocks in MessageType order.
constexpr std::array<std::pair<MessageType, std::string_view>, 16> k_types = {{
    {MessageType::hello, "Hello   "},
    {MessageType::hello_ack, "HelloACK"},
    {MessageType::commit, "Commit  "},
    {MessageType::dhpart1, "DHPart1 "},
    {MessageType::dhpart2, "DHPart2 "},
    {MessageType::confirm1, "Confirm1"},
    {MessageType::confirm2, "Confirm2"},
    {MessageType::conf2_ack, "Conf2ACK"},
    {MessageType::error, "Error   "},
    {MessageType::error_ack, "ErrorACK"},
    {MessageType::go_clear, "GoClear "},
    {MessageType::clear_ack, "ClearACK"},
    {MessageType::sas_relay, "SASrelay"},
    {MessageType::relay_ack, "RelayACK"},
    {MessageType::ping, "Ping    "},
    {MessageType::ping_ack, "PingACK "},
}};

template <std::size_t N>
std::array<std::uint8_t, N> take(ByteReader& r) {
    std::array<std::uint8_t, N> out{};
    const Bytes b = r.bytes(N);
    std::copy(b.begin(), b.end(), out.begin());
    return out;
}

std::vector<std::uint8_t> take_vector(ByteReader& r, std::size_t n) {
    const Bytes b = r.bytes(n);
    return {b.begin(), b.end()};
}

std::string take_text(ByteReader& r, std::size_t n) {
    return std::string{r.text(n)};
}

/// Records an anomaly at `offset` of the message or packet whose list `into` is.
void note(std::vector<util::Anomaly>& into, AnomalyCode code, std::size_t offset, std::string detail) {
    into.push_back({code, 0, offset, std::move(detail)});
}

/// The parse context of one message body: a reader over the fields and, for the message types
/// that end in a hash-image MAC, the MAC (always the last 8 bytes, whatever the counts say).
struct BodyContext {
    ByteReader fields;     ///< starts right after the type block
    std::size_t base = 0;  ///< message offset of fields' first byte
    Message& message;

    void anomaly(AnomalyCode code, std::string reason) {
        note(message.anomalies, code, base + fields.offset(), std::move(reason));
    }
    /// Records a field run that ended early (the reader is sticky, so one check per body).
    void check_complete(std::string_view what) {
        if (!fields.ok()) {
            note(message.anomalies, AnomalyCode::zrtp_body_truncated, base + fields.failed_at(),
                 fmt::format("{} body ends before its fields", what));
        }
    }
};

/// Splits a MAC-terminated body: fields before, MAC last. Returns false when too short.
bool split_mac(BodyContext& ctx, Mac& mac) {
    const std::size_t size = ctx.fields.remaining();
    if (size < k_mac_size) {
        ctx.anomaly(AnomalyCode::zrtp_body_truncated, "no room for the 8-byte MAC");
        return false;
    }
    ByteReader fields = ctx.fields.sub(size - k_mac_size);
    mac = take<k_mac_size>(ctx.fields);
    ctx.fields = fields;
    return true;
}

std::vector<std::string> algorithm_list(ByteReader& r, unsigned count) {
    std::vector<std::string> names;
    for (unsigned i = 0; i < count && r.ok(); ++i) {
        names.push_back(take_text(r, 4));
    }
    return names;
}

/*  Section 5.2 Hello (after the 3-word message header):
    | version (1 word) | Client Identifier (4 words) | H3 (8 words) | ZID (3 words) |
    |0|S|M|P| unused (zeros)|  hc   |  cc   |  ac   |  kc   |  sc   |
    | hash (hc words) | cipher (cc) | auth tag (ac) | key agreement (kc) | SAS (sc) | MAC (2 words) |
    Fixed part 88 bytes; each count 0..7 (bzrtp clamps to 7). */
void parse_hello(BodyContext& ctx) {
    Hello hello;
    if (!split_mac(ctx, hello.mac)) {
        return;
    }
    ByteReader& r = ctx.fields;
    hello.version = take_text(r, 4);
    hello.client_id = take_text(r, 16);
    hello.h3 = take<32>(r);
    hello.zid = take<12>(r);
    const std::uint8_t flags = r.u8();
    hello.signature_capable = (flags & 0x40) != 0;
    hello.mitm = (flags & 0x20) != 0;
    hello.passive = (flags & 0x10) != 0;
    const unsigned hc = r.u8() & 0x0fu;
    const std::uint8_t cc_ac = r.u8();
    const std::uint8_t kc_sc = r.u8();
    const unsigned cc = cc_ac >> 4u, ac = cc_ac & 0x0fu, kc = kc_sc >> 4u, sc = kc_sc & 0x0fu;
    ctx.check_complete("Hello");
    if (!r.ok()) {
        ctx.message.body = std::move(hello);
        return;
    }
    if (std::max({hc, cc, ac, kc, sc}) > 7) {
        ctx.anomaly(AnomalyCode::zrtp_hello_count_above_7,
                    fmt::format("algorithm counts {}/{}/{}/{}/{} exceed 7", hc, cc, ac, kc, sc));
    }
    const std::size_t listed = std::size_t{4} * (hc + cc + ac + kc + sc);
    if (listed != r.remaining()) {
        ctx.anomaly(AnomalyCode::zrtp_hello_length_mismatch,
                    fmt::format("counts announce {} bytes of algorithms, {} present", listed, r.remaining()));
    }
    hello.hashes = algorithm_list(r, hc);
    hello.ciphers = algorithm_list(r, cc);
    hello.auth_tags = algorithm_list(r, ac);
    hello.key_agreements = algorithm_list(r, kc);
    hello.sas_types = algorithm_list(r, sc);
    ctx.check_complete("Hello");
    ctx.message.body = std::move(hello);
}

/*  Section 5.4 Commit: | H2 (8 words) | ZID (3) | hash | cipher | auth tag | key agreement | SAS |
    then by key agreement: DH "hvi (8 words)"; "Mult": nonce (4 words); "Prsh": nonce (4) and
    keyID (2); bzrtp KEM: hvi then the public key. Then MAC (2 words). */
void parse_commit(BodyContext& ctx) {
    Commit commit;
    if (!split_mac(ctx, commit.mac)) {
        return;
    }
    ByteReader& r = ctx.fields;
    commit.h2 = take<32>(r);
    commit.zid = take<12>(r);
    commit.hash = take_text(r, 4);
    commit.cipher = take_text(r, 4);
    commit.auth_tag = take_text(r, 4);
    commit.key_agreement = take_text(r, 4);
    commit.sas = take_text(r, 4);
    if (commit.key_agreement == "Mult") {
        commit.mode = CommitMode::multistream;
        commit.nonce = take_vector(r, 16);
    } else if (commit.key_agreement == "Prsh") {
        commit.mode = CommitMode::preshared;
        commit.nonce = take_vector(r, 16);
        commit.key_id = take<8>(r);
    } else {
        commit.hvi = take_vector(r, 32);
        const Bytes rest = r.rest();
        commit.kem_public_key.assign(rest.begin(), rest.end());
    }
    ctx.check_complete("Commit");
    // Only bzrtp's KEMs put bytes after hvi; after a nonce (or keyID) nothing may follow.
    const bool extra_allowed = key_agreement_info(commit.key_agreement).kind == KeyAgreementKind::kem ||
                               key_agreement_info(commit.key_agreement).kind == KeyAgreementKind::unknown;
    if (r.ok() && (!r.empty() || (!extra_allowed && !commit.kem_public_key.empty()))) {
        ctx.anomaly(AnomalyCode::zrtp_commit_unexpected_length,
                    fmt::format("{} bytes after the {} fields", r.remaining() + commit.kem_public_key.size(),
                                commit.key_agreement));
    }
    ctx.message.body = std::move(commit);
}

/*  Sections 5.5/5.6 DHPart1/DHPart2: | H1 (8 words) | rs1ID (2) | rs2ID (2) | auxsecretID (2) |
    pbxsecretID (2) | pv (by key agreement: DH3k 96 words ...) | MAC (2 words) |
    The parser does not know the key agreement, so pv is whatever lies before the MAC. */
void parse_dhpart(BodyContext& ctx) {
    DhPart part;
    if (!split_mac(ctx, part.mac)) {
        return;
    }
    ByteReader& r = ctx.fields;
    part.h1 = take<32>(r);
    part.rs1_id = take<8>(r);
    part.rs2_id = take<8>(r);
    part.auxsecret_id = take<8>(r);
    part.pbxsecret_id = take<8>(r);
    const Bytes pv = r.rest();
    part.pv.assign(pv.begin(), pv.end());
    ctx.check_complete("DHPart");
    ctx.message.body = std::move(part);
}

/*  Section 5.7 Confirm1/Confirm2: | confirm_mac (2 words) | CFB IV (4 words) | encrypted:
    H0, flags, cache expiration, optional signature |. Section 5.13 SASrelay has the same outer
    layout (MAC, IV, encrypted part). */
template <typename T>
void parse_sealed(BodyContext& ctx, std::string_view what) {
    T sealed;
    ByteReader& r = ctx.fields;
    if constexpr (std::is_same_v<T, Confirm>) {
        sealed.confirm_mac = take<8>(r);
    } else {
        sealed.mac = take<8>(r);
    }
    sealed.cfb_iv = take<16>(r);
    sealed.encrypted_size = r.remaining();
    ctx.check_complete(what);
    ctx.message.body = sealed;
}

void parse_confirm(BodyContext& ctx) {
    parse_sealed<Confirm>(ctx, "Confirm");
}
void parse_sas_relay(BodyContext& ctx) {
    parse_sealed<SasRelay>(ctx, "SASrelay");
}

/// Section 5.9 Error: | Integer Error Code (1 word) |.
void parse_error(BodyContext& ctx) {
    ErrorBody error{ctx.fields.u32be()};
    ctx.check_complete("Error");
    ctx.message.body = error;
}

/// Section 5.11 GoClear: | clear_mac (2 words) |.
void parse_go_clear(BodyContext& ctx) {
    GoClear clear{take<8>(ctx.fields)};
    ctx.check_complete("GoClear");
    ctx.message.body = clear;
}

/// Section 5.15 Ping: | version (1 word) | Endpoint Hash (2 words) |.
void parse_ping(BodyContext& ctx) {
    Ping ping;
    ping.version = take_text(ctx.fields, 4);
    ping.endpoint_hash = take<8>(ctx.fields);
    ctx.check_complete("Ping");
    ctx.message.body = std::move(ping);
}

/// Section 5.16 PingACK: | version | Endpoint Hash (2 words) | Received Endpoint Hash (2) | SSRC |.
void parse_ping_ack(BodyContext& ctx) {
    PingAck ack;
    ack.version = take_text(ctx.fields, 4);
    ack.sender_endpoint_hash = take<8>(ctx.fields);
    ack.received_endpoint_hash = take<8>(ctx.fields);
    ack.ssrc = ctx.fields.u32be();
    ctx.check_complete("PingACK");
    ctx.message.body = std::move(ack);
}

void parse_empty(BodyContext& /*ctx*/) {}

using BodyParser = void (*)(BodyContext&);

/// The dispatch table, indexed like k_types; with the body size each type has when fixed
/// (bzrtp packetParser.c *_FIXED_LENGTH minus the 12-byte message header), or 0 when variable.
struct TypeEntry {
    MessageType type;
    BodyParser parse;
    std::size_t fixed_body = 0;
};
constexpr std::array<TypeEntry, 16> k_parsers = {{
    {MessageType::hello, parse_hello, 0},
    {MessageType::hello_ack, parse_empty, 0},
    {MessageType::commit, parse_commit, 0},
    {MessageType::dhpart1, parse_dhpart, 0},
    {MessageType::dhpart2, parse_dhpart, 0},
    {MessageType::confirm1, parse_confirm, 0},
    {MessageType::confirm2, parse_confirm, 0},
    {MessageType::conf2_ack, parse_empty, 0},
    {MessageType::error, parse_error, 4},
    {MessageType::error_ack, parse_empty, 0},
    {MessageType::go_clear, parse_go_clear, 8},
    {MessageType::clear_ack, parse_empty, 0},
    {MessageType::sas_relay, parse_sas_relay, 0},
    {MessageType::relay_ack, parse_empty, 0},
    {MessageType::ping, parse_ping, 12},
    {MessageType::ping_ack, parse_ping_ack, 24},
}};

bool is_ack(MessageType type) {
    return type == MessageType::hello_ack || type == MessageType::conf2_ack || type == MessageType::error_ack ||
           type == MessageType::clear_ack || type == MessageType::relay_ack;
}

}  // namespace

std::string_view message_type_block(MessageType type) {
    for (const auto& [t, block] : k_types) {
        if (t == type) {
            return block;
        }
    }
    return "";
}

std::string_view message_type_name(MessageType type) {
    const std::string_view block = message_type_block(type);
    if (block.empty()) {
        return "unknown";
    }
    return block.substr(0, block.find_last_not_of(' ') + 1);
}

MessageType message_type_from_block(std::string_view block) {
    for (const auto& [t, b] : k_types) {
        if (b == block) {
            return t;
        }
    }
    return MessageType::unknown;
}

/*  Section 5.1.1 message header:
     0                   1                   2                   3
     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |0 1 0 1 0 0 0 0 0 1 0 1 1 0 1 0|             length            |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |            Message Type Block            (2 words)            |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    length counts 32-bit words of the whole message, this header included. */
Message parse_message(Bytes message_bytes) {
    Message message;
    ByteReader r{message_bytes};
    const std::uint16_t preamble = r.u16be();
    message.length_words = r.u16be();
    message.type_block = std::string{r.text(8)};
    if (!r.ok()) {
        message.bytes.assign(message_bytes.begin(), message_bytes.end());
        note(message.anomalies, AnomalyCode::zrtp_message_truncated, r.failed_at(),
             fmt::format("{} bytes, shorter than the 12-byte message header", message_bytes.size()));
        return message;
    }
    if (preamble != k_preamble) {
        note(message.anomalies, AnomalyCode::zrtp_bad_preamble, 0,
             fmt::format("preamble 0x{:04x}, expected 0x505a", preamble));
    }
    const std::size_t declared = std::size_t{message.length_words} * 4;
    std::size_t extent = message_bytes.size();
    if (declared < k_message_header_size) {
        note(message.anomalies, AnomalyCode::zrtp_bad_length, 2,
             fmt::format("length {} words is below the header's 3", message.length_words));
    } else if (declared > message_bytes.size()) {
        note(message.anomalies, AnomalyCode::zrtp_message_truncated, message_bytes.size(),
             fmt::format("length says {} bytes, {} present", declared, message_bytes.size()));
    } else {
        if (declared < message_bytes.size()) {
            note(message.anomalies, AnomalyCode::zrtp_trailing_bytes, declared,
                 fmt::format("{} bytes after the declared length", message_bytes.size() - declared));
        }
        extent = declared;
    }
    message.bytes.assign(message_bytes.begin(), message_bytes.begin() + static_cast<std::ptrdiff_t>(extent));
    message.type = message_type_from_block(message.type_block);
    if (message.type == MessageType::unknown) {
        note(message.anomalies, AnomalyCode::zrtp_unknown_type, 4,
             fmt::format("unknown type block \"{}\"", message.type_block));
        return message;
    }
    const auto entry =
        std::find_if(k_parsers.begin(), k_parsers.end(), [&](const TypeEntry& e) { return e.type == message.type; });
    BodyContext ctx{ByteReader{Bytes{message.bytes}.subspan(k_message_header_size)}, k_message_header_size, message};
    const std::size_t body_size = ctx.fields.remaining();
    if ((entry->fixed_body != 0 && body_size != entry->fixed_body) || (is_ack(message.type) && body_size != 0)) {
        ctx.anomaly(AnomalyCode::zrtp_unexpected_length,
                    fmt::format("{} body is {} bytes, expected {}", message_type_name(message.type), body_size,
                                entry->fixed_body));
    }
    entry->parse(ctx);
    return message;
}

Bytes mac_input(const Message& message) {
    const Bytes all{message.bytes};
    return all.first(all.size() >= k_mac_size ? all.size() - k_mac_size : 0);
}

std::uint32_t crc32c(Bytes data) {
    // Castagnoli polynomial 0x1EDC6F41, reflected in and out, init and final XOR all ones
    // (RFC 3309, RFC 4960 appendix B, which RFC 6189 section 5 points to).
    boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true> crc;
    crc.process_bytes(data.data(), data.size());
    return crc.checksum();
}

bool looks_like_zrtp(Bytes udp_payload) {
    ByteReader r{udp_payload};
    const std::uint8_t first = r.u8();
    r.skip(3);
    const std::uint32_t magic = r.u32be();
    return r.ok() && (first == 0x10 || first == 0x11) && magic == k_magic_cookie;
}

bool Message::incomplete() const {
    return std::any_of(anomalies.begin(), anomalies.end(), [](const util::Anomaly& a) {
        return a.code == AnomalyCode::zrtp_message_truncated || a.code == AnomalyCode::zrtp_body_truncated;
    });
}

/*  Section 5 packet (bzrtp's fragment variant in the second block):
     0                   1                   2                   3
     0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |0 0 0 1 0 0 0 0| (set to zero) |         Sequence Number       |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |                 Magic Cookie 'ZRTP' (0x5a525450)              |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |                        Source Identifier                      |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |           ZRTP Message (length depends on Message Type)       |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    |                          CRC (1 word)                         |
    +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    First byte 0x11 (bzrtp): after the SSRC | message id | total length | and | offset |
    fragment length | (16 bits each, lengths and offset in words), then the fragment.

    CRC byte order: RFC 6189 refers to RFC 4960 appendix B, whose reflected CRC lands on the wire
    least significant byte first. bzrtp (cryptoUtils.cc bzrtp_CRC32) computes the standard
    CRC-32C, swaps its bytes and writes the result big-endian: the same bytes. The linphone
    captures in tests/interop confirm it (tshark marks their checksums good). */
Packet parse_packet(Bytes udp_payload, bool cut_by_capture) {
    Packet packet;
    packet.cut = cut_by_capture;
    ByteReader r{udp_payload};
    packet.header.first_byte = r.u8();
    packet.header.second_byte = r.u8();
    packet.header.sequence = r.u16be();
    packet.header.magic = r.u32be();
    packet.header.ssrc = r.u32be();
    const bool fragmented = packet.header.first_byte == 0x11;
    const std::size_t header = fragmented ? k_fragment_header_size : k_header_size;
    if (!r.ok() || udp_payload.size() < header + (cut_by_capture ? 0 : k_crc_size)) {
        note(packet.anomalies, AnomalyCode::zrtp_packet_truncated, udp_payload.size(),
             fmt::format("{} bytes, too short for a {}-byte header{}", udp_payload.size(), header,
                         cut_by_capture ? "" : " and the CRC"));
        return packet;
    }
    if (packet.header.first_byte != 0x10 && !fragmented) {
        note(packet.anomalies, AnomalyCode::zrtp_bad_first_byte, 0,
             fmt::format("first byte 0x{:02x}", packet.header.first_byte));
    }
    if (packet.header.second_byte != 0) {
        note(packet.anomalies, AnomalyCode::zrtp_nonzero_reserved, 1, "second byte is not zero");
    }
    if (packet.header.magic != k_magic_cookie) {
        note(packet.anomalies, AnomalyCode::zrtp_bad_magic, 4, fmt::format("magic 0x{:08x}", packet.header.magic));
    }
    // Of a cut packet, every byte kept is header and message: its CRC was past the cut.
    const Bytes covered = cut_by_capture ? udp_payload : udp_payload.first(udp_payload.size() - k_crc_size);
    if (!cut_by_capture) {
        ByteReader crc_reader{udp_payload.last(k_crc_size)};
        packet.crc_stored = crc_reader.u32le();
        packet.crc_computed = crc32c(covered);
        packet.crc_valid = packet.crc_stored == packet.crc_computed;
    }
    if (!packet.crc_valid && !cut_by_capture) {
        note(packet.anomalies, AnomalyCode::zrtp_crc_mismatch, covered.size(),
             fmt::format("CRC 0x{:08x} on the wire, 0x{:08x} computed", packet.crc_stored, packet.crc_computed));
    }
    if (fragmented) {
        FragmentInfo fragment;
        fragment.message_id = r.u16be();
        fragment.total_words = r.u16be();
        fragment.offset_words = r.u16be();
        fragment.length_words = r.u16be();
        const Bytes data = covered.subspan(k_fragment_header_size);
        fragment.data.assign(data.begin(), data.end());
        if (data.size() != std::size_t{fragment.length_words} * 4) {
            note(packet.anomalies, AnomalyCode::zrtp_fragment_length_mismatch, 18,
                 fmt::format("fragment length says {} words, {} bytes present", fragment.length_words, data.size()));
        }
        packet.fragment = std::move(fragment);
        return packet;
    }
    Message message = parse_message(covered.subspan(k_header_size));
    if (cut_by_capture) {
        // Bytes after a whole message are the start of its CRC, not trailing bytes; fields read
        // from part of a message are not the sender's (a ZID of zeros, a MAC that is not one).
        std::erase_if(message.anomalies,
                      [](const util::Anomaly& a) { return a.code == AnomalyCode::zrtp_trailing_bytes; });
        if (message.incomplete()) {
            message.body = std::monostate{};
        }
    }
    for (const util::Anomaly& a : message.anomalies) {
        note(packet.anomalies, a.code, a.offset + k_header_size, a.detail);
    }
    packet.message = std::move(message);
    return packet;
}

}  // namespace zaudit::zrtp
