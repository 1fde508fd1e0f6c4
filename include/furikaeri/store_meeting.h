#ifndef FURIKAERI_STORE_MEETING_H
#define FURIKAERI_STORE_MEETING_H

#include <stdbool.h>
#include <stddef.h>

#include "furikaeri/store.h"

/* The store's side of the roster and of meetings: people, who facilitated
 * which week, one meeting's agenda, attendees and minutes. Functions return
 * 0 / -1 with *err; every struct handed out is owned by the caller and freed
 * with the matching _free function. */

struct store_person {
	char *name;
	char *role;		/* NULL when not given */
	char *away_until;	/* YYYY-MM-DD or NULL */
	char *chat_id;		/* their user id in the chat (Slack U..., Mattermost's
				 * id), NULL when not known: authority in the
				 * channel goes by it, never by a display name */
	char *email;		/* NULL when not given; roster sync finds chat_id by it */
};

struct store_people {
	struct store_person *people;	/* in the order they were added */
	size_t n;
};

void store_people_free(struct store_people *p);
int store_people_list(struct store *st, struct store_people *out, char **err);
/* Fails with a clear message when the name is taken. */
int store_person_add(struct store *st, const char *name, const char *role, char **err);
/* The same with every field of p (away_until ignored); fails when the name
 * or the chat id is taken (the message names who has it). */
int store_person_insert(struct store *st, const struct store_person *p, char **err);
/* Sets (NULL clears) a person's chat id; fails when another has it. */
int store_person_set_chat(struct store *st, const char *name, const char *chat_id, char **err);
/* Sets (NULL clears) a person's e-mail. */
int store_person_set_email(struct store *st, const char *name, const char *email, char **err);
/* A person's chat id (owned), NULL when they have none or are not on the
 * roster. */
int store_person_chat_id(struct store *st, const char *name, char **chat_id, char **err);
/* A person's Mattermost username, which a mention needs (roster sync finds
 * it; NULL clears it). */
int store_person_set_chat_handle(struct store *st, const char *name, const char *handle,
				 char **err);
/* name's chat id and username (each owned, NULL when none or when name is
 * not on the roster). */
int store_person_chat_account(struct store *st, const char *name, char **chat_id,
			      char **handle, char **err);
/* Fails when there is no such person. */
int store_person_remove(struct store *st, const char *name, char **err);
/* until NULL clears the absence. */
int store_person_set_away(struct store *st, const char *name, const char *until, char **err);

struct store_history_row {
	char *week;
	char *facilitator;	/* may be NULL */
	char *backup;		/* may be NULL */
};

struct store_history {
	struct store_history_row *rows;	/* oldest week first */
	size_t n;
};

void store_history_free(struct store_history *h);
/* Who facilitated each recorded meeting (person NULL = everyone). */
int store_history_list(struct store *st, const char *person, struct store_history *out,
		       char **err);

struct store_meeting {
	long long id;
	char *week;
	char *facilitator;
	char *backup;
	int budget_minutes;
	char *started_at;
	char *ended_at;
};

void store_meeting_free(struct store_meeting *m);
/* The meeting of a week (owned), or NULL with *err unset when none. */
struct store_meeting *store_meeting_get(struct store *st, const char *week, char **err);
/* The latest meeting before a week (owned), or NULL with *err unset. */
struct store_meeting *store_meeting_before(struct store *st, const char *week, char **err);
int store_meeting_create(struct store *st, const char *week, int budget_minutes,
			 long long *id, char **err);
int store_meeting_set_people(struct store *st, long long id, const char *facilitator,
			     const char *backup, char **err);
int store_meeting_set_ended(struct store *st, long long id, bool ended, char **err);
/* When meeting id ended (owned ISO 8601 UTC), NULL when it has not (or is
 * not there). */
int store_meeting_ended_at(struct store *st, long long id, char **ended_at, char **err);

struct store_agenda_row {
	long long id;
	char *kind;		/* followups, postmortem, topic, wrapup */
	char *pm_id;		/* may be NULL */
	char *title;
	char *date;		/* the postmortem's date, may be NULL */
	int severity_rank;
	char *state;		/* pending, current, done, skipped, carried */
	int budget_s;
	int spent_s;
	bool carried_over;
};

struct store_agenda {
	struct store_agenda_row *rows;	/* in agenda order */
	size_t n;
};

void store_agenda_free(struct store_agenda *a);
int store_agenda_load(struct store *st, long long meeting_id, struct store_agenda *out,
		      char **err);
/* Replaces the saved agenda of a meeting with rows (ids of rows already
 * saved are kept, new rows get theirs filled in) in one transaction. */
int store_agenda_save(struct store *st, long long meeting_id, struct store_agenda *rows,
		      char **err);

/* What the agenda of a new meeting is built from. */
struct store_agenda_input {
	struct store_agenda ready;	/* postmortems ready since the last meeting */
	struct store_agenda carried;	/* carried over from the last meeting */
};

void store_agenda_input_free(struct store_agenda_input *in);
/* Ready: not a draft, never on an earlier meeting's agenda, and dated (or
 * imported) on or after since (YYYY-MM-DD). Carried: the items the meeting
 * before this week carried over. */
/* Ready postmortems are those dated from since to the end of week,
 * neither templates nor drafts (postmortems.ready), never undated. */
int store_agenda_input(struct store *st, const char *week, const char *since,
		       struct store_agenda_input *out, char **err);

int store_attendee_add(struct store *st, long long meeting_id, const char *name, char **err);
/* Names in the order they joined. */
int store_attendee_list(struct store *st, long long meeting_id, char ***names, size_t *n,
			char **err);

struct store_minute {
	long long id;
	long long item_id;	/* agenda item, 0 when none */
	int seq;		/* order within the meeting */
	char *kind;		/* note, question, decision, action, link, event */
	char *body;
	long long measure_id;	/* actions: their measure, else 0 */
	char *created_at;
	char *edited_at;	/* NULL unless edited */
	bool deleted;
	char *author;		/* who said it (a display name), NULL when not known */
	/* the measure of an action, joined in */
	char *owner;
	char *due;
	bool agreed;
	char *ticket;
	char *ticket_state;	/* queued, sending, filed, failed, or NULL */
	char *ticket_url;	/* the ticket's web page, may be NULL */
};

struct store_minutes {
	struct store_minute *rows;	/* in seq order */
	size_t n;
};

void store_minutes_free(struct store_minutes *m);
int store_minutes_load(struct store *st, long long meeting_id, struct store_minutes *out,
		       char **err);
/* Records an entry (and, for an action, its measure with a fresh marker,
 * tied to the item's postmortem) in one transaction; fills m->id, m->seq and
 * m->measure_id. */
int store_minute_add(struct store *st, long long meeting_id, struct store_minute *m,
		     char **err);
/* Replaces an entry's text (an action's measure title, owner and due too). */
int store_minute_edit(struct store *st, struct store_minute *m, char **err);
/* Marks an entry deleted: it stays in the history. */
int store_minute_delete(struct store *st, long long minute_id, char **err);
/* Whether a measure with this id exists (imported or agreed). */
int store_measure_exists(struct store *st, long long measure_id, bool *found, char **err);
/* Brings a deleted entry back (/undelete). */
int store_minute_undelete(struct store *st, long long minute_id, char **err);
/* Marks an action's measure agreed (now). */
int store_measure_agree(struct store *st, long long measure_id, char **err);

/* Prevention measures across postmortems and meetings. */
struct store_measure_row {
	long long id;
	char *title;
	char *owner;
	char *due;
	char *status;		/* open, done, dropped, not_doing */
	char *ticket;
	char *ticket_url;
	char *ticket_state;	/* outbox state, or NULL when never queued */
	char *pm_id;		/* may be NULL */
	char *pm_title;
	char *origin;		/* import, meeting */
	char *created_at;
	char *agreed_at;	/* may be NULL */
	char *done_at;		/* may be NULL */
};

struct store_measures {
	struct store_measure_row *rows;
	size_t n;
};

struct store_measure_filter {
	bool open_only;		/* status open */
	bool agreed_only;	/* imported, or agreed in a meeting */
	const char *owner;	/* exact owner, or NULL */
	const char *before;	/* agreed in a meeting before this date (YYYY-MM-DD) */
	const char *pm_before;	/* imported, with a postmortem dated before this */
	const char *due_before;	/* due date before this date: overdue */
	bool live_only;		/* leave out actions whose entry was deleted */
	/* with pm_before: imported measures only of postmortems dated in the
	 * pm_days before it (0: 90); older ones are in `actions --open` */
	int pm_days;
};

void store_measures_free(struct store_measures *m);
/* Oldest first. */
int store_measures_list(struct store *st, const struct store_measure_filter *f,
			struct store_measures *out, char **err);

struct store_lock;

/* An advisory lock on one week's meeting (a lock file beside the database),
 * held until store_lock_free or the process ends, even by kill -9. Returns
 * the lock (owned), or NULL: with *holder set to the other process's pid
 * when one holds it, or with *err on failure. */
struct store_lock *store_meeting_lock(struct store *st, const char *week, long *holder,
				      char **err);
void store_lock_free(struct store_lock *lock);

#endif
