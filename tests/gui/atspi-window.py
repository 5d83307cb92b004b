#!/usr/bin/env python3
# atspi-window.py [--states|--text] WINDOW ROLE NAME — finds the first shown widget with that role
# and name in SocialDesk's window (or dialog) titled WINDOW and prints "x y", its centre; with
# --states, its states ("checked sensitive …"); with --text, the text it holds (an entry's)
#
# A dialog's widgets have the names of widgets in the main window ("Instagram", "Cancel"): this
# looks inside the one window. A button is also found by its label (libadwaita names a dialog's
# response buttons "_Export… Export…"). Coordinates are the window's own, as GTK gives them; add
# the window's position on the screen (xdotool getwindowgeometry).
#
# SPDX-License-Identifier: GPL-3.0-or-later
import sys

import pyatspi


def named(node, name):
    if name == "" or node.name == name:
        return True
    for i in range(node.childCount):
        child = node.getChildAtIndex(i)
        if child is not None and child.getRoleName() == "label" and child.name == name:
            return True
    return False


def find(node, role, name):
    try:
        if node.getRoleName() == role and named(node, name):
            box = node.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
            if box.width > 0 and box.height > 0:
                return node
        for i in range(node.childCount):
            found = find(node.getChildAtIndex(i), role, name)
            if found is not None:
                return found
    except Exception:
        pass
    return None


def window(title):
    for app in pyatspi.Registry.getDesktop(0):
        if app is not None and app.name and "socialdesk" in app.name.lower():
            for i in range(app.childCount):
                win = app.getChildAtIndex(i)
                if win is not None and win.name == title:
                    return win
    return None


mode = sys.argv[1] if sys.argv[1] in ("--states", "--text") else None
title, role, name = sys.argv[-3:]
win = window(title)
widget = find(win, role, name) if win is not None else None
if widget is None:
    sys.exit(1)

if mode == "--states":
    print(" ".join(pyatspi.stateToString(s) for s in widget.getState().getStates()))
elif mode == "--text":
    text = widget.queryText()
    print(text.getText(0, text.characterCount))
else:
    box = widget.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    print(box.x + box.width // 2, box.y + box.height // 2)
