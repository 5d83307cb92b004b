#!/bin/bash
# install-deps.sh — installs what SocialDesk needs on Debian 12, only what is missing
#
#   build-aux/install-deps.sh          to build and run the app
#   build-aux/install-deps.sh --tests  also what the tests need (Xvfb, xdotool, …)
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

packages=(
  build-essential meson ninja-build pkg-config gettext
  libglib2.0-dev libglib2.0-dev-bin libgtk-4-dev libadwaita-1-dev
  libsoup-3.0-dev libjson-glib-dev libsqlite3-dev libsecret-1-dev
  libgdk-pixbuf-2.0-dev libxml2-dev shared-mime-info libx11-dev libxi-dev
  desktop-file-utils appstream dbus adwaita-icon-theme fonts-cantarell
)
if [ "${1:-}" = "--tests" ]; then
  packages+=(
    python3 python3-pyatspi python3-icalendar gir1.2-atspi-2.0 at-spi2-core sqlite3 xvfb xauth xdotool imagemagick
    iproute2 util-linux procps locales postgresql
    gnome-keyring libsecret-tools dbus-daemon dbus-bin curl
    libx11-dev libxdamage-dev
  )
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

# The GUI test also runs in Indonesian as a person there would: LANG=id_ID.UTF-8.
ensure_locale() {
  locale -a 2>/dev/null | grep -qi '^id_ID.utf8$' && return 0
  $sudo sed -i 's/^# *id_ID.UTF-8 UTF-8/id_ID.UTF-8 UTF-8/' /etc/locale.gen
  grep -q '^id_ID.UTF-8 UTF-8' /etc/locale.gen || echo 'id_ID.UTF-8 UTF-8' | $sudo tee -a /etc/locale.gen >/dev/null
  $sudo locale-gen >/dev/null
}

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ "${1:-}" = "--tests" ]; then
  ensure_locale
fi
