#ifndef FURIKAERI_STORE_REMIND_H
#define FURIKAERI_STORE_REMIND_H

#include <stdbool.h>
#include <stddef.h>

#include "furikaeri/deliver.h"
#include "furikaeri/store.h"

struct store_chat_post;

/* The store's side of `furikaeri remind`: which agreed measures are due,
 * and queuing a reminder as a chat post (chat_posts, kind remind) that
 * exists once per measure and day. Strings are owned by their struct. */

/* An agreed, open measure with an owner and a due date, and where it was
 * agreed. */
struct store_remind_row {
	long long measure_id;
	char *marker;		/* the measure's own (measures.marker) */
	char *title;
	char *owner;		/* the name as the minutes have it */
	char *due;		/* YYYY-MM-DD */
	char *ticket;		/* key, or NULL when not filed */
	char *ticket_url;	/* or NULL */
	long long meeting_id;	/* the meeting it was agreed in */
	long long item_id;	/* its agenda item, 0 when none */
	char *week;		/* that meeting's */
	char *chat_id;		/* the owner's in the roster, or NULL */
	char *chat_handle;	/* Mattermost username, or NULL */
	long long root_id;	/* its item's thread root in service, posted; 0: none */
};

struct store_remind_rows {
	struct store_remind_row *rows;
	size_t n;
};

void store_remind_rows_free(struct store_remind_rows *r);

/* The open measures agreed in a meeting (week's, or any when week is
 * NULL) with an owner and a due date on or before until (YYYY-MM-DD), due
 * date first; a measure whose action was struck out of the minutes is
 * left out. root_id is the item's thread root of service when it was
 * posted (a reminder can be a reply under it). */
int store_remind_due(struct store *st, const char *until, const char *week, const char *service,
		     struct store_remind_rows *out, char **err);

/* Records p (kind remind, p->once_key set) unless a post with its
 * once_key exists (*queued false then, nothing recorded). It is recorded
 * as unknown, not queued: before it is first sent its marker is looked
 * for (the thread, or the channel since looked_from, ISO UTC), so a
 * reminder that another store (another machine) posted today is found,
 * not posted again. */
int store_remind_queue(struct store *st, struct store_chat_post *p, const char *now,
		       const char *looked_from, bool *queued, char **err);

/* Settles the reminders of days before day (YYYY-MM-DD) that never went
 * out (queued, or unknown and not claimed): each moves to failed with a
 * note, one guarded UPDATE and its line of history, so that a reminder
 * held back by an outage is not posted on a later day beside that day's
 * own. *n says how many. */
int store_remind_expire(struct store *st, const char *day, const char *now, size_t *n,
			char **err);

/* The state of the post with once_key, how many times it was sent (0
 * for one delivered because its marker was found: another store posted
 * it) and its last error (owned, may be NULL); *found false when there is
 * none. */
int store_remind_state(struct store *st, const char *once_key, enum deliver_state *state,
		       int *attempts, char **last_error, bool *found, char **err);

#endif
