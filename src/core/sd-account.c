/* sd-account.c — one connected account on one network
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-account"

#include "sd-account.h"

#include <json-glib/json-glib.h>

struct _SdAccount
{
  GObject         parent_instance;

  char           *id;
  SdPlatform      platform;
  char           *server_url;
  char           *remote_id;
  char           *handle;
  char           *display_name;
  char           *avatar_url;
  SdAccountState  state;
  gint64          token_expires_at;
  char           *limits_json;
  gint64          created_at;
};

G_DEFINE_FINAL_TYPE (SdAccount, sd_account, G_TYPE_OBJECT)

/* replace_str () is GLib 2.76; Debian 12 has 2.74. */
static void
replace_str (char       **field,
             const char  *value)
{
  char *copy;

  if (*field == value)
    return;
  copy = g_strdup (value);
  g_free (*field);
  *field = copy;
}

G_DEFINE_ENUM_TYPE (SdAccountState, sd_account_state,
  G_DEFINE_ENUM_VALUE (SD_ACCOUNT_STATE_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (SD_ACCOUNT_STATE_NEEDS_SIGN_IN, "needs-sign-in"),
  G_DEFINE_ENUM_VALUE (SD_ACCOUNT_STATE_OFFLINE, "offline"))

const char *
sd_account_state_to_string (SdAccountState state)
{
  GEnumClass *klass = g_type_class_ref (SD_TYPE_ACCOUNT_STATE);
  GEnumValue *value = g_enum_get_value (klass, state);

  g_type_class_unref (klass);
  return value != NULL ? value->value_nick : "connected";
}

gboolean
sd_account_state_from_string (const char     *text,
                              SdAccountState *state)
{
  GEnumClass *klass = g_type_class_ref (SD_TYPE_ACCOUNT_STATE);
  GEnumValue *value = text != NULL ? g_enum_get_value_by_nick (klass, text) : NULL;

  g_type_class_unref (klass);
  if (value == NULL)
    return FALSE;
  *state = value->value;
  return TRUE;
}

static void
sd_account_finalize (GObject *object)
{
  SdAccount *self = (SdAccount *) object;

  g_free (self->id);
  g_free (self->server_url);
  g_free (self->remote_id);
  g_free (self->handle);
  g_free (self->display_name);
  g_free (self->avatar_url);
  g_free (self->limits_json);

  G_OBJECT_CLASS (sd_account_parent_class)->finalize (object);
}

static void
sd_account_class_init (SdAccountClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sd_account_finalize;
}

static void
sd_account_init (SdAccount *self)
{
  self->id = g_uuid_string_random ();
  self->handle = g_strdup ("");
}

SdAccount *
sd_account_new (SdPlatform platform)
{
  SdAccount *self = g_object_new (SD_TYPE_ACCOUNT, NULL);

  self->platform = platform;
  return self;
}

SdAccount *
sd_account_copy (SdAccount *self)
{
  SdAccount *copy;

  g_return_val_if_fail (SD_IS_ACCOUNT (self), NULL);

  copy = sd_account_new (self->platform);
  sd_account_set_id (copy, self->id);
  sd_account_set_server_url (copy, self->server_url);
  sd_account_set_remote_id (copy, self->remote_id);
  sd_account_set_handle (copy, self->handle);
  sd_account_set_display_name (copy, self->display_name);
  sd_account_set_avatar_url (copy, self->avatar_url);
  copy->state = self->state;
  copy->token_expires_at = self->token_expires_at;
  sd_account_set_limits_json (copy, self->limits_json);
  copy->created_at = self->created_at;
  return copy;
}

#define STRING_ACCESSORS(field)                                          \
  const char *                                                           \
  sd_account_get_##field (SdAccount *self)                               \
  {                                                                      \
    g_return_val_if_fail (SD_IS_ACCOUNT (self), NULL);                   \
    return self->field;                                                  \
  }                                                                      \
  void                                                                   \
  sd_account_set_##field (SdAccount  *self,                              \
                          const char *field)                             \
  {                                                                      \
    g_return_if_fail (SD_IS_ACCOUNT (self));                             \
    replace_str (&self->field, field);                                     \
  }

STRING_ACCESSORS (id)
STRING_ACCESSORS (server_url)
STRING_ACCESSORS (remote_id)
STRING_ACCESSORS (display_name)
STRING_ACCESSORS (avatar_url)
STRING_ACCESSORS (limits_json)

const char *
sd_account_get_handle (SdAccount *self)
{
  g_return_val_if_fail (SD_IS_ACCOUNT (self), NULL);
  return self->handle;
}

void
sd_account_set_handle (SdAccount  *self,
                       const char *handle)
{
  g_return_if_fail (SD_IS_ACCOUNT (self));

  while (handle != NULL && handle[0] == '@')
    handle++;
  replace_str (&self->handle, handle != NULL ? handle : "");
}

SdPlatform
sd_account_get_platform (SdAccount *self)
{
  g_return_val_if_fail (SD_IS_ACCOUNT (self), 0);
  return self->platform;
}

SdAccountState
sd_account_get_state (SdAccount *self)
{
  g_return_val_if_fail (SD_IS_ACCOUNT (self), 0);
  return self->state;
}

void
sd_account_set_state (SdAccount      *self,
                      SdAccountState  state)
{
  g_return_if_fail (SD_IS_ACCOUNT (self));
  self->state = state;
}

gint64
sd_account_get_token_expires_at (SdAccount *self)
{
  g_return_val_if_fail (SD_IS_ACCOUNT (self), 0);
  return self->token_expires_at;
}

void
sd_account_set_token_expires_at (SdAccount *self,
                                 gint64     expires_at)
{
  g_return_if_fail (SD_IS_ACCOUNT (self));
  self->token_expires_at = expires_at;
}

gint64
sd_account_get_created_at (SdAccount *self)
{
  g_return_val_if_fail (SD_IS_ACCOUNT (self), 0);
  return self->created_at;
}

void
sd_account_set_created_at (SdAccount *self,
                           gint64     created_at)
{
  g_return_if_fail (SD_IS_ACCOUNT (self));
  self->created_at = created_at;
}

gint64
sd_account_get_limit (SdAccount  *self,
                      const char *name,
                      gint64      fallback)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  g_return_val_if_fail (SD_IS_ACCOUNT (self), fallback);

  if (self->limits_json == NULL
      || !(root = json_from_string (self->limits_json, NULL))
      || !JSON_NODE_HOLDS_OBJECT (root))
    return fallback;

  object = json_node_get_object (root);
  if (!json_object_has_member (object, name)
      || json_node_get_value_type (json_object_get_member (object, name)) != G_TYPE_INT64)
    return fallback;

  return json_object_get_int_member (object, name);
}

char *
sd_account_dup_label (SdAccount *self)
{
  g_return_val_if_fail (SD_IS_ACCOUNT (self), NULL);

  return g_strconcat ("@", self->handle, NULL);
}
