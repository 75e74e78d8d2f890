# shellcheck shell=bash
# Shared helpers for the tests/interop/make_relay_*.sh and make_proxy_*.sh capture scripts:
# a SIP proxy (kamailio) with or without a media relay (rtpengine, userspace forwarding only)
# between two softphones, each in its own network namespace. Sources lib.sh (tone, linphone
# config and call, facts) and keeps its conventions: everything bounded by `timeout`, and an
# EXIT trap that removes the namespaces, the processes started here and the temporary files.
#
# Debian 12 packages needed (run by hand as root; CI does not run these scripts):
#   kamailio kamailio-extra-modules rtpengine-daemon linphone-cli tcpdump tshark
#   wireshark-common (capinfos, editcap, mergecap) jq python3 iproute2
#
# Lab layout (namespaces named after the script so two scripts can run at the same time):
#
#   zi-<name>-a (caller)        zi-<name>-r (proxy + relay)                 zi-<name>-b (callee)
#   va 10.78.1.1/24  <-veth->  ra 10.78.1.254/24 | rb 10.78.2.254/24  <-veth->  vb 10.78.2.1/24
#      fd78:1::1/64               fd78:1::fe/64    |    fd78:2::fe/64               fd78:2::1/64
#
# The phones' default routes point at the relay's address on their side (linphone writes the
# address of its default route into SDP). The relay namespace has IP forwarding OFF, so
# media can only cross it through rtpengine (or not at all); relay_up ... forward turns it on
# for the direct-media call, where only SIP goes through kamailio.
# One tcpdump per wire: leg A on "va" (caller side), leg B on "vb" (callee side).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The two-host addresses of lib.sh are not used here.
A_IP4=10.78.1.1
R_A_IP4=10.78.1.254
R_B_IP4=10.78.2.254
B_IP4=10.78.2.1
A_IP6=fd78:1::1
R_A_IP6=fd78:1::fe
R_B_IP6=fd78:2::fe
B_IP6=fd78:2::1
RTPENGINE_NG=127.0.0.1:2223
RTPENGINE_PORTS=(30000 30099)

NS_R=""
RELAY_FORWARD=0
CAP_A_PID=""
CAP_B_PID=""

# relay_cleanup: everything lab_cleanup does, plus the relay namespace and what runs in it.
relay_cleanup() {
    local pid
    if [[ -n "$NS_R" ]] && ip netns list | grep -qw "$NS_R"; then
        for pid in $(ip netns pids "$NS_R" 2>/dev/null); do
            kill "$pid" 2>/dev/null || true
        done
        sleep 0.3
        for pid in $(ip netns pids "$NS_R" 2>/dev/null); do
            kill -9 "$pid" 2>/dev/null || true
        done
        ip netns del "$NS_R" 2>/dev/null || true
    fi
    lab_cleanup
}

# relay_up NAME [forward]: three namespaces, two veth pairs, addresses and routes.
# IPv4 forwarding in the relay namespace stays off unless the second argument is "forward".
relay_up() {
    LAB_NAME="$1"
    local fwd=0
    [[ "${2:-}" == forward ]] && fwd=1
    RELAY_FORWARD=$fwd
    NS_A="zi-$LAB_NAME-a"
    NS_R="zi-$LAB_NAME-r"
    NS_B="zi-$LAB_NAME-b"
    LAB_TMP="$(mktemp -d "/tmp/zi-$LAB_NAME.XXXXXX")"
    trap relay_cleanup EXIT
    trap 'exit 130' INT TERM
    local ns
    for ns in "$NS_A" "$NS_R" "$NS_B"; do
        ip netns del "$ns" 2>/dev/null || true
        ip netns add "$ns"
        ip -n "$ns" link set lo up
    done
    ip link add va netns "$NS_A" type veth peer name ra netns "$NS_R"
    ip link add vb netns "$NS_B" type veth peer name rb netns "$NS_R"
    ip -n "$NS_A" addr add "$A_IP4/24" dev va
    ip -n "$NS_R" addr add "$R_A_IP4/24" dev ra
    ip -n "$NS_R" addr add "$R_B_IP4/24" dev rb
    ip -n "$NS_B" addr add "$B_IP4/24" dev vb
    ip -n "$NS_A" addr add "$A_IP6/64" dev va nodad
    ip -n "$NS_R" addr add "$R_A_IP6/64" dev ra nodad
    ip -n "$NS_R" addr add "$R_B_IP6/64" dev rb nodad
    ip -n "$NS_B" addr add "$B_IP6/64" dev vb nodad
    # No IPv6 router solicitations in the captures.
    ip netns exec "$NS_A" sysctl -qw net.ipv6.conf.va.router_solicitations=0 || true
    ip netns exec "$NS_B" sysctl -qw net.ipv6.conf.vb.router_solicitations=0 || true
    ip netns exec "$NS_R" sysctl -qw net.ipv4.ip_forward="$fwd"
    ip netns exec "$NS_R" sysctl -qw net.ipv6.conf.all.forwarding="$fwd"
    ip -n "$NS_A" link set va up
    ip -n "$NS_R" link set ra up
    ip -n "$NS_R" link set rb up
    ip -n "$NS_B" link set vb up
    ip -n "$NS_A" route add default via "$R_A_IP4"
    ip -n "$NS_B" route add default via "$R_B_IP4"
    ip -n "$NS_A" -6 route add default via "$R_A_IP6" dev va
    ip -n "$NS_B" -6 route add default via "$R_B_IP6" dev vb
    sleep 0.5
    if [[ "$(ip netns exec "$NS_R" sysctl -n net.ipv4.ip_forward)" != "$fwd" ]]; then
        echo "relay namespace: ip_forward is not $fwd" >&2
        return 1
    fi
}

# rtpengine_start: userspace-only rtpengine (--table=-1: no kernel module) in the relay namespace,
# one logical interface per side, NG control on the namespace's loopback. Crypto debug logging
# puts the SDES keys it uses into its log (see relay_keys).
rtpengine_start() {
    ip netns exec "$NS_R" timeout 90 rtpengine --config-file=none --table=-1 --foreground --log-stderr \
        --log-level=6 --log-level-crypto=7 --log-level-srtp=7 --log-srtp-keys --no-log-timestamps \
        --interface="pubA/$R_A_IP4" --interface="pubB/$R_B_IP4" \
        --listen-ng="$RTPENGINE_NG" --port-min="${RTPENGINE_PORTS[0]}" --port-max="${RTPENGINE_PORTS[1]}" \
        >"$LAB_TMP/rtpengine.log" 2>&1 &
    LAB_PIDS+=($!)
    local _
    for _ in $(seq 1 50); do
        ip netns exec "$NS_R" ss -lun 2>/dev/null | grep -q "$RTPENGINE_NG" && return 0
        sleep 0.1
    done
    cat "$LAB_TMP/rtpengine.log" >&2
    echo "rtpengine did not start" >&2
    return 1
}

# kamailio_start [DEFINE...]: kamailio in the relay namespace with relay_kamailio.cfg (which has
# the lab's addresses written in); each argument becomes a -A pre-processor define
# (WITH_RTPENGINE, TO_PLAIN).
kamailio_start() {
    local args=() d
    for d in "$@"; do args+=(-A "$d"); done
    mkdir -p "$LAB_TMP/kamailio"
    ip netns exec "$NS_R" kamailio -c -f "$INTEROP_DIR/relay_kamailio.cfg" "${args[@]}" \
        >"$LAB_TMP/kamailio-check.log" 2>&1 || { cat "$LAB_TMP/kamailio-check.log" >&2; return 1; }
    ip netns exec "$NS_R" timeout 90 kamailio -f "$INTEROP_DIR/relay_kamailio.cfg" -DD -E -n 1 -m 64 -M 8 \
        -Y "$LAB_TMP/kamailio" "${args[@]}" >"$LAB_TMP/kamailio.log" 2>&1 &
    LAB_PIDS+=($!)
    local _
    for _ in $(seq 1 50); do
        ip netns exec "$NS_R" ss -lun 2>/dev/null | grep -q "$R_B_IP4:5060" && return 0
        sleep 0.1
    done
    cat "$LAB_TMP/kamailio.log" >&2
    echo "kamailio did not start" >&2
    return 1
}

# relay_capture_start: one tcpdump per wire, caller side (va) and callee side (vb).
relay_capture_start() {
    ip netns exec "$NS_A" timeout 120 tcpdump -i va -U -s 0 -n -w "$LAB_TMP/leg-a.pcap" 'udp or tcp' \
        >"$LAB_TMP/tcpdump-a.log" 2>&1 &
    CAP_A_PID=$!
    LAB_PIDS+=("$CAP_A_PID")
    ip netns exec "$NS_B" timeout 120 tcpdump -i vb -U -s 0 -n -w "$LAB_TMP/leg-b.pcap" 'udp or tcp' \
        >"$LAB_TMP/tcpdump-b.log" 2>&1 &
    CAP_B_PID=$!
    LAB_PIDS+=("$CAP_B_PID")
    local _
    for _ in $(seq 1 50); do
        grep -q "listening on" "$LAB_TMP/tcpdump-a.log" 2>/dev/null &&
            grep -q "listening on" "$LAB_TMP/tcpdump-b.log" 2>/dev/null && break
        sleep 0.1
    done
}

relay_capture_stop() {
    sleep 0.5
    kill -INT "$CAP_A_PID" "$CAP_B_PID" 2>/dev/null || true
    wait "$CAP_A_PID" 2>/dev/null || true
    wait "$CAP_B_PID" 2>/dev/null || true
}

# relay_finish BASE: BASE-leg-a.pcap, BASE-leg-b.pcap (pcap, as captured, via editcap) and BASE-merged.pcap
# (mergecap -F pcap of the two: the view of one tap that sees both wires) in tests/interop.
relay_finish() {
    local base="$INTEROP_DIR/$1"
    cp "$LAB_TMP/leg-a.pcap" "$base-leg-a.pcap"
    cp "$LAB_TMP/leg-b.pcap" "$base-leg-b.pcap"
    finish_capture "$base-leg-a.pcap"
    finish_capture "$base-leg-b.pcap"
    mergecap -F pcap -w "$base-merged.pcap" "$base-leg-a.pcap" "$base-leg-b.pcap"
    chmod 644 "$base-merged.pcap"
}

# relay_keys BASE: rtpengine's SDES key lines next to the captures (BASE.rtpengine-keys.txt), for
# a test to check which keys each leg used. Throwaway keys of a private lab. In userspace mode
# rtpengine 10.5 prints nothing for SDES with --log-srtp-keys alone (that dump runs for DTLS and
# when kernelising); the keys come from its crypto debug log ("Initialized incoming/outgoing SRTP
# with SDES crypto params: suite S, tag T, key K salt S", key and salt in separate base64).
relay_keys() {
    local out="$INTEROP_DIR/$1.rtpengine-keys.txt"
    grep -E 'SDES crypto params|crypto suite|SRTP passthrough|SRTP keys|\] --- |Crypto debug' \
        "$LAB_TMP/rtpengine.log" >"$out" || true
    chmod 644 "$out"
}

relay_versions() {
    local v
    v="kamailio $(pkg_version kamailio) (Debian; tm sl rr pv maxfwd textops siputils xlog"
    if [[ "${1:-}" == rtpengine ]]; then
        v+=" rtpengine), rtpengine-daemon $(pkg_version rtpengine-daemon) (userspace forwarding, --table=-1)"
    else
        v+="; no media relay)"
    fi
    echo "$v"
}

# relay_write_facts BASE STACK SHOWS: facts.py on each leg and on the merged capture, then
# relay_facts.py on the pair (BASE.relay.json: what the middle hop did, from tshark).
relay_write_facts() {
    local base="$1" stack="$2" shows="$3" log=()
    write_facts "$INTEROP_DIR/$base-leg-a.pcap" "$stack" \
        "$shows. Leg A only: the caller's wire ($A_IP4 <-> $R_A_IP4)"
    write_facts "$INTEROP_DIR/$base-leg-b.pcap" "$stack" \
        "$shows. Leg B only: the callee's wire ($R_B_IP4 <-> $B_IP4)"
    write_facts "$INTEROP_DIR/$base-merged.pcap" "$stack" \
        "$shows. Both wires merged (mergecap of leg A and leg B): every packet seen twice, once per hop"
    [[ -f "$INTEROP_DIR/$base.rtpengine-keys.txt" ]] && log=(--relay-log "$INTEROP_DIR/$base.rtpengine-keys.txt")
    /usr/bin/python3 "$INTEROP_DIR/relay_facts.py" "$INTEROP_DIR/$base" --caller "$A_IP4" --callee "$B_IP4" \
        --relay "$R_A_IP4,$R_B_IP4" --ip-forward "$RELAY_FORWARD" --stack "$stack" --made-by "$(basename "$0")" \
        --shows "$shows" "${log[@]}"
}

# relay_expect BASE MEDIA: fail unless the relay facts say what the middle hop was set up to do
# ("forwarded", "decrypted-to-plain", "direct") with the same SSRC/sequence numbers on both legs.
relay_expect() {
    local f="$INTEROP_DIR/$1.relay.json" got
    got="$(jq -r '.relay.media' "$f")"
    if [[ "$got" != "$2" ]] || [[ "$(jq -r '.relay.same_ssrc_seq_on_both_legs' "$f")" != true ]]; then
        echo "$f: media $got (wanted $2), same SSRC/seq on both legs: $(jq -r '.relay.same_ssrc_seq_on_both_legs' "$f")" >&2
        return 1
    fi
}
