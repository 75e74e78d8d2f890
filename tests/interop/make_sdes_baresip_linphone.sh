#!/bin/bash
# Cross-stack: baresip (caller, mediaenc=srtp = best effort: a=crypto inside a plain RTP/AVP offer)
# -> linphonec (callee, media_encryption=srtp, auto-answer). PCMU only on the baresip side.
# Output: sdes-baresip-linphone.pcap + .facts.json.
source "$(dirname "$0")/lib.sh"
OUT="$INTEROP_DIR/sdes-baresip-linphone.pcap"
lab_up brlin
make_tone "$LAB_TMP/tone.wav" 10
baresip_conf a "$A_IP4" alice srtp
linphone_conf b srtp
lab_capture_start "$LAB_TMP/cap.pcap"
(
    sleep 1
    echo "soundcard use files"
    echo "play $LAB_TMP/tone.wav"
    sleep 14
    echo "quit"
) | HOME="$LAB_TMP/b" ip netns exec "$NS_B" timeout 25 \
    linphonec -c "$LAB_TMP/b/linphonerc" -a -d 6 -l "$LAB_TMP/b.log" >"$LAB_TMP/b.out" 2>&1 &
LAB_PIDS+=($!)
sleep 2.5
ip netns exec "$NS_A" timeout 30 baresip -f "$LAB_TMP/a" -t 25 -e "/dial sip:bob@$B_IP4" >"$LAB_TMP/a.out" 2>&1 &
LAB_PIDS+=($!)
sleep 5
baresip_cmd "$NS_A" "/hangup"
sleep 1.5
lab_capture_stop
grep -E "Call established|SRTP is Enabled|terminated|closed" "$LAB_TMP/a.out" >&2 || true
cp "$LAB_TMP/cap.pcap" "$OUT"
finish_capture "$OUT"
write_facts "$OUT" "caller $(baresip_version); callee $(linphone_version)" \
    "Cross-stack SDES downgrade: baresip best-effort srtp offer (RTP/AVP carrying a=crypto, key exposed in cleartext SIP) answered by linphonec (media_encryption=srtp, not mandatory) with RTP/AVP and no a=crypto; media is clear PCMU both ways"
