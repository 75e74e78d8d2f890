// sip.cleartext-credentials: digest credentials (or worse, a Basic password) readable on the wire.
#include <algorithm>
#include <map>
#include <tuple>

#include "rules.hpp"
#include "zaudit/util/hex.hpp"
#include "zaudit/util/text.hpp"

namespace zaudit::analysis::rules {
namespace {

/// The user of Basic credentials (RFC 7617 section 2: base64 of user-id ":" password); the
/// password is never kept.
std::string basic_user(const std::string& token) {
    const auto decoded = util::from_base64(token);
    if (!decoded) {
        return {};
    }
    const std::string text{decoded->begin(), decoded->end()};
    return text.substr(0, text.find(':'));
}

std::string username_of(const sip::Credentials& c) {
    return c.is_basic() ? basic_user(c.token) : c.value("username");
}

/// Credentials worth an attacker's time: a digest response to brute-force, or a token to replay.
bool carries_secret(const sip::Credentials& c) {
    if (c.is_digest()) {
        return !c.value("response").empty();
    }
    return !c.token.empty() || !c.params.empty();
}

/// (call or 0, scheme in lower case, user, realm): what one finding stands for.
using GroupKey = std::tuple<std::uint32_t, std::string, std::string, std::string>;

GroupKey key_of(const session::CredentialUse& use) {
    const sip::Credentials& c = use.credentials;
    return {use.call.value_or(0), util::to_lower(c.scheme), username_of(c), c.value("realm")};
}

/// One finding per key: every message that sent those credentials.
struct Group {
    GroupKey key;
    const session::CredentialUse* first = nullptr;
    std::vector<std::uint64_t> frames;
    std::vector<std::string> methods;
    std::vector<std::string> headers;
    std::size_t messages = 0;
};

/// The methods (as written: any token) and headers a group lists: a scanner may vary the method
/// of every request, and the evidence need not list them all.
constexpr std::size_t k_max_listed = 16;

template <typename T>
void add_unique(std::vector<T>& values, T value) {
    if (values.size() < k_max_listed && std::find(values.begin(), values.end(), value) == values.end()) {
        values.push_back(std::move(value));
    }
}

std::vector<Group> groups_of(const session::Model& model) {
    std::vector<Group> groups;
    // By key: a REGISTER scan tries thousands of users, each a group of its own.
    std::map<GroupKey, std::size_t> index_of;
    for (const session::CredentialUse& use : model.credentials) {
        if (use.transport == "tls" || !carries_secret(use.credentials)) {
            continue;
        }
        GroupKey key = key_of(use);
        const auto [found, added] = index_of.try_emplace(key, groups.size());
        if (added) {
            groups.push_back(Group{std::move(key), &use, {}, {}, {}, 0});
        }
        Group& group = groups[found->second];
        if (group.frames.size() < max_examples) {
            group.frames.push_back(use.seen.frame);  // the first ones are all a finding shows
        }
        add_unique(group.methods, use.method_text);
        add_unique(group.headers, std::string{sip::to_string(use.credentials.header)});
        ++group.messages;
    }
    return groups;
}

nlohmann::ordered_json or_null(const std::optional<std::string>& value) {
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

void check(const session::Model& model, const Policy& policy, FindingSink& sink) {
    for (const Group& group : groups_of(model)) {
        const session::CredentialUse& use = *group.first;
        const sip::Credentials& c = use.credentials;
        const std::string user = username_of(c);
        const std::string realm = c.value("realm");
        const std::string what = c.is_digest()  ? "digest credentials"
                                 : c.is_basic() ? "Basic credentials (the password itself, base64-encoded)"
                                                : fmt::format("{} credentials", c.scheme);
        const std::string request =
            use.call ? fmt::format("{} of call {}", use.method_text, *use.call) : use.method_text;
        Finding& f =
            sink.add(fmt::format("{} from {} carried {} of user '{}'{} over {} without TLS ({} message{})", request,
                                 use.seen.src, what, user, realm.empty() ? "" : fmt::format(" (realm '{}')", realm),
                                 use.transport, group.messages, group.messages == 1 ? "" : "s"));
        if (c.is_basic()) {
            f.severity = Severity::medium;  // nothing to brute-force: the password is on the wire
        }
        f.call = use.call;
        f.confidence = Confidence::verified;  // the header was read from the capture
        f.frames = first_frames(group.frames);
        f.evidence = {{"scheme", c.scheme},
                      {"username", user},
                      {"realm", realm},
                      {"aor", use.aor},
                      {"methods", group.methods},
                      {"headers", group.headers},
                      {"uri", or_null(c.param("uri"))},
                      // RFC 7616 section 3.4: without algorithm, MD5 is meant.
                      {"algorithm", c.is_digest() ? nlohmann::ordered_json(c.param("algorithm").value_or("MD5"))
                                                  : nlohmann::ordered_json(nullptr)},
                      {"qop", or_null(c.param("qop"))},
                      {"transport", use.transport},
                      {"sent_by", use.seen.src.to_string()},
                      {"sent_to", use.seen.dst.to_string()},
                      {"call_id", use.call_id},
                      {"messages", group.messages}};
        // Never a hash or fingerprint of the response: with the nonce it would be an offline oracle.
        if (policy.reveal_keys) {
            if (c.is_digest()) {
                f.evidence["response"] = c.value("response");
                f.evidence["nonce"] = c.value("nonce");
                f.evidence["cnonce"] = or_null(c.param("cnonce"));
                f.evidence["nonce_count"] = or_null(c.param("nc"));
            } else {
                f.evidence["token"] = c.token;
            }
        }
    }
}

}  // namespace

RuleInfo sip_cleartext_credentials() {
    return {"sip.cleartext-credentials",
            Severity::low,
            "SIP credentials sent without TLS",
            "A REGISTER, INVITE or other request carried Authorization or Proxy-Authorization credentials over SIP "
            "without TLS. Digest credentials name the user and realm and hold a hash of the password, the nonce "
            "and the request: anyone who captured the message can try passwords against it offline, as fast as "
            "they can compute MD5 or SHA-256, and a weak or short password falls. Basic credentials (medium) carry "
            "the password itself, only base64-encoded. The digest response, nonce and cnonce are shown only with "
            "--reveal-keys.",
            "Register and call over SIP/TLS (transport=tls, port 5061) so that credentials never cross the network "
            "in clear; until then, give every SIP account a long random password unique to it, prefer "
            "algorithm=SHA-256 (RFC 8760) over MD5, and never accept Basic authentication.",
            "RFC 3261 sections 22.4 and 26.2.3; RFC 7616 section 5; RFC 8760",
            &check};
}

}  // namespace zaudit::analysis::rules
