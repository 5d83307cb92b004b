/* sd-post-json.c — the stable JSON form of posts (documented in README.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-json"

#include "sd-post-json.h"
#include "sd-time.h"

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       time)
{
  g_autofree char *iso = NULL;

  json_builder_set_member_name (builder, name);
  if (time == SD_POST_NO_TIME || !(iso = sd_time_format_iso8601 (time)))
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, iso);
}

static void
add_post (JsonBuilder *builder,
          SdPost      *post)
{
  SdPlatformSet platforms = sd_post_get_platforms (post);

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, sd_post_get_id (post));
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, sd_post_get_text (post));

  json_builder_set_member_name (builder, "platforms");
  json_builder_begin_array (builder);
  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    if (sd_platform_set_contains (platforms, platform))
      json_builder_add_string_value (builder, sd_platform_get_info (platform)->id);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, sd_post_state_to_string (sd_post_get_state (post)));

  /* Networks with their own text; the others follow "text". */
  json_builder_set_member_name (builder, "variants");
  json_builder_begin_object (builder);
  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      const char *own = sd_post_get_variant_text (post, platform);

      if (own == NULL || !sd_platform_set_contains (platforms, platform))
        continue;
      json_builder_set_member_name (builder, sd_platform_get_info (platform)->id);
      json_builder_add_string_value (builder, own);
    }
  json_builder_end_object (builder);

  /* Each network's options (a YouTube title, a TikTok privacy choice), by key. */
  json_builder_set_member_name (builder, "options");
  json_builder_begin_object (builder);
  for (SdPlatform platform = 0; platform < SD_N_PLATFORMS; platform++)
    {
      g_autofree char *options = NULL;
      g_autoptr(JsonNode) node = NULL;

      if (!sd_platform_set_contains (platforms, platform)
          || (options = sd_post_dup_options_json (post, platform)) == NULL
          || (node = json_from_string (options, NULL)) == NULL)
        continue;
      json_builder_set_member_name (builder, sd_platform_get_info (platform)->id);
      json_builder_add_value (builder, g_steal_pointer (&node));
    }
  json_builder_end_object (builder);

  /* Where a network has threads, whether a long text is split into one. */
  json_builder_set_member_name (builder, "thread");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "auto");
  json_builder_add_boolean_value (builder, sd_post_get_thread_auto (post));
  json_builder_set_member_name (builder, "numbering");
  json_builder_add_boolean_value (builder, sd_post_get_thread_numbering (post));
  json_builder_end_object (builder);

  /* The images and videos, in posting order, with the file SocialDesk keeps of each. */
  json_builder_set_member_name (builder, "media");
  json_builder_begin_array (builder);
  for (guint i = 0; i < sd_post_get_attachments (post)->len; i++)
    {
      SdAttachment *a = sd_post_get_attachments (post)->pdata[i];

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, sd_attachment_get_media_id (a));
      json_builder_set_member_name (builder, "file");
      json_builder_add_string_value (builder, sd_attachment_get_path (a));
      json_builder_set_member_name (builder, "mime_type");
      json_builder_add_string_value (builder, sd_attachment_get_mime_type (a));
      json_builder_set_member_name (builder, "width");
      json_builder_add_int_value (builder, sd_attachment_get_width (a));
      json_builder_set_member_name (builder, "height");
      json_builder_add_int_value (builder, sd_attachment_get_height (a));
      json_builder_set_member_name (builder, "bytes");
      json_builder_add_int_value (builder, sd_attachment_get_bytes (a));
      json_builder_set_member_name (builder, "alt_text");
      json_builder_add_string_value (builder, sd_attachment_get_alt_text (a));
      json_builder_set_member_name (builder, "public_url");
      if (sd_attachment_get_public_url (a) != NULL)
        json_builder_add_string_value (builder, sd_attachment_get_public_url (a));
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  add_time (builder, "scheduled_at", sd_post_get_scheduled_at (post));
  add_time (builder, "created_at", sd_post_get_created_at (post));
  add_time (builder, "updated_at", sd_post_get_updated_at (post));

  json_builder_end_object (builder);
}

JsonNode *
sd_post_to_json_node (SdPost *post)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  add_post (builder, post);
  return json_builder_get_root (builder);
}

static char *
node_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, node);

  return json_generator_to_data (generator, NULL);
}

char *
sd_post_to_json (SdPost *post)
{
  g_autoptr(JsonNode) node = sd_post_to_json_node (post);

  return node_to_string (node);
}

char *
sd_posts_to_json (GPtrArray *posts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < posts->len; i++)
    add_post (builder, g_ptr_array_index (posts, i));
  json_builder_end_array (builder);

  node = json_builder_get_root (builder);
  return node_to_string (node);
}
