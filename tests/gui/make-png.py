#!/usr/bin/env python3
# make-png.py FILE — writes a 320×240 gradient PNG (standard library only) for the GUI tests
#
# SPDX-License-Identifier: GPL-3.0-or-later
import struct
import sys
import zlib

W, H = 320, 240
rows = (b"\x00" + b"".join(bytes((x * 255 // W, 110, y * 255 // H)) for x in range(W)) for y in range(H))


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


with open(sys.argv[1], "wb") as out:
    out.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0))
              + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b""))
