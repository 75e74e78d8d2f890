// zrtp.trusted-mitm: a ZRTP PBX (M flag, SASrelay) sits in the media path.
#include "rules.hpp"
#include "zrtp_facts.hpp"

namespace zaudit::analysis::rules {
namespace {

void report_mitm_hellos(const StreamsByFlow& streams, const session::ZrtpHandshake& handshake, FindingSink& sink) {
    for (const session::ZrtpMessageRecord& record : handshake.messages) {
        const zrtp::Hello* hello = record.message.hello();
        if (hello == nullptr || !hello->mitm) {
            continue;
        }
        Finding& f = add_handshake_finding(
            streams, sink, handshake,
            fmt::format("ZRTP handshake {}: {} announces itself as a trusted MiTM (Hello M flag, client '{}')",
                        handshake.id, record.src, util::trim_padding(hello->client_id)));
        f.confidence = Confidence::verified;  // the flag is read from the Hello
        f.frames = {record.frame};
        f.evidence["indicator"] = "hello_m_flag";
        f.evidence["sender"] = record.src.to_string();
        f.evidence["client_id"] = util::trim_padding(hello->client_id);
        f.evidence["zid"] = zid_hex(hello->zid);
    }
}

void check(const session::Model& model, const Policy& /*policy*/, FindingSink& sink) {
    const StreamsByFlow streams = streams_by_flow(model);
    for (const session::ZrtpHandshake& handshake : model.handshakes) {
        report_mitm_hellos(streams, handshake, sink);
        for (const session::ZrtpEvent& event : handshake.events) {
            if (event.kind != session::ZrtpEventKind::sas_relay) {
                continue;
            }
            Finding& f = add_handshake_finding(
                streams, sink, handshake,
                fmt::format("ZRTP handshake {}: SASrelay from {} (a PBX relays the SAS of another leg)", handshake.id,
                            event.src));
            f.confidence = Confidence::verified;  // the message is on the wire; its content is encrypted
            f.frames = {event.frame};
            f.evidence["indicator"] = "sas_relay";
            f.evidence["sender"] = event.src.to_string();
        }
    }
}

}  // namespace

RuleInfo zrtp_trusted_mitm() {
    return {"zrtp.trusted-mitm",
            Severity::medium,
            "ZRTP trusted MiTM (PBX) in the media path",
            "A Hello with the M flag, or a SASrelay message, means that a ZRTP-aware PBX terminates ZRTP and "
            "relays the other leg's SAS: the media is decrypted in the PBX. RFC 6189 allows this for PBXs that the "
            "user enrolled as trusted MiTMs; an endpoint must ignore a relayed SAS from a PBX it has not enrolled. "
            "Whether this PBX is trusted cannot be seen in a capture.",
            "Confirm that the PBX (address in the evidence) is the organisation's own and that the endpoints were "
            "enrolled with it on purpose; otherwise treat the call as intercepted.",
            "RFC 6189 sections 5.2, 5.13 and 7.3",
            &check};
}

}  // namespace zaudit::analysis::rules
