#!/bin/bash
# Two consecutive linphonec -> linphonec ZRTP calls between the same two processes: the first
# fills the ZRTP cache (zrtp-secrets.db), the second handshakes with that cache present. Output: zrtp-linphone-cached.pcap.
source "$(dirname "$0")/lib.sh"
OUT="$INTEROP_DIR/zrtp-linphone-cached.pcap"
lab_up cached
linphone_conf a zrtp
linphone_conf b zrtp
make_tone "$LAB_TMP/tone.wav" 10
lab_capture_start "$LAB_TMP/cap.pcap"
(
    sleep 1
    echo "soundcard use files"
    echo "play $LAB_TMP/tone.wav"
    sleep 22
    echo "quit"
) | HOME="$LAB_TMP/b" ip netns exec "$NS_B" timeout 30 \
    linphonec -c "$LAB_TMP/b/linphonerc" -a -d 6 -l "$LAB_TMP/b.log" >"$LAB_TMP/b.out" 2>&1 &
LAB_PIDS+=($!)
sleep 2.5
(
    sleep 1
    echo "soundcard use files"
    echo "play $LAB_TMP/tone.wav"
    echo "call sip:bob@$B_IP4"
    sleep 4
    echo "terminate"
    sleep 2
    echo "play $LAB_TMP/tone.wav"
    echo "call sip:bob@$B_IP4"
    sleep 4
    echo "terminate"
    sleep 1.5
    echo "quit"
) | HOME="$LAB_TMP/a" ip netns exec "$NS_A" timeout 30 \
    linphonec -c "$LAB_TMP/a/linphonerc" -d 6 -l "$LAB_TMP/a.log" >"$LAB_TMP/a.out" 2>&1 || true
sleep 1
cat "$LAB_TMP/a.out" >&2
lab_capture_stop
cp "$LAB_TMP/cap.pcap" "$OUT"
finish_capture "$OUT"
check_zrtp_complete "$OUT"
write_facts "$OUT" "$(linphone_version), both ends, same processes for both calls" \
    "Two ZRTP calls between the same two linphonec processes (one SIP Call-ID each): the first is first contact and fills zrtp-secrets.db, the second handshakes again with a cache present (rs1ID/rs2ID values are on the wire; tshark cannot tell whether they match a retained secret)"
