// The model's own methods: lookups by id and what a model value says about itself.
#include "zaudit/session/model.hpp"

#include <algorithm>

namespace zaudit::session {
namespace {

/// The element with 1-based `id`, or nullptr (const or not, as the vector is). A whole model
/// holds id N at index N - 1; a narrowed one (analysis/narrow.hpp) keeps the ids of what it
/// kept, ascending with gaps, and is searched.
template <typename Items>
auto* by_id(Items& items, std::uint32_t id) {
    if (id >= 1 && id <= items.size() && items[id - 1].id == id) {
        return &items[id - 1];
    }
    const auto it = std::lower_bound(items.begin(), items.end(), id,
                                     [](const auto& item, std::uint32_t wanted) { return item.id < wanted; });
    return it != items.end() && it->id == id ? &*it : nullptr;
}

}  // namespace

const Call* Model::call(std::uint32_t id) const {
    return by_id(calls, id);
}

Call* Model::call(std::uint32_t id) {
    return by_id(calls, id);
}

const MediaStream* Model::stream(std::uint32_t id) const {
    return by_id(media, id);
}

const ZrtpHandshake* Model::handshake(std::uint32_t id) const {
    return by_id(handshakes, id);
}

const DtlsHandshake* Model::dtls_handshake(std::uint32_t id) const {
    return by_id(dtls_handshakes, id);
}

std::vector<demux::PayloadKind> FlowRecord::kinds() const {
    std::vector<demux::PayloadKind> kinds;
    for (std::size_t i = 0; i < packets_by_kind.size(); ++i) {
        if (packets_by_kind[i] > 0) {
            kinds.push_back(static_cast<demux::PayloadKind>(i));
        }
    }
    std::stable_sort(kinds.begin(), kinds.end(), [&](auto x, auto y) {
        return packets_by_kind[static_cast<std::size_t>(x)] > packets_by_kind[static_cast<std::size_t>(y)];
    });
    return kinds;
}

const char* to_string(Protection protection) {
    switch (protection) {
        case Protection::none: return "none";
        case Protection::sdes_srtp: return "sdes-srtp";
        case Protection::dtls_srtp: return "dtls-srtp";
        case Protection::zrtp: return "zrtp";
        case Protection::unknown: return "unknown";
    }
    return "unknown";
}

const char* to_string(SrtpKeyCheck::Settled settled) {
    switch (settled) {
        case SrtpKeyCheck::Settled::no: return "no";
        case SrtpKeyCheck::Settled::right: return "right";
        case SrtpKeyCheck::Settled::wrong: return "wrong";
    }
    return "no";
}

const char* to_string(CallProtocol protocol) {
    switch (protocol) {
        case CallProtocol::sip: return "sip";
        case CallProtocol::iax2: return "iax2";
    }
    return "sip";
}

const char* to_string(Iax2Call::Media media) {
    switch (media) {
        case Iax2Call::Media::none: return "no-media";
        case Iax2Call::Media::plain: return "none";
        case Iax2Call::Media::aes128: return "iax2-aes128";
        case Iax2Call::Media::unreadable: return "unknown";
    }
    return "unknown";
}

bool Iax2Call::encryption_agreed() const {
    // RFC 5456 section 8.6: the caller lists the methods it supports in the NEW, the callee
    // names the one it takes in its AUTHREQ (Asterisk) or ACCEPT.
    const auto aes = [](const std::optional<std::uint16_t>& ie) {
        return ie && (*ie & 0x0001) != 0;  // iax2::k_encrypt_aes128
    };
    return aes(encryption_offered) && aes(encryption_answered);
}

const char* to_string(SrtpKeySource source) {
    switch (source) {
        case SrtpKeySource::sdp: return "sdp";
        case SrtpKeySource::given: return "given";
    }
    return "sdp";
}

const char* to_string(SrtpCoverage coverage) {
    switch (coverage) {
        case SrtpCoverage::sample: return "sample";
        case SrtpCoverage::every_packet: return "every-packet";
    }
    return "sample";
}

const char* to_string(LegRole role) {
    switch (role) {
        case LegRole::direct: return "direct";
        case LegRole::uac_proxy: return "uac-proxy";
        case LegRole::proxy_proxy: return "proxy-proxy";
        case LegRole::proxy_uas: return "proxy-uas";
        case LegRole::b2bua_leg: return "b2bua-leg";
    }
    return "direct";
}

const char* to_string(RelayForwarding forwarding) {
    switch (forwarding) {
        case RelayForwarding::unknown: return "unknown";
        case RelayForwarding::forwards: return "forwards";
        case RelayForwarding::rewrites: return "rewrites";
    }
    return "unknown";
}

const char* to_string(PathNode::Kind kind) {
    switch (kind) {
        case PathNode::Kind::ua: return "ua";
        case PathNode::Kind::proxy: return "proxy";
        case PathNode::Kind::b2bua: return "b2bua";
        case PathNode::Kind::media_relay: return "media-relay";
    }
    return "ua";
}

const char* to_string(Call::Link::By by) {
    switch (by) {
        case Call::Link::By::sdp: return "sdp";
        case Call::Link::By::ssrc: return "ssrc";
        case Call::Link::By::timing: return "timing";
    }
    return "timing";
}

const char* to_string(StreamCodec::Source source) {
    switch (source) {
        case StreamCodec::Source::sdp: return "sdp";
        case StreamCodec::Source::static_table: return "static";
        case StreamCodec::Source::unknown: return "unknown";
    }
    return "unknown";
}

Protection SdpMedia::advertised() const {
    if (!zrtp_hashes.empty()) {
        return Protection::zrtp;
    }
    if (profile_dtls || !fingerprints.empty()) {
        return Protection::dtls_srtp;
    }
    if (!cryptos.empty()) {
        return Protection::sdes_srtp;
    }
    return profile_secure ? Protection::unknown : Protection::none;
}

const ZrtpMessageRecord* ZrtpHandshake::find(zrtp::MessageType type, const util::Endpoint* sender) const {
    for (const auto& record : messages) {
        if (record.message.type == type && (sender == nullptr || record.src == *sender)) {
            return &record;
        }
    }
    return nullptr;
}

std::vector<const ZrtpMessageRecord*> ZrtpHandshake::copies_of(zrtp::MessageType type,
                                                               const util::Endpoint& sender) const {
    std::vector<const ZrtpMessageRecord*> out;
    for (const auto* list : {&messages, &variants}) {
        for (const auto& record : *list) {
            if (record.message.type == type && record.src == sender) {
                out.push_back(&record);
            }
        }
    }
    return out;
}

const ZrtpMessageRecord* ZrtpHandshake::record_at(std::uint64_t frame) const {
    for (const auto* list : {&messages, &variants}) {
        for (const auto& record : *list) {
            if (record.frame == frame) {
                return &record;
            }
        }
    }
    return nullptr;
}

}  // namespace zaudit::session
