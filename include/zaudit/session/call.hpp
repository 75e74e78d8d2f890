#pragma once
/// \file Calls: one per SIP Call-ID, with every message, every offer and answer, and the media
/// bound to it. Key material is held here as captured; reports decide what to show.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "zaudit/sdp/session.hpp"
#include "zaudit/sip/method.hpp"
#include "zaudit/util/address.hpp"
#include "zaudit/util/boxed.hpp"
#include "zaudit/util/timestamp.hpp"

namespace zaudit::session {

/// How media is protected, as a ladder: a later value is stronger for a passive listener.
enum class Protection { none, unknown, sdes_srtp, dtls_srtp, zrtp };
const char* to_string(Protection protection);

/// One SDES a=crypto line (RFC 4568) as seen in SDP.
struct SdesKey {
    std::uint32_t tag = 0;
    std::string suite;
    std::vector<std::uint8_t> key_salt;  ///< decoded master key ‖ salt (secret: redact in reports)
    std::string fingerprint;             ///< first 16 hex digits of SHA-256(key_salt): safe to show
    bool unencrypted_srtp = false;
    bool unencrypted_srtcp = false;
    bool unauthenticated_srtp = false;
};

/// An a=rtpmap of an m= line (RFC 4566 section 6): a payload type's encoding and RTP clock.
struct PayloadFormat {
    std::uint8_t payload_type = 0;
    std::string encoding;          ///< as written ("opus", "telephone-event")
    std::uint32_t clock_rate = 0;  ///< Hz
};

/// One m= line of one SDP body, reduced to what the audit needs.
struct SdpMedia {
    std::string media;   ///< "audio", "video", ...
    util::Endpoint rtp;  ///< connection address and port (port 0: disabled stream)
    std::optional<util::Endpoint> rtcp;
    bool rtcp_mux = false;
    std::string profile;
    bool profile_secure = false;
    bool profile_dtls = false;
    std::vector<PayloadFormat> rtpmaps;  ///< the a=rtpmap lines of the formats listed on the m= line
    std::vector<SdesKey> cryptos;
    std::vector<std::string> zrtp_hashes;   ///< "1.10 <hex>"
    std::vector<std::string> fingerprints;  ///< "sha-256 AB:CD:..."
    std::string setup;                      ///< a=setup value (RFC 4145), empty when absent
    sdp::Direction direction = sdp::Direction::sendrecv;
    /// What this m= line offers or accepts, strongest first: zrtp (a=zrtp-hash), dtls, sdes, none.
    [[nodiscard]] Protection advertised() const;
};

/// One SDP body and where it travelled.
struct SdpSnapshot {
    std::uint64_t frame = 0;
    util::Timestamp time;
    util::Endpoint sender;  ///< the packet's source (a hop, not necessarily the endpoint)
    util::Endpoint receiver;
    std::string carried_by;  ///< for display: "INVITE", "200 INVITE", "ACK", "UPDATE", "183 INVITE", ...
    /// The request's method, or for a response the method it answers (its CSeq method).
    sip::Method method = sip::Method::other;
    int status = 0;  ///< the response's status code; 0 when a request carried the SDP
    std::uint32_t cseq = 0;
    bool is_offer = false;
    std::vector<SdpMedia> media;
    /// Where the carrying message's Contact points, when it is an IP address: the party whose
    /// SDP this is, as far as SIP says (a proxy leaves it alone; a B2BUA puts its own).
    std::optional<util::IpAddress> contact;
    std::optional<util::IpAddress> origin;  ///< o= unicast address, when an IP address
    std::uint32_t leg = 0;                  ///< the CallLeg (id) it travelled on
};

/// An offer and the answer to it (indices into Call::sdps); a re-INVITE or UPDATE adds one.
struct OfferAnswer {
    std::size_t offer = 0;
    std::optional<std::size_t> answer;
    bool rejected = false;  ///< the offer got a failure response (e.g. 488)
    int final_status = 0;
};

/// A SIP message of the call, for the ladder and for evidence.
struct SipEvent {
    std::uint64_t frame = 0;
    util::Timestamp time;
    util::Endpoint src;
    util::Endpoint dst;
    std::string summary;  ///< for display: "INVITE", "200 OK (INVITE)", ...
    /// The request's method, or for a response the method it answers (its CSeq method).
    sip::Method method = sip::Method::other;
    int status = 0;  ///< the response's status code; 0 for a request
    bool has_sdp = false;
};

/// A change of a call's protection, for the timeline: an SDP answer.
struct TimelineEvent {
    std::uint64_t frame = 0;
    util::Timestamp time;
    Protection protection = Protection::none;
    std::size_t sdp = 0;  ///< the answer that set it (index in Call::sdps)
};

/// The final response (RFC 3261 section 7.2: 2xx-6xx) to the INVITE that set the call up or
/// failed to: for a challenged INVITE (401/407) retried with credentials, the retry's.
struct FinalResponse {
    int status = 0;
    std::string reason;  ///< reason phrase as captured
    std::uint64_t frame = 0;
    util::Timestamp time;
    std::uint32_t cseq = 0;
};

/// How the call ended, as far as the capture shows.
enum class CallEnd : std::uint8_t {
    none,     ///< no BYE, CANCEL or failure seen: still up when the capture ended (or ended unseen)
    bye,      ///< a BYE
    cancel,   ///< a CANCEL of the pending INVITE
    failure,  ///< the INVITE got a final failure (3xx-6xx, in Call::outcome) and no dialog came up
    hangup,   ///< IAX2: a HANGUP
    reject,   ///< IAX2: a REJECT of the NEW (or of the call)
};

/// The protocol that set a call up.
enum class CallProtocol : std::uint8_t { sip, iax2 };
const char* to_string(CallProtocol protocol);

/// One IAX control frame of an IAX2 call, for display and evidence.
struct Iax2Event {
    std::uint64_t frame = 0;
    util::Timestamp time;
    util::Endpoint src;
    util::Endpoint dst;
    std::string name;  ///< "NEW", "AUTHREQ", ...
};

/// An IAX2 call's own facts (RFC 5456): its call numbers, the encryption asked for and agreed,
/// and its voice frames, which travel on the signalling's own UDP flow.
struct Iax2Call {
    /// What the call's voice was, as far as the frames show.
    enum class Media : std::uint8_t {
        none,        ///< no voice frame and no encrypted frame seen
        plain,       ///< voice frames read in clear
        aes128,      ///< AES-128 agreed (NEW and the callee's answer), and the frames after it not plain
        unreadable,  ///< frames not plain, without an agreement seen
    };
    util::Endpoint caller;  ///< sender of the NEW
    util::Endpoint callee;
    std::uint16_t caller_call = 0;                     ///< source call number of the NEW
    std::uint16_t callee_call = 0;                     ///< the callee's source call number (0 until it answered)
    std::optional<std::uint16_t> encryption_offered;   ///< ENCRYPTION IE of the NEW
    std::optional<std::uint16_t> encryption_answered;  ///< ENCRYPTION IE of the callee's AUTHREQ or ACCEPT
    std::optional<std::uint16_t> auth_methods;         ///< AUTHMETHODS IE of the AUTHREQ
    bool md5_challenge = false;                        ///< an AUTHREQ with a CHALLENGE
    bool accepted = false;                             ///< an ACCEPT in clear, or ciphertext after the agreement
    std::uint64_t new_frame = 0;
    std::uint64_t plain_voice_frames = 0;  ///< voice frames (full and mini) read in clear
    std::uint64_t plain_voice_bytes = 0;   ///< their media bytes
    std::uint64_t encrypted_frames = 0;    ///< full and mini frames whose bytes after the call numbers are ciphertext
    std::uint64_t first_voice_frame = 0;   ///< of the plain voice frames; 0 for none
    std::uint64_t last_voice_frame = 0;
    std::uint64_t first_encrypted_frame = 0;  ///< 0 for none
    std::vector<std::string> codecs;          ///< of the voice frames, in order seen ("ulaw")
    std::vector<Iax2Event> events;            ///< the IAX control frames read in clear, the first ones
    std::string cause;                        ///< CAUSE IE of the HANGUP or REJECT, as captured
    Media media = Media::none;
    [[nodiscard]] bool encryption_agreed() const;
};
const char* to_string(Iax2Call::Media media);

/// Where a leg sits on the call's signalling path (RFC 3261 section 16 proxies; the roles of
/// DESIGN.md section 5).
enum class LegRole : std::uint8_t {
    direct,       ///< the only hop: user agent to user agent, as far as the capture shows
    uac_proxy,    ///< the caller's side of a proxied call
    proxy_proxy,  ///< between two proxies
    proxy_uas,    ///< the callee's side of a proxied call
    b2bua_leg,    ///< one side of a B2BUA, whose other side is another call (Call::linked_calls)
};
const char* to_string(LegRole role);

/// One signalling hop of a call: its SIP between two nodes, as seen on one wire. Offers and
/// answers pair up per leg, and a stream is bound to the SDP of the leg it travels on.
struct CallLeg {
    std::uint32_t id = 0;  ///< 1-based, in the order the legs' first messages were seen
    util::Endpoint a;      ///< the side that sent the leg's first request (towards the caller)
    util::Endpoint b;
    LegRole role = LegRole::direct;
    std::uint64_t first_frame = 0;
    std::vector<std::uint32_t> media;             ///< streams bound to this leg's SDP
    Protection protection = Protection::unknown;  ///< the weakest of its streams'; unknown without media
    [[nodiscard]] bool joins(const util::IpAddress& x, const util::IpAddress& y) const {
        return (a.address == x && b.address == y) || (a.address == y && b.address == x);
    }
};

/// How a media relay handled what it anchored, from the same RTP packets seen on both its sides.
enum class RelayForwarding : std::uint8_t {
    unknown,   ///< only one side of it was captured
    forwards,  ///< byte-identical payloads on both sides: it passes SRTP/ZRTP through
    rewrites,  ///< same SSRC and sequence numbers, other bytes: it decrypts or re-encrypts
};
const char* to_string(RelayForwarding forwarding);

/// A node on the call's path, from caller to callee.
struct PathNode {
    enum class Kind : std::uint8_t { ua, proxy, b2bua, media_relay };
    std::vector<util::IpAddress> addresses;  ///< one per network it was seen on (caller side first)
    Kind kind = Kind::ua;
    bool on_wire = true;  ///< false for a party known only from a Contact (its hop is outside the capture)
    /// The call's media keys reached it: it anchored SDES media (the keys are in the SDP it
    /// rewrote) or it rewrote the packets themselves.
    bool keeps_keys = false;
    RelayForwarding forwarding = RelayForwarding::unknown;  ///< media relays only
    /// Why it is a media relay: the SDPs whose c= named it (frames), and twin streams.
    std::vector<std::uint64_t> anchored_in;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> twin_streams;  ///< stream ids: caller side, callee side
    /// The protection of the captured leg from this node to the next (its weakest stream);
    /// nullopt when that hop was not captured or carried no media.
    std::optional<Protection> protection_to_next;
};
const char* to_string(PathNode::Kind kind);

struct Call {
    std::uint32_t id = 0;
    CallProtocol protocol = CallProtocol::sip;
    /// For SIP the Call-ID; for IAX2 "iax2:<caller address>/<caller's call number>".
    std::string call_id;
    std::string from;       ///< From URI
    std::string to;         ///< To URI
    util::Timestamp start;  ///< its first SIP message or media packet, whichever came first
    util::Timestamp end;    ///< its last SIP message or media packet, whichever came last
    std::string transport;  ///< "udp", "tcp", "tls"
    bool tls = false;
    std::vector<SipEvent> messages;
    std::vector<SdpSnapshot> sdps;
    std::vector<OfferAnswer> exchanges;
    std::vector<TimelineEvent> timeline;
    std::optional<FinalResponse> outcome;  ///< nullopt when no final response to its INVITE was seen
    CallEnd ended_by = CallEnd::none;
    std::vector<std::uint32_t> media;  ///< MediaStream ids bound to the call
    std::vector<CallLeg> legs;         ///< its signalling hops in this capture, caller side first
    std::vector<PathNode> path;        ///< its nodes from caller to callee
    /// The other dialog(s) of a B2BUA this call ends at or starts from, and how they were tied.
    struct Link {
        enum class By : std::uint8_t { sdp, ssrc, timing };
        std::uint32_t call = 0;
        By by = By::timing;
    };
    std::vector<Link> linked_calls;
    std::vector<std::uint32_t> handshakes;       ///< ZrtpHandshake ids bound to the call
    std::vector<std::uint32_t> dtls_handshakes;  ///< DtlsHandshake ids bound to the call
    util::Boxed<Iax2Call> iax2;                  ///< IAX2 calls: their facts and voice (not in `media`)
};

const char* to_string(Call::Link::By by);

}  // namespace zaudit::session
