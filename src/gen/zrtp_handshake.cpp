// RFC 6189 section 4: the DH-mode handshake (4.1-4.6), multistream (4.4.3), GoClear (4.7.2),
// SASrelay (4.5.4 / 5.13) and Error (5.9), between two simulated endpoints.

#include "zaudit/gen/zrtp_handshake.hpp"

#include <algorithm>

#include "zaudit/crypto/key_agreement.hpp"
#include "zaudit/util/hex.hpp"

namespace zaudit::gen {
namespace {

using util::Error;
using util::Expected;

std::string label(std::string_view stream, std::string_view name) {
    return std::string{stream} + std::string{name};
}

ZrtpHashImage sha256_image(util::Bytes data) {
    return crypto::sha256(data);
}

/// H0 random, H1 = SHA-256(H0), H2 = SHA-256(H1), H3 = SHA-256(H2) (section 9: always SHA-256).
ZrtpHashChain make_chain(const ZrtpSeededBytes& random, std::string_view stream) {
    ZrtpHashChain chain;
    chain.h0 = random.take_array<32>(label(stream, "H0"));
    chain.h1 = sha256_image(chain.h0);
    chain.h2 = sha256_image(chain.h1);
    chain.h3 = sha256_image(chain.h2);
    return chain;
}

/// One endpoint during one stream: its secrets and its sending state.
struct Party {
    const ZrtpEndpointConfig& config;
    ZrtpSeededBytes random;
    std::string stream;  ///< "" for the DH stream, "ms/" for the multistream one
    bool initiator = false;
    ZrtpHashChain chain;
    std::uint32_t ssrc = 0;
    std::uint16_t sequence = 0;
    std::uint16_t message_id = 1;

    Party(const ZrtpEndpointConfig& c, bool is_initiator, std::string_view stream_label)
        : config{c}, random{c.seed}, stream{stream_label}, initiator{is_initiator} {
        chain = make_chain(random, stream);
        const ZrtpBytes start = random.take(label(stream, "sequence"), 2);
        // Start low enough that a sample never wraps; real stacks start anywhere.
        sequence = static_cast<std::uint16_t>(1 + (((start[0] << 8) | start[1]) & 0x3FFF));
        ssrc = stream.empty() ? c.ssrc : (c.multistream_ssrc != 0 ? c.multistream_ssrc : c.ssrc + 1);
    }
    [[nodiscard]] ZrtpBytes take(std::string_view name, std::size_t size) const {
        return random.take(label(stream, name), size);
    }
    template <std::size_t N>
    [[nodiscard]] std::array<std::uint8_t, N> take_array(std::string_view name) const {
        return random.take_array<N>(label(stream, name));
    }
};

std::string message_type_of(util::Bytes message) {
    std::string type{util::as_text(message.subspan(4, 8))};
    type.erase(type.find_last_not_of(' ') + 1);
    return type;
}

/// The packets of one stream, in the order they crossed the wire.
struct Wire {
    std::vector<ZrtpWirePacket>& packets;
    std::size_t max_fragment_size = 0;

    void send(Party& from, util::Bytes message) {
        const std::string type = message_type_of(message);
        const std::size_t whole = message.size() + k_zrtp_packet_header_size + k_zrtp_crc_size;
        if (max_fragment_size != 0 && whole > max_fragment_size) {
            const auto fragments =
                zrtp_fragment_packets(from.sequence, from.ssrc, message, {from.message_id++, max_fragment_size});
            for (const auto& packet : fragments) {
                packets.push_back({from.initiator, packet, type, true});
            }
            from.sequence = static_cast<std::uint16_t>(from.sequence + fragments.size());
            return;
        }
        packets.push_back({from.initiator, zrtp_packet(from.sequence++, from.ssrc, message), type, false});
    }
    void send_with_bad_crc(Party& from, util::Bytes message) {
        ZrtpBytes packet = zrtp_packet(from.sequence++, from.ssrc, message);
        packet.back() ^= 0xFF;
        packets.push_back({from.initiator, std::move(packet), message_type_of(message), false});
    }
};

/// Byte offset of the client identifier's last character inside a Hello message.
constexpr std::size_t k_client_id_last = 12 + 4 + 15;

void hello_phase(Wire& wire, Party& i, Party& r, const ZrtpHandshakeOptions& o, ZrtpStreamResult& out) {
    const bool first = i.stream.empty();
    out.initiator_hello = zrtp_hello_message(zrtp_hello_fields(i.config, i.chain.h3), i.chain.h2);
    out.responder_hello = zrtp_hello_message(zrtp_hello_fields(r.config, r.chain.h3), r.chain.h2);
    ZrtpBytes sent = out.initiator_hello;
    if (first && o.forge_hello_h3) {
        // An attacker's Hello: its own H2', H3' = SHA-256(H2'), MAC keyed by H2'.
        const auto h2_forged = i.take_array<32>("attacker/H2");
        sent = zrtp_hello_message(zrtp_hello_fields(i.config, sha256_image(h2_forged)), h2_forged);
    }
    if (first && o.tamper_hello) {
        sent[k_client_id_last] ^= 0x01;  // after the MAC; the packet CRC is computed afterwards
    }
    wire.send(i, sent);
    if (first && o.retransmit_hello) {
        wire.send(i, sent);
    }
    if (first && o.retransmit_hello_changed) {
        ZrtpHelloFields fields = zrtp_hello_fields(i.config, i.chain.h3);
        std::string client_id{util::as_text(util::Bytes(out.initiator_hello).subspan(16, 16))};
        client_id.back() = client_id.back() == 'x' ? 'y' : 'x';
        fields.client_id = client_id;
        wire.send(i, zrtp_hello_message(fields, i.chain.h2));
    }
    wire.send(r, zrtp_ack_message("HelloACK"));
    wire.send(r, out.responder_hello);
    wire.send(i, zrtp_ack_message("HelloACK"));
}

ZrtpSealKeys seal_keys(crypto::HashAlgorithm hash, const ZrtpSessionKeys& keys, bool initiator) {
    return {hash, initiator ? keys.zrtpkey_i : keys.zrtpkey_r, initiator ? keys.mackey_i : keys.mackey_r};
}

void confirm_phase(Wire& wire, Party& i, Party& r, crypto::HashAlgorithm hash, const ZrtpSessionKeys& keys,
                   const ZrtpHashImage& initiator_h0, bool allow_clear) {
    ZrtpConfirmFields c1;
    c1.h0 = r.chain.h0;
    c1.allow_clear = allow_clear;
    c1.iv = r.take_array<16>("confirm-iv");
    wire.send(r, zrtp_confirm_message(c1, seal_keys(hash, keys, false)));
    ZrtpConfirmFields c2;
    c2.confirm2 = true;
    c2.h0 = initiator_h0;
    c2.allow_clear = allow_clear;
    c2.iv = i.take_array<16>("confirm-iv");
    wire.send(i, zrtp_confirm_message(c2, seal_keys(hash, keys, true)));
    wire.send(r, zrtp_ack_message("Conf2ACK"));
}

ZrtpDhPartFields dhpart_fields(const Party& p, bool part2, const ZrtpHashImage& h1, ZrtpBytes pv) {
    ZrtpDhPartFields f;
    f.part2 = part2;
    f.h1 = h1;
    // No cached secrets: the IDs are random values (section 4.3.1).
    f.rs1_id = p.take_array<8>("rs1ID");
    f.rs2_id = p.take_array<8>("rs2ID");
    f.auxsecret_id = p.take_array<8>("auxsecretID");
    f.pbxsecret_id = p.take_array<8>("pbxsecretID");
    f.pv = std::move(pv);
    return f;
}

Expected<crypto::KeyPair> key_pair(const Party& p, crypto::KeyAgreementAlgorithm ka, std::string_view name) {
    return crypto::key_pair_from_private(ka, p.take(name, crypto::private_key_size(ka)));
}

ZrtpBytes concat(std::initializer_list<util::Bytes> parts) {
    ZrtpBytes out;
    for (const auto& part : parts) {
        out.insert(out.end(), part.begin(), part.end());
    }
    return out;
}

struct StreamContext {
    crypto::HashAlgorithm hash = crypto::HashAlgorithm::sha256;
    std::size_t key_size = 16;
};

/// Commit, DHPart1, DHPart2 and the key schedule; false when the responder answered with Error.
Expected<bool> dh_phase(Wire& wire, Party& i, Party& r, const ZrtpHandshakeOptions& o, const StreamContext& ctx,
                        ZrtpStreamResult& out, ZrtpHashImage& initiator_h0) {
    const auto ka = crypto::key_agreement_from_name(out.algorithms.key_agreement).value();
    auto pair_i = key_pair(i, ka, "dh-private");
    auto pair_r = key_pair(r, ka, "dh-private");
    auto pair_attacker = key_pair(i, ka, "attacker/dh-private");
    if (!pair_i || !pair_r || !pair_attacker) {
        return Error{"ZRTP generator: key pair generation failed"};
    }
    // break_hash_chain: DHPart2 and Confirm2 come from another chain H0' → H1'.
    ZrtpHashImage h0_i = i.chain.h0;
    ZrtpHashImage h1_i = i.chain.h1;
    if (o.break_hash_chain) {
        h0_i = i.take_array<32>("attacker/H0");
        h1_i = sha256_image(h0_i);
    }
    ZrtpDhPartFields d2 = dhpart_fields(i, true, h1_i, pair_i->public_value);
    const ZrtpBytes dhpart2_genuine = zrtp_dhpart_message(d2, h0_i);
    ZrtpBytes dhpart2_sent = dhpart2_genuine;
    if (o.substitute_dhpart2) {
        d2.pv = pair_attacker->public_value;
        dhpart2_sent = zrtp_dhpart_message(d2, h0_i);
    }
    // hvi = hash(initiator's DHPart2 ‖ responder's Hello), truncated to 256 bits (4.4.1.1).
    ZrtpBytes hvi = crypto::digest(ctx.hash, concat({dhpart2_genuine, out.responder_hello}));
    hvi.resize(32);
    const ZrtpCommitFields commit_fields{i.chain.h2,
                                         i.config.zid,
                                         out.algorithms.hash,
                                         out.algorithms.cipher,
                                         out.algorithms.auth_tag,
                                         out.algorithms.key_agreement,
                                         out.algorithms.sas,
                                         hvi};
    const ZrtpBytes commit = zrtp_commit_message(commit_fields, i.chain.h1);
    if (o.corrupt_crc) {
        wire.send_with_bad_crc(i, commit);
    }
    wire.send(i, commit);
    if (o.error_code) {
        wire.send(r, zrtp_error_message(*o.error_code));
        wire.send(i, zrtp_ack_message("ErrorACK"));
        return false;
    }
    const ZrtpBytes dhpart1 =
        zrtp_dhpart_message(dhpart_fields(r, false, r.chain.h1, pair_r->public_value), r.chain.h0);
    wire.send(r, dhpart1);
    wire.send(i, dhpart2_sent);

    // The wire's keys are the responder's: DH with the pv it received (the attacker's one when
    // DHPart2 was substituted, and the attacker computes the same from its own private key).
    auto dh_result = crypto::shared_secret(*pair_r, d2.pv);
    auto dh_check = crypto::shared_secret(o.substitute_dhpart2 ? *pair_attacker : *pair_i, pair_r->public_value);
    if (!dh_result || !dh_check || *dh_result != *dh_check) {
        return Error{"ZRTP generator: the two sides' DH results differ"};
    }
    out.dh_result = *dh_result;
    out.total_hash = crypto::digest(ctx.hash, concat({out.responder_hello, commit, dhpart1, dhpart2_sent}));
    out.kdf_context = zrtp_kdf_context(i.config.zid, r.config.zid, out.total_hash);
    ZrtpBytes s0 = zrtp_s0_dh(ctx.hash, *dh_result, i.config.zid, r.config.zid, out.total_hash);
    out.keys = zrtp_derive_keys(ctx.hash, ctx.key_size, std::move(s0), out.kdf_context);
    initiator_h0 = h0_i;
    return true;
}

void after_confirm(Wire& wire, Party& i, Party& r, const ZrtpHandshakeOptions& o, const StreamContext& ctx,
                   const ZrtpStreamResult& out) {
    if (o.sas_relay) {
        const bool from_initiator = i.config.mitm_flag && !r.config.mitm_flag;
        Party& relay = from_initiator ? i : r;
        Party& other = from_initiator ? r : i;
        ZrtpSasRelayFields f;
        f.rendering = out.algorithms.sas;
        f.relayed_sashash = relay.take_array<32>("relayed-sashash");
        f.iv = relay.take_array<16>("sasrelay-iv");
        wire.send(relay, zrtp_sasrelay_message(f, seal_keys(ctx.hash, out.keys, from_initiator)));
        wire.send(other, zrtp_ack_message("RelayACK"));
    }
    if (o.go_clear) {
        wire.send(i, zrtp_goclear_message(seal_keys(ctx.hash, out.keys, true)));
        wire.send(r, zrtp_ack_message("ClearACK"));
    }
}

Expected<StreamContext> stream_context(const ZrtpNegotiated& n) {
    const auto hash = zrtp_hash_from_name(n.hash);
    const auto key_size = zrtp_cipher_key_size(n.cipher);
    if (!hash || !key_size) {
        return Error{"ZRTP generator: negotiated hash or cipher not supported"};
    }
    return StreamContext{*hash, *key_size};
}

void finish_stream(ZrtpStreamResult& out, const Party& i, const Party& r) {
    out.initiator_chain = i.chain;
    out.responder_chain = r.chain;
    if (out.completed && out.algorithms.sas == "B32 ") {
        out.sas = zrtp_sas_b32(out.keys.sas_value);
    }
}

Expected<ZrtpStreamResult> run_dh_stream(const ZrtpEndpointConfig& ci, const ZrtpEndpointConfig& cr,
                                         const ZrtpHandshakeOptions& o, const ZrtpNegotiated& n) {
    const auto ctx = stream_context(n);
    if (!ctx) {
        return ctx.error();
    }
    ZrtpStreamResult out;
    out.algorithms = n;
    Party i{ci, true, ""};
    Party r{cr, false, ""};
    Wire wire{out.packets, o.max_fragment_size};
    hello_phase(wire, i, r, o, out);
    ZrtpHashImage initiator_h0{};
    const auto keyed = dh_phase(wire, i, r, o, *ctx, out, initiator_h0);
    if (!keyed) {
        return keyed.error();
    }
    if (*keyed) {
        confirm_phase(wire, i, r, ctx->hash, out.keys, initiator_h0, o.go_clear);
        out.completed = true;
        after_confirm(wire, i, r, o, *ctx, out);
    }
    finish_stream(out, i, r);
    return out;
}

/// Section 4.4.3: a second stream keyed from ZRTPSess, with no DH exchange.
ZrtpStreamResult run_multistream(const ZrtpEndpointConfig& ci, const ZrtpEndpointConfig& cr,
                                 const ZrtpHandshakeOptions& o, const ZrtpStreamResult& first,
                                 const StreamContext& ctx) {
    ZrtpStreamResult out;
    out.algorithms = first.algorithms;
    out.algorithms.key_agreement = "Mult";
    Party i{ci, true, "ms/"};
    Party r{cr, false, "ms/"};
    Wire wire{out.packets, o.max_fragment_size};
    hello_phase(wire, i, r, o, out);
    const ZrtpCommitFields fields{i.chain.h2,
                                  ci.zid,
                                  out.algorithms.hash,
                                  out.algorithms.cipher,
                                  out.algorithms.auth_tag,
                                  "Mult",
                                  out.algorithms.sas,
                                  i.take("nonce", 16)};
    const ZrtpBytes commit = zrtp_commit_message(fields, i.chain.h1);
    wire.send(i, commit);
    // total_hash = hash(responder's Hello ‖ Commit); s0 = KDF(ZRTPSess, "ZRTP MSK", KDF_Context, L).
    out.total_hash = crypto::digest(ctx.hash, concat({out.responder_hello, commit}));
    out.kdf_context = zrtp_kdf_context(ci.zid, cr.zid, out.total_hash);
    ZrtpBytes s0 = zrtp_s0_multistream(ctx.hash, first.keys.zrtp_session, out.kdf_context);
    out.keys = zrtp_derive_keys(ctx.hash, ctx.key_size, std::move(s0), out.kdf_context);
    confirm_phase(wire, i, r, ctx.hash, out.keys, i.chain.h0, false);
    out.completed = true;
    finish_stream(out, i, r);
    return out;
}

}  // namespace

ZrtpHandshakeGenerator::ZrtpHandshakeGenerator(ZrtpEndpointConfig initiator, ZrtpEndpointConfig responder,
                                               ZrtpHandshakeOptions options)
    : m_initiator{std::move(initiator)}, m_responder{std::move(responder)}, m_options{options} {}

util::Expected<ZrtpHandshake> ZrtpHandshakeGenerator::run() const {
    const auto negotiated = zrtp_negotiate(m_initiator, m_responder);
    if (!negotiated) {
        return negotiated.error();
    }
    auto main = run_dh_stream(m_initiator, m_responder, m_options, *negotiated);
    if (!main) {
        return main.error();
    }
    ZrtpHandshake result;
    result.main = std::move(main).value();
    if (m_options.multistream && result.main.completed) {
        const auto ctx = stream_context(*negotiated);
        result.second = run_multistream(m_initiator, m_responder, m_options, result.main, *ctx);
    }
    return result;
}

const ZrtpBytes& ZrtpHandshake::hello_message(ZrtpSide side) const {
    return side == ZrtpSide::initiator ? main.initiator_hello : main.responder_hello;
}

std::string ZrtpHandshake::zrtp_hash_attribute(ZrtpSide side, std::string_view version) const {
    return std::string{version} + " " + util::to_hex(crypto::sha256(hello_message(side)));
}

const ZrtpHashChain& ZrtpHandshake::hash_chain(ZrtpSide side) const {
    return side == ZrtpSide::initiator ? main.initiator_chain : main.responder_chain;
}

const ZrtpBytes& ZrtpHandshake::srtp_master_key(ZrtpSide sender) const {
    return sender == ZrtpSide::initiator ? main.keys.srtp_key_i : main.keys.srtp_key_r;
}

const ZrtpBytes& ZrtpHandshake::srtp_master_salt(ZrtpSide sender) const {
    return sender == ZrtpSide::initiator ? main.keys.srtp_salt_i : main.keys.srtp_salt_r;
}

}  // namespace zaudit::gen
