#ifndef FURIKAERI_STORE_WEBHOOK_H
#define FURIKAERI_STORE_WEBHOOK_H

#include <stdbool.h>

#include "furikaeri/deliver.h"
#include "furikaeri/store.h"

/* The SQL of the posts to the [minutes] webhook (tables webhook_posts and
 * webhook_history). What happens to a post is decided by
 * src/deliver_webhook.c; this file runs each move as one guarded UPDATE
 * with a line of history (read back with store_delivery_history). Strings in the struct are owned by it. */

struct store_webhook_post {
	long long id;
	char *what;		/* "agenda" | "minutes" */
	char *week;
	char *content;		/* a hash of what, week and the text */
	enum deliver_state state;
	int attempts;
	char *last_error;
	char *claimed_by;
	char *lease_until;
	char *updated_at;
	char *sent_at;		/* when it was last sent */
};

void store_webhook_post_release(struct store_webhook_post *p);

/* The newest post of content; *found false when there is none. */
int store_webhook_last(struct store *st, const char *content, struct store_webhook_post *out,
		       bool *found, char **err);
/* Records a post (queued) before anything is sent, and fills *id, when
 * the newest post of content is still after (its id, 0 for none): *id 0
 * when another process queued one since, which the caller reads again. */
int store_webhook_queue(struct store *st, const char *what, const char *week,
			const char *content, long long after, const char *now, long long *id,
			char **err);

/* One move. A claim, and a takeover of a claim that ran out, are guarded
 * by the row as it was read (seen); every other move by its holder. */
struct store_webhook_move {
	long long id;
	const struct store_webhook_post *seen;	/* NULL: guarded by owner */
	const char *owner;	/* the holder, and the new one when claiming */
	enum deliver_state to;
	const char *now;
	const char *lease_until; /* claimed: set; other states: cleared */
	const char *error;	/* last_error, set as given */
	bool sent;		/* it goes out now: attempts + 1, sent_at */
	const char *note;	/* the line of history */
};
/* *changed says whether the guard held (another process may have moved
 * the row first). */
int store_webhook_move(struct store *st, const struct store_webhook_move *mv, bool *changed,
		       char **err);

#endif
