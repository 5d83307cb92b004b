#!/usr/bin/env python3
# test-cli-publish.py — accounts and publishing through the installed socialdesk-cli
#
# Against the fake Mastodon (a loopback process answering as Mastodon's documentation shows)
# with a real keyring (run through tests/with-keyring.sh): sign in with OAuth + PKCE through
# the CLI's loopback listener, list accounts (no secret in sight), publish now, refuse a post
# that is not ready, hand a later post to the server's scheduler and follow a move and an
# unschedule there, remove the account (keyring item gone).
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

BINDIR = os.environ.get("SD_BINDIR", "")
CLI = os.path.join(BINDIR, "socialdesk-cli")
FAKE = os.environ.get("SD_FAKE_MASTODON_SERVER", "")
KNOWN_SECRETS = os.environ.get("SD_KNOWN_SECRETS")


def remember_secret(value):
    if KNOWN_SECRETS and value:
        with open(KNOWN_SECRETS, "a") as f:
            f.write(value + "\n")


class PublishTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The person who signs in has an account on the instance (its own token is not ours).
        cls.fake = subprocess.Popen([FAKE, "--account", "brand:" + os.urandom(16).hex()], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        cls.server = json.loads(cls.fake.stdout.readline())
        cls.env = dict(os.environ, LANGUAGE="en", LC_ALL="C.UTF-8", TZ="Asia/Jakarta")
        cls.db = os.path.join(os.environ["XDG_DATA_HOME"], "socialdesk", "socialdesk.db")

    @classmethod
    def tearDownClass(cls):
        cls.fake.stdin.close()
        cls.fake.wait(timeout=10)

    def run_cli(self, *args, stdin=None, check=True):
        result = subprocess.run([CLI, *args], input=stdin, capture_output=True, text=True,
                                env=self.env, timeout=60)
        if check and result.returncode != 0:
            self.fail(f"{args} failed ({result.returncode}): {result.stderr}{result.stdout}")
        return result

    def api(self, path, token, method="GET"):
        request = urllib.request.Request(self.server["url"] + path, method=method,
                                         headers={"Authorization": "Bearer " + token})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, None

    def keyring_items(self):
        result = subprocess.run(["secret-tool", "search", "--all", "xdg:schema", "com.example.SocialDesk.Token"],
                                capture_output=True, text=True)
        return result.stdout + result.stderr

    def sign_in(self, username):
        """accounts add mastodon: open the printed address as a browser would, approve."""
        cli = subprocess.Popen([CLI, "accounts", "add", "mastodon", "--instance", self.server["url"],
                                "--timeout", "30"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=self.env)
        url = None
        for line in cli.stdout:
            if line.startswith(self.server["url"] + "/oauth/authorize?"):
                url = line.strip()
                break
        self.assertIsNotNone(url, "no authorize address was printed")
        self.assertIn("code_challenge_method=S256", url)
        self.assertRegex(url, r"redirect_uri=http%3A%2F%2F127\.0\.0\.1%3A\d+%2F")
        redirect = urllib.parse.unquote(re.search(r"redirect_uri=([^&]+)", url).group(1))

        # Someone else's request to the listener (wrong state) is refused and changes nothing.
        with self.assertRaises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(redirect + "?code=forged&state=not-ours", timeout=10)
        self.assertEqual(refused.exception.code, 400)

        # The browser: authorize, then follow the redirect to SocialDesk's listener.
        with urllib.request.urlopen(url + "&sd_fake_approve=" + username, timeout=10) as page:
            self.assertEqual(page.status, 200)
            self.assertIn("close", page.read().decode().lower())
        out, err = cli.communicate(timeout=30)
        self.assertEqual(cli.returncode, 0, err)
        self.assertIn(f"Connected @{username}@{self.server['domain']} (Mastodon)", out)
        return re.search(r" as ([0-9a-f-]{36})\.", out).group(1)

    def secret_of(self, account_id):
        result = subprocess.run(["secret-tool", "lookup", "account-id", account_id, "kind", "account"],
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, "the sign-in is not in the keyring")
        return json.loads(result.stdout)

    def test_sign_in_publish_schedule_remove(self):
        account_id = self.sign_in("brand")
        secret = self.secret_of(account_id)
        token = secret["access_token"]
        for key in ("access_token", "client_secret"):
            remember_secret(secret.get(key))

        # Listed, with nothing secret in the list or in the database.
        accounts = json.loads(self.run_cli("accounts", "list", "--json").stdout)
        self.assertEqual([(a["id"], a["network"], a["state"]) for a in accounts],
                         [(account_id, "mastodon", "connected")])
        self.assertEqual(accounts[0]["handle"], "brand@" + self.server["domain"])
        self.assertNotIn(token, self.run_cli("accounts", "list").stdout)
        with open(self.db, "rb") as f:
            self.assertNotIn(token.encode(), f.read())

        # Signing in again keeps the account (and the app registered on the instance).
        self.assertEqual(self.sign_in("brand"), account_id)
        remember_secret(self.secret_of(account_id)["access_token"])
        token = self.secret_of(account_id)["access_token"]

        # Publish now.
        post = self.run_cli("draft", "add", "--text", "Halo dari SocialDesk #promo", "--to", "@brand@" +
                            self.server["domain"], "--at", "now").stdout.strip()
        report = json.loads(self.run_cli("sync", "--json").stdout)
        self.assertEqual(report["published"], 1, report)
        url = report["events"][0]["url"]
        self.assertTrue(url.startswith(self.server["url"]), url)
        status, statuses = self.api(f"/api/v1/accounts/{accounts[0]['remote_id']}/statuses", token)
        self.assertEqual(status, 200)
        self.assertEqual([s["url"] for s in statuses], [url])
        shown = json.loads(self.run_cli("show", post, "--json").stdout)
        self.assertEqual(shown["state"], "published")
        # Nothing more is due: a second sync sends nothing.
        self.assertEqual(json.loads(self.run_cli("sync", "--json").stdout)["published"], 0)

        # Not ready: refused with the reason, kept as a draft.
        result = self.run_cli("draft", "add", "--text", "a" * 501, "--to", account_id, "--at", "now", check=False)
        self.assertEqual(result.returncode, 1)
        self.assertIn("Not ready to schedule", result.stderr)
        self.assertIn("Mastodon", result.stderr)
        refused = result.stdout.strip()
        self.assertEqual(json.loads(self.run_cli("show", refused, "--json").stdout)["state"], "draft")

        # Two hours ahead: handed to Mastodon's own scheduler.
        later = self.run_cli("draft", "add", "--text", "Nanti sore", "--to", account_id).stdout.strip()
        when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 7200))
        self.run_cli("schedule", later, "--at", when)
        report = json.loads(self.run_cli("sync", "--json").stdout)
        self.assertEqual(report["on_server"], 1, report)
        status, scheduled = self.api("/api/v1/scheduled_statuses", token)
        self.assertEqual(len(scheduled), 1)
        scheduled_id = scheduled[0]["id"]

        # Moved: the server's copy follows.
        self.run_cli("move", later, "--to", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3 * 3600)))
        self.run_cli("sync")
        status, moved = self.api(f"/api/v1/scheduled_statuses/{scheduled_id}", token)
        self.assertEqual(status, 200)
        self.assertNotEqual(moved["scheduled_at"], scheduled[0]["scheduled_at"])

        # Unscheduled: cancelled on the server.
        self.run_cli("unschedule", later)
        self.run_cli("sync")
        status, _ = self.api(f"/api/v1/scheduled_statuses/{scheduled_id}", token)
        self.assertEqual(status, 404)

        # Removed: its post on Mastodon's scheduler is cancelled there first; then the account
        # and its keyring item are gone.
        waiting = self.run_cli("draft", "add", "--text", "Besok pagi", "--to", account_id).stdout.strip()
        self.run_cli("schedule", waiting, "--at", when)
        self.assertEqual(json.loads(self.run_cli("sync", "--json").stdout)["on_server"], 1)
        self.assertEqual(len(self.api("/api/v1/scheduled_statuses", token)[1]), 1)
        self.run_cli("accounts", "remove", account_id)
        self.assertEqual(self.api("/api/v1/scheduled_statuses", token)[1], [])
        self.assertEqual(json.loads(self.run_cli("accounts", "list", "--json").stdout), [])
        lookup = subprocess.run(["secret-tool", "lookup", "account-id", account_id, "kind", "account"],
                                capture_output=True, text=True)
        self.assertNotEqual(lookup.returncode, 0)

    def test_developer_app_secret(self):
        secret = "app-secret-" + os.urandom(12).hex()
        remember_secret(secret)
        self.run_cli("apps", "set", "youtube", "--client-id", "789-ghi.apps.googleusercontent.com",
                     "--client-secret", "-", stdin=secret + "\n")
        listed = self.run_cli("apps", "list", "--json").stdout
        self.assertNotIn(secret, listed)
        apps = {app["network"]: app for app in json.loads(listed)}
        self.assertEqual(apps["youtube"]["client_id"], "789-ghi.apps.googleusercontent.com")
        self.assertIs(apps["youtube"]["client_secret_kept"], True)
        self.assertIs(apps["tiktok"]["client_secret_kept"], False)
        text = self.run_cli("apps", "list").stdout
        self.assertNotIn(secret, text)
        self.assertRegex(text, r"(?m)^youtube\s+789-ghi\S+\s+secret kept$")
        # Setting the client id again keeps the secret.
        self.run_cli("apps", "set", "youtube", "--client-id", "789-ghi.apps.googleusercontent.com")
        apps = {app["network"]: app for app in json.loads(self.run_cli("apps", "list", "--json").stdout)}
        self.assertIs(apps["youtube"]["client_secret_kept"], True)
        # An empty secret is refused and changes nothing.
        result = self.run_cli("apps", "set", "youtube", "--client-id", "other", "--client-secret", "-",
                              stdin="\n", check=False)
        self.assertEqual(result.returncode, 1)
        self.assertIn("client secret from standard input is empty", result.stderr)

        self.run_cli("apps", "remove", "youtube")
        apps = {app["network"]: app for app in json.loads(self.run_cli("apps", "list", "--json").stdout)}
        self.assertIsNone(apps["youtube"]["client_id"])
        self.assertIs(apps["youtube"]["client_secret_kept"], False)
        with sqlite3.connect(self.db) as db:
            self.assertEqual(db.execute("SELECT count(*) FROM network_app").fetchone()[0], 0)

    def test_unknown_account_and_bad_password_source(self):
        result = self.run_cli("draft", "add", "--text", "x", "--to", "@nobody@example.org", check=False)
        self.assertEqual(result.returncode, 1)
        self.assertIn("No connected account is “nobody@example.org”", result.stderr)
        result = self.run_cli("accounts", "add", "bluesky", "--handle", "a.test", "--app-password", "secret",
                              check=False)
        self.assertEqual(result.returncode, 2)
        self.assertIn("standard input", result.stderr)


if __name__ == "__main__":
    if not os.environ.get("SD_KNOWN_SECRETS"):
        print("SKIP: needs a keyring; run through tests/with-keyring.sh")
        sys.exit(77)
    unittest.main(verbosity=2)
