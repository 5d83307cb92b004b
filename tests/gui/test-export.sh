#!/bin/bash
# test-export.sh — Export Calendar under Xvfb, as a person uses it, and the file as a calendar app reads it
#
# Plans posts around the current month through the CLI (its first and last minute, the days
# just outside it, one only for Instagram, one without a time), opens the dialog with
# Ctrl+Shift+E (win.export-calendar, which preselects the calendar's visible month: this month
# on start), unchecks Instagram, exports through the file chooser and reads the file with
# python3-icalendar: exactly the two expected events, at their times. Then an export with no
# posts in it, one that cannot be written, and "To" before "From". Leaves screenshots of the
# dialog in $SD_BUILD_DIR/screenshots.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=session.sh
. "$HERE/session.sh"
GUI_PY_MODULES=icalendar gui_session test-export "$0" "$@"

# Local days are Jakarta's (UTC+7): the file must hold the same instants in UTC.
export TZ=Asia/Jakarta
mkdir -p "$WORK/out"
CLI="$SD_BINDIR/socialdesk-cli"
DIALOG="Export Calendar"
app_pid=""
failed=0

start_app() {
  "$SD_BINDIR/socialdesk" >>"$WORK/app.log" 2>&1 &
  app_pid=$!
  for _ in $(seq 100); do
    xdotool search --onlyvisible --name '^SocialDesk$' >/dev/null 2>&1 && break
    sleep 0.1
  done
  sleep 1.5
}

stop_app() {
  kill -9 "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
}

check() {
  if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; failed=1; fi
}

# Waits until SocialDesk shows a window (the dialog, then the file chooser) with that title.
wait_for_window() {
  for _ in $(seq 50); do
    xdotool search --onlyvisible --name "^$1\$" >/dev/null 2>&1 && { sleep 0.5; return 0; }
    sleep 0.1
  done
  echo "# no window '$1'"
  return 1
}

open_dialog() {
  xdotool mousemove 720 400 click 1   # the window has the focus
  xdotool key ctrl+shift+e
  wait_for_window "$DIALOG"
}

# Without a window manager every window sits at the top left; put the dialog where GNOME
# Shell would, over the middle of the 1100x720 window, as a person sees it.
center_dialog() {
  local id WIDTH HEIGHT
  id=$(xdotool search --onlyvisible --name "^$DIALOG\$" | head -n1)
  eval "$(xdotool getwindowgeometry --shell "$id" | grep -E '^(WIDTH|HEIGHT)=')"
  xdotool windowmove "$id" $(( (1100 - WIDTH) / 2 )) $(( (720 - HEIGHT) / 2 ))
  sleep 0.5
}

# Clicks a widget of the dialog by its role and name, as a screen reader user finds it.
click_in_dialog() {
  local x y id X Y
  if ! read -r x y < <("$PY" "$HERE/atspi-window.py" "$DIALOG" "$1" "$2"); then
    echo "not ok - no $1 '$2' in the dialog"
    kill -0 "$app_pid" 2>/dev/null || { echo "# SocialDesk is gone:"; grep -v "Screen coordinates" "$WORK/app.log"; }
    return 1
  fi
  id=$(xdotool search --onlyvisible --name "^$DIALOG\$" | head -n1)
  eval "$(xdotool getwindowgeometry --shell "$id" | grep -E '^[XY]=')"
  xdotool mousemove $((X + x)) $((Y + y)) click 1
  sleep 0.3
}

states_of() {
  "$PY" "$HERE/atspi-window.py" --states "$DIALOG" "$1" "$2" || true
}

screen_reader_sees() {
  "$PY" "$HERE/atspi-names.py" > "$WORK/names.txt"
  grep -qF -- "$1" "$WORK/names.txt"
}

# In the file chooser (titled like the dialog): checks the suggested name, then types a path.
save_as() {
  wait_for_window "$DIALOG"
  "$PY" "$HERE/atspi-window.py" --text "$DIALOG" text "" > "$WORK/suggested.txt" || true
  xdotool key ctrl+a
  xdotool type --delay 10 "$1"
  xdotool key Return
  for _ in $(seq 50); do [ -s "$1" ] && break; sleep 0.1; done
  sleep 1
}

# The ids, start and end of a file's events, one per line, as a calendar app reads them.
events_of() {
  "$PY" "$HERE/../read-ics.py" "$1" \
    | "$PY" -c 'import json, sys; [print(e["uid"], e["start"], e["end"]) for e in json.load(sys.stdin)]'
}

# This month, and the last minute before and the first after it, in local (Jakarta) time.
eval "$("$PY" - <<'EOF'
import datetime
today = datetime.date.today()
first = today.replace(day=1)
next_first = (first + datetime.timedelta(days=32)).replace(day=1)
last = next_first - datetime.timedelta(days=1)
prev_last = first - datetime.timedelta(days=1)
print(f"first={first} last={last} next_first={next_first} prev_last={prev_last} middle={first.replace(day=15)}")
print(f"first_label='{first.day} {first:%B %Y}' last_label='{last.day} {last:%B %Y}'")
EOF
)"
utc() {
  "$PY" -c 'import datetime, sys, zoneinfo
t = datetime.datetime.fromisoformat(sys.argv[1]).replace(tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta"))
print((t + datetime.timedelta(minutes=int(sys.argv[2]))).astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))' "$1" "$2"
}

echo "# 1. Posts around $first … $last"
first_post=$("$CLI" draft add --text "Awal bulan di X" --platform x --at "${first}T00:00")
instagram_post=$("$CLI" draft add --text "Hanya Instagram" --platform instagram --at "${middle}T14:30")
"$CLI" draft add --text "Bulan depan" --platform x --at "${next_first}T00:00" >/dev/null
"$CLI" draft add --text "Bulan lalu" --platform x --at "${prev_last}T23:59" >/dev/null
last_post=$("$CLI" draft add --text "Akhir bulan, Bluesky dan Instagram" --platform bluesky \
  --platform instagram --at "${last}T23:59")
"$CLI" draft add --text "Tanpa waktu" --platform x >/dev/null

echo "# 2. Ctrl+Shift+E: this month and every network are chosen"
start_app
open_dialog
center_dialog
check "From is the first of the month: $first_label" \
  '[[ "$(states_of "push button" "$first_label")" == *sensitive* ]]'
check "To is the last of the month: $last_label" \
  '[[ "$(states_of "push button" "$last_label")" == *sensitive* ]]'
for network in X Bluesky Mastodon LinkedIn Facebook Instagram Threads YouTube TikTok; do
  check "$network is checked" '[[ " $(states_of "check box" $network) " == *" checked "* ]]'
done
import -window root "$SHOTS/export-dialog-en.png"

echo "# 3. Without Instagram, through the file chooser"
click_in_dialog "check box" Instagram
check "Instagram is unchecked" '[[ " $(states_of "check box" Instagram) " != *" checked "* ]]'
check "Export is possible" '[[ "$(states_of "push button" "Export…")" == *sensitive* ]]'
import -window root "$SHOTS/export-dialog-unchecked-en.png"
click_in_dialog "push button" "Export…"
save_as "$WORK/out/this-month.ics"
check "the chooser suggested socialdesk-$first-to-$last.ics: $(cat "$WORK/suggested.txt")" \
  '[ "$(cat "$WORK/suggested.txt")" = "socialdesk-$first-to-$last.ics" ]'
check "the file was written" '[ -s "$WORK/out/this-month.ics" ]'
expected="$first_post@socialdesk $(utc "${first}T00:00" 0) $(utc "${first}T00:00" 15)
$last_post@socialdesk $(utc "${last}T23:59" 0) $(utc "${last}T23:59" 15)"
actual=$(events_of "$WORK/out/this-month.ics" || true)
check "exactly the month's first and last post, not Instagram's, at their times" \
  '[ "$actual" = "$expected" ]'
[ "$actual" = "$expected" ] || printf '# expected:\n%s\n# got:\n%s\n' "$expected" "$actual"
check "the post for Instagram and Bluesky kept its networks" \
  'grep -q "CATEGORIES:Bluesky,Instagram" "$WORK/out/this-month.ics"'
check "the toast says so" 'screen_reader_sees "Exported 2 posts to “this-month.ics”"'
import -window root "$SHOTS/export-done-en.png"

echo "# 4. Only TikTok: an empty calendar, said plainly"
open_dialog
for network in X Bluesky Mastodon LinkedIn Facebook Threads YouTube; do
  click_in_dialog "check box" "$network"
done
check "Instagram starts checked again" '[[ " $(states_of "check box" Instagram) " == *" checked "* ]]'
click_in_dialog "check box" Instagram
click_in_dialog "push button" "Export…"
save_as "$WORK/out/empty.ics"
check "an empty calendar is still a calendar" \
  '[ -z "$(events_of "$WORK/out/empty.ics")" ] && grep -q "END:VCALENDAR" "$WORK/out/empty.ics"'
check "the toast says there were no posts" \
  'screen_reader_sees "No planned posts in that range; the file has no events."'

echo "# 5. A file that cannot be written"
open_dialog
click_in_dialog "push button" "Export…"
save_as /proc/socialdesk-export.ics
check "the toast names the file and why" \
  'screen_reader_sees "Could not export to “socialdesk-export.ics”: "'
grep -F "Could not export" "$WORK/names.txt" | sed 's/^/# /' || true

echo "# 6. To before From, and no network"
open_dialog
center_dialog
# The dialog starts on the From row; Space opens its calendar, which has the keyboard.
xdotool key space
sleep 0.7
check "Space opens the From calendar at once" \
  '[[ "$(states_of filler GtkCalendar)" == *focused* ]]'
# The calendar's first arrow key goes to its last cell, always a day of the next month.
xdotool key Up space
sleep 0.5
check "From is now after To" '[ -z "$(states_of "push button" "$first_label")" ]'
check "Export is off while To is before From" \
  '[[ "$(states_of "push button" "Export…")" != *sensitive* ]]'
check "and the dialog says why" 'screen_reader_sees "“To” is before “From”: choose a later day to end on."'
import -window root "$SHOTS/export-dialog-backwards-en.png"
xdotool key Escape
sleep 0.5
open_dialog
for network in X Bluesky Mastodon LinkedIn Facebook Instagram Threads YouTube TikTok; do
  click_in_dialog "check box" "$network"
done
check "Export is off without a network" '[[ "$(states_of "push button" "Export…")" != *sensitive* ]]'
check "and the dialog says why" 'screen_reader_sees "Choose at least one network."'
click_in_dialog "push button" "Export…"
check "a click on the greyed-out Export does nothing" \
  '[ "$(xdotool search --onlyvisible --name "^$DIALOG\$" | wc -l)" = 1 ] && [ "$(states_of "check box" X)" != "" ]'
xdotool key Escape
sleep 0.5
check "Escape closes the dialog" '! xdotool search --onlyvisible --name "^$DIALOG\$" >/dev/null 2>&1'
check "nothing else was written" '[ "$(ls "$WORK/out" | tr "\n" " ")" = "empty.ics this-month.ics " ]'
stop_app

echo "# screenshots: $SHOTS"
[ "$failed" = 0 ] || { echo "--- what a screen reader saw"; cat "$WORK/names.txt"; echo "--- app log"; grep -v "Screen coordinates" "$WORK/app.log"; exit 1; }
