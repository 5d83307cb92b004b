#!/bin/bash
# test-bluesky-inbox.sh — runs test-bluesky-inbox against Bluesky's own PDS and AppView on loopback
#
#   test-bluesky-inbox.sh PATH/TO/test-bluesky-inbox [GTest options]
#
# Starts a private PostgreSQL in the test's own folder (initdb as the
# postgres user when running as root, as CI does inside its network
# namespace), then tests/peers/bluesky/start-appview.js, then the test. The
# peer's ready line goes to the test in SD_BLUESKY_PEER_INFO; the test may
# write "process" to the peer's stdin (SD_BLUESKY_PEER_CONTROL, a FIFO) to
# make the AppView index what the PDS holds, and reads "processed" back from
# SD_BLUESKY_PEER_OUTPUT. Both servers are stopped (SIGTERM, wait) on every
# exit path. Skipped (exit 77) without node, the installed peer or PostgreSQL.
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
pg_bin=""
for candidate in /usr/lib/postgresql/*/bin; do
  if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then
    pg_bin=$candidate
  fi
done
if [ -z "$pg_bin" ]; then
  echo "SKIP: PostgreSQL is not installed (Debian's postgresql package; the AppView needs it)"
  exit 77
fi

# As root, PostgreSQL runs as the postgres user, which must reach the folder.
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "SKIP: running as root and there is no postgres user to run PostgreSQL as"
    exit 77
  fi
  as_pg=(runuser -u postgres --)
fi

work=$(mktemp -d "${SD_BUILD_DIR:-${TMPDIR:-/tmp}}/test-bluesky-inbox.XXXXXX")
mkdir "$work/tmp" "$work/pg" "$work/pgsock"
if [ ${#as_pg[@]} -gt 0 ]; then
  chmod 755 "$work"
  chown postgres "$work/pg" "$work/pgsock"
fi
peer_pid=""
pg_started=""

stop_peer() {
  exec 7>&- 2>/dev/null
  if [ -n "$peer_pid" ] && kill -0 "$peer_pid" 2>/dev/null; then
    kill -TERM "$peer_pid"
    wait "$peer_pid" 2>/dev/null
  fi
  peer_pid=""
}
stop_pg() {
  if [ -n "$pg_started" ]; then
    # pg_ctl stop sends SIGTERM (smart shutdown... made fast) and waits.
    "${as_pg[@]}" "$pg_bin/pg_ctl" stop -D "$work/pg/data" -m fast -w >/dev/null 2>&1
  fi
  pg_started=""
}
cleanup() {
  stop_peer
  stop_pg
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# PostgreSQL
port=$(free_port)
if ! "${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg/data" -U postgres -A trust -E UTF8 --no-locale \
     >"$work/pg/initdb.log" 2>&1; then
  echo "FAIL: initdb failed:"
  cat "$work/pg/initdb.log"
  exit 1
fi
if ! "${as_pg[@]}" "$pg_bin/pg_ctl" start -D "$work/pg/data" -l "$work/pg/server.log" -w -t 60 \
     -o "-p $port -k $work/pgsock -c listen_addresses=127.0.0.1 -c fsync=off" >/dev/null 2>&1; then
  echo "FAIL: PostgreSQL did not start:"
  cat "$work/pg/server.log"
  exit 1
fi
pg_started=1
echo "PostgreSQL ready on 127.0.0.1:$port"

# The peer, its stdin a FIFO the test writes to.
mkfifo "$work/control"
DB_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/postgres" REDIS_HOST=unused \
  SD_BLUESKY_PEER_DIR=$peer_dir TMPDIR="$work/tmp" \
  node -r "$peers/bind-loopback.js" "$peers/start-appview.js" \
  <"$work/control" >"$work/peer.out" 2>"$work/peer.err" &
peer_pid=$!
# Held open here so the peer's stdin stays open while the test opens and closes it.
exec 7>"$work/control"

info=""
for _ in $(seq 1 1200); do
  info=$(grep -m1 '"ready":true' "$work/peer.out" 2>/dev/null)
  [ -n "$info" ] && break
  if ! kill -0 "$peer_pid" 2>/dev/null; then
    break
  fi
  sleep 0.1
done
if [ -z "$info" ]; then
  echo "FAIL: the Bluesky test peer (with the AppView) did not start; its output:"
  cat "$work/peer.out" "$work/peer.err"
  exit 1
fi
echo "Bluesky test peer ready: $(echo "$info" | grep -o '"pds_url":"[^"]*"')"

SD_BLUESKY_PEER_INFO=$info SD_BLUESKY_PEER_CONTROL="$work/control" \
  SD_BLUESKY_PEER_OUTPUT="$work/peer.out" "$test_program" "$@"
status=$?

stop_peer
if [ -s "$work/peer.err" ] && [ $status -ne 0 ]; then
  echo "--- the peer's errors:"
  tail -n 50 "$work/peer.err"
fi
exit $status
