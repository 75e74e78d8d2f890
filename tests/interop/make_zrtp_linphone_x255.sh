#!/bin/bash
# linphonec -> linphonec ZRTP call restricted to non-default algorithms on both sides:
# X255 (Curve25519) key agreement, S384 hash, AES3 cipher, HS32 auth tag, B256 SAS.
# Output: zrtp-linphone-x255.pcap + .facts.json.
source "$(dirname "$0")/lib.sh"
OUT="$INTEROP_DIR/zrtp-linphone-x255.pcap"
ALGS=(
    "zrtp_key_agreements_suites=MS_ZRTP_KEY_AGREEMENT_X255"
    "zrtp_hash_suites=MS_ZRTP_HASH_S384"
    "zrtp_cipher_suites=MS_ZRTP_CIPHER_AES3"
    "zrtp_auth_suites=MS_ZRTP_AUTHTAG_HS32"
    "zrtp_sas_suites=MS_ZRTP_SAS_B256"
)
lab_up x255
linphone_conf a zrtp "${ALGS[@]}"
linphone_conf b zrtp "${ALGS[@]}"
lab_capture_start "$LAB_TMP/cap.pcap"
linphone_call "sip:bob@$B_IP4" 4
lab_capture_stop
cp "$LAB_TMP/cap.pcap" "$OUT"
finish_capture "$OUT"
check_zrtp_complete "$OUT"
write_facts "$OUT" "$(linphone_version), both ends" \
    "ZRTP with X255 key agreement, S384, AES3, HS32, B256 preferred on both ends (bzrtp re-adds the mandatory algorithms to Hello)"
