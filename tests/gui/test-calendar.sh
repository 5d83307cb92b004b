#!/bin/bash
# test-calendar.sh — the content calendar under Xvfb, driven with the mouse and keys
#
# Posts made with the CLI are found as a screen reader finds them (a day by its
# full date, a card by its time and text) and dragged with xdotool: across days
# in Month view, onto a 15-minute slot in Week view, from the drafts sidebar,
# with Ctrl (a copy), with Esc (nothing), into the past (refused); a published
# post is copied, not moved; Undo restores the exact time; cut and paste moves
# a card from the keyboard. The CLI's JSON says where each post went. Month
# layouts with 0, 1, 3 and 40 posts on a day, and Month and Week views in light
# and dark, English and Indonesian, are left in $SD_BUILD_DIR/screenshots.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=session.sh
. "$HERE/session.sh"
locale -a | grep -qi '^id_ID.utf8$' \
  || { echo "FAIL: the id_ID.UTF-8 locale is missing (build-aux/install-deps.sh --tests makes it)"; exit 1; }
command -v sqlite3 >/dev/null || { echo "FAIL: sqlite3 is not installed"; exit 1; }
gui_session test-calendar "$0" "$@"

# A zone with daylight saving, so local and UTC times differ.
export TZ=Europe/Berlin
CLI="$SD_BINDIR/socialdesk-cli"
DB="$XDG_DATA_HOME/socialdesk/socialdesk.db"
app_pid=""
failed=0

start_app() {
  local scheme=$1
  shift
  stop_app
  ADW_DEBUG_COLOR_SCHEME=$scheme "$SD_BINDIR/socialdesk" "$@" >>"$WORK/app.log" 2>&1 &
  app_pid=$!
  for _ in $(seq 100); do
    xdotool search --onlyvisible --name '^SocialDesk$' >/dev/null 2>&1 && break
    sleep 0.1
  done
  sleep 2
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

# "x y" of the centre of the widget a screen reader knows by that name (or name prefix).
centre() {
  local x y w h
  read -r x y w h < <("$PY" "$HERE/atspi-find.py" "$@") || return 1
  echo "$((x + w / 2)) $((y + h / 2))"
}

extents() {
  "$PY" "$HERE/atspi-find.py" "$@"
}

# A drag as a hand makes it: press, move in steps, release. Extra keys (ctrl, Escape) may join.
drag() {
  local from_x=$1 from_y=$2 to_x=$3 to_y=$4 mode=${5:-}
  xdotool mousemove "$from_x" "$from_y" mousedown 1
  sleep 0.2
  [ "$mode" = copy ] && xdotool keydown ctrl
  for i in 1 2 3 4 5 6 7 8 9 10; do
    xdotool mousemove $((from_x + (to_x - from_x) * i / 10)) $((from_y + (to_y - from_y) * i / 10))
    sleep 0.05
  done
  sleep 0.3
  if [ "$mode" = cancel ]; then
    xdotool key Escape
    sleep 0.3
    xdotool mousemove $((to_x + 3)) $((to_y + 3))
    sleep 0.2
  fi
  xdotool mouseup 1
  [ "$mode" = copy ] && xdotool keyup ctrl
  sleep 0.8
}

drag_named() {
  local from to
  from=$(centre --prefix "$1") || { echo "# no card '$1'"; return 1; }
  to=$(centre "$2") || { echo "# no target '$2'"; return 1; }
  # shellcheck disable=SC2086
  drag $from $to "${3:-}"
}

# The local times ("YYYY-MM-DD HH:MM", sorted) of the posts whose text starts with $1.
times_of() {
  "$CLI" list --json | "$PY" -c '
import json, sys, datetime
prefix = sys.argv[1]
out = []
for post in json.load(sys.stdin):
    if post["text"].startswith(prefix):
        at = post.get("scheduled_at")
        if at is None:
            out.append("none")
        else:
            t = datetime.datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone()
            out.append(t.strftime("%Y-%m-%d %H:%M"))
print(" ".join(sorted(out)))
' "$1"
}

screen_reader_sees() {
  "$PY" "$HERE/atspi-names.py" > "$WORK/names.txt"
  grep -qF -- "$1" "$WORK/names.txt"
}

shot() {
  sleep 0.5
  import -window root "$SHOTS/$1.png"
}

"$CLI" draft add --text "Launch teaser: our new blend arrives Monday" --platform x --platform instagram --at 2026-12-10T09:00 >/dev/null
"$CLI" draft add --text "Weekly tips thread" --platform x --platform bluesky --at 2026-12-10T11:00 >/dev/null
"$CLI" draft add --text "Roastery tour video" --platform youtube --at 2026-12-10T15:00 >/dev/null
"$CLI" draft add --text "Published recap" --platform facebook --at 2026-12-11T10:00 >/dev/null
"$CLI" draft add --text "Recipe reel idea" --platform instagram >/dev/null
sqlite3 "$DB" "UPDATE post SET state = 'published' WHERE text = 'Published recap'"

echo "# 1. Month view: a card is dragged to another day and keeps its time"
start_app default --view=month --date=2026-12-10
check "the day cells are named with the full date" 'screen_reader_sees "Thursday, 10 December 2026"'
check "a card is named by its time and text" 'screen_reader_sees "09:00, Launch teaser: our new blend arrives Monday"'
drag_named "09:00, Launch teaser" "Thursday, 17 December 2026"
check "dropped on the 17th at 09:00 Berlin time" '[ "$(times_of "Launch teaser")" = "2026-12-17 09:00" ]'
check "the JSON has it in UTC" '"$CLI" list --json | grep -q "\"scheduled_at\" : \"2026-12-17T08:00:00Z\""'
check "an Undo toast offers the way back" 'screen_reader_sees "Moved to Thu 17 Dec, 09:00"'
read -r ux uy < <(centre "Undo")
xdotool mousemove "$ux" "$uy" click 1
sleep 0.8
check "Undo restores exactly the old time" '[ "$(times_of "Launch teaser")" = "2026-12-10 09:00" ]'

echo "# 2. Esc cancels a drag"
drag_named "11:00, Weekly tips" "Friday, 18 December 2026" cancel
check "nothing moved" '[ "$(times_of "Weekly tips")" = "2026-12-10 11:00" ]'

echo "# 3. Ctrl-drag makes a copy"
drag_named "11:00, Weekly tips" "Friday, 18 December 2026" copy
check "the original stays, a copy goes to the 18th" '[ "$(times_of "Weekly tips")" = "2026-12-10 11:00 2026-12-18 11:00" ]'

echo "# 4. A published post is copied, never moved"
drag_named "10:00, Published recap" "Saturday, 19 December 2026"
check "the published post keeps its time; a copy is planned" '[ "$(times_of "Published recap")" = "2026-12-11 10:00 2026-12-19 10:00" ]'
check "the copy is a draft" '[ "$(sqlite3 "$DB" "SELECT group_concat(state, \",\") FROM (SELECT state FROM post WHERE text = '"'"'Published recap'"'"' ORDER BY scheduled_at)")" = "published,draft" ]'

echo "# 5. A draft from the sidebar goes to its networks' best time on that day"
xdotool key F9
sleep 0.8
shot calendar-month-drafts
drag_named "Recipe reel idea" "Saturday, 12 December 2026"
check "Instagram's best time, 10:00" '[ "$(times_of "Recipe reel")" = "2026-12-12 10:00" ]'
xdotool key F9
sleep 0.5

echo "# 6. Cut and paste from the keyboard"
read -r cx cy < <(centre --prefix "15:00, Roastery tour")
xdotool mousemove "$cx" "$cy" click 1
sleep 0.3
xdotool key ctrl+x
sleep 0.3
# The day's empty lower part: a click there selects the day.
read -r dx dy dw dh < <(extents "Tuesday, 15 December 2026")
xdotool mousemove $((dx + dw / 2)) $((dy + dh - 10)) click 1
sleep 0.3
xdotool key ctrl+v
sleep 0.8
check "the card went to the focused day" '[ "$(times_of "Roastery tour")" = "2026-12-15 15:00" ]'

echo "# 7. A drop in the past is refused"
yesterday=$(date -d yesterday +%F)
tomorrow=$(date -d tomorrow +%F)
"$CLI" draft add --text "Tomorrow morning post" --platform x --at "${tomorrow}T09:00" >/dev/null
start_app default --view=month --date="$yesterday"
yesterday_name=$(LC_ALL=C date -d yesterday '+%A, %-d %B %Y')
drag_named "09:00, Tomorrow morning post" "$yesterday_name"
check "the time is unchanged" '[ "$(times_of "Tomorrow morning")" = "$tomorrow 09:00" ]'
check "and the user is told why" 'screen_reader_sees "That time has passed; pick a later one."'

echo "# 8. Week view: a card dragged to a 15-minute slot on another day"
start_app default --view=week --date=2026-12-10
read -r hx hy hw hh < <(extents "14:00")
read -r dx dy < <(centre "Friday, 11 December 2026")
# The 14:15 slot starts a quarter of an hour (12 px) below the 14:00 line (label top - 2).
slot_y=$((hy - 2 + 12 + 6))
read -r cx cy < <(centre --prefix "11:00, Weekly tips")
echo "# drag from $cx,$cy to $dx,$slot_y (14:00 label at $hy)"
drag "$cx" "$cy" "$dx" "$slot_y"
check "moved to Friday 14:15" '[ "$(times_of "Weekly tips")" = "2026-12-11 14:15 2026-12-18 11:00" ]'
shot calendar-week-light-en

echo "# 9. Month layouts: 0, 1, 3 and 40 posts on a day"
for i in $(seq 1 40); do
  printf 'Busy day post %02d,x,2026-12-22T%02d:%02d\n' "$i" $((8 + i / 4)) $(((i % 4) * 15))
done > "$WORK/busy.csv"
sed -i '1i text,platforms,scheduled_at' "$WORK/busy.csv"
"$CLI" import "$WORK/busy.csv" >/dev/null
for t in 09:00 12:00 17:00; do
  "$CLI" draft add --text "Three on a day $t" --platform linkedin --at "2026-12-23T$t" >/dev/null
done
"$CLI" draft add --text "Only one today" --platform threads --at 2026-12-24T10:00 >/dev/null
start_app default --view=month --date=2026-12-10
check "a day with 40 posts shows two and +38 more" 'screen_reader_sees "+38 more"'
check "a day with 3 posts shows all three" 'screen_reader_sees "17:00, Three on a day 17:00"'
check "a day with 1 post shows it" 'screen_reader_sees "10:00, Only one today"'
shot calendar-month-light-en
read -r mx my < <(centre "+38 more")
xdotool mousemove "$mx" "$my" click 1
sleep 0.8
check "the +N more popover lists every post of the day" 'screen_reader_sees "18:00, Busy day post 40"'
shot calendar-month-more-popover
xdotool key Escape

echo "# 10. Dark and Indonesian"
start_app prefer-dark --view=month --date=2026-12-10
shot calendar-month-dark-en
start_app prefer-dark --view=week --date=2026-12-10
shot calendar-week-dark-en
stop_app
export LC_ALL=id_ID.UTF-8 LANGUAGE=id
start_app default --view=month --date=2026-12-10
check "Indonesian day names for screen readers" 'screen_reader_sees "Kamis, 10 Desember 2026"'
shot calendar-month-light-id
start_app prefer-dark --view=week --date=2026-12-10
shot calendar-week-dark-id
start_app default --view=list --date=2026-12-10
shot calendar-list-light-id
stop_app

if [ "$failed" -ne 0 ]; then
  echo "--- app log"
  tail -n 30 "$WORK/app.log"
fi
exit "$failed"
