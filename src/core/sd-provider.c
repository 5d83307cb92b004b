/* sd-provider.c — the provider interface and the values it passes around
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-provider"

#include "config.h"

#include "sd-provider.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include <json-glib/json-glib.h>

G_DEFINE_INTERFACE (SdProvider, sd_provider, G_TYPE_OBJECT)

static void
sd_provider_default_init (SdProviderInterface *iface)
{
}

const char *
sd_outcome_to_string (SdOutcome outcome)
{
  switch (outcome)
    {
    case SD_OUTCOME_DONE: return "done";
    case SD_OUTCOME_RETRY: return "retry";
    case SD_OUTCOME_UNCERTAIN: return "uncertain";
    case SD_OUTCOME_FAILED: return "failed";
    case SD_OUTCOME_AUTH: return "auth";
    default: return "unknown";
    }
}

/* Status */

void
sd_provider_status_clear (SdProviderStatus *status)
{
  g_clear_pointer (&status->message, g_free);
  status->outcome = SD_OUTCOME_DONE;
  status->http_status = 0;
  status->retry_after = 0;
}

SdOutcome
sd_provider_status_set (SdProviderStatus *status,
                        SdOutcome         outcome,
                        const char       *format,
                        ...)
{
  va_list args;

  status->outcome = outcome;
  g_clear_pointer (&status->message, g_free);
  if (format != NULL)
    {
      va_start (args, format);
      status->message = g_strdup_vprintf (format, args);
      va_end (args);
    }
  return outcome;
}

/* Credentials */

SdCredentials *
sd_credentials_new (void)
{
  return g_new0 (SdCredentials, 1);
}

SdCredentials *
sd_credentials_copy (const SdCredentials *self)
{
  SdCredentials *copy = sd_credentials_new ();

  copy->access_token = g_strdup (self->access_token);
  copy->refresh_token = g_strdup (self->refresh_token);
  copy->app_password = g_strdup (self->app_password);
  copy->client_id = g_strdup (self->client_id);
  copy->client_secret = g_strdup (self->client_secret);
  copy->expires_at = self->expires_at;
  copy->refresh_expires_at = self->refresh_expires_at;
  copy->changed = self->changed;
  return copy;
}

static void
free_secret (char *secret)
{
  if (secret != NULL)
    {
      explicit_bzero (secret, strlen (secret));
      g_free (secret);
    }
}

void
sd_credentials_free (SdCredentials *self)
{
  if (self == NULL)
    return;
  free_secret (self->access_token);
  free_secret (self->refresh_token);
  free_secret (self->app_password);
  free_secret (self->client_id);
  free_secret (self->client_secret);
  g_free (self);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

char *
sd_credentials_to_json (const SdCredentials *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  add_string (builder, "access_token", self->access_token);
  add_string (builder, "refresh_token", self->refresh_token);
  add_string (builder, "app_password", self->app_password);
  add_string (builder, "client_id", self->client_id);
  add_string (builder, "client_secret", self->client_secret);
  if (self->expires_at != 0)
    {
      json_builder_set_member_name (builder, "expires_at");
      json_builder_add_int_value (builder, self->expires_at);
    }
  if (self->refresh_expires_at != 0)
    {
      json_builder_set_member_name (builder, "refresh_expires_at");
      json_builder_add_int_value (builder, self->refresh_expires_at);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static char *
dup_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

SdCredentials *
sd_credentials_from_json (const char  *json,
                          GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  SdCredentials *self;
  JsonNode *expires;

  root = json_from_string (json, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           "not an object");
      return NULL;
    }

  object = json_node_get_object (root);
  self = sd_credentials_new ();
  self->access_token = dup_member (object, "access_token");
  self->refresh_token = dup_member (object, "refresh_token");
  self->app_password = dup_member (object, "app_password");
  self->client_id = dup_member (object, "client_id");
  self->client_secret = dup_member (object, "client_secret");
  expires = json_object_get_member (object, "expires_at");
  if (expires != NULL && json_node_get_value_type (expires) == G_TYPE_INT64)
    self->expires_at = json_node_get_int (expires);
  expires = json_object_get_member (object, "refresh_expires_at");
  if (expires != NULL && json_node_get_value_type (expires) == G_TYPE_INT64)
    self->refresh_expires_at = json_node_get_int (expires);
  return self;
}

/* Parts */

static void
publish_media_free (SdPublishMedia *media)
{
  g_free (media->path);
  g_free (media->mime_type);
  g_free (media->alt_text);
  g_free (media->public_url);
  g_free (media);
}

gboolean
sd_publish_media_is_video (const SdPublishMedia *media)
{
  return media->mime_type != NULL && g_str_has_prefix (media->mime_type, "video/");
}

SdPublishPart *
sd_publish_part_new (guint       position,
                     const char *text,
                     const char *key)
{
  SdPublishPart *part = g_new0 (SdPublishPart, 1);

  part->position = position;
  part->text = g_strdup (text != NULL ? text : "");
  part->key = g_strdup (key);
  part->media = g_ptr_array_new_with_free_func ((GDestroyNotify) publish_media_free);
  return part;
}

void
sd_publish_part_free (SdPublishPart *part)
{
  if (part == NULL)
    return;
  g_free (part->text);
  g_free (part->key);
  g_free (part->remote_id);
  g_free (part->remote_url);
  g_free (part->remote_cid);
  g_free (part->stage);
  g_ptr_array_unref (part->media);
  g_free (part);
}

SdPublishMedia *
sd_publish_part_add_media (SdPublishPart *part,
                           const char    *path,
                           const char    *mime_type,
                           const char    *alt_text,
                           int            width,
                           int            height)
{
  SdPublishMedia *media = g_new0 (SdPublishMedia, 1);

  media->path = g_strdup (path);
  media->mime_type = g_strdup (mime_type);
  media->alt_text = g_strdup (alt_text != NULL ? alt_text : "");
  media->width = width;
  media->height = height;
  g_ptr_array_add (part->media, media);
  return media;
}

/* Context */

const char *
sd_publish_context_get_option (const SdPublishContext *ctx,
                               const char             *key)
{
  JsonNode *node;

  if (ctx->options == NULL || (node = json_object_get_member (ctx->options, key)) == NULL
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gboolean
sd_publish_context_set_stage (const SdPublishContext *ctx,
                              SdPublishPart          *part,
                              const char             *stage,
                              GError                **error)
{
  g_free (part->stage);
  part->stage = g_strdup (stage);
  return ctx->save_stage == NULL || ctx->save_stage (ctx, part, error);
}

/* Sign-in identities */

SdSignInIdentity *
sd_sign_in_identity_new (SdAccount     *account,
                         SdCredentials *credentials)
{
  SdSignInIdentity *identity = g_new0 (SdSignInIdentity, 1);

  identity->account = account;
  identity->credentials = credentials;
  return identity;
}

void
sd_sign_in_identity_free (SdSignInIdentity *identity)
{
  if (identity == NULL)
    return;
  g_clear_object (&identity->account);
  sd_credentials_free (identity->credentials);
  g_free (identity);
}

/* The interface */

SdPlatform
sd_provider_get_platform (SdProvider *self)
{
  g_return_val_if_fail (SD_IS_PROVIDER (self), 0);
  return SD_PROVIDER_GET_IFACE (self)->get_platform (self);
}

SdOutcome
sd_provider_publish_part (SdProvider             *self,
                          const SdPublishContext *ctx,
                          SdPublishPart          *part,
                          GCancellable           *cancellable,
                          SdProviderStatus       *status)
{
  g_return_val_if_fail (SD_IS_PROVIDER (self), SD_OUTCOME_FAILED);
  return SD_PROVIDER_GET_IFACE (self)->publish_part (self, ctx, part, cancellable, status);
}

gboolean
sd_provider_resend_is_safe (SdProvider             *self,
                            const SdPublishContext *ctx,
                            const SdPublishPart    *part)
{
  SdProviderInterface *iface;

  g_return_val_if_fail (SD_IS_PROVIDER (self), FALSE);
  iface = SD_PROVIDER_GET_IFACE (self);
  return iface->resend_is_safe != NULL && iface->resend_is_safe (self, ctx, part);
}

SdOutcome
sd_provider_find_part (SdProvider             *self,
                       const SdPublishContext *ctx,
                       SdPublishPart          *part,
                       GCancellable           *cancellable,
                       SdProviderStatus       *status)
{
  SdProviderInterface *iface;

  g_return_val_if_fail (SD_IS_PROVIDER (self), SD_OUTCOME_UNCERTAIN);
  iface = SD_PROVIDER_GET_IFACE (self);
  if (iface->find_part == NULL)
    return status->outcome = SD_OUTCOME_UNCERTAIN;
  return iface->find_part (self, ctx, part, cancellable, status);
}

gint64
sd_provider_min_schedule_ahead (SdProvider *self)
{
  SdProviderInterface *iface;

  g_return_val_if_fail (SD_IS_PROVIDER (self), 0);
  iface = SD_PROVIDER_GET_IFACE (self);
  return iface->min_schedule_ahead != NULL ? iface->min_schedule_ahead (self) : 0;
}

SdOutcome
sd_provider_schedule_part (SdProvider             *self,
                           const SdPublishContext *ctx,
                           SdPublishPart          *part,
                           GCancellable           *cancellable,
                           SdProviderStatus       *status)
{
  SdProviderInterface *iface;

  g_return_val_if_fail (SD_IS_PROVIDER (self), SD_OUTCOME_FAILED);
  iface = SD_PROVIDER_GET_IFACE (self);
  g_return_val_if_fail (iface->schedule_part != NULL, SD_OUTCOME_FAILED);
  return iface->schedule_part (self, ctx, part, cancellable, status);
}

SdOutcome
sd_provider_reschedule (SdProvider             *self,
                        const SdPublishContext *ctx,
                        const char             *scheduled_id,
                        gint64                  scheduled_at,
                        GCancellable           *cancellable,
                        SdProviderStatus       *status)
{
  SdProviderInterface *iface;

  g_return_val_if_fail (SD_IS_PROVIDER (self), SD_OUTCOME_FAILED);
  iface = SD_PROVIDER_GET_IFACE (self);
  g_return_val_if_fail (iface->reschedule != NULL, SD_OUTCOME_FAILED);
  return iface->reschedule (self, ctx, scheduled_id, scheduled_at, cancellable, status);
}

SdOutcome
sd_provider_unschedule (SdProvider             *self,
                        const SdPublishContext *ctx,
                        const char             *scheduled_id,
                        GCancellable           *cancellable,
                        SdProviderStatus       *status)
{
  SdProviderInterface *iface;

  g_return_val_if_fail (SD_IS_PROVIDER (self), SD_OUTCOME_FAILED);
  iface = SD_PROVIDER_GET_IFACE (self);
  g_return_val_if_fail (iface->unschedule != NULL, SD_OUTCOME_FAILED);
  return iface->unschedule (self, ctx, scheduled_id, cancellable, status);
}

SdOutcome
sd_provider_verify_account (SdProvider             *self,
                            const SdPublishContext *ctx,
                            GCancellable           *cancellable,
                            SdProviderStatus       *status)
{
  g_return_val_if_fail (SD_IS_PROVIDER (self), SD_OUTCOME_FAILED);
  return SD_PROVIDER_GET_IFACE (self)->verify_account (self, ctx, cancellable, status);
}

SdOutcome
sd_provider_list_identities (SdProvider             *self,
                             const SdPublishContext *ctx,
                             GPtrArray              *identities,
                             GCancellable           *cancellable,
                             SdProviderStatus       *status)
{
  SdProviderInterface *iface;

  g_return_val_if_fail (SD_IS_PROVIDER (self), SD_OUTCOME_FAILED);
  iface = SD_PROVIDER_GET_IFACE (self);
  g_return_val_if_fail (iface->list_identities != NULL, SD_OUTCOME_FAILED);
  return iface->list_identities (self, ctx, identities, cancellable, status);
}

gboolean
sd_provider_can_refresh (SdProvider *self)
{
  g_return_val_if_fail (SD_IS_PROVIDER (self), FALSE);
  return SD_PROVIDER_GET_IFACE (self)->refresh_credentials != NULL;
}

SdOutcome
sd_provider_refresh_credentials (SdProvider             *self,
                                 const SdPublishContext *ctx,
                                 GCancellable           *cancellable,
                                 SdProviderStatus       *status)
{
  SdProviderInterface *iface;

  g_return_val_if_fail (SD_IS_PROVIDER (self), SD_OUTCOME_FAILED);
  iface = SD_PROVIDER_GET_IFACE (self);
  g_return_val_if_fail (iface->refresh_credentials != NULL, SD_OUTCOME_FAILED);
  return iface->refresh_credentials (self, ctx, cancellable, status);
}

SdInboxStream *
sd_inbox_stream_new (const char *id,
                     const char *title,
                     const char *unavailable_reason)
{
  SdInboxStream *stream = g_new0 (SdInboxStream, 1);

  stream->id = g_strdup (id);
  stream->title = g_strdup (title);
  stream->available = unavailable_reason == NULL;
  stream->unavailable_reason = g_strdup (unavailable_reason);
  return stream;
}

void
sd_inbox_stream_free (SdInboxStream *stream)
{
  if (stream == NULL)
    return;
  g_free (stream->id);
  g_free (stream->title);
  g_free (stream->unavailable_reason);
  g_free (stream);
}

void
sd_inbox_page_init (SdInboxPage *page)
{
  page->messages = g_ptr_array_new_with_free_func (g_object_unref);
  page->next_page = NULL;
  page->new_cursor = NULL;
}

void
sd_inbox_page_clear (SdInboxPage *page)
{
  g_clear_pointer (&page->messages, g_ptr_array_unref);
  g_clear_pointer (&page->next_page, g_free);
  g_clear_pointer (&page->new_cursor, g_free);
}

static const char * const message_action_names[] = {
  [SD_MESSAGE_ACTION_LIKE] = "like",
  [SD_MESSAGE_ACTION_UNLIKE] = "unlike",
  [SD_MESSAGE_ACTION_HIDE] = "hide",
  [SD_MESSAGE_ACTION_UNHIDE] = "unhide",
  [SD_MESSAGE_ACTION_DELETE] = "delete",
};

const char *
sd_message_action_to_string (SdMessageAction action)
{
  g_return_val_if_fail (action < G_N_ELEMENTS (message_action_names), NULL);
  return message_action_names[action];
}

gboolean
sd_message_action_from_string (const char      *text,
                               SdMessageAction *action)
{
  for (guint i = 0; i < G_N_ELEMENTS (message_action_names); i++)
    if (g_strcmp0 (text, message_action_names[i]) == 0)
      {
        *action = i;
        return TRUE;
      }
  return FALSE;
}

GPtrArray *
sd_provider_list_inbox_streams (SdProvider *self,
                                SdAccount  *account)
{
  SdProviderInterface *iface;

  g_return_val_if_fail (SD_IS_PROVIDER (self), NULL);
  iface = SD_PROVIDER_GET_IFACE (self);
  if (iface->list_inbox_streams == NULL)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) sd_inbox_stream_free);
  return iface->list_inbox_streams (self, account);
}

SdOutcome
sd_provider_fetch_inbox (SdProvider             *self,
                         const SdPublishContext *ctx,
                         const char             *stream,
                         const char             *cursor,
                         const char             *page_token,
                         SdInboxPage            *page,
                         GCancellable           *cancellable,
                         SdProviderStatus       *status)
{
  SdProviderInterface *iface;

  g_return_val_if_fail (SD_IS_PROVIDER (self), SD_OUTCOME_FAILED);
  iface = SD_PROVIDER_GET_IFACE (self);
  g_return_val_if_fail (iface->fetch_inbox != NULL, SD_OUTCOME_FAILED);
  return iface->fetch_inbox (self, ctx, stream, cursor, page_token, page, cancellable, status);
}

gboolean
sd_provider_can_fetch_conversation (SdProvider *self)
{
  g_return_val_if_fail (SD_IS_PROVIDER (self), FALSE);
  return SD_PROVIDER_GET_IFACE (self)->fetch_conversation != NULL;
}

SdOutcome
sd_provider_fetch_conversation (SdProvider             *self,
                                const SdPublishContext *ctx,
                                SdMessage              *message,
                                GPtrArray              *messages,
                                GCancellable           *cancellable,
                                SdProviderStatus       *status)
{
  SdProviderInterface *iface;

  g_return_val_if_fail (SD_IS_PROVIDER (self), SD_OUTCOME_FAILED);
  iface = SD_PROVIDER_GET_IFACE (self);
  g_return_val_if_fail (iface->fetch_conversation != NULL, SD_OUTCOME_FAILED);
  return iface->fetch_conversation (self, ctx, message, messages, cancellable, status);
}

SdOutcome
sd_provider_message_action (SdProvider             *self,
                            const SdPublishContext *ctx,
                            SdMessageAction         action,
                            SdMessage              *message,
                            GCancellable           *cancellable,
                            SdProviderStatus       *status)
{
  SdProviderInterface *iface;

  g_return_val_if_fail (SD_IS_PROVIDER (self), SD_OUTCOME_FAILED);
  iface = SD_PROVIDER_GET_IFACE (self);
  if (iface->message_action == NULL)
    return sd_provider_status_set (status, SD_OUTCOME_FAILED,
                                   _("%s does not let other apps do this."),
                                   sd_platform_get_info (sd_provider_get_platform (self))->display_name);
  return iface->message_action (self, ctx, action, message, cancellable, status);
}
