#!/usr/bin/env python3
# test-cli-bluesky.py — a Bluesky account and its posts through the installed socialdesk-cli
#
# Against Bluesky's own PDS (started by tests/test-bluesky.sh, which hands its details over in
# SD_BLUESKY_PEER_INFO) with a real keyring (tests/with-keyring.sh): a wrong app password is
# refused clearly; the right one connects; a post with a mention, a link, a tag and an image
# with alt text, and a thread of two, go out through `sync` — read back from the PDS field by
# field — and a second `sync` sends nothing again.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import subprocess
import sys
import unittest
import urllib.parse
import urllib.request

BINDIR = os.environ.get("SD_BINDIR", "")
CLI = os.path.join(BINDIR, "socialdesk-cli")
SOURCE = os.environ.get("SD_SOURCE_DIR", os.path.join(os.path.dirname(__file__), ".."))
KNOWN_SECRETS = os.environ.get("SD_KNOWN_SECRETS")


def remember_secret(value):
    if KNOWN_SECRETS and value:
        with open(KNOWN_SECRETS, "a") as f:
            f.write(value + "\n")


def byte_span(text, part):
    start = text.encode().index(part.encode())
    return start, start + len(part.encode())


class BlueskyCliTest(unittest.TestCase):
    def setUp(self):
        self.peer = json.loads(os.environ["SD_BLUESKY_PEER_INFO"])
        self.pds = self.peer["pds_url"]
        self.alice = self.peer["alice"]
        self.bob = self.peer["bob"]
        remember_secret(self.alice["app_password"])
        self.env = dict(os.environ, LANGUAGE="en", LC_ALL="C.UTF-8")

    def run_cli(self, *args, stdin=None, check=True):
        result = subprocess.run([CLI, *args], input=stdin, capture_output=True, text=True,
                                env=self.env, timeout=120)
        if check and result.returncode != 0:
            self.fail(f"{args} failed ({result.returncode}): {result.stderr}{result.stdout}")
        return result

    def records(self):
        query = urllib.parse.urlencode({"repo": self.alice["did"], "collection": "app.bsky.feed.post",
                                        "limit": 100})
        with urllib.request.urlopen(f"{self.pds}/xrpc/com.atproto.repo.listRecords?{query}", timeout=10) as r:
            return json.loads(r.read())["records"]

    def test_sign_in_and_publish(self):
        add = ["accounts", "add", "bluesky", "--service", self.pds, "--handle", "alice.test", "--app-password", "-"]

        wrong = self.run_cli(*add, stdin="abcd-efgh-ijkl-mnop\n", check=False)
        self.assertEqual(wrong.returncode, 1)
        self.assertIn("app password", wrong.stderr)
        self.assertEqual(json.loads(self.run_cli("accounts", "list", "--json").stdout), [])

        out = self.run_cli(*add, stdin=self.alice["app_password"] + "\n").stdout
        self.assertIn("Connected @alice.test (Bluesky)", out)
        account = json.loads(self.run_cli("accounts", "list", "--json").stdout)[0]
        self.assertEqual((account["network"], account["remote_id"]), ("bluesky", self.alice["did"]))
        secret = json.loads(subprocess.run(["secret-tool", "lookup", "account-id", account["id"], "kind", "account"],
                                           capture_output=True, text=True, check=True).stdout)
        for key in ("access_token", "refresh_token", "app_password"):
            remember_secret(secret.get(key))

        image = os.path.join(os.environ.get("SD_TEST_WORK", "/tmp"), "square.png")
        subprocess.run([sys.executable, os.path.join(SOURCE, "tests", "gui", "make-png.py"), image], check=True)
        text = "Halo @bob.test! Katalog baru di example.com/katalog #PromoAkhirTahun"
        self.run_cli("draft", "add", "--text", text, "--media", image, "--alt", "A colour gradient",
                     "--to", "alice.test", "--at", "now")
        self.run_cli("draft", "add", "--text", "Bagian satu\n---\nBagian dua", "--to", "alice.test", "--at", "now")

        report = json.loads(self.run_cli("sync", "--json").stdout)
        self.assertEqual(report["published"], 2, report)
        records = {r["value"]["text"]: r for r in self.records()}
        self.assertEqual(len(records), 3)

        post = records[text]["value"]
        facets = {f["features"][0]["$type"]: (f["index"]["byteStart"], f["index"]["byteEnd"], f["features"][0])
                  for f in post["facets"]}
        mention = facets["app.bsky.richtext.facet#mention"]
        self.assertEqual(mention[:2], byte_span(text, "@bob.test"))
        self.assertEqual(mention[2]["did"], self.bob["did"])
        link = facets["app.bsky.richtext.facet#link"]
        self.assertEqual(link[:2], byte_span(text, "example.com/katalog"))
        self.assertEqual(link[2]["uri"], "https://example.com/katalog")
        tag = facets["app.bsky.richtext.facet#tag"]
        self.assertEqual(tag[:2], byte_span(text, "#PromoAkhirTahun"))
        self.assertEqual(tag[2]["tag"], "PromoAkhirTahun")
        image_embed = post["embed"]["images"][0]
        self.assertEqual(post["embed"]["$type"], "app.bsky.embed.images")
        self.assertEqual(image_embed["alt"], "A colour gradient")
        self.assertEqual(image_embed["aspectRatio"], {"width": 320, "height": 240})
        self.assertEqual(image_embed["image"]["mimeType"], "image/png")

        first, second = records["Bagian satu"], records["Bagian dua"]
        self.assertNotIn("reply", first["value"])
        self.assertEqual(second["value"]["reply"]["root"], {"uri": first["uri"], "cid": first["cid"]})
        self.assertEqual(second["value"]["reply"]["parent"], {"uri": first["uri"], "cid": first["cid"]})

        # Exactly once: nothing is due any more.
        self.assertEqual(json.loads(self.run_cli("sync", "--json").stdout)["published"], 0)
        self.assertEqual(len(self.records()), 3)

        listed = json.loads(self.run_cli("list", "--json").stdout)
        self.assertEqual(sorted(p["state"] for p in listed), ["published", "published"])


if __name__ == "__main__":
    if not KNOWN_SECRETS:
        print("SKIP: needs a keyring; run through tests/with-keyring.sh")
        sys.exit(77)
    unittest.main(verbosity=2)
