#!/usr/bin/env python3
# atspi-widget.py [--in WINDOW] [--contains] NAME center|enabled|text|click|focus — one widget of SocialDesk, as a
# screen reader finds it: its screen centre ("x y"), whether it can be used ("yes"/"no"), its text,
# a click through its accessible action or the keyboard focus
#
# GTK 4.8 reports positions inside its own surface only ("Screen coordinates not supported"):
# "center" is right in the main window, which sits at 0,0; in popovers and dialogs use click
# and focus, which need no position.
#
# NAME is the whole accessible name, or with --contains a part of it; --in looks only inside the
# window of that title (a dialog over the main window). Only widgets on screen
# count (GTK 4.8 marks hidden pages "visible" too, so the size is looked at).
#
# SPDX-License-Identifier: GPL-3.0-or-later
import sys

import pyatspi

args = sys.argv[1:]
contains = "--contains" in args
args = [a for a in args if a != "--contains"]
window = None
if args[0] == "--in":
    window, args = args[1], args[2:]
wanted, what = args[0], args[1]


def matches(name):
    if not name:
        return False
    return wanted in name if contains else name == wanted


def on_screen(node):
    try:
        if not node.getState().contains(pyatspi.STATE_VISIBLE):
            return False
        box = node.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        return box.width > 0 and box.height > 0
    except Exception:
        return False


def find(node):
    try:
        if matches(node.name) and on_screen(node):
            return node
        for i in range(node.childCount):
            found = find(node.getChildAtIndex(i))
            if found is not None:
                return found
    except Exception:
        pass
    return None


for app in pyatspi.Registry.getDesktop(0):
    if app is None or not app.name or "socialdesk" not in app.name.lower():
        continue
    root = app
    if window is not None:
        root = next((app.getChildAtIndex(i) for i in range(app.childCount)
                     if app.getChildAtIndex(i).name == window), None)
        if root is None:
            continue
    widget = find(root)
    if widget is None:
        continue
    if what == "center":
        box = widget.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        print(box.x + box.width // 2, box.y + box.height // 2)
    elif what == "enabled":
        state = widget.getState()
        # GTK 4.8 says SENSITIVE for a widget that can be used (ENABLED it never sets).
        usable = state.contains(pyatspi.STATE_SENSITIVE)
        print("yes" if usable else "no")
        if "--debug" in sys.argv:
            print(state.getStates(), file=sys.stderr)
    elif what == "text":
        text = widget.queryText()
        print(text.getText(0, -1))
    elif what == "click":
        action = widget.queryAction()
        action.doAction(0)
    elif what == "focus":
        widget.queryComponent().grabFocus()
    sys.exit(0)
sys.exit(1)
