#!/bin/bash
# run-app.sh — installs what is missing, builds and installs SocialDesk, and starts it
#
# Installs into /usr/local (the prefix can be changed with PREFIX=…), so the
# app appears among your applications and socialdesk-cli is on your PATH.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=${PREFIX:-/usr/local}
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

build-aux/install-deps.sh
[ -d _build-app ] || meson setup _build-app --prefix="$prefix" --buildtype=release
meson compile -C _build-app
$sudo meson install -C _build-app --quiet
exec "$prefix/bin/socialdesk" "$@"
