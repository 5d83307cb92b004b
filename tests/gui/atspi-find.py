#!/usr/bin/env python3
# atspi-find.py [--prefix] [--focus] NAME — prints "x y width height" of SocialDesk's first
# widget named NAME (with --prefix, whose name starts with NAME), in screen coordinates
#
# The calendar tests find days and cards as a screen reader does: a day by its full date,
# a card by its time and text.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import sys

import pyatspi

args = sys.argv[1:]
prefix = "--prefix" in args
focus = "--focus" in args
wanted = [a for a in args if not a.startswith("--")][-1]


def matches(name):
    return name is not None and (name.startswith(wanted) if prefix else name == wanted)


def find(node, depth=0):
    try:
        # GTK 4.8 marks widgets "visible" but not "showing": take the first one on screen.
        if matches(node.name) and node.getState().contains(pyatspi.STATE_VISIBLE):
            box = node.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
            if box.width > 0 and box.height > 0:
                return node
        for i in range(node.childCount):
            found = find(node.getChildAtIndex(i), depth + 1)
            if found is not None:
                return found
    except Exception:
        pass
    return None


for app in pyatspi.Registry.getDesktop(0):
    if app is not None and app.name and "socialdesk" in app.name.lower():
        widget = find(app)
        if widget is not None:
            if focus:
                widget.queryComponent().grabFocus()
            box = widget.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
            print(box.x, box.y, box.width, box.height)
            sys.exit(0)
sys.exit(1)
