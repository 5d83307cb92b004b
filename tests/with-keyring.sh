#!/bin/bash
# with-keyring.sh — runs a test with a real keyring, then looks for its secrets where they must not be
#
#   with-keyring.sh PROGRAM [ARG…]
#
# A private session bus with gnome-keyring (unlocked), a temporary HOME and XDG folders. The
# test writes every secret it used (tokens, passwords), one per line, to $SD_KNOWN_SECRETS;
# afterwards none of them may appear in the data folder (the SQLite store and media), the
# config folder (GSettings' keyfile, if any), the cache, or anything the test printed.
# Exits 77 (skipped) when dbus-run-session or gnome-keyring-daemon is missing.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -uo pipefail

for tool in dbus-run-session gnome-keyring-daemon gdbus; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool is not installed (Debian: dbus-bin, gnome-keyring, libglib2.0-bin)"
    exit 77
  fi
done

# Test peers stay in the real cache, installed there before the home changes.
peer_install="$(cd "$(dirname "$0")" && pwd)/peers/bluesky/install.sh"
if [ -z "${SD_BLUESKY_PEER_DIR:-}" ] && [ -x "$peer_install" ]; then
  SD_BLUESKY_PEER_DIR=$("$peer_install" --dir)
  export SD_BLUESKY_PEER_DIR
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export HOME="$work/home"
export XDG_DATA_HOME="$HOME/.local/share"
export XDG_CONFIG_HOME="$HOME/.config"
export XDG_CACHE_HOME="$HOME/.cache"
export XDG_RUNTIME_DIR="$work/run"
export SD_KNOWN_SECRETS="$work/known-secrets"
export SD_TEST_WORK="$work"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME"
chmod 700 "$XDG_RUNTIME_DIR"
: > "$SD_KNOWN_SECRETS"
unset DBUS_SESSION_BUS_ADDRESS

dbus-run-session -- bash -c '
  set -e
  echo -n test-keyring-password | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
  gdbus wait --session --timeout 10 org.freedesktop.secrets
  exec "$@"
' with-keyring "$@" > >(tee "$work/output.log") 2> >(grep --line-buffered -v "Failed to set fd limit" | tee "$work/errors.log" >&2)
status=$?
wait

# The keyring file itself is where they belong; everything else must be clean.
leaks=0
while IFS= read -r secret; do
  [ -n "$secret" ] || continue
  for place in "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$work/output.log" "$work/errors.log"; do
    [ -e "$place" ] || continue
    if grep -rqaF --exclude-dir=keyrings -- "$secret" "$place"; then
      echo "# FAIL: a secret (${secret:0:4}…) was found in $place"
      leaks=$((leaks + 1))
    fi
  done
done < "$SD_KNOWN_SECRETS"

checked=$(grep -c . "$SD_KNOWN_SECRETS")
if [ "$status" -eq 0 ] && [ "$leaks" -eq 0 ]; then
  echo "# $checked known secrets appear nowhere but the keyring"
fi
[ "$leaks" -eq 0 ] || exit 1
exit $status
