#include "test_zrtp_checks.hpp"

#include "zaudit/crypto/key_agreement.hpp"

using namespace zaudit;
using namespace zaudit::gen;
using namespace zrtp_test;

namespace {

std::uint16_t u16(const Blob& b, std::size_t at) {
    return static_cast<std::uint16_t>((b[at] << 8) | b[at + 1]);
}
std::uint32_t u32(const Blob& b, std::size_t at) {
    return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8) |
           b[at + 3];
}

}  // namespace

TEST_CASE("the DH handshake has RFC 6189 figure 1's messages in order") {
    const auto h = run();
    CHECK(types(h.main.packets) == std::vector<std::string>{"I:Hello", "R:HelloACK", "R:Hello", "I:HelloACK",
                                                            "I:Commit", "R:DHPart1", "I:DHPart2", "R:Confirm1",
                                                            "I:Confirm2", "R:Conf2ACK"});
    CHECK(h.main.completed);
    CHECK_FALSE(h.second.has_value());
}

TEST_CASE("every packet has the section 5 header, a word-counted length and a valid CRC") {
    const auto h = run();
    std::map<bool, std::uint16_t> last_sequence;
    for (const auto& p : h.main.packets) {
        const Blob& b = p.udp_payload;
        CHECK(b[0] == 0x10);
        CHECK(b[1] == 0x00);
        CHECK(u32(b, 4) == 0x5a525450);
        CHECK(u32(b, 8) == (p.from_initiator ? 0x11111111u : 0x22222222u));
        CHECK(u16(b, 12) == 0x505a);
        CHECK(u16(b, 14) * 4u == b.size() - 16);
        CHECK(crc_ok(b));
        const auto sequence = u16(b, 2);
        if (last_sequence.count(p.from_initiator) != 0) {
            CHECK(sequence == last_sequence[p.from_initiator] + 1);
        }
        last_sequence[p.from_initiator] = sequence;
    }
    const Messages m{h.main.packets};
    CHECK(m.from_i.at("Hello").size() / 4 == 22 + 1 + 1 + 2 + 2 + 1);  // S256 AES1 HS32 HS80 DH3k Mult B32
    CHECK(m.from_i.at("Commit").size() == 29 * 4);
    CHECK(m.from_r.at("DHPart1").size() == (21 + 96) * 4);  // DH3k pv is 384 bytes
    CHECK(m.from_r.at("Confirm1").size() == 19 * 4);
    CHECK(m.from_r.at("Conf2ACK").size() == 3 * 4);
}

TEST_CASE("a genuine handshake passes every check a verifier can make") {
    CHECK(run_checks(run().main) == all_pass());
}

TEST_CASE("s0 and the session keys follow sections 4.4.1.4 and 4.5 (recomputed in the test)") {
    const auto h = run();
    const Messages m{h.main.packets};
    const Blob total_hash =
        sha256(join({m.from_r.at("Hello"), m.from_i.at("Commit"), m.from_r.at("DHPart1"), m.from_i.at("DHPart2")}));
    CHECK(h.main.total_hash == total_hash);
    const auto zidi = alice().zid;
    const auto zidr = bob().zid;
    // DHResult: the DH3k shared secret, 384 bytes; recompute it from the responder's private key
    // (drawn from the documented seeded stream) and the initiator's pv on the wire.
    const Blob priv_r = ZrtpSeededBytes{2}.take("dh-private", 64);
    const auto pair_r = crypto::key_pair_from_private(crypto::KeyAgreementAlgorithm::dh3k, priv_r);
    REQUIRE(pair_r.has_value());
    CHECK(pair_r->public_value == cut(m.from_r.at("DHPart1"), 76, 384));
    const auto dh = crypto::shared_secret(*pair_r, cut(m.from_i.at("DHPart2"), 76, 384));
    REQUIRE(dh.has_value());
    CHECK(*dh == h.main.dh_result);
    const Blob s0 =
        sha256(join({be32(1), *dh, text("ZRTP-HMAC-KDF"), zidi, zidr, total_hash, be32(0), be32(0), be32(0)}));
    CHECK(h.main.keys.s0 == s0);
    const Blob context = join({zidi, zidr, total_hash});
    const auto sha = crypto::HashAlgorithm::sha256;
    CHECK(h.main.keys.zrtp_session == kdf(sha, s0, "ZRTP Session Key", context, 256));
    CHECK(h.main.keys.mackey_r == kdf(sha, s0, "Responder HMAC key", context, 256));
    CHECK(h.main.keys.zrtpkey_r == kdf(sha, s0, "Responder ZRTP key", context, 128));
    CHECK(h.srtp_master_key(ZrtpSide::initiator) == kdf(sha, s0, "Initiator SRTP master key", context, 128));
    CHECK(h.srtp_master_salt(ZrtpSide::initiator) == kdf(sha, s0, "Initiator SRTP master salt", context, 112));
    CHECK(h.srtp_master_key(ZrtpSide::responder) == kdf(sha, s0, "Responder SRTP master key", context, 128));
    CHECK(h.srtp_master_salt(ZrtpSide::responder).size() == 14);
    const Blob sashash = kdf(sha, s0, "SAS", context, 256);
    CHECK(h.main.keys.sashash == sashash);
    // B32: the leftmost 20 bits, 5 bits per z-base-32 character.
    const std::string alphabet = "ybndrfg8ejkmcpqxot1uwisza345h769";
    const std::uint32_t v = u32(sashash, 0);
    CHECK(h.main.sas ==
          std::string{alphabet[v >> 27], alphabet[(v >> 22) & 31], alphabet[(v >> 17) & 31], alphabet[(v >> 12) & 31]});
    // Confirm1: MAC over the ciphertext with mackeyr, plaintext = H0 ‖ flags ‖ cache expiration.
    const Blob& c1 = m.from_r.at("Confirm1");
    const auto mackey_r = kdf(sha, s0, "Responder HMAC key", context, 256);
    CHECK(hmac8(sha, mackey_r, Bytes(c1).subspan(36)) == cut(c1, 12, 8));
    const Blob plain =
        zrtp_aes_cfb(kdf(sha, s0, "Responder ZRTP key", context, 128), cut(c1, 20, 16), Bytes(c1).subspan(36), false);
    CHECK(Blob(plain.begin(), plain.begin() + 32) ==
          Blob(h.main.responder_chain.h0.begin(), h.main.responder_chain.h0.end()));
    CHECK(sha256(cut(plain, 0, 32)) == cut(m.from_r.at("DHPart1"), 12, 32));
    CHECK(cut(plain, 32, 8) == Blob{0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff});
}

TEST_CASE("H0..H3 form the section 9 hash chain and a=zrtp-hash covers the Hello message only") {
    const auto h = run();
    for (auto side : {ZrtpSide::initiator, ZrtpSide::responder}) {
        const auto& c = h.hash_chain(side);
        CHECK(sha256(c.h0) == Blob(c.h1.begin(), c.h1.end()));
        CHECK(sha256(c.h1) == Blob(c.h2.begin(), c.h2.end()));
        CHECK(sha256(c.h2) == Blob(c.h3.begin(), c.h3.end()));
    }
    const Blob& first = h.main.packets.front().udp_payload;
    CHECK(h.hello_message(ZrtpSide::initiator) == message_of(first));
    CHECK(h.zrtp_hash_attribute(ZrtpSide::initiator) == "1.10 " + util::to_hex(sha256(message_of(first))));
    CHECK(h.zrtp_hash_attribute(ZrtpSide::initiator) != "1.10 " + util::to_hex(sha256(first)));
}

TEST_CASE("same seed gives the same bytes, another seed other bytes") {
    const auto a = run();
    const auto b = run();
    REQUIRE(a.main.packets.size() == b.main.packets.size());
    for (std::size_t k = 0; k < a.main.packets.size(); ++k) {
        CHECK(a.main.packets[k].udp_payload == b.main.packets[k].udp_payload);
    }
    auto other = alice();
    other.seed = 99;
    const auto c = run({}, other);
    CHECK(c.main.packets.front().udp_payload != a.main.packets.front().udp_payload);
}

TEST_CASE("every supported key agreement completes with the right pv size") {
    const std::vector<std::pair<std::string, std::size_t>> cases{
        {"DH2k", 256}, {"DH3k", 384}, {"EC25", 64}, {"EC38", 96}, {"X255", 32}};
    for (const auto& [name, pv_size] : cases) {
        auto i = alice();
        auto r = bob();
        i.key_agreements = {name};
        r.key_agreements = {name};
        i.hashes = r.hashes = {"S384", "S256"};
        i.ciphers = r.ciphers = {"AES3", "AES1"};
        const auto h = run({}, i, r);
        INFO(name);
        CHECK(h.main.algorithms.key_agreement == name);
        CHECK(h.main.algorithms.hash == "S384");
        CHECK(run_checks(h.main) == all_pass());
        const Messages m{h.main.packets};
        CHECK(m.from_r.at("DHPart1").size() == 84 + pv_size);
        CHECK(h.main.keys.zrtpkey_i.size() == 32);
        CHECK(h.main.keys.mackey_i.size() == 48);
    }
}

TEST_CASE("negotiation: equal first choices win, else the faster first choice (section 4.1.2)") {
    auto i = alice();
    auto r = bob();
    i.key_agreements = {"EC25", "DH3k"};
    r.key_agreements = {"EC25", "DH3k"};
    CHECK(zrtp_negotiate(i, r)->key_agreement == "EC25");
    r.key_agreements = {"DH3k", "EC25"};
    CHECK(zrtp_negotiate(i, r)->key_agreement == "EC25");  // EC25 is faster than DH3k
    i.key_agreements = {"EC38", "DH2k"};
    r.key_agreements = {"DH2k", "EC38"};
    CHECK(zrtp_negotiate(i, r)->key_agreement == "DH2k");
    // EC38 brings S384 and AES-256 when both offer them (section 5.1.5).
    i.key_agreements = r.key_agreements = {"EC38"};
    i.hashes = r.hashes = {"S256", "S384"};
    i.ciphers = r.ciphers = {"AES1", "AES3"};
    const auto n = zrtp_negotiate(i, r);
    CHECK(n->hash == "S384");
    CHECK(n->cipher == "AES3");
}

TEST_CASE("negotiation: omitted mandatory algorithms still count as offered") {
    auto i = alice();
    auto r = bob();
    i.omit_mandatory_algorithms = true;
    i.key_agreements = {"X255"};
    i.hashes = {"S384"};
    r.key_agreements = {"EC25"};
    const auto n = zrtp_negotiate(i, r);
    REQUIRE(n.has_value());
    CHECK(n->key_agreement == "DH3k");  // only the mandatory DH3k is common
    CHECK(n->hash == "S256");
    const auto h = run({}, i, r);
    const Blob hello = h.hello_message(ZrtpSide::initiator);
    CHECK(hello[77] == 1);     // hc = 1: S384 only
    CHECK(hello[78] == 0x00);  // cc = 0, ac = 0
    CHECK(hello[79] == 0x10);  // kc = 1 (X255), sc = 0
    CHECK(cut(hello, 80, 8) == text("S384X255"));
    CHECK(run_checks(h.main) == all_pass());
}

TEST_CASE("Hello flags S, M, P sit in the top bits of the flag word") {
    auto i = alice();
    i.sigcap_flag = true;
    i.passive_flag = true;
    auto r = bob();
    r.mitm_flag = true;
    const auto h = run({}, i, r);
    CHECK(h.hello_message(ZrtpSide::initiator)[76] == 0x50);
    CHECK(h.hello_message(ZrtpSide::responder)[76] == 0x20);
}
