#!/usr/bin/env python3
# gen-posts.py — N realistic posts, one per line (line breaks inside as backslash-n)
#
# A deterministic mix: plain text, links with and without a scheme, mentions,
# hashtags, cashtags, emoji (with ZWJ sequences and skin tones), CJK, Indonesian.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import random
import sys

count = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
rng = random.Random(2026)
words = ("promo diskon akhir tahun belanja hemat gratis ongkir hari ini saja the new collection "
         "is here check out our store launch event join us tomorrow").split()
extras = ["https://tokoku.example.com/promo?utm_source=x", "tokoku.id/sale", "@brand_id", "@alice",
          "#YearEndSale", "#diskon", "$AAPL", "🎉", "👍🏽", "👩‍👩‍👧", "🇮🇩", "日本語のテキスト", "—", "café"]
out = sys.stdout
for i in range(count):
    parts = [rng.choice(words) for _ in range(rng.randint(5, 40))]
    for _ in range(rng.randint(0, 4)):
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(extras))
    text = " ".join(parts)
    if i % 7 == 0:
        text = text.replace(" ", "\\n", 1)
    out.write(text + "\n")
