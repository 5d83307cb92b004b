/* sd-outbox-actions.c — the user's answers to a post the outbox could not send
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-outbox-actions"

#include "config.h"

#include <glib/gi18n.h>

#include "sd-outbox-actions.h"

/**
 * sd_outbox_describe:
 * @icon_name: (out) (optional): an icon that goes with the words
 *
 * Where the post's sends stand, in words, the worst first; %NULL when the
 * outbox holds nothing of it.
 */
char *
sd_outbox_describe (SdPost      *post,
                    const char **icon_name)
{
  guint outbox = sd_post_get_outbox (post);
  const char *error = sd_post_get_last_error (post);
  const char *icon = NULL;
  char *text = NULL;

  if (outbox & SD_POST_OUTBOX_FAILED)
    {
      icon = "dialog-error-symbolic";
      /* Translators: %s is the network's reason, e.g. "Text too long". */
      text = error != NULL ? g_strdup_printf (_("Failed: %s"), error) : g_strdup (_("Failed"));
    }
  else if (outbox & SD_POST_OUTBOX_UNCERTAIN)
    {
      icon = "dialog-question-symbolic";
      text = g_strdup (_("Could not confirm it was published"));
    }
  else if (outbox & SD_POST_OUTBOX_HELD)
    {
      icon = "dialog-warning-symbolic";
      text = g_strdup (_("Held: its time passed while SocialDesk was not running"));
    }
  else if (outbox & SD_POST_OUTBOX_ON_SERVER)
    {
      icon = "network-server-symbolic";
      text = g_strdup (_("On Mastodon’s scheduler"));
    }
  else if (outbox & SD_POST_OUTBOX_WAITING)
    {
      icon = "alarm-symbolic";
      text = g_strdup (_("SocialDesk will send it"));
    }

  if (icon_name != NULL)
    *icon_name = icon;
  return text;
}

/* Failed, uncertain and held posts wait for the user. */
gboolean
sd_outbox_needs_attention (guint outbox)
{
  return (outbox & (SD_POST_OUTBOX_FAILED | SD_POST_OUTBOX_UNCERTAIN | SD_POST_OUTBOX_HELD)) != 0;
}

void
sd_outbox_retry (GtkWidget        *widget,
                 SdStore          *store,
                 const char       *post_id,
                 SdOutboxDoneFunc  done)
{
  g_autoptr(GError) error = NULL;

  /* One short transaction: the store is local; then the outbox goes at once. */
  if (sd_store_retry_post (store, post_id, &error))
    gtk_widget_activate_action (widget, "app.sync-now", NULL);
  done (widget, post_id, error);
}

void
sd_outbox_confirm_published (GtkWidget        *widget,
                             SdStore          *store,
                             const char       *post_id,
                             SdOutboxDoneFunc  done)
{
  g_autoptr(GError) error = NULL;

  sd_store_confirm_published (store, post_id, &error);
  done (widget, post_id, error);
}

typedef struct
{
  GtkWidget        *widget;
  SdStore          *store;
  char             *post_id;
  SdOutboxDoneFunc  done;
} SendAgain;

static void
send_again_free (gpointer  user_data,
                 GClosure *closure)
{
  SendAgain *data = user_data;

  g_object_unref (data->widget);
  g_object_unref (data->store);
  g_free (data->post_id);
  g_free (data);
}

static void
send_again_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        SendAgain        *data)
{
  if (g_str_equal (response, "send"))
    sd_outbox_retry (data->widget, data->store, data->post_id, data->done);
}

void
sd_outbox_ask_send_again (GtkWidget        *widget,
                          SdStore          *store,
                          const char       *post_id,
                          SdOutboxDoneFunc  done)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;
  SendAgain *data;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Send the Post Again?"),
                                   _("SocialDesk could not confirm whether it was published. "
                                     "Look at the account first: if it did go out, sending it "
                                     "again makes it appear twice."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "send", _("_Send Again"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "send",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  data = g_new0 (SendAgain, 1);
  data->widget = g_object_ref (widget);
  data->store = g_object_ref (store);
  data->post_id = g_strdup (post_id);
  data->done = done;
  /* Freed with the dialog: one destroyed with its window gives no response. */
  g_signal_connect_data (dialog, "response", G_CALLBACK (send_again_response_cb), data,
                         send_again_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
