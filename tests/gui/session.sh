# session.sh — sourced by the GUI tests: a display and a session bus of their own
#
#   . "$HERE/session.sh"
#   gui_session NAME "$0" "$@"      # runs the test again inside; returns only there
#
# Outside, it checks the tools (and the Python modules in $GUI_PY_MODULES), starts
# Xvfb on a free display and runs the test once more under dbus-run-session, so the
# app and the AT-SPI checks share one bus. Inside, it sets a fresh home, data and
# settings, the cairo renderer and English; $WORK, $SHOTS and $PY are set.
#
# SPDX-License-Identifier: GPL-3.0-or-later

# Debian's python3 has pyatspi and icalendar (a python3 earlier on PATH, e.g. pyenv's, may not).
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

gui_session() {
  local name=$1 script=$2 work display xvfb_pid
  shift 2

  if [ "${1:-}" = "--inside" ]; then
    export HOME="$WORK/home" XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config"
    export XDG_CACHE_HOME="$WORK/cache" XDG_RUNTIME_DIR="$WORK/run"
    export XDG_DATA_DIRS="$SD_DATADIR:/usr/local/share:/usr/share"
    export GSETTINGS_BACKEND=keyfile GSK_RENDERER=cairo LC_ALL=C.UTF-8 LANGUAGE=en
    unset NO_AT_BRIDGE
    mkdir -p "$HOME"
    SHOTS="$SD_BUILD_DIR/screenshots"
    mkdir -p "$SHOTS"
    return 0
  fi

  for tool in Xvfb xdotool import dbus-run-session; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed"; exit 1; }
  done
  for module in pyatspi ${GUI_PY_MODULES:-}; do
    "$PY" -c "import $module" 2>/dev/null || { echo "FAIL: the Python module $module is not installed"; exit 1; }
  done
  [ -x "$SD_BINDIR/socialdesk" ] || { echo "FAIL: $SD_BINDIR/socialdesk is missing: run meson install first"; exit 1; }

  work=$(mktemp -d "/tmp/sd-$name-XXXXXX")
  exec 3<> "$work/displayfd"
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
  xvfb_pid=$!
  # shellcheck disable=SC2064
  trap "kill $xvfb_pid 2>/dev/null || true; rm -rf '$work'" EXIT
  for _ in $(seq 50); do
    display=$(head -n1 "$work/displayfd" 2>/dev/null || true)
    [ -n "$display" ] && break
    sleep 0.1
  done
  [ -n "$display" ] || { echo "FAIL: Xvfb did not start"; cat "$work/xvfb.log"; exit 1; }
  mkdir -p "$work/run" "$work/home" && chmod 700 "$work/run"
  # The bus's own services (the AT-SPI bus launcher) get this home and runtime folder too:
  # otherwise its socket is $HOME/.cache/at-spi/bus_<display>, which a test in another
  # network namespace with the same display number shares, and removes.
  HOME="$work/home" XDG_RUNTIME_DIR="$work/run" DISPLAY=":$display" WORK="$work" \
    dbus-run-session -- bash "$script" --inside
  exit $?
}
