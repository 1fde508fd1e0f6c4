#ifndef FURIKAERI_CHAT_H
#define FURIKAERI_CHAT_H

#include <stdbool.h>
#include <stddef.h>

#include "furikaeri/chat_text.h"
#include "furikaeri/config.h"
#include "furikaeri/http.h"
#include "furikaeri/store.h"

/* The meeting in the chat channel (Slack or Mattermost): the connection
 * (token, channel, requests, the status line). One job per file around it:
 * chat_queue.c queues posts (store only), chat_flush.c sends them through
 * the state machine below, chat_pull.c reads the threads into the minutes,
 * chat_doctor.c checks the setup. Its SQL is in store_chat.c, its HTTP in
 * chat_slack.c and chat_mattermost.c (through http.c and retry.c).
 *
 * The states are the delivery engine's (deliver.h), and so are its rules:
 *
 *   queue (chat_queue_item, _entry, _ticket, _wrapup, ...: chat_queue.h)
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
 * How the session drives it (the queue functions do no I/O but the store,
 * and need no token; chat_flush and chat_pull do the network and run in
 * chat_worker.h's thread, as tickets do):
 *   - at start: chat_queue_new on the session's store, chat_worker_start
 *     on the same database file for the meeting
 *   - when an item opens: chat_queue_item(chat_text_root(...)), then
 *     chat_worker_set_item(item)
 *   - when an entry is recorded: chat_queue_entry (the echo setting
 *     decides); when it is edited: chat_queue_edit; then chat_worker_kick
 *   - when a ticket is filed for an action: chat_queue_ticket
 *   - at the end: chat_queue_wrapup(...)
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

/* The chat's post queue (borrowed: owned by c), for a caller that queues
 * and sends in one thread (furikaeri tickets). */
struct chat_queue *chat_get_queue(struct chat *c);

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
 * chat_pull ask it first. */
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

#endif
