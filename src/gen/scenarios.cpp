// The scenario table: one line per sample in samples/.
#include <array>

#include "scenarios.hpp"

namespace zaudit::gen {

std::span<const Scenario> scenarios() {
    static const std::array<Scenario, 45> k_scenarios{{
        {"net-rtp-over-vlan", "plain G.711 RTP both ways over 802.1Q, no signalling captured",
         "rtp.unsignaled-stream, media.unencrypted (codec-like payload, no SDP)", false,
         scenario_builders::rtp_over_vlan},
        {"net-opaque-p2p-call",
         "an encrypted P2P call of a closed softphone: no signalling, 50 datagrams/s each way of 60-100 uniformly "
         "random bytes (a quarter start like RTP) for 12 s",
         "media.unauditable only: no RTP stream, no rtp.* finding", false, scenario_builders::opaque_p2p_call},
        {"net-ipv6-fragments-sll", "IPv6 datagrams fragmented at MTU 576, Linux cooked capture", "none", false,
         scenario_builders::ipv6_fragments_sll},
        {"net-tcp-reordered", "a TCP stream with reordered and retransmitted segments on two pcapng interfaces", "none",
         true, scenario_builders::tcp_reordered_pcapng},
        {"sip-plain-call", "INVITE/100/180/200/ACK, 2 s of G.711 RTP both ways, BYE/200, all over UDP",
         "sip.cleartext-signaling, media.unencrypted", false, scenario_builders::sip_plain_call},
        {"sdes-call-udp", "SDES call over UDP: RTP/SAVP, a=crypto with a different key each way, 2 s of SRTP",
         "sip.cleartext-signaling, sdes.key-exposed (SRTP authenticates under the SDP keys)", false,
         scenario_builders::sdes_call_udp},
        {"srtp-auth-failure",
         "SDES call, 6 s of SRTP each way; the caller's 151st packet is replaced in flight by one under a key no "
         "SDP carried",
         "srtp.auth-failure (the forged packet fails between authenticated ones), sdes.key-exposed, "
         "sip.cleartext-signaling",
         false, scenario_builders::srtp_auth_failure},
        {"dtls-never-completes",
         "offer and answer agree on DTLS-SRTP (UDP/TLS/RTP/SAVP, a=fingerprint); the callee's ClientHello goes "
         "unanswered three times while both sides send 3 s of plain G.711 RTP",
         "call.security-downgraded (DTLS side: agreed, never keyed), media.unencrypted, sip.cleartext-signaling", false,
         scenario_builders::dtls_never_completes},
        {"sdes-call-tls", "the SDES call with SIP over TLS on TCP 5061 (opaque records) and SRTP media",
         "rtp.unsignaled-stream only: the SIP is opaque, so no key is exposed and the SRTP-looking media is not "
         "called plain",
         false, scenario_builders::sdes_call_tls},
        {"srtp-declined", "offer RTP/SAVP with a=crypto, answer RTP/AVP without, plain RTP media",
         "sdp.srtp-declined, media.unencrypted, sip.cleartext-signaling, sdes.key-exposed (offer's key)", false,
         scenario_builders::srtp_declined},
        {"reinvite-drops-crypto", "SDES call, then a re-INVITE (CSeq 2) without a=crypto; media goes plain after it",
         "sdp.srtp-declined, call.security-downgraded, sdp.security-stripped, media.unencrypted, "
         "sdes.key-exposed, sip.cleartext-signaling",
         false, scenario_builders::reinvite_drops_crypto},
        {"b2bua-two-legs",
         "caller-B2BUA leg with SDES (one Call-ID), B2BUA-callee leg plain (another), media "
         "anchored at 203.0.113.5",
         "path.protection-changed (the B2BUA's two dialogs, tied by timing: SDES-SRTP on one, plain on the other), "
         "sdes.key-exposed, media.unencrypted (leg 2), sip.cleartext-signaling; no path.media-relay: the media sits at "
         "the B2BUA, a party of each dialog",
         false, scenario_builders::b2bua_two_legs},
        {"sdes-key-reuse", "SDES call whose answer repeats the offer's key||salt: both directions share it",
         "sdes.key-reuse, sdes.key-exposed, sip.cleartext-signaling", false, scenario_builders::sdes_key_reuse},
        {"weak-suite", "offer AES_CM_128_HMAC_SHA1_80 and _32, the answer picks _32; SRTP with 32-bit tags",
         "sdp.weak-crypto-suite, sdes.key-exposed, sip.cleartext-signaling", false, scenario_builders::weak_suite},
        {"null-cipher",
         "offer AES_CM_128_HMAC_SHA1_80 and NULL_HMAC_SHA1_80, the answer picks NULL; "
         "authenticated but unencrypted SRTP",
         "media.null-cipher, sdp.weak-crypto-suite, sdes.key-exposed, sip.cleartext-signaling", false,
         scenario_builders::null_cipher},
        {"proxy-strips-crypto",
         "one INVITE seen at two hops: UA->proxy with a=crypto, proxy->UA2 without "
         "(two Vias); plain media",
         "sdp.security-stripped, sdp.srtp-declined, media.unencrypted, sdes.key-exposed, sip.cleartext-signaling",
         false, scenario_builders::proxy_strips_crypto},
        {"relay-sdes-to-plain",
         "a proxy with a media relay (as Kamailio + rtpengine) seen on both its wires: SDP c= rewritten to the relay "
         "on "
         "each hop, SDES-SRTP on the caller's hop, plain RTP on the callee's, the same SSRC and sequence numbers on "
         "both",
         "path.media-relay (medium: rewrites, keeps keys), path.protection-changed, sdp.security-stripped, "
         "media.unencrypted (callee's hop only), sdes.key-exposed, sip.cleartext-signaling",
         false, scenario_builders::relay_sdes_to_plain},
        {"pbx-direct-media",
         "a B2BUA PBX with direct media: two dialogs, each answer points its phone at the other phone; RTP flows phone "
         "to phone",
         "media.unencrypted, sip.cleartext-signaling; no path.media-relay (the media never touches the PBX)", false,
         scenario_builders::pbx_direct_media},
        {"sip-over-tcp-split",
         "plain call over TCP: INVITE in three segments (one retransmitted), 180 and 200 in "
         "one segment; no media",
         "sip.cleartext-signaling", false, scenario_builders::sip_over_tcp_split},
        {"sip-fragmented-ipv6", "plain call over IPv6 UDP at MTU 576: INVITE and 200 OK are IP-fragmented",
         "sip.cleartext-signaling, media.unencrypted", false, scenario_builders::sip_fragmented_ipv6},
        {"sip-digest-register-calls",
         "REGISTER challenged (401) and sent again with digest credentials over UDP; an INVITE challenged (407), "
         "retried with Proxy-Authorization and refused 488; a second call answered 200 whose media runs 8 s with no "
         "BYE before the capture ends",
         "sip.cleartext-credentials (the REGISTER, no call; call 1; call 2), media.unencrypted, "
         "sip.cleartext-signaling; call 1 outcome 488, ended by error 488; call 2 outcome 200, still up, about 9 s "
         "long",
         false, scenario_builders::sip_digest_register_calls},
        {"zrtp-clean-call",
         "SIP call with a=zrtp-hash both ways, a ZRTP DH3k handshake on the RTP ports, 1.2 s "
         "of SRTP (AES_CM_128_HMAC_SHA1_80) under the ZRTP keys; no clear RTP",
         "sip.cleartext-signaling", false, scenario_builders::zrtp_clean_call},
        {"zrtp-clear-before-secure",
         "the clean ZRTP call as linphone makes it: Hello retransmitted, 5 clear RTP "
         "packets each way before Conf2ACK",
         "media.clear-before-secure, sip.cleartext-signaling", false, scenario_builders::zrtp_clear_before_secure},
        {"zrtp-hello-tampered",
         "the caller's Hello altered in flight after its MAC (SDP a=zrtp-hash rewritten to "
         "match): the Hello MAC fails under the H2 of the Commit",
         "zrtp.hello-tampered, sip.cleartext-signaling", false, scenario_builders::zrtp_hello_tampered},
        {"zrtp-hello-forged-h3",
         "the caller's Hello replaced by one with another hash chain: SHA-256(H2) != H3, "
         "MAC fails, and the SDP a=zrtp-hash names the genuine Hello",
         "zrtp.hello-tampered, zrtp.zrtp-hash-mismatch, sip.cleartext-signaling", false,
         scenario_builders::zrtp_hello_forged_h3},
        {"zrtp-mitm-dhpart2", "DHPart2 carries an attacker's public value: the Commit's hvi does not match",
         "zrtp.hvi-mismatch, sip.cleartext-signaling", false, scenario_builders::zrtp_mitm_dhpart2},
        {"zrtp-hash-chain-broken", "DHPart2 reveals an H1 of another chain: SHA-256(H1) != H2, Commit MAC fails",
         "zrtp.hash-chain-broken, sip.cleartext-signaling", false, scenario_builders::zrtp_hash_chain_broken},
        {"zrtp-sdp-hash-mismatch", "the callee's SDP a=zrtp-hash is of another Hello than the one it sends",
         "zrtp.zrtp-hash-mismatch, sip.cleartext-signaling", false, scenario_builders::zrtp_sdp_hash_mismatch},
        {"zrtp-goclear", "ZRTP call (Confirms with the A flag), 1.2 s of SRTP, GoClear/ClearACK, then clear RTP",
         "zrtp.goclear, call.security-downgraded, media.unencrypted (after ClearACK), sip.cleartext-signaling", false,
         scenario_builders::zrtp_goclear},
        {"zrtp-error", "the callee answers the Commit with Error 0x62 (hvi != hashed data), ErrorACK; no media",
         "zrtp.error (high), zrtp.handshake-incomplete, sip.cleartext-signaling", false, scenario_builders::zrtp_error},
        {"zrtp-stripped",
         "a=zrtp-hash in offer and answer, the caller's Hellos retransmitted unanswered, the "
         "callee's ZRTP never seen, plain RTP both ways",
         "zrtp.stripped, call.security-downgraded, zrtp.handshake-incomplete, media.unencrypted, "
         "sip.cleartext-signaling",
         false, scenario_builders::zrtp_stripped},
        {"zrtp-pbx-mitm", "the callee is a ZRTP PBX: M flag in its Hello and a SASrelay after Conf2ACK",
         "zrtp.trusted-mitm, sip.cleartext-signaling", false, scenario_builders::zrtp_pbx_mitm},
        {"zrtp-multistream",
         "audio and video m= lines, each with its a=zrtp-hash: DH on audio, Mult mode on "
         "video, SRTP on both",
         "sip.cleartext-signaling", false, scenario_builders::zrtp_multistream},
        {"zrtp-crc-corrupt", "the first copy of the Commit has a bad CRC-32C, a good copy follows",
         "zrtp.crc-invalid, sip.cleartext-signaling", false, scenario_builders::zrtp_crc_corrupt},
        {"zrtp-retransmit-changed", "the caller's Hello sent again with a different client identifier",
         "zrtp.retransmission-mismatch (both copies pass the MAC: the endpoint itself made both), "
         "zrtp.zrtp-hash-mismatch (the second copy is not the Hello its SDP bound), sip.cleartext-signaling",
         false, scenario_builders::zrtp_retransmit_changed},
        {"zrtp-fragmented",
         "ZRTP packets over 128 bytes (Hellos, Commit, DHParts) sent as bzrtp-style "
         "fragments (first byte 0x11)",
         "sip.cleartext-signaling", false, scenario_builders::zrtp_fragmented},
        {"zrtp-dh2k", "both ends offer DH2k only; the handshake completes with 2048-bit finite-field DH",
         "zrtp.weak-algorithms (low), sip.cleartext-signaling", false, scenario_builders::zrtp_dh2k},
        {"zrtp-no-sip", "a ZRTP handshake and SRTP with no SIP captured", "none (rtp.unsignaled-stream at most)", false,
         scenario_builders::zrtp_no_sip},
        {"zrtp-hello-edited-contention",
         "both endpoints send a Commit (contention); a box strips AES3 from the callee's Hello and the capture, "
         "from taps on both sides of the box, holds the original and then the edited copy; the handshake stalls",
         "zrtp.hello-tampered (edited and intact frames named: the edited copy fails the MAC under the H2 of the "
         "callee's Commit and a=zrtp-hash), zrtp.handshake-incomplete, sip.cleartext-signaling",
         false, scenario_builders::zrtp_hello_edited_contention},
        {"zrtp-hello-edited-contention-skewed",
         "the same with the caller-side tap's clock 40 ms behind: the edited copy of the Hello comes first",
         "zrtp.hello-tampered (edited and intact frames named), zrtp.handshake-incomplete, sip.cleartext-signaling",
         false, scenario_builders::zrtp_hello_edited_contention_skewed},
        {"zrtp-mitm-vantage-a",
         "alice's wire of a call through 203.0.113.66, a SIP proxy that anchors the media and terminates ZRTP: a "
         "complete, valid handshake between alice and the box posing as bob (its own ZID, hash chain and DH), "
         "a=zrtp-hash rewritten to match, SRTP under that leg's keys",
         "sip.cleartext-signaling only: alone it looks clean; `zaudit compare` with zrtp-mitm-vantage-b gives "
         "path.vantage-divergence (critical)",
         false, scenario_builders::zrtp_mitm_vantage_a},
        {"zrtp-mitm-vantage-b",
         "bob's wire of the same call (same Call-ID): a second complete, valid handshake between the box posing as "
         "alice and bob, with other ZIDs, hash images and DH values",
         "sip.cleartext-signaling only; compared with zrtp-mitm-vantage-a: path.vantage-divergence (critical)", false,
         scenario_builders::zrtp_mitm_vantage_b},
        {"zrtp-mitm-vantage-merged",
         "both wires of zrtp-mitm-vantage merged by time (one clock): two handshakes "
         "for one Call-ID, one per leg",
         "path.vantage-divergence (different ZIDs on the two legs), path.media-relay, sip.cleartext-signaling", false,
         scenario_builders::zrtp_mitm_vantage_merged},
        {"iax2-plain-call",
         "an IAX2 call on UDP 4569 (NEW/ACCEPT/ACK, ANSWER, 2 s of G.711 voice each way as a full voice frame then "
         "mini frames, HANGUP/ACK), no ENCRYPTION element: voice in clear",
         "media.unencrypted (the IAX2 call's voice frames)", false, scenario_builders::iax2_plain_call},
        {"iax2-encrypted-call",
         "the IAX2 call with ENCRYPTION (AES-128) in the NEW and the callee's AUTHREQ, an MD5 challenge and AUTHREP, "
         "then every frame from the ACCEPT on AES-128-CBC encrypted under MD5(challenge + secret), as Asterisk does",
         "none (protection iax2-aes128)", false, scenario_builders::iax2_encrypted_call},
    }};
    return k_scenarios;
}

}  // namespace zaudit::gen
