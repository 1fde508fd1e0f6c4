#ifndef FURIKAERI_STORE_OUTBOX_H
#define FURIKAERI_STORE_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "furikaeri/deliver.h"
#include "furikaeri/store.h"

/* The SQL of the durable ticket outbox (tables ticket_outbox and
 * ticket_history). The states and the rules between them belong to
 * src/outbox.c, which draws them; this file only runs what it decides:
 * each transition is one conditional UPDATE (a guard on the row's state,
 * holder and times) whose changed-row count is handed back, with a line of
 * history in the same transaction. All strings in the structs are owned by
 * them. */

struct store_outbox_item {
	long long id;
	long long measure_id;	/* 0 for a postmortem issue */
	char *kind;		/* "measure" | "postmortem" (`new --tracker`) */
	char *body;		/* a postmortem issue's body (its filled template) */
	char *tracker;		/* "github" | "jira" | NULL: the default when sent */
	enum deliver_state state; /* parsed once, when the row is read */
	int attempts;		/* creates sent so far */
	char *last_error;
	char *ticket_key;
	char *ticket_url;
	char *queued_at;
	char *updated_at;
	char *next_attempt_at;	/* ISO 8601 UTC, NULL: no automatic retry planned */
	char *claimed_by;	/* deliver_owner_new's name of the process holding it */
	char *lease_until;
	bool look_first;	/* an earlier create may have arrived */
	int misses;		/* lookups by marker that found nothing since then */
	char *sent_at;		/* the first create */
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
	size_t by_state[DELIVER_N_STATES];
};

/* The word people see for a ticket's state (the tickets list, the screen,
 * the minutes): "filed" for a delivered ticket, else the stored name. The
 * stored names are deliver.c's; this is a display word. Static. */
const char *store_outbox_state_word(enum deliver_state state);
/* Reads a word of store_outbox_state_word, a stored name, or one that minutes
 * written by an older furikaeri hold ("sending": unknown); false for any
 * other. */
bool store_outbox_state_word_parse(const char *word, enum deliver_state *out);

void store_outbox_item_release(struct store_outbox_item *item);
void store_outbox_items_free(struct store_outbox_items *items);

/* What store_outbox_queue found. */
enum store_outbox_queued {
	STORE_OUTBOX_NEW,	/* a row was written */
	STORE_OUTBOX_AGAIN,	/* a refused or failed row is queued again */
	STORE_OUTBOX_WAITING,	/* already queued, claimed or unknown: left alone */
	STORE_OUTBOX_HAS_TICKET, /* the measure has a ticket (*key): never again */
};

/* Queues measure_id for tracker (NULL: whichever is the default when it is
 * sent) at now. A measure that has a ticket, from any source, is never
 * queued. A new row looks for the marker before its first create
 * (look_first) when the measure's ticket history comes from elsewhere
 * (minutes that recorded a ticket state). *key (owned, may be NULL) names
 * the ticket for STORE_OUTBOX_HAS_TICKET. */
int store_outbox_queue(struct store *st, long long measure_id, const char *tracker,
		       const char *now, enum store_outbox_queued *result, char **key,
		       char **err);
/* Queues a new postmortem as an issue (`furikaeri new --tracker`): a row
 * of kind "postmortem" with a marker of its own (pm-..., returned in
 * *marker, owned), the postmortem's id, title, severity (may be NULL) and
 * body. tracker as for store_outbox_queue. *row is the new row's id. */
int store_outbox_queue_issue(struct store *st, const char *pm_id, const char *title,
			     const char *severity, const char *body, const char *tracker,
			     const char *now, long long *row, char **marker, char **err);
/* The row with id row; *found false when there is none. */
int store_outbox_get_row(struct store *st, long long row, struct store_outbox_item *out,
			 bool *found, char **err);
/* Every row (all = true) or those not delivered, oldest first. A row whose
 * state this furikaeri cannot read is an error. */
int store_outbox_list(struct store *st, bool all, struct store_outbox_items *out, char **err);
/* The row of a measure; *found false when there is none. */
int store_outbox_get(struct store *st, long long measure_id, struct store_outbox_item *out,
		     bool *found, char **err);
int store_outbox_counts(struct store *st, struct store_outbox_counts *out, char **err);

/* Which rows a move applies to. */
enum store_outbox_guard {
	STORE_OUTBOX_DUE,	/* queued and due, or unknown and due */
	STORE_OUTBOX_MINE,	/* claimed by owner, lease not run out at now */
	STORE_OUTBOX_HELD,	/* claimed by owner */
	STORE_OUTBOX_EXPIRED,	/* claimed by anyone, lease run out at now */
	STORE_OUTBOX_STOPPED,	/* refused or failed: waiting for a person */
	STORE_OUTBOX_ORPHANED,	/* claimed by owner (a process known to be gone) */
};

/* One transition. NULL strings and negative numbers leave a column as it
 * is, except where said. */
struct store_outbox_move {
	long long id;
	enum store_outbox_guard guard;
	const char *owner;	/* for MINE and HELD, and the new holder when claiming */
	const char *now;	/* ISO 8601 UTC */
	enum deliver_state to;	/* the new state */
	const char *lease_until; /* claimed: set; other states: cleared */
	const char *next_attempt_at; /* set as given (NULL clears) */
	const char *error;	/* last_error, set as given (NULL clears) */
	int look_first;		/* 0 or 1; -1 keeps */
	int misses;		/* >= 0 sets; -1 keeps; -2 adds one */
	bool sent;		/* a create goes out: attempts + 1, sent_at once */
	const char *tracker;	/* the tracker it goes to, when it had none */
	bool retarget;		/* tracker replaces the row's own (a person asked) */
	const char *key;	/* delivered: the ticket, also set on the measure */
	const char *url;
	const char *note;	/* the line of history (required) */
};

/* Applies mv when its guard holds; *changed says whether it did (a row
 * another process claimed, filed or took over is left as it is). */
int store_outbox_move(struct store *st, const struct store_outbox_move *mv, bool *changed,
		      char **err);

/* Sets a measure's status ("open", "done" or "dropped", from its ticket's
 * state); a measure the postmortem does not do (not_doing) keeps it. */
int store_outbox_set_measure_status(struct store *st, long long measure_id, const char *status,
				    char **err);

#endif
