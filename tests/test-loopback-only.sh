#!/bin/bash
# test-loopback-only.sh — the tests run where only loopback exists, so none can reach beyond it
#
# The README's test command runs the suite inside `unshare --net` (a network
# namespace holding nothing but lo); this checks that it really does.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -u

interfaces=$(awk -F: 'NR > 2 { gsub(/ /, "", $1); print $1 }' /proc/net/dev)
echo "network interfaces: $interfaces"

if [ "$interfaces" != "lo" ]; then
  echo "FAIL: interfaces other than loopback are reachable; run the tests through build-aux/run-tests.sh"
  exit 1
fi

if [ -s /proc/net/route ] && [ "$(awk 'NR > 1' /proc/net/route | wc -l)" -gt 0 ]; then
  echo "FAIL: there is an IPv4 route beyond loopback:"
  cat /proc/net/route
  exit 1
fi

echo "ok: only loopback"
