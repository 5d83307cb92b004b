#!/bin/bash
# test-composer.sh — the composer under Xvfb, as a person uses it, checked as a screen reader sees it
#
# Writes a post over X's limit but within Bluesky's, checks the counters and the
# readiness through AT-SPI, gives X a text of its own, restarts and finds it all;
# leaves screenshots of the composer and of every preview, light and dark, in
# $SD_BUILD_DIR/screenshots.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=session.sh
. "$HERE/session.sh"
gui_session test-composer "$0" "$@"

CLI="$SD_BINDIR/socialdesk-cli"
app_pid=""
failed=0

start_app() {
  ADW_DEBUG_COLOR_SCHEME=${1:-default} "$SD_BINDIR/socialdesk" --view=posts >>"$WORK/app.log" 2>&1 &
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

# Clicks the widget a screen reader knows by that name, scrolling the composer until it shows.
click_named() {
  local name=$1 x y
  for _ in $(seq 15); do
    if read -r x y < <("$PY" "$HERE/atspi-center.py" "$name") && [ "$y" -gt 60 ] && [ "$y" -lt 700 ]; then
      xdotool mousemove "$x" "$y" click 1
      return 0
    fi
    xdotool mousemove 720 400 click 5 click 5
    sleep 0.3
  done
  echo "could not reach '$name'"
  return 1
}

screen_reader_sees() {
  "$PY" "$HERE/atspi-names.py" > "$WORK/names.txt"
  grep -qF -- "$1" "$WORK/names.txt"
}

# 290 characters: 10 over X's 280, 10 under Bluesky's 300.
long_text=$(python3 -c 'print(("Promo akhir tahun di toko kami! " * 10)[:290], end="")')

echo "# 1. A new post over X's limit, within Bluesky's"
start_app
xdotool key ctrl+n
sleep 0.3
xdotool type --delay 4 "$long_text"
xdotool mousemove 438 393 click 1     # the X toggle
sleep 0.5
xdotool mousemove 544 427 click 1     # Bluesky, below the tabs that appeared
sleep 1
check "the X tab says it is over" 'screen_reader_sees "X, 10 characters over"'
check "the Bluesky tab says what is left" 'screen_reader_sees "Bluesky, 10 characters left"'
check "readiness: X is 10 characters over" 'screen_reader_sees "10 characters over"'
check "readiness: Bluesky is ready" 'screen_reader_sees "Ready: 10 characters left"'
import -window root "$SHOTS/composer-over-limit-light.png"

echo "# 2. X gets a text of its own"
xdotool mousemove 521 86 click 1       # the X tab
sleep 0.4
xdotool mousemove 700 200 click 1 key ctrl+a
xdotool type --delay 4 "Promo akhir tahun: diskon 50%! tokoku.id/sale #YearEndSale"
sleep 1.2
check "X is ready with its own text" 'screen_reader_sees "X, 213 characters left"'
check "the composer says X has its own text" 'screen_reader_sees "X has a text of its own."'
import -window root "$SHOTS/composer-x-tab-light.png"

echo "# 3. An image, chosen in the file chooser, with alt text"
"$PY" "$HERE/make-png.py" "$WORK/photo.png"
click_named "Add Images or Videos…"
sleep 1.5
xdotool key ctrl+l
sleep 0.3
xdotool type --delay 10 "$WORK/photo.png"
xdotool key Return
sleep 1.5
click_named "Alt text for image 1"
xdotool type --delay 10 "A gradient from green to purple"
sleep 1.2
import -window root "$SHOTS/composer-image-light.png"
rm "$WORK/photo.png"   # SocialDesk keeps its own copy
xdotool mousemove 720 500
for _ in $(seq 12); do xdotool click 5; done
sleep 0.5
import -window root "$SHOTS/previews-light.png"
stop_app

echo "# 4. Restart: everything is as it was"
json=$("$CLI" list --json)
check "the text, networks and X's own text were saved" "python3 -c '
import json, sys
p = json.loads(sys.argv[1])[0]
assert p[\"text\"] == sys.argv[2], p[\"text\"]
assert p[\"platforms\"] == [\"x\", \"bluesky\"], p[\"platforms\"]
assert p[\"variants\"] == {\"x\": \"Promo akhir tahun: diskon 50%! tokoku.id/sale #YearEndSale\"}, p[\"variants\"]
' \"\$json\" \"\$long_text\""
check "the image and its alt text were saved, in SocialDesk's own copy" \
  '"$PY" "$HERE/check-media.py" "$json"'

start_app prefer-dark
xdotool mousemove 200 90 click 1
sleep 1
check "after a restart the tabs count again" 'screen_reader_sees "X, 213 characters left"'
check "after a restart the image and its alt text are there" 'screen_reader_sees "Alt text for image 1"'
import -window root "$SHOTS/composer-dark.png"
xdotool mousemove 720 500
for _ in $(seq 12); do xdotool click 5; done
sleep 0.5
import -window root "$SHOTS/previews-dark.png"
stop_app

echo "# 5. Every network's preview, light and dark"
"$PY" "$HERE/make-png.py" "$WORK/all.png"
"$CLI" draft add --platform x --platform bluesky --platform mastodon --platform linkedin \
  --platform facebook --platform instagram --platform threads --platform youtube --platform tiktok \
  --media "$WORK/all.png" --alt "A gradient" --text "Koleksi akhir tahun sudah tiba
Diskon hingga 50% untuk semua produk pilihan di toko kami dan di https://tokoku.example.com/koleksi/akhir-tahun-2026 selama akhir pekan ini. Ajak teman dan keluargamu, tag @tokoku_id dan pakai #YearEndSale. Stok terbatas, jadi datanglah lebih awal!" >/dev/null
for scheme in light dark; do
  start_app "$([ $scheme = dark ] && echo prefer-dark || echo prefer-light)"
  xdotool mousemove 200 90 click 1
  sleep 1.5
  xdotool mousemove 720 400
  for shot in $(seq 14); do
    xdotool click 5 click 5 click 5 click 5 click 5
    sleep 0.4
    import -window root -crop 760x660+345+55 +repage "$SHOTS/all-previews-$scheme-$shot.png"
  done
  stop_app
done
check "all nine previews are shown" 'screen_reader_sees "Preview on TikTok" || { start_app; xdotool mousemove 200 90 click 1; sleep 1; screen_reader_sees "Preview on TikTok"; }'
stop_app

echo "# screenshots: $SHOTS"
[ "$failed" = 0 ] || { echo "--- what a screen reader saw"; cat "$WORK/names.txt"; echo "--- app log"; cat "$WORK/app.log"; exit 1; }
