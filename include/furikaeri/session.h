#ifndef FURIKAERI_SESSION_H
#define FURIKAERI_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "furikaeri/agenda.h"
#include "furikaeri/command.h"
#include "furikaeri/config.h"
#include "furikaeri/postmortem.h"
#include "furikaeri/store.h"
#include "furikaeri/store_meeting.h"

/* One meeting in progress: the model's state, loaded from the store and
 * saved to it the moment anything changes, so that a crash at any time
 * loses nothing. The UI reads the state through the getters, sends every
 * input line to session_input and every key-bound command to session_run
 * (by id, never as text); a reply says what to redraw. The session holds
 * the input states: confirming the facilitator, editing an entry (bound to
 * the entry and its item), a question waiting for y/n, ended. */

struct session;
struct blameless;
struct tracker_worker;
struct chat_queue;
struct chat_worker;

enum session_phase {
	SESSION_CONFIRM,	/* the facilitator of the week is not confirmed yet */
	SESSION_RUNNING,
	SESSION_ENDED,		/* wrap-up is done; /reopen before adding entries */
};

/* A question waiting for y or n (session_answer). */
enum session_question {
	SESSION_ASK_NONE,
	SESSION_ASK_END,	/* "End the meeting and write the minutes?" */
	SESSION_ASK_TAKEOVER,	/* read-only: the holder has left; take over? */
};

/* What changed, for the UI to redraw. */
#define SESSION_DRAW_AGENDA 0x01u
#define SESSION_DRAW_ITEM 0x02u
#define SESSION_DRAW_MINUTES 0x04u
#define SESSION_DRAW_STATUS 0x08u
#define SESSION_DRAW_ALL 0x0Fu

struct session_options {
	const char *week;		/* YYYY-Www */
	int budget_minutes;		/* <= 0: 60 */
	int floor_minutes;		/* an item's least budget; <= 0: 3 */
	const char *today;		/* YYYY-MM-DD, for overdue follow-ups; may be NULL */
	const struct blameless *hints;	/* wording hints, may be NULL; borrowed */
	const struct config *cfg;	/* borrowed; trackers, minutes folder */
	/* Files queued tickets in the background; may be NULL (tickets stay
	 * queued for `furikaeri tickets push`). Borrowed. */
	struct tracker_worker *worker;
	/* Monotonic seconds, for the clocks; NULL uses CLOCK_MONOTONIC. */
	long (*now)(void);
	/* Proposed as facilitator when the roster is empty (the login or git's
	 * user.name), added to the roster on confirmation; may be NULL.
	 * Borrowed. */
	const char *login;
	/* Called when a read-only view takes the meeting over (/takeover,
	 * once the holder left), to start what only the holder runs: the
	 * chat. A session that holds the meeting from the start leaves that
	 * to its caller. Returns NULL, or what went wrong (owned), which the
	 * reply shows; the meeting goes on either way. May be NULL. */
	char *(*on_hold)(void *ctx, struct session *s);
	void *hold_ctx;
};

/* Opens the meeting of opt->week, creating it (agenda built from the store,
 * facilitator proposed from the rotation) when it does not exist yet. When
 * another process has it open, the session is read-only. Owned; NULL with
 * *err on failure. The store is borrowed and must outlive the session. */
struct session *session_open(struct store *st, const struct session_options *opt, char **err);
void session_free(struct session *s);

bool session_read_only(const struct session *s);
/* The pid of the process holding the meeting when read-only, else 0. */
long session_lock_holder(const struct session *s);
enum session_phase session_phase(const struct session *s);
const char *session_week(const struct session *s);
const char *session_facilitator(const struct session *s);	/* may be NULL */
/* Whether the proposed facilitator is not on the roster yet (an empty
 * roster proposes the login). */
bool session_proposed_new(const struct session *s);
const char *session_backup(const struct session *s);		/* may be NULL */
/* The proposal for next week, as the rotation would make it now. */
void session_next_proposal(struct session *s, const char **facilitator, const char **backup);
const struct agenda *session_agenda(const struct session *s);
/* The plan of a saved agenda (store_agenda_load): its items in their saved
 * order, every one pending, the meeting's budget_minutes shared among them
 * as at the meeting's start, so the budgets add up to it whatever the
 * meeting then spent. Owned; NULL with *err when the rows do not make an
 * agenda. */
struct agenda *session_agenda_plan(const struct store_agenda *rows, int budget_minutes,
				   int floor_minutes, size_t open_measures, char **err);
/* Every entry of the meeting in order (deleted ones too); borrowed. */
const struct store_minutes *session_minutes(const struct session *s);
/* The action number of an entry (1-based, meeting-wide), 0 for others. */
int session_action_number(const struct session *s, size_t entry);
/* The postmortem of the current item (borrowed), or NULL. */
const struct postmortem *session_postmortem(const struct session *s);
/* Attendees in the order they joined; borrowed. */
char *const *session_attendees(const struct session *s, size_t *n);
/* Everyone on the roster, for completion; borrowed. */
const char *const *session_people(const struct session *s, size_t *n);
/* Measures still open from before this week (the follow-ups); borrowed. */
const struct store_measures *session_followups(const struct session *s);
/* Whether follow-up m is overdue on the meeting's day (date_overdue). */
bool session_followup_overdue(const struct session *s, const struct store_measure_row *m);
/* Actions of this meeting; how many are queued and filed as tickets. */
size_t session_ticket_counts(const struct session *s, size_t *queued, size_t *filed);

/* Where an action stands, from its measure and ticket. */
enum session_action_state {
	SESSION_ACTION_PROPOSED,
	SESSION_ACTION_AGREED,
	SESSION_ACTION_FILING,	/* queued or being sent */
	SESSION_ACTION_WAITING,	/* queued, and no ticket worker runs here to file it */
	SESSION_ACTION_FILED,
	SESSION_ACTION_FAILED,
};

enum session_action_state session_action_state(const struct session *s,
					       const struct store_minute *m);
/* "proposed", "agreed ✓", "filing…", "queued: no tracker", "filed",
 * "ticket failed" (static). */
const char *session_action_state_name(enum session_action_state state);

/* What the wrap-up lists: indexes into session_minutes() for the
 * decisions and the actions still standing, and into the agenda for the
 * items carried over. Owned by the caller: session_wrapup_free. */
struct session_wrapup {
	size_t *decisions;
	size_t n_decisions;
	size_t *actions;
	size_t n_actions;
	size_t *carried;
	size_t n_carried;
};

void session_wrapup(const struct session *s, struct session_wrapup *out);
void session_wrapup_free(struct session_wrapup *w);

/* The answer to one input line or command. */
struct session_reply {
	unsigned redraw;	/* SESSION_DRAW_* */
	char *message;		/* for the status line (owned), or NULL */
	bool error;		/* message is an error: nothing was recorded */
	bool keep_line;		/* with error: the store failed, so the line stays in
				 * the input line for Enter to try again; any other
				 * refusal clears it into the kill ring */
	const char *hint;	/* a wording hint (static), or NULL */
	bool quit;
	bool help;		/* show the help screen */
	const struct command_def *help_topic;	/* /help NAME: that command */
	bool messages;		/* show the recent messages */
	bool overview;		/* show the whole meeting */
	bool editor;		/* open $EDITOR on the input line */
	char *edit_text;	/* put this in the input line: session_editing() is on */
	bool edit_ended;	/* the edit ended unsaved: its text leaves the input line */
	bool item_changed;	/* another item is current: scroll to its top */
	bool find;		/* a /find match is shown: scroll to it */
	int find_seq;		/* its entry, or 0 for the postmortem */
};

void session_reply_clear(struct session_reply *r);
/* Applies one input line: a note, or a slash command. While an entry is
 * being edited a note replaces its text, and a command is run as a
 * command (ending the edit). Before the facilitator is confirmed, the
 * first entry confirms the proposal. After the end, entries are refused
 * until /reopen. When the store cannot record it, the reply is an error
 * with keep_line and nothing changed, so the UI keeps the line for another
 * try; a refused line (an error without keep_line) leaves the input line,
 * so that the next command starts clean. */
void session_input(struct session *s, const char *line, struct session_reply *r);
/* Runs a command without an argument by id, as a key does (next, prev,
 * skip, help, quit, ...). */
void session_run(struct session *s, enum command_id id, struct session_reply *r);
/* The question waiting for y/n, if any, and its answer. */
enum session_question session_question(const struct session *s);
void session_answer(struct session *s, bool yes, struct session_reply *r);
/* The entry being edited (its seq), or 0. */
int session_editing(const struct session *s);
/* Ends an edit without saving: the entry stays as it was. */
void session_edit_cancel(struct session *s);
/* Starts editing the newest entry of the current item (Ctrl-E on an empty
 * line): r->edit_text holds its text and the message says which entry. */
void session_edit_newest(struct session *s, struct session_reply *r);
/* The text of the last /find (borrowed), or NULL. */
const char *session_find_text(const struct session *s);
/* Moves the clocks on; call often. Saves the spent time every few seconds.
 * Returns SESSION_DRAW_* for what changed. */
unsigned session_tick(struct session *s);
/* A message from the background (a ticket filed or refused) to show,
 * owned by the caller; NULL when there is none. */
char *session_take_notice(struct session *s, bool *error);
/* The facilitator's prompt for the current item (static text); *step is
 * 1..5 for a postmortem (the steps follow the item's clock), 0 otherwise. */
const char *session_prompt(const struct session *s, int *step);
/* The meeting's row id in the store (for the chat worker). */
long long session_meeting_id(const struct session *s);
/* Brings the meeting into the chat channel: chat (on the session's store)
 * queues posts, worker (started for session_meeting_id) sends them and
 * reads the open item's thread. Both borrowed, outliving the session;
 * attach only to a session that is not read-only. */
void session_attach_chat(struct session *s, struct chat_queue *chat,
			 struct chat_worker *worker);
/* The chat's state for the status line ("connected", "unreachable", ...);
 * false (buf empty) without a chat. */
bool session_chat_status(const struct session *s, char *buf, size_t size);
/* Seconds spent on the current item and in the whole meeting. */
int session_item_spent(const struct session *s);
int session_meeting_spent(const struct session *s);

#endif
