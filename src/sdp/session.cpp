/// \file SDP parsing (RFC 8866 section 5; attributes from RFC 8866 6, RFC 4568, RFC 6189 8.1,
/// RFC 8122, RFC 3605, RFC 5761, RFC 8839).
///
///   session = v= o= s= [i=] [u=] *e= *p= [c=] *b= 1*(t= *r=) [z=] *a= *media
///   media   = m=<media> <port>[/<count>] <proto> <fmt> ...  [i=] *c= *b= [k=] *a=
///
/// Every line is <type>=<value>. Session-level c=, a=fingerprint, a=setup, a=zrtp-hash,
/// a=ice-ufrag and direction apply to each media section that does not give its own; this is
/// resolved once the whole description has been read.

#include <array>
#include <utility>

#include <fmt/format.h>

#include "zaudit/sdp/session.hpp"
#include "zaudit/util/text.hpp"

namespace zaudit::sdp {
namespace {

using util::AnomalyCode;
using util::split_ws;
using util::trim;

/// Parser state: the session being built and where a= lines currently go.
struct Parser {
    SdpSession s;
    std::size_t line = 0;
    std::size_t line_offset = 0;  ///< where the current line starts in the text
    bool skipping_media = false;  ///< inside a media section whose m= line was rejected
    std::size_t cryptos = 0;      ///< a=crypto lines kept, all media sections together
    bool media_capped = false;    ///< a media section past k_max_media_sections was skipped (said)
    bool cryptos_capped = false;  ///< an a=crypto past k_max_cryptos was skipped (said)

    MediaDescription* media() { return s.media.empty() ? nullptr : &s.media.back(); }
    void warn(AnomalyCode code, std::string_view reason, std::size_t offset_in_line = 0) {
        s.anomalies.push_back({code, 0, line_offset + offset_in_line, fmt::format("line {}: {}", line, reason)});
    }
};

void set_profile_flags(MediaDescription& m) {
    const std::string p = util::to_lower(m.profile);
    const auto last_slash = p.rfind('/');
    const std::string_view last = std::string_view{p}.substr(last_slash == std::string::npos ? 0 : last_slash + 1);
    m.profile_secure = last == "savp" || last == "savpf";
    m.profile_feedback = last == "avpf" || last == "savpf";
    m.profile_dtls = p.rfind("udp/tls/", 0) == 0 || p.rfind("dccp/tls/", 0) == 0 || p.rfind("tcp/dtls/", 0) == 0;
}

void on_origin(Parser& p, std::string_view value) {
    const auto f = split_ws(value);
    if (f.size() != 6) {
        p.warn(AnomalyCode::sdp_bad_origin, fmt::format("o= needs 6 fields, has {}", f.size()));
        return;
    }
    p.s.origin = Origin{std::string{f[0]}, std::string{f[1]}, std::string{f[2]},
                        std::string{f[3]}, std::string{f[4]}, std::string{f[5]}};
}

void on_connection(Parser& p, std::string_view value) {
    auto c = parse_connection(value);
    if (!c) {
        p.warn(AnomalyCode::sdp_bad_connection, fmt::format("c= '{}' is not <nettype> <addrtype> <address>", value));
        return;
    }
    if (MediaDescription* m = p.media()) {
        if (!m->connection) {  // several c= lines (layered multicast): the first one is kept
            m->connection = std::move(c);
        }
    } else {
        p.s.connection = std::move(c);
    }
}

void on_media(Parser& p, std::string_view value) {
    const auto f = split_ws(value);
    p.skipping_media = true;
    if (f.size() < 3) {
        p.warn(AnomalyCode::sdp_bad_media, "m= needs <media> <port> <proto> [<fmt> ...]; media section skipped");
        return;
    }
    if (p.s.media.size() == k_max_media_sections) {
        if (!p.media_capped) {
            p.media_capped = true;
            p.warn(
                AnomalyCode::sdp_too_many_media,
                fmt::format("more than {} media sections; this one and those after it skipped", k_max_media_sections));
        }
        return;
    }
    MediaDescription m;
    m.line = p.line;
    m.media = std::string{f[0]};
    const std::string_view port_field = f[1];
    const auto slash = port_field.find('/');
    const auto port = util::parse_unsigned<std::uint16_t>(port_field.substr(0, slash));
    const auto count = slash == std::string_view::npos ? std::optional<unsigned>{1}
                                                       : util::parse_unsigned<unsigned>(port_field.substr(slash + 1));
    if (!port || !count || *count == 0) {
        p.warn(AnomalyCode::sdp_bad_media,
               fmt::format("m= port '{}' is not a number; media section skipped", port_field));
        return;
    }
    m.port = *port;
    m.port_count = *count;
    m.profile = std::string{f[2]};
    set_profile_flags(m);
    for (std::size_t i = 3; i < f.size(); ++i) {
        m.formats.emplace_back(f[i]);
    }
    p.s.media.push_back(std::move(m));
    p.skipping_media = false;
}

void on_rtpmap(Parser& p, MediaDescription& m, std::string_view value) {
    const auto f = split_ws(value);
    const auto pt = f.empty() ? std::nullopt : util::parse_unsigned<unsigned>(f[0]);
    if (f.size() != 2 || !pt || *pt > 127) {
        p.warn(AnomalyCode::sdp_bad_rtpmap,
               fmt::format("a=rtpmap '{}' is not <payload type> <encoding>/<clock rate>", value));
        return;
    }
    RtpMap map;
    map.payload_type = *pt;
    const std::string_view enc = f[1];
    const auto s1 = enc.find('/');
    const auto s2 = s1 == std::string_view::npos ? s1 : enc.find('/', s1 + 1);
    const auto rate =
        s1 == std::string_view::npos
            ? std::nullopt
            : util::parse_unsigned<std::uint32_t>(enc.substr(s1 + 1, s2 == std::string_view::npos ? s2 : s2 - s1 - 1));
    if (!rate || s1 == 0) {
        p.warn(AnomalyCode::sdp_bad_rtpmap, fmt::format("a=rtpmap '{}' has no clock rate", value));
        return;
    }
    map.encoding = std::string{enc.substr(0, s1)};
    map.clock_rate = *rate;
    if (s2 != std::string_view::npos) {
        map.parameters = std::string{enc.substr(s2 + 1)};
    }
    m.rtpmaps.push_back(std::move(map));
}

void on_rtcp(Parser& p, MediaDescription& m, std::string_view value) {
    const auto f = split_ws(value);
    const auto port = f.empty() ? std::nullopt : util::parse_unsigned<std::uint16_t>(f[0]);
    if (!port || (f.size() != 1 && f.size() != 4)) {
        p.warn(AnomalyCode::sdp_bad_rtcp,
               fmt::format("a=rtcp '{}' is not <port> [<nettype> <addrtype> <address>]", value));
        return;
    }
    Rtcp rtcp;
    rtcp.port = *port;
    if (f.size() == 4) {
        const auto rest = trim(value.substr(static_cast<std::size_t>(f[1].data() - value.data())));
        rtcp.connection = parse_connection(rest);
    }
    m.rtcp = std::move(rtcp);
}

/// "<word> <word>" attributes: a=zrtp-hash and a=fingerprint; nullopt when not two fields.
std::optional<std::pair<std::string, std::string>> two_fields(Parser& p, AnomalyCode code, std::string_view name,
                                                              std::string_view value) {
    const auto f = split_ws(value);
    if (f.size() != 2) {
        p.warn(code, fmt::format("a={} '{}' needs two fields", name, value));
        return std::nullopt;
    }
    return std::pair{std::string{f[0]}, std::string{f[1]}};
}

std::optional<Direction> direction_of(std::string_view name) {
    constexpr std::array<std::pair<std::string_view, Direction>, 4> k_directions{{
        {"sendrecv", Direction::sendrecv},
        {"sendonly", Direction::sendonly},
        {"recvonly", Direction::recvonly},
        {"inactive", Direction::inactive},
    }};
    for (const auto& [text, d] : k_directions) {
        if (text == name) {
            return d;
        }
    }
    return std::nullopt;
}

void on_media_attribute(Parser& p, MediaDescription& m, const Attribute& a) {
    if (a.name == "rtpmap") {
        on_rtpmap(p, m, a.value);
    } else if (a.name == "crypto") {
        if (p.cryptos == k_max_cryptos) {
            if (!p.cryptos_capped) {
                p.cryptos_capped = true;
                p.warn(AnomalyCode::sdp_too_many_cryptos,
                       fmt::format("more than {} a=crypto lines; this one and those after it skipped", k_max_cryptos));
            }
            return;
        }
        CryptoParse parsed = parse_crypto(a.value);
        for (const util::Anomaly& anomaly : parsed.anomalies) {
            p.warn(anomaly.code, fmt::format("a=crypto{}: {}", parsed.crypto ? "" : " skipped", anomaly.detail),
                   a.value_offset + anomaly.offset);
        }
        if (parsed.crypto) {
            m.cryptos.push_back(std::move(*parsed.crypto));
            ++p.cryptos;
        }
    } else if (a.name == "rtcp") {
        on_rtcp(p, m, a.value);
    } else if (a.name == "rtcp-mux") {
        m.rtcp_mux = true;
    } else if (a.name == "candidate") {
        ++m.candidates;
    }
}

/// Attributes that may sit at either level; true when handled.
bool on_shared_attribute(Parser& p, const Attribute& a, std::vector<ZrtpHash>& zrtp, std::vector<Fingerprint>& fps,
                         std::string& setup, bool& ice_ufrag, std::optional<Direction>& direction) {
    if (a.name == "zrtp-hash") {
        if (auto f = two_fields(p, AnomalyCode::sdp_bad_zrtp_hash, a.name, a.value)) {
            zrtp.push_back({std::move(f->first), std::move(f->second)});
        }
    } else if (a.name == "fingerprint") {
        if (auto f = two_fields(p, AnomalyCode::sdp_bad_fingerprint, a.name, a.value)) {
            fps.push_back({util::to_lower(f->first), std::move(f->second)});
        }
    } else if (a.name == "setup") {
        setup = std::string{trim(a.value)};
    } else if (a.name == "ice-ufrag") {
        ice_ufrag = true;
    } else if (auto d = direction_of(a.name)) {
        direction = d;
    } else {
        return false;
    }
    return true;
}

void on_attribute(Parser& p, std::string_view value) {
    Attribute a;
    a.line = p.line;
    const auto colon = value.find(':');
    a.name = std::string{trim(value.substr(0, colon))};
    if (colon != std::string_view::npos) {
        const std::string_view v = trim(value.substr(colon + 1));
        a.value = std::string{v};
        a.value_offset = 2 + static_cast<std::size_t>(v.data() - value.data());  // after "a="
        a.has_value = true;
    }
    if (a.name.empty()) {
        p.warn(AnomalyCode::sdp_bad_attribute, "a= line without an attribute name");
        return;
    }
    MediaDescription* m = p.media();
    if (m == nullptr) {
        std::optional<Direction> direction = p.s.direction;
        if (!on_shared_attribute(p, a, p.s.zrtp_hashes, p.s.fingerprints, p.s.setup, p.s.ice_ufrag, direction) &&
            a.name == "crypto") {
            p.warn(AnomalyCode::sdp_session_crypto,
                   "a=crypto at session level (RFC 4568 allows it only in media sections)");
        }
        p.s.direction = direction;
        p.s.attributes.push_back(std::move(a));
        return;
    }
    std::optional<Direction> direction;
    if (on_shared_attribute(p, a, m->zrtp_hashes, m->fingerprints, m->setup, m->ice_ufrag, direction)) {
        if (direction) {
            m->direction = *direction;
            m->direction_explicit = true;
        }
    } else {
        on_media_attribute(p, *m, a);
    }
    m->attributes.push_back(std::move(a));
}

/// Session-level values apply to media sections that did not give their own.
void inherit(SdpSession& s) {
    for (MediaDescription& m : s.media) {
        if (!m.connection && s.connection) {
            m.connection = s.connection;
            m.connection_inherited = true;
        }
        if (m.zrtp_hashes.empty()) {
            m.zrtp_hashes = s.zrtp_hashes;
        }
        if (m.fingerprints.empty()) {
            m.fingerprints = s.fingerprints;
        }
        if (m.setup.empty()) {
            m.setup = s.setup;
        }
        m.ice_ufrag = m.ice_ufrag || s.ice_ufrag;
        if (!m.direction_explicit && s.direction) {
            m.direction = *s.direction;
            m.direction_explicit = true;
        }
    }
}

void on_line(Parser& p, char type, std::string_view value) {
    if (type == 'm') {
        on_media(p, value);
    } else if (p.skipping_media) {
        return;  // belongs to a rejected media section; reported once at its m= line
    } else if (type == 'v') {
        p.s.version = std::string{trim(value)};
    } else if (type == 'o') {
        on_origin(p, value);
    } else if (type == 's') {
        p.s.session_name = std::string{value};
    } else if (type == 'c') {
        on_connection(p, value);
    } else if (type == 'a') {
        on_attribute(p, value);
    } else if (std::string_view{"iuepbtrzk"}.find(type) == std::string_view::npos) {
        p.warn(AnomalyCode::sdp_unknown_line_type, fmt::format("unknown line type '{}'", type));
    }
}

}  // namespace

std::string_view to_string(Direction d) {
    switch (d) {
        case Direction::sendrecv: return "sendrecv";
        case Direction::sendonly: return "sendonly";
        case Direction::recvonly: return "recvonly";
        case Direction::inactive: return "inactive";
    }
    return "sendrecv";
}

const RtpMap* MediaDescription::rtpmap(unsigned payload_type) const {
    for (const RtpMap& map : rtpmaps) {
        if (map.payload_type == payload_type) {
            return &map;
        }
    }
    return nullptr;
}

std::optional<Connection> parse_connection(std::string_view value) {
    const auto f = split_ws(value);
    if (f.size() != 3) {
        return std::nullopt;
    }
    Connection c;
    c.net_type = std::string{f[0]};
    c.addr_type = std::string{f[1]};
    c.text = std::string{trim(value)};
    // IPv4 multicast carries "/ttl[/count]", IPv6 multicast "/count" (RFC 8866 5.7).
    c.address = std::string{f[2].substr(0, f[2].find('/'))};
    if (c.address.empty()) {
        return std::nullopt;
    }
    c.ip = util::IpAddress::parse(c.address);
    return c;
}

SdpSession parse(std::string_view text) {
    Parser p;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto lf = text.find('\n', pos);
        std::string_view line = text.substr(pos, lf == std::string_view::npos ? lf : lf - pos);
        p.line_offset = pos;
        pos = lf == std::string_view::npos ? text.size() : lf + 1;
        ++p.line;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (trim(line).empty()) {
            continue;
        }
        if (line.size() < 2 || line[1] != '=' || line[0] < 'a' || line[0] > 'z') {
            p.warn(AnomalyCode::sdp_bad_line, "not a <type>=<value> line");
            continue;
        }
        on_line(p, line[0], line.substr(2));
    }
    inherit(p.s);
    return std::move(p.s);
}

}  // namespace zaudit::sdp
