#!/bin/bash
# linphonec -> linphonec ZRTP call forced to finite-field DH3k (RFC 6189 mandatory key agreement)
# with S384 hash, AES3 and HS80, B32 SAS. Output: zrtp-linphone-dh3k.pcap + .facts.json.
source "$(dirname "$0")/lib.sh"
OUT="$INTEROP_DIR/zrtp-linphone-dh3k.pcap"
ALGS=(
    "zrtp_key_agreements_suites=MS_ZRTP_KEY_AGREEMENT_DH3K"
    "zrtp_hash_suites=MS_ZRTP_HASH_S384"
    "zrtp_cipher_suites=MS_ZRTP_CIPHER_AES3"
    "zrtp_auth_suites=MS_ZRTP_AUTHTAG_HS80"
    "zrtp_sas_suites=MS_ZRTP_SAS_B32"
)
lab_up dh3k
linphone_conf a zrtp "${ALGS[@]}"
linphone_conf b zrtp "${ALGS[@]}"
lab_capture_start "$LAB_TMP/cap.pcap"
linphone_call "sip:bob@$B_IP4" 4
lab_capture_stop
cp "$LAB_TMP/cap.pcap" "$OUT"
finish_capture "$OUT"
check_zrtp_complete "$OUT"
write_facts "$OUT" "$(linphone_version), both ends" \
    "ZRTP with DH3k key agreement (3072-bit DHPart messages), S384, AES3, HS80, B32"
