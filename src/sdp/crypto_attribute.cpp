/// \file SDES a=crypto (RFC 4568 section 9.1 grammar).
///
///   a=crypto:<tag> 1*WSP <crypto-suite> 1*WSP <key-params> *(1*WSP <session-param>)
///   key-params   = key-param *(";" key-param)
///   key-param    = "inline:" key-salt ["|" lifetime] ["|" mki-value ":" mki-length]
///   key-salt     = base64 of master key || master salt
///   lifetime     = ["2^"] 1*DIGIT
///   session-param = "KDR=" n / "UNENCRYPTED_SRTP" / "UNENCRYPTED_SRTCP" /
///                   "UNAUTHENTICATED_SRTP" / "FEC_ORDER=" type / "FEC_KEY=" key-params / "WSH=" n

#include <fmt/format.h>

#include "zaudit/sdp/crypto_attribute.hpp"
#include "zaudit/srtp/crypto_suite.hpp"
#include "zaudit/util/hex.hpp"
#include "zaudit/util/text.hpp"

namespace zaudit::sdp {
namespace {

/// "2^n" or a decimal count of packets.
std::optional<std::uint64_t> parse_lifetime(std::string_view text) {
    if (text.substr(0, 2) == "2^") {
        const auto n = util::parse_unsigned<unsigned>(text.substr(2));
        if (!n || *n > 63) {
            return std::nullopt;
        }
        return std::uint64_t{1} << *n;
    }
    return util::parse_unsigned<std::uint64_t>(text);
}

/// One key-param; an error text when malformed.
std::optional<std::string> parse_key_param(std::string_view text, KeyParam& key) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos) {
        return fmt::format("key-param '{}' has no method", text);
    }
    key.method = std::string{text.substr(0, colon)};
    if (key.method != "inline") {
        return fmt::format("unknown key method '{}'", key.method);
    }
    std::string_view info = text.substr(colon + 1);
    const auto bar = info.find('|');
    key.key_salt_base64 = std::string{info.substr(0, bar)};
    auto decoded = util::from_base64(key.key_salt_base64);
    if (key.key_salt_base64.empty() || !decoded) {
        return "key-salt is not valid base64";
    }
    key.key_salt = std::move(*decoded);
    info = bar == std::string_view::npos ? std::string_view{} : info.substr(bar + 1);
    // Up to two more fields: lifetime, then MKI (an MKI is recognised by its ':').
    for (int field = 0; field < 2 && !info.empty(); ++field) {
        const auto next = info.find('|');
        const std::string_view part = info.substr(0, next);
        info = next == std::string_view::npos ? std::string_view{} : info.substr(next + 1);
        if (const auto mki_colon = part.find(':'); mki_colon != std::string_view::npos) {
            key.mki_value = util::parse_unsigned<std::uint64_t>(part.substr(0, mki_colon));
            key.mki_length = util::parse_unsigned<std::uint32_t>(part.substr(mki_colon + 1));
            if (!key.mki_value || !key.mki_length || *key.mki_length < 1 || *key.mki_length > 128) {
                return fmt::format("malformed MKI '{}'", part);
            }
        } else if (field == 0) {
            key.lifetime_text = std::string{part};
            key.lifetime = parse_lifetime(part);
            if (!key.lifetime) {
                return fmt::format("malformed lifetime '{}'", part);
            }
        } else {
            return fmt::format("unexpected key-info field '{}'", part);
        }
    }
    if (!info.empty()) {
        return "too many '|' fields in key-info";
    }
    return std::nullopt;
}

/// Decodes one session parameter into the attribute; why not when it is not understood.
std::optional<std::string> apply_session_param(std::string_view p, CryptoAttribute& c) {
    if (p == "UNENCRYPTED_SRTP") {
        c.unencrypted_srtp = true;
    } else if (p == "UNENCRYPTED_SRTCP") {
        c.unencrypted_srtcp = true;
    } else if (p == "UNAUTHENTICATED_SRTP") {
        c.unauthenticated_srtp = true;
    } else if (p.substr(0, 4) == "KDR=") {
        c.kdr = util::parse_unsigned<unsigned>(p.substr(4));
        if (!c.kdr || *c.kdr > 24) {
            c.kdr.reset();
            return fmt::format("malformed session parameter '{}'", p);
        }
    } else if (p.substr(0, 10) == "FEC_ORDER=") {
        c.fec_order = std::string{p.substr(10)};
    } else if (p.substr(0, 4) == "WSH=") {
        c.wsh = util::parse_unsigned<std::uint32_t>(p.substr(4));
        if (!c.wsh) {
            return fmt::format("malformed session parameter '{}'", p);
        }
    } else if (p.substr(0, 8) != "FEC_KEY=") {
        return fmt::format("unknown session parameter '{}'", p);
    }
    return std::nullopt;
}

}  // namespace

CryptoParse parse_crypto(std::string_view value) {
    CryptoParse out;
    const auto fields = util::split_ws(value);
    // Where a field starts in the value (the fields are views into it).
    const auto at = [&](std::string_view field) { return static_cast<std::size_t>(field.data() - value.data()); };
    const auto note = [&](util::AnomalyCode code, std::size_t offset, std::string detail) {
        out.anomalies.push_back({code, 0, offset, std::move(detail)});
    };
    if (fields.size() < 3) {
        note(util::AnomalyCode::sdp_bad_crypto, 0, "a=crypto needs a tag, a crypto-suite and key-params");
        return out;
    }
    CryptoAttribute c;
    const auto tag = util::parse_unsigned<std::uint32_t>(fields[0]);
    if (!tag || fields[0].size() > 9) {
        note(util::AnomalyCode::sdp_bad_crypto, 0, fmt::format("tag '{}' is not 1-9 digits", fields[0]));
        return out;
    }
    c.tag = *tag;
    c.suite = std::string{fields[1]};
    std::string_view keys = fields[2];
    while (!keys.empty()) {
        const auto semi = keys.find(';');
        KeyParam key;
        if (auto error = parse_key_param(keys.substr(0, semi), key)) {
            note(util::AnomalyCode::sdp_bad_crypto_key, at(keys), std::move(*error));
            return out;
        }
        c.keys.push_back(std::move(key));
        keys = semi == std::string_view::npos ? std::string_view{} : keys.substr(semi + 1);
    }
    for (std::size_t i = 3; i < fields.size(); ++i) {
        c.session_params.emplace_back(fields[i]);
        if (auto warning = apply_session_param(fields[i], c)) {
            note(util::AnomalyCode::sdp_bad_crypto_param, at(fields[i]), std::move(*warning));
        }
    }
    if (const auto info = srtp::crypto_suite_info(c.suite)) {
        for (const KeyParam& key : c.keys) {
            const std::size_t expected = info->key_salt_size();
            if (key.key_salt.size() != expected) {
                note(util::AnomalyCode::sdp_crypto_key_size, at(fields[2]),
                     fmt::format("key||salt is {} bytes, {} needs {}", key.key_salt.size(), c.suite, expected));
            }
        }
    }
    out.crypto = std::move(c);
    return out;
}

}  // namespace zaudit::sdp
