#!/usr/bin/env bash
# Builds node-datachannel's native addon from source, with the patches in native/patches,
# and installs it where node-datachannel loads a local build before its prebuilt one
# (node_modules/node-datachannel/build/Release/node_datachannel.node). See native/README.md.
#
#   bash native/build.sh            build unless the installed build is of these sources
#   bash native/build.sh --force    build again
#   bash native/build.sh --check    exit 0 if the installed build is of these sources, else 1
#
# npm's `prepare` (so `npm ci`) runs it. It needs cmake, make, patch, a C++ compiler, OpenSSL's
# headers and Node's headers: as root on Debian they are installed when missing; otherwise a
# missing tool leaves node-datachannel's prebuilt addon in place, with a warning, and the
# peers say so at start (src/peer/native-build.ts). About a minute on 2 cores.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
ndc="$root/node_modules/node-datachannel"
out="$ndc/build/Release"
stamp="$out/p2prc-build.json"
work="${P2PRC_NATIVE_BUILD_DIR:-$here/.build}"
mode="${1:-}"

say() { echo "native: $*" >&2; }

[ -f "$ndc/package.json" ] || { say "node-datachannel is not installed (run npm ci first)"; exit 1; }
ndc_version=$(node -p "require('$ndc/package.json').version")
# The sources this build is made of: the vendored libdatachannel tree, the patches, this
# script and node-datachannel's own version (its C++ wrapper comes from its package).
# P2PRC_NATIVE_PATCHES (paths, space-separated) replaces the patch list: native/experiments/ has
# one that widens the deadlock's window, to measure the fix (native/README.md).
if [ -n "${P2PRC_NATIVE_PATCHES:-}" ]; then
  read -r -a patch_files <<<"$P2PRC_NATIVE_PATCHES"
else
  patch_files=("$here"/patches/*.patch)
fi
hash=$( { (cd "$here" && find libdatachannel build.sh -type f -print0 | sort -z | xargs -0 sha256sum);
  for p in "${patch_files[@]}"; do echo "$(basename "$p") $(sha256sum <"$p")"; done; echo "node-datachannel $ndc_version"; } | sha256sum | cut -c1-16)

installed() { [ -f "$out/node_datachannel.node" ] && [ -f "$stamp" ] && grep -q "\"sources\": \"$hash\"" "$stamp"; }
if [ "$mode" = "--check" ]; then installed; exit; fi
if [ "$mode" != "--force" ] && installed; then exit 0; fi

node_inc=$(node -e "console.log(require('path').resolve(process.execPath, '..', '..', 'include', 'node'))")
missing=()
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v c++ >/dev/null 2>&1 || missing+=(g++)
command -v patch >/dev/null 2>&1 || missing+=(patch)
[ -f /usr/include/openssl/ssl.h ] || missing+=(libssl-dev)
[ -f "$node_inc/node_api.h" ] || missing+=(libnode-dev)
[ -d "$root/node_modules/node-addon-api" ] || { say "node-addon-api is not installed (run npm ci)"; exit 1; }
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    say "WARNING: cannot build (missing: ${missing[*]}; run as root on Debian, or install them)."
    say "WARNING: node-datachannel's prebuilt addon stays in use: a relayed session can deadlock the process (native/README.md)."
    exit 0
  fi
fi

say "building node-datachannel $ndc_version with libdatachannel 0.24.5 and the patches in native/patches (about a minute on 2 cores)"
rm -rf "$work"
mkdir -p "$work"
cp -r "$here/libdatachannel" "$work/libdatachannel"
mkdir -p "$work/node-datachannel"
cp -r "$ndc/CMakeLists.txt" "$ndc/src" "$work/node-datachannel/"
patches=()
for p in "${patch_files[@]}"; do
  name=$(basename "$p" .patch)
  case "$name" in
    libdatachannel-*) dir="$work/libdatachannel" ;;
    node-datachannel-*) dir="$work/node-datachannel" ;;
    *) say "patch $name: name must start with libdatachannel- or node-datachannel-"; exit 1 ;;
  esac
  patch -s -p1 -d "$dir" < "$p"
  patches+=("\"$name\"")
done

log="$work/build.log"
mkdir -p "$work/out"
jobs=$(nproc 2>/dev/null || echo 2)
if ! (cd "$work/out" && cmake "$work/node-datachannel" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_JS_INC="$node_inc" -DCMAKE_CXX_FLAGS="-I$root/node_modules/node-addon-api" \
  -DFETCHCONTENT_SOURCE_DIR_LIBDATACHANNEL="$work/libdatachannel" -DFETCHCONTENT_FULLY_DISCONNECTED=ON \
  -DNO_MEDIA=ON -DNO_WEBSOCKET=ON -DNO_EXAMPLES=ON -DNO_TESTS=ON >"$log" 2>&1); then
  tail -20 "$log" >&2; say "configure failed (log: $log)"; exit 1
fi
# make's own percentages, one line per tenth
if ! (cd "$work/out" && make -j"$jobs" node_datachannel 2>&1 | tee -a "$log" | awk '
  match($0, /^\[ *[0-9]+%\]/) { p = substr($0, RSTART + 1, RLENGTH - 3) + 0; if (p >= last + 10) { last = p - p % 10; printf "native: compiling %d%%\n", last > "/dev/stderr" } }'; exit "${PIPESTATUS[0]}"); then
  tail -30 "$log" >&2; say "build failed (log: $log)"; exit 1
fi

mkdir -p "$out"
cp "$work/out/node_datachannel.node" "$out/node_datachannel.node.tmp"
mv "$out/node_datachannel.node.tmp" "$out/node_datachannel.node"
cat >"$stamp" <<EOF
{
  "libdatachannel": "0.24.5",
  "nodeDatachannel": "$ndc_version",
  "patches": [$(IFS=,; echo "${patches[*]}")],
  "sources": "$hash",
  "builtAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
}
EOF
(cd "$root" && node -e "import('node-datachannel').then((m) => { if (typeof m.default.PeerConnection !== 'function') process.exit(1); })") ||
  { say "the new build does not load"; rm -f "$out/node_datachannel.node" "$stamp"; exit 1; }
rm -rf "$work"
say "installed $out/node_datachannel.node"
