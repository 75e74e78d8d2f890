// RFC 6189 section 4.1.2 (algorithm negotiation) and 5.2 (what a Hello lists) for the generator.

#include <algorithm>

#include "zaudit/crypto/key_agreement.hpp"
#include "zaudit/gen/zrtp_handshake.hpp"

namespace zaudit::gen {
namespace {

using Names = std::vector<std::string>;

// Section 5.1.2-5.1.6: the algorithms every endpoint supports, offered or not.
const Names& mandatory_hashes() {
    static const Names names{"S256"};
    return names;
}
const Names& mandatory_ciphers() {
    static const Names names{"AES1"};
    return names;
}
const Names& mandatory_auth_tags() {
    static const Names names{"HS32", "HS80"};
    return names;
}
const Names& mandatory_key_agreements() {
    static const Names names{"DH3k", "Mult"};
    return names;
}
const Names& mandatory_sas_types() {
    static const Names names{"B32 "};
    return names;
}

bool contains(const Names& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

/// The configured list with the mandatory names appended where missing (the effective offer).
Names with_mandatory(const Names& configured, const Names& mandatory) {
    Names out = configured;
    for (const auto& name : mandatory) {
        if (!contains(out, name)) {
            out.push_back(name);
        }
    }
    return out;
}

Names without_mandatory(const Names& configured, const Names& mandatory) {
    Names out;
    for (const auto& name : configured) {
        if (!contains(mandatory, name)) {
            out.push_back(name);
        }
    }
    return out;
}

Names hello_list(const Names& configured, const Names& mandatory, bool omit) {
    return omit ? without_mandatory(configured, mandatory) : with_mandatory(configured, mandatory);
}

/// `preferred`'s entries that `other` also offers and `usable` accepts, in `preferred`'s order.
template <typename Usable>
Names common(const Names& preferred, const Names& other, Usable usable) {
    Names out;
    for (const auto& name : preferred) {
        if (contains(other, name) && usable(name) && !contains(out, name)) {
            out.push_back(name);
        }
    }
    return out;
}

/// Fastest first (section 4.1.2 picks the faster of two differing first choices; 5.1.5 and
/// bzrtp's ordering: DH2k, X25519, P-256, DH3k, P-384).
int key_agreement_speed_rank(const std::string& name) {
    static const Names order{"DH2k", "X255", "EC25", "DH3k", "EC38"};
    return static_cast<int>(std::find(order.begin(), order.end(), name) - order.begin());
}

std::string first_or_preferred(const Names& common_names, const Names& preferred_for_ec38, bool ec38) {
    if (ec38) {
        for (const auto& name : preferred_for_ec38) {
            if (contains(common_names, name)) {
                return name;
            }
        }
    }
    return common_names.front();
}

}  // namespace

ZrtpHelloFields zrtp_hello_fields(const ZrtpEndpointConfig& c, const ZrtpHashImage& h3) {
    ZrtpHelloFields f;
    f.version = c.version;
    f.client_id = c.client_id;
    f.h3 = h3;
    f.zid = c.zid;
    f.signature_capable = c.sigcap_flag;
    f.mitm = c.mitm_flag;
    f.passive = c.passive_flag;
    const bool omit = c.omit_mandatory_algorithms;
    f.hashes = hello_list(c.hashes, mandatory_hashes(), omit);
    f.ciphers = hello_list(c.ciphers, mandatory_ciphers(), omit);
    f.auth_tags = hello_list(c.auth_tags, mandatory_auth_tags(), omit);
    f.key_agreements = hello_list(c.key_agreements, mandatory_key_agreements(), omit);
    f.sas_types = hello_list(c.sas_types, mandatory_sas_types(), omit);
    return f;
}

util::Expected<ZrtpNegotiated> zrtp_negotiate(const ZrtpEndpointConfig& i, const ZrtpEndpointConfig& r) {
    const auto any = [](const std::string&) { return true; };
    const auto runnable_ka = [](const std::string& n) { return crypto::key_agreement_from_name(n).has_value(); };
    const auto runnable_hash = [](const std::string& n) { return zrtp_hash_from_name(n).has_value(); };
    const auto runnable_cipher = [](const std::string& n) { return zrtp_cipher_key_size(n).has_value(); };

    const Names ka_i = with_mandatory(i.key_agreements, mandatory_key_agreements());
    const Names ka_r = with_mandatory(r.key_agreements, mandatory_key_agreements());
    const Names ka_common_i = common(ka_i, ka_r, runnable_ka);
    const Names ka_common_r = common(ka_r, ka_i, runnable_ka);
    if (ka_common_i.empty()) {
        return util::Error{"ZRTP negotiation: no common key agreement this generator can run"};
    }
    ZrtpNegotiated n;
    // Section 4.1.2: equal first choices are taken; otherwise both sides take the faster one.
    n.key_agreement = ka_common_i.front();
    if (ka_common_r.front() != n.key_agreement &&
        key_agreement_speed_rank(ka_common_r.front()) < key_agreement_speed_rank(n.key_agreement)) {
        n.key_agreement = ka_common_r.front();
    }
    const bool ec38 = n.key_agreement == "EC38";

    const Names hashes = common(with_mandatory(i.hashes, mandatory_hashes()),
                                with_mandatory(r.hashes, mandatory_hashes()), runnable_hash);
    const Names ciphers = common(with_mandatory(i.ciphers, mandatory_ciphers()),
                                 with_mandatory(r.ciphers, mandatory_ciphers()), runnable_cipher);
    const Names auth = common(with_mandatory(i.auth_tags, mandatory_auth_tags()),
                              with_mandatory(r.auth_tags, mandatory_auth_tags()), any);
    const Names sas = common(with_mandatory(i.sas_types, mandatory_sas_types()),
                             with_mandatory(r.sas_types, mandatory_sas_types()), any);
    if (hashes.empty() || ciphers.empty() || auth.empty() || sas.empty()) {
        return util::Error{"ZRTP negotiation: no common hash, cipher, auth tag or SAS type"};
    }
    n.hash = first_or_preferred(hashes, {"S384"}, ec38);
    n.cipher = first_or_preferred(ciphers, {"AES3", "AES2"}, ec38);
    n.auth_tag = auth.front();
    n.sas = sas.front();
    return n;
}

}  // namespace zaudit::gen
