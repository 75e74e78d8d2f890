#include "zaudit/dtls/handshake.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <fmt/format.h>

namespace zaudit::dtls {
namespace {

constexpr std::size_t k_record_header = 13;             // RFC 6347 section 4.1
constexpr std::size_t k_fragment_header = 12;           // RFC 6347 section 4.2.2
constexpr std::size_t k_random = 32;                    // RFC 5246 section 7.4.1.2
constexpr std::uint16_t k_ext_use_srtp = 14;            // RFC 5764 section 4.1.1
constexpr std::uint16_t k_ext_supported_versions = 43;  // RFC 8446 section 4.2.1
constexpr std::size_t k_done_remembered = 32;           // message_seq values whose retransmissions are recognised

util::Anomaly anomaly(util::AnomalyCode code, std::size_t offset, std::string detail) {
    return util::Anomaly{code, 0, offset, std::move(detail)};
}

/// The extensions block of a Hello: a 2-byte length, then type (2) | length (2) | data.
/// Absent (no bytes left) is valid: RFC 5246 section 7.4.1.2 makes extensions optional.
bool read_extensions(util::ByteReader& r, bool server, Hello& hello, std::vector<util::Anomaly>& anomalies) {
    if (r.empty()) {
        return true;
    }
    const std::size_t block_at = r.offset();
    const std::uint16_t block_length = r.u16be();
    util::ByteReader block = r.sub(block_length);
    if (!r.ok()) {
        anomalies.push_back(anomaly(util::AnomalyCode::dtls_hello_truncated, block_at,
                                    fmt::format("extensions of {} bytes overrun the Hello", block_length)));
        return false;
    }
    while (!block.empty()) {
        const std::uint16_t type = block.u16be();
        const std::uint16_t length = block.u16be();
        util::ByteReader data = block.sub(length);
        if (!block.ok()) {
            anomalies.push_back(anomaly(util::AnomalyCode::dtls_hello_truncated, block_at + 2 + block.offset(),
                                        fmt::format("extension {} overruns the extensions block", type)));
            return false;
        }
        if (type == k_ext_use_srtp) {
            // SRTPProtectionProfiles <2..2^16-1> (2-byte profiles), then srtp_mki <0..255>.
            hello.use_srtp = true;
            const std::uint16_t list_length = data.u16be();
            util::ByteReader list = data.sub(list_length);
            const std::uint8_t mki_length = data.u8();
            const Bytes mki = data.bytes(mki_length);
            if (!data.ok() || list_length % 2 != 0) {
                anomalies.push_back(anomaly(util::AnomalyCode::dtls_hello_truncated, block_at,
                                            "use_srtp extension: profile list or MKI overruns it"));
                return false;
            }
            while (!list.empty()) {
                hello.srtp_profiles.push_back(list.u16be());
            }
            hello.srtp_mki.assign(mki.begin(), mki.end());
        } else if (type == k_ext_supported_versions) {
            if (server) {
                hello.supported_versions.push_back(data.u16be());  // selected_version
            } else {
                util::ByteReader list = data.sub(data.u8());
                while (list.remaining() >= 2) {
                    hello.supported_versions.push_back(list.u16be());
                }
            }
            if (!data.ok()) {
                anomalies.push_back(anomaly(util::AnomalyCode::dtls_hello_truncated, block_at,
                                            "supported_versions extension overruns it"));
                return false;
            }
        }
    }
    return true;
}

}  // namespace

RecordScan parse_records(Bytes datagram) {
    RecordScan scan;
    util::ByteReader r{datagram};
    while (!r.empty()) {
        const std::size_t at = r.offset();
        const std::uint8_t first = r.peek_u8();
        if (first >= 0x20 && first <= 0x3F) {
            scan.unified_header = true;  // RFC 9147 section 4: encrypted, its length may be implicit
            break;
        }
        Record record;
        record.offset = at;
        record.content_type = r.u8();
        record.version = r.u16be();
        record.epoch = r.u16be();
        record.sequence = r.u48be();
        const std::uint16_t length = r.u16be();
        if (!r.ok()) {
            scan.anomalies.push_back(
                anomaly(util::AnomalyCode::dtls_record_truncated, at,
                        fmt::format("{} bytes left, a record header needs {}", datagram.size() - at, k_record_header)));
            break;
        }
        if ((record.version >> 8) != 0xfe) {
            scan.anomalies.push_back(
                anomaly(util::AnomalyCode::dtls_bad_version, at + 1, fmt::format("version 0x{:04x}", record.version)));
            break;
        }
        record.fragment = r.bytes(length);
        if (!r.ok()) {
            scan.anomalies.push_back(anomaly(util::AnomalyCode::dtls_record_truncated, at + 11,
                                             fmt::format("record length {} overruns the datagram ({} bytes left)",
                                                         length, datagram.size() - at - k_record_header)));
            break;
        }
        scan.records.push_back(record);
    }
    return scan;
}

std::vector<HandshakeFragment> parse_handshake_fragments(Bytes record_fragment, std::vector<util::Anomaly>& anomalies) {
    std::vector<HandshakeFragment> fragments;
    util::ByteReader r{record_fragment};
    while (!r.empty()) {
        HandshakeFragment fragment;
        fragment.offset = r.offset();
        fragment.msg_type = r.u8();
        fragment.length = r.u24be();
        fragment.message_seq = r.u16be();
        fragment.fragment_offset = r.u24be();
        const std::uint32_t fragment_length = r.u24be();
        if (!r.ok()) {
            anomalies.push_back(anomaly(util::AnomalyCode::dtls_fragment_truncated, fragment.offset,
                                        fmt::format("a handshake fragment header needs {} bytes", k_fragment_header)));
            break;
        }
        fragment.body = r.bytes(fragment_length);
        if (!r.ok()) {
            anomalies.push_back(anomaly(util::AnomalyCode::dtls_fragment_truncated, fragment.offset + 9,
                                        fmt::format("fragment_length {} overruns the record", fragment_length)));
            break;
        }
        if (std::uint64_t{fragment.fragment_offset} + fragment_length > fragment.length) {
            anomalies.push_back(anomaly(util::AnomalyCode::dtls_fragment_out_of_range, fragment.offset + 6,
                                        fmt::format("fragment of {} bytes at {} does not fit a {}-byte message",
                                                    fragment_length, fragment.fragment_offset, fragment.length)));
            break;
        }
        fragments.push_back(fragment);
    }
    return fragments;
}

AssemblyStep MessageAssembler::add(const HandshakeFragment& fragment) {
    AssemblyStep step;
    if (std::find(m_done.begin(), m_done.end(), fragment.message_seq) != m_done.end()) {
        step.retransmission = true;
        return step;
    }
    if (fragment.length > k_max_message_bytes) {
        step.anomalies.push_back(
            anomaly(util::AnomalyCode::dtls_fragment_out_of_range, fragment.offset + 1,
                    fmt::format("message of {} bytes (limit {})", fragment.length, k_max_message_bytes)));
        return step;
    }
    auto it = m_pending.find(fragment.message_seq);
    if (it != m_pending.end() &&
        (it->second.bytes.size() != fragment.length || it->second.msg_type != fragment.msg_type)) {
        step.anomalies.push_back(
            anomaly(util::AnomalyCode::dtls_fragment_conflict, fragment.offset,
                    fmt::format("message {} was type {} of {} bytes, now type {} of {}", fragment.message_seq,
                                it->second.msg_type, it->second.bytes.size(), fragment.msg_type, fragment.length)));
        return step;  // the first one stands
    }
    if (it == m_pending.end()) {
        while (m_pending.size() >= k_max_pending) {
            const auto oldest = std::min_element(m_pending.begin(), m_pending.end(), [](const auto& a, const auto& b) {
                return a.second.age < b.second.age;
            });
            step.anomalies.push_back(
                anomaly(util::AnomalyCode::dtls_fragment_evicted, 0,
                        fmt::format("message {} dropped incomplete: too many pending", oldest->first)));
            m_pending.erase(oldest);
        }
        Pending fresh;
        fresh.msg_type = fragment.msg_type;
        fresh.bytes.assign(fragment.length, 0);
        fresh.filled.assign(fragment.length, false);
        it = m_pending.emplace(fragment.message_seq, std::move(fresh)).first;
    }
    Pending& pending = it->second;
    pending.age = ++m_clock;
    bool conflict = false;
    for (std::size_t i = 0; i < fragment.body.size(); ++i) {
        const std::size_t at = fragment.fragment_offset + i;
        if (pending.filled[at]) {
            conflict = conflict || pending.bytes[at] != fragment.body[i];
            continue;
        }
        pending.bytes[at] = fragment.body[i];
        pending.filled[at] = true;
        ++pending.received;
    }
    if (conflict) {
        step.anomalies.push_back(anomaly(util::AnomalyCode::dtls_fragment_conflict, fragment.offset,
                                         fmt::format("a fragment of message {} rewrites bytes already received "
                                                     "(the first ones are kept)",
                                                     fragment.message_seq)));
    }
    if (pending.received == pending.bytes.size()) {
        step.completed = HandshakeMessage{pending.msg_type, fragment.message_seq, std::move(pending.bytes)};
        m_pending.erase(it);
        if (m_done.size() >= k_done_remembered) {
            m_done.erase(m_done.begin());
        }
        m_done.push_back(fragment.message_seq);
    }
    return step;
}

std::optional<Hello> parse_client_hello(Bytes body, std::vector<util::Anomaly>& anomalies) {
    // client_version (2) | random (32) | session_id <0..32> | cookie <0..2^8-1> |
    // cipher_suites <2..2^16-2> | compression_methods <1..2^8-1> | extensions (RFC 6347 4.2.1)
    util::ByteReader r{body};
    Hello hello;
    hello.version = r.u16be();
    r.skip(k_random);
    r.skip(r.u8());     // session_id
    r.skip(r.u8());     // cookie
    r.skip(r.u16be());  // cipher_suites
    r.skip(r.u8());     // compression_methods
    if (!r.ok()) {
        anomalies.push_back(anomaly(util::AnomalyCode::dtls_hello_truncated, 0,
                                    fmt::format("ClientHello of {} bytes ends inside its fixed fields", body.size())));
        return std::nullopt;
    }
    if (!read_extensions(r, false, hello, anomalies)) {
        return std::nullopt;
    }
    return hello;
}

std::optional<Hello> parse_server_hello(Bytes body, std::vector<util::Anomaly>& anomalies) {
    // server_version (2) | random (32) | session_id <0..32> | cipher_suite (2) |
    // compression_method (1) | extensions (RFC 5246 section 7.4.1.3)
    util::ByteReader r{body};
    Hello hello;
    hello.version = r.u16be();
    r.skip(k_random);
    r.skip(r.u8());  // session_id
    r.skip(3);       // cipher_suite, compression_method
    if (!r.ok()) {
        anomalies.push_back(anomaly(util::AnomalyCode::dtls_hello_truncated, 0,
                                    fmt::format("ServerHello of {} bytes ends inside its fixed fields", body.size())));
        return std::nullopt;
    }
    if (!read_extensions(r, true, hello, anomalies)) {
        return std::nullopt;
    }
    return hello;
}

std::optional<std::vector<Bytes>> parse_certificate(Bytes body, std::vector<util::Anomaly>& anomalies) {
    util::ByteReader r{body};
    const std::uint32_t list_length = r.u24be();
    util::ByteReader list = r.sub(list_length);
    if (!r.ok()) {
        anomalies.push_back(
            anomaly(util::AnomalyCode::dtls_certificate_truncated, 0,
                    fmt::format("certificate_list of {} bytes in a {}-byte message", list_length, body.size())));
        return std::nullopt;
    }
    std::vector<Bytes> certificates;
    while (!list.empty()) {
        const std::size_t at = 3 + list.offset();
        const std::uint32_t length = list.u24be();
        const Bytes der = list.bytes(length);
        if (!list.ok()) {
            anomalies.push_back(anomaly(util::AnomalyCode::dtls_certificate_truncated, at,
                                        fmt::format("certificate of {} bytes overruns the list", length)));
            return std::nullopt;
        }
        certificates.push_back(der);
    }
    return certificates;
}

const char* profile_name(std::uint16_t profile) {
    // RFC 5764 section 4.1.2 and RFC 7714 section 14.2 (IANA "DTLS-SRTP Protection Profiles").
    static constexpr std::array<std::pair<std::uint16_t, const char*>, 6> k_profiles{{
        {0x0001, "SRTP_AES128_CM_HMAC_SHA1_80"},
        {0x0002, "SRTP_AES128_CM_HMAC_SHA1_32"},
        {0x0005, "SRTP_NULL_HMAC_SHA1_80"},
        {0x0006, "SRTP_NULL_HMAC_SHA1_32"},
        {0x0007, "SRTP_AEAD_AES_128_GCM"},
        {0x0008, "SRTP_AEAD_AES_256_GCM"},
    }};
    for (const auto& [value, name] : k_profiles) {
        if (value == profile) {
            return name;
        }
    }
    return "unknown";
}

bool profile_is_null(std::uint16_t profile) {
    return profile == 0x0005 || profile == 0x0006;
}

}  // namespace zaudit::dtls
