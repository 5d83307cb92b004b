#!/usr/bin/env python3
# atspi-center.py [--focus] NAME — prints "x y", the screen centre of SocialDesk's first widget
# named NAME (with --focus, gives it the keyboard focus first, which scrolls it into view)
#
# Lets a test reach a widget wherever the layout put it, as a screen reader user would find it.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import sys

import pyatspi


def find(node, name):
    try:
        if node.name == name:
            return node
        for i in range(node.childCount):
            found = find(node.getChildAtIndex(i), name)
            if found is not None:
                return found
    except Exception:
        pass
    return None


for app in pyatspi.Registry.getDesktop(0):
    if app is not None and app.name and "socialdesk" in app.name.lower():
        focus = sys.argv[1] == "--focus"
        widget = find(app, sys.argv[-1])
        if widget is not None:
            if focus:
                widget.queryComponent().grabFocus()
            box = widget.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
            print(box.x + box.width // 2, box.y + box.height // 2)
            sys.exit(0)
sys.exit(1)
