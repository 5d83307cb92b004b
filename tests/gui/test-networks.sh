#!/bin/bash
# test-networks.sh — the OAuth networks in the window, under Xvfb: developer apps, sign-in, network options
#
# Accounts say until when a sign-in lasts (a warning in its last week). Add
# Account → YouTube without a developer app says so and leads to Preferences →
# Developer Apps, where a client ID is typed and applied (the CLI's `apps list`
# then has it) and, with a keyring, a client secret is kept (never in the
# database). Back in Add Account the sign-in starts and waits for the browser,
# and Cancel stops it. In the composer, targeting YouTube, TikTok and Instagram
# shows their refusals (a video and a title, who can see the TikTok, an image
# with a public address); giving YouTube a title and TikTok an audience makes
# those go, and both are saved with the post; a video attached shows as a
# tile and gives YouTube its video. Screenshots go to
# $SD_BUILD_DIR/screenshots.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=session.sh
. "$HERE/session.sh"
command -v sqlite3 >/dev/null || { echo "FAIL: sqlite3 is not installed"; exit 1; }
gui_session test-networks "$0" "$@"

CLI="$SD_BINDIR/socialdesk-cli"
DB="$XDG_DATA_HOME/socialdesk/socialdesk.db"
# Any free port for the sign-in's loopback listener.
export SOCIALDESK_OAUTH_PORT=0
app_pid=""
failed=0
keyring=0

# A keyring of its own on this session bus, when gnome-keyring is there.
if command -v gnome-keyring-daemon >/dev/null && command -v gdbus >/dev/null; then
  echo -n test-keyring-password | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null 2>&1 || true
  gdbus wait --session --timeout 10 org.freedesktop.secrets 2>/dev/null && keyring=1
fi

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

# Waits up to five seconds for a screen reader to find that text.
comes_up() {
  for _ in $(seq 10); do
    screen_reader_sees "$1" && return 0
    sleep 0.5
  done
  return 1
}

# Clicks the first widget on screen with that accessible name (scrolling the pane under the pointer).
# With --prefix, the first whose name starts so (GTK 4.8 adds the row's title to its label).
click_named() {
  local prefix="" name x y w h
  [ "$1" = --prefix ] && { prefix=--prefix; shift; }
  name=$1
  for _ in $(seq 15); do
    # In the composer, wholly above the main window's bottom edge ($BOTTOM), or the click lands elsewhere.
    if read -r x y w h < <("$PY" "$HERE/atspi-find.py" $prefix "$name") && [ "$y" -ge 0 ] \
       && { [ -z "${BOTTOM:-}" ] && [ "$y" -lt 760 ] || [ $((y + h)) -lt "${BOTTOM:-0}" ]; }; then
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

# Picks a file in the open file chooser by its path (Return a second time when
# the location bar's completion took the first).
choose_file() {
  xdotool key ctrl+l
  sleep 0.3
  xdotool type --delay 10 "$1"
  sleep 0.5
  xdotool key Return
  sleep 1
  if xdotool search --onlyvisible --name '^Add Images or Videos$' >/dev/null 2>&1; then
    xdotool key Return
    sleep 1
  fi
  sleep 0.5
}

shot() {
  sleep 0.6
  import -window root "$SHOTS/$1.png"
}

apps_json() {
  "$CLI" apps list --json
}

# The JSON value of one network's field in `apps list --json`.
app_field() {
  apps_json | "$PY" -c '
import json, sys
for app in json.load(sys.stdin):
    if app["network"] == sys.argv[1]:
        print(json.dumps(app[sys.argv[2]]))
' "$1" "$2"
}

client_id=test-client-123.apps.googleusercontent.com
client_secret=GOCSPX-test-secret-never-stored-in-files

echo "# 0. Two accounts whose sign-in runs out: in three days, and in forty"
now=$(date +%s)
soon=$((now + 3 * 86400))
later=$((now + 40 * 86400))
"$CLI" apps list --json >/dev/null   # makes the database
sqlite3 -cmd ".timeout 5000" "$DB" <<SQL
INSERT INTO account (id, platform, remote_id, handle, display_name, state, created_at, updated_at, token_expires_at) VALUES
  ('acc-yt', 'youtube', 'UC123', 'autumnstudio', 'Autumn Studio', 'connected', $now, $now, $soon),
  ('acc-li', 'linkedin', 'urn:li:person:7', 'dana-lee', 'Dana Lee', 'connected', $now, $now, $later);
SQL

echo "# 1. Accounts: until when each sign-in lasts"
start_app --view=posts
xdotool key ctrl+shift+a
sleep 1.5
check "the YouTube sign-in runs out soon" 'screen_reader_sees "Sign-in ends in 3 days, Sign in again by $(date -d @$soon "+%-d %B %Y")"'
check "the LinkedIn one later" 'screen_reader_sees "Sign in again by $(date -d @$later "+%-d %B %Y")"'
shot networks-accounts-expiry

echo "# 2. Add Account → YouTube, without a developer app"
click_named "Add Account…"
sleep 1
check "the dialog lists all nine networks" 'screen_reader_sees "Mastodon" && screen_reader_sees "YouTube" && screen_reader_sees "TikTok" && screen_reader_sees "LinkedIn"'
shot networks-add-account-choose
click_named --prefix "YouTube"
check "YouTube signs in through the developer app" 'comes_up "Sign In to YouTube"'
shot networks-add-account-youtube
click_named "Sign In in Browser"
check "without an app the dialog says so" 'comes_up "Register a Developer App First"'
shot networks-add-account-no-app

echo "# 3. Open Developer Apps: a client ID, and a client secret in the keyring"
click_named "Open Developer Apps"
sleep 1.5
check "Preferences shows the redirect URI to register" 'comes_up "Redirect URI to Register"'
check "each network links to its developer site" 'screen_reader_sees "Register an App"'
shot networks-developer-apps
# The YouTube client ID has the focus.
xdotool type --delay 5 "$client_id"
xdotool key Return
sleep 1
check "the client ID is in the store" '[ "$(app_field youtube client_id)" = "\"$client_id\"" ]'
shot networks-developer-apps-applied
if [ "$keyring" = 1 ]; then
  xdotool key Tab
  sleep 0.3
  xdotool type --delay 5 "$client_secret"
  xdotool key Return
  sleep 1.5
  check "the client secret is kept in the keyring" '[ "$(app_field youtube client_secret_kept)" = true ]'
  check "the row says so, without the secret" 'comes_up "Kept in the keyring"'
  check "the secret is nowhere in SocialDesk's files" '! grep -rqaF -- "$client_secret" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME"'
else
  echo "# no keyring here: the page says so"
  check "the page says there is no keyring" 'comes_up "No keyring"'
fi
shot networks-developer-apps-saved
xdotool key Escape
sleep 1

echo "# 4. Sign in again: the browser sign-in waits, Cancel stops it"
click_named "Try Again"
sleep 0.8
if [ "$keyring" = 1 ]; then
  check "the dialog names the developer app" 'comes_up "Client ID $client_id"'
  click_named "Sign In in Browser"
  sleep 1
  shot networks-add-account-waiting
  if screen_reader_sees "cannot publish to YouTube yet"; then
    # The sign-in needs the network's provider (core) to go on after the browser.
    echo "# skipped: this build has no YouTube provider yet, so the sign-in stops at once"
  else
    # A hidden page is still in the tree: its buttons, being unmapped, cannot be reached.
    click_named "Copy Address"
    check "the sign-in waits for the browser, its address to copy" '[ "$failed" = 0 ]'
    click_named "Cancel"
    check "Cancel goes back to the sign-in page" 'comes_up "Sign In to YouTube"'
  fi
fi
xdotool key Escape
sleep 0.5
xdotool key Escape
sleep 0.8

echo "# 5. The composer: YouTube, TikTok and Instagram say what they need"
BOTTOM=700
xdotool key ctrl+n
sleep 0.5
xdotool type --delay 4 "Behind the scenes of our autumn shoot"
sleep 0.5
click_named "YouTube"
click_named "TikTok"
click_named "Instagram"
sleep 1
check "YouTube needs a video" 'comes_up "YouTube needs a video"'
check "YouTube needs a title" 'screen_reader_sees "needs a title"'
check "TikTok needs an audience" 'screen_reader_sees "Choose who can see this"'
check "Instagram needs an image" 'screen_reader_sees "Instagram needs an image"'
check "the Network Options show" 'screen_reader_sees "Who Can See This"'
shot networks-composer-refusals

echo "# 6. An image for Instagram: it asks for a public address"
"$PY" "$HERE/make-png.py" "$WORK/photo.png"
post_id=$("$CLI" list --json | "$PY" -c 'import json,sys; print([p["id"] for p in json.load(sys.stdin) if p["text"].startswith("Behind the scenes")][0])')
click_named "Add Images or Videos…"
sleep 1.5
choose_file "$WORK/photo.png"
check "the tile asks for the image's public address" 'comes_up "Public address of image 1"'
check "Instagram refuses an image without one" 'screen_reader_sees "Image 1 has no public web address"'
shot networks-composer-public-address
click_named "Public address of image 1"
xdotool type --delay 5 "https://cdn.example.com/autumn.png"
sleep 1.2
check "with a public address Instagram no longer refuses it" '! screen_reader_sees "Image 1 has no public web address"'

echo "# 7. YouTube's title and TikTok's audience"
click_named "Title (Required)"
xdotool type --delay 5 "Autumn shoot: behind the scenes"
sleep 1
check "the title refusal is gone" '! screen_reader_sees "needs a title"'
click_named --prefix "Who Can See This"
sleep 0.8
# The list opens on "Not Chosen Yet": one down is Everyone.
xdotool key Down Return
sleep 1
check "the audience refusal is gone" '! screen_reader_sees "Choose who can see this"'
check "YouTube still needs its video" 'screen_reader_sees "YouTube needs a video"'
shot networks-composer-options

echo "# 8. A video for YouTube"
"$PY" -c '
import sys
# An MP4 file type box, then nothing: enough for SocialDesk to know it as a video.
head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
open(sys.argv[1], "wb").write(head + bytes(300 * 1024 - len(head)))
' "$WORK/clip.mp4"
xdotool mousemove 900 450
for _ in $(seq 30); do xdotool click 4; done
sleep 0.5
click_named "Add Images or Videos…"
sleep 1.5
choose_file "$WORK/clip.mp4"
check "the video has a tile of its own" 'comes_up "Video 2, MPEG-4 video"'
check "YouTube has its video now" '! screen_reader_sees "YouTube needs a video"'
check "Instagram asks for the video's public address too" 'screen_reader_sees "Public address of video 2"'
shot networks-composer-video
# Down the composer: the readiness, then each preview.
xdotool mousemove 900 450
for shot in 1 2 3 4 5 6 7 8; do
  for _ in 1 2 3 4; do xdotool click 5; done
  sleep 0.6
  shot "networks-composer-scroll-$shot"
done
stop_app

echo "# 9. Saved with the post"
"$CLI" list --json | "$PY" -c '
import json, sys
post = [p for p in json.load(sys.stdin) if p["id"] == sys.argv[1]][0]
print(json.dumps({"options": post.get("options"), "media": post.get("media")}))
' "$post_id" > "$WORK/saved.json"
sed 's/^/# /' "$WORK/saved.json"
check "YouTube's title is saved" 'grep -qF "Autumn shoot: behind the scenes" "$WORK/saved.json"'
check "TikTok's audience is saved" 'grep -qF "PUBLIC_TO_EVERYONE" "$WORK/saved.json"'
check "the image's public address is saved" 'grep -qF "https://cdn.example.com/autumn.png" "$WORK/saved.json"'

if [ "$failed" != 0 ]; then
  echo "--- what a screen reader saw"; cat "$WORK/names.txt"
  echo "--- app log"; cat "$WORK/app.log"
fi
exit "$failed"
