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

/* How a post ended, for the delivery engine (deliver_webhook.h). */
enum webhook_result {
	WEBHOOK_POSTED,		/* the webhook accepted it */
	WEBHOOK_LATER,		/* not received (no connection, 429, a wait too long): try later */
	WEBHOOK_REFUSED,	/* the webhook or the config says no: a person must act */
	WEBHOOK_UNKNOWN,	/* may have been received (no answer, 5xx): never sent again */
};

/* The longest a retry wait is slept inside webhook_post; a longer
 * Retry-After ends the call with WEBHOOK_LATER. */
#define WEBHOOK_MAX_INLINE_WAIT_MS 60000L

/* POSTs {"text": text} to url (NULL: [minutes] webhook_url) with the
 * trackers' HTTP client and retry policy: a 429 or a failed connection is
 * retried with backoff, honouring Retry-After, up to RETRY_MAX_ATTEMPTS
 * attempts; a post that may have arrived (no answer, 5xx) never is.
 * Returns 0 when the server accepted it, else -1 with *err naming the
 * request (the webhook's host only: its path is a secret) and the status.
 * *result (may be NULL) says how it ended. opts may be NULL. Posts that
 * must not go twice go through deliver_webhook_post, which calls this. */
int webhook_post(const struct config *cfg, const char *url, const char *text,
		 const struct webhook_options *opts, enum webhook_result *result, char **err);

#endif
