#!/bin/bash
# test-secrets.sh — sd-secrets against a real gnome-keyring on a private session bus, and
# with no Secret Service at all
#
# Everything happens under a temporary HOME and XDG folders: the user's own keyring is never
# touched. Exits 77 (skipped) when dbus-run-session or gnome-keyring-daemon is missing.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

test_program=${1:?usage: test-secrets.sh PATH-TO-test-secrets}

for tool in dbus-run-session dbus-daemon gnome-keyring-daemon gdbus; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool is not installed (Debian: dbus-bin, dbus-daemon, gnome-keyring, libglib2.0-bin)"
    exit 77
  fi
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A fresh, private set of user folders; no display, so no prompt can appear.
use_home () {
  export HOME="$work/$1"
  export XDG_DATA_HOME="$HOME/.local/share"
  export XDG_CONFIG_HOME="$HOME/.config"
  export XDG_CACHE_HOME="$HOME/.cache"
  export XDG_RUNTIME_DIR="$work/$1-run"
  mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"
}
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS

assert_nothing_written () {
  local written
  written=$(find "$HOME" "$XDG_RUNTIME_DIR" -type f)
  if [ -n "$written" ]; then
    echo "FAIL: files were written without a keyring:"
    echo "$written"
    exit 1
  fi
}

echo "# with gnome-keyring (unlocked with a password on stdin)"
use_home keyring
# --daemonize returns before the daemon owns its bus name: wait for it, so that D-Bus
# activation does not start a second one.
SD_TEST_SECRETS_MODE=keyring dbus-run-session -- bash -c '
  set -e
  echo -n test-password | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
  gdbus wait --session --timeout 10 org.freedesktop.secrets
  exec "$1"
' test-secrets "$test_program" 2> >(grep -v "Failed to set fd limit" >&2)
if [ ! -f "$XDG_DATA_HOME/keyrings/login.keyring" ]; then
  echo "FAIL: the test keyring is not in the temporary home; which keyring was used?"
  exit 1
fi

echo "# a session bus where no Secret Service can be started"
use_home bus-without-keyring
cat > "$work/no-keyring-bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=$work</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
SD_TEST_SECRETS_MODE=no-service dbus-run-session --config-file="$work/no-keyring-bus.conf" \
  -- "$test_program" 2> >(grep -v "Failed to set fd limit" >&2)
assert_nothing_written

echo "# no session bus at all"
use_home no-bus
SD_TEST_SECRETS_MODE=no-service "$test_program"
assert_nothing_written

echo "ok: sd-secrets with a keyring, without a Secret Service, without a bus"
