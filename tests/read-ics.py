#!/usr/bin/env python3
# read-ics.py FILE — reads an iCalendar file with the icalendar library (as calendar apps would)
# and prints its events as JSON: uid, start, end (UTC ISO-8601), summary, description, categories.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import sys

import icalendar

with open(sys.argv[1], "rb") as f:
    calendar = icalendar.Calendar.from_ical(f.read())

events = []
for event in calendar.walk("VEVENT"):
    categories = event.get("CATEGORIES")
    events.append({
        "uid": str(event["UID"]),
        "start": event.decoded("DTSTART").strftime("%Y-%m-%dT%H:%M:%SZ"),
        "end": event.decoded("DTEND").strftime("%Y-%m-%dT%H:%M:%SZ"),
        "summary": str(event["SUMMARY"]),
        "description": str(event["DESCRIPTION"]),
        "categories": [str(c) for c in categories.cats] if categories is not None else [],
    })
print(json.dumps(events))
