#!/bin/bash
# bench.sh — SocialDesk's performance figures, measured, not asserted
#
#  1. socialdesk-cli import of 10,000 CSV rows (goal: under 2 s);
#  2. cold start to the first frame of the main window with 10,000 posts,
#     next to GNOME Text Editor measured the same way (goal: not slower);
#  3. the longest main-loop stall while the 10,000 posts are listed
#     (goal: at most one frame, 16 ms);
#  4./5. counting with X's rule and typing in a long post;
#  6. the calendar with 10,020 posts (30 a day over eleven months): switching
#     month or week, and a drop, from the action to the end of the frame that
#     shows it (goal: 16 ms median);
#  7. the outbox: 1,000 due posts published by the app's sync engine to a
#     loopback Mastodon: posts per second, memory, and the longest main-loop
#     stall while it runs (goal: none over 16 ms).
#  8. the inbox with 1,000,000 messages: count + first page cold and warm
#     (goal: under 200 ms), pages deep in the list, search (goal: under
#     50 ms), a page of 100 new notifications stored (goal: under 5 ms) and
#     peak memory (goal: under 150 MB).
#
# Runs under its own Xvfb, with the cairo renderer (Xvfb has no GPU; GL on
# llvmpipe only measures shader compilation). Uses the build that
# build-aux/run-tests.sh installed into _build-tests/prefix.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
runs=${RUNS:-5}

build-aux/install-deps.sh --tests
for package in gnome-text-editor; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$package"
done
[ -d _build-tests ] || meson setup _build-tests --prefix="$top/_build-tests/prefix"
meson compile -C _build-tests >/dev/null
meson install -C _build-tests --quiet

prefix=$top/_build-tests/prefix
cli=$prefix/bin/socialdesk-cli
app=$prefix/bin/socialdesk
first_frame=$top/_build-tests/tests/bench/sd-first-frame
work=$(mktemp -d /tmp/sd-bench-XXXXXX)
xvfb_pid=""
trap '[ -n "$xvfb_pid" ] && kill $xvfb_pid 2>/dev/null; rm -rf "$work"' EXIT

echo "== machine"
echo "$(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB, $(uname -r)"

echo "== 1. import of 10,000 rows"
python3 - "$work/posts.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("scheduled_at,text,platforms\n")
    for i in range(10000):
        f.write(f"2027-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}:{i % 4 * 15:02d}:00+07:00,"
                f"\"Post {i}: promo akhir tahun, diskon {i % 70}%! #promo\nBaris kedua.\",x;instagram;facebook\n")
PY
for run in $(seq 3); do
  rm -rf "$work/import-data"
  start=$(date +%s%N)
  XDG_DATA_HOME="$work/import-data" "$cli" import "$work/posts.csv" >/dev/null
  end=$(date +%s%N)
  echo "import run $run: $(( (end - start) / 1000000 )) ms"
done
mkdir -p "$work/seed"
XDG_DATA_HOME="$work/seed" "$cli" import "$work/posts.csv" >/dev/null

exec 3<> "$work/displayfd"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
sleep 1
export DISPLAY=":$(head -n1 "$work/displayfd")"
export GSK_RENDERER=cairo NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory

# Each run: fresh home, settings, caches and session bus; the app gets a fresh copy of the 10,000 posts.
cat > "$work/fresh.sh" <<SH
#!/bin/sh
d=\$(mktemp -d "$work/run-XXXXXX")
mkdir -p -m 700 "\$d/run" "\$d/data"
export HOME="\$d" XDG_CONFIG_HOME="\$d/config" XDG_CACHE_HOME="\$d/cache" XDG_STATE_HOME="\$d/state"
export XDG_RUNTIME_DIR="\$d/run" XDG_DATA_HOME="\$d/data"
export XDG_DATA_DIRS="$prefix/share:/usr/local/share:/usr/share"
cp -r "$work/seed/socialdesk" "\$d/data/"
exec dbus-run-session -- "\$@"
SH
chmod +x "$work/fresh.sh"

echo "== 2. cold start to first frame ($runs runs each; GSK_RENDERER=cairo)"
echo "-- SocialDesk with 10,000 posts"
"$first_frame" --runs "$runs" -- "$work/fresh.sh" "$app" 2>"$work/sd.err" | tail -n1 || { echo "(SocialDesk measurement failed:)"; tail -3 "$work/sd.err"; }
echo "-- GNOME Text Editor $(dpkg-query -W -f='${Version}' gnome-text-editor)"
"$first_frame" --runs "$runs" -- "$work/fresh.sh" gnome-text-editor --standalone 2>"$work/gte.err" | tail -n1 || { echo "(GNOME Text Editor measurement failed:)"; grep -v dbus "$work/gte.err" | tail -3; }

echo "== 3. main-loop stalls while listing 10,000 posts (3 runs)"
for run in 1 2 3; do
  SOCIALDESK_BENCH_STALLS=1 timeout 60 "$work/fresh.sh" "$app" --view=posts 2>/dev/null | grep -E "^(posts|every|longest|  longest)" | sed "s/^/run $run: /"
done

echo "== 4. counting with X's rule: socialdesk-cli count --each-line vs twitter-text parseTweet"
npm_dir="$top/_build-bench"
if [ ! -d "$npm_dir/node_modules/twitter-text" ]; then
  mkdir -p "$npm_dir"
  (cd "$npm_dir" && npm install --silent --no-audit --no-fund twitter-text@3.1.0 >/dev/null)
fi
python3 build-aux/bench/gen-posts.py 100000 > "$work/posts.txt"
for run in 1 2 3; do
  NODE_PATH="$npm_dir/node_modules" node build-aux/bench/twitter-text-reference.js \
    "$work/posts.txt" "$work/reference.out" 2>&1 | sed "s/^/reference (node $(node --version)) run $run: /"
done
for run in 1 2 3; do
  start=$(date +%s%N)
  "$cli" count --platform x --each-line < "$work/posts.txt" > "$work/ours.out"
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  echo "socialdesk-cli run $run: 100000 posts in $ms ms (whole process): $(( 100000 * 1000 / (ms > 0 ? ms : 1) )) posts/s"
done
if cmp -s "$work/reference.out" "$work/ours.out"; then
  echo "the two agree on every post's length and validity"
else
  echo "DIFFERENT results:"; diff "$work/reference.out" "$work/ours.out" | head
fi

echo "== 5. typing in a 10,000-character post chosen for 5 networks (count + re-highlight per key)"
python3 - "$work/long.txt" <<'PY'
import random, sys
rng = random.Random(1)
words = "promo diskon akhir tahun belanja hemat https://tokoku.example.com/p @brand #sale tokoku.id/x 🎉".split()
text = ""
while len(text) < 10000:
    text += rng.choice(words) + " "
open(sys.argv[1], "w").write(text[:10000])
PY
mkdir -p "$work/long"
XDG_DATA_HOME="$work/long" "$cli" draft add --text - --platform x --platform bluesky --platform mastodon \
  --platform instagram --platform threads < "$work/long.txt" >/dev/null
cat > "$work/type.sh" <<SH
#!/bin/sh
XDG_DATA_HOME="$work/long" XDG_DATA_DIRS="$prefix/share:/usr/share" G_MESSAGES_DEBUG=socialdesk-composer \
  "$app" --view=posts > "$work/typing.log" 2>&1 &
sleep 3
xdotool mousemove 200 90 click 1
sleep 1.5
for round in 1 2 3; do
  xdotool mousemove 700 150 click 1
  sleep 0.3
  xdotool key End
  xdotool type --delay 120 "abcdefghij #tag "
  sleep 0.5
done
kill %1
SH
chmod +x "$work/type.sh"
dbus-run-session -- "$work/type.sh" >/dev/null 2>&1 || true
grep "Counted and highlighted" "$work/typing.log" | tail -n +2 | awk '{ print $(NF-1) }' | sort -n | awk '
  { v[NR] = $1 } END { if (NR == 0) { print "no keystrokes were measured"; exit }
    printf "per keystroke (%d keys): median %.2f ms, max %.2f ms\n", NR, v[int((NR + 1) / 2)], v[NR] }'
grep "updated readiness and previews" "$work/typing.log" | awk '{ print $(NF-1) }' | sort -n | tail -n1 |
  sed 's/^/when typing pauses, all networks, readiness and previews: max /; s/$/ ms/'

echo "== 6. the calendar: 10,020 posts, 30 a day (Month shows 42 days, Week 7)"
python3 - "$work/calendar.csv" <<'PY'
import datetime, sys
networks = ["x;instagram", "facebook", "linkedin;x", "youtube", "tiktok;instagram", "bluesky;mastodon"]
with open(sys.argv[1], "w") as f:
    f.write("scheduled_at,text,platforms\n")
    first, n = datetime.date(2027, 1, 1), 0
    for day in range(334):
        for k in range(30):
            minute = 6 * 60 + k * 35
            at = datetime.datetime.combine(first + datetime.timedelta(days=day),
                                           datetime.time(minute // 60, minute % 60))
            f.write(f'{at:%Y-%m-%dT%H:%M},"Post {n}: promo akhir tahun #promo {k}",{networks[(day + k) % 6]}\n')
            n += 1
PY
mkdir -p "$work/calendar-seed"
XDG_DATA_HOME="$work/calendar-seed" "$cli" import "$work/calendar.csv"
for run in 1 2 3; do
  d=$(mktemp -d "$work/cal-XXXXXX")
  mkdir -p -m 700 "$d/run" "$d/data"
  cp -r "$work/calendar-seed/socialdesk" "$d/data/"
  HOME="$d" XDG_CONFIG_HOME="$d/config" XDG_CACHE_HOME="$d/cache" XDG_RUNTIME_DIR="$d/run" \
    XDG_DATA_HOME="$d/data" XDG_DATA_DIRS="$prefix/share:/usr/local/share:/usr/share" \
    SOCIALDESK_BENCH_CALENDAR=1 timeout 120 dbus-run-session -- "$app" --date=2027-03-15 2>/dev/null \
    | grep -E "median|shown" | sed "s/^/run $run: /"
done

echo "== 7. the outbox: 1,000 due posts to a loopback Mastodon through SdSyncEngine (3 runs)"
for run in 1 2 3; do
  bash tests/with-keyring.sh "$top/_build-tests/tests/bench/sd-outbox-bench" 1000 2>/dev/null \
    | grep -E "^(posts|memory|main loop):" | sed "s/^/run $run: /"
done

echo "== 8. the inbox: 1,000,000 messages in the store (sd-inbox-bench)"
TMPDIR="$work" "$top/_build-tests/tests/bench/sd-inbox-bench" 1000000
