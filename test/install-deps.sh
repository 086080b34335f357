#!/usr/bin/env bash
# The Debian tools the test suites run against, installed when missing (npm's
# `pretest` runs this, and so does CI's .ci/run), so `npm ci && npm test` works
# on a fresh machine. A no-op when every tool is already there.
#   coturn (turnserver, turnutils_uclient, turnutils_stunclient) and stun-client:
#     the relay interop suite;
#   iproute2, iptables, conntrack, miniupnpd, nftables (miniupnpd 2.3 uses nft):
#     the NAT lab (network namespaces);
#   gcc (the lab's link emulator is C, compiled on first use), iputils-ping and
#     iperf3: the link emulator's fidelity checks and the bench's plain-TCP rows;
#   curl: the reverse-proxy lab suite's plain HTTP client on the internet side;
#   gdb: the native stacks of a child whose event loop is blocked (test/harness/stuck-report.ts);
#   openssh-server, openssh-client (sshd, ssh, ssh-keygen) and socat: the public-port
#     bench's ssh -R and socat rows (bench/public-port.ts);
#   cmake, make, patch, g++ and libssl-dev: node-datachannel's addon, built from source with the
#     project's patches (native/build.sh, run by npm's `prepare`);
#   chromium and fonts-liberation: the browser suites' headless Chromium (driven by playwright-core,
#     which downloads nothing) and a font for its screenshots.
# A pair's "command" that starts with / is a file that must exist.
set -euo pipefail

# package:command pairs; a package is installed when its command is missing.
NEEDED=(coturn:turnserver coturn:turnutils_uclient stun-client:stun iproute2:ip iptables:iptables conntrack:conntrack miniupnpd:miniupnpd nftables:nft gcc:cc iputils-ping:ping iperf3:iperf3 curl:curl gdb:gdb openssh-server:sshd openssh-client:ssh openssh-client:ssh-keygen socat:socat cmake:cmake make:make patch:patch g++:g++ libssl-dev:/usr/include/openssl/ssl.h chromium:chromium fonts-liberation:/usr/share/fonts/truetype/liberation)

missing=()
for pair in "${NEEDED[@]}"; do
  pkg=${pair%%:*} cmd=${pair#*:}
  if [[ "$cmd" == /* ]]; then
    [ -e "$cmd" ] && continue
  elif command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || [ -x "/sbin/$cmd" ]; then
    continue
  fi
  [[ " ${missing[*]} " == *" $pkg "* ]] || missing+=("$pkg")
done
((${#missing[@]})) || exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: missing Debian packages: ${missing[*]} (run as root on Debian/Ubuntu, or install them yourself); the suites that need them will fail" >&2
  exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
