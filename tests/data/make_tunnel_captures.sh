#!/usr/bin/env bash
# Re-creates the captures of protocols that are not media, made by their real Debian 12 clients
# and servers and written by tcpdump: DNS (dnsmasq + dig), STUN (coturn's turnserver +
# turnutils_stunclient), DTLS (openssl s_server/s_client -dtls1_2), WireGuard (wireguard-go, two
# ends) and OpenVPN (openvpn in TLS mode, two ends). tests/unit/cli/test_not_media.cpp holds
# zaudit to naming them and to finding no RTP in them.
#
# Needs root (network namespaces, tun devices) and the packages tcpdump dnsmasq-base
# bind9-dnsutils coturn openssl iputils-ping wireguard-go wireguard-tools openvpn; never run by the tests or
# CI. Every run works inside namespaces it makes (zt-a, zt-b: 10.78.0.1 <-> 10.78.0.2 over a veth
# pair, tunnels inside them) and removes them from an EXIT trap. Keys, ids, nonces and times
# differ on every run, so a re-run changes the bytes, not what the captures show.
set -euo pipefail
cd "$(dirname "$0")"
out="$(pwd)"
work="$(mktemp -d)"
umask 077

cleanup() {
  # Everything started here runs inside the two namespaces: end exactly those processes.
  for ns in zt-a zt-b; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
  done
  sleep 0.5
  ip netns del zt-a 2>/dev/null || true
  ip netns del zt-b 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

in_a() { ip netns exec zt-a "$@"; }
in_b() { ip netns exec zt-b "$@"; }

lab_up() {
  ip netns add zt-a
  ip netns add zt-b
  ip link add zt-veth-a type veth peer name zt-veth-b
  ip link set zt-veth-a netns zt-a
  ip link set zt-veth-b netns zt-b
  in_a ip addr add 10.78.0.1/24 dev zt-veth-a
  in_b ip addr add 10.78.0.2/24 dev zt-veth-b
  for ns in zt-a zt-b; do
    ip netns exec "$ns" ip link set lo up
  done
  in_a ip link set zt-veth-a up
  in_b ip link set zt-veth-b up
}

# capture NAME NS IFACE FILTER: tcpdump in the background until stop_capture.
capture() {
  ip netns exec "$2" timeout 60 tcpdump -i "$3" -U -s 0 -w "$work/$1.pcap" "$4" 2>/dev/null &
  capture_pid=$!
  sleep 1.5
}
stop_capture() {
  sleep 1
  kill -INT "$capture_pid" 2>/dev/null || true
  wait "$capture_pid" 2>/dev/null || true
  install -m 644 "$work/$1.pcap" "$out/$1.pcap"
  echo "$1.pcap: $(tcpdump -r "$out/$1.pcap" 2>/dev/null | wc -l) packets, $(stat -c %s "$out/$1.pcap") bytes"
}

lab_up

# DNS: dnsmasq answers from its own records (no upstream), dig asks on loopback.
cat > "$work/hosts" <<'EOF'
192.0.2.53 voice.example.test
2001:db8::53 voice.example.test
EOF
in_a dnsmasq --no-daemon --no-resolv --no-hosts --addn-hosts="$work/hosts" --listen-address=127.0.0.1 \
  --port=53 --bind-interfaces --txt-record=example.test,"zaudit test" --mx-host=example.test,mail.example.test \
  --pid-file="$work/dnsmasq.pid" >/dev/null 2>&1 &
sleep 1
capture dns-dnsmasq-dig zt-a lo 'udp port 53'
for query in "voice.example.test A" "voice.example.test AAAA" "example.test TXT" "example.test MX" \
  "missing.example.test A"; do
  # shellcheck disable=SC2086
  in_a dig +tries=1 +time=2 @127.0.0.1 $query >/dev/null
done
stop_capture dns-dnsmasq-dig

# STUN: Binding requests (RFC 5389) from turnutils_stunclient to coturn, on loopback.
in_a turnserver -n --listening-ip=127.0.0.1 --listening-port=3478 --no-tls --no-dtls --no-cli \
  --stun-only --log-file=stdout --simple-log >/dev/null 2>&1 &
sleep 1.5
capture stun-coturn zt-a lo 'udp port 3478'
for _ in 1 2 3; do in_a timeout 5 turnutils_stunclient -p 3478 127.0.0.1 >/dev/null; done
stop_capture stun-coturn

# DTLS 1.2: openssl s_server and s_client on loopback, a handshake and two application records.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj /CN=zaudit-dtls \
  -keyout "$work/dtls.key" -out "$work/dtls.crt" 2>/dev/null
in_a timeout 20 openssl s_server -dtls1_2 -accept 127.0.0.1:4433 -key "$work/dtls.key" -cert "$work/dtls.crt" \
  -quiet </dev/null >/dev/null 2>&1 &
sleep 1
capture dtls-openssl zt-a lo 'udp port 4433'
(printf 'hello over dtls\n'; sleep 1; printf 'second record\n'; sleep 1) |
  in_a timeout 8 openssl s_client -dtls1_2 -connect 127.0.0.1:4433 -quiet >/dev/null 2>&1 || true
stop_capture dtls-openssl

# WireGuard: wireguard-go at both ends of the veth (UDP 51820), a few pings through the tunnel.
for side in a b; do
  wg genkey > "$work/wg-$side.key"
  wg pubkey < "$work/wg-$side.key" > "$work/wg-$side.pub"
done
for side in a b; do
  export WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD=1
  ip netns exec "zt-$side" wireguard-go -f "zt-wg-$side" >/dev/null 2>&1 &
  done
sleep 1.5
in_a wg set zt-wg-a private-key "$work/wg-a.key" listen-port 51820 \
  peer "$(cat "$work/wg-b.pub")" allowed-ips 10.79.1.2/32 endpoint 10.78.0.2:51820
in_b wg set zt-wg-b private-key "$work/wg-b.key" listen-port 51820 \
  peer "$(cat "$work/wg-a.pub")" allowed-ips 10.79.1.1/32
in_a ip addr add 10.79.1.1/24 dev zt-wg-a
in_b ip addr add 10.79.1.2/24 dev zt-wg-b
in_a ip link set zt-wg-a up
in_b ip link set zt-wg-b up
capture wireguard-go zt-a zt-veth-a 'udp port 51820'
in_a ping -c 20 -i 0.2 -W 2 10.79.1.2 >/dev/null
stop_capture wireguard-go

# OpenVPN: TLS mode peer to peer (tls-server / tls-client) over UDP 1194 with a small PKI made
# here (P-256 keys), a few pings through the tunnel.
pki="$work/pki"
mkdir -p "$pki"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj /CN=zaudit-test-ca \
  -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
for who in server client; do
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=zaudit-$who" \
    -keyout "$pki/$who.key" -out "$pki/$who.csr" 2>/dev/null
  printf 'extendedKeyUsage=%s\nkeyUsage=digitalSignature,keyAgreement\n' \
    "$([ "$who" = server ] && echo serverAuth || echo clientAuth)" > "$pki/$who.ext"
  openssl x509 -req -in "$pki/$who.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 30 \
    -extfile "$pki/$who.ext" -out "$pki/$who.crt" 2>/dev/null
done
capture openvpn-tls zt-a zt-veth-a 'udp port 1194'
in_b openvpn --dev zt-ovpn-b --dev-type tun --proto udp --local 10.78.0.2 --lport 1194 --tls-server --dh none \
  --ca "$pki/ca.crt" --cert "$pki/server.crt" --key "$pki/server.key" --ifconfig 10.79.2.2 10.79.2.1 \
  --remote-cert-tls client --verb 1 >"$work/ovpn-b.log" 2>&1 &
sleep 1
in_a openvpn --dev zt-ovpn-a --dev-type tun --proto udp --remote 10.78.0.2 1194 --nobind --tls-client \
  --ca "$pki/ca.crt" --cert "$pki/client.crt" --key "$pki/client.key" --ifconfig 10.79.2.1 10.79.2.2 \
  --remote-cert-tls server --verb 1 >"$work/ovpn-a.log" 2>&1 &
for _ in $(seq 1 40); do
  in_a ping -c 1 -W 1 10.79.2.2 >/dev/null 2>&1 && break
  sleep 0.5
done
in_a ping -c 20 -i 0.2 -W 2 10.79.2.2 >/dev/null
stop_capture openvpn-tls
