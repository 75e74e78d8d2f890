// Each attack variant must fail the check it is meant to fail, and only that one.
#include "test_zrtp_checks.hpp"

using namespace zaudit;
using namespace zaudit::gen;
using namespace zrtp_test;

namespace {

ZrtpHandshakeOptions with(void (*set)(ZrtpHandshakeOptions&)) {
    ZrtpHandshakeOptions o;
    set(o);
    return o;
}

}  // namespace

TEST_CASE("tampered Hello: only the initiator's Hello MAC fails") {
    const auto h = run(with([](ZrtpHandshakeOptions& o) { o.tamper_hello = true; }));
    auto expected = all_pass();
    expected.hello_i_mac = false;
    CHECK(run_checks(h.main) == expected);
    // The genuine Hello (and so a=zrtp-hash) differs from the one on the wire in one byte.
    const Blob wire = message_of(h.main.packets.front().udp_payload);
    CHECK(wire != h.hello_message(ZrtpSide::initiator));
    CHECK(wire.size() == h.hello_message(ZrtpSide::initiator).size());
}

TEST_CASE("forged Hello: SHA-256(H2) != H3 and its MAC fails under the real H2, nothing else") {
    const auto h = run(with([](ZrtpHandshakeOptions& o) { o.forge_hello_h3 = true; }));
    auto expected = all_pass();
    expected.hello_i_h3 = false;
    expected.hello_i_mac = false;
    CHECK(run_checks(h.main) == expected);
}

TEST_CASE("substituted DHPart2: only hvi fails") {
    const auto genuine = run();
    const auto h = run(with([](ZrtpHandshakeOptions& o) { o.substitute_dhpart2 = true; }));
    auto expected = all_pass();
    expected.hvi = false;
    CHECK(run_checks(h.main) == expected);
    const Messages a{genuine.main.packets};
    const Messages b{h.main.packets};
    CHECK(cut(a.from_i.at("DHPart2"), 76, 384) != cut(b.from_i.at("DHPart2"), 76, 384));
    CHECK(a.from_i.at("Commit") == b.from_i.at("Commit"));  // the initiator's hvi is unchanged
    CHECK(genuine.main.keys.s0 != h.main.keys.s0);
}

TEST_CASE("broken hash chain: SHA-256(H1) != H2 and the Commit MAC fails under H1, nothing else") {
    const auto h = run(with([](ZrtpHandshakeOptions& o) { o.break_hash_chain = true; }));
    auto expected = all_pass();
    expected.chain_i = false;
    expected.commit_mac = false;
    CHECK(run_checks(h.main) == expected);
}

TEST_CASE("GoClear carries HMAC(mackeyi, \"GoClear \") and the Confirms the A flag") {
    const auto h = run(with([](ZrtpHandshakeOptions& o) { o.go_clear = true; }));
    const auto t = types(h.main.packets);
    REQUIRE(t.size() == 12);
    CHECK(t[10] == "I:GoClear");
    CHECK(t[11] == "R:ClearACK");
    const Messages m{h.main.packets};
    const Blob& goclear = m.from_i.at("GoClear");
    CHECK(goclear.size() == 20);
    CHECK(cut(goclear, 12, 8) == hmac8(crypto::HashAlgorithm::sha256, h.main.keys.mackey_i, text("GoClear ")));
    CHECK(cut(goclear, 12, 8) != hmac8(crypto::HashAlgorithm::sha256, h.main.keys.mackey_r, text("GoClear ")));
    const Blob& c2 = m.from_i.at("Confirm2");
    const Blob plain = zrtp_aes_cfb(h.main.keys.zrtpkey_i, cut(c2, 20, 16), Bytes(c2).subspan(36), false);
    CHECK(plain[35] == 0x02);  // A
    CHECK(run_checks(h.main) == all_pass());
    // Without the option the A flag is clear.
    const auto plain_run = run();
    const Blob c2b = Messages{plain_run.main.packets}.from_i.at("Confirm2");
    CHECK(zrtp_aes_cfb(plain_run.main.keys.zrtpkey_i, cut(c2b, 20, 16), Bytes(c2b).subspan(36), false)[35] == 0);
}

TEST_CASE("Error after the Commit, then ErrorACK, the handshake does not complete") {
    const auto h = run(with([](ZrtpHandshakeOptions& o) { o.error_code = 0x61; }));
    CHECK(types(h.main.packets) == std::vector<std::string>{"I:Hello", "R:HelloACK", "R:Hello", "I:HelloACK",
                                                            "I:Commit", "R:Error", "I:ErrorACK"});
    CHECK_FALSE(h.main.completed);
    CHECK(h.main.sas.empty());
    const Blob error = Messages{h.main.packets}.from_r.at("Error");
    CHECK(util::to_hex(error) == "505a00044572726f7220202000000061");
}

TEST_CASE("SASrelay from the M-flagged side, sealed with its keys, and RelayACK") {
    auto pbx = alice();
    pbx.mitm_flag = true;
    const auto h = run(with([](ZrtpHandshakeOptions& o) { o.sas_relay = true; }), pbx, bob());
    const auto t = types(h.main.packets);
    REQUIRE(t.size() == 12);
    CHECK(t[10] == "I:SASrelay");
    CHECK(t[11] == "R:RelayACK");
    const Blob relay = Messages{h.main.packets}.from_i.at("SASrelay");
    CHECK(relay.size() == 19 * 4);
    CHECK(hmac8(crypto::HashAlgorithm::sha256, h.main.keys.mackey_i, Bytes(relay).subspan(36)) == cut(relay, 12, 8));
    const Blob plain = zrtp_aes_cfb(h.main.keys.zrtpkey_i, cut(relay, 20, 16), Bytes(relay).subspan(36), false);
    CHECK(cut(plain, 0, 4) == Blob{0, 0, 0, 0});
    CHECK(cut(plain, 4, 4) == text("B32 "));
    CHECK(plain.size() == 40);
    // Without an M flag anywhere the responder relays.
    const auto h2 = run(with([](ZrtpHandshakeOptions& o) { o.sas_relay = true; }));
    CHECK(types(h2.main.packets)[10] == "R:SASrelay");
}

TEST_CASE("multistream: Commit with Mult and a nonce, no DHPart, keys from ZRTPSess") {
    const auto h = run(with([](ZrtpHandshakeOptions& o) { o.multistream = true; }));
    REQUIRE(h.second.has_value());
    const auto& s = *h.second;
    CHECK(types(s.packets) == std::vector<std::string>{"I:Hello", "R:HelloACK", "R:Hello", "I:HelloACK", "I:Commit",
                                                       "R:Confirm1", "I:Confirm2", "R:Conf2ACK"});
    CHECK(zrtp_test::wire_crc(s.packets.front().udp_payload) != 0);
    CHECK(s.packets.front().udp_payload[11] == 0x12);  // SSRC 0x11111112
    const Messages m{s.packets};
    const Blob& commit = m.from_i.at("Commit");
    CHECK(commit.size() == 25 * 4);
    CHECK(cut(commit, 68, 4) == text("Mult"));
    const auto sha = crypto::HashAlgorithm::sha256;
    const Blob total_hash = sha256(join({m.from_r.at("Hello"), commit}));
    const Blob context = join({alice().zid, bob().zid, total_hash});
    const Blob s0 = kdf(sha, h.main.keys.zrtp_session, "ZRTP MSK", context, 256);
    CHECK(s.keys.s0 == s0);
    const Blob zrtpkey_r = kdf(sha, s0, "Responder ZRTP key", context, 128);
    const Blob& c1 = m.from_r.at("Confirm1");
    const Blob h0 = cut(zrtp_aes_cfb(zrtpkey_r, cut(c1, 20, 16), Bytes(c1).subspan(36), false), 0, 32);
    CHECK(sha256(sha256(sha256(h0))) == cut(m.from_r.at("Hello"), 32, 32));  // H0 → H3 of this stream
    CHECK(s.keys.srtp_key_i != h.main.keys.srtp_key_i);
    CHECK(mac_ok(commit, sha256(cut(zrtp_aes_cfb(kdf(sha, s0, "Initiator ZRTP key", context, 128),
                                                 cut(m.from_i.at("Confirm2"), 20, 16),
                                                 Bytes(m.from_i.at("Confirm2")).subspan(36), false),
                                    0, 32))));
}

TEST_CASE("corrupted CRC: one bad Commit copy, then the good one with the next sequence number") {
    const auto h = run(with([](ZrtpHandshakeOptions& o) { o.corrupt_crc = true; }));
    std::vector<std::size_t> bad;
    for (std::size_t k = 0; k < h.main.packets.size(); ++k) {
        if (!crc_ok(h.main.packets[k].udp_payload)) {
            bad.push_back(k);
        }
    }
    REQUIRE(bad.size() == 1);
    const auto& broken = h.main.packets[bad[0]];
    const auto& good = h.main.packets[bad[0] + 1];
    CHECK(broken.message_type == "Commit");
    CHECK(good.message_type == "Commit");
    CHECK(message_of(broken.udp_payload) == message_of(good.udp_payload));
    CHECK(good.udp_payload[3] == static_cast<std::uint8_t>(broken.udp_payload[3] + 1));
    auto expected = all_pass();
    expected.all_crc = false;
    CHECK(run_checks(h.main) == expected);
}

TEST_CASE("retransmitted Hello: the same message under the next sequence number") {
    const auto h = run(with([](ZrtpHandshakeOptions& o) { o.retransmit_hello = true; }));
    const auto& a = h.main.packets[0];
    const auto& b = h.main.packets[1];
    CHECK(b.message_type == "Hello");
    CHECK(b.from_initiator);
    CHECK(message_of(a.udp_payload) == message_of(b.udp_payload));
    CHECK(a.udp_payload != b.udp_payload);
    CHECK(run_checks(h.main) == all_pass());
}

TEST_CASE("retransmitted Hello with different content: both MACs hold, the messages differ") {
    const auto h = run(with([](ZrtpHandshakeOptions& o) { o.retransmit_hello_changed = true; }));
    const Blob a = message_of(h.main.packets[0].udp_payload);
    const Blob b = message_of(h.main.packets[1].udp_payload);
    CHECK(h.main.packets[1].message_type == "Hello");
    CHECK(a != b);
    CHECK(cut(a, 32, 32) == cut(b, 32, 32));  // same H3, same ZID: the same claimed sender
    CHECK(cut(a, 64, 12) == cut(b, 64, 12));
    const auto& h2 = h.hash_chain(ZrtpSide::initiator).h2;
    CHECK(mac_ok(a, h2));
    CHECK(mac_ok(b, h2));
}

TEST_CASE("fragmented messages: bzrtp-style pieces that reassemble to the genuine messages") {
    const auto h = run(with([](ZrtpHandshakeOptions& o) { o.max_fragment_size = 200; }));
    std::map<bool, Blob> dhpart;  // reassembled DHPart per side
    for (const auto& p : h.main.packets) {
        CHECK(p.udp_payload.size() <= 200);
        CHECK(crc_ok(p.udp_payload));
        if (!p.fragment) {
            CHECK(p.udp_payload[0] == 0x10);
            continue;
        }
        CHECK(p.udp_payload[0] == 0x11);
        const Blob& f = p.udp_payload;
        Blob& out = dhpart[p.from_initiator];
        out.resize(static_cast<std::size_t>((f[14] << 8) | f[15]) * 4);
        const std::size_t offset = static_cast<std::size_t>((f[16] << 8) | f[17]) * 4;
        std::copy(f.begin() + 20, f.end() - 4, out.begin() + static_cast<std::ptrdiff_t>(offset));
    }
    const auto genuine = run();
    const Messages m{genuine.main.packets};
    CHECK(dhpart[false] == m.from_r.at("DHPart1"));
    CHECK(dhpart[true] == m.from_i.at("DHPart2"));
}

TEST_CASE("a MiTM flag on one Hello changes only that bit") {
    auto pbx = bob();
    pbx.mitm_flag = true;
    const auto h = run({}, alice(), pbx);
    const auto plain = run();
    Blob a = h.hello_message(ZrtpSide::responder);
    Blob b = plain.hello_message(ZrtpSide::responder);
    CHECK(a[76] == 0x20);
    CHECK(b[76] == 0x00);
    CHECK(run_checks(h.main) == all_pass());
}
