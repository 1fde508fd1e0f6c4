#ifndef FURIKAERI_WEBHOOK_H
#define FURIKAERI_WEBHOOK_H

#include "furikaeri/config.h"
#include "furikaeri/http.h"

/* Posting the minutes to a chat channel through an incoming webhook
 * (Slack, and the chat tools that take Slack's {"text": ...} body). */

struct webhook_options {
	const struct http_clock *clock;	/* NULL: the real clock (tests inject one) */
	long timeout_ms;		/* 0: from the config */
};

/* POSTs {"text": text} to url (NULL: [minutes] webhook_url) with the
 * trackers' HTTP client and retry policy: 429 and 5xx are retried with
 * backoff, honouring Retry-After, up to RETRY_MAX_ATTEMPTS attempts.
 * Returns 0 when the server accepted it, else -1 with *err naming the
 * request (the webhook's host only: its path is a secret) and the status.
 * opts may be NULL. */
int webhook_post(const struct config *cfg, const char *url, const char *text,
		 const struct webhook_options *opts, char **err);

#endif
