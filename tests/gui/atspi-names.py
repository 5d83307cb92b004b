#!/usr/bin/env python3
# atspi-names.py — prints "role<TAB>name" for every named widget of the running SocialDesk
#
# What a screen reader would find: the tests grep it for counters and readiness.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import pyatspi


def walk(node):
    try:
        name, role = node.name, node.getRoleName()
    except Exception:
        return
    if name:
        print(f"{role}\t{name}")
    for i in range(node.childCount):
        try:
            walk(node.getChildAtIndex(i))
        except Exception:
            pass


for app in pyatspi.Registry.getDesktop(0):
    if app is not None and app.name and "socialdesk" in app.name.lower():
        walk(app)
