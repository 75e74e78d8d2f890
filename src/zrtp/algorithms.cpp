#include "zaudit/zrtp/algorithms.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace zaudit::zrtp {
namespace {

using namespace std::string_view_literals;

// RFC 6189 section 4.1.2 ranks the DH types fastest to slowest: DH-2048, ECDH-256, DH-3072,
// ECDH-384, ECDH-521. The names it does not rank are placed as bzrtp orders them (bzrtp.h: the
// numeric codes DH2k 0x41, X255 0x42, EC25 0x43, X448 0x44, DH3k 0x45, EC38 0x46, EC52 0x47 are
// "defined to have them in the fast to slow order", cryptoUtils.cc bzrtp_cryptoAlgoAgreement).
// The bis draft (jeannotlapin/rfc6189bis) ranks X448 after ECDH-384 instead; verify.cpp treats
// that pair as undecided. E255/E414 (GNU ZRTP) sit with X255 and after EC38.
constexpr std::array k_key_agreements = {
    KeyAgreementInfo{"DH2k", KeyAgreementKind::dh, 256, 0, "S256"},
    KeyAgreementInfo{"X255", KeyAgreementKind::dh, 32, 1, "S256"},
    KeyAgreementInfo{"E255", KeyAgreementKind::dh, 32, 1, "S256"},
    KeyAgreementInfo{"EC25", KeyAgreementKind::dh, 64, 2, "S256"},
    KeyAgreementInfo{"X448", KeyAgreementKind::dh, 56, 3, "S384"},
    KeyAgreementInfo{"DH3k", KeyAgreementKind::dh, 384, 4, "S256"},
    KeyAgreementInfo{"EC38", KeyAgreementKind::dh, 96, 5, "S384"},
    KeyAgreementInfo{"E414", KeyAgreementKind::dh, 104, 6, "S384"},
    KeyAgreementInfo{"EC52", KeyAgreementKind::dh, 132, 7, "S384"},
    KeyAgreementInfo{"KYB1", KeyAgreementKind::kem, 0, std::nullopt, "S256"},
    KeyAgreementInfo{"KYB2", KeyAgreementKind::kem, 0, std::nullopt, "S256"},
    KeyAgreementInfo{"KYB3", KeyAgreementKind::kem, 0, std::nullopt, "S384"},
    KeyAgreementInfo{"SIK1", KeyAgreementKind::kem, 0, std::nullopt, "S256"},
    KeyAgreementInfo{"SIK2", KeyAgreementKind::kem, 0, std::nullopt, "S256"},
    KeyAgreementInfo{"SIK3", KeyAgreementKind::kem, 0, std::nullopt, "S384"},
    KeyAgreementInfo{"K255", KeyAgreementKind::kem, 0, std::nullopt, "S256"},
    KeyAgreementInfo{"K448", KeyAgreementKind::kem, 0, std::nullopt, "S384"},
    KeyAgreementInfo{"X2K5", KeyAgreementKind::kem, 0, std::nullopt, "S256"},
    KeyAgreementInfo{"X4K1", KeyAgreementKind::kem, 0, std::nullopt, "S384"},
    KeyAgreementInfo{"Mult", KeyAgreementKind::multistream, 0, std::nullopt, ""},
    KeyAgreementInfo{"Prsh", KeyAgreementKind::preshared, 0, std::nullopt, ""},
};

// RFC 6189 5.1.2 (hash), 5.1.3 (cipher), 5.1.4 (auth tag), 5.1.6 (SAS), plus the stacks' extras
// named in the header. "DH4k" appears in Wireshark's table (an early draft); kept as known.
constexpr std::array k_hashes = {"S256"sv, "S384"sv, "N256"sv, "N384"sv, "SKN2"sv, "SKN3"sv};
constexpr std::array k_ciphers = {"AES1"sv, "AES2"sv, "AES3"sv, "2FS1"sv, "2FS2"sv, "2FS3"sv};
constexpr std::array k_auth_tags = {"HS32"sv, "HS80"sv, "SK32"sv, "SK64"sv};
constexpr std::array k_sas_types = {"B32 "sv, "B256"sv, "B32E"sv};

constexpr std::array k_mandatory_hash = {"S256"sv};
constexpr std::array k_mandatory_cipher = {"AES1"sv};
constexpr std::array k_mandatory_auth = {"HS32"sv, "HS80"sv};
constexpr std::array k_mandatory_key_agreement = {"DH3k"sv, "Mult"sv};
constexpr std::array k_mandatory_sas = {"B32 "sv};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& table, std::string_view name) {
    return std::find(table.begin(), table.end(), name) != table.end();
}

// RFC 6189 section 5.9 (the names as the RFC prints them; checked against Wireshark's
// packet-zrtp.c zrtp_error_vals and GNU ZRTP's ZrtpCodes.h).
constexpr std::array<std::pair<std::uint32_t, std::string_view>, 20> k_error_codes = {{
    {0x10, "Malformed packet (CRC OK, but wrong structure)"},
    {0x20, "Critical software error"},
    {0x30, "Unsupported ZRTP version"},
    {0x40, "Hello components mismatch"},
    {0x51, "Hash Type not supported"},
    {0x52, "Cipher Type not supported"},
    {0x53, "Public key exchange not supported"},
    {0x54, "SRTP auth tag not supported"},
    {0x55, "SAS rendering scheme not supported"},
    {0x56, "No shared secret available, DH mode required"},
    {0x61, "DH Error: bad pvi or pvr ( == 1, 0, or p-1)"},
    {0x62, "DH Error: hvi != hashed data"},
    {0x63, "Received relayed SAS from untrusted MiTM"},
    {0x70, "Auth Error: Bad Confirm pkt MAC"},
    {0x80, "Nonce reuse"},
    {0x90, "Equal ZIDs in Hello"},
    {0x91, "SSRC collision"},
    {0xA0, "Service unavailable"},
    {0xB0, "Protocol timeout error"},
    {0x100, "GoClear message received, but not allowed"},
}};

}  // namespace

KeyAgreementInfo key_agreement_info(std::string_view name) {
    for (const auto& info : k_key_agreements) {
        if (info.name == name) {
            return info;
        }
    }
    return KeyAgreementInfo{name, KeyAgreementKind::unknown, 0, std::nullopt, ""};
}

bool is_known_algorithm(AlgorithmFamily family, std::string_view name) {
    switch (family) {
        case AlgorithmFamily::hash: return contains(k_hashes, name);
        case AlgorithmFamily::cipher: return contains(k_ciphers, name);
        case AlgorithmFamily::auth_tag: return contains(k_auth_tags, name);
        case AlgorithmFamily::key_agreement: return key_agreement_info(name).kind != KeyAgreementKind::unknown;
        case AlgorithmFamily::sas: return contains(k_sas_types, name);
    }
    return false;
}

std::span<const std::string_view> mandatory_algorithms(AlgorithmFamily family) {
    switch (family) {
        case AlgorithmFamily::hash: return k_mandatory_hash;
        case AlgorithmFamily::cipher: return k_mandatory_cipher;
        case AlgorithmFamily::auth_tag: return k_mandatory_auth;
        case AlgorithmFamily::key_agreement: return k_mandatory_key_agreement;
        case AlgorithmFamily::sas: return k_mandatory_sas;
    }
    return {};
}

bool is_mandatory_algorithm(AlgorithmFamily family, std::string_view name) {
    const auto list = mandatory_algorithms(family);
    return std::find(list.begin(), list.end(), name) != list.end();
}

std::optional<std::size_t> hash_size(std::string_view name) {
    if (name == "S256" || name == "N256" || name == "SKN2") {
        return 32;
    }
    if (name == "S384" || name == "N384" || name == "SKN3") {
        return 48;
    }
    return std::nullopt;
}

std::optional<std::string_view> error_code_name(std::uint32_t code) {
    for (const auto& [value, name] : k_error_codes) {
        if (value == code) {
            return name;
        }
    }
    return std::nullopt;
}

}  // namespace zaudit::zrtp
