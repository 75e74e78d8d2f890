#include "zaudit/zrtp/verify.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <span>

#include <fmt/format.h>

#include "zaudit/crypto/hash.hpp"
#include "zaudit/crypto/public_value.hpp"
#include "zaudit/util/hex.hpp"
#include "zaudit/util/name_table.hpp"
#include "zaudit/util/text.hpp"
#include "zaudit/zrtp/algorithms.hpp"

namespace zaudit::zrtp {
namespace {

using crypto::HashAlgorithm;
using util::Bytes;
using util::to_hex;

constexpr std::size_t k_mac_size = 8;

constexpr util::NameTable<CheckId, static_cast<std::size_t>(CheckId::count_)> k_check_names{{{
    {CheckId::hello_h3, "hello_h3"},
    {CheckId::hello_mac, "hello_mac"},
    {CheckId::responder_hello_h3, "responder_hello_h3"},
    {CheckId::responder_hello_mac, "responder_hello_mac"},
    {CheckId::commit_h2, "commit_h2"},
    {CheckId::commit_mac, "commit_mac"},
    {CheckId::hvi, "hvi"},
    {CheckId::negotiation, "negotiation"},
    {CheckId::negotiation_hash, "negotiation_hash"},
    {CheckId::negotiation_cipher, "negotiation_cipher"},
    {CheckId::negotiation_auth_tag, "negotiation_auth_tag"},
    {CheckId::negotiation_key_agreement, "negotiation_key_agreement"},
    {CheckId::negotiation_sas, "negotiation_sas"},
    {CheckId::key_agreement_choice, "key_agreement_choice"},
    {CheckId::dhpart1_public_value, "dhpart1_public_value"},
    {CheckId::dhpart2_public_value, "dhpart2_public_value"},
    {CheckId::dhpart1_mac, "dhpart1_mac"},
    {CheckId::dhpart2_mac, "dhpart2_mac"},
    {CheckId::zrtp_hash, "zrtp_hash"},
}}};
static_assert(k_check_names.complete(), "every CheckId has one distinct name, in declaration order");

Check make(CheckId id, CheckOutcome outcome, std::string expected, std::string observed, std::string reason) {
    return Check{id, outcome, std::move(expected), std::move(observed), std::move(reason)};
}

Check not_verifiable(CheckId id, std::string reason) {
    return make(id, CheckOutcome::not_verifiable, {}, {}, std::move(reason));
}

Check compare(CheckId id, Bytes expected, Bytes observed, std::string_view what) {
    const bool same = std::equal(expected.begin(), expected.end(), observed.begin(), observed.end());
    return make(id, same ? CheckOutcome::passed : CheckOutcome::failed, to_hex(expected), to_hex(observed),
                same ? fmt::format("{} matches", what) : fmt::format("{} differs", what));
}

/// HMAC-SHA-256 truncated to 64 bits over the message minus its MAC (section 9; bzrtp
/// packetParser.c hashes messageLength-8 bytes from the preamble).
std::array<std::uint8_t, k_mac_size> hash_image_mac(const Message& message, Bytes key) {
    const auto full = crypto::hmac(HashAlgorithm::sha256, key, mac_input(message));
    std::array<std::uint8_t, k_mac_size> out{};
    std::copy_n(full.begin(), k_mac_size, out.begin());
    return out;
}

std::optional<Mac> message_mac(const Message& message) {
    if (const auto* h = message.hello()) {
        return h->mac;
    }
    if (const auto* c = message.commit()) {
        return c->mac;
    }
    if (const auto* d = message.dhpart()) {
        return d->mac;
    }
    return std::nullopt;
}

const std::vector<std::string>& offered_list(const Hello& hello, AlgorithmFamily family) {
    switch (family) {
        case AlgorithmFamily::hash: return hello.hashes;
        case AlgorithmFamily::cipher: return hello.ciphers;
        case AlgorithmFamily::auth_tag: return hello.auth_tags;
        case AlgorithmFamily::key_agreement: return hello.key_agreements;
        case AlgorithmFamily::sas: return hello.sas_types;
    }
    return hello.hashes;
}

/// A Hello's list with the mandatory algorithms it omitted appended, as bzrtp reads a peer's
/// Hello (bzrtp_addMandatoryCryptoTypesIfNeeded) and RFC 6189 section 5.1.2-5.1.6 implies.
std::vector<std::string> effective_list(const Hello& hello, AlgorithmFamily family) {
    std::vector<std::string> list = offered_list(hello, family);
    for (const std::string_view m : mandatory_algorithms(family)) {
        if (std::find(list.begin(), list.end(), m) == list.end()) {
            list.emplace_back(m);
        }
    }
    return list;
}

std::string joined(const std::vector<std::string>& names) {
    return fmt::format("{}", fmt::join(names, ","));
}

Check offered_by_both(CheckId id, AlgorithmFamily family, const Hello& a, const Hello& b, const std::string& chosen) {
    const auto la = effective_list(a, family);
    const auto lb = effective_list(b, family);
    std::vector<std::string> common;
    for (const auto& n : la) {
        if (std::find(lb.begin(), lb.end(), n) != lb.end()) {
            common.push_back(n);
        }
    }
    const bool ok = std::find(common.begin(), common.end(), chosen) != common.end();
    return make(id, ok ? CheckOutcome::passed : CheckOutcome::failed, joined(common), chosen,
                ok ? "chosen algorithm is offered by both Hellos"
                   : "chosen algorithm is not in both Hellos' lists (mandatory ones included)");
}

bool ranked_kind(const std::string& name) {
    const auto kind = key_agreement_info(name).kind;
    return kind == KeyAgreementKind::dh || kind == KeyAgreementKind::kem || kind == KeyAgreementKind::unknown;
}

/// First key agreement (DH or KEM, or unknown) of `own` that `other` also offers, in own order.
std::optional<std::string> first_common(const std::vector<std::string>& own, const std::vector<std::string>& other) {
    for (const auto& n : own) {
        if (ranked_kind(n) && std::find(other.begin(), other.end(), n) != other.end()) {
            return n;
        }
    }
    return std::nullopt;
}

/// X448 is the one name whose place bzrtp (before DH3k) and the bis draft (after ECDH-384)
/// disagree on; a pair of X448 with anything it could swap with has no single faster member.
bool disputed_pair(std::string_view a, std::string_view b) {
    constexpr std::array k_swappable = {std::string_view{"DH3k"}, std::string_view{"EC38"}, std::string_view{"E414"}};
    const auto swappable = [&](std::string_view n) {
        return std::find(k_swappable.begin(), k_swappable.end(), n) != k_swappable.end();
    };
    return (a == "X448" && swappable(b)) || (b == "X448" && swappable(a));
}

Check key_agreement_choice(const Hello& initiator, const Hello& responder, const std::string& chosen) {
    constexpr CheckId name = CheckId::key_agreement_choice;
    const auto chosen_kind = key_agreement_info(chosen).kind;
    if (chosen_kind == KeyAgreementKind::multistream || chosen_kind == KeyAgreementKind::preshared) {
        return make(name, CheckOutcome::passed, {}, chosen, "the ranking rule of section 4.1.2 binds DH mode only");
    }
    const auto li = effective_list(initiator, AlgorithmFamily::key_agreement);
    const auto lr = effective_list(responder, AlgorithmFamily::key_agreement);
    const auto fi = first_common(li, lr);
    const auto fr = first_common(lr, li);
    if (!fi || !fr) {
        return not_verifiable(name, "no key agreement in common");
    }
    const auto ii = key_agreement_info(*fi);
    const auto ir = key_agreement_info(*fr);
    if (ii.kind == KeyAgreementKind::unknown || ir.kind == KeyAgreementKind::unknown) {
        return not_verifiable(name, fmt::format("first choices {} and {}: an unknown name cannot be ranked", *fi, *fr));
    }
    const std::string firsts = fmt::format("first choices: initiator {}, responder {}", *fi, *fr);
    std::vector<std::string> allowed;
    if (ii.kind == KeyAgreementKind::kem && ir.kind == KeyAgreementKind::kem) {
        return make(name, CheckOutcome::passed, "any common KEM", chosen,
                    firsts + "; both are KEMs, the initiator may pick any common one");
    }
    if (ii.kind != ir.kind) {
        allowed.push_back(ii.kind == KeyAgreementKind::dh ? *fi : *fr);
    } else if (*fi == *fr || disputed_pair(*fi, *fr)) {
        allowed = {*fi, *fr};
    } else {
        allowed.push_back(ii.speed_rank < ir.speed_rank ? *fi : *fr);
    }
    const bool ok = std::find(allowed.begin(), allowed.end(), chosen) != allowed.end();
    allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
    return make(name, ok ? CheckOutcome::passed : CheckOutcome::failed, joined(allowed), chosen,
                ok ? firsts : firsts + "; RFC 6189 section 4.1.2 says the faster SHOULD be chosen");
}

std::optional<HashAlgorithm> negotiated_hash(std::string_view name) {
    if (name == "S256") {
        return HashAlgorithm::sha256;
    }
    if (name == "S384") {
        return HashAlgorithm::sha384;
    }
    return std::nullopt;
}

}  // namespace

std::string_view check_outcome_name(CheckOutcome outcome) {
    switch (outcome) {
        case CheckOutcome::passed: return "passed";
        case CheckOutcome::failed: return "failed";
        case CheckOutcome::not_verifiable: return "not_verifiable";
    }
    return "not_verifiable";
}

std::string_view to_string(CheckId id) {
    return k_check_names.name(id);
}

std::optional<CheckId> check_id_from_string(std::string_view name) {
    return k_check_names.find(name);
}

Check check_hash_image_mac(const Message& message, Bytes key, CheckId id) {
    const auto mac = message_mac(message);
    if (!mac || message.incomplete()) {
        return not_verifiable(id, "message has no complete MAC field");
    }
    const auto expected = hash_image_mac(message, key);
    return compare(id, expected, *mac, "MAC");
}

Check check_hello_h3(const Message& hello, const Message& commit) {
    const Hello* h = hello.hello();
    const Commit* c = commit.commit();
    if (h == nullptr || c == nullptr || hello.incomplete() || commit.incomplete()) {
        return not_verifiable(CheckId::hello_h3, "Hello or Commit incomplete");
    }
    return compare(CheckId::hello_h3, crypto::sha256(c->h2), h->h3, "SHA-256(H2) against H3");
}

Check check_hello_mac(const Message& hello, const Message& commit) {
    const Commit* c = commit.commit();
    if (hello.hello() == nullptr || c == nullptr || commit.incomplete()) {
        return not_verifiable(CheckId::hello_mac, "Hello or Commit incomplete");
    }
    return check_hash_image_mac(hello, c->h2, CheckId::hello_mac);
}

Check check_responder_hello_h3(const Message& hello, const Message& dhpart1) {
    const Hello* h = hello.hello();
    const DhPart* d = dhpart1.dhpart();
    if (h == nullptr || d == nullptr || hello.incomplete() || dhpart1.incomplete()) {
        return not_verifiable(CheckId::responder_hello_h3, "Hello or DHPart1 incomplete");
    }
    const auto h2 = crypto::sha256(d->h1);
    return compare(CheckId::responder_hello_h3, crypto::sha256(h2), h->h3, "SHA-256(SHA-256(H1)) against H3");
}

Check check_responder_hello_mac(const Message& hello, const Message& dhpart1) {
    const DhPart* d = dhpart1.dhpart();
    if (hello.hello() == nullptr || d == nullptr || dhpart1.incomplete()) {
        return not_verifiable(CheckId::responder_hello_mac, "Hello or DHPart1 incomplete");
    }
    const auto h2 = crypto::sha256(d->h1);
    return check_hash_image_mac(hello, h2, CheckId::responder_hello_mac);
}

Check check_commit_h2(const Message& commit, const Message& dhpart2) {
    const Commit* c = commit.commit();
    const DhPart* d = dhpart2.dhpart();
    if (c == nullptr || d == nullptr || commit.incomplete() || dhpart2.incomplete()) {
        return not_verifiable(CheckId::commit_h2, "Commit or DHPart2 incomplete");
    }
    return compare(CheckId::commit_h2, crypto::sha256(d->h1), c->h2, "SHA-256(H1) against H2");
}

Check check_commit_mac(const Message& commit, const Message& dhpart2) {
    const DhPart* d = dhpart2.dhpart();
    if (commit.commit() == nullptr || d == nullptr || dhpart2.incomplete()) {
        return not_verifiable(CheckId::commit_mac, "Commit or DHPart2 incomplete");
    }
    return check_hash_image_mac(commit, d->h1, CheckId::commit_mac);
}

Check check_dhpart_mac(const Message& dhpart) {
    const CheckId name = dhpart.type == MessageType::dhpart1 ? CheckId::dhpart1_mac : CheckId::dhpart2_mac;
    return not_verifiable(name, "keyed by H0, which is only sent inside the encrypted Confirm");
}

Check check_hvi(const Message& commit, const Message& dhpart2, const Message& responder_hello) {
    const Commit* c = commit.commit();
    if (c == nullptr || commit.incomplete()) {
        return not_verifiable(CheckId::hvi, "Commit incomplete");
    }
    if (c->mode != CommitMode::dh) {
        return not_verifiable(CheckId::hvi, fmt::format("{} Commit carries no hvi", c->key_agreement));
    }
    if (dhpart2.dhpart() == nullptr || responder_hello.hello() == nullptr || dhpart2.incomplete() ||
        responder_hello.incomplete()) {
        return not_verifiable(CheckId::hvi, "DHPart2 or responder's Hello incomplete");
    }
    const auto algorithm = negotiated_hash(c->hash);
    if (!algorithm) {
        return not_verifiable(CheckId::hvi, fmt::format("hash type \"{}\" is not computed by zaudit", c->hash));
    }
    crypto::Hasher hasher{*algorithm};
    hasher.update(dhpart2.bytes).update(responder_hello.bytes);
    auto expected = hasher.finish();
    expected.resize(32);  // section 4.4.1.1: truncated to 256 bits
    return compare(CheckId::hvi, expected, c->hvi, fmt::format("{}(DHPart2 ‖ responder Hello) against hvi", c->hash));
}

std::string hello_hash_hex(const Message& hello) {
    return to_hex(crypto::sha256(hello.bytes));
}

Check check_zrtp_hash(const Message& hello, std::string_view sdp_value) {
    const Hello* h = hello.hello();
    if (h == nullptr) {
        return not_verifiable(CheckId::zrtp_hash, "not a Hello");
    }
    if (hello.incomplete()) {  // the hash covers the whole Hello: of a part, it proves nothing
        return not_verifiable(CheckId::zrtp_hash, "Hello incomplete");
    }
    std::string_view value = sdp_value;
    std::string_view version;
    value = util::trim(value);
    if (const auto space = value.find_first_of(" \t"); space != std::string_view::npos) {
        version = value.substr(0, space);
        value = util::trim(value.substr(space));
    }
    const std::string expected = hello_hash_hex(hello);
    const std::string observed = util::to_lower(value);
    if (!version.empty() && version != h->version) {
        return make(CheckId::zrtp_hash, CheckOutcome::failed, fmt::format("{} {}", h->version, expected),
                    fmt::format("{} {}", version, observed), "a=zrtp-hash version differs from the Hello's");
    }
    const bool ok = observed == expected;
    return make(CheckId::zrtp_hash, ok ? CheckOutcome::passed : CheckOutcome::failed, expected, observed,
                ok ? "SHA-256 of the Hello matches a=zrtp-hash" : "SHA-256 of the Hello differs from a=zrtp-hash");
}

std::vector<Check> check_negotiation(const Message& initiator_hello, const Message& responder_hello,
                                     const Message& commit) {
    const Hello* hi = initiator_hello.hello();
    const Hello* hr = responder_hello.hello();
    const Commit* c = commit.commit();
    constexpr std::array k_ids = {CheckId::negotiation_hash,     CheckId::negotiation_cipher,
                                  CheckId::negotiation_auth_tag, CheckId::negotiation_key_agreement,
                                  CheckId::negotiation_sas,      CheckId::key_agreement_choice};
    std::vector<Check> checks;
    if (hi == nullptr || hr == nullptr || c == nullptr || initiator_hello.incomplete() ||
        responder_hello.incomplete() || commit.incomplete()) {
        for (const CheckId id : k_ids) {
            checks.push_back(not_verifiable(id, "both Hellos and the Commit are needed"));
        }
        return checks;
    }
    checks.push_back(offered_by_both(k_ids[0], AlgorithmFamily::hash, *hi, *hr, c->hash));
    checks.push_back(offered_by_both(k_ids[1], AlgorithmFamily::cipher, *hi, *hr, c->cipher));
    checks.push_back(offered_by_both(k_ids[2], AlgorithmFamily::auth_tag, *hi, *hr, c->auth_tag));
    checks.push_back(offered_by_both(k_ids[3], AlgorithmFamily::key_agreement, *hi, *hr, c->key_agreement));
    checks.push_back(offered_by_both(k_ids[4], AlgorithmFamily::sas, *hi, *hr, c->sas));
    checks.push_back(key_agreement_choice(*hi, *hr, c->key_agreement));
    return checks;
}

Check check_dhpart_public_value(const Message& dhpart, std::string_view key_agreement) {
    const CheckId name =
        dhpart.type == MessageType::dhpart1 ? CheckId::dhpart1_public_value : CheckId::dhpart2_public_value;
    const DhPart* d = dhpart.dhpart();
    if (d == nullptr || dhpart.incomplete()) {
        return not_verifiable(name, "DHPart incomplete");
    }
    const auto result = crypto::check_public_value(key_agreement, d->pv);
    const std::string observed = fmt::format("{} bytes", d->pv.size());
    switch (result.status) {
        case crypto::PublicValueStatus::valid:
            return make(name, CheckOutcome::passed, std::string{key_agreement}, observed,
                        "public value is well formed");
        case crypto::PublicValueStatus::invalid:
            return make(name, CheckOutcome::failed, std::string{key_agreement}, observed, result.reason);
        case crypto::PublicValueStatus::unsupported: break;
    }
    return not_verifiable(name, result.reason);
}

std::vector<HandshakeCheck> verify_handshake(const HandshakeMessages& hs) {
    std::vector<HandshakeCheck> checks;
    // Each check names the messages it reads; those captured are what it compared.
    const auto add = [&](Check check, std::initializer_list<const Message*> reads) {
        std::vector<const Message*> compared;
        std::copy_if(reads.begin(), reads.end(), std::back_inserter(compared),
                     [](const Message* m) { return m != nullptr; });
        checks.push_back(HandshakeCheck{std::move(check), std::move(compared)});
    };
    const auto need = [&](CheckId id, std::string_view missing, std::initializer_list<const Message*> reads) {
        add(not_verifiable(id, fmt::format("no {} captured", missing)), reads);
    };
    const auto* ih = hs.initiator_hello;
    const auto* rh = hs.responder_hello;
    if (ih != nullptr && hs.commit != nullptr) {
        add(check_hello_h3(*ih, *hs.commit), {ih, hs.commit});
        add(check_hello_mac(*ih, *hs.commit), {ih, hs.commit});
    } else {
        need(CheckId::hello_h3, "initiator Hello and Commit", {ih, hs.commit});
        need(CheckId::hello_mac, "initiator Hello and Commit", {ih, hs.commit});
    }
    if (rh != nullptr && hs.dhpart1 != nullptr) {
        add(check_responder_hello_h3(*rh, *hs.dhpart1), {rh, hs.dhpart1});
        add(check_responder_hello_mac(*rh, *hs.dhpart1), {rh, hs.dhpart1});
    } else {
        need(CheckId::responder_hello_h3, "responder Hello and DHPart1", {rh, hs.dhpart1});
        need(CheckId::responder_hello_mac, "responder Hello and DHPart1", {rh, hs.dhpart1});
    }
    if (hs.commit != nullptr && hs.dhpart2 != nullptr) {
        add(check_commit_h2(*hs.commit, *hs.dhpart2), {hs.commit, hs.dhpart2});
        add(check_commit_mac(*hs.commit, *hs.dhpart2), {hs.commit, hs.dhpart2});
    } else {
        need(CheckId::commit_h2, "Commit and DHPart2", {hs.commit, hs.dhpart2});
        need(CheckId::commit_mac, "Commit and DHPart2", {hs.commit, hs.dhpart2});
    }
    if (hs.commit != nullptr && hs.dhpart2 != nullptr && rh != nullptr) {
        add(check_hvi(*hs.commit, *hs.dhpart2, *rh), {hs.commit, hs.dhpart2, rh});
    } else {
        need(CheckId::hvi, "Commit, DHPart2 and responder Hello", {hs.commit, hs.dhpart2, rh});
    }
    if (ih != nullptr && rh != nullptr && hs.commit != nullptr) {
        for (auto& check : check_negotiation(*ih, *rh, *hs.commit)) {
            add(std::move(check), {ih, rh, hs.commit});
        }
    } else {
        need(CheckId::negotiation, "pair of Hellos and Commit", {ih, rh, hs.commit});
    }
    const Commit* commit = hs.commit != nullptr ? hs.commit->commit() : nullptr;
    for (const Message* part : {hs.dhpart1, hs.dhpart2}) {
        if (part != nullptr && commit != nullptr) {
            add(check_dhpart_public_value(*part, commit->key_agreement), {part});
        }
        if (part != nullptr) {
            add(check_dhpart_mac(*part), {part});
        }
    }
    return checks;
}

}  // namespace zaudit::zrtp
