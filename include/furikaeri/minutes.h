#ifndef FURIKAERI_MINUTES_H
#define FURIKAERI_MINUTES_H

#include <stdbool.h>
#include <stddef.h>

/* The whole record of one meeting, as exported and imported: plain data
 * with no I/O. The store fills it (store_minutes_doc_load) and writes it
 * back (store_minutes_doc_save); the exporters format it. Every string is
 * owned by the doc; optional ones are NULL. */

struct minutes_person {
	char *name;
	char *role;
	char *away_until;
};

struct minutes_item {
	char *kind;		/* followups, postmortem, topic, wrapup */
	char *pm_id;
	char *pm_title;
	char *pm_source;	/* the postmortem's path or URL */
	char *pm_severity;
	char *pm_date;
	char *state;		/* pending, current, done, skipped, carried */
	int budget_s;
	int spent_s;
	bool carried_over;
};

struct minutes_entry {
	int seq;
	long item;		/* index into items, -1 when none */
	char *kind;		/* note, question, decision, action, link, event */
	char *body;
	char *created_at;	/* ISO 8601 UTC */
	char *edited_at;
	char *deleted_at;
	/* actions: the measure */
	char *marker;
	char *owner;
	char *due;
	char *status;		/* open, done, not_doing */
	char *agreed_at;
	char *ticket;
	char *ticket_url;
	char *ticket_state;	/* queued, sending, filed, failed */
};

struct minutes_doc {
	char *week;
	char *facilitator;
	char *backup;
	int budget_minutes;
	char *started_at;
	char *ended_at;
	char **attendees;
	size_t n_attendees;
	struct minutes_item *items;
	size_t n_items;
	struct minutes_entry *entries;
	size_t n_entries;
	struct minutes_person *roster;	/* the team's roster at export */
	size_t n_roster;
	char *next_facilitator;		/* the rotation's proposal for next week */
	char *next_backup;
};

struct minutes_doc *minutes_doc_new(void);
void minutes_doc_free(struct minutes_doc *doc);

#endif
