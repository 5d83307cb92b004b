/* sd-inbox-rule.c — the person's inbox rules and saved replies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-inbox-rule"

#include "config.h"

#include "sd-inbox-rule.h"

#include <string.h>

#include <glib/gi18n-lib.h>

SdInboxRule *
sd_inbox_rule_new (void)
{
  SdInboxRule *rule = g_new0 (SdInboxRule, 1);

  rule->enabled = TRUE;
  return rule;
}

SdInboxRule *
sd_inbox_rule_copy (const SdInboxRule *rule)
{
  SdInboxRule *copy;

  g_return_val_if_fail (rule != NULL, NULL);

  copy = g_memdup2 (rule, sizeof *rule);
  copy->id = g_strdup (rule->id);
  copy->name = g_strdup (rule->name);
  copy->keyword = g_strdup (rule->keyword);
  copy->author = g_strdup (rule->author);
  copy->label = g_strdup (rule->label);
  return copy;
}

void
sd_inbox_rule_free (SdInboxRule *rule)
{
  if (rule == NULL)
    return;
  g_free (rule->id);
  g_free (rule->name);
  g_free (rule->keyword);
  g_free (rule->author);
  g_free (rule->label);
  g_free (rule);
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* Case- and accent-insensitive form: "Café" and "CAFE" both become "cafe". */
static char *
fold (const char *text)
{
  g_autofree char *decomposed = g_utf8_normalize (text != NULL ? text : "", -1, G_NORMALIZE_NFKD);
  g_autoptr(GString) bare = g_string_new (NULL);

  if (decomposed == NULL)
    return g_strdup ("");
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (bare, c);
    }
  return g_utf8_casefold (bare->str, -1);
}

/* Every word of the keyword appears in the text. */
static gboolean
keyword_matches (const char *keyword,
                 const char *text)
{
  g_autofree char *folded_keyword = fold (keyword);
  g_autofree char *folded_text = fold (text);
  g_auto(GStrv) words = g_strsplit_set (folded_keyword, " \t\n", -1);

  for (guint i = 0; words[i] != NULL; i++)
    if (words[i][0] != '\0' && strstr (folded_text, words[i]) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
author_matches (const char *author,
                SdMessage  *message)
{
  g_autofree char *wanted = fold (author[0] == '@' ? author + 1 : author);
  const char *handle = sd_message_get_author_handle (message);
  g_autofree char *folded_handle = NULL;
  g_autofree char *folded_name = NULL;

  g_strstrip (wanted);
  if (handle != NULL)
    {
      folded_handle = fold (handle[0] == '@' ? handle + 1 : handle);
      if (g_str_equal (folded_handle, wanted))
        return TRUE;
    }
  folded_name = fold (sd_message_get_author_name (message));
  g_strstrip (folded_name);
  return folded_name[0] != '\0' && g_str_equal (folded_name, wanted);
}

gboolean
sd_inbox_rule_matches (const SdInboxRule *rule,
                       SdMessage         *message)
{
  g_return_val_if_fail (rule != NULL, FALSE);
  g_return_val_if_fail (SD_IS_MESSAGE (message), FALSE);

  if (rule->kinds != 0 && (rule->kinds & (1u << sd_message_get_kind (message))) == 0)
    return FALSE;
  if (rule->platforms != 0 && !sd_platform_set_contains (rule->platforms, sd_message_get_platform (message)))
    return FALSE;
  if (!is_blank (rule->author) && !author_matches (rule->author, message))
    return FALSE;
  if (!is_blank (rule->keyword) && !keyword_matches (rule->keyword, sd_message_get_text (message)))
    return FALSE;
  return TRUE;
}

gboolean
sd_inbox_rule_check (const SdInboxRule  *rule,
                     char              **problem)
{
  g_return_val_if_fail (rule != NULL, FALSE);

  if (is_blank (rule->keyword) && rule->kinds == 0 && rule->platforms == 0 && is_blank (rule->author))
    {
      if (problem != NULL)
        *problem = g_strdup (_("A rule needs at least one condition: words in the text, a kind of "
                               "message, a network or an author."));
      return FALSE;
    }
  if (is_blank (rule->label) && !rule->mark_done && !rule->notify)
    {
      if (problem != NULL)
        *problem = g_strdup (_("A rule needs something to do: add a label, mark as done or notify."));
      return FALSE;
    }
  return TRUE;
}

/* Saved replies */

SdSavedReply *
sd_saved_reply_new (const char *title,
                    const char *body)
{
  SdSavedReply *reply = g_new0 (SdSavedReply, 1);

  reply->title = g_strdup (title != NULL ? title : "");
  reply->body = g_strdup (body != NULL ? body : "");
  return reply;
}

void
sd_saved_reply_free (SdSavedReply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->id);
  g_free (reply->title);
  g_free (reply->body);
  g_free (reply);
}

static gboolean
append_placeholder (GString    *out,
                    const char *word,
                    gsize       length,
                    SdMessage  *message,
                    SdAccount  *account)
{
  const char *handle = message != NULL ? sd_message_get_author_handle (message) : NULL;

  if (handle != NULL && handle[0] == '@')
    handle++;

  if (length == 4 && strncmp (word, "name", 4) == 0 && message != NULL)
    {
      const char *name = sd_message_get_author_name (message);

      g_string_append (out, !is_blank (name) ? name : handle != NULL ? handle : "");
      return TRUE;
    }
  if (length == 6 && strncmp (word, "handle", 6) == 0 && message != NULL)
    {
      if (handle != NULL && handle[0] != '\0')
        g_string_append_printf (out, "@%s", handle);
      return TRUE;
    }
  if (length == 7 && strncmp (word, "account", 7) == 0 && account != NULL)
    {
      const char *name = sd_account_get_display_name (account);

      g_string_append (out, !is_blank (name) ? name : sd_account_get_handle (account));
      return TRUE;
    }
  if (length == 7 && strncmp (word, "network", 7) == 0 && (message != NULL || account != NULL))
    {
      SdPlatform platform = message != NULL ? sd_message_get_platform (message)
                                            : sd_account_get_platform (account);

      g_string_append (out, sd_platform_get_info (platform)->display_name);
      return TRUE;
    }
  return FALSE;
}

char *
sd_saved_reply_expand (const char *body,
                       SdMessage  *message,
                       SdAccount  *account)
{
  GString *out = g_string_new (NULL);
  const char *p = body != NULL ? body : "";

  while (*p != '\0')
    {
      const char *close;

      if (*p == '{' && (close = strchr (p + 1, '}')) != NULL
          && append_placeholder (out, p + 1, (gsize) (close - p - 1), message, account))
        {
          p = close + 1;
          continue;
        }
      g_string_append_c (out, *p);
      p++;
    }
  return g_string_free (out, FALSE);
}
