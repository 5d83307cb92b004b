#!/bin/bash
# test-publish.sh — publishing from the window, by the app's own outbox, under Xvfb
#
# A real keyring (gnome-keyring) and the fake Mastodon (a loopback process that
# answers as Mastodon's documentation shows). The account is connected as a
# person would from a terminal (socialdesk-cli accounts add mastodon, the
# sign-in page approved). In the window: Ctrl+N, type, tick the account, Publish
# Now. The app's sync engine sends it at once: the post is on the server once,
# the Posts list shows it as published with "Open on Mastodon". Closing the
# window while a thread waits for its time keeps the app running (Run in the
# Background).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=session.sh
. "$HERE/session.sh"
for tool in sqlite3 gnome-keyring-daemon gdbus curl; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed"; exit 1; }
done
gui_session test-publish "$0" "$@"

CLI="$SD_BINDIR/socialdesk-cli"
DB="$XDG_DATA_HOME/socialdesk/socialdesk.db"
export SOCIALDESK_ASSUME_ONLINE=1   # the namespace has only loopback, which GIO calls offline
app_pid=""
failed=0

check() {
  if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; failed=1; fi
}

screen_reader_sees() {
  "$PY" "$HERE/atspi-names.py" > "$WORK/names.txt"
  grep -qF -- "$1" "$WORK/names.txt"
}

click_named() {
  local prefix="" name x y w h
  [ "$1" = --prefix ] && { prefix=--prefix; shift; }
  name=$1
  for _ in $(seq 15); do
    if read -r x y w h < <("$PY" "$HERE/atspi-find.py" $prefix "$name") && [ "$y" -ge 0 ] && [ "$y" -lt 760 ]; then
      xdotool mousemove $((x + w / 2)) $((y + h / 2)) click 1
      sleep 0.6
      return 0
    fi
    xdotool mousemove 900 450 click 5 click 5
    sleep 0.3
  done
  echo "not ok - could not reach '$name'"
  failed=1
}

wait_for() {
  for _ in $(seq "${2:-100}"); do
    eval "$1" && return 0
    sleep 0.2
  done
  return 1
}

sql() {
  sqlite3 -cmd ".timeout 5000" "$DB" "$@"
}

cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  exec 4>&- 2>/dev/null || true
}
trap cleanup EXIT

echo "# 0. A keyring, the fake Mastodon, and an account connected through the CLI"
echo -n test-keyring-password | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
gdbus wait --session --timeout 10 org.freedesktop.secrets
mkfifo "$WORK/fake-in"
"$SD_FAKE_MASTODON_SERVER" --account "brand:$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
  < "$WORK/fake-in" > "$WORK/fake.out" &
exec 4> "$WORK/fake-in"   # the fake serves until this closes
wait_for '[ -s "$WORK/fake.out" ]'
url=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$WORK/fake.out")
domain=${url#http://}

"$CLI" accounts add mastodon --instance "$url" --timeout 30 > "$WORK/signin.out" 2>&1 &
signin_pid=$!
wait_for 'grep -q "/oauth/authorize?" "$WORK/signin.out"'
authorize=$(grep -m1 "/oauth/authorize?" "$WORK/signin.out")
curl -sfL "$authorize&sd_fake_approve=brand" > /dev/null
wait "$signin_pid"
check "the account is connected" 'grep -q "Connected @brand@$domain (Mastodon)" "$WORK/signin.out"'
token=$(secret-tool lookup kind account account-id "$(sql "SELECT id FROM account")" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
remote=$(sql "SELECT remote_id FROM account")

echo "# 1. Write a post, tick the account, Publish Now"
"$SD_BINDIR/socialdesk" --view=posts >>"$WORK/app.log" 2>&1 &
app_pid=$!
wait_for 'xdotool search --onlyvisible --name "^SocialDesk$" >/dev/null 2>&1'
sleep 1.5
xdotool key ctrl+n
sleep 1.5
xdotool type --delay 20 "Halo dari jendela SocialDesk #promo"
check "the composer has the text" 'wait_for "screen_reader_sees \"Halo dari jendela SocialDesk #promo\"" 25'
check "the composer offers the account" 'wait_for "screen_reader_sees \"Publish with @brand@$domain\"" 25'
click_named --prefix "Publish with @brand@$domain"
check "the post is bound to the account" \
  'wait_for "[ \"\$(sql \"SELECT count(*) FROM variant WHERE account_id IS NOT NULL\")\" = 1 ]" 50'
check "no offline notice (the outbox is online)" '! screen_reader_sees "Offline"'
click_named "Publish Now"
sleep 1
import -window root "$SHOTS/publish-now.png"

echo "# 2. The app's outbox sends it at once, exactly once"
statuses() {
  curl -sf -H "Authorization: Bearer $token" "$url/api/v1/accounts/$remote/statuses" \
    | "$PY" -c 'import json,sys; print(sum(1 for s in json.load(sys.stdin) if "Halo dari jendela SocialDesk" in s["content"]))'
}
check "the post is on Mastodon" 'wait_for "[ \"\$(statuses)\" = 1 ]" 100'
check "the store has it as published with its link" \
  'wait_for "[ \"\$(sql \"SELECT count(*) FROM variant WHERE state = '"'"'published'"'"' AND remote_url LIKE '"'"'$url/%'"'"'\")\" = 1 ]" 50'
check "the Posts list offers Open on Mastodon" 'wait_for "screen_reader_sees \"Open on Mastodon\"" 25'
import -window root "$SHOTS/posts-published-row.png"
sleep 16   # one more tick of the engine
check "it is still there once" '[ "$(statuses)" = 1 ]'

echo "# 3. With a post waiting, closing the window leaves SocialDesk publishing"
# A thread: its replies need the first post's id, so it waits for SocialDesk, not the server.
later=$("$CLI" draft add --text "$(printf 'Nanti malam\n---\nBagian kedua')" --to "brand@$domain")
"$CLI" schedule "$later" --at "$(date -d '+2 hours' +%Y-%m-%dT%H:%M)" > /dev/null
sleep 1
click_named "Close"   # the window's own close button
sleep 3
check "the window is closed" '! xdotool search --onlyvisible --name "^SocialDesk$" >/dev/null 2>&1'
check "the app still runs in the background" 'kill -0 "$app_pid" 2>/dev/null'
check "the thread waits for its time in SocialDesk's outbox" '[ "$(sql "SELECT count(*) FROM job WHERE state = '"'"'pending'"'"'")" = 1 ]'
kill "$app_pid" 2>/dev/null || true
wait "$app_pid" 2>/dev/null || true
app_pid=""

if [ "$failed" != 0 ]; then
  echo "--- what a screen reader sees"; cat "$WORK/names.txt" 2>/dev/null | head -80
  echo "--- the store"; sql "SELECT id, state, scheduled_at FROM post; SELECT state, attempts, last_error FROM job;" || true
  echo "--- app log"; grep -v "Screen coordinates" "$WORK/app.log"
fi
exit "$failed"
