#!/bin/bash
# test-gui.sh — the real window under Xvfb, driven with xdotool as a person would
#
# Starts on an empty data folder, writes a draft with Ctrl+N, kills the app
# with SIGKILL a second after the last key, and finds the draft again through
# the CLI and in the restarted window; duplicates and deletes it from the
# keyboard; takes screenshots in English and Indonesian for a person to look at
# ($SD_BUILD_DIR/screenshots).
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

APP="$SD_BINDIR/socialdesk"
CLI="$SD_BINDIR/socialdesk-cli"
SHOTS="$SD_BUILD_DIR/screenshots"

for tool in Xvfb xdotool import dbus-run-session python3; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed"; exit 1; }
done
locale -a | grep -qi '^id_ID.utf8$' \
  || { echo "FAIL: the id_ID.UTF-8 locale is missing (build-aux/install-deps.sh --tests makes it)"; exit 1; }
[ -x "$APP" ] || { echo "FAIL: $APP is missing: run meson install first"; exit 1; }

work=$(mktemp -d /tmp/sd-test-gui-XXXXXX)
mkdir -p "$SHOTS" "$work/run"
chmod 700 "$work/run"
app_pid=""
xvfb_pid=""

cleanup() {
  [ -n "$app_pid" ] && kill -9 "$app_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A display of our own, whatever number is free.
exec 3<> "$work/displayfd"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do
  display=$(head -n1 "$work/displayfd" 2>/dev/null || true)
  [ -n "$display" ] && break
  sleep 0.1
done
[ -n "$display" ] || { echo "FAIL: Xvfb did not start"; cat "$work/xvfb.log"; exit 1; }

export DISPLAY=":$display"
export HOME="$work/home"
export XDG_DATA_HOME="$work/data"
export XDG_CONFIG_HOME="$work/config"
export XDG_CACHE_HOME="$work/cache"
export XDG_RUNTIME_DIR="$work/run"
export XDG_DATA_DIRS="$SD_DATADIR:/usr/local/share:/usr/share"
export GSETTINGS_BACKEND=keyfile
export GSK_RENDERER=cairo
export NO_AT_BRIDGE=1
export LC_ALL=C.UTF-8
mkdir -p "$HOME"

start_app() {
  local language=$1 locale=C.UTF-8
  [ "$language" = id ] && locale=id_ID.UTF-8
  LC_ALL=$locale LANGUAGE=$language dbus-run-session -- "$APP" --view=posts >"$work/app-$language.log" 2>&1 &
  app_pid=$!
  window=""
  for _ in $(seq 100); do
    window=$(xdotool search --onlyvisible --name '^SocialDesk$' 2>/dev/null | head -n1 || true)
    [ -n "$window" ] && break
    sleep 0.1
  done
  [ -n "$window" ] || { echo "FAIL: no SocialDesk window"; cat "$work/app-$language.log"; exit 1; }
  sleep 1.5 # let the list load and the first frames settle
}

stop_app_hard() {
  # dbus-run-session is the parent; SIGKILL the app itself, as a crash would.
  pkill -9 -f "^$APP" || true
  kill -9 "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  app_pid=""
}

post_count() {
  "$CLI" list --json | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'
}

check() {
  if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; failed=1; fi
}

failed=0
text="Halo dari kereta! Draft typed in the GUI test #diskon"

echo "# 1. Empty data folder: the empty state"
start_app en
import -window root "$SHOTS/empty-en.png"
check "starts with no posts" '[ "$(post_count)" = 0 ]'

echo "# 2. Ctrl+N, type, SIGKILL a second later"
xdotool key ctrl+n
sleep 0.3
xdotool type --delay 15 "$text"
sleep 1
stop_app_hard
saved=$("$CLI" list --json | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["text"])' || true)
check "the draft survived kill -9: '$saved'" '[ "$saved" = "$text" ]'

echo "# 3. Restart: the draft is listed; pick networks and a time; duplicate; delete"
start_app en
xdotool mousemove 200 100 click 1   # the first row of the list
sleep 0.5
# The network toggles X and Bluesky and the time switch, where a 1100x720 window shows them
# (choosing a network adds the composer's tabs above the text, 34 pixels).
xdotool mousemove 438 393 click 1 sleep 0.5 mousemove 544 427 click 1 sleep 0.3 \
  mousemove 1011 579 click 1
sleep 1
import -window root "$SHOTS/main-window-en.png"
chosen=$("$CLI" list --json | python3 -c 'import json, sys; p = json.load(sys.stdin)[0]; print(",".join(p["platforms"]), p["scheduled_at"] is not None)')
check "clicked networks and time are saved: $chosen" '[ "$chosen" = "x,bluesky True" ]'

xdotool key ctrl+shift+d
sleep 0.8
check "Ctrl+Shift+D duplicates" '[ "$(post_count)" = 2 ]'
xdotool key ctrl+Delete
sleep 0.8
check "Ctrl+Delete deletes" '[ "$(post_count)" = 1 ]'
import -window root "$SHOTS/deleted-toast-en.png"
xdotool mousemove 682 667 click 1   # the toast's Undo button
sleep 0.8
check "Undo brings the post back" '[ "$(post_count)" = 2 ]'
xdotool key ctrl+Delete
sleep 0.8
check "and it can be deleted again" '[ "$(post_count)" = 1 ]' 
xdotool key ctrl+q
for _ in $(seq 50); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
check "Ctrl+Q quits" '! kill -0 "$app_pid" 2>/dev/null'
app_pid=""

echo "# 4. Indonesian"
start_app id
xdotool mousemove 200 100 click 1
sleep 0.5
import -window root "$SHOTS/main-window-id.png"
stop_app_hard
check "the deleted copy was purged, the draft kept" '[ "$(post_count)" = 1 ]'

echo "# screenshots: $SHOTS"
[ "$failed" = 0 ] || { echo "--- app log"; cat "$work"/app-*.log; exit 1; }
