#!/bin/bash
# test-conversation.sh — the inbox's conversation, reply box, actions and Preferences → Inbox
#
# Seeds a store with a Mastodon conversation whose reply carries hostile text
# (tags, entities, a javascript: "link"), a Mastodon direct message and an
# Instagram message whose 24-hour reply window closed, then, as a person does
# and checked as a screen reader sees it: the text shown literally, a reply
# over the limit (Send off), a good one queued (waiting, in the store), a saved
# reply with {name}, a draft kept across messages, Like (a pending action),
# a new label, and in Preferences → Inbox a saved reply and a rule (one the
# store refuses first). Screenshots in $SD_BUILD_DIR/screenshots.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=session.sh
. "$HERE/session.sh"
gui_session test-conversation "$0" "$@"

command -v sqlite3 >/dev/null || { echo "FAIL: sqlite3 is not installed"; exit 1; }

CLI="$SD_BINDIR/socialdesk-cli"
DB="$XDG_DATA_HOME/socialdesk/socialdesk.db"
app_pid=""
failed=0
n_failed=0

# The conversation lives in the inbox page; an app without one has nothing to test yet.
if ! "$SD_BINDIR/socialdesk" --help-all 2>/dev/null | grep -q "inbox"; then
  echo "SKIP: this socialdesk has no inbox page (--view=inbox)"
  exit 77
fi

sql() {
  sqlite3 -cmd ".timeout 5000" "$DB" "$@"
}

start_app() {
  "$SD_BINDIR/socialdesk" "$@" >>"$WORK/app.log" 2>&1 &
  app_pid=$!
  for _ in $(seq 100); do
    xdotool search --onlyvisible --name '^SocialDesk$' >/dev/null 2>&1 && break
    sleep 0.1
  done
  sleep 2
}

stop_app() {
  kill -9 "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
}

check() {
  if eval "$2"; then
    echo "ok - $1"
  else
    echo "not ok - $1"
    failed=1
    n_failed=$((n_failed + 1))
    "$PY" "$HERE/atspi-names.py" > "$SHOTS/conversation-failed-$n_failed.txt" || true
    import -window root "$SHOTS/conversation-failed-$n_failed.png" || true
  fi
}

widget() {
  "$PY" "$HERE/atspi-widget.py" "$@"
}

# Clicks the first widget on screen whose accessible name is (with --contains: holds) NAME;
# with --in TITLE, inside that window. GTK 4.8 gives positions within a window only: every
# window here opens at 0,0 (no window manager), popovers are placed within their window.
click() {
  local x y fold=790
  # The edit windows (New Rule, New Saved Reply) are 640 high; the main window and its
  # popovers reach the screen's 800.
  case "${1:-} ${2:-}" in "--in New "*) fold=600 ;; esac
  for _ in $(seq 20); do
    if read -r x y < <(widget "$@" center); then
      if [ "$y" -lt "$fold" ]; then
        xdotool mousemove "$x" "$y" click 1
        sleep 0.6
        return 0
      fi
      # Below the window's fold: scroll where it is.
      xdotool mousemove "$x" 400 click 5 click 5
    fi
    sleep 0.25
  done
  echo "# could not find '$*'"
  n_failed=$((n_failed + 1))
  "$PY" "$HERE/atspi-names.py" > "$SHOTS/conversation-not-found-$n_failed.txt" || true
  failed=1
  return 0
}

screen_reader_sees() {
  "$PY" "$HERE/atspi-names.py" > "$WORK/names.txt"
  grep -qF -- "$1" "$WORK/names.txt"
}

# Waits up to 5 s for a name to appear.
eventually_sees() {
  for _ in $(seq 20); do
    screen_reader_sees "$1" && return 0
    sleep 0.25
  done
  return 1
}

echo "# 0. Seed: two accounts, a conversation with hostile text, two direct messages"
"$CLI" list >/dev/null
now=$(date +%s)
# The servers are closed loopback ports: nothing here may reach a network.
"$PY" - "$now" > "$WORK/seed.sql" <<'PY'
import json, sys
now = int(sys.argv[1])
hostile = ('Love it <b>bold</b> <span foreground="red">red</span> &amp; more '
           'javascript:alert(1) menu: https://127.0.0.1:9/menu?a=1&b=2')
raw = hostile.encode()
def span(part):
    start = raw.index(part.encode())
    return start, start + len(part.encode())
js, menu = span("javascript:alert(1)"), span("https://127.0.0.1:9/menu?a=1&b=2")
links = json.dumps([{"start": js[0], "end": js[1], "url": "javascript:alert(1)"},
                    {"start": menu[0], "end": menu[1], "url": "https://127.0.0.1:9/menu?a=1&b=2"}])
def q(text):
    return "NULL" if text is None else "'" + text.replace("'", "''") + "'"
def message(id, account, platform, kind, remote, conv, handle, name, text, sent, caps,
            links=None, url=None, until=0, parent=None):
    print(f"INSERT INTO message (id, account_id, platform, stream, kind, remote_id, conversation_id, "
          f"parent_remote_id, author_handle, author_name, text, links_json, url, sent_at, fetched_at, "
          f"reply_until, caps) VALUES ({q(id)}, {q(account)}, {q(platform)}, 'notifications', {q(kind)}, "
          f"{q(remote)}, {q(conv)}, {q(parent)}, {q(handle)}, {q(name)}, {q(text)}, {q(links)}, {q(url)}, "
          f"{sent}, {now}, {until}, {caps});")
print(f"""INSERT INTO account (id, platform, server_url, remote_id, handle, display_name, state, created_at, updated_at) VALUES
  ('acc-m', 'mastodon', 'http://127.0.0.1:9', '1', 'brand@127.0.0.1', 'Brand Desk', 'connected', {now}, {now}),
  ('acc-i', 'instagram', NULL, '17841', 'brand.shop', 'Brand Shop', 'connected', {now}, {now});""")
message("msg-own", "acc-m", "mastodon", "own", "100", "100", "brand@127.0.0.1", "Brand Desk",
        "Our autumn menu is out!", now - 7200, 0)
message("msg-alice", "acc-m", "mastodon", "reply", "101", "100", "alice@127.0.0.1", "Alice Example",
        hostile, now - 3600, 15, links, "https://127.0.0.1:9/@alice/101", parent="100")
message("msg-bob", "acc-m", "mastodon", "dm", "201", "201", "bob@127.0.0.1", "Bob Builder",
        "Is the shop open on Sunday?", now - 1800, 1)
message("msg-cara", "acc-i", "instagram", "dm", "301", "301", "cara.cooks", "Cara Cooks",
        "Do you ship to Bandung?", now - 3 * 86400, 1, until=now - 2 * 86400 - 600)
print(f"INSERT INTO saved_reply (id, title, body, updated_at) VALUES "
      f"('sr-thanks', 'Thanks', 'Thank you {{name}}!', {now});")
PY
sql < "$WORK/seed.sql"

echo "# 1. The conversation shows the text as it is, links only where safe"
start_app --view=inbox
import -window root "$SHOTS/inbox-opened.png"
click --contains "from Alice Example"
check "the hostile text is shown literally" \
  'eventually_sees "Love it <b>bold</b> <span foreground=\"red\">red</span> &amp; more javascript:alert(1) menu: https://127.0.0.1:9/menu?a=1&b=2"'
check "our own post is in the conversation" 'screen_reader_sees "Our autumn menu is out!"'
check "the header names the author" 'screen_reader_sees "@alice@127.0.0.1"'
check "Open on Mastodon is offered" 'screen_reader_sees "Open on Mastodon"'
check "Like is offered (the message allows it)" 'screen_reader_sees "Like"'
check "Delete is offered (the message allows it)" 'screen_reader_sees "Delete Reply…"'
check "the reply box says who answers" 'screen_reader_sees "Reply as @brand@127.0.0.1"'
check "opening the message read it" '[ "$(sql "SELECT is_read FROM message WHERE id = '"'"'msg-alice'"'"'")" = 1 ]'
import -window root "$SHOTS/conversation.png"

echo "# 2. A reply over Mastodon's 500 characters cannot be sent"
click "Your Reply"
long=$("$PY" -c 'print(("Terima kasih banyak! " * 30)[:510], end="")')
xdotool type --delay 2 "$long"
sleep 0.8
check "the counter says it is 10 over" 'screen_reader_sees "10 characters over"'
check "Send is off" '[ "$(widget "Send Reply" enabled)" = no ]'
import -window root "$SHOTS/reply-over-limit.png"

echo "# 3. A good reply goes into the outbox, waiting"
xdotool key ctrl+a BackSpace
xdotool type --delay 4 "Thanks Alice, glad you like it!"
sleep 0.4
check "Send is on" '[ "$(widget "Send Reply" enabled)" = yes ]'
xdotool key ctrl+Return
sleep 1
check "the reply is a post in the store, answering Alice" \
  '[ "$(sql "SELECT text FROM post WHERE reply_to_message_id = '"'"'msg-alice'"'"'")" = "Thanks Alice, glad you like it!" ]'
check "the conversation shows it" 'eventually_sees "Thanks Alice, glad you like it!"'
check "…with its state" 'screen_reader_sees "Waiting to send" || screen_reader_sees "Sending…" || screen_reader_sees "Failed"'
check "the box is empty again" '[ -z "$(widget "Your Reply" text)" ]'
import -window root "$SHOTS/reply-queued.png"

echo "# 4. A saved reply, filled in for Alice; the draft stays when switching"
click "Saved Replies"
click "Thanks"
check "the saved reply is in the box with her name" '[ "$(widget "Your Reply" text)" = "Thank you Alice Example!" ]'
click --contains "from Bob Builder"
check "a Mastodon direct message starts with its person" '[ "$(widget "Your Reply" text)" = "@bob@127.0.0.1 " ]'
click --contains "from Alice Example"
check "Alice's draft is still there" '[ "$(widget "Your Reply" text)" = "Thank you Alice Example!" ]'

echo "# 5. Like waits in the store for the inbox engine; a label is added"
click "Like"
check "the like is a pending action" \
  '[ "$(sql "SELECT action FROM message_action WHERE message_id = '"'"'msg-alice'"'"'")" = like ]'
check "the button now offers Unlike" 'eventually_sees "Unlike"'
click "Labels"
# With no labels yet, the popover's new-label entry has the keyboard.
sleep 0.5
xdotool type --delay 4 "Support"
xdotool key Return
sleep 0.6
check "the label is on the message" \
  '[ "$(sql "SELECT l.name FROM message_label ml JOIN label l ON l.id = ml.label_id WHERE ml.message_id = '"'"'msg-alice'"'"'")" = Support ]'
xdotool key Escape
check "the header lists it" 'eventually_sees "Labels: Support"'

echo "# 6. Instagram's 24-hour window closed two days ago: no reply"
click --contains "from Cara Cooks"
check "the window is said" 'eventually_sees "The 24-hour reply window closed 2 days ago"'
check "Send is off" '[ "$(widget "Send Reply" enabled)" = no ]'
import -window root "$SHOTS/reply-window-closed.png"

echo "# 7. Preferences → Inbox: a saved reply and a rule"
xdotool key ctrl+comma
sleep 1.5
click --in Preferences "Inbox"
sleep 0.5
import -window root "$SHOTS/preferences-inbox.png"
check "the saved reply is listed" 'screen_reader_sees "Thanks"'
check "the interval shows its default" 'screen_reader_sees "Every 5 Minutes"'
click --in Preferences "Add Reply"
click --in "New Saved Reply" "Title"
xdotool type --delay 4 "Shipping"
click --in "New Saved Reply" "Saved Reply Text"
xdotool type --delay 4 "Hi {name}, we ship everywhere via {network}."
click --in "New Saved Reply" "Save"
check "the saved reply is in the store" \
  '[ "$(sql "SELECT body FROM saved_reply WHERE title = '"'"'Shipping'"'"'")" = "Hi {name}, we ship everywhere via {network}." ]'
click --in Preferences "Add Rule"
click --in "New Rule" "Name"
xdotool type --delay 4 "Refunds"
click --in "New Rule" "Save"
check "a rule without conditions is refused, saying why" 'eventually_sees "A rule needs at least one condition"'
import -window root "$SHOTS/preferences-rule-refused.png"
click --in "New Rule" "Words in the Text"
xdotool type --delay 4 "refund"
click --in "New Rule" "Add the Label"
xdotool type --delay 4 "Billing"
click --in "New Rule" "Save"
check "the rule is in the store" \
  '[ "$(sql "SELECT keyword || \"|\" || label || \"|\" || enabled FROM inbox_rule WHERE name = '"'"'Refunds'"'"'")" = "refund|Billing|1" ]'
check "the rule is listed with what it does" 'eventually_sees "→ label “Billing”"'
import -window root "$SHOTS/preferences-inbox-rule.png"
stop_app

if [ "$failed" = 0 ]; then echo "PASS"; else echo "FAIL (log: $WORK/app.log)"; tail -20 "$WORK/app.log"; fi
exit "$failed"
