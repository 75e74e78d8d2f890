// SIP, SDP, signalling transports and G.711 media for the generator's call scenarios.
#include "zaudit/gen/sip_builder.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "zaudit/crypto/hash.hpp"
#include "zaudit/sip/method.hpp"
#include "zaudit/srtp/crypto_suite.hpp"
#include "zaudit/util/hex.hpp"
#include "zaudit/util/text.hpp"

namespace zaudit::gen {
namespace {

constexpr std::uint8_t k_tcp_fin = 0x01;
constexpr std::uint8_t k_tcp_syn = 0x02;
constexpr std::uint8_t k_tcp_psh = 0x08;
constexpr std::uint8_t k_tcp_ack = 0x10;
constexpr std::size_t k_tcp_mss = 1460;
/// TLS 1.2 AES-GCM record overhead: 8-byte explicit nonce and 16-byte tag (RFC 5288 section 3).
constexpr std::size_t k_tls_gcm_overhead = 24;
constexpr std::uint16_t k_sip_port = 5060;

std::string hex_of(SeededBytes& random, std::size_t bytes) {
    return util::to_hex(random.bytes(bytes));
}

/// "192.0.2.1" or "[2001:db8::1]": the host part of a URI or Via (RFC 3261 section 25.1).
std::string uri_host(const util::IpAddress& address) {
    return address.is_v4() ? address.to_string() : fmt::format("[{}]", address.to_string());
}

std::string host_port(const util::Endpoint& endpoint) {
    return fmt::format("{}:{}", uri_host(endpoint.address), endpoint.port);
}

std::string name_addr(const SipParty& party, bool with_tag) {
    std::string out = party.display_name.empty() ? fmt::format("<{}>", party.uri())
                                                 : fmt::format("\"{}\" <{}>", party.display_name, party.uri());
    if (with_tag && !party.tag.empty()) {
        out += fmt::format(";tag={}", party.tag);
    }
    return out;
}

/// The Contact URI without angle brackets: where in-dialog requests go (RFC 3261 section 12.2.1.1).
std::string contact_uri(const SipParty& party, SipTransport transport) {
    const std::string contact = party.contact(to_string(transport));
    return contact.substr(1, contact.size() - 2);
}

/// Vias of a request, topmost first: the proxies' then the sender's own.
std::vector<std::string> request_vias(const DialogSpec& dialog, const RequestSpec& request) {
    const SipParty& sender = request.from_callee ? dialog.callee : dialog.caller;
    std::vector<std::string> vias = request.proxy_vias;
    vias.push_back(fmt::format("SIP/2.0/{} {};branch={};rport", to_string(dialog.transport),
                               host_port(sender.signaling), request.branch));
    return vias;
}

}  // namespace

std::string sip_branch(SeededBytes& random) {
    return "z9hG4bK" + hex_of(random, 8);
}

std::string sip_tag(SeededBytes& random) {
    return hex_of(random, 5);
}

std::string sip_call_id(SeededBytes& random, std::string_view host) {
    return fmt::format("{}@{}", hex_of(random, 12), host);
}

SipWriter SipWriter::request(std::string_view method, std::string_view uri) {
    return SipWriter{fmt::format("{} {} SIP/2.0", method, uri)};
}

SipWriter SipWriter::response(int code, std::string_view reason) {
    return SipWriter{fmt::format("SIP/2.0 {} {}", code, reason)};
}

SipWriter& SipWriter::header(std::string_view name, std::string_view value) {
    m_headers.emplace_back(name, value);
    return *this;
}

SipWriter& SipWriter::body(std::string_view content_type, std::string_view body) {
    m_content_type = content_type;
    m_body = body;
    return *this;
}

std::string SipWriter::text() const {
    std::string out = m_start_line + "\r\n";
    for (const auto& [name, value] : m_headers) {
        out += fmt::format("{}: {}\r\n", name, value);
    }
    if (!m_body.empty()) {
        out += fmt::format("Content-Type: {}\r\n", m_content_type);
    }
    out += fmt::format("Content-Length: {}\r\n\r\n", m_body.size());
    return out + m_body;
}

std::string SipParty::uri() const {
    if (signaling.port == k_sip_port) {
        return fmt::format("sip:{}@{}", user, uri_host(signaling.address));
    }
    return fmt::format("sip:{}@{}", user, host_port(signaling));
}

std::string SipParty::contact(std::string_view transport) const {
    if (transport == "UDP") {
        return fmt::format("<sip:{}@{}>", user, host_port(signaling));
    }
    return fmt::format("<sip:{}@{};transport={}>", user, host_port(signaling), util::to_lower(transport));
}

std::string_view to_string(SipTransport transport) {
    switch (transport) {
        case SipTransport::udp: return "UDP";
        case SipTransport::tcp: return "TCP";
        case SipTransport::tls: return "TLS";
    }
    return "UDP";
}

std::string build_request(const DialogSpec& dialog, const RequestSpec& request) {
    const SipParty& sender = request.from_callee ? dialog.callee : dialog.caller;
    const SipParty& receiver = request.from_callee ? dialog.caller : dialog.callee;
    // Out of the dialog the request goes to the address of record; inside it, to the Contact.
    const std::string target = request.in_dialog ? contact_uri(receiver, dialog.transport) : receiver.uri();
    auto writer = SipWriter::request(request.method, target);
    for (const auto& via : request_vias(dialog, request)) {
        writer.header("Via", via);
    }
    for (const auto& route : request.record_routes) {
        writer.header("Record-Route", route);
    }
    for (const auto& route : request.routes) {
        writer.header("Route", route);
    }
    const auto max_forwards = 70 - static_cast<int>(request.proxy_vias.size());
    writer.header("Max-Forwards", std::to_string(max_forwards));
    writer.header("From", name_addr(sender, true));
    writer.header("To", name_addr(receiver, request.in_dialog));
    writer.header("Call-ID", dialog.call_id);
    writer.header("CSeq", fmt::format("{} {}", request.cseq, request.method));
    if (sip::method_from_text(request.method) == sip::Method::invite) {
        writer.header("Contact", sender.contact(to_string(dialog.transport)));
        writer.header("Allow", "INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO, UPDATE");
        writer.header("Supported", "replaces, timer");
    }
    writer.header("User-Agent", sender.user_agent);
    for (const auto& [name, value] : request.headers) {
        writer.header(name, value);
    }
    if (!request.sdp.empty()) {
        writer.body("application/sdp", request.sdp);
    }
    return writer.text();
}

std::string build_response(const DialogSpec& dialog, const RequestSpec& request, int code, std::string_view reason,
                           std::string_view sdp, const std::vector<std::pair<std::string, std::string>>& headers) {
    const SipParty& sender = request.from_callee ? dialog.callee : dialog.caller;
    const SipParty& responder = request.from_callee ? dialog.caller : dialog.callee;
    auto writer = SipWriter::response(code, reason);
    for (const auto& via : request_vias(dialog, request)) {
        writer.header("Via", via);
    }
    const bool invite = sip::method_from_text(request.method) == sip::Method::invite;
    if (invite && code > 100) {
        for (const auto& route : request.record_routes) {
            writer.header("Record-Route", route);
        }
    }
    writer.header("From", name_addr(sender, true));
    // RFC 3261 section 8.2.6.2: the UAS adds its tag to every response but 100 Trying.
    writer.header("To", name_addr(responder, code > 100 || request.in_dialog));
    writer.header("Call-ID", dialog.call_id);
    writer.header("CSeq", fmt::format("{} {}", request.cseq, request.method));
    if (invite && code > 100 && code < 300) {
        writer.header("Contact", responder.contact(to_string(dialog.transport)));
    }
    writer.header("Server", responder.user_agent);
    for (const auto& [name, value] : headers) {
        writer.header(name, value);
    }
    if (!sdp.empty()) {
        writer.body("application/sdp", sdp);
    }
    return writer.text();
}

namespace {
std::string sha256_hex(std::string_view text) {
    return util::to_hex(crypto::sha256(util::as_bytes(text)));
}
}  // namespace

std::string digest_challenge(const DigestChallenge& challenge) {
    return fmt::format("Digest realm=\"{}\", nonce=\"{}\", qop=\"auth\", algorithm=SHA-256", challenge.realm,
                       challenge.nonce);
}

std::string digest_credentials(const DigestChallenge& challenge, const DigestAnswer& answer) {
    const std::string nc = fmt::format("{:08x}", answer.nonce_count);
    const std::string ha1 = sha256_hex(fmt::format("{}:{}:{}", answer.user, challenge.realm, answer.password));
    const std::string ha2 = sha256_hex(fmt::format("{}:{}", answer.method, answer.uri));
    const std::string response =
        sha256_hex(fmt::format("{}:{}:{}:{}:auth:{}", ha1, challenge.nonce, nc, answer.cnonce, ha2));
    return fmt::format(
        "Digest username=\"{}\", realm=\"{}\", nonce=\"{}\", uri=\"{}\", response=\"{}\", "
        "algorithm=SHA-256, cnonce=\"{}\", qop=auth, nc={}",
        answer.user, challenge.realm, challenge.nonce, answer.uri, response, answer.cnonce, nc);
}

std::string crypto_value(const SdpCrypto& crypto) {
    std::string out = fmt::format("{} {} inline:{}", crypto.tag, crypto.suite, util::to_base64(crypto.key_salt));
    if (!crypto.session_params.empty()) {
        out += " " + crypto.session_params;
    }
    return out;
}

std::string build_sdp(const SdpSpec& spec) {
    const char* family = spec.address.is_v4() ? "IP4" : "IP6";
    const std::string address = spec.address.to_string();
    std::string out = "v=0\r\n";
    out +=
        fmt::format("o={} {} {} IN {} {}\r\n", spec.username, spec.session_id, spec.session_version, family, address);
    out += "s=-\r\n";
    out += fmt::format("c=IN {} {}\r\n", family, address);
    out += "t=0 0\r\n";
    const char* profile = spec.dtls ? "UDP/TLS/RTP/SAVP" : spec.savp ? "RTP/SAVP" : "RTP/AVP";
    out += fmt::format("m=audio {} {} 0 8 101\r\n", spec.port, profile);
    out += "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
    out += "a=fmtp:101 0-16\r\na=ptime:20\r\n";
    for (const auto& crypto : spec.cryptos) {
        out += fmt::format("a=crypto:{}\r\n", crypto_value(crypto));
    }
    if (!spec.zrtp_hash.empty()) {
        out += fmt::format("a=zrtp-hash:{}\r\n", spec.zrtp_hash);
    }
    if (!spec.fingerprint.empty()) {
        out += fmt::format("a=fingerprint:{}\r\n", spec.fingerprint);
    }
    if (!spec.setup.empty()) {
        out += fmt::format("a=setup:{}\r\n", spec.setup);
    }
    out += fmt::format("a={}\r\n", spec.direction);
    return out;
}

SignalingLink::SignalingLink(CaptureBuilder& capture, SeededBytes& random, util::Endpoint a, util::Endpoint b,
                             SipTransport transport)
    : m_capture{capture}, m_random{random}, m_a{a, 0, 0, {}}, m_b{b, 0, 0, {}}, m_transport{transport} {}

void SignalingLink::open(util::Timestamp time) {
    m_a.next_seq = m_random.u32();
    m_b.next_seq = m_random.u32();
    m_capture.add_tcp(time, m_a.endpoint, m_b.endpoint, m_a.next_seq++, 0, k_tcp_syn, {});
    m_capture.add_tcp(util::Timestamp{time.micros + 300}, m_b.endpoint, m_a.endpoint, m_b.next_seq++, m_a.next_seq,
                      k_tcp_syn | k_tcp_ack, {});
    m_capture.add_tcp(util::Timestamp{time.micros + 600}, m_a.endpoint, m_b.endpoint, m_a.next_seq, m_b.next_seq,
                      k_tcp_ack, {});
    m_open = true;
}

void SignalingLink::segment(util::Timestamp time, bool from_a, util::Bytes payload) {
    Side& from = from_a ? m_a : m_b;
    const Side& to = from_a ? m_b : m_a;
    m_capture.add_tcp(time, from.endpoint, to.endpoint, from.next_seq, to.next_seq, k_tcp_psh | k_tcp_ack, payload);
    from.last_seq = from.next_seq;
    from.last_payload.assign(payload.begin(), payload.end());
    from.next_seq += static_cast<std::uint32_t>(payload.size());
}

void SignalingLink::send(util::Timestamp time, bool from_a, std::string_view text) {
    if (m_transport == SipTransport::udp) {
        const Side& from = from_a ? m_a : m_b;
        const Side& to = from_a ? m_b : m_a;
        m_capture.add_udp(time, from.endpoint, to.endpoint, util::as_bytes(text));
        return;
    }
    if (!m_open) {
        open(util::Timestamp{time.micros - 1'000});
    }
    ByteVector bytes;
    if (m_transport == SipTransport::tls) {
        // An application-data record (RFC 5246 section 6.2): type 23, version 3.3, length, then
        // ciphertext, which random bytes stand for.
        const std::size_t length = text.size() + k_tls_gcm_overhead;
        ByteWriter record;
        record.u8(23).u16(0x0303).u16(static_cast<std::uint16_t>(length)).bytes(m_random.bytes(length));
        bytes = record.take();
    } else {
        bytes.assign(text.begin(), text.end());
    }
    std::int64_t at = time.micros;
    for (std::size_t offset = 0; offset < bytes.size(); offset += k_tcp_mss, at += 50) {
        const std::size_t n = std::min(k_tcp_mss, bytes.size() - offset);
        segment(util::Timestamp{at}, from_a, util::Bytes{bytes}.subspan(offset, n));
    }
}

void SignalingLink::send_segment(util::Timestamp time, bool from_a, std::string_view bytes) {
    if (!m_open) {
        open(util::Timestamp{time.micros - 1'000});
    }
    segment(time, from_a, util::as_bytes(bytes));
}

void SignalingLink::retransmit_last(util::Timestamp time, bool from_a) {
    const Side& from = from_a ? m_a : m_b;
    const Side& to = from_a ? m_b : m_a;
    m_capture.add_tcp(time, from.endpoint, to.endpoint, from.last_seq, to.next_seq, k_tcp_psh | k_tcp_ack,
                      from.last_payload);
}

void SignalingLink::close(util::Timestamp time) {
    if (!m_open) {
        return;
    }
    m_capture.add_tcp(time, m_a.endpoint, m_b.endpoint, m_a.next_seq++, m_b.next_seq, k_tcp_fin | k_tcp_ack, {});
    m_capture.add_tcp(util::Timestamp{time.micros + 300}, m_b.endpoint, m_a.endpoint, m_b.next_seq++, m_a.next_seq,
                      k_tcp_fin | k_tcp_ack, {});
    m_capture.add_tcp(util::Timestamp{time.micros + 600}, m_a.endpoint, m_b.endpoint, m_a.next_seq, m_b.next_seq,
                      k_tcp_ack, {});
    m_open = false;
}

util::Expected<SrtpSender> SrtpSender::create(std::string_view suite, util::Bytes key_salt, bool unencrypted_srtp) {
    const auto parsed = srtp::parse_crypto_suite(suite);
    if (!parsed) {
        return util::Error{fmt::format("SrtpSender: unsupported suite {}", suite)};
    }
    srtp::SessionParams params;
    params.unencrypted_srtp = unencrypted_srtp;
    auto protector = srtp::SrtpProtector::create(*parsed, key_salt, params);
    if (!protector) {
        return protector.error();
    }
    return SrtpSender{std::move(*protector)};
}

util::Expected<ByteVector> SrtpSender::protect(util::Bytes rtp_packet) {
    auto protected_packet = m_protector.protect(rtp_packet);
    if (!protected_packet) {
        return protected_packet.error();
    }
    return ByteVector(protected_packet->begin(), protected_packet->end());
}

MediaDirection media_direction(SeededBytes& random, util::Endpoint src, util::Endpoint dst,
                               std::shared_ptr<SrtpSender> srtp) {
    MediaDirection direction;
    direction.src = src;
    direction.dst = dst;
    direction.ssrc = random.u32();
    // Start low enough that 2^16 is not crossed in a short sample (no rollover to explain).
    direction.sequence = static_cast<std::uint16_t>(random.u16() & 0x7fff);
    direction.timestamp = random.u32();
    direction.srtp = std::move(srtp);
    return direction;
}

namespace {
void send_one(CaptureBuilder& capture, util::Timestamp time, MediaDirection& direction, std::uint32_t tone_offset) {
    const ByteVector rtp = build_rtp(0, direction.sequence, direction.timestamp, direction.ssrc, g711_tone(tone_offset),
                                     direction.sent == 0);
    if (direction.srtp) {
        auto srtp = direction.srtp->protect(rtp);
        if (!srtp) {
            throw std::logic_error{srtp.error().message};  // a programmer error: fixed key, fresh index
        }
        capture.add_udp(time, direction.src, direction.dst, *srtp);
    } else {
        capture.add_udp(time, direction.src, direction.dst, rtp);
    }
    ++direction.sequence;
    direction.timestamp += 160;
    ++direction.sent;
}
}  // namespace

util::Timestamp add_g711_media(CaptureBuilder& capture, util::Timestamp start, std::size_t packets,
                               MediaDirection& forward, MediaDirection& backward) {
    std::int64_t at = start.micros;
    for (std::size_t i = 0; i < packets; ++i, at += 20'000) {
        send_one(capture, util::Timestamp{at}, forward, static_cast<std::uint32_t>(forward.sent * 160));
        send_one(capture, util::Timestamp{at + 7'000}, backward, static_cast<std::uint32_t>(backward.sent * 160 + 40));
    }
    return util::Timestamp{at};
}

}  // namespace zaudit::gen
