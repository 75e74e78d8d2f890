#include "zaudit/session/given_key.hpp"

#include <charconv>

#include <fmt/format.h>

#include "zaudit/crypto/hash.hpp"
#include "zaudit/srtp/crypto_suite.hpp"
#include "zaudit/util/hex.hpp"

namespace zaudit::session {
namespace {

std::optional<util::Endpoint> parse_endpoint(std::string_view text) {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view host = text.substr(0, colon);
    const std::string_view port_text = text.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    } else if (host.find(':') != std::string_view::npos) {
        return std::nullopt;  // an IPv6 address needs its brackets, or its port is ambiguous
    }
    unsigned port = 0;
    const auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    const auto address = util::IpAddress::parse(host);
    if (!address || port_text.empty() || error != std::errc{} || end != port_text.data() + port_text.size() ||
        port == 0 || port > 65535) {
        return std::nullopt;
    }
    return util::Endpoint{*address, static_cast<std::uint16_t>(port)};
}

std::optional<std::uint32_t> parse_ssrc(std::string_view text) {
    if (text.size() < 3 || text.size() > 10 || (text.substr(0, 2) != "0x" && text.substr(0, 2) != "0X")) {
        return std::nullopt;
    }
    std::uint32_t ssrc = 0;
    const auto digits = text.substr(2);
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), ssrc, 16);
    if (error != std::errc{} || end != digits.data() + digits.size()) {
        return std::nullopt;
    }
    return ssrc;
}

}  // namespace

bool GivenSrtpKey::keys(const util::Endpoint& src, std::uint32_t stream_ssrc) const {
    if (ssrc) {
        return *ssrc == stream_ssrc;
    }
    // As with SDES, a party's key protects what that party sends (RFC 4568 section 6.1).
    return endpoint && *endpoint == src;
}

util::Expected<GivenSrtpKey> parse_given_srtp_key(std::string_view spec) {
    const auto equals = spec.find('=');
    const std::string_view target = spec.substr(0, equals);
    const auto bad = [&](std::string_view why) {
        // The key is a secret: the message quotes only what comes before it.
        return util::Error{
            fmt::format("--srtp-key for '{}': {} (expected ADDR:PORT=SUITE:KEY or 0xSSRC=SUITE:KEY, "
                        "KEY the base64 master key and salt)",
                        target, why)};
    };
    if (equals == std::string_view::npos) {
        return bad("no '=' after the stream");
    }
    GivenSrtpKey given;
    if (target.substr(0, 2) == "0x" || target.substr(0, 2) == "0X") {
        given.ssrc = parse_ssrc(target);
        if (!given.ssrc) {
            return bad("the SSRC must be 0x and 1 to 8 hex digits");
        }
    } else {
        given.endpoint = parse_endpoint(target);
        if (!given.endpoint) {
            return bad("the stream must be ADDR:PORT ([ADDR]:PORT for IPv6) or 0xSSRC");
        }
    }
    const std::string_view rest = spec.substr(equals + 1);
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos) {
        return bad("no ':' between the suite and the key");
    }
    const std::string_view suite = rest.substr(0, colon);
    const auto info = srtp::crypto_suite_info(suite);
    if (!info) {
        return bad(fmt::format("unknown SRTP suite '{}'", suite));
    }
    std::string_view key_text = rest.substr(colon + 1);
    constexpr std::string_view k_inline = "inline:";
    if (key_text.substr(0, k_inline.size()) == k_inline) {
        key_text.remove_prefix(k_inline.size());
    }
    key_text = key_text.substr(0, key_text.find('|'));
    auto key_salt = util::from_base64(key_text);
    if (!key_salt) {
        return bad("the key is not valid base64");
    }
    if (key_salt->size() != info->key_salt_size()) {
        return bad(fmt::format("{} needs {} bytes of key and salt, the key has {}", suite, info->key_salt_size(),
                               key_salt->size()));
    }
    given.key.suite = std::string{suite};
    given.key.key_salt = std::move(*key_salt);
    given.key.fingerprint = util::to_hex(crypto::sha256(given.key.key_salt)).substr(0, 16);
    return given;
}

}  // namespace zaudit::session
