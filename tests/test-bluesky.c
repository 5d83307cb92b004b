/* test-bluesky.c — the Bluesky provider against Bluesky's own PDS, on loopback
 *
 * Run through test-bluesky.sh, which starts tests/peers/bluesky/start-pds.js
 * and hands its ready line over in SD_BLUESKY_PEER_INFO. Every check reads
 * what the PDS really stored (com.atproto.repo.getRecord, listRecords,
 * com.atproto.sync.getBlob), field by field.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>

#include "sd-bluesky.h"
#include "sd-http.h"

typedef struct
{
  char *pds_url;
  char *alice_did;
  char *alice_app_password;
  char *alice_expired_access;
  char *alice_expired_refresh;
  char *bob_did;
  char *tmpdir;
} Peer;

static Peer peer;

/* Helpers */

static JsonNode *
http_json (const char *method,
           const char *url,
           const char *token,
           JsonNode   *body,
           guint      *status_out)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (msg);
  if (token != NULL)
    sd_http_set_bearer (msg, token);
  if (body != NULL)
    {
      g_autofree char *text = json_to_string (body, FALSE);
      g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = soup_session_send_and_read (sd_http_get_session (), msg, NULL, &error);
  g_assert_no_error (error);
  if (status_out != NULL)
    *status_out = soup_message_get_status (msg);
  return sd_http_parse_json (answer, NULL);
}

static GBytes *
http_bytes (const char *url)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  GBytes *answer;

  answer = soup_session_send_and_read (sd_http_get_session (), msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  return answer;
}

/* The stored record behind an at:// URI: the getRecord answer (uri, cid, value). */
static JsonNode *
get_record (const char *at_uri)
{
  g_auto(GStrv) pieces = NULL;
  g_autofree char *url = NULL;
  JsonNode *answer;
  guint status = 0;

  g_assert_true (g_str_has_prefix (at_uri, "at://"));
  pieces = g_strsplit (at_uri + strlen ("at://"), "/", 3);
  g_assert_cmpuint (g_strv_length (pieces), ==, 3);
  url = g_strdup_printf ("%s/xrpc/com.atproto.repo.getRecord?repo=%s&collection=%s&rkey=%s",
                         peer.pds_url, pieces[0], pieces[1], pieces[2]);
  answer = http_json ("GET", url, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (answer);
  return answer;
}

static JsonObject *
record_value (JsonNode *answer)
{
  return json_object_get_object_member (json_node_get_object (answer), "value");
}

static guint
count_posts_with_key (const char *rkey)
{
  g_autofree char *url = NULL;
  g_autofree char *suffix = g_strconcat ("/", rkey, NULL);
  g_autoptr(JsonNode) answer = NULL;
  JsonArray *records;
  guint count = 0;
  guint status = 0;

  url = g_strdup_printf ("%s/xrpc/com.atproto.repo.listRecords?repo=%s&collection=app.bsky.feed.post&limit=100",
                         peer.pds_url, peer.alice_did);
  answer = http_json ("GET", url, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  records = json_object_get_array_member (json_node_get_object (answer), "records");
  g_assert_cmpuint (json_array_get_length (records), <, 100);
  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *record = json_array_get_object_element (records, i);

      if (g_str_has_suffix (json_object_get_string_member (record, "uri"), suffix))
        count++;
    }
  return count;
}

#define assert_outcome(call, expected, status) G_STMT_START { \
    SdOutcome outcome_ = (call); \
    if (outcome_ != (expected)) \
      g_test_message ("outcome %s: %s", sd_outcome_to_string (outcome_), \
                      (status)->message != NULL ? (status)->message : "(no message)"); \
    g_assert_cmpstr (sd_outcome_to_string (outcome_), ==, sd_outcome_to_string (expected)); \
  } G_STMT_END

typedef struct
{
  SdAccount        *account;
  SdCredentials    *credentials;
  SdProvider       *provider;
  SdProviderStatus  status;
} Alice;

static void
alice_sign_in (Alice *alice)
{
  SdOutcome outcome;

  alice->account = sd_account_new (SD_PLATFORM_BLUESKY);
  sd_account_set_server_url (alice->account, peer.pds_url);
  alice->provider = SD_PROVIDER (sd_bluesky_new ());
  outcome = sd_bluesky_sign_in (sd_http_get_session (), alice->account, "@alice.test ",
                                peer.alice_app_password, &alice->credentials, NULL,
                                &alice->status);
  g_assert_cmpstr (alice->status.message, ==, NULL);
  g_assert_cmpint (outcome, ==, SD_OUTCOME_DONE);
  g_assert_nonnull (alice->credentials);
  alice->credentials->changed = FALSE;
}

static void
alice_clear (Alice *alice)
{
  g_clear_object (&alice->account);
  g_clear_object (&alice->provider);
  g_clear_pointer (&alice->credentials, sd_credentials_free);
  sd_provider_status_clear (&alice->status);
}

static SdPublishContext
context_for (Alice               *alice,
             const SdPublishPart *root,
             const SdPublishPart *parent)
{
  SdPublishContext ctx = {
    .account = alice->account,
    .credentials = alice->credentials,
    .session = sd_http_get_session (),
    .root = root,
    .parent = parent,
  };

  return ctx;
}

static SdPublishPart *
publish (Alice               *alice,
         const char          *text,
         const SdPublishPart *root,
         const SdPublishPart *parent)
{
  g_autofree char *key = sd_bluesky_new_tid ();
  SdPublishPart *part = sd_publish_part_new (0, text, key);
  SdPublishContext ctx = context_for (alice, root, parent);

  assert_outcome (sd_provider_publish_part (alice->provider, &ctx, part, NULL, &alice->status),
                  SD_OUTCOME_DONE, &alice->status);
  return part;
}

static void
assert_part_published (SdPublishPart *part)
{
  g_autofree char *uri = g_strdup_printf ("at://%s/app.bsky.feed.post/%s", peer.alice_did, part->key);
  g_autofree char *url = g_strdup_printf ("https://bsky.app/profile/alice.test/post/%s", part->key);
  g_autoptr(JsonNode) stored = get_record (part->remote_id);

  g_assert_cmpstr (part->remote_id, ==, uri);
  g_assert_cmpstr (part->remote_url, ==, url);
  g_assert_nonnull (part->remote_cid);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (stored), "cid"), ==,
                   part->remote_cid);
}

static JsonObject *
facet_at (JsonArray *facets,
          gsize      start)
{
  for (guint i = 0; i < json_array_get_length (facets); i++)
    {
      JsonObject *facet = json_array_get_object_element (facets, i);
      JsonObject *index = json_object_get_object_member (facet, "index");

      if ((gsize) json_object_get_int_member (index, "byteStart") == start)
        return facet;
    }
  return NULL;
}

static void
assert_facet (JsonArray  *facets,
              const char *text,
              const char *piece,
              const char *type,
              const char *member,
              const char *value)
{
  const char *found = strstr (text, piece);
  gsize start = (gsize) (found - text);
  JsonObject *facet, *index, *feature;
  JsonArray *features;

  g_assert_nonnull (found);
  facet = facet_at (facets, start);
  g_assert_nonnull (facet);
  index = json_object_get_object_member (facet, "index");
  g_assert_cmpint (json_object_get_int_member (index, "byteEnd"), ==, start + strlen (piece));
  features = json_object_get_array_member (facet, "features");
  g_assert_cmpuint (json_array_get_length (features), ==, 1);
  feature = json_array_get_object_element (features, 0);
  g_assert_cmpstr (json_object_get_string_member (feature, "$type"), ==, type);
  g_assert_cmpstr (json_object_get_string_member (feature, member), ==, value);
}

static char *
write_image (const char *name,
             int         width,
             int         height,
             gboolean    noise)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, width, height);
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  char *path = g_build_filename (peer.tmpdir, name, NULL);
  guchar *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guchar *p = pixels + y * stride + x * 4;

        p[0] = noise ? (guchar) g_rand_int (rand) : 200;
        p[1] = noise ? (guchar) g_rand_int (rand) : (guchar) (x % 256);
        p[2] = noise ? (guchar) g_rand_int (rand) : (guchar) (y % 256);
        p[3] = noise ? 255 : (guchar) (128 + x % 128);
      }
  gdk_pixbuf_save (pixbuf, path, "png", &error, NULL);
  g_assert_no_error (error);
  return path;
}

static gsize
file_size (const char *path)
{
  GStatBuf info;

  g_assert_cmpint (g_stat (path, &info), ==, 0);
  return (gsize) info.st_size;
}

static GBytes *
get_blob (const char *cid)
{
  g_autofree char *url = g_strdup_printf ("%s/xrpc/com.atproto.sync.getBlob?did=%s&cid=%s",
                                          peer.pds_url, peer.alice_did, cid);
  return http_bytes (url);
}

/* Tests */

static void
test_tid (void)
{
  g_autoptr(GRegex) syntax = g_regex_new ("^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$",
                                          0, 0, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *previous = NULL;

  for (guint i = 0; i < 2000; i++)
    {
      char *tid = sd_bluesky_new_tid ();

      g_assert_true (g_regex_match (syntax, tid, 0, NULL));
      if (previous != NULL)
        g_assert_cmpint (strcmp (previous, tid), <, 0);
      g_assert_true (g_hash_table_add (seen, tid));
      g_free (previous);
      previous = g_strdup (tid);
    }
}

static void
test_sign_in (void)
{
  Alice alice = { 0 };
  SdPublishContext ctx;

  alice_sign_in (&alice);
  g_assert_cmpstr (sd_account_get_remote_id (alice.account), ==, peer.alice_did);
  g_assert_cmpstr (sd_account_get_handle (alice.account), ==, "alice.test");
  g_assert_nonnull (alice.credentials->access_token);
  g_assert_nonnull (alice.credentials->refresh_token);
  g_assert_cmpstr (alice.credentials->app_password, ==, peer.alice_app_password);
  g_assert_cmpint (alice.credentials->expires_at, >, g_get_real_time () / G_USEC_PER_SEC);
  g_assert_cmpint (sd_account_get_token_expires_at (alice.account), >,
                   alice.credentials->expires_at);

  /* verify_account: the profile record (no AppView here) gives the display name. */
  {
    g_autoptr(JsonNode) body = NULL;
    g_autoptr(JsonNode) answer = NULL;
    g_autofree char *url = g_strdup_printf ("%s/xrpc/com.atproto.repo.putRecord", peer.pds_url);
    g_autofree char *json = g_strdup_printf ("{\"repo\":\"%s\",\"collection\":\"app.bsky.actor.profile\","
                                             "\"rkey\":\"self\",\"record\":{\"$type\":\"app.bsky.actor.profile\","
                                             "\"displayName\":\"Alice Example\"}}", peer.alice_did);
    guint status = 0;

    body = json_from_string (json, NULL);
    answer = http_json ("POST", url, alice.credentials->access_token, body, &status);
    g_assert_cmpuint (status, ==, 200);
  }
  g_clear_object (&alice.account);
  alice.account = sd_account_new (SD_PLATFORM_BLUESKY);
  sd_account_set_server_url (alice.account, peer.pds_url);
  ctx = context_for (&alice, NULL, NULL);
  assert_outcome (sd_provider_verify_account (alice.provider, &ctx, NULL, &alice.status),
                  SD_OUTCOME_DONE, &alice.status);
  g_assert_cmpstr (sd_account_get_remote_id (alice.account), ==, peer.alice_did);
  g_assert_cmpstr (sd_account_get_handle (alice.account), ==, "alice.test");
  g_assert_cmpstr (sd_account_get_display_name (alice.account), ==, "Alice Example");
  g_assert_cmpint (sd_account_get_limit (alice.account, "max_graphemes", 0), ==, 300);
  g_assert_cmpint (sd_account_get_limit (alice.account, "max_images", 0), ==, 4);
  g_assert_cmpint (sd_account_get_limit (alice.account, "max_image_bytes", 0), ==, 2000000);
  g_assert_false (alice.credentials->changed);

  g_assert_cmpint (sd_provider_get_platform (alice.provider), ==, SD_PLATFORM_BLUESKY);
  g_assert_cmpint (sd_provider_min_schedule_ahead (alice.provider), ==, 0);
  alice_clear (&alice);
}

static void
test_wrong_password (void)
{
  g_autoptr(SdAccount) account = sd_account_new (SD_PLATFORM_BLUESKY);
  SdCredentials *credentials = NULL;
  SdProviderStatus status = { 0 };

  sd_account_set_server_url (account, peer.pds_url);
  g_assert_cmpint (sd_bluesky_sign_in (sd_http_get_session (), account, "alice.test",
                                       "aaaa-bbbb-cccc-dddd", &credentials, NULL, &status),
                   ==, SD_OUTCOME_AUTH);
  g_assert_null (credentials);
  g_assert_cmpuint (status.http_status, ==, 401);
  g_assert_nonnull (strstr (status.message, "alice.test"));
  g_assert_nonnull (strstr (status.message, "app password"));
  g_assert_nonnull (strstr (status.message, "Settings → Privacy and security → App passwords"));
  g_assert_null (sd_account_get_remote_id (account));
  sd_provider_status_clear (&status);
}

static void
test_text_and_facets (void)
{
  const char *text = "Café ☕ with @bob.test and @nobody.test: read https://example.com/a?b=c "
                     "or docs.gnome.org, #GTK4 #socialdesk!";
  g_autoptr(SdPublishPart) part = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(GRegex) iso = g_regex_new ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$", 0, 0, NULL);
  Alice alice = { 0 };
  JsonObject *value;
  JsonArray *facets;

  alice_sign_in (&alice);
  part = publish (&alice, text, NULL, NULL);
  assert_part_published (part);

  stored = get_record (part->remote_id);
  value = record_value (stored);
  g_assert_cmpstr (json_object_get_string_member (value, "$type"), ==, "app.bsky.feed.post");
  g_assert_cmpstr (json_object_get_string_member (value, "text"), ==, text);
  g_assert_true (g_regex_match (iso, json_object_get_string_member (value, "createdAt"), 0, NULL));
  g_assert_false (json_object_has_member (value, "reply"));
  g_assert_false (json_object_has_member (value, "embed"));

  facets = json_object_get_array_member (value, "facets");
  /* @nobody.test resolves to no one: no facet for it. */
  g_assert_cmpuint (json_array_get_length (facets), ==, 5);
  assert_facet (facets, text, "@bob.test", "app.bsky.richtext.facet#mention", "did", peer.bob_did);
  assert_facet (facets, text, "https://example.com/a?b=c", "app.bsky.richtext.facet#link", "uri",
                "https://example.com/a?b=c");
  assert_facet (facets, text, "docs.gnome.org", "app.bsky.richtext.facet#link", "uri",
                "https://docs.gnome.org");
  assert_facet (facets, text, "#GTK4", "app.bsky.richtext.facet#tag", "tag", "GTK4");
  assert_facet (facets, text, "#socialdesk", "app.bsky.richtext.facet#tag", "tag", "socialdesk");
  g_assert_null (facet_at (facets, (gsize) (strstr (text, "@nobody.test") - text)));
  /* Bytes, not characters: "Café ☕ with " is 15 bytes, 12 characters. */
  g_assert_nonnull (facet_at (facets, 15));

  alice_clear (&alice);
}

static void
test_image (void)
{
  g_autofree char *path = write_image ("small.png", 300, 200, FALSE);
  g_autofree char *key = sd_bluesky_new_tid ();
  g_autoptr(SdPublishPart) part = sd_publish_part_new (0, "A picture", key);
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(GBytes) blob_bytes = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  Alice alice = { 0 };
  SdPublishContext ctx;
  JsonObject *embed, *image, *blob, *ratio;
  JsonArray *images;

  alice_sign_in (&alice);
  sd_publish_part_add_media (part, path, "image/png", "A gradient on pink", 300, 200);
  ctx = context_for (&alice, NULL, NULL);
  assert_outcome (sd_provider_publish_part (alice.provider, &ctx, part, NULL, &alice.status),
                  SD_OUTCOME_DONE, &alice.status);
  assert_part_published (part);

  stored = get_record (part->remote_id);
  embed = json_object_get_object_member (record_value (stored), "embed");
  g_assert_cmpstr (json_object_get_string_member (embed, "$type"), ==, "app.bsky.embed.images");
  images = json_object_get_array_member (embed, "images");
  g_assert_cmpuint (json_array_get_length (images), ==, 1);
  image = json_array_get_object_element (images, 0);
  g_assert_cmpstr (json_object_get_string_member (image, "alt"), ==, "A gradient on pink");
  ratio = json_object_get_object_member (image, "aspectRatio");
  g_assert_cmpint (json_object_get_int_member (ratio, "width"), ==, 300);
  g_assert_cmpint (json_object_get_int_member (ratio, "height"), ==, 200);
  blob = json_object_get_object_member (image, "image");
  g_assert_cmpstr (json_object_get_string_member (blob, "$type"), ==, "blob");
  g_assert_cmpstr (json_object_get_string_member (blob, "mimeType"), ==, "image/png");
  g_assert_cmpint (json_object_get_int_member (blob, "size"), ==, file_size (path));

  /* The blob is the file itself. */
  blob_bytes = get_blob (json_object_get_string_member (json_object_get_object_member (blob, "ref"),
                                                        "$link"));
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpmem (g_bytes_get_data (blob_bytes, NULL), g_bytes_get_size (blob_bytes), contents, length);
  alice_clear (&alice);
}

static void
test_big_image (void)
{
  g_autofree char *path = write_image ("noise.png", 2000, 1600, TRUE);
  g_autofree char *key = sd_bluesky_new_tid ();
  g_autoptr(SdPublishPart) part = sd_publish_part_new (0, "Static", key);
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(GBytes) blob_bytes = NULL;
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *format = NULL;
  Alice alice = { 0 };
  SdPublishContext ctx;
  JsonObject *image, *blob, *ratio;
  GdkPixbuf *shrunk;
  gint64 width, height;

  g_assert_cmpuint (file_size (path), >, 2000000);
  alice_sign_in (&alice);
  sd_publish_part_add_media (part, path, "image/png", "", 2000, 1600);
  ctx = context_for (&alice, NULL, NULL);
  assert_outcome (sd_provider_publish_part (alice.provider, &ctx, part, NULL, &alice.status),
                  SD_OUTCOME_DONE, &alice.status);

  stored = get_record (part->remote_id);
  image = json_array_get_object_element (json_object_get_array_member (
    json_object_get_object_member (record_value (stored), "embed"), "images"), 0);
  g_assert_cmpstr (json_object_get_string_member (image, "alt"), ==, "");
  blob = json_object_get_object_member (image, "image");
  g_assert_cmpstr (json_object_get_string_member (blob, "mimeType"), ==, "image/jpeg");
  g_assert_cmpint (json_object_get_int_member (blob, "size"), <=, 2000000);
  g_assert_cmpint (json_object_get_int_member (blob, "size"), >, 100000);

  ratio = json_object_get_object_member (image, "aspectRatio");
  width = json_object_get_int_member (ratio, "width");
  height = json_object_get_int_member (ratio, "height");
  /* Noise does not compress: re-encoding alone is not enough, it must be scaled down. */
  g_assert_cmpint (width, <, 2000);
  g_assert_cmpfloat_with_epsilon ((double) width / height, 1.25, 0.01);

  /* What the PDS holds is a JPEG of exactly the size the record says. */
  blob_bytes = get_blob (json_object_get_string_member (json_object_get_object_member (blob, "ref"),
                                                        "$link"));
  g_assert_cmpint (g_bytes_get_size (blob_bytes), ==, json_object_get_int_member (blob, "size"));
  gdk_pixbuf_loader_write_bytes (loader, blob_bytes, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);
  format = gdk_pixbuf_format_get_name (gdk_pixbuf_loader_get_format (loader));
  g_assert_cmpstr (format, ==, "jpeg");
  shrunk = gdk_pixbuf_loader_get_pixbuf (loader);
  g_assert_cmpint (gdk_pixbuf_get_width (shrunk), ==, width);
  g_assert_cmpint (gdk_pixbuf_get_height (shrunk), ==, height);
  alice_clear (&alice);
}

static void
assert_reply (JsonObject          *value,
              const SdPublishPart *root,
              const SdPublishPart *parent)
{
  JsonObject *reply = json_object_get_object_member (value, "reply");
  JsonObject *root_ref = json_object_get_object_member (reply, "root");
  JsonObject *parent_ref = json_object_get_object_member (reply, "parent");

  g_assert_cmpstr (json_object_get_string_member (root_ref, "uri"), ==, root->remote_id);
  g_assert_cmpstr (json_object_get_string_member (root_ref, "cid"), ==, root->remote_cid);
  g_assert_cmpstr (json_object_get_string_member (parent_ref, "uri"), ==, parent->remote_id);
  g_assert_cmpstr (json_object_get_string_member (parent_ref, "cid"), ==, parent->remote_cid);
}

static void
test_thread (void)
{
  g_autoptr(SdPublishPart) first = NULL;
  g_autoptr(SdPublishPart) second = NULL;
  g_autoptr(SdPublishPart) third = NULL;
  g_autoptr(JsonNode) stored_first = NULL;
  g_autoptr(JsonNode) stored_second = NULL;
  g_autoptr(JsonNode) stored_third = NULL;
  Alice alice = { 0 };

  alice_sign_in (&alice);
  first = publish (&alice, "1/3 A thread", NULL, NULL);
  second = publish (&alice, "2/3 goes on", first, first);
  third = publish (&alice, "3/3 and ends", first, second);
  assert_part_published (first);
  assert_part_published (second);
  assert_part_published (third);

  stored_first = get_record (first->remote_id);
  stored_second = get_record (second->remote_id);
  stored_third = get_record (third->remote_id);
  g_assert_false (json_object_has_member (record_value (stored_first), "reply"));
  g_assert_cmpstr (json_object_get_string_member (record_value (stored_second), "text"), ==, "2/3 goes on");
  assert_reply (record_value (stored_second), first, first);
  g_assert_cmpstr (json_object_get_string_member (record_value (stored_third), "text"), ==, "3/3 and ends");
  assert_reply (record_value (stored_third), first, second);
  alice_clear (&alice);
}

static void
test_exactly_once (void)
{
  g_autofree char *key = sd_bluesky_new_tid ();
  g_autoptr(SdPublishPart) part = sd_publish_part_new (0, "Only once, however often it is sent", key);
  g_autoptr(SdPublishPart) unsent = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *cid = NULL;
  g_autofree char *unsent_key = sd_bluesky_new_tid ();
  Alice alice = { 0 };
  SdPublishContext ctx;

  alice_sign_in (&alice);
  ctx = context_for (&alice, NULL, NULL);
  g_assert_true (sd_provider_resend_is_safe (alice.provider, &ctx, part));
  assert_outcome (sd_provider_publish_part (alice.provider, &ctx, part, NULL, &alice.status),
                  SD_OUTCOME_DONE, &alice.status);
  uri = g_strdup (part->remote_id);
  cid = g_strdup (part->remote_cid);
  g_assert_cmpuint (count_posts_with_key (key), ==, 1);

  /* Sent again as if the first answer had been lost: the PDS refuses the
   * second create, and the provider finds the first. */
  g_clear_pointer (&part->remote_id, g_free);
  g_clear_pointer (&part->remote_cid, g_free);
  g_clear_pointer (&part->remote_url, g_free);
  assert_outcome (sd_provider_publish_part (alice.provider, &ctx, part, NULL, &alice.status),
                  SD_OUTCOME_DONE, &alice.status);
  g_assert_cmpstr (alice.status.message, ==, NULL);
  g_assert_cmpstr (part->remote_id, ==, uri);
  g_assert_cmpstr (part->remote_cid, ==, cid);
  assert_part_published (part);

  /* A retry that knows it was sent before looks first. */
  g_clear_pointer (&part->remote_id, g_free);
  g_clear_pointer (&part->remote_cid, g_free);
  ctx.first_attempt_at = g_get_real_time () / G_USEC_PER_SEC - 60;
  assert_outcome (sd_provider_publish_part (alice.provider, &ctx, part, NULL, &alice.status),
                  SD_OUTCOME_DONE, &alice.status);
  g_assert_cmpstr (part->remote_id, ==, uri);
  g_assert_cmpuint (count_posts_with_key (key), ==, 1);

  /* find_part */
  g_clear_pointer (&part->remote_id, g_free);
  g_clear_pointer (&part->remote_cid, g_free);
  g_clear_pointer (&part->remote_url, g_free);
  assert_outcome (sd_provider_find_part (alice.provider, &ctx, part, NULL, &alice.status),
                  SD_OUTCOME_DONE, &alice.status);
  assert_part_published (part);
  g_assert_cmpstr (part->remote_id, ==, uri);
  g_assert_cmpstr (part->remote_cid, ==, cid);

  unsent = sd_publish_part_new (0, "Never sent", unsent_key);
  assert_outcome (sd_provider_find_part (alice.provider, &ctx, unsent, NULL, &alice.status),
                  SD_OUTCOME_RETRY, &alice.status);
  g_assert_null (unsent->remote_id);
  alice_clear (&alice);
}

static void
publish_after_token_trouble (Alice      *alice,
                             const char *access_token)
{
  g_autofree char *old_refresh = g_strdup (alice->credentials->refresh_token);
  g_autoptr(SdPublishPart) part = NULL;

  g_free (alice->credentials->access_token);
  alice->credentials->access_token = g_strdup (access_token);
  alice->credentials->changed = FALSE;

  part = publish (alice, "Sent with a renewed session", NULL, NULL);
  assert_part_published (part);
  g_assert_true (alice->credentials->changed);
  g_assert_cmpstr (alice->credentials->access_token, !=, access_token);
  g_assert_cmpstr (alice->credentials->refresh_token, !=, old_refresh);
  g_assert_cmpint (alice->credentials->expires_at, >, g_get_real_time () / G_USEC_PER_SEC);
}

static void
test_expired_access_token (void)
{
  Alice alice = { 0 };

  alice_sign_in (&alice);
  /* An access token that ran out: the PDS says ExpiredToken. */
  publish_after_token_trouble (&alice, peer.alice_expired_access);
  alice_clear (&alice);
}

static void
test_corrupt_access_token (void)
{
  Alice alice = { 0 };
  g_autofree char *corrupt = NULL;

  alice_sign_in (&alice);
  /* A damaged signature: the PDS says InvalidToken. */
  corrupt = g_strconcat (alice.credentials->access_token, "x", NULL);
  publish_after_token_trouble (&alice, corrupt);
  alice_clear (&alice);
}

static void
test_expired_refresh_token_app_password (void)
{
  Alice alice = { 0 };

  alice_sign_in (&alice);
  /* Both tokens ran out: the app password signs in again. */
  g_free (alice.credentials->refresh_token);
  alice.credentials->refresh_token = g_strdup (peer.alice_expired_refresh);
  publish_after_token_trouble (&alice, peer.alice_expired_access);
  g_assert_cmpstr (alice.credentials->app_password, ==, peer.alice_app_password);
  alice_clear (&alice);
}

static void
test_expired_refresh_token (void)
{
  g_autofree char *key = sd_bluesky_new_tid ();
  g_autoptr(SdPublishPart) part = sd_publish_part_new (0, "Cannot be sent", key);
  Alice alice = { 0 };
  SdPublishContext ctx;

  alice_sign_in (&alice);
  g_free (alice.credentials->access_token);
  alice.credentials->access_token = g_strdup (peer.alice_expired_access);
  g_free (alice.credentials->refresh_token);
  alice.credentials->refresh_token = g_strdup (peer.alice_expired_refresh);
  g_clear_pointer (&alice.credentials->app_password, g_free);

  ctx = context_for (&alice, NULL, NULL);
  assert_outcome (sd_provider_publish_part (alice.provider, &ctx, part, NULL, &alice.status),
                  SD_OUTCOME_AUTH, &alice.status);
  g_assert_nonnull (strstr (alice.status.message, "needs sign-in again"));
  g_assert_nonnull (strstr (alice.status.message, "@alice.test"));
  g_assert_false (alice.credentials->changed);
  g_assert_null (part->remote_id);
  g_assert_cmpuint (count_posts_with_key (key), ==, 0);

  assert_outcome (sd_provider_verify_account (alice.provider, &ctx, NULL, &alice.status),
                  SD_OUTCOME_AUTH, &alice.status);
  alice_clear (&alice);
}

static void
test_refusals (void)
{
  g_autofree char *key = sd_bluesky_new_tid ();
  g_autofree char *long_text = g_strnfill (301, 'a');
  g_autofree char *image = write_image ("five.png", 20, 20, FALSE);
  g_autoptr(SdPublishPart) part = sd_publish_part_new (0, long_text, key);
  g_autoptr(SdPublishPart) orphan = NULL;
  g_autoptr(SdPublishPart) five = NULL;
  g_autoptr(SdPublishPart) unpublished = sd_publish_part_new (0, "Never sent", "3aaaaaaaaaaa2");
  Alice alice = { 0 };
  SdPublishContext ctx;

  alice_sign_in (&alice);
  ctx = context_for (&alice, NULL, NULL);

  /* The PDS checks the record: 301 graphemes are too many, in its own words. */
  assert_outcome (sd_provider_publish_part (alice.provider, &ctx, part, NULL, &alice.status),
                  SD_OUTCOME_FAILED, &alice.status);
  g_test_message ("%s", alice.status.message);
  g_assert_cmpuint (alice.status.http_status, ==, 400);
  g_assert_nonnull (strstr (alice.status.message, "Bluesky said: “"));
  g_assert_nonnull (strstr (alice.status.message, "grapheme too big (maximum 300, got 301)"));
  g_assert_null (part->remote_id);
  g_assert_cmpuint (count_posts_with_key (key), ==, 0);

  /* A reply to a part that is not on Bluesky. */
  g_free (key);
  key = sd_bluesky_new_tid ();
  orphan = sd_publish_part_new (1, "A reply", key);
  ctx = context_for (&alice, unpublished, unpublished);
  assert_outcome (sd_provider_publish_part (alice.provider, &ctx, orphan, NULL, &alice.status),
                  SD_OUTCOME_FAILED, &alice.status);
  g_assert_cmpuint (count_posts_with_key (key), ==, 0);

  /* Five images: four is Bluesky's most. */
  g_free (key);
  key = sd_bluesky_new_tid ();
  five = sd_publish_part_new (0, "Five", key);
  for (guint i = 0; i < 5; i++)
    sd_publish_part_add_media (five, image, "image/png", "", 20, 20);
  ctx = context_for (&alice, NULL, NULL);
  assert_outcome (sd_provider_publish_part (alice.provider, &ctx, five, NULL, &alice.status),
                  SD_OUTCOME_FAILED, &alice.status);
  g_assert_cmpuint (count_posts_with_key (key), ==, 0);

  /* Nothing listens: nothing was sent (RETRY), and nothing can be told (UNCERTAIN). */
  sd_account_set_server_url (alice.account, "http://127.0.0.1:1");
  assert_outcome (sd_provider_publish_part (alice.provider, &ctx, five, NULL, &alice.status),
                  SD_OUTCOME_FAILED, &alice.status);
  g_free (five->text);
  five->text = g_strdup ("Nowhere");
  g_ptr_array_set_size (five->media, 0);
  assert_outcome (sd_provider_publish_part (alice.provider, &ctx, five, NULL, &alice.status),
                  SD_OUTCOME_RETRY, &alice.status);
  g_assert_cmpuint (alice.status.http_status, ==, 0);
  assert_outcome (sd_provider_find_part (alice.provider, &ctx, five, NULL, &alice.status),
                  SD_OUTCOME_UNCERTAIN, &alice.status);
  alice_clear (&alice);
}

static void
load_peer (void)
{
  const char *info = g_getenv ("SD_BLUESKY_PEER_INFO");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object, *alice, *bob;

  if (info == NULL)
    {
      g_print ("SKIP: SD_BLUESKY_PEER_INFO is not set: run this through test-bluesky.sh\n");
      exit (77);
    }
  root = json_from_string (info, &error);
  g_assert_no_error (error);
  object = json_node_get_object (root);
  g_assert_true (json_object_get_boolean_member (object, "ready"));
  alice = json_object_get_object_member (object, "alice");
  bob = json_object_get_object_member (object, "bob");
  peer.pds_url = g_strdup (json_object_get_string_member (object, "pds_url"));
  peer.alice_did = g_strdup (json_object_get_string_member (alice, "did"));
  peer.alice_app_password = g_strdup (json_object_get_string_member (alice, "app_password"));
  peer.alice_expired_access = g_strdup (json_object_get_string_member (alice, "expired_access_jwt"));
  peer.alice_expired_refresh = g_strdup (json_object_get_string_member (alice, "expired_refresh_jwt"));
  peer.bob_did = g_strdup (json_object_get_string_member (bob, "did"));
  peer.tmpdir = g_dir_make_tmp ("test-bluesky-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tmpdir (void)
{
  g_autoptr(GDir) dir = g_dir_open (peer.tmpdir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (peer.tmpdir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (peer.tmpdir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  sd_http_get_session ();
  load_peer ();

  g_test_add_func ("/bluesky/tid", test_tid);
  g_test_add_func ("/bluesky/sign-in", test_sign_in);
  g_test_add_func ("/bluesky/wrong-password", test_wrong_password);
  g_test_add_func ("/bluesky/text-and-facets", test_text_and_facets);
  g_test_add_func ("/bluesky/image", test_image);
  g_test_add_func ("/bluesky/big-image", test_big_image);
  g_test_add_func ("/bluesky/thread", test_thread);
  g_test_add_func ("/bluesky/exactly-once", test_exactly_once);
  g_test_add_func ("/bluesky/refusals", test_refusals);
  g_test_add_func ("/bluesky/expired-access-token", test_expired_access_token);
  g_test_add_func ("/bluesky/corrupt-access-token", test_corrupt_access_token);
  g_test_add_func ("/bluesky/expired-refresh-token-app-password", test_expired_refresh_token_app_password);
  g_test_add_func ("/bluesky/expired-refresh-token", test_expired_refresh_token);
  status = g_test_run ();

  remove_tmpdir ();
  return status;
}
