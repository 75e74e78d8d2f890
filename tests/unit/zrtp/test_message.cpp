#include <catch2/catch.hpp>

#include "unit/zrtp/zrtp_builder.hpp"
#include "zaudit/util/hex.hpp"
#include "zaudit/zrtp/algorithms.hpp"
#include "zaudit/zrtp/message.hpp"

using namespace zaudit::zrtp;
using zaudit::util::Anomaly;
using zaudit::util::AnomalyCode;
using zrtp_test::Blob;

namespace {

bool has_anomaly(const std::vector<Anomaly>& anomalies, AnomalyCode code) {
    return std::any_of(anomalies.begin(), anomalies.end(), [&](const Anomaly& a) { return a.code == code; });
}

Blob ascending(std::size_t n) {
    Blob b(n);
    for (std::size_t i = 0; i < n; ++i) {
        b[i] = static_cast<std::uint8_t>(i);
    }
    return b;
}

}  // namespace

TEST_CASE("crc32c matches the RFC 3720 B.4 vectors") {
    // RFC 3720 appendix B.4 lists these 32-byte patterns with their CRC-32C.
    CHECK(crc32c(Blob(32, 0x00)) == 0x8A9136AAu);
    CHECK(crc32c(Blob(32, 0xFF)) == 0x62A8AB43u);
    CHECK(crc32c(ascending(32)) == 0x46DD794Eu);
    Blob descending = ascending(32);
    std::reverse(descending.begin(), descending.end());
    CHECK(crc32c(descending) == 0x113FDB5Cu);
    // The CRC catalogue's check value for "123456789".
    CHECK(crc32c(zaudit::util::as_bytes("123456789")) == 0xE3069283u);
    // And the test's own bitwise implementation agrees (it builds every packet below).
    CHECK(zrtp_test::reference_crc32c(Blob(32, 0x00)) == 0x8A9136AAu);
}

TEST_CASE("looks_like_zrtp wants 0x10/0x11 and the magic cookie") {
    const Blob p = zrtp_test::packet(zrtp_test::message("HelloACK", {}));
    CHECK(looks_like_zrtp(p));
    Blob fragment = p;
    fragment[0] = 0x11;
    CHECK(looks_like_zrtp(fragment));
    Blob rtp = p;
    rtp[0] = 0x80;
    CHECK_FALSE(looks_like_zrtp(rtp));
    Blob bad_magic = p;
    bad_magic[5] = 0x00;
    CHECK_FALSE(looks_like_zrtp(bad_magic));
    CHECK_FALSE(looks_like_zrtp(Blob{0x10, 0x00, 0x00}));
}

TEST_CASE("packet header, CRC stored little-endian, ACK message") {
    const Blob p = zrtp_test::packet(zrtp_test::message("HelloACK", {}), 0x1234, 0xdeadbeef);
    const Packet packet = parse_packet(p);
    CHECK(packet.header.first_byte == 0x10);
    CHECK(packet.header.sequence == 0x1234);
    CHECK(packet.header.magic == k_magic_cookie);
    CHECK(packet.header.ssrc == 0xdeadbeef);
    CHECK(packet.crc_valid);
    CHECK(packet.crc_stored == zrtp_test::reference_crc32c(Blob(p.begin(), p.end() - 4)));
    REQUIRE(packet.message);
    CHECK(packet.message->type == MessageType::hello_ack);
    CHECK(packet.message->length_words == 3);
    CHECK(packet.message->bytes.size() == 12);
    CHECK(packet.anomalies.empty());
}

TEST_CASE("a bad CRC is recorded and the message still parsed") {
    Blob p = zrtp_test::packet(zrtp_test::message("HelloACK", {}));
    p.back() ^= 0x01;
    const Packet packet = parse_packet(p);
    CHECK_FALSE(packet.crc_valid);
    CHECK(packet.crc_stored != packet.crc_computed);
    CHECK(has_anomaly(packet.anomalies, AnomalyCode::zrtp_crc_mismatch));
    REQUIRE(packet.message);
    CHECK(packet.message->type == MessageType::hello_ack);
}

TEST_CASE("a CRC written big-endian is not accepted") {
    Blob p = zrtp_test::packet(zrtp_test::message("HelloACK", {}));
    std::reverse(p.end() - 4, p.end());
    CHECK_FALSE(parse_packet(p).crc_valid);
}

TEST_CASE("Hello fields") {
    zrtp_test::HelloSpec spec;
    spec.version = "1.20";
    spec.flags = 0x40 | 0x10;  // S and P
    spec.h3 = zrtp_test::filled(32, 0x33);
    spec.hashes = {"S384", "S256"};
    spec.kas = {"X255", "WXYZ"};
    const Blob msg = zrtp_test::hello(spec, zrtp_test::filled(32, 0x22));
    const Packet packet = parse_packet(zrtp_test::packet(msg));
    REQUIRE(packet.message);
    const Hello* h = packet.message->hello();
    REQUIRE(h != nullptr);
    CHECK(packet.anomalies.empty());
    CHECK(h->version == "1.20");
    CHECK(h->client_id == "zaudit-test     ");
    CHECK(h->h3 == HashImage{[] {
              HashImage a{};
              a.fill(0x33);
              return a;
          }()});
    CHECK(h->signature_capable);
    CHECK_FALSE(h->mitm);
    CHECK(h->passive);
    CHECK(h->hashes == std::vector<std::string>{"S384", "S256"});
    CHECK(h->ciphers == std::vector<std::string>{"AES1"});
    CHECK(h->auth_tags == std::vector<std::string>{"HS32", "HS80"});
    CHECK(h->key_agreements == std::vector<std::string>{"X255", "WXYZ"});  // unknown kept as text
    CHECK(h->sas_types == std::vector<std::string>{"B32 "});
    CHECK(std::equal(h->mac.begin(), h->mac.end(), msg.end() - 8));
    CHECK(packet.message->bytes == msg);
}

TEST_CASE("Hello whose counts disagree with its length") {
    zrtp_test::HelloSpec spec;
    Blob msg = zrtp_test::hello(spec, zrtp_test::filled(32, 0));
    msg[12 + 4 + 16 + 32 + 12 + 1] = 0x03;  // hc 3, but one hash listed
    const Message m = parse_message(msg);
    CHECK(has_anomaly(m.anomalies, AnomalyCode::zrtp_hello_length_mismatch));
    REQUIRE(m.hello() != nullptr);
}

TEST_CASE("Hello with a count above 7") {
    zrtp_test::HelloSpec spec;
    Blob msg = zrtp_test::hello(spec, zrtp_test::filled(32, 0));
    msg[12 + 4 + 16 + 32 + 12 + 1] = 0x0f;
    CHECK(has_anomaly(parse_message(msg).anomalies, AnomalyCode::zrtp_hello_count_above_7));
}

TEST_CASE("Commit modes follow the key agreement type") {
    zrtp_test::CommitSpec dh;
    dh.tail = zrtp_test::filled(32, 0x77);
    const Message m = parse_message(zrtp_test::commit(dh, zrtp_test::filled(32, 1)));
    REQUIRE(m.commit() != nullptr);
    CHECK(m.length_words == 29);  // RFC 6189 5.4: DH Commit is 29 words
    CHECK(m.commit()->mode == CommitMode::dh);
    CHECK(m.commit()->hvi == zrtp_test::filled(32, 0x77));
    CHECK(m.commit()->key_agreement == "DH3k");
    CHECK(m.anomalies.empty());

    zrtp_test::CommitSpec mult;
    mult.ka = "Mult";
    mult.tail = zrtp_test::filled(16, 0x55);
    const Message mm = parse_message(zrtp_test::commit(mult, zrtp_test::filled(32, 1)));
    REQUIRE(mm.commit() != nullptr);
    CHECK(mm.length_words == 25);
    CHECK(mm.commit()->mode == CommitMode::multistream);
    CHECK(mm.commit()->nonce == zrtp_test::filled(16, 0x55));
    CHECK(mm.anomalies.empty());

    zrtp_test::CommitSpec prsh;
    prsh.ka = "Prsh";
    prsh.tail = zrtp_test::filled(16, 0x55);
    zrtp_test::put(prsh.tail, zrtp_test::filled(8, 0x66));
    const Message mp = parse_message(zrtp_test::commit(prsh, zrtp_test::filled(32, 1)));
    REQUIRE(mp.commit() != nullptr);
    CHECK(mp.length_words == 27);
    CHECK(mp.commit()->mode == CommitMode::preshared);
    REQUIRE(mp.commit()->key_id);
    CHECK((*mp.commit()->key_id)[0] == 0x66);
}

TEST_CASE("Multistream Commit too short for its nonce") {
    zrtp_test::CommitSpec mult;
    mult.ka = "Mult";
    mult.tail = zrtp_test::filled(8, 0x55);
    CHECK(has_anomaly(parse_message(zrtp_test::commit(mult, zrtp_test::filled(32, 1))).anomalies,
                      AnomalyCode::zrtp_body_truncated));
}

TEST_CASE("DH Commit with bytes after hvi") {
    zrtp_test::CommitSpec dh;
    dh.tail = zrtp_test::filled(40, 0x77);
    CHECK(has_anomaly(parse_message(zrtp_test::commit(dh, zrtp_test::filled(32, 1))).anomalies,
                      AnomalyCode::zrtp_commit_unexpected_length));
    zrtp_test::CommitSpec kem = dh;
    kem.ka = "KYB1";  // bzrtp KEM: the public key follows hvi
    const Message m = parse_message(zrtp_test::commit(kem, zrtp_test::filled(32, 1)));
    CHECK(m.anomalies.empty());
    REQUIRE(m.commit() != nullptr);
    CHECK(m.commit()->kem_public_key.size() == 8);
}

TEST_CASE("DHPart takes pv from what lies before the MAC") {
    const Blob pv = zrtp_test::filled(384, 0x42);
    const Message m = parse_message(zrtp_test::dhpart(true, zrtp_test::filled(32, 9), pv, zrtp_test::filled(32, 0)));
    CHECK(m.type == MessageType::dhpart2);
    REQUIRE(m.dhpart() != nullptr);
    CHECK(m.length_words == 117);  // 84 + 384 bytes
    CHECK(m.dhpart()->pv == pv);
    CHECK(m.dhpart()->rs1_id[0] == 1);
    CHECK(m.dhpart()->pbxsecret_id[0] == 4);
}

TEST_CASE("Confirm, Error, GoClear, SASrelay, Ping, PingACK bodies") {
    Blob confirm_body = zrtp_test::filled(8, 0xc1);
    zrtp_test::put(confirm_body, zrtp_test::filled(16, 0x1f));
    zrtp_test::put(confirm_body, zrtp_test::filled(40, 0xee));
    const Message c = parse_message(zrtp_test::message("Confirm1", confirm_body));
    REQUIRE(c.confirm() != nullptr);
    CHECK(c.confirm()->confirm_mac[0] == 0xc1);
    CHECK(c.confirm()->cfb_iv[15] == 0x1f);
    CHECK(c.confirm()->encrypted_size == 40);

    Blob err;
    zrtp_test::put32(err, 0x62);
    const Message e = parse_message(zrtp_test::message("Error   ", err));
    REQUIRE(e.error() != nullptr);
    CHECK(e.error()->code == 0x62);
    CHECK(error_code_name(0x62) == std::optional<std::string_view>{"DH Error: hvi != hashed data"});

    const Message g = parse_message(zrtp_test::message("GoClear ", zrtp_test::filled(8, 0x9c)));
    REQUIRE(g.go_clear() != nullptr);
    CHECK(g.go_clear()->clear_mac[7] == 0x9c);

    const Message s = parse_message(zrtp_test::message("SASrelay", confirm_body));
    REQUIRE(s.sas_relay() != nullptr);
    CHECK(s.sas_relay()->encrypted_size == 40);

    Blob ping;
    zrtp_test::put(ping, "1.10");
    zrtp_test::put(ping, zrtp_test::filled(8, 0xab));
    const Message p = parse_message(zrtp_test::message("Ping    ", ping));
    REQUIRE(p.ping() != nullptr);
    CHECK(p.ping()->version == "1.10");
    CHECK(p.anomalies.empty());

    Blob ack = ping;
    zrtp_test::put(ack, zrtp_test::filled(8, 0xcd));
    zrtp_test::put32(ack, 0x11223344);
    const Message pa = parse_message(zrtp_test::message("PingACK ", ack));
    REQUIRE(pa.ping_ack() != nullptr);
    CHECK(pa.ping_ack()->received_endpoint_hash[0] == 0xcd);
    CHECK(pa.ping_ack()->ssrc == 0x11223344);
}

TEST_CASE("Error with a wrong body size") {
    CHECK(has_anomaly(parse_message(zrtp_test::message("Error   ", zrtp_test::filled(8, 0))).anomalies,
                      AnomalyCode::zrtp_unexpected_length));
}

TEST_CASE("ACK with a body") {
    CHECK(has_anomaly(parse_message(zrtp_test::message("Conf2ACK", zrtp_test::filled(4, 0))).anomalies,
                      AnomalyCode::zrtp_unexpected_length));
}

TEST_CASE("every type block round-trips through the table") {
    for (const char* block :
         {"Hello   ", "HelloACK", "Commit  ", "DHPart1 ", "DHPart2 ", "Confirm1", "Confirm2", "Conf2ACK", "Error   ",
          "ErrorACK", "GoClear ", "ClearACK", "SASrelay", "RelayACK", "Ping    ", "PingACK "}) {
        const MessageType t = message_type_from_block(block);
        CHECK(t != MessageType::unknown);
        CHECK(message_type_block(t) == block);
    }
    CHECK(message_type_name(MessageType::dhpart1) == "DHPart1");
}

TEST_CASE("malformed: unknown type block") {
    const Message m = parse_message(zrtp_test::message("Bogus   ", {}));
    CHECK(m.type == MessageType::unknown);
    CHECK(m.type_block == "Bogus   ");
    CHECK(has_anomaly(m.anomalies, AnomalyCode::zrtp_unknown_type));
}

TEST_CASE("malformed: bad preamble") {
    Blob msg = zrtp_test::message("HelloACK", {});
    msg[0] = 0x51;
    CHECK(has_anomaly(parse_message(msg).anomalies, AnomalyCode::zrtp_bad_preamble));
}

TEST_CASE("malformed: hostile length beyond the bytes present") {
    Blob msg = zrtp_test::hello(zrtp_test::HelloSpec{}, zrtp_test::filled(32, 0));
    msg[2] = 0xff;
    msg[3] = 0xff;
    const Packet packet = parse_packet(zrtp_test::packet(msg));
    CHECK(packet.crc_valid);
    REQUIRE(packet.message);
    CHECK(has_anomaly(packet.anomalies, AnomalyCode::zrtp_message_truncated));
    CHECK(packet.message->bytes.size() == msg.size());
}

TEST_CASE("malformed: length below the header") {
    Blob msg = zrtp_test::message("HelloACK", {});
    msg[3] = 0x01;
    CHECK(has_anomaly(parse_message(msg).anomalies, AnomalyCode::zrtp_bad_length));
}

TEST_CASE("malformed: bytes after the declared length") {
    Blob msg = zrtp_test::message("HelloACK", {});
    zrtp_test::put(msg, zrtp_test::filled(4, 0));
    const Message m = parse_message(msg);
    CHECK(has_anomaly(m.anomalies, AnomalyCode::zrtp_trailing_bytes));
    CHECK(m.bytes.size() == 12);
}

TEST_CASE("malformed: truncated Hello") {
    Blob msg = zrtp_test::hello(zrtp_test::HelloSpec{}, zrtp_test::filled(32, 0));
    msg.resize(40);
    msg[3] = 10;  // length consistent with the cut
    CHECK(has_anomaly(parse_message(msg).anomalies, AnomalyCode::zrtp_body_truncated));
}

TEST_CASE("malformed: packets too short or with a bad header") {
    CHECK(has_anomaly(parse_packet(Blob{0x10, 0x00}).anomalies, AnomalyCode::zrtp_packet_truncated));
    CHECK(has_anomaly(parse_packet(Blob(15, 0x10)).anomalies, AnomalyCode::zrtp_packet_truncated));
    Blob p = zrtp_test::packet(zrtp_test::message("HelloACK", {}));
    p[4] = 0x00;
    CHECK(has_anomaly(parse_packet(p).anomalies, AnomalyCode::zrtp_bad_magic));
    Blob q = zrtp_test::packet(zrtp_test::message("HelloACK", {}));
    q[1] = 0x01;
    CHECK(has_anomaly(parse_packet(q).anomalies, AnomalyCode::zrtp_nonzero_reserved));
    CHECK(has_anomaly(parse_packet(Blob(8, 0)).anomalies, AnomalyCode::zrtp_packet_truncated));
    CHECK(parse_packet(Blob{}).anomalies.size() == 1);
}

TEST_CASE("fragment header (bzrtp): ids and lengths in words") {
    Blob p{0x11, 0x00, 0x00, 0x07};
    zrtp_test::put32(p, 0x5a525450);
    zrtp_test::put32(p, 0xcafef00d);
    zrtp_test::put16(p, 3);    // message id
    zrtp_test::put16(p, 117);  // total words
    zrtp_test::put16(p, 10);   // offset words
    zrtp_test::put16(p, 2);    // fragment words
    zrtp_test::put(p, zrtp_test::filled(8, 0xab));
    const std::uint32_t crc = zrtp_test::reference_crc32c(p);
    for (int i = 0; i < 4; ++i) {
        p.push_back(static_cast<std::uint8_t>(crc >> (8 * i)));
    }
    const Packet packet = parse_packet(p);
    CHECK(packet.crc_valid);
    CHECK_FALSE(packet.message);
    REQUIRE(packet.fragment);
    CHECK(packet.fragment->message_id == 3);
    CHECK(packet.fragment->total_words == 117);
    CHECK(packet.fragment->offset_words == 10);
    CHECK(packet.fragment->length_words == 2);
    CHECK(packet.fragment->data == zrtp_test::filled(8, 0xab));
    CHECK(packet.anomalies.empty());

    p[19] = 3;  // announces 3 words, 2 present
    CHECK(has_anomaly(parse_packet(p).anomalies, AnomalyCode::zrtp_fragment_length_mismatch));
}

TEST_CASE("algorithm tables") {
    CHECK(is_mandatory_algorithm(AlgorithmFamily::key_agreement, "DH3k"));
    CHECK(is_mandatory_algorithm(AlgorithmFamily::key_agreement, "Mult"));
    CHECK(is_mandatory_algorithm(AlgorithmFamily::sas, "B32 "));
    CHECK_FALSE(is_mandatory_algorithm(AlgorithmFamily::key_agreement, "DH2k"));
    CHECK(key_agreement_info("DH3k").public_value_size == 384);
    CHECK(key_agreement_info("DH2k").public_value_size == 256);
    CHECK(key_agreement_info("EC25").public_value_size == 64);
    CHECK(key_agreement_info("EC38").public_value_size == 96);
    CHECK(key_agreement_info("EC52").public_value_size == 132);
    CHECK(key_agreement_info("X255").public_value_size == 32);
    CHECK(key_agreement_info("X448").public_value_size == 56);
    CHECK(key_agreement_info("EC38").implied_hash == "S384");
    CHECK(key_agreement_info("KYB1").kind == KeyAgreementKind::kem);
    CHECK(key_agreement_info("Prsh").kind == KeyAgreementKind::preshared);
    CHECK(key_agreement_info("ABCD").kind == KeyAgreementKind::unknown);
    CHECK(is_known_algorithm(AlgorithmFamily::hash, "SKN3"));
    CHECK_FALSE(is_known_algorithm(AlgorithmFamily::hash, "MD5 "));
    CHECK(hash_size("S384") == std::optional<std::size_t>{48});
    CHECK_FALSE(error_code_name(0x42));
    CHECK(error_code_name(0x100) == std::optional<std::string_view>{"GoClear message received, but not allowed"});
}
