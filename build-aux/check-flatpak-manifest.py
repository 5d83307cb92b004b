#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the SocialDesk Flatpak manifest against the project's sandbox policy.

Usage: check-flatpak-manifest.py MANIFEST.json
Exits 0 when the manifest passes, 1 (printing every violation) when it does not.
"""

import json
import sys

APP_ID = "com.example.SocialDesk"
COMMAND = "socialdesk"
RUNTIME = "org.gnome.Platform"
SDK = "org.gnome.Sdk"

REQUIRED_FINISH_ARGS = [
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
]
ALLOWED_SHARES = {"network", "ipc"}
FORBIDDEN_SOCKETS = {"x11", "session-bus", "system-bus"}
NAME_OPTIONS = ("--talk-name", "--own-name", "--system-talk-name", "--system-own-name")


def split_arg(arg):
    """Return (option, value) for '--opt=value' or ('--opt', None)."""
    if "=" in arg:
        option, value = arg.split("=", 1)
        return option, value
    return arg, None


def check_finish_args(finish_args, errors):
    if not isinstance(finish_args, list) or not all(isinstance(a, str) for a in finish_args):
        errors.append("finish-args must be a list of strings")
        return

    for required in REQUIRED_FINISH_ARGS:
        if required not in finish_args:
            errors.append(f"finish-args is missing required {required}")

    for arg in finish_args:
        option, value = split_arg(arg)
        if option == "--filesystem":
            errors.append(f"finish-args must not grant file system access: {arg}")
        elif option == "--socket" and value in FORBIDDEN_SOCKETS:
            errors.append(f"finish-args must not use {arg}")
        elif option in NAME_OPTIONS:
            errors.append(f"finish-args must not open D-Bus names (portals need none): {arg}")
        elif option == "--device" and value != "dri":
            errors.append(f"finish-args must not use {arg} (only --device=dri)")
        elif option == "--share" and value not in ALLOWED_SHARES:
            errors.append(f"finish-args must not use {arg} (only network and ipc)")


def check_last_module(modules, errors):
    if not isinstance(modules, list) or not modules:
        errors.append("modules must be a non-empty list")
        return
    last = modules[-1]
    if not isinstance(last, dict):
        errors.append("the last module must be an object, not a reference to another file")
        return
    name = last.get("name", "<unnamed>")
    if last.get("buildsystem") != "meson":
        errors.append(f"module {name!r} must use buildsystem meson, found {last.get('buildsystem')!r}")
    sources = last.get("sources")
    if not isinstance(sources, list) or not any(
        isinstance(s, dict) and s.get("type") == "dir" and isinstance(s.get("path"), str)
        for s in sources
    ):
        errors.append(f"module {name!r} must build from a local source of type 'dir'")


def check(manifest):
    errors = []
    if not isinstance(manifest, dict):
        return ["the manifest must be a JSON object"]

    app_id = manifest.get("app-id", manifest.get("id"))
    if app_id != APP_ID:
        errors.append(f"app-id must be {APP_ID!r}, found {app_id!r}")
    if manifest.get("command") != COMMAND:
        errors.append(f"command must be {COMMAND!r}, found {manifest.get('command')!r}")
    if manifest.get("runtime") != RUNTIME:
        errors.append(f"runtime must be {RUNTIME!r}, found {manifest.get('runtime')!r}")
    runtime_version = manifest.get("runtime-version")
    if not isinstance(runtime_version, str) or not runtime_version.strip():
        errors.append("runtime-version must be set to a non-empty string")
    if manifest.get("sdk") != SDK:
        errors.append(f"sdk must be {SDK!r}, found {manifest.get('sdk')!r}")

    check_finish_args(manifest.get("finish-args", []), errors)
    check_last_module(manifest.get("modules"), errors)
    return errors


def main(argv):
    if len(argv) != 2:
        print(f"usage: {argv[0]} MANIFEST.json", file=sys.stderr)
        return 2
    path = argv[1]
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except OSError as e:
        print(f"{path}: cannot read: {e.strerror}", file=sys.stderr)
        return 1
    except json.JSONDecodeError as e:
        print(f"{path}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}", file=sys.stderr)
        return 1

    errors = check(manifest)
    for error in errors:
        print(f"{path}: {error}", file=sys.stderr)
    if errors:
        return 1
    print(f"{path}: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
