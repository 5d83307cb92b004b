#!/usr/bin/env python3
# test-cli-inbox.py — socialdesk-cli inbox and reply through the real, installed binary
#
# Messages are put in the store as a fetch would leave them (the network side is
# tests/test-inbox-sync.c's); here: listing and its filters, JSON with links,
# the flags, the conversation, a reply queued (and refused when too long), and
# inbox sync with no network to reach.
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import sqlite3
import subprocess
import tempfile
import time
import unittest
import uuid

BINDIR = os.environ.get("SD_BINDIR", "")
CLI = os.path.join(BINDIR, "socialdesk-cli")


class CliInboxTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="sd-test-cli-inbox-")
        self.env = dict(os.environ, XDG_DATA_HOME=self.tmp.name, LANGUAGE="en", LC_ALL="C.UTF-8",
                        TZ="Asia/Jakarta")
        self.db = os.path.join(self.tmp.name, "socialdesk", "socialdesk.db")
        # Opening the store makes it.
        self.run_cli("inbox", "list")
        self.account = str(uuid.uuid4())
        now = int(time.time())
        with sqlite3.connect(self.db) as db:
            db.execute("INSERT INTO account (id, platform, server_url, remote_id, handle, created_at, updated_at)"
                       " VALUES (?, 'bluesky', 'https://pds.example', 'did:plc:alice', 'alice.bsky.social', ?, ?)",
                       (self.account, now, now))
        self.m1 = self.add_message("at://bob/1", "mention", "Hello @alice, see https://example.com/x", "bob.bsky.social",
                                   "Bob", now - 60, links='[{"start":18,"end":39,"url":"https://example.com/x"}]')
        self.m2 = self.add_message("at://carol/2", "reply", "Kopi enak sekali", "carol.bsky.social", "Carol", now - 30)
        self.m3 = self.add_message("at://dave/3", "dm", "Secret plans", "dave.bsky.social", "Dave", now - 10)

    def tearDown(self):
        self.tmp.cleanup()

    def add_message(self, remote_id, kind, text, handle, name, sent_at, links="[]"):
        message_id = str(uuid.uuid4())
        with sqlite3.connect(self.db) as db:
            db.execute("INSERT INTO message (id, account_id, platform, stream, kind, remote_id, remote_cid,"
                       " conversation_id, author_handle, author_name, text, links_json, sent_at, fetched_at, caps)"
                       " VALUES (?, ?, 'bluesky', 'notifications', ?, ?, 'bafy', ?, ?, ?, ?, ?, ?, ?, 3)",
                       (message_id, self.account, kind, remote_id, remote_id, handle, name, text, links,
                        sent_at, sent_at))
        return message_id

    def run_cli(self, *args, check=True):
        result = subprocess.run([CLI, *args], capture_output=True, text=True, env=self.env, timeout=60)
        if check and result.returncode != 0:
            self.fail(f"{args} failed ({result.returncode}): {result.stderr}")
        return result

    def list_json(self, *args):
        return json.loads(self.run_cli("inbox", "list", "--json", *args).stdout)

    def test_list_table_and_json(self):
        out = self.run_cli("inbox", "list").stdout
        lines = out.splitlines()
        self.assertEqual(len(lines), 3)
        # Newest first, unread marked, short ids.
        self.assertTrue(lines[0].startswith("* " + self.m3[:8]), out)
        self.assertIn("@alice.bsky.social", lines[0])
        self.assertIn("dm", lines[0])
        self.assertIn("Secret plans", lines[0])

        messages = self.list_json()
        self.assertEqual([m["id"] for m in messages], [self.m3, self.m2, self.m1])
        self.assertEqual(messages[2]["links"], [{"start": 18, "end": 39, "url": "https://example.com/x"}])
        self.assertEqual(messages[2]["kind"], "mention")
        self.assertEqual(messages[2]["network"], "bluesky")
        self.assertFalse(messages[2]["read"])

    def test_filters(self):
        self.assertEqual([m["id"] for m in self.list_json("--kind", "dm")], [self.m3])
        self.assertEqual([m["id"] for m in self.list_json("--kind", "mention,reply")], [self.m2, self.m1])
        self.assertEqual([m["id"] for m in self.list_json("--search", "kop")], [self.m2])
        self.assertEqual(len(self.list_json("--network", "mastodon")), 0)
        self.assertEqual(len(self.list_json("--account", "@alice.bsky.social")), 3)
        self.assertEqual(len(self.list_json("--limit", "2")), 2)
        out = self.run_cli("inbox", "list", "--limit", "2").stdout
        self.assertIn("2 of 3 shown", out)
        bad = self.run_cli("inbox", "list", "--kind", "own", check=False)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("Unknown kind", bad.stderr)
        bad = self.run_cli("inbox", "list", "--done", "--all", check=False)
        self.assertEqual(bad.returncode, 2)

    def test_flags(self):
        self.run_cli("inbox", "read", self.m1[:8], self.m2)
        self.assertEqual([m["id"] for m in self.list_json("--unread")], [self.m3])
        self.run_cli("inbox", "unread", self.m2)
        self.assertEqual(len(self.list_json("--unread")), 2)
        self.run_cli("inbox", "done", self.m3)
        self.assertEqual([m["id"] for m in self.list_json()], [self.m2, self.m1])
        self.assertEqual([m["id"] for m in self.list_json("--done")], [self.m3])
        self.assertEqual(len(self.list_json("--all")), 3)
        self.run_cli("inbox", "undone", self.m3)
        self.assertEqual(len(self.list_json()), 3)
        missing = self.run_cli("inbox", "read", "ffffffff", check=False)
        self.assertEqual(missing.returncode, 1)

    def test_show(self):
        out = self.run_cli("inbox", "show", self.m1).stdout
        self.assertIn("@bob.bsky.social", out)
        self.assertIn("Hello @alice", out)
        shown = json.loads(self.run_cli("inbox", "show", self.m1, "--json").stdout)
        self.assertEqual(shown[0]["id"], self.m1)

    def test_reply_queued_and_too_long(self):
        too_long = self.run_cli("reply", self.m1, "--text", "a" * 301, check=False)
        self.assertEqual(too_long.returncode, 1)
        self.assertIn("Bluesky", too_long.stderr)
        out = self.run_cli("reply", self.m1, "--text", "Thanks, Bob!", "--no-send").stdout
        self.assertIn("Queued", out)
        # Reviewed and read at once; the reply shows in the conversation, not on the network yet.
        message = [m for m in self.list_json() if m["id"] == self.m1][0]
        self.assertTrue(message["reviewed"])
        self.assertTrue(message["read"])
        shown = self.run_cli("inbox", "show", self.m1).stdout
        self.assertIn("Thanks, Bob!", shown)
        self.assertIn("not on the network yet", shown)
        # A reply is not a post in the calendar's list.
        self.assertEqual(json.loads(self.run_cli("list", "--json").stdout), [])

    def test_sync_without_keyring_or_network(self):
        # The account has no sign-in in any keyring: said, not fatal for the others (there are none).
        result = self.run_cli("inbox", "sync", check=False)
        self.assertIn("new message", result.stdout)
        self.assertIn(result.returncode, (0, 1))
        usage = self.run_cli("inbox", "nonsense", check=False)
        self.assertEqual(usage.returncode, 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
