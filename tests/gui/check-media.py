#!/usr/bin/env python3
# check-media.py JSON — the composer test's image: one, with its alt text, kept in SocialDesk's copy
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import sys

media = json.loads(sys.argv[1])[0]["media"]
assert len(media) == 1, media
image = media[0]
assert image["alt_text"] == "A gradient from green to purple", image
assert (image["width"], image["height"], image["mime_type"]) == (320, 240, "image/png"), image
assert os.path.exists(image["file"]), image
assert "/socialdesk/media/" in image["file"], image
