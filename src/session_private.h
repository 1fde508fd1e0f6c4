#ifndef FURIKAERI_SESSION_PRIVATE_H
#define FURIKAERI_SESSION_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "furikaeri/agenda.h"
#include "furikaeri/chat.h"
#include "furikaeri/chat_worker.h"
#include "furikaeri/command.h"
#include "furikaeri/roster.h"
#include "furikaeri/session.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/week.h"

/* Shared between the session files only:
 *   session.c           open and free, getters, prompts, replies, the clock
 *   session_agenda.c    the agenda to and from the store's rows
 *   session_load.c      loading the meeting (creating it the first time)
 *   session_commands.c  input states and the command handlers, by id
 *   session_find.c      /find over every item's postmortem and minutes
 *   session_follow.c    the read-only follower and the ticket worker's news
 *   session_export.c    the minutes written at wrap-up
 *   session_chat.c      the meeting in the chat channel (queue and events) */

struct session_match {
	size_t item;		/* agenda index */
	int seq;		/* minutes entry, or 0 for the postmortem */
};

struct session {
	struct store *st;
	struct store_lock *lock;
	long holder;
	bool holder_left;	/* read-only, and the holder has gone */
	struct session_options opt;
	char week[WEEK_STRLEN];
	struct store_meeting *meeting;
	enum session_phase phase;
	enum session_question question;
	int editing;		/* seq of the entry being edited, or 0 */
	long long editing_item;	/* the agenda item (ref) it belongs to */
	struct agenda *agenda;
	struct store_minutes minutes;
	char **attendees;
	size_t n_attendees;
	struct store_people people;
	const char **names;	/* people's names, for completion and hints */
	struct roster *roster;
	const char *proposed_facilitator;	/* borrowed from roster or opt */
	const char *proposed_backup;
	bool proposed_new;	/* the proposal is not on the roster yet */
	struct postmortem *pm;	/* the current item's */
	struct store_measures followups;	/* open measures from before this week */
	long last_tick;
	long last_save;
	int unsaved_s;
	char *notice;		/* from the ticket worker, for the status line */
	bool notice_error;
	char *find;		/* the last /find */
	struct session_match *matches;
	size_t n_matches;
	size_t match_at;
	struct chat_queue *chat;	/* borrowed, or NULL: no chat */
	struct chat_worker *chat_worker;	/* borrowed */
	long long chat_item;		/* the item whose thread is followed */
	bool chat_opened;		/* the opening post is queued (or was before) */
	char chat_refusal[320];		/* the chat's refusal last told in full, or "" */
	const char *as_author;		/* /as NAME: the author of the entry being added */
};

long session_now(const struct session *s);

void session_reply(struct session_reply *r, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Reports a failed store write: nothing changed, the input stays. */
void session_reply_store_error(struct session_reply *r, char *err);

/* session_agenda.c */
int session_agenda_save(struct session *s, char **err);
void session_agenda_entries(const struct store_agenda *rows, bool carried,
			    struct agenda_entry **out, size_t *n);
struct agenda *session_agenda_restore(const struct store_agenda *rows, int budget_minutes,
				      char **err);
struct agenda *session_agenda_copy(const struct session *s, char **err);

/* session_load.c */
int session_load(struct session *s, char **err);
int session_load_people(struct session *s, char **err);
void session_load_postmortem(struct session *s);
int session_load_minutes(struct session *s, char **err);
int session_load_attendees(struct session *s, char **err);
/* Records name as attending (once) and reloads the attendees. */
int session_attend(struct session *s, const char *name, char **err);

/* session_find.c */
void session_find_run(struct session *s, const char *text, struct session_reply *r);
void session_find_step(struct session *s, int direction, struct session_reply *r);
void session_find_clear(struct session *s);

/* session_follow.c */
unsigned session_follow(struct session *s, long now);
unsigned session_poll_worker(struct session *s);
void session_takeover(struct session *s, struct session_reply *r);

/* session_export.c */
void session_export(struct session *s, struct session_reply *r);

/* session_chat.c: each does nothing without a chat */
unsigned session_chat_tick(struct session *s);
/* /chat retry: the worker asks the token again; false without a chat. */
bool session_chat_retry(struct session *s);
/* Posts the thread root of the item open now, once per item (after every
 * command: an agenda change opens another). */
void session_chat_follow(struct session *s);
/* After an entry was recorded (edited: its text changed). */
void session_chat_entry(struct session *s, long long minute_id, bool edited);
/* A ticket filed for measure: its key goes into its action's thread. */
void session_chat_ticket(struct session *s, long long measure_id, const char *key,
			 const char *url);
void session_chat_wrapup(struct session *s);

/* session_commands.c */
/* /agree N or /ticket N, as typed (a reaction in the chat runs it too). */
void session_agree(struct session *s, long number, bool ticket, struct session_reply *r);
struct store_minute *session_entry_by_seq(struct session *s, long seq);
/* Opens item i (going back leaves the item passed as it was); a change of
 * item ends an edit. */
void session_go(struct session *s, size_t i, struct session_reply *r);

#endif
