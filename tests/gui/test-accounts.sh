#!/bin/bash
# test-accounts.sh — Accounts, the composer's account picker and the outbox's answers, under Xvfb
#
# Accounts are seeded straight into the store (signing in needs a network). The
# Accounts window (Ctrl+Shift+A) lists them as a screen reader finds them; one
# is removed through its confirmation and is gone from the database. The Add
# Account dialog is shown for both networks. In the composer an account is
# picked and an over-long post is published now: the store refuses it as not
# ready, the composer says so and nothing is scheduled. A post whose send
# failed shows Retry in the Posts list, and Retry makes its job pending again; a
# held post stands out in Month view. Screenshots go to $SD_BUILD_DIR/screenshots.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=session.sh
. "$HERE/session.sh"
command -v sqlite3 >/dev/null || { echo "FAIL: sqlite3 is not installed"; exit 1; }
gui_session test-accounts "$0" "$@"

CLI="$SD_BINDIR/socialdesk-cli"
DB="$XDG_DATA_HOME/socialdesk/socialdesk.db"
app_pid=""
failed=0

start_app() {
  "$SD_BINDIR/socialdesk" "$@" >>"$WORK/app.log" 2>&1 &
  app_pid=$!
  for _ in $(seq 100); do
    xdotool search --onlyvisible --name '^SocialDesk$' >/dev/null 2>&1 && break
    sleep 0.1
  done
  sleep 1.5
}

stop_app() {
  [ -n "$app_pid" ] || return 0
  kill "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  app_pid=""
}

check() {
  if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; failed=1; fi
}

screen_reader_sees() {
  "$PY" "$HERE/atspi-names.py" > "$WORK/names.txt"
  grep -qF -- "$1" "$WORK/names.txt"
}

# Clicks the first widget on screen with that accessible name (scrolling the pane under the pointer).
# With --prefix, the first whose name starts so (GTK 4.8 adds the row's title to its label).
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
    # shellcheck disable=SC2086
    xdotool mousemove ${SCROLL_AT:-900 450} click 5 click 5
    sleep 0.3
  done
  echo "not ok - could not reach '$name'"
  failed=1
  return 0
}

shot() {
  sleep 0.6
  import -window root "$SHOTS/$1.png"
}

sql() {
  sqlite3 -cmd ".timeout 5000" "$DB" "$@"
}

now=$(date +%s)
tomorrow=$((now + 86400))

echo "# 0. Seed: three accounts, a post whose send failed, a held post"
failed_id=$("$CLI" draft add --text "Autumn menu launch is live" --platform mastodon --at "$(date -d @$tomorrow +%Y-%m-%dT10:00)")
held_id=$("$CLI" draft add --text "Held morning coffee post" --platform mastodon)
sql <<SQL
INSERT INTO account (id, platform, server_url, remote_id, handle, display_name, state, created_at, updated_at) VALUES
  ('acc-alice', 'mastodon', 'https://mastodon.social', '101', 'alice@mastodon.social', 'Alice Example', 'connected', $now, $now),
  ('acc-bob', 'bluesky', 'https://bsky.social', 'did:plc:bob', 'bob.bsky.social', 'Bob Builder', 'needs-sign-in', $now, $now),
  ('acc-carol', 'mastodon', 'https://fosstodon.org', '303', 'carol@fosstodon.org', 'Carol Jones', 'offline', $now, $now);
INSERT INTO variant (id, post_id, platform, account_id, state, last_error, created_at, updated_at)
  VALUES ('var-failed', '$failed_id', 'mastodon', 'acc-alice', 'failed', 'The server refused the image: too large', $now, $now);
INSERT INTO job (id, variant_id, state, due_at, attempts, idempotency_key, last_error, created_at, updated_at)
  VALUES ('job-failed', 'var-failed', 'failed', $tomorrow, 3, 'key-failed', 'The server refused the image: too large', $now, $now);
UPDATE post SET state = 'failed' WHERE id = '$failed_id';
INSERT INTO variant (id, post_id, platform, account_id, state, created_at, updated_at)
  VALUES ('var-held', '$held_id', 'mastodon', 'acc-alice', 'scheduled', $now, $now);
INSERT INTO job (id, variant_id, state, due_at, idempotency_key, created_at, updated_at)
  VALUES ('job-held', 'var-held', 'held', $((now - 3600)), 'key-held', $now, $now);
UPDATE post SET state = 'scheduled', scheduled_at = $((now - 3600)) WHERE id = '$held_id';
SQL

echo "# 1. Accounts lists them with their state"
start_app --view=posts
xdotool key ctrl+shift+a
sleep 1.5
check "Alice is listed as connected" 'screen_reader_sees "Alice Example, @alice@mastodon.social, Mastodon, Connected"'
check "Bob needs to sign in again" 'screen_reader_sees "Bob Builder, @bob.bsky.social, Bluesky, Needs sign-in again"'
check "Carol is offline" 'screen_reader_sees "Carol Jones, @carol@fosstodon.org, Mastodon, Offline"'
shot accounts-page

echo "# 2. Removing Carol, after the confirmation"
# A popover reports its own coordinates (X11 without a window manager): the row's Delete key.
click_named --prefix "Carol Jones, @carol@fosstodon.org, Mastodon, Offline"
xdotool key Delete
sleep 0.8
check "the confirmation names the account" 'screen_reader_sees "Remove @carol@fosstodon.org?"'
shot accounts-remove-confirm
click_named "Remove"
sleep 1.5
check "Carol is gone from the store" '[ "$(sql "SELECT count(*) FROM account WHERE id = '"'"'acc-carol'"'"'")" = 0 ]'
check "Carol is gone from the list" '! screen_reader_sees "Carol Jones, @carol@fosstodon.org"'
check "Alice is still there" '[ "$(sql "SELECT count(*) FROM account WHERE id = '"'"'acc-alice'"'"'")" = 1 ]'

echo "# 3. Add Account, for both networks"
click_named "Add Account…"
sleep 1
shot add-account-choose
click_named --prefix "Bluesky"
sleep 0.8
check "the Bluesky form asks for an app password" 'screen_reader_sees "App Password"'
shot add-account-bluesky
click_named --prefix "Back"
click_named --prefix "Mastodon"
sleep 0.8
check "the Mastodon form signs in in the browser" 'screen_reader_sees "Sign In in Browser"'
shot add-account-mastodon
xdotool key Escape
sleep 0.5
xdotool key Escape
sleep 0.8

echo "# 4. The composer: pick Alice, publish an over-long post now"
xdotool key ctrl+n
sleep 0.5
long_text=$(python3 -c 'print(("Our autumn menu is here with pumpkin spice and more. " * 12)[:600], end="")')
xdotool type --delay 2 "$long_text"
sleep 1
click_named --prefix "Publish with @alice@mastodon.social"
sleep 1
shot composer-account-picker
click_named "Publish Now"
sleep 1
check "the composer says why it was not scheduled" 'screen_reader_sees "Not ready to schedule"'
new_id=$("$CLI" list --json | "$PY" -c 'import json,sys; print([p["id"] for p in json.load(sys.stdin) if p["text"].startswith("Our autumn")][0])')
check "Alice is bound to the new post" '[ "$(sql "SELECT count(*) FROM variant WHERE post_id = '"'"'$new_id'"'"' AND account_id = '"'"'acc-alice'"'"'")" = 1 ]'
check "nothing of it was scheduled" '[ "$(sql "SELECT count(*) FROM job j JOIN variant v ON v.id = j.variant_id WHERE v.post_id = '"'"'$new_id'"'"'")" = 0 ]'
shot composer-not-ready

echo "# 5. The failed post offers Retry; Retry makes its job pending"
SCROLL_AT="170 400"
check "the failed post says why" 'screen_reader_sees "Failed: The server refused the image: too large"'
shot posts-failed-row
click_named "Retry"
sleep 1
check "the job is pending again" '[ "$(sql "SELECT state FROM job WHERE id = '"'"'job-failed'"'"'")" = pending ]'

echo "# 6. The held post stands out in Month view"
xdotool key ctrl+1
sleep 1
"$PY" "$HERE/atspi-names.py" > "$WORK/names.txt"
check "the held card says it is held" 'grep -q "Held morning coffee post\. Held\." "$WORK/names.txt"'
shot month-held-card
stop_app

if [ "$failed" != 0 ]; then
  echo "--- app log"; cat "$WORK/app.log"
fi
exit "$failed"
