/* sd-network.c — where each OAuth network's API lives, as one data table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "socialdesk-network"

#include "config.h"

#include <string.h>

#include "sd-network.h"
#include "sd-oauth-listener.h"

#define DAY (24 * 60 * 60)

/* Graph API and Linkedin-Version: bump here when a version is retired. */
#define META_GRAPH_VERSION "v24.0"
#define LINKEDIN_VERSION   "202610"

static const SdNetworkInfo networks[] = {
  {
    SD_PLATFORM_X, "SOCIALDESK_X_URL",
    "https://api.x.com", "",
    "https://x.com", "/i/oauth2/authorize",
    "https://api.x.com", "/2/oauth2/token",
    "tweet.read tweet.write users.read media.write offline.access dm.read dm.write like.write tweet.moderate.write",
    "client_id", FALSE, FALSE, NULL,
    "https://developer.x.com/en/portal/dashboard",
    NULL, 10 * 60,
  },
  {
    SD_PLATFORM_FACEBOOK, "SOCIALDESK_FACEBOOK_URL",
    "https://graph.facebook.com", "/" META_GRAPH_VERSION,
    "https://www.facebook.com", "/" META_GRAPH_VERSION "/dialog/oauth",
    "https://graph.facebook.com", "/" META_GRAPH_VERSION "/oauth/access_token",
    "pages_show_list,pages_manage_posts,pages_read_engagement,pages_manage_engagement,"
    "pages_read_user_engagement",
    "client_id", TRUE, FALSE, NULL,
    "https://developers.facebook.com/apps/",
    META_GRAPH_VERSION, 7 * DAY,
  },
  {
    SD_PLATFORM_INSTAGRAM, "SOCIALDESK_INSTAGRAM_URL",
    "https://graph.instagram.com", "/" META_GRAPH_VERSION,
    "https://www.instagram.com", "/oauth/authorize",
    "https://api.instagram.com", "/oauth/access_token",
    "instagram_business_basic,instagram_business_content_publish,"
    "instagram_business_manage_comments,instagram_business_manage_messages",
    "client_id", TRUE, FALSE, NULL,
    "https://developers.facebook.com/apps/",
    META_GRAPH_VERSION, 7 * DAY,
  },
  {
    SD_PLATFORM_THREADS, "SOCIALDESK_THREADS_URL",
    "https://graph.threads.net", "/v1.0",
    "https://threads.net", "/oauth/authorize",
    "https://graph.threads.net", "/oauth/access_token",
    "threads_basic,threads_content_publish,threads_manage_replies,threads_read_replies,threads_manage_mentions",
    "client_id", TRUE, FALSE, NULL,
    "https://developers.facebook.com/apps/",
    "v1.0", 7 * DAY,
  },
  {
    SD_PLATFORM_LINKEDIN, "SOCIALDESK_LINKEDIN_URL",
    "https://api.linkedin.com", "",
    "https://www.linkedin.com", "/oauth/v2/authorization",
    "https://www.linkedin.com", "/oauth/v2/accessToken",
    "openid profile w_member_social",
    "client_id", TRUE, FALSE, NULL,
    "https://www.linkedin.com/developers/apps",
    LINKEDIN_VERSION, 7 * DAY,
  },
  {
    SD_PLATFORM_YOUTUBE, "SOCIALDESK_YOUTUBE_URL",
    "https://www.googleapis.com", "",
    "https://accounts.google.com", "/o/oauth2/v2/auth",
    "https://oauth2.googleapis.com", "/token",
    "https://www.googleapis.com/auth/youtube.upload "
    "https://www.googleapis.com/auth/youtube.readonly "
    "https://www.googleapis.com/auth/youtube.force-ssl",
    "client_id", TRUE, FALSE, "access_type=offline&prompt=consent",
    "https://console.cloud.google.com/apis/credentials",
    NULL, 10 * 60,
  },
  {
    SD_PLATFORM_TIKTOK, "SOCIALDESK_TIKTOK_URL",
    "https://open.tiktokapis.com", "",
    "https://www.tiktok.com", "/v2/auth/authorize/",
    "https://open.tiktokapis.com", "/v2/oauth/token/",
    "user.info.basic,user.info.profile,video.publish,video.upload",
    "client_key", TRUE, TRUE, NULL,
    "https://developers.tiktok.com/apps/",
    NULL, 10 * 60,
  },
};

const SdNetworkInfo *
sd_network_get_info (SdPlatform platform)
{
  for (guint i = 0; i < G_N_ELEMENTS (networks); i++)
    if (networks[i].platform == platform)
      return &networks[i];
  return NULL;
}

gboolean
sd_network_uses_oauth_app (SdPlatform platform)
{
  return sd_network_get_info (platform) != NULL;
}

/* The test override, without a trailing slash, or @origin. */
static char *
origin_for (const SdNetworkInfo *info,
            const char          *origin)
{
  const char *override = g_getenv (info->env_var);

  if (override != NULL && *override != '\0')
    {
      g_autofree char *copy = g_strdup (override);
      gsize len = strlen (copy);

      while (len > 0 && copy[len - 1] == '/')
        copy[--len] = '\0';
      return g_steal_pointer (&copy);
    }
  return g_strdup (origin);
}

char *
sd_network_api_url (SdPlatform  platform,
                    const char *path)
{
  const SdNetworkInfo *info = sd_network_get_info (platform);
  g_autofree char *origin = NULL;

  g_return_val_if_fail (info != NULL && path != NULL && path[0] == '/', NULL);

  origin = origin_for (info, info->api_origin);
  return g_strconcat (origin, info->api_path, path, NULL);
}

char *
sd_network_origin_url (SdPlatform  platform,
                       const char *path)
{
  const SdNetworkInfo *info = sd_network_get_info (platform);
  g_autofree char *origin = NULL;

  g_return_val_if_fail (info != NULL && path != NULL && path[0] == '/', NULL);

  origin = origin_for (info, info->api_origin);
  return g_strconcat (origin, path, NULL);
}

char *
sd_network_authorize_endpoint (SdPlatform platform)
{
  const SdNetworkInfo *info = sd_network_get_info (platform);
  g_autofree char *origin = NULL;

  g_return_val_if_fail (info != NULL, NULL);

  origin = origin_for (info, info->authorize_origin);
  return g_strconcat (origin, info->authorize_path, NULL);
}

char *
sd_network_token_endpoint (SdPlatform platform)
{
  const SdNetworkInfo *info = sd_network_get_info (platform);
  g_autofree char *origin = NULL;

  g_return_val_if_fail (info != NULL, NULL);

  origin = origin_for (info, info->token_origin);
  return g_strconcat (origin, info->token_path, NULL);
}

guint16
sd_network_redirect_port (void)
{
  const char *override = g_getenv ("SOCIALDESK_OAUTH_PORT");

  if (override != NULL && *override != '\0')
    return (guint16) MIN (g_ascii_strtoull (override, NULL, 10), G_MAXUINT16);
  return SD_NETWORK_REDIRECT_PORT;
}

char *
sd_network_redirect_uri (void)
{
  return g_strdup_printf ("http://127.0.0.1:%u%s", SD_NETWORK_REDIRECT_PORT, SD_OAUTH_LISTENER_PATH);
}
