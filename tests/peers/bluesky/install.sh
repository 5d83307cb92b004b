#!/bin/bash
# install.sh — installs the Bluesky test peer (@atproto/dev-env, pinned by the lock file) into a cache
#
#   tests/peers/bluesky/install.sh        installs it when missing, prints where it is
#   tests/peers/bluesky/install.sh --dir  only prints where it is (or would be)
#
# The folder is named after the lock file's hash, so a new lock file gets a
# fresh install and an unchanged one is reused. It needs the npm registry:
# run it before the tests enter their network namespace.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
hash=$(sha256sum "$here/package-lock.json" | cut -c1-16)
dir="${XDG_CACHE_HOME:-$HOME/.cache}/socialdesk/test-peers/bluesky-$hash"

if [ "${1:-}" = "--dir" ]; then
  echo "$dir"
  exit 0
fi

if [ -f "$dir/.installed" ]; then
  echo "Bluesky test peer: $dir"
  exit 0
fi

command -v npm >/dev/null || { echo "Bluesky test peer: npm is missing, not installed" >&2; exit 1; }

# Install beside the final folder and move it in place, so an interrupted
# install never looks finished.
work="$dir.partial-$$"
trap 'rm -rf "$work"' EXIT
rm -rf "$work"
mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$work/"
echo "Installing the Bluesky test peer into $dir (about 2 minutes)…"
(cd "$work" && npm ci --no-audit --no-fund --loglevel=error)
touch "$work/.installed"
rm -rf "$dir"
mv "$work" "$dir"
trap - EXIT
echo "Bluesky test peer: $dir"
