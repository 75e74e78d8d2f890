# shellcheck shell=bash
# Shared helpers for the tests/interop/make_*.sh capture scripts.
#
# Every script builds a private two-host lab out of two network namespaces joined by a
# veth pair (nothing can leave it), runs real VoIP stacks inside, captures on one end
# with tcpdump and tears everything down from an EXIT trap, even on failure.
#
# Lab layout (same in every script; the namespaces are named after the script so two
# scripts can run at the same time):
#   namespace zi-<name>-a : veth "va"  10.77.0.1/24  fd77::1/64
#   namespace zi-<name>-b : veth "vb"  10.77.0.2/24  fd77::2/64
# Each namespace has a default route to the other end, because softphones pick their
# "local IP" (written into SDP) from the default route.

set -euo pipefail

INTEROP_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
A_IP4=10.77.0.1
B_IP4=10.77.0.2
A_IP6=fd77::1
B_IP6=fd77::2

LAB_NAME=""
LAB_PIDS=()
LAB_TMP=""

# lab_cleanup: kill what we started (by pid), delete our namespaces and temp dir.
lab_cleanup() {
    local pid
    for pid in "${LAB_PIDS[@]:-}"; do
        [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
    done
    sleep 0.3
    for pid in "${LAB_PIDS[@]:-}"; do
        [[ -n "$pid" ]] && kill -9 "$pid" 2>/dev/null || true
    done
    if [[ -n "$LAB_NAME" ]]; then
        # Anything still running inside our namespaces (children of what we started).
        local ns
        for ns in "zi-$LAB_NAME-a" "zi-$LAB_NAME-b"; do
            if ip netns list | grep -qw "$ns"; then
                for pid in $(ip netns pids "$ns" 2>/dev/null); do
                    kill -9 "$pid" 2>/dev/null || true
                done
                ip netns del "$ns" 2>/dev/null || true
            fi
        done
    fi
    if [[ -n "$LAB_TMP" && -d "$LAB_TMP" && "${KEEP_TMP:-0}" != 1 ]]; then
        rm -rf "$LAB_TMP"
    fi
}

# lab_up NAME [MTU]: create namespaces, veth pair, IPv4 + IPv6 addresses, routes.
lab_up() {
    LAB_NAME="$1"
    local mtu="${2:-1500}"
    NS_A="zi-$LAB_NAME-a"
    NS_B="zi-$LAB_NAME-b"
    LAB_TMP="$(mktemp -d "/tmp/zi-$LAB_NAME.XXXXXX")"
    trap lab_cleanup EXIT
    trap 'exit 130' INT TERM
    ip netns del "$NS_A" 2>/dev/null || true
    ip netns del "$NS_B" 2>/dev/null || true
    ip netns add "$NS_A"
    ip netns add "$NS_B"
    ip link add va netns "$NS_A" type veth peer name vb netns "$NS_B"
    ip -n "$NS_A" addr add "$A_IP4/24" dev va
    ip -n "$NS_B" addr add "$B_IP4/24" dev vb
    ip -n "$NS_A" addr add "$A_IP6/64" dev va nodad
    ip -n "$NS_B" addr add "$B_IP6/64" dev vb nodad
    ip -n "$NS_A" link set va mtu "$mtu"
    ip -n "$NS_B" link set vb mtu "$mtu"
    # No IPv6 router solicitations / MLD chatter in the capture.
    # No IPv6 router solicitations in the capture. (IPv6 needs MTU >= 1280; below that the
    # kernel drops it from the link and the lab is IPv4 only.)
    if ((mtu >= 1280)); then
        ip netns exec "$NS_A" sysctl -qw net.ipv6.conf.va.router_solicitations=0 || true
        ip netns exec "$NS_B" sysctl -qw net.ipv6.conf.vb.router_solicitations=0 || true
    fi
    ip -n "$NS_A" link set lo up
    ip -n "$NS_B" link set lo up
    ip -n "$NS_A" link set va up
    ip -n "$NS_B" link set vb up
    ip -n "$NS_A" route add default via "$B_IP4"
    ip -n "$NS_B" route add default via "$A_IP4"
    if ((mtu >= 1280)); then
        ip -n "$NS_A" -6 route add default via "$B_IP6" dev va
        ip -n "$NS_B" -6 route add default via "$A_IP6" dev vb
    fi
    sleep 0.5
}

# lab_capture_start FILE [FILTER]: tcpdump on side A's veth.
lab_capture_start() {
    local out="$1"
    local filter="${2:-udp or tcp}"
    ip netns exec "$NS_A" timeout 120 tcpdump -i va -U -s 0 -n -w "$out" "$filter" \
        >"$LAB_TMP/tcpdump.log" 2>&1 &
    CAP_PID=$!
    LAB_PIDS+=("$CAP_PID")
    # Wait until tcpdump is listening.
    local i
    for i in $(seq 1 50); do
        grep -q "listening on" "$LAB_TMP/tcpdump.log" 2>/dev/null && break
        sleep 0.1
    done
}

lab_capture_stop() {
    sleep 0.5
    kill -INT "$CAP_PID" 2>/dev/null || true
    wait "$CAP_PID" 2>/dev/null || true
}

# make_tone FILE [SECONDS]: deterministic 8 kHz mono 16-bit WAV (440 Hz + 660 Hz).
make_tone() {
    /usr/bin/python3 - "$1" "${2:-4}" <<'PY'
import math, struct, sys, wave
path, secs = sys.argv[1], float(sys.argv[2])
rate = 8000
with wave.open(path, "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate)
    frames = bytearray()
    for n in range(int(rate * secs)):
        v = 0.3 * math.sin(2 * math.pi * 440 * n / rate) + 0.2 * math.sin(2 * math.pi * 660 * n / rate)
        frames += struct.pack("<h", int(v * 32767))
    w.writeframes(bytes(frames))
PY
}

# shrink FILE: normalise the capture so it is small and reproducible in shape:
# pcap (not pcapng), Ethernet framing as captured, nothing else touched.
finish_capture() {
    local f="$1"
    editcap -F pcap "$f" "$f.tmp" >/dev/null && mv "$f.tmp" "$f"
    chmod 644 "$f"
}

# linphone_conf SIDE ENCRYPTION [EXTRA "[section] key=value" lines...]: write $LAB_TMP/SIDE/linphonerc.
# Extra lines are appended to [sip] unless they start a new section themselves.
linphone_conf() {
    local side="$1" enc="$2"
    shift 2
    mkdir -p "$LAB_TMP/$side/.local/share/linphone"
    {
        echo "[sip]"
        echo "sip_port=5060"
        echo "sip_tcp_port=0"
        echo "sip_tls_port=0"
        echo "use_ipv6=${LINPHONE_IPV6:-0}"
        echo "ipv6_migration_done=1"
        echo "media_encryption=$enc"
        local line
        for line in "$@"; do echo "$line"; done
        echo "[rtp]"
        echo "audio_rtp_port=7078"
        echo "[video]"
        echo "enabled=0"
        echo "capture=0"
        echo "display=0"
    } >"$LAB_TMP/$side/linphonerc"
}

# linphone_call CALLEE_URI [MEDIA_SECONDS]: B (namespace b, auto-answer) and A (caller) both play
# $LAB_TMP/tone.wav; A calls, talks for MEDIA_SECONDS, hangs up. Needs linphone_conf a / b first.
linphone_call() {
    local uri="$1" secs="${2:-4}"
    make_tone "$LAB_TMP/tone.wav" 10
    (
        sleep 1
        echo "soundcard use files"
        echo "play $LAB_TMP/tone.wav"
        sleep $((secs + 12))
        echo "quit"
    ) | HOME="$LAB_TMP/b" ip netns exec "$NS_B" timeout $((secs + 20)) \
        linphonec -c "$LAB_TMP/b/linphonerc" -a -d 6 -l "$LAB_TMP/b.log" >"$LAB_TMP/b.out" 2>&1 &
    LAB_PIDS+=($!)
    sleep 2.5
    (
        sleep 1
        echo "soundcard use files"
        echo "play $LAB_TMP/tone.wav"
        echo "call $uri"
        sleep $((secs + 2))
        echo "terminate"
        sleep 1.5
        echo "quit"
    ) | HOME="$LAB_TMP/a" ip netns exec "$NS_A" timeout $((secs + 20)) \
        linphonec -c "$LAB_TMP/a/linphonerc" -d 6 -l "$LAB_TMP/a.log" >"$LAB_TMP/a.out" 2>&1 || true
    sleep 1
    cat "$LAB_TMP/a.out" >&2
}

# write_facts CAPTURE STACK SHOWS: tshark-established facts next to the capture.
write_facts() {
    /usr/bin/python3 "$INTEROP_DIR/facts.py" "$1" --stack "$2" --made-by "$(basename "$0")" --shows "$3"
}

pkg_version() {
    dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "?"
}

# linphone_version: "linphonec 5.1.65 (liblinphone, bzrtp ...)" for the facts file.
linphone_version() {
    echo "linphonec $(linphonec -v 2>&1 | sed -n 's/^version: //p') (Debian packages liblinphone10 $(pkg_version liblinphone10)," \
        "libbzrtp0 $(pkg_version libbzrtp0), libmediastreamer12 $(pkg_version libmediastreamer12)," \
        "libsrtp2-1 $(pkg_version libsrtp2-1); Debian $(cat /etc/debian_version))"
}

# check_zrtp_complete CAPTURE: fail unless tshark sees every handshake message with good CRCs.
check_zrtp_complete() {
    local f="$1" types t
    types="$(tshark -n -r "$f" --enable-heuristic rtp_udp -Y zrtp -T fields -e zrtp.type 2>/dev/null | tr -d ' ' | sort -u)"
    for t in Hello Commit DHPart1 DHPart2 Confirm1 Confirm2 Conf2ACK; do
        if ! grep -qx "$t" <<<"$types"; then
            echo "ZRTP $t missing from $f" >&2
            return 1
        fi
    done
    if tshark -n -r "$f" --enable-heuristic rtp_udp -Y 'zrtp.checksum.status != 1' 2>/dev/null | grep -q .; then
        echo "bad ZRTP CRC in $f" >&2
        return 1
    fi
}

# baresip_conf SIDE IP USER MEDIAENC [EXTRA_ACCOUNT_PARAMS]: config + accounts in $LAB_TMP/SIDE.
# No sound card: the aufile module reads $LAB_TMP/tone.wav and writes what it hears to a WAV.
# The cons module takes commands ("/hangup") as UDP datagrams on the namespace's loopback,
# which the capture on the veth never sees.
baresip_conf() {
    local side="$1" ip="$2" user="$3" enc="$4" extra="${5:-}"
    mkdir -p "$LAB_TMP/$side"
    cat >"$LAB_TMP/$side/config" <<EOC
poll_method epoll
sip_listen $ip:5060
sip_transports udp
audio_source aufile,$LAB_TMP/tone.wav
audio_player aufile,$LAB_TMP/$side-rx.wav
audio_alert aufile,$LAB_TMP/$side-alert.wav
audio_srate 8000
audio_channels 1
rtp_ports 7078-7079
module_path /usr/lib/baresip/modules
module g711.so
module aufile.so
module srtp.so
module dtls_srtp.so
module cons.so
cons_listen 127.0.0.1:5555
module_app account.so
module_app menu.so
EOC
    echo "<sip:$user@$ip>;regint=0;mediaenc=$enc;answermode=auto;audio_codecs=PCMU$extra" \
        >"$LAB_TMP/$side/accounts"
}

# baresip_cmd NAMESPACE COMMAND: send a menu command to the cons module.
baresip_cmd() {
    ip netns exec "$1" bash -c "printf '%s\n' '$2' >/dev/udp/127.0.0.1/5555" || true
}

baresip_version() {
    echo "baresip $(pkg_version baresip-core) (libre0 $(pkg_version libre0), librem0 $(pkg_version librem0); Debian $(cat /etc/debian_version))"
}
