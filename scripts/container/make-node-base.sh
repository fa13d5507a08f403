#!/usr/bin/env bash
# Makes a local stand-in for node:NN-bookworm-slim (no registry pull needed) from a given node
# binary and this machine's npm: same layout as the official image (node and npm in /usr/local, a
# `node` user with uid 1000, /bin/sh). The Dockerfile's default is node:24-bookworm-slim, so the
# image test passes a Node 24 binary (.ci/fetch-node.sh fetches one).
# Usage: make-node-base.sh TAG NODE [quick|debian]
#   NODE   the node binary to put in /usr/local/bin (any official Linux x64 build)
#   quick  (default, ~1 s): node, npm, dash and the libraries ldd lists
#   debian (~30 s, needs the debootstrap package): a bookworm minbase with node and npm copied in
set -euo pipefail

usage='usage: make-node-base.sh TAG NODE [quick|debian]'
tag=${1:?$usage}
node_bin=$(readlink -f "${2:?$usage}")
mode=${3:-quick}
node_version=$("$node_bin" --version) || { echo "make-node-base.sh: $2 does not run here" >&2; exit 2; }
npm_pkg=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
rootfs=$(mktemp -d /tmp/aurion-nodebase.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT

copy_libs () { # copies the shared libraries an executable loads, keeping their paths
  local lib
  for lib in $(ldd "$1" | grep -o '/[^ ]*'); do
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
  done
}

case "$mode" in
  quick)
    mkdir -p "$rootfs"/{bin,etc,tmp,root,home/node,usr/bin,usr/local/bin}
    chmod 1777 "$rootfs/tmp"
    cp -L /bin/sh "$rootfs/bin/sh"
    cp -L /usr/bin/env "$rootfs/usr/bin/env"
    cp "$node_bin" "$rootfs/usr/local/bin/node"
    for f in /bin/sh /usr/bin/env "$node_bin"; do copy_libs "$(readlink -f "$f")"; done
    printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > "$rootfs/etc/passwd"
    printf 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n' > "$rootfs/etc/group"
    chown 1000:1000 "$rootfs/home/node"
    ;;
  debian)
    mirror=$(grep -h -m1 -o 'http[^ ]*/debian$' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | head -n1 || true)
    debootstrap --variant=minbase bookworm "$rootfs" "${mirror:-http://deb.debian.org/debian}" >/dev/null
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    chroot "$rootfs" useradd --uid 1000 --user-group --create-home --shell /bin/bash node
    cp "$node_bin" "$rootfs/usr/local/bin/node"
    ;;
  *) echo "make-node-base.sh: unknown mode $mode (quick or debian)" >&2; exit 2 ;;
esac
# Node must find every library it needs inside the base.
[ "$(chroot "$rootfs" /usr/local/bin/node --version)" = "$node_version" ]

mkdir -p "$rootfs/usr/local/lib/node_modules"
cp -a "$npm_pkg" "$rootfs/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

tar -C "$rootfs" -c . | podman import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=${node_version#v}" \
  --change 'CMD ["node"]' - "$tag" >/dev/null
echo "$tag"
