#!/usr/bin/env python3
# test-cli.py — socialdesk-cli through the real, installed binary: every command and error path
#
# SPDX-License-Identifier: GPL-3.0-or-later
import concurrent.futures
import datetime
import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import unittest

BINDIR = os.environ.get("SD_BINDIR", "")
CLI = os.path.join(BINDIR, "socialdesk-cli")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


class CliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="sd-test-cli-")
        self.env = dict(os.environ, XDG_DATA_HOME=self.tmp.name, LANGUAGE="en", LC_ALL="C.UTF-8",
                        TZ="Asia/Jakarta")
        self.db = os.path.join(self.tmp.name, "socialdesk", "socialdesk.db")

    def tearDown(self):
        self.tmp.cleanup()

    def run_cli(self, *args, stdin=None, check=True, env=None):
        result = subprocess.run([CLI, *args], input=stdin, capture_output=True, text=True,
                                env=env or self.env, timeout=60)
        if check and result.returncode != 0:
            self.fail(f"{args} failed ({result.returncode}): {result.stderr}")
        return result

    def add(self, text, *extra):
        out = self.run_cli("draft", "add", "--text", text, *extra).stdout.strip()
        self.assertRegex(out, UUID)
        return out

    def list_json(self, *args):
        return json.loads(self.run_cli("list", "--json", *args).stdout)

    def assert_fails(self, args, message, stdin=None, code=1):
        result = self.run_cli(*args, stdin=stdin, check=False)
        self.assertEqual(result.returncode, code, result.stderr)
        self.assertIn(message, result.stderr)
        self.assertEqual(result.stdout, "")
        return result

    # draft add

    def test_draft_add_and_show_json(self):
        post_id = self.add("Halo dunia #promo", "--platform", "x", "--platform", "bluesky,mastodon",
                           "--at", "2026-12-10T09:00:00+07:00")
        post = json.loads(self.run_cli("show", post_id, "--json").stdout)
        self.assertEqual(set(post), {"id", "text", "platforms", "variants", "options", "thread", "media",
                                     "state", "scheduled_at", "created_at", "updated_at"})
        self.assertEqual(post["variants"], {})
        self.assertEqual(post["options"], {})
        self.assertEqual(post["id"], post_id)
        self.assertEqual(post["text"], "Halo dunia #promo")
        self.assertEqual(post["platforms"], ["x", "bluesky", "mastodon"])
        self.assertEqual(post["state"], "draft")
        self.assertEqual(post["scheduled_at"], "2026-12-10T02:00:00Z")
        self.assertRegex(post["created_at"], ISO_UTC)
        self.assertRegex(post["updated_at"], ISO_UTC)

    def test_draft_add_local_time_and_no_time(self):
        local = self.add("lokal", "--at", "2026-12-10 09:00")
        none = self.add("tanpa waktu")
        self.assertEqual(json.loads(self.run_cli("show", local, "--json").stdout)["scheduled_at"],
                         "2026-12-10T02:00:00Z")
        post = json.loads(self.run_cli("show", none, "--json").stdout)
        self.assertIsNone(post["scheduled_at"])
        self.assertEqual(post["platforms"], [])

    def test_draft_add_from_stdin(self):
        text = "Baris satu\nbaris dua — ünïcödé 🎉\n"
        post_id = self.run_cli("draft", "add", "--text", "-", "--platform", "threads",
                               stdin=text).stdout.strip()
        post = json.loads(self.run_cli("show", post_id, "--json").stdout)
        self.assertEqual(post["text"], "Baris satu\nbaris dua — ünïcödé 🎉")

    def test_draft_add_from_stdin_sizes(self):
        for size in (16, 4096, 8192, 100000):
            text = ("abcdefghij" * (size // 10 + 1))[:size]
            post_id = self.run_cli("draft", "add", "--text", "-", stdin=text).stdout.strip()
            self.assertEqual(json.loads(self.run_cli("show", post_id, "--json").stdout)["text"], text)
        self.assert_fails(["draft", "add", "--text", "-"], "The text from standard input is empty",
                          stdin="")
        self.assert_fails(["draft", "add", "--text", "-"], "The text from standard input is empty",
                          stdin="\n\n")

    def test_every_network_name(self):
        names = ["x", "bluesky", "mastodon", "linkedin", "facebook", "instagram", "threads",
                 "youtube", "tiktok"]
        post_id = self.add("all", *sum((["--platform", n] for n in reversed(names)), []))
        self.assertEqual(json.loads(self.run_cli("show", post_id, "--json").stdout)["platforms"],
                         names)

    def test_draft_add_errors_write_nothing(self):
        self.assert_fails(["draft", "add", "--text", "x", "--platform", "myspace"],
                          "Unknown network “myspace”")
        self.assert_fails(["draft", "add", "--text", "x", "--at", "tomorrow"],
                          "“tomorrow” is not an ISO-8601 date and time")
        self.assert_fails(["draft", "add", "--text", "x", "--at", "2026-02-30T10:00:00Z"],
                          "is not an ISO-8601 date and time")
        self.assert_fails(["draft", "add"], "--text is required", code=2)
        self.assert_fails(["draft", "add", "--text", "x", "--bogus"], "Unknown option", code=2)
        self.assert_fails(["draft", "remove"], "Usage: socialdesk-cli draft add", code=2)
        self.assertEqual(self.list_json(), [])

    # list

    def test_list_newest_first_and_range(self):
        a = self.add("a", "--at", "2026-12-01T10:00:00+07:00")
        b = self.add("b")
        c = self.add("c", "--at", "2026-12-31T23:30:00+07:00")
        d = self.add("d", "--at", "2027-01-01T00:30:00+07:00")
        self.assertEqual([p["id"] for p in self.list_json()], [d, c, b, a])
        # Dates are whole local days; a range leaves out posts without a time.
        self.assertEqual([p["id"] for p in self.list_json("--from", "2026-12-01", "--to",
                                                          "2026-12-31")], [c, a])
        self.assertEqual([p["id"] for p in self.list_json("--from", "2026-12-02")], [d, c])
        self.assertEqual([p["id"] for p in self.list_json("--to", "2026-12-01")], [a])

        table = self.run_cli("list").stdout.splitlines()
        self.assertEqual(len(table), 4)
        self.assertTrue(table[0].startswith(d))
        self.assertIn("2027-01-01 00:30", table[0])

    def test_list_bad_dates(self):
        self.assert_fails(["list", "--from", "yesterday"], "“yesterday” is not a date")
        self.assert_fails(["list", "--to", "2026-13-01"], "“2026-13-01” is not a date")

    # show and delete

    def test_show_by_prefix_and_text(self):
        post_id = self.add("Halo\nbaris dua", "--platform", "linkedin")
        out = self.run_cli("show", post_id[:8]).stdout
        self.assertIn(post_id, out)
        self.assertIn("linkedin", out)
        self.assertTrue(out.endswith("Halo\nbaris dua\n"))

    def test_show_and_delete_unknown_id(self):
        self.assert_fails(["show", "does-not-exist"], "No post has the id “does-not-exist”")
        self.assert_fails(["delete", "does-not-exist"], "No post has the id “does-not-exist”")
        self.assert_fails(["show"], "Give one post id", code=2)

    def test_delete(self):
        keep = self.add("keep")
        gone = self.add("gone", "--platform", "x")
        self.run_cli("delete", gone)
        self.assertEqual([p["id"] for p in self.list_json()], [keep])
        self.assert_fails(["show", gone], "No post has the id")
        with sqlite3.connect(self.db) as db:
            self.assertEqual(db.execute("SELECT count(*) FROM variant").fetchone()[0], 0)

    # import

    def write(self, name, data):
        path = os.path.join(self.tmp.name, name)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
        return path

    def test_import(self):
        path = self.write("posts.csv",
                          "\ufeffscheduled_at,text,platforms\r\n"
                          "2026-12-10T09:00:00+07:00,\"Promo, hari ini!\",instagram;facebook\r\n"
                          ",\"Dua baris:\r\n\"\"kutipan\"\"\",\r\n")
        out = self.run_cli("import", path).stdout
        self.assertEqual(out, "Imported 2 posts.\n")
        posts = self.list_json()
        texts = sorted(p["text"] for p in posts)
        self.assertEqual(texts, ["Dua baris:\n\"kutipan\"", "Promo, hari ini!"])
        promo = next(p for p in posts if p["text"].startswith("Promo"))
        self.assertEqual(promo["platforms"], ["facebook", "instagram"])
        self.assertEqual(promo["scheduled_at"], "2026-12-10T02:00:00Z")

    def test_import_is_all_or_nothing(self):
        self.add("already there")
        path = self.write("bad.csv",
                          "scheduled_at,text,platforms\n"
                          "2026-12-10T09:00:00Z,good,x\n"
                          "not a time,bad time,x\n"
                          ",bad network,orkut\n")
        result = self.assert_fails(["import", path], "Nothing was imported")
        self.assertIn("line 3:", result.stderr)
        self.assertIn("line 4: unknown network “orkut”", result.stderr)
        self.assertEqual(len(self.list_json()), 1)

    def test_import_missing_file_and_not_utf8(self):
        self.assert_fails(["import", os.path.join(self.tmp.name, "nope.csv")], "Nothing was imported")
        path = self.write("latin1.csv", b"text\ncaf\xe9\n")
        self.assert_fails(["import", path], "line 2: the file is not UTF-8")

    def test_import_ten_thousand_rows(self):
        rows = ["scheduled_at,text,platforms"]
        for i in range(10000):
            rows.append(f"2027-01-{1 + i % 28:02d}T{i % 24:02d}:00:00Z,\"Post {i}, with \"\"quotes\"\"\","
                        "x;bluesky;mastodon")
        path = self.write("big.csv", "\n".join(rows) + "\n")
        self.assertEqual(self.run_cli("import", path).stdout, "Imported 10000 posts.\n")
        with sqlite3.connect(self.db) as db:
            self.assertEqual(db.execute("SELECT count(*) FROM post").fetchone()[0], 10000)
            self.assertEqual(db.execute("SELECT count(*) FROM variant").fetchone()[0], 30000)

    # the store

    def test_database_that_cannot_be_opened(self):
        os.makedirs(self.db)  # a folder where the file should be
        self.assert_fails(["list"], f"Could not open the database “{self.db}”")

    def test_corrupt_database_is_left_alone(self):
        os.makedirs(os.path.dirname(self.db))
        garbage = bytes((i * 37 + 11) % 256 for i in range(8192))
        with open(self.db, "wb") as f:
            f.write(garbage)
        for args in (["list"], ["draft", "add", "--text", "x"], ["import", self.write("a.csv", "text\na\n")]):
            result = self.run_cli(*args, check=False)
            self.assertEqual(result.returncode, 1)
            self.assertIn(f"“{self.db}” is damaged or is not a SocialDesk database", result.stderr)
        with open(self.db, "rb") as f:
            self.assertEqual(hashlib.sha256(f.read()).digest(), hashlib.sha256(garbage).digest())

    def test_newer_database_is_refused(self):
        self.add("made by this version")
        with sqlite3.connect(self.db) as db:
            db.execute("PRAGMA user_version = 42")
        result = self.assert_fails(["list"], "written by a newer version of SocialDesk")
        self.assertIn(self.db, result.stderr)
        with sqlite3.connect(self.db) as db:
            self.assertEqual(db.execute("PRAGMA user_version").fetchone()[0], 42)

    def test_concurrent_processes_lose_nothing(self):
        big = self.write("many.csv", "text,platforms\n" + "".join(f"row {i},x\n" for i in range(3000)))

        def writer(n):
            for i in range(25):
                self.add(f"writer {n} post {i}", "--platform", "bluesky")

        with concurrent.futures.ThreadPoolExecutor(max_workers=5) as pool:
            jobs = [pool.submit(writer, n) for n in range(4)]
            jobs.append(pool.submit(self.run_cli, "import", big))
            for job in jobs:
                job.result()
        self.assertEqual(len(self.list_json()), 3000 + 4 * 25)

    # media

    def test_draft_add_media(self):
        image = os.path.join(self.tmp.name, "photo.png")
        subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "gui", "make-png.py"), image],
                       check=True)
        post_id = self.add("with a picture", "--platform", "instagram", "--media", image, "--alt", "A gradient")
        os.remove(image)
        media = json.loads(self.run_cli("show", post_id, "--json").stdout)["media"]
        self.assertEqual(len(media), 1)
        self.assertEqual((media[0]["alt_text"], media[0]["mime_type"], media[0]["width"], media[0]["height"]),
                         ("A gradient", "image/png", 320, 240))
        self.assertTrue(media[0]["file"].startswith(os.path.join(self.tmp.name, "socialdesk", "media")))
        self.assertTrue(os.path.exists(media[0]["file"]))

    def test_draft_add_media_errors(self):
        image = os.path.join(self.tmp.name, "photo.png")
        subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "gui", "make-png.py"), image],
                       check=True)
        self.assert_fails(["draft", "add", "--text", "x", "--media", image, "--media", image],
                          "is the same image as one given before")
        notes = self.write("notes.txt", "not an image")
        self.assert_fails(["draft", "add", "--text", "x", "--media", notes],
                          "is not an image or a video SocialDesk can attach")
        self.assert_fails(["draft", "add", "--text", "x", "--media", os.path.join(self.tmp.name, "gone.png")],
                          "Could not read")
        self.assertEqual(self.list_json(), [])

    def write_video(self, name, size=200_000, fill=b"\x00"):
        # An MP4's first box ("ftyp"), then filler: enough for the MIME sniffing.
        data = bytes([0, 0, 0, 0x18]) + b"ftypmp42" + bytes(4) + b"mp42isom"
        return self.write(name, data + fill * (size - len(data)))

    def test_draft_add_video_public_url_and_options(self):
        video = self.write_video("clip.mp4")
        post_id = self.add("", "--platform", "youtube", "--platform", "tiktok", "--media", video,
                           "--public-url", "https://cdn.example.com/clip.mp4",
                           "--option", "title=Launch day", "--option", "tiktok:privacy=SELF_ONLY",
                           "--option", "youtube:tags=launch,new things")
        os.remove(video)
        post = json.loads(self.run_cli("show", post_id, "--json").stdout)
        self.assertEqual(post["options"], {
            "youtube": {"title": "Launch day", "tags": "launch,new things"},
            "tiktok": {"title": "Launch day", "privacy": "SELF_ONLY"},
        })
        media = post["media"]
        self.assertEqual(len(media), 1)
        self.assertEqual((media[0]["mime_type"], media[0]["width"], media[0]["height"], media[0]["bytes"],
                          media[0]["public_url"]),
                         ("video/mp4", 0, 0, 200_000, "https://cdn.example.com/clip.mp4"))
        self.assertTrue(media[0]["file"].endswith(".mp4"))
        self.assertTrue(os.path.exists(media[0]["file"]))

        # The same video again is kept once; a second file is a second attachment.
        again = self.write_video("again.mp4")
        other = self.write_video("other.mov", fill=b"\x01")
        second = self.add("two", "--platform", "x", "--media", again, "--media", other, "--alt", "first")
        media = json.loads(self.run_cli("show", second, "--json").stdout)["media"]
        self.assertEqual([m["public_url"] for m in media], [None, None])
        self.assertEqual(media[0]["file"], post["media"][0]["file"])
        self.assertEqual(len(os.listdir(os.path.join(self.tmp.name, "socialdesk", "media"))), 2)

    def test_draft_add_option_and_public_url_errors(self):
        video = self.write_video("clip.mp4")
        self.assert_fails(["draft", "add", "--text", "x", "--public-url", "https://a.example/1.jpg"],
                          "--public-url gives the address of the --media before it", code=2)
        self.assert_fails(["draft", "add", "--text", "x", "--media", video, "--public-url", "https://a.example/1",
                           "--public-url", "https://a.example/2"],
                          "--public-url gives the address of the --media before it", code=2)
        self.assert_fails(["draft", "add", "--text", "x", "--platform", "youtube", "--option", "colour=red"],
                          "Unknown option “colour”")
        self.assert_fails(["draft", "add", "--text", "x", "--platform", "youtube", "--option", "title"],
                          "--option takes KEY=VALUE")
        self.assert_fails(["draft", "add", "--text", "x", "--option", "title=Hi"],
                          "--option needs the networks it is for")
        self.assert_fails(["draft", "add", "--text", "x", "--platform", "youtube", "--option", "myspace:title=Hi"],
                          "Unknown network “myspace”")
        self.assertEqual(self.list_json(), [])

    # apps (the parts that need no keyring; test-cli-publish.py keeps a secret)

    def test_apps_list_and_set_client_id(self):
        listed = json.loads(self.run_cli("apps", "list", "--json").stdout)
        self.assertEqual([app["network"] for app in listed],
                         ["x", "linkedin", "facebook", "instagram", "threads", "youtube", "tiktok"])
        self.assertTrue(all(app["client_id"] is None for app in listed))
        self.assertTrue(all(app["redirect_uri"].startswith("http://127.0.0.1:") for app in listed))

        self.run_cli("apps", "set", "youtube", "--client-id", "123-abc.apps.googleusercontent.com")
        self.run_cli("apps", "set", "TikTok", "--client-id", "awkey")
        self.run_cli("apps", "set", "youtube", "--client-id", "456-def.apps.googleusercontent.com")
        listed = {app["network"]: app for app in json.loads(self.run_cli("apps", "list", "--json").stdout)}
        self.assertEqual(listed["youtube"]["client_id"], "456-def.apps.googleusercontent.com")
        self.assertEqual(listed["tiktok"]["client_id"], "awkey")
        self.assertIsNone(listed["x"]["client_id"])
        text = self.run_cli("apps", "list").stdout
        self.assertRegex(text, r"(?m)^youtube\s+456-def\.apps\.googleusercontent\.com\s")
        self.assertRegex(text, r"(?m)^x\s+not set\s")
        self.assertIn("redirect address", text)

    def test_apps_errors(self):
        self.assert_fails(["apps", "set", "mastodon", "--client-id", "x"],
                          "“mastodon” is not a network that needs a developer app", code=2)
        self.assert_fails(["apps", "set", "youtube"], "--client-id is required", code=2)
        self.assert_fails(["apps", "set", "youtube", "--client-id", "x", "--client-secret", "hunter2"],
                          "--client-secret takes only “-”", code=2)
        self.assert_fails(["apps", "remove"], "Give one network", code=2)
        self.assert_fails(["apps", "frobnicate"], "Usage: socialdesk-cli apps", code=2)
        self.assertIsNone(json.loads(self.run_cli("apps", "list", "--json").stdout)[5]["client_id"])

    # move

    def test_move_keeps_local_time_across_dst(self):
        env = dict(self.env, TZ="Europe/Berlin")
        # Berlin's clocks go forward on 28 March 2027: 09:00 stays 09:00.
        post_id = self.run_cli("draft", "add", "--text", "Frühling", "--platform", "x", "--at",
                               "2027-03-26T09:00", env=env).stdout.strip()
        self.assertEqual(json.loads(self.run_cli("show", post_id, "--json").stdout)["scheduled_at"],
                         "2027-03-26T08:00:00Z")
        out = self.run_cli("move", post_id[:8], "--to", "2027-03-29", env=env).stdout
        self.assertEqual(out, "Moved to 2027-03-29 09:00.\n")
        post = json.loads(self.run_cli("show", post_id, "--json").stdout)
        self.assertEqual(post["scheduled_at"], "2027-03-29T07:00:00Z")   # CEST now, CET before

    def test_move_unscheduled_takes_best_time(self):
        post_id = self.add("Lowongan", "--platform", "linkedin", "--platform", "instagram")
        self.assertEqual(self.run_cli("move", post_id, "--to", "2026-12-29").stdout,
                         "Moved to 2026-12-29 08:30.\n")   # LinkedIn's 08:30, Jakarta time
        self.run_cli("move", post_id, "--unschedule")
        self.assertIsNone(json.loads(self.run_cli("show", post_id, "--json").stdout)["scheduled_at"])

    def test_move_errors(self):
        post_id = self.add("x", "--at", "2026-12-10T09:00")
        self.assert_fails(["move", post_id, "--to", "2020-01-01T09:00"], "That time has passed")
        self.assert_fails(["move", post_id, "--to", "someday"], "“someday” is not a date")
        self.assert_fails(["move", post_id], "Give either --to or --unschedule", code=2)
        self.assert_fails(["move", "nope", "--to", "2027-01-01"], "No post has the id “nope”")
        with sqlite3.connect(self.db) as db:
            db.execute("UPDATE post SET state = 'published'")
        self.assert_fails(["move", post_id, "--to", "2027-01-01"], "A published post cannot be moved")

    # schedule and unschedule

    def show_json(self, post_id):
        return json.loads(self.run_cli("show", post_id, "--json").stdout)

    def set_updated_at(self, post_id, when):
        with sqlite3.connect(self.db) as db:
            db.execute("UPDATE post SET updated_at = ? WHERE id = ?", (when, post_id))

    # Two years ahead, so that these times never pass while the tests live.
    YEAR = datetime.datetime.now(datetime.timezone.utc).year + 2

    def test_schedule_a_draft(self):
        post_id = self.add("Promo", "--platform", "x")
        out = self.run_cli("schedule", post_id, "--at", f"{self.YEAR}-12-10T09:00:00+01:00").stdout
        self.assertEqual(out, f"Scheduled for {self.YEAR}-12-10 15:00.\n")   # Jakarta is +07
        self.assertEqual(self.show_json(post_id)["scheduled_at"], f"{self.YEAR}-12-10T08:00:00Z")
        self.assertEqual([(p["id"], p["scheduled_at"]) for p in self.list_json()],
                         [(post_id, f"{self.YEAR}-12-10T08:00:00Z")])
        # A scheduled post takes a new time; the start of its id is enough.
        out = self.run_cli("schedule", post_id[:8], "--at", f"{self.YEAR}-12-11T23:45:00Z").stdout
        self.assertEqual(out, f"Scheduled for {self.YEAR}-12-12 06:45.\n")
        post = self.show_json(post_id)
        self.assertEqual(post["scheduled_at"], f"{self.YEAR}-12-11T23:45:00Z")
        self.assertEqual((post["text"], post["platforms"]), ("Promo", ["x"]))

    def test_schedule_local_time_in_berlin_and_jakarta(self):
        cases = [
            ("Europe/Berlin", f"{self.YEAR}-07-01T09:00", f"{self.YEAR}-07-01T07:00:00Z"),   # CEST
            ("Europe/Berlin", f"{self.YEAR}-01-15 09:00", f"{self.YEAR}-01-15T08:00:00Z"),   # CET
            ("Asia/Jakarta", f"{self.YEAR}-07-01T09:00", f"{self.YEAR}-07-01T02:00:00Z"),
            ("Asia/Jakarta", f"{self.YEAR}-01-15T09:00:00", f"{self.YEAR}-01-15T02:00:00Z"),
        ]
        for tz, at, utc in cases:
            with self.subTest(tz=tz, at=at):
                env = dict(self.env, TZ=tz)
                post_id = self.add("lokal")
                out = self.run_cli("schedule", post_id, "--at", at, env=env).stdout
                self.assertEqual(out, f"Scheduled for {at[:10]} 09:00.\n")
                self.assertEqual(self.show_json(post_id)["scheduled_at"], utc)
        # A time with an offset is printed in the local time.
        post_id = self.add("UTC")
        out = self.run_cli("schedule", post_id, "--at", f"{self.YEAR}-07-01T09:00:00Z",
                           env=dict(self.env, TZ="Europe/Berlin")).stdout
        self.assertEqual(out, f"Scheduled for {self.YEAR}-07-01 11:00.\n")

    def test_schedule_in_the_past_is_refused(self):
        post_id = self.add("x", "--at", f"{self.YEAR}-06-01T09:00:00Z")
        self.set_updated_at(post_id, 1000)
        a_minute_ago = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=1)
        for at in ("2020-01-01T09:00", a_minute_ago.strftime("%Y-%m-%dT%H:%M:%SZ")):
            with self.subTest(at=at):
                self.assert_fails(["schedule", post_id, "--at", at],
                                  "That time has passed; pick a later one.")
        post = self.show_json(post_id)
        self.assertEqual(post["scheduled_at"], f"{self.YEAR}-06-01T09:00:00Z")
        self.assertEqual(post["updated_at"], "1970-01-01T00:16:40Z")   # not written at all

    def test_schedule_bad_time_and_usage(self):
        post_id = self.add("x")
        self.set_updated_at(post_id, 1000)
        for at in ("tomorrow", f"{self.YEAR}-13-01T09:00", f"{self.YEAR}-02-30T09:00:00Z",
                   f"{self.YEAR}-06-01", ""):
            with self.subTest(at=at):
                self.assert_fails(["schedule", post_id, "--at", at],
                                  f"“{at}” is not an ISO-8601 date and time (like ")
        self.assert_fails(["schedule", post_id], "--at is required", code=2)
        self.assert_fails(["schedule", "--at", f"{self.YEAR}-06-01T09:00"], "Give one post id", code=2)
        self.assert_fails(["schedule", post_id, "extra", "--at", f"{self.YEAR}-06-01T09:00"],
                          "Give one post id", code=2)
        self.assert_fails(["unschedule"], "Give one post id", code=2)
        self.assert_fails(["unschedule", post_id, "--at", "x"], "Unknown option", code=2)
        post = self.show_json(post_id)
        self.assertIsNone(post["scheduled_at"])
        self.assertEqual(post["updated_at"], "1970-01-01T00:16:40Z")

    def test_schedule_now_without_accounts(self):
        # Without accounts, "now" only puts the post on the calendar at this minute.
        post_id = self.add("x")
        self.assertIn("Scheduled for", self.run_cli("schedule", post_id, "--at", "now").stdout)
        at = datetime.datetime.fromisoformat(self.show_json(post_id)["scheduled_at"].replace("Z", "+00:00"))
        self.assertLess(abs((at - datetime.datetime.now(datetime.timezone.utc)).total_seconds()), 60)
        self.assertEqual(self.show_json(post_id)["state"], "draft")

    def test_schedule_and_unschedule_unknown_id(self):
        self.add("x")
        self.assert_fails(["schedule", "nope", "--at", f"{self.YEAR}-06-01T09:00"],
                          "No post has the id “nope”")
        self.assert_fails(["unschedule", "nope"], "No post has the id “nope”")

    def test_unschedule(self):
        post_id = self.add("x", "--at", f"{self.YEAR}-06-01T09:00:00Z")
        keep = self.add("y", "--at", f"{self.YEAR}-06-02T09:00:00Z")
        self.assertEqual(self.run_cli("unschedule", post_id[:8]).stdout, "The post has no time now.\n")
        self.assertIsNone(self.show_json(post_id)["scheduled_at"])
        self.assertEqual([p["id"] for p in self.list_json("--from", f"{self.YEAR}-01-01")], [keep])
        self.assertEqual(self.show_json(keep)["scheduled_at"], f"{self.YEAR}-06-02T09:00:00Z")
        # A post without a time stays without one.
        self.assertEqual(self.run_cli("unschedule", post_id).stdout, "The post has no time now.\n")
        self.assertIsNone(self.show_json(post_id)["scheduled_at"])

    def test_schedule_and_unschedule_refuse_published_posts(self):
        post_id = self.add("x", "--at", f"{self.YEAR}-06-01T09:00:00Z")
        with sqlite3.connect(self.db) as db:
            db.execute("UPDATE post SET state = 'published'")
        message = "A published post keeps the time it went out at"
        self.assert_fails(["schedule", post_id, "--at", f"{self.YEAR}-07-01T09:00"], message)
        self.assert_fails(["unschedule", post_id], message)
        self.assertEqual(self.show_json(post_id)["scheduled_at"], f"{self.YEAR}-06-01T09:00:00Z")

    def test_schedule_help(self):
        usage = self.run_cli("--help").stdout
        self.assertIn("schedule ID --at TIME", usage)
        self.assertIn("unschedule ID", usage)
        out = self.run_cli("schedule", "--help").stdout
        self.assertIn("schedule [OPTION…] ID", out)
        self.assertIn("--at=TIME", out)
        self.assertIn("“now”", out)
        self.assertIn("--to=ACCOUNT", out)
        self.assertIn("unschedule [OPTION…] ID", self.run_cli("unschedule", "--help").stdout)

    # export

    def read_ics(self, path):
        # Debian's python3 has python3-icalendar (a python3 earlier on PATH may not).
        python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
        out = subprocess.run([python, os.path.join(os.path.dirname(__file__), "read-ics.py"), path],
                             capture_output=True, text=True, check=True).stdout
        return json.loads(out)

    def test_export_ics(self):
        a = self.add("Promo, hari ini; diskon \\ 50%\nbaris dua", "--platform", "x", "--platform", "instagram",
                     "--at", "2026-12-10T09:00:00+07:00")
        b = self.add("Panjang " * 30 + "ü🎉" * 10, "--platform", "linkedin", "--at", "2026-12-31T23:30:00+07:00")
        self.add("no time, not exported")
        self.add("next year", "--platform", "x", "--at", "2027-01-05T10:00:00+07:00")
        path = os.path.join(self.tmp.name, "december.ics")
        out = self.run_cli("export", "--ics", path, "--from", "2026-12-01", "--to", "2026-12-31").stdout
        self.assertEqual(out, f"Exported 2 posts to {path}.\n")
        with open(path, "rb") as f:
            raw = f.read()
        self.assertTrue(all(len(line) <= 75 for line in raw.split(b"\r\n")), "lines are folded at 75 octets")
        events = self.read_ics(path)
        self.assertEqual([e["uid"] for e in events], [f"{a}@socialdesk", f"{b}@socialdesk"])
        self.assertEqual((events[0]["start"], events[0]["end"]), ("2026-12-10T02:00:00Z", "2026-12-10T02:15:00Z"))
        self.assertEqual(events[0]["description"], "Promo, hari ini; diskon \\ 50%\nbaris dua")
        self.assertEqual(events[0]["summary"], "Promo, hari ini; diskon \\ 50%")
        self.assertEqual(events[0]["categories"], ["X", "Instagram"])
        self.assertEqual(events[1]["description"], "Panjang " * 30 + "ü🎉" * 10)
        # Only some networks.
        self.run_cli("export", "--ics", path, "--platform", "x")
        self.assertEqual([e["summary"] for e in self.read_ics(path)],
                         ["Promo, hari ini; diskon \\ 50%", "next year"])

    def test_export_errors(self):
        self.assert_fails(["export"], "--ics is required", code=2)
        self.assert_fails(["export", "--ics", os.path.join(self.tmp.name, "x.ics"), "--from", "soon"],
                          "“soon” is not a date")
        self.assert_fails(["export", "--ics", os.path.join(self.tmp.name, "no", "such", "dir.ics")],
                          "No such file or directory")

    # count

    def test_count_json(self):
        out = json.loads(self.run_cli("count", "--platform", "x", "--json",
                                      "Halo http://test.co @alice #promo $AAPL").stdout)
        self.assertEqual({k: out[k] for k in ("platform", "length", "limit", "remaining", "unit", "valid")},
                         {"platform": "x", "length": 48, "limit": 280, "remaining": 232,
                          "unit": "weighted", "valid": True})
        self.assertEqual(out["problems"], [])
        self.assertEqual(out["entities"], [
            {"type": "url", "text": "http://test.co", "value": "http://test.co", "byte_start": 5, "byte_end": 19},
            {"type": "mention", "text": "@alice", "value": "alice", "byte_start": 20, "byte_end": 26},
            {"type": "hashtag", "text": "#promo", "value": "promo", "byte_start": 27, "byte_end": 33},
            {"type": "cashtag", "text": "$AAPL", "value": "AAPL", "byte_start": 34, "byte_end": 39},
        ])

    def test_count_bluesky_and_mastodon(self):
        out = json.loads(self.run_cli("count", "--platform", "bluesky", "--json",
                                      "Ke toko: tokoku.id/promo, #diskon!").stdout)
        self.assertEqual([(e["type"], e["value"], e["byte_start"], e["byte_end"]) for e in out["entities"]],
                         [("url", "https://tokoku.id/promo", 9, 24), ("hashtag", "diskon", 26, 33)])
        text = "a" * 475 + " @alice@" + "b" * 30 + ".com"
        out = json.loads(self.run_cli("count", "--platform", "mastodon", "--json", text).stdout)
        self.assertEqual((out["length"], out["valid"], out["entities"][0]["value"]),
                         (482, True, "alice@" + "b" * 30 + ".com"))
        out = json.loads(self.run_cli("count", "--platform", "mastodon", "--json", "--limit", "100",
                                      "--content-warning", "CW", "x" * 99).stdout)
        self.assertEqual((out["length"], out["limit"], out["valid"]), (101, 100, False))
        self.assertEqual(out["problems"], ["1 character over"])

    def test_count_stdin_and_text_output(self):
        out = self.run_cli("count", "--platform", "instagram", "-",
                           stdin=" ".join(f"#t{i}" for i in range(31))).stdout
        self.assertIn("Instagram:", out)
        self.assertIn("More than 30 hashtags", out)

    def test_count_each_line(self):
        posts = ["hello world", "line one\\nline two http://example.com", "x" * 281, "",
                 "日本語 😀"]
        out = self.run_cli("count", "--platform", "x", "--each-line", stdin="\n".join(posts) + "\n").stdout
        self.assertEqual(out.splitlines(), ["11\ttrue", "41\ttrue", "281\tfalse", "0\tfalse", "9\ttrue"])
        out = self.run_cli("count", "--platform", "bluesky", "--each-line", stdin="a\nb b\n").stdout
        self.assertEqual(out, "1\ttrue\n3\ttrue\n")

    def test_count_thread(self):
        text = "Kalimat yang cukup panjang untuk diuji di sini. " * 12
        parts = json.loads(self.run_cli("count", "--platform", "x", "--thread", "--numbering", "--json",
                                        text).stdout)
        self.assertEqual(len(parts), 3)
        for i, part in enumerate(parts, 1):
            self.assertTrue(part["valid"])
            self.assertLessEqual(part["length"], 280)
        out = self.run_cli("count", "--platform", "bluesky", "Satu\n---\nDua").stdout
        self.assertIn("Post 2 of 2:", out)
        # Instagram has no threads: one caption, --- and all.
        out = json.loads(self.run_cli("count", "--platform", "instagram", "--json", "Satu\n---\nDua").stdout)
        self.assertEqual(out["length"], 12)

    def test_draft_add_thread_options(self):
        post_id = self.add("panjang", "--thread", "--numbering", "--platform", "x")
        post = json.loads(self.run_cli("show", post_id, "--json").stdout)
        self.assertEqual(post["thread"], {"auto": True, "numbering": True})
        plain = json.loads(self.run_cli("show", self.add("pendek"), "--json").stdout)
        self.assertEqual(plain["thread"], {"auto": False, "numbering": False})

    def test_count_errors(self):
        self.assert_fails(["count", "hi"], "--platform is required", code=2)
        self.assert_fails(["count", "--platform", "orkut", "hi"], "Unknown network “orkut”")
        self.assert_fails(["count", "--platform", "x"], "Give the text", code=2)
        self.assert_fails(["count", "--platform", "x", "--each-line", "hi"], "give no text", code=2)

    # help and translations

    def test_usage(self):
        self.assertIn("draft add", self.run_cli("--help").stdout)
        self.assert_fails(["frobnicate"], "Unknown command “frobnicate”", code=2)
        result = self.run_cli(check=False)
        self.assertEqual(result.returncode, 2)

    def test_indonesian_messages(self):
        env = dict(self.env, LANGUAGE="id")
        result = self.run_cli("show", "nothing", check=False, env=env)
        self.assertEqual(result.returncode, 1)
        self.assertIn("Tidak ada", result.stderr)


if __name__ == "__main__":
    if not os.path.exists(CLI):
        print(f"{CLI} is missing: run `meson install` first (the README's test command does)",
              file=sys.stderr)
        sys.exit(1)
    unittest.main(verbosity=2)
