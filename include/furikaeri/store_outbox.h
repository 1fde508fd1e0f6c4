#ifndef FURIKAERI_STORE_OUTBOX_H
#define FURIKAERI_STORE_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "furikaeri/store.h"

/* The durable ticket outbox (table ticket_outbox): a row is written before
 * any request goes out, so a crash or a lost answer never loses a ticket
 * and never makes two. States: queued -> sending -> filed, or back to
 * queued with a reason (a refused request, a later retry), or failed (a
 * local problem such as a missing token). All strings in the structs are
 * owned by them. */

struct store_outbox_item {
	long long id;
	long long measure_id;
	char *tracker;		/* "github" | "jira" */
	char *state;		/* "queued" | "sending" | "filed" | "failed" */
	int attempts;		/* sends started so far */
	char *last_error;
	char *ticket_key;
	char *ticket_url;
	char *queued_at;
	char *updated_at;
	char *next_attempt_at;	/* ISO 8601 UTC, NULL: no automatic retry planned */
	/* from the measure, its postmortem and the meeting that agreed it */
	char *marker;
	char *title;
	char *owner;
	char *due;
	char *measure_status;
	char *pm_id;
	char *pm_title;
	char *pm_source;
	char *pm_severity;
	char *week;		/* "2026-W49", NULL when not agreed in a meeting */
};

struct store_outbox_items {
	struct store_outbox_item *items;
	size_t n;
};

struct store_outbox_counts {
	size_t queued, sending, filed, failed;
};

void store_outbox_item_release(struct store_outbox_item *item);
void store_outbox_items_free(struct store_outbox_items *items);

/* Queues measure_id for tracker. A measure already in the outbox keeps its
 * row: *already is set, and a row not yet filed is moved to tracker and
 * queued again (its attempts count stays, so the next send looks for an
 * earlier ticket first). A filed row is left alone. */
int store_outbox_queue(struct store *st, long long measure_id, const char *tracker,
		       bool *already, char **err);
/* Every row (all = true) or those not filed, oldest first. */
int store_outbox_list(struct store *st, bool all, struct store_outbox_items *out, char **err);
/* The row of a measure; *found false when there is none. */
int store_outbox_get(struct store *st, long long measure_id, struct store_outbox_item *out,
		     bool *found, char **err);
int store_outbox_counts(struct store *st, struct store_outbox_counts *out, char **err);

/* State changes by row id, each its own transaction. */
int store_outbox_mark_sending(struct store *st, long long id, char **err);
/* Also sets the measure's ticket and ticket_url, atomically. */
int store_outbox_mark_filed(struct store *st, long long id, const char *key, const char *url,
			    char **err);
int store_outbox_mark_queued(struct store *st, long long id, const char *reason,
			     const char *next_attempt_at, char **err);
int store_outbox_mark_failed(struct store *st, long long id, const char *reason, char **err);
/* Sets a measure's status ("open" or "done", from its ticket's state). */
int store_outbox_set_measure_status(struct store *st, long long measure_id, const char *status,
				    char **err);

#endif
