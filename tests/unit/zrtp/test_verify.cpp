// Checks over a handshake built in the test from a known H0 (H1 = SHA-256(H0) ...), with MACs and
// hvi computed by OpenSSL directly (zrtp_builder.hpp), not by the code under test.

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "unit/zrtp/zrtp_builder.hpp"
#include "zaudit/util/hex.hpp"
#include "zaudit/zrtp/verify.hpp"

using namespace zaudit::zrtp;
using zrtp_test::Blob;
using zrtp_test::filled;

namespace {

struct Chain {
    Blob h0, h1, h2, h3;
    explicit Chain(std::uint8_t seed) : h0(filled(32, seed)) {
        h1 = zrtp_test::sha256(h0);
        h2 = zrtp_test::sha256(h1);
        h3 = zrtp_test::sha256(h2);
    }
};

/// A DH3k handshake: initiator I (Commit, DHPart2), responder R (DHPart1).
struct Handshake {
    Chain i{0x01}, r{0x02};
    Blob hello_i, hello_r, commit, dh1, dh2;
    explicit Handshake(const std::string& hash = "S256", std::vector<std::string> kas_i = {"DH3k"},
                       std::vector<std::string> kas_r = {"DH3k"}, const std::string& chosen = "DH3k") {
        zrtp_test::HelloSpec si;
        si.h3 = i.h3;
        si.hashes = {"S384", "S256"};
        si.kas = std::move(kas_i);
        zrtp_test::HelloSpec sr = si;
        sr.h3 = r.h3;
        sr.zid = filled(12, 0xcc);
        sr.kas = std::move(kas_r);
        hello_i = zrtp_test::hello(si, i.h2);
        hello_r = zrtp_test::hello(sr, r.h2);
        Blob pv_i(384, 0x00);
        pv_i[383] = 0x02;  // 2 = g^1, a group element
        Blob pv_r(384, 0x00);
        pv_r[383] = 0x04;
        dh1 = zrtp_test::dhpart(false, r.h1, pv_r, r.h0);
        dh2 = zrtp_test::dhpart(true, i.h1, pv_i, i.h0);
        Blob joined = dh2;
        zrtp_test::put(joined, hello_r);
        zrtp_test::CommitSpec sc;
        sc.h2 = i.h2;
        sc.hash = hash;
        sc.ka = chosen;
        sc.tail = hash == "S384" ? zrtp_test::sha384_256(joined) : zrtp_test::sha256(joined);
        commit = zrtp_test::commit(sc, i.h1);
    }
};

Message msg(const Blob& b) {
    return parse_message(b);
}

Blob flipped(Blob b, std::size_t at) {
    b[at] ^= 0x01;
    return b;
}

Check find(const std::vector<Check>& checks, CheckId id) {
    for (const auto& c : checks) {
        if (c.id == id) {
            return c;
        }
    }
    FAIL("no check " << to_string(id));
    return {};
}

const HandshakeCheck& find(const std::vector<HandshakeCheck>& checks, CheckId id) {
    const auto it =
        std::find_if(checks.begin(), checks.end(), [&](const HandshakeCheck& c) { return c.check.id == id; });
    REQUIRE(it != checks.end());
    return *it;
}

}  // namespace

TEST_CASE("hash chain and MACs of a genuine handshake pass") {
    const Handshake hs;
    CHECK(check_hello_h3(msg(hs.hello_i), msg(hs.commit)).outcome == CheckOutcome::passed);
    CHECK(check_hello_mac(msg(hs.hello_i), msg(hs.commit)).outcome == CheckOutcome::passed);
    CHECK(check_responder_hello_h3(msg(hs.hello_r), msg(hs.dh1)).outcome == CheckOutcome::passed);
    CHECK(check_responder_hello_mac(msg(hs.hello_r), msg(hs.dh1)).outcome == CheckOutcome::passed);
    CHECK(check_commit_h2(msg(hs.commit), msg(hs.dh2)).outcome == CheckOutcome::passed);
    CHECK(check_commit_mac(msg(hs.commit), msg(hs.dh2)).outcome == CheckOutcome::passed);
    CHECK(check_hvi(msg(hs.commit), msg(hs.dh2), msg(hs.hello_r)).outcome == CheckOutcome::passed);
    // With H0 known (here: from the test), the DHPart MAC verifies too.
    CHECK(check_hash_image_mac(msg(hs.dh2), hs.i.h0, CheckId::dhpart2_mac).outcome == CheckOutcome::passed);
    CHECK(check_dhpart_mac(msg(hs.dh2)).outcome == CheckOutcome::not_verifiable);
}

TEST_CASE("hello_h3 fails when H3 is not SHA-256(H2)") {
    const Handshake hs;
    const Check c = check_hello_h3(msg(flipped(hs.hello_i, 12 + 4 + 16)), msg(hs.commit));
    CHECK(c.outcome == CheckOutcome::failed);
    CHECK(c.expected == zaudit::util::to_hex(hs.i.h3));
}

TEST_CASE("hello_mac fails on a changed Hello") {
    const Handshake hs;
    const Check c = check_hello_mac(msg(flipped(hs.hello_i, 12 + 4)), msg(hs.commit));
    CHECK(c.outcome == CheckOutcome::failed);
    CHECK(c.expected.size() == 16);
}

TEST_CASE("responder Hello checks fail on a changed Hello or a foreign DHPart1") {
    const Handshake hs;
    CHECK(check_responder_hello_mac(msg(flipped(hs.hello_r, 90)), msg(hs.dh1)).outcome == CheckOutcome::failed);
    CHECK(check_responder_hello_h3(msg(hs.hello_r), msg(hs.dh2)).outcome == CheckOutcome::failed);
}

TEST_CASE("commit_h2 and commit_mac fail on a changed Commit or H1") {
    const Handshake hs;
    CHECK(check_commit_mac(msg(flipped(hs.commit, 12 + 32)), msg(hs.dh2)).outcome == CheckOutcome::failed);
    CHECK(check_commit_h2(msg(hs.commit), msg(flipped(hs.dh2, 12))).outcome == CheckOutcome::failed);
    CHECK(check_commit_mac(msg(hs.commit), msg(flipped(hs.dh2, 12))).outcome == CheckOutcome::failed);
}

TEST_CASE("hvi fails when DHPart2 or the responder's Hello changed") {
    const Handshake hs;
    CHECK(check_hvi(msg(hs.commit), msg(flipped(hs.dh2, 200)), msg(hs.hello_r)).outcome == CheckOutcome::failed);
    CHECK(check_hvi(msg(hs.commit), msg(hs.dh2), msg(flipped(hs.hello_r, 40))).outcome == CheckOutcome::failed);
    // hvi over the initiator's own Hello is not hvi.
    CHECK(check_hvi(msg(hs.commit), msg(hs.dh2), msg(hs.hello_i)).outcome == CheckOutcome::failed);
}

TEST_CASE("hvi uses the negotiated hash: S384 truncated to 256 bits") {
    const Handshake hs{"S384"};
    CHECK(check_hvi(msg(hs.commit), msg(hs.dh2), msg(hs.hello_r)).outcome == CheckOutcome::passed);
    const Handshake s256{"S256"};
    // An S384 Commit carrying a SHA-256 hvi is caught.
    zrtp_test::CommitSpec sc;
    sc.h2 = s256.i.h2;
    sc.hash = "S384";
    sc.tail = msg(s256.commit).commit()->hvi;
    CHECK(check_hvi(msg(zrtp_test::commit(sc, s256.i.h1)), msg(s256.dh2), msg(s256.hello_r)).outcome ==
          CheckOutcome::failed);
}

TEST_CASE("hvi not verifiable for unknown hashes and Multistream") {
    const Handshake hs{"N256"};
    CHECK(check_hvi(msg(hs.commit), msg(hs.dh2), msg(hs.hello_r)).outcome == CheckOutcome::not_verifiable);
    zrtp_test::CommitSpec mult;
    mult.ka = "Mult";
    mult.tail = filled(16, 1);
    CHECK(check_hvi(msg(zrtp_test::commit(mult, hs.i.h1)), msg(hs.dh2), msg(hs.hello_r)).outcome ==
          CheckOutcome::not_verifiable);
}

TEST_CASE("a=zrtp-hash compares the Hello message, case-insensitively, with its version") {
    const Handshake hs;
    const Message hello = msg(hs.hello_i);
    const std::string hash = zaudit::util::to_hex(zrtp_test::sha256(hs.hello_i));
    CHECK(hello_hash_hex(hello) == hash);
    std::string upper = hash;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](char c) { return static_cast<char>(std::toupper(c)); });
    CHECK(check_zrtp_hash(hello, "1.10 " + upper).outcome == CheckOutcome::passed);
    CHECK(check_zrtp_hash(hello, hash).outcome == CheckOutcome::passed);
    CHECK(check_zrtp_hash(hello, "1.20 " + hash).outcome == CheckOutcome::failed);
    // Hashing the packet (header and CRC included) is a different value.
    const Blob packet = zrtp_test::packet(hs.hello_i);
    CHECK(check_zrtp_hash(hello, "1.10 " + zaudit::util::to_hex(zrtp_test::sha256(packet))).outcome ==
          CheckOutcome::failed);
    CHECK(check_zrtp_hash(msg(hs.commit), hash).outcome == CheckOutcome::not_verifiable);
}

TEST_CASE("negotiation: offered by both, mandatory algorithms count as offered") {
    const Handshake hs;  // Hellos list S384,S256 / AES1 / HS32,HS80 / DH3k / B32
    const auto checks = check_negotiation(msg(hs.hello_i), msg(hs.hello_r), msg(hs.commit));
    for (const auto& c : checks) {
        INFO(to_string(c.id) << " " << c.reason);
        CHECK(c.outcome == CheckOutcome::passed);
    }
    // Hellos that list only X255 still offer DH3k (mandatory).
    const Handshake omitted{"S256", {"X255"}, {"X255"}, "DH3k"};
    const auto o = check_negotiation(msg(omitted.hello_i), msg(omitted.hello_r), msg(omitted.commit));
    CHECK(find(o, CheckId::negotiation_key_agreement).outcome == CheckOutcome::passed);
    // ...but DH3k is slower than the common first choice X255.
    CHECK(find(o, CheckId::key_agreement_choice).outcome == CheckOutcome::failed);
}

TEST_CASE("negotiation: a choice one side did not offer fails") {
    const Handshake hs{"S256", {"EC25", "DH3k"}, {"DH3k"}, "EC25"};
    const auto checks = check_negotiation(msg(hs.hello_i), msg(hs.hello_r), msg(hs.commit));
    const Check c = find(checks, CheckId::negotiation_key_agreement);
    CHECK(c.outcome == CheckOutcome::failed);
    CHECK(c.observed == "EC25");
    zrtp_test::CommitSpec sc;
    sc.h2 = hs.i.h2;
    sc.cipher = "AES3";  // nobody listed AES3
    const auto cipher = check_negotiation(msg(hs.hello_i), msg(hs.hello_r), msg(zrtp_test::commit(sc, hs.i.h1)));
    CHECK(find(cipher, CheckId::negotiation_cipher).outcome == CheckOutcome::failed);
}

TEST_CASE("key agreement choice: the RFC 6189 4.1.2 example picks EC25") {
    // Alice DH2k, DH3k, EC25; Bob EC38, EC25, DH3k: first common choices DH3k and EC25.
    const Handshake good{"S256", {"DH2k", "DH3k", "EC25"}, {"EC38", "EC25", "DH3k"}, "EC25"};
    CHECK(find(check_negotiation(msg(good.hello_i), msg(good.hello_r), msg(good.commit)), CheckId::key_agreement_choice)
              .outcome == CheckOutcome::passed);
    const Handshake slow{"S256", {"DH2k", "DH3k", "EC25"}, {"EC38", "EC25", "DH3k"}, "DH3k"};
    const Check c =
        find(check_negotiation(msg(slow.hello_i), msg(slow.hello_r), msg(slow.commit)), CheckId::key_agreement_choice);
    CHECK(c.outcome == CheckOutcome::failed);
    CHECK(c.expected == "EC25");
}

TEST_CASE("key agreement choice: Multistream is outside the rule, X448 pairs are undecided") {
    const Handshake mult{"S256", {"DH3k"}, {"DH3k"}, "Mult"};
    CHECK(find(check_negotiation(msg(mult.hello_i), msg(mult.hello_r), msg(mult.commit)), CheckId::key_agreement_choice)
              .outcome == CheckOutcome::passed);
    for (const char* chosen : {"X448", "DH3k"}) {
        const Handshake x{"S256", {"X448", "DH3k"}, {"DH3k", "X448"}, chosen};
        CHECK(find(check_negotiation(msg(x.hello_i), msg(x.hello_r), msg(x.commit)), CheckId::key_agreement_choice)
                  .outcome == CheckOutcome::passed);
    }
    const Handshake kem{"S256", {"KYB1", "X255"}, {"X255", "KYB1"}, "KYB1"};
    CHECK(find(check_negotiation(msg(kem.hello_i), msg(kem.hello_r), msg(kem.commit)), CheckId::key_agreement_choice)
              .outcome == CheckOutcome::failed);
    const Handshake unknown{"S256", {"ABCD"}, {"ABCD"}, "ABCD"};
    CHECK(find(check_negotiation(msg(unknown.hello_i), msg(unknown.hello_r), msg(unknown.commit)),
               CheckId::key_agreement_choice)
              .outcome == CheckOutcome::not_verifiable);
}

TEST_CASE("public value checks through the DHPart") {
    const Handshake hs;
    CHECK(check_dhpart_public_value(msg(hs.dh2), "DH3k").outcome == CheckOutcome::passed);
    Blob pv_one(384, 0);
    pv_one[383] = 1;
    const Message bad = msg(zrtp_test::dhpart(true, hs.i.h1, pv_one, hs.i.h0));
    const Check c = check_dhpart_public_value(bad, "DH3k");
    CHECK(c.outcome == CheckOutcome::failed);
    CHECK(c.reason == "pv is 1");
    CHECK(check_dhpart_public_value(msg(hs.dh2), "EC25").outcome == CheckOutcome::failed);  // wrong size
    CHECK(check_dhpart_public_value(msg(hs.dh2), "KYB1").outcome == CheckOutcome::not_verifiable);
}

TEST_CASE("verify_handshake lists missing messages as not verifiable") {
    const Handshake hs;
    const Message hi = msg(hs.hello_i);
    HandshakeMessages only_hello;
    only_hello.initiator_hello = &hi;
    const auto checks = verify_handshake(only_hello);
    CHECK_FALSE(checks.empty());
    for (const auto& c : checks) {
        CHECK(c.check.outcome == CheckOutcome::not_verifiable);
        CHECK_FALSE(c.check.reason.empty());
        // What it had to compare is the one Hello, or nothing.
        for (const Message* m : c.compared) {
            CHECK(m == &hi);
        }
    }
    CHECK(find(checks, CheckId::hello_mac).compared == std::vector<const Message*>{&hi});
    CHECK(find(checks, CheckId::commit_h2).compared.empty());
    CHECK(find(checks, CheckId::negotiation).compared == std::vector<const Message*>{&hi});
}

TEST_CASE("verify_handshake returns the messages each check compared") {
    const Handshake hs;
    const Message ih = msg(hs.hello_i), rh = msg(hs.hello_r), commit = msg(hs.commit), dh1 = msg(hs.dh1),
                  dh2 = msg(hs.dh2);
    const auto checks = verify_handshake(HandshakeMessages{&ih, &rh, &commit, &dh1, &dh2});
    using Compared = std::vector<const Message*>;
    CHECK(find(checks, CheckId::hello_h3).compared == Compared{&ih, &commit});
    CHECK(find(checks, CheckId::hello_mac).compared == Compared{&ih, &commit});
    CHECK(find(checks, CheckId::responder_hello_mac).compared == Compared{&rh, &dh1});
    CHECK(find(checks, CheckId::commit_mac).compared == Compared{&commit, &dh2});
    CHECK(find(checks, CheckId::hvi).compared == Compared{&commit, &dh2, &rh});
    CHECK(find(checks, CheckId::negotiation_sas).compared == Compared{&ih, &rh, &commit});
    CHECK(find(checks, CheckId::key_agreement_choice).compared == Compared{&ih, &rh, &commit});
    CHECK(find(checks, CheckId::dhpart1_public_value).compared == Compared{&dh1});
    CHECK(find(checks, CheckId::dhpart2_mac).compared == Compared{&dh2});
    for (const auto& c : checks) {
        INFO(to_string(c.check.id));
        CHECK(c.check.outcome != CheckOutcome::failed);
        CHECK_FALSE(c.compared.empty());
    }
}

TEST_CASE("check names: one distinct stable name per CheckId, and back") {
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < static_cast<std::size_t>(CheckId::count_); ++i) {
        const auto id = static_cast<CheckId>(i);
        const std::string_view name = to_string(id);
        CHECK_FALSE(name.empty());
        CHECK(names.insert(name).second);
        CHECK(check_id_from_string(name) == id);
    }
    // The names reports and goldens show.
    CHECK(to_string(CheckId::hello_mac) == "hello_mac");
    CHECK(to_string(CheckId::responder_hello_h3) == "responder_hello_h3");
    CHECK(to_string(CheckId::negotiation) == "negotiation");
    CHECK(to_string(CheckId::negotiation_auth_tag) == "negotiation_auth_tag");
    CHECK(to_string(CheckId::zrtp_hash) == "zrtp_hash");
    CHECK_FALSE(check_id_from_string("hello").has_value());
}

TEST_CASE("checks over truncated messages are not verifiable, not failed") {
    const Handshake hs;
    Blob cut = hs.commit;
    cut.resize(60);
    CHECK(check_hello_h3(msg(hs.hello_i), msg(cut)).outcome == CheckOutcome::not_verifiable);
    CHECK(check_commit_mac(msg(cut), msg(hs.dh2)).outcome == CheckOutcome::not_verifiable);
    CHECK(check_outcome_name(CheckOutcome::not_verifiable) == "not_verifiable");
}
