#!/bin/bash
# test-inbox.sh — the inbox page under Xvfb: a big list, filters, search, keys, a reply sent offline
#
# Part 1 (the list): a store seeded with 5,000 messages (sd-seed-inbox, through
# the store's own import). The Inbox page opens on them; "Unread Only" and the
# kind filter narrow them, "/" and typing searches, j/k move, the conversation
# shows the selected one, it is marked read after a moment, e marks it done and
# the next one takes its place; the filters and search can leave nothing (an
# empty state) and a narrow window folds the page.
#
# Part 2 (end to end): a real keyring, the fake Mastodon with a mention and a
# direct message seeded, the account connected through the CLI as a person
# would; the app's own Refresh button brings them in; the kind filter and a
# search narrow the list; a click opens the mention. The network goes away
# (the fake stops listening and closes its connections, its data kept), a
# reply is typed and sent: it waits in the outbox, shown as waiting. The
# network comes back on the same port: the outbox sends the reply, once, with
# in_reply_to_id = the mention's status. The direct message's answer is
# direct. Between the parts: Ctrl+Q keeps the inbox as the last view, and
# --view=inbox opens it whatever the last view was.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=session.sh
. "$HERE/session.sh"
for tool in sqlite3 gnome-keyring-daemon gdbus curl secret-tool timeout; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed"; exit 1; }
done
[ -x "${SD_SEED_INBOX:-}" ] || { echo "FAIL: SD_SEED_INBOX is not set to the seeder"; exit 1; }
[ -x "${SD_FAKE_MASTODON_SERVER:-}" ] || { echo "FAIL: SD_FAKE_MASTODON_SERVER is not set to the fake"; exit 1; }
gui_session test-inbox "$0" "$@"

CLI="$SD_BINDIR/socialdesk-cli"
DB="$XDG_DATA_HOME/socialdesk/socialdesk.db"
export SOCIALDESK_ASSUME_ONLINE=1   # the namespace has only loopback, which GIO calls offline
app_pid=""
failed=0

check() {
  if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; failed=1; fi
}

# A walk that does not finish (the app busy, a popover holding the keyboard) says
# so and fails both: it must not pass for a text that is missing.
walk_names() {
  if ! timeout 30 "$PY" "$HERE/atspi-names.py" > "$WORK/names.txt"; then
    echo "# the AT-SPI walk did not finish"
    return 1
  fi
}

screen_reader_sees() {
  walk_names && grep -qF -- "$1" "$WORK/names.txt"
}

screen_reader_misses() {
  walk_names && ! grep -qF -- "$1" "$WORK/names.txt"
}

# Closes the Filters popover (and a kind list still open in it), whatever has the keyboard.
close_filters() {
  for _ in 1 2 3; do
    sleep 1
    shown "Clear Filters" || return 0
    xdotool key Escape
  done
}

shown() {
  timeout 30 "$PY" "$HERE/atspi-find.py" "$@" > /dev/null
}

click_named() {
  local prefix="" name x y w h
  [ "$1" = --prefix ] && { prefix=--prefix; shift; }
  name=$1
  for _ in $(seq 10); do
    if read -r x y w h < <(timeout 30 "$PY" "$HERE/atspi-find.py" $prefix "$name") && [ "$y" -ge 0 ] && [ "$y" -lt 800 ]; then
      xdotool mousemove $((x + w / 2)) $((y + h / 2)) click 1
      sleep 0.6
      return 0
    fi
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

start_app() {   # [--last-view | OPTION…]: by default --view=inbox
  local args=("$@")
  [ $# = 0 ] && args=(--view=inbox)
  [ "${1:-}" = --last-view ] && args=()
  "$SD_BINDIR/socialdesk" "${args[@]}" >>"$WORK/app.log" 2>&1 &
  app_pid=$!
  wait_for 'xdotool search --onlyvisible --name "^SocialDesk$" >/dev/null 2>&1'
  sleep 2
}

stop_app() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  app_pid=""
}

cleanup() {
  stop_app
  exec 4>&- 2>/dev/null || true   # the fake serves until this closes
}
trap cleanup EXIT

# Refreshing is the test's to start: no pass of the app's own on a timer.
mkdir -p "$XDG_CONFIG_HOME/glib-2.0/settings"
printf '[com/example/SocialDesk]\ninbox-refresh-minutes=0\n' > "$XDG_CONFIG_HOME/glib-2.0/settings/keyfile"

# A real keyring, before the app starts one of its own through D-Bus.
echo -n test-keyring-password | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
gdbus wait --session --timeout 10 org.freedesktop.secrets

echo "# 0. Before any account: the inbox says how to start"
start_app
check "the empty inbox offers to connect an account" \
  'wait_for "screen_reader_sees \"Connect an account to see mentions, comments and messages here\"" 25'
import -window root "$SHOTS/inbox-no-accounts.png"
stop_app

echo "# 1. 5,000 messages: the list, filters, search and keys"
check "the seeder stored 5,000 messages" '[ "$("$SD_SEED_INBOX" 5000)" = 5000 ]'
unread=$(sql "SELECT count(*) FROM message WHERE is_read = 0 AND is_done = 0")
start_app
check "the newest message is a row a screen reader can read" \
  'wait_for "screen_reader_sees \"Unread mention from Alice Example on Mastodon to @brand\"" 50'
check "the title says how many are unread" 'screen_reader_sees "$unread unread"'
check "the Inbox button carries the unread count" 'screen_reader_sees "Inbox, $unread unread"'
import -window root "$SHOTS/inbox-list.png"

click_named "Unread Only"
check "Unread Only leaves out read ones" \
  'wait_for "screen_reader_misses \"Reply from Chandra Putri\"" 25'
click_named "Unread Only"

click_named "Filters"
sleep 0.5
import -window root "$SHOTS/inbox-filters.png"
xdotool key alt+k   # the Kind dropdown, by its mnemonic
sleep 0.8
xdotool key Down Down Down Down Return   # All Kinds, Mentions, Replies, Comments, Direct Messages
close_filters
check "the kind filter shows direct messages only" \
  'wait_for "screen_reader_sees \"Direct message from Chandra Putri\" || screen_reader_sees \"Unread direct message from Chandra Putri\"" 25 && screen_reader_misses "Unread mention from Alice Example"'
click_named "Filters"
xdotool key alt+k
sleep 0.8
xdotool key Home Return
close_filters
check "All Kinds again: mentions are back" \
  'wait_for "screen_reader_sees \"Unread mention from Alice Example on Mastodon to @brand\"" 25'

echo "# 2. Search as you type"
xdotool mousemove 180 420 click 1   # a row: the keyboard is in the list, not a field
sleep 0.5
xdotool key slash
sleep 0.3
xdotool type --delay 40 "order 4521"
check "the search finds the one message" 'wait_for "screen_reader_sees \"1 match\"" 25'
check "the match is the order question" 'screen_reader_sees "Where is my order 4521?"'
import -window root "$SHOTS/inbox-search.png"
xdotool type --delay 40 " zzzz"
check "words no message has: the nothing-matches page" 'wait_for "screen_reader_sees \"No Matching Messages\"" 25'
import -window root "$SHOTS/inbox-no-results.png"
xdotool key Escape
check "Escape leaves the search: all messages again" \
  'wait_for "screen_reader_sees \"Unread mention from Alice Example on Mastodon to @brand\"" 25'

echo "# 3. Keys: j/k move, the conversation follows, e marks done"
# The row picked before the search stays picked and in view (at the top of
# the list): Home picks the newest, from the keyboard as the list has it.
first_id=$(sql "SELECT id FROM message WHERE remote_id = 'seed-0'")
second_id=$(sql "SELECT id FROM message WHERE remote_id = 'seed-1'")
xdotool key Home
sleep 0.3
xdotool key j
sleep 0.3
xdotool key k
check "after j k the newest message is read (shown for a moment)" \
  'wait_for "[ \"\$(sql \"SELECT is_read FROM message WHERE id = '"'"'$first_id'"'"'\")\" = 1 ]" 25'
check "the one only passed over stays unread" \
  '[ "$(sql "SELECT is_read FROM message WHERE id = '"'"'$second_id'"'"'")" = 0 ]'
import -window root "$SHOTS/inbox-conversation.png"
xdotool key e
check "e marks it done" \
  'wait_for "[ \"\$(sql \"SELECT is_done FROM message WHERE id = '"'"'$first_id'"'"'\")\" = 1 ]" 25'
check "the done message leaves the open inbox" \
  'wait_for "screen_reader_misses \"Mention from Alice Example on Mastodon to @brand: Seeded message 0:\"" 25'
sleep 1.5
check "the next one takes its place and is read in turn" \
  'wait_for "[ \"\$(sql \"SELECT is_read FROM message WHERE id = '"'"'$second_id'"'"'\")\" = 1 ]" 25'
xdotool key u
check "u makes it unread again" \
  'wait_for "[ \"\$(sql \"SELECT is_read FROM message WHERE id = '"'"'$second_id'"'"'\")\" = 0 ]" 25'

echo "# 4. Narrow: the page folds to the list or the conversation"
win=$(xdotool search --onlyvisible --name "^SocialDesk$" | head -1)
xdotool windowsize "$win" 400 700
sleep 1.5
import -window root "$SHOTS/inbox-narrow.png"
check "folded, the conversation offers a way back" 'screen_reader_sees "Back to Inbox"'
xdotool windowsize "$win" 1200 760
sleep 1

echo "# 5. Ctrl+Q remembers the inbox; --view=inbox opens it whatever was last"
keyfile="$XDG_CONFIG_HOME/glib-2.0/settings/keyfile"
xdotool mousemove 185 18 click 1   # the window's title: the keyboard is the window's
sleep 0.5
xdotool key ctrl+q
check "Ctrl+Q closes the window" \
  'wait_for "! xdotool search --onlyvisible --name \"^SocialDesk\$\" >/dev/null 2>&1" 50'
check "the inbox is kept as the last view" 'wait_for "grep -q \"^last-view=.inbox.\" \"$keyfile\"" 25'
stop_app
start_app --last-view
check "started without --view, the inbox is back" 'wait_for "shown \"Mark All as Read\"" 25'
stop_app
sed -i "s/^last-view=.*/last-view='month'/" "$keyfile"
start_app --view=inbox
check "--view=inbox opens the inbox even when the calendar was last" 'wait_for "shown \"Mark All as Read\"" 25'
import -window root "$SHOTS/inbox-view-option.png"
stop_app

echo "# 6. End to end: a keyring, the fake Mastodon with a mention and a DM, the account connected"
export XDG_DATA_HOME="$WORK/data2" SOCIALDESK_RETRY_BASE_MS=1000
DB="$XDG_DATA_HOME/socialdesk/socialdesk.db"
mkdir -p "$XDG_DATA_HOME"
cat > "$WORK/seed.json" <<'JSON'
[{"type": "mention", "from": "bob", "visibility": "public",
  "html": "<p><span class=\"h-card\"><a href=\"https://example.social/@brand\">@brand</a></span> Is the blue mug back in stock?</p>"},
 {"kind": "dm", "from": "carol", "html": "<p>@brand Can I change the address on order 7781?</p>"}]
JSON
mkfifo "$WORK/fake-in"
"$SD_FAKE_MASTODON_SERVER" --account "brand:$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
  --seed "$WORK/seed.json" < "$WORK/fake-in" > "$WORK/fake.out" &
exec 4> "$WORK/fake-in"   # the fake serves until this closes; "offline"/"online" lines move its network
wait_for '[ -s "$WORK/fake.out" ]'
fake_field() {
  head -n1 "$WORK/fake.out" | "$PY" -c 'import json,sys; print(eval("json.load(sys.stdin)" + sys.argv[1]))' "$1"
}
url=$(fake_field '["url"]')
domain=${url#http://}
mention_status=$(fake_field '["seeded"][0]')
dm_status=$(fake_field '["seeded"][1]')

"$CLI" accounts add mastodon --instance "$url" --timeout 30 > "$WORK/signin.out" 2>&1 &
signin_pid=$!
wait_for 'grep -q "/oauth/authorize?" "$WORK/signin.out"'
authorize=$(grep -m1 "/oauth/authorize?" "$WORK/signin.out")
curl -sfL "$authorize&sd_fake_approve=brand" > /dev/null
wait "$signin_pid"
check "the account is connected" 'grep -q "Connected @brand@$domain (Mastodon)" "$WORK/signin.out"'
token=$(secret-tool lookup kind account account-id "$(sql "SELECT id FROM account")" \
        | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

# "COUNT VISIBILITY:IN_REPLY_TO" of the statuses under STATUS that hold TEXT, as the server has them.
replies_on_server() {
  curl -sf -H "Authorization: Bearer $token" "$url/api/v1/statuses/$1/context" | "$PY" -c '
import json, sys
found = [s for s in json.load(sys.stdin)["descendants"] if sys.argv[1] in s["content"]]
print(len(found), " ".join(sorted({s["visibility"] + ":" + str(s["in_reply_to_id"]) for s in found})))' "$2"
}

echo "# 7. Refresh, as a person would: the mention and the DM arrive"
start_app
click_named "Refresh"
check "the mention is a row a screen reader can read" \
  'wait_for "screen_reader_sees \"Unread mention from bob on Mastodon to @brand@$domain\"" 75'
check "the direct message is there too" 'screen_reader_sees "Unread direct message from carol on Mastodon"'
check "the store has both, once" '[ "$(sql "SELECT count(*) FROM message WHERE kind IN ('"'"'mention'"'"', '"'"'dm'"'"')")" = 2 ]'
import -window root "$SHOTS/inbox-e2e-refreshed.png"

click_named "Filters"
xdotool key alt+k
sleep 0.8
xdotool key Down Down Down Down Return   # Direct Messages
close_filters
check "the kind filter leaves the direct message only" \
  'wait_for "screen_reader_misses \"Unread mention from bob\"" 25 && screen_reader_sees "Unread direct message from carol"'
click_named "Filters"
xdotool key alt+k
sleep 0.8
xdotool key Home Return
close_filters
check "All Kinds: the mention is back" 'wait_for "screen_reader_sees \"Unread mention from bob\"" 25'

click_named "Search messages"
xdotool type --delay 60 "blue mug"
check "searching as you type finds the mention only" \
  'wait_for "screen_reader_sees \"1 match\"" 25 && screen_reader_misses "Unread direct message from carol"'
import -window root "$SHOTS/inbox-e2e-search.png"
xdotool key Escape
check "Escape: both again" 'wait_for "screen_reader_sees \"Unread direct message from carol\"" 25'

click_named --prefix "Unread mention from bob"
check "the conversation shows the mention and offers a reply" \
  'wait_for "screen_reader_sees \"Reply as @brand@$domain\"" 25 && screen_reader_sees "Is the blue mug back in stock?"'
import -window root "$SHOTS/inbox-e2e-conversation.png"

echo "# 8. Offline: the reply waits in the outbox"
echo offline >&4
check "the network is away" 'wait_for "[ \"\$(grep -c \"^ok\$\" \"$WORK/fake.out\")\" = 1 ]" 50 && ! curl -s -o /dev/null "$url/api/v1/instance"'
reply="Yes, the blue mug is back: 12 in stock."
click_named "Your Reply"
xdotool type --delay 30 "$reply"
sleep 0.5
xdotool key ctrl+Return
check "the reply is stored for the mention" \
  'wait_for "[ \"\$(sql \"SELECT count(*) FROM job\")\" = 1 ]" 50'
check "a try that cannot reach the server leaves it waiting" \
  'wait_for "[ \"\$(sql \"SELECT attempts > 0 AND state = '"'"'pending'"'"' FROM job\")\" = 1 ]" 100'
check "the conversation shows it as waiting to send" 'wait_for "screen_reader_sees \"Waiting to send\"" 50'
check "socialdesk-cli inbox show lists it, not sent" \
  '"$CLI" inbox show "$(sql "SELECT id FROM message WHERE kind = '"'"'mention'"'"'")" | grep -qF "$reply"'
import -window root "$SHOTS/inbox-e2e-waiting.png"

echo "# 9. Online again on the same port: sent once, on the mention"
echo online >&4
check "the network is back" 'wait_for "[ \"\$(grep -c \"^ok\$\" \"$WORK/fake.out\")\" = 2 ]" 50'
mention_reply_once() { [ "$(replies_on_server "$mention_status" "$reply" | cut -d' ' -f1)" = 1 ]; }
check "the reply is on Mastodon under the mention" 'wait_for mention_reply_once 150'
check "its in_reply_to_id is the mention's status" \
  'replies_on_server "$mention_status" "$reply" | grep -q ":$mention_status\$"'
check "the conversation shows it sent" 'wait_for "screen_reader_sees \"Sent\"" 50'
import -window root "$SHOTS/inbox-e2e-sent.png"
sleep 16   # one more tick of the outbox
check "it is still there once" mention_reply_once

echo "# 10. The direct message's answer is direct"
click_named --prefix "Unread direct message from carol"
check "the DM's conversation is open" 'wait_for "screen_reader_sees \"Can I change the address on order 7781?\"" 25'
dm_reply="Yes: send the new address here."
click_named "Your Reply"
xdotool type --delay 30 "$dm_reply"
sleep 0.5
xdotool key ctrl+Return
dm_reply_once() { [ "$(replies_on_server "$dm_status" "$dm_reply")" = "1 direct:$dm_status" ]; }
check "the answer is on Mastodon once, direct, under the DM" 'wait_for dm_reply_once 150'
import -window root "$SHOTS/inbox-e2e-dm.png"
stop_app

if [ "$failed" != 0 ]; then
  echo "--- what a screen reader sees"; head -120 "$WORK/names.txt" 2>/dev/null || true
  echo "--- app log"; grep -v "Screen coordinates" "$WORK/app.log" | tail -60
fi
exit "$failed"
