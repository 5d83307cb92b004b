#!/bin/bash
# run-tests.sh — installs what is missing, builds SocialDesk and runs every test
#
# The build is installed into _build-tests/prefix and the tests run against
# those installed files (binaries, translations, settings schema), inside a
# network namespace with nothing but loopback. Ends with one line:
#   tests: N passed, N failed, N skipped
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -uo pipefail
cd "$(dirname "$0")/.."
top=$PWD
build=_build-tests

build-aux/install-deps.sh --tests || { echo "tests: 0 passed, 1 failed"; exit 1; }
# Bluesky's own servers from npm, for test-bluesky (which is skipped without them):
# installed here, while the network is still there, into a cache reused across runs.
tests/peers/bluesky/install.sh \
  || echo "warning: the Bluesky test peer could not be installed; test-bluesky will be skipped"
SD_BLUESKY_PEER_DIR=$(tests/peers/bluesky/install.sh --dir)
export SD_BLUESKY_PEER_DIR

if [ ! -d "$build" ]; then
  meson setup "$build" --prefix="$top/$build/prefix" || { echo "tests: 0 passed, 1 failed"; exit 1; }
fi
if ! meson compile -C "$build" || ! meson install -C "$build" --quiet; then
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

# Nothing but loopback: no test can reach another host, by construction.
isolate=()
if unshare --net true 2>/dev/null; then
  isolate=(unshare --net sh -c 'ip link set lo up 2>/dev/null || ifconfig lo up; exec "$@"' isolate)
else
  echo "warning: cannot make a network namespace (needs root); test-loopback-only will fail"
fi

"${isolate[@]}" meson test -C "$build" --print-errorlogs --num-processes 2 "$@"
status=$?

python3 - "$build/meson-logs/testlog.json" <<'PY'
import json, sys
counts = {"OK": 0, "FAIL": 0, "SKIP": 0}
for line in open(sys.argv[1]):
    result = json.loads(line)["result"]
    key = {"EXPECTEDFAIL": "OK", "UNEXPECTEDPASS": "FAIL", "TIMEOUT": "FAIL", "ERROR": "FAIL"}.get(result, result)
    counts[key] = counts.get(key, 0) + 1
print(f"tests: {counts['OK']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped")
PY
exit $status
