#ifndef FURIKAERI_DELIVER_WEBHOOK_H
#define FURIKAERI_DELIVER_WEBHOOK_H

#include <stdbool.h>

#include "furikaeri/config.h"
#include "furikaeri/store.h"
#include "furikaeri/webhook.h"

/* A post to the [minutes] webhook (`agenda --post`, `export --post`)
 * through the delivery engine (deliver.h): a row in the store before it is
 * sent, claimed by one process under a lease, sent at most once. A webhook
 * has no lookup and no idempotency key, so an unknown outcome (no answer,
 * a 5xx) is final: it is reported, and the same post is not sent again
 * unless a person asks (again). The same post (what, week and text) asked
 * for after it was posted is not sent twice either. */

enum deliver_webhook_result {
	DELIVER_WEBHOOK_POSTED,		/* sent now and accepted */
	DELIVER_WEBHOOK_ALREADY,	/* posted before: nothing was sent */
	DELIVER_WEBHOOK_MAYBE,		/* sent before or now with no answer: may be there */
	DELIVER_WEBHOOK_BUSY,		/* another furikaeri is sending it */
	DELIVER_WEBHOOK_REFUSED,	/* the webhook or the config says no */
	DELIVER_WEBHOOK_LATER,		/* not received: try again later */
};

/* What identifies a post: the same what, week and text are the same post
 * (owned). */
char *deliver_webhook_content(const char *what, const char *week, const char *text);
/* Posts text as the what ("agenda" or "minutes") of week. *msg (owned)
 * says what happened for a person (naming the time of an earlier post and
 * what to do); -1 only when the store fails (*err). opts may be NULL. */
int deliver_webhook_post(struct store *st, const struct config *cfg, const char *what,
			 const char *week, const char *text, bool again,
			 const struct webhook_options *opts, enum deliver_webhook_result *result,
			 char **msg, char **err);

#endif
