#!/bin/bash
# test-bluesky.sh — runs test-bluesky against Bluesky's own PDS, started here on loopback
#
#   test-bluesky.sh PATH/TO/test-bluesky [GTest options]
#
# The peer comes from tests/peers/bluesky/install.sh (SD_BLUESKY_PEER_DIR, or
# the folder install.sh names). Without node or the installed peer the test is
# skipped (exit 77). The peer's ready line goes to the test in
# SD_BLUESKY_PEER_INFO; the peer is stopped with SIGTERM and waited for.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

test_program=$1
shift
peers="$(cd "$(dirname "$0")" && pwd)/peers/bluesky"
peer_dir=${SD_BLUESKY_PEER_DIR:-$("$peers/install.sh" --dir)}

if ! command -v node >/dev/null; then
  echo "SKIP: node is not installed (the Bluesky test peer runs on Node 20)"
  exit 77
fi
if [ ! -f "$peer_dir/.installed" ]; then
  echo "SKIP: the Bluesky test peer is not installed in $peer_dir: run tests/peers/bluesky/install.sh"
  exit 77
fi

work=$(mktemp -d "${SD_BUILD_DIR:-${TMPDIR:-/tmp}}/test-bluesky.XXXXXX")
mkdir "$work/tmp"
peer_pid=""

stop_peer() {
  if [ -n "$peer_pid" ] && kill -0 "$peer_pid" 2>/dev/null; then
    kill -TERM "$peer_pid"
    wait "$peer_pid" 2>/dev/null
  fi
  peer_pid=""
}
cleanup() {
  stop_peer
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

SD_BLUESKY_PEER_DIR=$peer_dir TMPDIR="$work/tmp" \
  node -r "$peers/bind-loopback.js" "$peers/start-pds.js" >"$work/peer.out" 2>"$work/peer.err" &
peer_pid=$!

info=""
for _ in $(seq 1 600); do
  info=$(grep -m1 '"ready":true' "$work/peer.out" 2>/dev/null)
  [ -n "$info" ] && break
  if ! kill -0 "$peer_pid" 2>/dev/null; then
    break
  fi
  sleep 0.1
done
if [ -z "$info" ]; then
  echo "FAIL: the Bluesky test peer did not start; its output:"
  cat "$work/peer.out" "$work/peer.err"
  exit 1
fi
echo "Bluesky test peer ready: $(echo "$info" | grep -o '"pds_url":"[^"]*"')"

SD_BLUESKY_PEER_INFO=$info "$test_program" "$@"
status=$?

stop_peer
if [ -s "$work/peer.err" ] && [ $status -ne 0 ]; then
  echo "--- the peer's errors:"
  cat "$work/peer.err"
fi
exit $status
