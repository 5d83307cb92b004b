/* sd-oauth-listener.c — a one-shot loopback redirect listener (RFC 8252 §7.3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-oauth"

#include "config.h"

#include "sd-oauth-listener-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define MAX_SERVER_TEXT 200

struct _SdOAuthListener
{
  GObject       parent_instance;

  GMainContext *context;
  SoupServer   *server;          /* NULL once it stopped listening */
  char         *expected_state;
  char         *redirect_uri;
  guint16       port;

  GTask        *task;            /* the pending wait */
  GSource      *timeout_source;
  GSource      *cancel_source;
  guint         timeout_seconds;
  gboolean      waited;          /* a wait was started: the listener is one-shot */

  gboolean      answered;        /* the answer came (or the wait ended): no other is taken */
  char         *code;
  GError       *error;
};

G_DEFINE_FINAL_TYPE (SdOAuthListener, sd_oauth_listener, G_TYPE_OBJECT)

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
stop_listening (SdOAuthListener *self)
{
  if (self->server != NULL)
    {
      g_debug ("the loopback listener on port %u stops listening", self->port);
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
}

/* Hands the answer to the pending wait, if there is one. */
static void
complete_wait (SdOAuthListener *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->task == NULL || (self->code == NULL && self->error == NULL))
    return;

  clear_source (&self->timeout_source);
  clear_source (&self->cancel_source);
  task = g_steal_pointer (&self->task);
  if (self->code != NULL)
    g_task_return_pointer (task, g_strdup (self->code), g_free);
  else
    g_task_return_error (task, g_error_copy (self->error));
}

static gboolean
close_and_complete (gpointer user_data)
{
  SdOAuthListener *self = user_data;

  stop_listening (self);
  complete_wait (self);
  return G_SOURCE_REMOVE;
}

static void
on_answer_finished (SoupServerMessage *msg,
                    SdOAuthListener   *self)
{
  /* The page is written: now close, outside the server's own signal. */
  g_autoptr(GSource) idle = g_idle_source_new ();

  g_source_set_callback (idle, close_and_complete, g_object_ref (self), g_object_unref);
  g_source_attach (idle, self->context);
}

static void
respond_page (SoupServerMessage *msg,
              guint              status,
              const char        *title,
              const char        *text)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *html = NULL;

  html = g_markup_printf_escaped ("<!DOCTYPE html>\n"
                                  "<html><head><meta charset=\"utf-8\"><title>%s</title></head>\n"
                                  "<body><h1>%s</h1><p>%s</p></body></html>\n",
                                  title, title, text);
  soup_server_message_set_status (msg, status, NULL);
  /* The address holds the code: keep it out of caches and referrers. */
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY,
                                    html, strlen (html));
}

/* Compares in time that does not depend on where the texts differ. */
static gboolean
state_matches (const char *expected,
               const char *given)
{
  gsize len = strlen (expected);
  guint8 diff = 0;
  gsize i;

  if (given == NULL || strlen (given) != len)
    return FALSE;
  for (i = 0; i < len; i++)
    diff |= (guint8) (expected[i] ^ given[i]);
  return diff == 0;
}

static char *
dup_server_text (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);

  if (g_utf8_strlen (valid, -1) > MAX_SERVER_TEXT)
    return g_utf8_substring (valid, 0, MAX_SERVER_TEXT);
  return g_steal_pointer (&valid);
}

static void
take_error_answer (SdOAuthListener   *self,
                   SoupServerMessage *msg,
                   const char        *error_code,
                   const char        *description)
{
  if (g_str_equal (error_code, "access_denied"))
    {
      self->error = g_error_new_literal (SD_OAUTH_ERROR, SD_OAUTH_ERROR_DENIED,
                                         _("You did not allow SocialDesk to use the account, "
                                           "so it was not added. Sign in again from Accounts "
                                           "if you change your mind."));
      respond_page (msg, SOUP_STATUS_OK, _("SocialDesk was not allowed"),
                    _("You did not allow SocialDesk to use the account. "
                      "You can close this tab and return to SocialDesk."));
    }
  else
    {
      g_autofree char *what = dup_server_text (description != NULL ? description : error_code);

      self->error = g_error_new (SD_OAUTH_ERROR, SD_OAUTH_ERROR_SERVER,
                                 _("The server could not sign you in: “%s”. "
                                   "Try signing in again from Accounts."), what);
      respond_page (msg, SOUP_STATUS_OK, _("The sign-in did not work"),
                    _("The server could not sign you in. "
                      "You can close this tab and return to SocialDesk to see why."));
    }
}

static void
handle_redirect (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  SdOAuthListener *self = user_data;
  const char *state;
  const char *error_code;
  const char *code;

  if (!g_str_equal (path, SD_OAUTH_LISTENER_PATH))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  if (!g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_GET))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  state = query != NULL ? g_hash_table_lookup (query, "state") : NULL;
  if (self->answered || !state_matches (self->expected_state, state))
    {
      /* Anyone on this computer can reach the port: such a request must not end the wait. */
      g_debug ("refused a redirect without the expected state");
      respond_page (msg, SOUP_STATUS_BAD_REQUEST, _("This sign-in did not come from SocialDesk"),
                    _("This sign-in did not come from SocialDesk, so it was ignored. "
                      "You can close this tab."));
      return;
    }

  error_code = g_hash_table_lookup (query, "error");
  code = g_hash_table_lookup (query, "code");
  if (error_code != NULL)
    take_error_answer (self, msg, error_code, g_hash_table_lookup (query, "error_description"));
  else if (code == NULL || *code == '\0')
    {
      self->error = g_error_new_literal (SD_OAUTH_ERROR, SD_OAUTH_ERROR_SERVER,
                                         _("The server sent the sign-in back without its code. "
                                           "Try signing in again from Accounts."));
      respond_page (msg, SOUP_STATUS_BAD_REQUEST, _("The sign-in did not work"),
                    _("The server sent the sign-in back without its code. "
                      "You can close this tab and return to SocialDesk."));
    }
  else
    {
      self->code = g_strdup (code);
      respond_page (msg, SOUP_STATUS_OK, _("Signed in"),
                    _("You can close this tab and return to SocialDesk."));
    }

  self->answered = TRUE;
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
  g_signal_connect_object (msg, "finished", G_CALLBACK (on_answer_finished), self, 0);
}

static gboolean
on_timeout (gpointer user_data)
{
  SdOAuthListener *self = user_data;

  g_clear_pointer (&self->timeout_source, g_source_unref);
  /* An answer whose page is still being written wins over the timeout. */
  if (self->code == NULL && self->error == NULL)
    {
      guint seconds = self->timeout_seconds;

      self->error = g_error_new (SD_OAUTH_ERROR, SD_OAUTH_ERROR_TIMEOUT,
                                 g_dngettext (GETTEXT_PACKAGE,
                                              "No sign-in came back from the browser within %u second. "
                                              "Start signing in again from Accounts.",
                                              "No sign-in came back from the browser within %u seconds. "
                                              "Start signing in again from Accounts.",
                                              seconds),
                                 seconds);
    }
  self->answered = TRUE;
  stop_listening (self);
  complete_wait (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  SdOAuthListener *self = user_data;

  g_clear_pointer (&self->cancel_source, g_source_unref);
  if (self->code == NULL && self->error == NULL)
    g_cancellable_set_error_if_cancelled (cancellable, &self->error);
  self->answered = TRUE;
  stop_listening (self);
  complete_wait (self);
  return G_SOURCE_REMOVE;
}

static void
sd_oauth_listener_dispose (GObject *object)
{
  SdOAuthListener *self = SD_OAUTH_LISTENER (object);

  clear_source (&self->timeout_source);
  clear_source (&self->cancel_source);
  stop_listening (self);

  G_OBJECT_CLASS (sd_oauth_listener_parent_class)->dispose (object);
}

static void
sd_oauth_listener_finalize (GObject *object)
{
  SdOAuthListener *self = SD_OAUTH_LISTENER (object);

  if (self->code != NULL)
    explicit_bzero (self->code, strlen (self->code));
  g_free (self->code);
  g_clear_error (&self->error);
  g_free (self->expected_state);
  g_free (self->redirect_uri);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (sd_oauth_listener_parent_class)->finalize (object);
}

static void
sd_oauth_listener_class_init (SdOAuthListenerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sd_oauth_listener_dispose;
  object_class->finalize = sd_oauth_listener_finalize;
}

static void
sd_oauth_listener_init (SdOAuthListener *self)
{
}

SdOAuthListener *
sd_oauth_listener_new (const char  *expected_state,
                       GError     **error)
{
  return sd_oauth_listener_new_on_port (expected_state, 0, error);
}

SdOAuthListener *
sd_oauth_listener_new_on_port (const char  *expected_state,
                               guint16      port,
                               GError     **error)
{
  g_autoptr(SdOAuthListener) self = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) cause = NULL;
  GSList *listeners;

  g_return_val_if_fail (expected_state != NULL && *expected_state != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (SD_TYPE_OAUTH_LISTENER, NULL);
  self->expected_state = g_strdup (expected_state);
  /* The server's sources attach to this context when it listens. */
  self->context = g_main_context_ref_thread_default ();
  self->server = soup_server_new ("server-header", "SocialDesk ", NULL);
  soup_server_add_handler (self->server, SD_OAUTH_LISTENER_PATH, handle_redirect, self, NULL);

  /* RFC 8252 §8.3: the loopback IP literal, never "localhost", never every interface. */
  address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  if (!soup_server_listen (self->server, address, 0, &cause))
    {
      if (port != 0)
        g_set_error (error, SD_OAUTH_ERROR, SD_OAUTH_ERROR_LISTEN,
                     /* Translators: %u is a port number, %s the system's reason. */
                     _("SocialDesk could not listen on port %u of this computer to receive "
                       "the sign-in (%s). Close whatever uses that port and try again."),
                     port, cause->message);
      else
        g_set_error (error, SD_OAUTH_ERROR, SD_OAUTH_ERROR_LISTEN,
                     _("SocialDesk could not open a port on this computer to receive "
                       "the sign-in (%s)."), cause->message);
      return NULL;
    }

  /* The socket's own address (soup_server_get_uris() leaks one in libsoup 3.2). */
  listeners = soup_server_get_listeners (self->server);
  g_assert (listeners != NULL);
  local = g_socket_get_local_address (listeners->data, &cause);
  g_slist_free (listeners);
  if (local == NULL)
    {
      g_set_error (error, SD_OAUTH_ERROR, SD_OAUTH_ERROR_LISTEN,
                   _("SocialDesk could not open a port on this computer to receive "
                     "the sign-in (%s)."), cause->message);
      return NULL;
    }
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  self->redirect_uri = g_strdup_printf ("http://127.0.0.1:%u%s", self->port, SD_OAUTH_LISTENER_PATH);
  g_debug ("listening for the sign-in on %s", self->redirect_uri);

  return g_steal_pointer (&self);
}

const char *
sd_oauth_listener_get_redirect_uri (SdOAuthListener *self)
{
  g_return_val_if_fail (SD_IS_OAUTH_LISTENER (self), NULL);

  return self->redirect_uri;
}

guint16
sd_oauth_listener_get_port (SdOAuthListener *self)
{
  g_return_val_if_fail (SD_IS_OAUTH_LISTENER (self), 0);

  return self->port;
}

SoupServer *
sd_oauth_listener_get_server (SdOAuthListener *self)
{
  g_return_val_if_fail (SD_IS_OAUTH_LISTENER (self), NULL);

  return self->server;
}

void
sd_oauth_listener_wait_async (SdOAuthListener     *self,
                              guint                timeout_seconds,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SD_IS_OAUTH_LISTENER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sd_oauth_listener_wait_async);

  if (self->waited)
    {
      g_task_return_new_error (task, SD_OAUTH_ERROR, SD_OAUTH_ERROR_CLOSED,
                               _("This sign-in is already over. Start signing in again from Accounts."));
      return;
    }
  self->waited = TRUE;
  self->task = g_steal_pointer (&task);

  /* An answer that came before the wait began is handed over at once. */
  if (self->server == NULL && (self->code != NULL || self->error != NULL))
    {
      complete_wait (self);
      return;
    }

  if (timeout_seconds > 0)
    {
      self->timeout_seconds = timeout_seconds;
      self->timeout_source = g_timeout_source_new_seconds (timeout_seconds);
      g_source_set_callback (self->timeout_source, on_timeout, self, NULL);
      g_source_attach (self->timeout_source, self->context);
    }
  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (on_cancelled), self, NULL);
      g_source_attach (self->cancel_source, self->context);
    }
}

char *
sd_oauth_listener_wait_finish (SdOAuthListener  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (SD_IS_OAUTH_LISTENER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_wait_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

char *
sd_oauth_listener_wait (SdOAuthListener  *self,
                        guint             timeout_seconds,
                        GCancellable     *cancellable,
                        GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  char *code;

  g_return_val_if_fail (SD_IS_OAUTH_LISTENER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Connections the server accepts attach to the thread-default context. */
  g_main_context_push_thread_default (self->context);
  sd_oauth_listener_wait_async (self, timeout_seconds, cancellable, on_wait_done, &result);
  while (result == NULL)
    g_main_context_iteration (self->context, TRUE);
  code = sd_oauth_listener_wait_finish (self, result, error);
  g_main_context_pop_thread_default (self->context);

  return code;
}
