// The parser and the checks against real handshakes between two linphone 5.1 (bzrtp 5.1)
// endpoints, captured in tests/interop. Every expected value below comes from tshark's decoding
// (the captures' facts files, through fixtures/linphone_zrtp.hpp) or from bzrtp having completed
// the handshake: a genuine handshake must pass every check.

#include <catch2/catch.hpp>

#include <map>

#include <fmt/format.h>
#include <string>

#include "unit/zrtp/fixtures/linphone_zrtp.hpp"
#include "zaudit/util/hex.hpp"
#include "zaudit/zrtp/verify.hpp"

using namespace zaudit::zrtp;
using zaudit::util::to_hex;

namespace {

Packet parse_fixture(const zrtp_fixture::LinphonePacket& p) {
    const auto bytes = zaudit::util::from_hex(p.udp_payload);
    REQUIRE(bytes);
    return parse_packet(*bytes);
}

std::string split_trim(std::string s) {
    return s.substr(0, s.find_last_not_of(' ') + 1);
}

std::string joined(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) {
        out += (out.empty() ? "" : ",") + split_trim(s);
    }
    return out;
}

/// The last message of each (sender, type) of one capture.
std::map<std::pair<std::string, MessageType>, Message> last_messages(std::string_view capture) {
    std::map<std::pair<std::string, MessageType>, Message> out;
    for (const auto& p : zrtp_fixture::k_packets) {
        if (p.capture == capture) {
            Packet packet = parse_fixture(p);
            REQUIRE(packet.message);
            const MessageType type = packet.message->type;
            out[{p.src, type}] = std::move(*packet.message);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("linphone packets parse as tshark decoded them") {
    for (const auto& p : zrtp_fixture::k_packets) {
        INFO(p.capture << " frame " << p.frame);
        CHECK(looks_like_zrtp(*zaudit::util::from_hex(p.udp_payload)));
        const Packet packet = parse_fixture(p);
        CHECK(packet.crc_valid == p.checksum_good);
        CHECK(packet.anomalies.empty());
        CHECK(fmt::format("0x{:08x}", packet.header.ssrc) == p.ssrc);
        REQUIRE(packet.message);
        const Message& m = *packet.message;
        CHECK(message_type_name(m.type) == p.type);
        CHECK(m.length_words == p.length_words);
        if (const Hello* h = m.hello()) {
            CHECK(h->version == p.version);
            CHECK(to_hex(h->zid) == p.zid);
            CHECK(to_hex(h->h3) == p.hash_image);
            CHECK(hello_hash_hex(m) == p.message_sha256);
            CHECK(joined(h->hashes) == p.hashes);
            CHECK(joined(h->key_agreements) == p.key_agreements);
        }
        if (const Commit* c = m.commit()) {
            CHECK(to_hex(c->zid) == p.zid);
            CHECK(to_hex(c->h2) == p.hash_image);
            CHECK(to_hex(c->hvi) == p.hvi);
            CHECK(c->hash == p.hash);
            CHECK(c->key_agreement == p.key_agreement);
        }
        if (const DhPart* d = m.dhpart()) {
            CHECK(to_hex(d->h1) == p.hash_image);
        }
    }
}

TEST_CASE("linphone handshakes pass every check") {
    for (const auto& capture : zrtp_fixture::k_captures) {
        INFO(capture.name);
        const auto messages = last_messages(capture.name);
        const std::string initiator = capture.initiator;
        std::string responder;
        for (const auto& [key, m] : messages) {
            if (key.first != initiator) {
                responder = key.first;
            }
        }
        const auto get = [&](const std::string& who, MessageType t) -> const Message* {
            const auto it = messages.find({who, t});
            return it == messages.end() ? nullptr : &it->second;
        };
        HandshakeMessages hs;
        hs.initiator_hello = get(initiator, MessageType::hello);
        hs.responder_hello = get(responder, MessageType::hello);
        hs.commit = get(initiator, MessageType::commit);
        hs.dhpart1 = get(responder, MessageType::dhpart1);
        hs.dhpart2 = get(initiator, MessageType::dhpart2);
        REQUIRE(hs.initiator_hello);
        REQUIRE(hs.responder_hello);
        REQUIRE(hs.commit);
        REQUIRE(hs.dhpart1);
        REQUIRE(hs.dhpart2);
        const auto checks = verify_handshake(hs);
        int passed = 0;
        for (const auto& [c, compared] : checks) {
            INFO(to_string(c.id) << ": " << c.reason << " expected " << c.expected << " observed " << c.observed);
            CHECK_FALSE(compared.empty());
            if (c.id == CheckId::dhpart1_mac || c.id == CheckId::dhpart2_mac) {
                CHECK(c.outcome == CheckOutcome::not_verifiable);
            } else {
                CHECK(c.outcome == CheckOutcome::passed);
                ++passed;
            }
        }
        CHECK(passed == 15);

        // Commit contention: the responder sent a Commit too; its H2 verifies its own Hello.
        if (const Message* losing = get(responder, MessageType::commit)) {
            CHECK(check_hello_h3(*hs.responder_hello, *losing).outcome == CheckOutcome::passed);
            CHECK(check_hello_mac(*hs.responder_hello, *losing).outcome == CheckOutcome::passed);
            // ...but its hvi was computed over a DHPart2 that was never sent.
            CHECK(check_hvi(*losing, *hs.dhpart2, *hs.responder_hello).outcome == CheckOutcome::failed);
        }

        // a=zrtp-hash of the offer (sent by 10.77.0.1) binds that side's Hello, not the other's.
        const Message* offerer = get("10.77.0.1:7078", MessageType::hello);
        const Message* answerer = get("10.77.0.2:7078", MessageType::hello);
        CHECK(check_zrtp_hash(*offerer, capture.sdp_zrtp_hash_offer).outcome == CheckOutcome::passed);
        CHECK(check_zrtp_hash(*answerer, capture.sdp_zrtp_hash_offer).outcome == CheckOutcome::failed);
    }
}

TEST_CASE("linphone handshake: one flipped byte fails the check it feeds") {
    const auto messages = last_messages("zrtp-linphone-x255");
    const std::string initiator = "10.77.0.1:7078", responder = "10.77.0.2:7078";
    const Message& hello_i = messages.at({initiator, MessageType::hello});
    const Message& hello_r = messages.at({responder, MessageType::hello});
    const Message& commit = messages.at({initiator, MessageType::commit});
    const Message& dh2 = messages.at({initiator, MessageType::dhpart2});
    const Message& dh1 = messages.at({responder, MessageType::dhpart1});
    REQUIRE(commit.commit()->hash == "S384");  // hvi here is SHA-384 truncated to 256 bits

    auto tampered_hello = hello_r.bytes;
    tampered_hello[20] ^= 0x01;  // in the client id
    const Message bad_hello = parse_message(tampered_hello);
    CHECK(check_responder_hello_mac(bad_hello, dh1).outcome == CheckOutcome::failed);
    CHECK(check_hvi(commit, dh2, bad_hello).outcome == CheckOutcome::failed);

    auto tampered_dh2 = dh2.bytes;
    tampered_dh2[100] ^= 0x80;  // in pvi
    CHECK(check_hvi(commit, parse_message(tampered_dh2), hello_r).outcome == CheckOutcome::failed);

    auto tampered_commit = commit.bytes;
    tampered_commit[60] ^= 0x01;  // in the ZID
    CHECK(check_commit_mac(parse_message(tampered_commit), dh2).outcome == CheckOutcome::failed);
    CHECK(check_hello_mac(hello_i, parse_message(tampered_commit)).outcome == CheckOutcome::passed);
}
