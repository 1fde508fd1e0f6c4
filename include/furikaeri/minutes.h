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
	char *pm_id;		/* NULL unless a postmortem */
	char *title;		/* the item's title (the postmortem's when one) */
	char *pm_source;	/* the postmortem's path or URL */
	char *pm_severity;
	char *pm_date;
	char *state;		/* pending, current, done, skipped, carried */
	int budget_s;
	int spent_s;
	bool carried_over;
	/* when the meeting moved on from it (ISO 8601 UTC), NULL while open,
	 * for an item still current at the end, and in minutes read from a
	 * file */
	char *closed_at;
};

struct minutes_entry {
	/* The entry's stable identity across machines, when it needs one of
	 * its own (an entry merged under another seq); NULL: its identity is
	 * derived from its week, seq, created_at and kind
	 * (minutes_entry_identity). */
	char *entry_marker;
	int seq;
	long item;		/* index into items, -1 when none */
	char *kind;		/* note, question, decision, action, link, event */
	char *body;
	char *created_at;	/* ISO 8601 UTC */
	char *edited_at;
	char *deleted_at;
	char *author;		/* who said it (a display name); NULL when not known
				 * (format_version 1 files have none) */
	/* actions: the measure */
	char *marker;
	char *owner;
	char *due;
	char *status;		/* open, done, dropped, not_doing */
	char *agreed_at;
	char *done_at;
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

/* An empty doc (owned; free with minutes_doc_free). */
struct minutes_doc *minutes_doc_new(void);
void minutes_doc_free(struct minutes_doc *doc);
/* Appends a zeroed item, entry or roster person and returns it (borrowed
 * from the doc, valid until the next append). */
struct minutes_item *minutes_doc_add_item(struct minutes_doc *doc);
struct minutes_entry *minutes_doc_add_entry(struct minutes_doc *doc);
struct minutes_person *minutes_doc_add_person(struct minutes_doc *doc);
void minutes_doc_add_attendee(struct minutes_doc *doc, const char *name);
/* The action number of entry i (1-based over the doc's actions, deleted
 * ones included, as the meeting numbered them), 0 for other kinds. */
int minutes_doc_action_number(const struct minutes_doc *doc, size_t i);
/* What an item is called in the minutes: its title, else "Follow-ups",
 * "Wrap-up" or "(untitled)" (static or borrowed). */
const char *minutes_item_label(const struct minutes_item *it);
/* The meeting's date (YYYY-MM-DD): the day it started, else the Monday of
 * its week, else "". */
void minutes_doc_date(const struct minutes_doc *doc, char out[11]);
/* The week after the meeting's ("2026-W50"), or "" for a malformed week. */
void minutes_doc_next_week(const struct minutes_doc *doc, char out[9]);
/* "HH:MM" of an ISO 8601 timestamp ("2026-12-01T10:04:00Z"), or "". */
void minutes_hm(const char *timestamp, char out[6]);
/* The stable identity of entry e of the week's minutes (owned): its
 * entry_marker, else "fm-" and a hash of what never changes in it. */
char *minutes_entry_identity(const char *week, const struct minutes_entry *e);
/* Whether an action's measure was agreed and its entry not deleted. */
bool minutes_entry_agreed(const struct minutes_entry *e);
/* Why an entry is late, or MINUTES_ON_TIME: written after its item was
 * closed (a reply in the thread of an item the meeting had left) or after
 * the meeting ended (the next day, pulled by furikaeri chat pull). */
enum minutes_late {
	MINUTES_ON_TIME,
	MINUTES_LATE_ITEM,	/* after its item closed, the meeting still on */
	MINUTES_LATE_MEETING,	/* after the meeting ended */
};
enum minutes_late minutes_entry_late(const struct minutes_doc *doc,
				     const struct minutes_entry *e);

#endif
