#!/usr/bin/env bash
# Makes a local stand-in for node:20-bookworm-slim (no registry pull needed) from this machine's
# node and npm: same layout as the official image (node and npm in /usr/local, a `node` user with
# uid 1000, /bin/sh). Usage: make-node-base.sh TAG [quick|debian]
#   quick  (default, ~1 s): node, npm, dash and the libraries ldd lists
#   debian (~30 s, needs the debootstrap package): a bookworm minbase with node and npm copied in
set -euo pipefail

tag=${1:?usage: make-node-base.sh TAG [quick|debian]}
mode=${2:-quick}
node_bin=$(readlink -f "$(command -v node)")
npm_pkg=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
rootfs=$(mktemp -d /tmp/aurion-nodebase.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT

copy_with_libs () { # copies executables and the shared libraries they load, keeping paths
  local f lib
  for f in "$@"; do
    mkdir -p "$rootfs$(dirname "$f")"
    cp -L "$f" "$rootfs$f"
    for lib in $(ldd "$f" | grep -o '/[^ ]*'); do
      mkdir -p "$rootfs$(dirname "$lib")"
      cp -L "$lib" "$rootfs$lib"
    done
  done
}

case "$mode" in
  quick)
    mkdir -p "$rootfs"/{bin,etc,tmp,root,home/node,usr/bin,usr/local/bin}
    chmod 1777 "$rootfs/tmp"
    copy_with_libs "$(readlink -f /bin/sh)" "$(readlink -f /usr/bin/env)" "$node_bin"
    cp -L "$(readlink -f /bin/sh)" "$rootfs/bin/sh"
    mv "$rootfs$node_bin" "$rootfs/usr/local/bin/node"
    printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > "$rootfs/etc/passwd"
    printf 'root:x:0:\nnode:x:1000:\nnogroup:x:65534:\n' > "$rootfs/etc/group"
    chown 1000:1000 "$rootfs/home/node"
    ;;
  debian)
    mirror=$(grep -h -m1 -o 'http[^ ]*/debian$' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | head -n1 || true)
    debootstrap --variant=minbase bookworm "$rootfs" "${mirror:-http://deb.debian.org/debian}" >/dev/null
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    chroot "$rootfs" useradd --uid 1000 --user-group --create-home --shell /bin/bash node
    # Debian's own libraries are there; check that node finds them all.
    cp "$node_bin" "$rootfs/usr/local/bin/node"
    chroot "$rootfs" /usr/local/bin/node --version >/dev/null
    ;;
  *) echo "make-node-base.sh: unknown mode $mode (quick or debian)" >&2; exit 2 ;;
esac

mkdir -p "$rootfs/usr/local/lib/node_modules"
cp -a "$npm_pkg" "$rootfs/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

tar -C "$rootfs" -c . | podman import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV NODE_VERSION='"$(node --version | cut -c2-)" \
  --change 'CMD ["node"]' - "$tag" >/dev/null
echo "$tag"
