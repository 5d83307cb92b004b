/* sd-oauth.c — PKCE and state from the kernel's CSPRNG, the system browser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-oauth"

#include "config.h"

#include "sd-oauth.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/random.h>

G_DEFINE_QUARK (sd-oauth-error-quark, sd_oauth_error)

static void
fill_random (guint8 *buffer,
             gsize   len)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t got = getrandom (buffer + done, len - done, 0);

      if (got < 0)
        {
          if (errno == EINTR)
            continue;
          /* Without the kernel's generator there is no safe verifier to make. */
          g_error ("getrandom() failed: %s", g_strerror (errno));
        }
      done += (gsize) got;
    }
}

/* base64url without padding (RFC 4648 §5, RFC 7636 appendix A). */
static char *
base64url_encode (const guint8 *data,
                  gsize         len)
{
  char *text = g_base64_encode (data, len);
  char *p;

  for (p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return text;
}

static char *
new_random_text (gsize n_bytes)
{
  guint8 buffer[64];
  char *text;

  g_assert (n_bytes <= sizeof buffer);
  fill_random (buffer, n_bytes);
  text = base64url_encode (buffer, n_bytes);
  explicit_bzero (buffer, sizeof buffer);
  return text;
}

char *
sd_oauth_new_code_verifier (void)
{
  /* 48 bytes make 64 characters, inside RFC 7636's 43..128. */
  return new_random_text (48);
}

char *
sd_oauth_new_state (void)
{
  return new_random_text (32);
}

char *
sd_oauth_code_challenge_s256 (const char *verifier)
{
  g_autoptr(GChecksum) checksum = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  g_return_val_if_fail (verifier != NULL, NULL);

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *) verifier, strlen (verifier));
  g_checksum_get_digest (checksum, digest, &digest_len);
  return base64url_encode (digest, digest_len);
}

gboolean
sd_oauth_open_browser (const char  *uri,
                       GError     **error)
{
  g_autoptr(GError) cause = NULL;

  g_return_val_if_fail (uri != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_app_info_launch_default_for_uri (uri, NULL, &cause))
    {
      g_set_error (error, SD_OAUTH_ERROR, SD_OAUTH_ERROR_BROWSER,
                   _("SocialDesk could not open a web browser to sign in (%s). "
                     "Open this address in your browser yourself: %s"),
                   cause->message, uri);
      return FALSE;
    }
  return TRUE;
}
