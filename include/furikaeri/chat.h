#ifndef FURIKAERI_CHAT_H
#define FURIKAERI_CHAT_H

#include <stdbool.h>
#include <stddef.h>

#include "furikaeri/chat_text.h"
#include "furikaeri/config.h"
#include "furikaeri/http.h"
#include "furikaeri/store.h"

/* The meeting in the chat channel (Slack or Mattermost): the durable post
 * queue and its state machine, and the replies read from the open item's
 * thread into the minutes. Its SQL is in store_chat.c, its HTTP in
 * chat_slack.c and chat_mattermost.c (through http.c and retry.c).
 *
 * The states are the delivery engine's (deliver.h), and so are its rules:
 *
 *   queue (chat_open_item, chat_post_entry, chat_post_ticket, chat_wrapup)
 *     |
 *     v        claim (due: deliver_due)             answered
 *   queued ----------------------------> claimed ---------------> delivered
 *     ^  ^                                 |  |  \
 *     |  +--- later (429, no connection) --+  |   +-- refused (channel_not_found,
 *     |                                       |       invalid_auth, ...) --> refused
 *     |   unknown outcome (timeout, dropped,  |
 *     |   5xx, internal_error; or the claim's |
 *     |   lease ran out / its owner is gone) -+--> unknown
 *     |                                              | claimed again to look
 *     |                                              | for the marker (the
 *     +---- not found: posted again -----------------+  thread, or the
 *                                   found: delivered <-+ channel's history)
 *
 * - A post is sent only by the process that claimed it: a claim is one
 *   guarded UPDATE on the row as read, with an owner and a lease that
 *   covers the longest request; every later move is guarded by the owner,
 *   and a move that finds the row taken over records nothing. Each move is
 *   a line of chat_history.
 * - Every post is a row in the store, with a marker of its own, before it
 *   is sent. Slack carries the marker in the message's metadata;
 *   Mattermost as pending_post_id, which the server also deduplicates.
 * - A post whose outcome is unknown is never sent again before its marker
 *   was looked for and not found; a lookup that fails is no lookup.
 * - A reply goes out only after its thread's root is posted.
 * - Replies pulled from a thread are rows keyed by their id in the chat and
 *   recorded with their entry in one transaction: never pulled twice,
 *   across restarts and kill -9.
 *
 * How the session drives it (the queue functions do no I/O but the store;
 * chat_flush and chat_poll do the network and run in chat_worker.h's
 * thread, as tickets do):
 *   - at start: chat_new on the session's store, chat_worker_start on the
 *     same database file for the meeting
 *   - when an item opens: chat_open_item(chat_text_root(...)), then
 *     chat_worker_set_item(item)
 *   - when an entry is recorded: chat_post_entry (the echo setting decides);
 *     when it is edited: chat_edit_entry; then chat_worker_kick
 *   - when a ticket is filed for an action: chat_post_ticket
 *   - at the end: chat_wrapup(chat_text_wrapup(...))
 *   - on each loop tick: chat_worker_events (replies, edits, deletions are
 *     already in the store: reload the minutes; AGREE/TICKET: agree or
 *     file when the reactor's user id is the roster's chat id of the
 *     facilitator or the backup, whatever their display name)
 *   - the status line: chat_worker_status. */

struct chat;

struct chat_options {
	struct http_client *http;	/* borrowed; NULL: the chat makes its own */
	const struct http_clock *clock;	/* borrowed; NULL: the real clock */
	long max_inline_wait_ms;	/* longest retry wait inside one call (0: 10 s) */
	long recheck_ms;		/* an unknown post is looked for after (0: 5 s) */
};

/* The chat of cfg (owned), or NULL with *err when [chat] is not set up
 * (no service, channel or token). The token is read here and kept only in
 * memory (wiped when freed). */
struct chat *chat_new(const struct config *cfg, struct store *st,
		      const struct chat_options *opts, char **err);
void chat_free(struct chat *c);

/* Queues the thread root of an agenda item (once: an item that has one
 * keeps it). text is plain; it is escaped for the service. */
int chat_open_item(struct chat *c, long long meeting_id, long long item_id, const char *text,
		   char **err);
/* Queues a terminal entry into its item's thread when [chat] echo wants
 * this kind ("note", "question", "decision", "action", "link"); *queued
 * says whether it did. author may be NULL. */
int chat_post_entry(struct chat *c, long long meeting_id, long long item_id,
		    long long minute_id, const char *kind, const char *text, const char *author,
		    bool *queued, char **err);
/* Queues an edit of an echoed entry (its post is changed in place:
 * chat.update, PUT /api/v4/posts/{id}/patch); nothing when the entry was
 * not echoed. An edit is idempotent: an unknown outcome is sent again. */
int chat_edit_entry(struct chat *c, long long meeting_id, long long minute_id, const char *kind,
		    const char *text, const char *author, char **err);
/* Queues a delivered ticket's key and link into the thread of its
 * measure's action, as "Ticket filed for action N "title": KEY URL";
 * *queued false when the measure is no action of an agenda item, or when
 * a post carries its key already (another process queued it). chat_flush
 * queues every key still owed before it sends, so a ticket filed by a
 * process that died before this call still gets its post. */
int chat_post_ticket(struct chat *c, long long measure_id, const char *key, const char *url,
		     bool *queued, char **err);
/* Queues the wrap-up as a post of its own in the channel (text plain). */
int chat_wrapup(struct chat *c, long long meeting_id, const char *text, char **err);
/* The same from its parts (chat_text_wrapup), in the service's markup, so
 * that owners and next week's facilitator are mentioned. */
int chat_post_wrapup(struct chat *c, long long meeting_id, const struct chat_wrapup *w,
		     char **err);
/* Queues the meeting's opening post in the channel (chat_text_opening):
 * once per meeting, whoever asks again (*queued false then). */
int chat_open_meeting(struct chat *c, long long meeting_id, const struct chat_opening *o,
		      bool *queued, char **err);
/* Queues a reply in item's thread that only user (their user id) sees
 * (Slack chat.postEphemeral, Mattermost POST /api/v4/posts/ephemeral): once
 * per item, user and about (a word: "agree", "ticket"), across restarts;
 * *queued false when it was queued before. Nothing can look an ephemeral
 * reply up, so one whose outcome is unknown is never sent again. text is
 * plain. */
int chat_tell(struct chat *c, long long meeting_id, long long item_id, const char *user,
	      const char *about, const char *text, bool *queued, char **err);
/* Queues a note into item's thread, once per item and key (*queued false
 * when it was queued before). text is plain. */
int chat_post_notice(struct chat *c, long long meeting_id, long long item_id, const char *key,
		     const char *text, bool *queued, char **err);

/* Sends what is due, oldest first, through the state machine; *sent (may
 * be NULL) counts the posts that went out or were found. A post the chat
 * refuses or cannot take now stays in the store with its reason. Returns
 * -1 only when the store fails. */
int chat_flush(struct chat *c, size_t *sent, char **err);

enum chat_event_kind {
	CHAT_EVENT_REPLY,	/* a new entry from the chat */
	CHAT_EVENT_EDITED,	/* an entry's text was replaced */
	CHAT_EVENT_DELETED,	/* an entry was struck out */
	CHAT_EVENT_AGREE,	/* [chat] agree_reaction on a reply, by author */
	CHAT_EVENT_TICKET,	/* [chat] ticket_reaction on a reply, by author */
};

struct chat_event {
	enum chat_event_kind kind;
	long long minute_id;
	const char *entry_kind;	/* static: note question decision action link */
	char *author;		/* display name (owned): who said it, or who reacted,
				 * for people to read; never for authority */
	char *user_id;		/* their user id in the chat (owned, may be NULL):
				 * the session agrees or files only when it is
				 * the roster's chat id of the facilitator or the
				 * backup */
	char *text;		/* plain, sanitised (owned) */
};

struct chat_events {
	struct chat_event *rows;
	size_t n;
};

void chat_events_free(struct chat_events *ev);
/* Reads the item's thread from the last reply seen on (full: all of it, to
 * see edits, deletions and reactions, each reaction reported once) and records new replies as entries with their
 * authors. Does nothing before the root is posted. Returns -1 when the
 * store fails or the chat could not be read (*err says why; the state
 * shows it). */
int chat_poll(struct chat *c, long long item_id, bool full, struct chat_events *ev,
	      char **err);

enum chat_state {
	CHAT_CONNECTED,		/* the token authenticated (auth.test, users/me) */
	CHAT_CONNECTING,	/* not asked yet whether the token is good */
	CHAT_CATCHING_UP,	/* posts are waiting to be sent */
	CHAT_RATE_LIMITED,	/* until rate_until */
	CHAT_UNREACHABLE,
	CHAT_REFUSED,		/* a person must act: last_error says what */
};

/* Whether the token is good: asks the service once (Slack auth.test,
 * Mattermost GET /api/v4/users/me), and again only after chat_retry or
 * when the token read from the configuration changed. 1: it is; 0: it
 * was refused: nothing is sent or read until then (the state is
 * CHAT_REFUSED and chat_refusal says what to fix; *err is left alone:
 * a refusal is the chat's state, not the caller's failure); -1: no
 * answer now (unreachable, rate-limited), *err says why. chat_flush and
 * chat_poll ask it first. */
int chat_verify(struct chat *c, char **err);
/* Why the service refused the token (the request, its status and what
 * to set), or NULL when it was not refused. Owned by c. */
const char *chat_refusal(const struct chat *c);
/* After an authentication refusal: ask again at the next chat_verify
 * (the facilitator's /chat retry). */
void chat_retry(struct chat *c);

/* The state for the status line, as words ("connected", "catching up (3)",
 * "rate-limited until 10:42", "unreachable", "refused: ...", "connecting"
 * before the token was checked), written into
 * buf (always NUL-terminated). */
enum chat_state chat_status(struct chat *c, long long meeting_id, char *buf, size_t size);

/* The user id (owned) of the chat account with this e-mail, for roster
 * sync (Slack users.lookupByEmail, Mattermost GET users/email/{email}),
 * and its username (owned) where a mention needs one (Mattermost; NULL
 * for Slack): 1 found, 0 refused (no such account, or the token may not
 * ask: *err says which), -1 the chat could not be asked now (*err). */
int chat_user_by_email(struct chat *c, const char *email, char **id, char **handle,
		       char **err);

/* furikaeri doctor: checks the token (who it is), the channel and that the
 * bot is in it. Each line of *report (owned) says what was checked and, for
 * a failure, what to do. Returns 0 when all passed, -1 otherwise. */
int chat_doctor(struct chat *c, char **report);

#endif
