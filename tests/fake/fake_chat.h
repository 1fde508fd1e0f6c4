#ifndef FURIKAERI_FAKE_CHAT_H
#define FURIKAERI_FAKE_CHAT_H

#include <stdbool.h>
#include <stddef.h>

#include "fake_http.h"

/* A stateful fake of Slack's Web API and Mattermost's REST v4 on top of
 * fake_http: one channel (#postmortems, id C0PM / a 26-letter id), users,
 * posts and threads, edits, deletions and reactions that the test makes
 * "as attendees", ok:false errors, 429 with Retry-After, and a post
 * stored whose answer is dropped. The bot's token is "xoxb-test" (Slack)
 * or "mm-test" (Mattermost); anything else is invalid_auth / 401. */

enum fake_chat_service {
	FAKE_CHAT_SLACK,
	FAKE_CHAT_MATTERMOST,
};

/* What the next post (chat.postMessage, POST /api/v4/posts) meets; an
 * ephemeral post (chat.postEphemeral, POST /api/v4/posts/ephemeral) meets
 * 429 (not shown), DOWN (not shown, no answer) and DROP_STORED (shown, no
 * answer) too. */
enum fake_chat_fault {
	FAKE_CHAT_OK,
	FAKE_CHAT_429,		/* not stored, 429 with Retry-After: 2 */
	FAKE_CHAT_DROP_STORED,	/* stored, then the connection closes unanswered */
	FAKE_CHAT_5XX_STORED,	/* stored, then 502 */
	FAKE_CHAT_DOWN,		/* not stored, the connection closes unanswered */
	FAKE_CHAT_NOT_IN_CHANNEL, /* Slack: ok:false not_in_channel; Mattermost 403 */
	/* Slack's transient ok:false codes (HTTP 200); Mattermost answers the
	 * status that means the same (429, 500, 502 stored, 503) */
	FAKE_CHAT_RATE_LIMITED,	/* not stored, ok:false rate_limited */
	FAKE_CHAT_INTERNAL_ERROR, /* not stored, ok:false internal_error */
	FAKE_CHAT_FATAL_ERROR,	/* stored, then ok:false fatal_error ("some aspect
				 * of the operation may have succeeded") */
	FAKE_CHAT_SERVICE_UNAVAILABLE, /* not stored, ok:false service_unavailable */
	FAKE_CHAT_CLOSE_UNREAD,	/* not stored, closed as if never read (a reset) */
};

struct fake_chat;

struct fake_chat *fake_chat_new(struct fake_http *f, enum fake_chat_service service);
void fake_chat_free(struct fake_chat *fc);
void fake_chat_faults(struct fake_chat *fc, const enum fake_chat_fault *faults, size_t n);
/* Each post waits ms (real time) before the server handles it: a post in
 * flight that no lookup sees yet. */
void fake_chat_post_delay(struct fake_chat *fc, int ms);
/* A fault's name ("drop-stored", "fatal_error", ...), for reports. */
const char *fake_chat_fault_name(enum fake_chat_fault fault);
/* Every request is dropped while down (the chat is unreachable). */
void fake_chat_down(struct fake_chat *fc, bool down);
/* Whether the bot is a member of the channel (default true). */
void fake_chat_membership(struct fake_chat *fc, bool member);

/* Posts are stamped from epoch_s on (Slack ts, Mattermost create_at);
 * 1764583200 (2025-12-01T10:00Z, the tests' fake clock) unless set, so a
 * client on the real clock sets the real time. */
void fake_chat_epoch(struct fake_chat *fc, long long epoch_s);
/* Slack's conversations.replies and .history answer pages of at most n
 * messages (0: as the request's limit asks), with next_cursor and
 * has_more; fake_chat_pages counts the pages asked by a cursor. */
void fake_chat_page_size(struct fake_chat *fc, int n);
size_t fake_chat_pages(struct fake_chat *fc);
/* Every post (chat.postMessage, POST /api/v4/posts) is answered ms after
 * it was stored, so that two clients' posts overlap. */
void fake_chat_answer_delay(struct fake_chat *fc, int ms);
/* Every request to the service (polls, lookups and posts alike; not the
 * side door) is answered ms after it was handled: a slow chat, for the
 * benchmark of typing while the chat worker waits on it. */
void fake_chat_every_delay(struct fake_chat *fc, int ms);

/* The next Slack post answers HTTP 200 {"ok": false, "error": code} (and
 * "needed" for missing_scope). */
void fake_chat_slack_error(struct fake_chat *fc, const char *code);
/* The same, but the post is stored first (Slack's internal_error: "some
 * aspect of the operation succeeded"). */
void fake_chat_slack_error_stored(struct fake_chat *fc, const char *code);

/* The scopes Slack lists in x-oauth-scopes (default: every one the
 * meeting uses). */
void fake_chat_scopes(struct fake_chat *fc, const char *scopes);

/* An attendee's reply in a thread (root: the root's ts or id); returns its
 * ts or id (borrowed, valid until free). */
const char *fake_chat_reply(struct fake_chat *fc, const char *root, const char *user,
			    const char *text);
void fake_chat_edit(struct fake_chat *fc, const char *ref, const char *text);
void fake_chat_delete(struct fake_chat *fc, const char *ref);
void fake_chat_react(struct fake_chat *fc, const char *ref, const char *emoji,
		     const char *user);
/* Adds a person (id, display name), or renames the one with that id.
 * U01AOI Aoi, U02KEN Ken, U03MEI Mei exist from the start (Mattermost: the
 * same ids in lower case, padded), with e-mails aoi@acme.example, ... */
void fake_chat_user(struct fake_chat *fc, const char *id, const char *name);
/* The same with an e-mail (users.lookupByEmail, GET users/email/{email}). */
void fake_chat_user_email(struct fake_chat *fc, const char *id, const char *name,
			  const char *email);
/* How many requests were refused for their token (invalid_auth, 401). */
size_t fake_chat_refused(struct fake_chat *fc);

/* How many stored posts carry marker (Slack metadata, Mattermost props). */
size_t fake_chat_count_marker(struct fake_chat *fc, const char *marker);
/* How many posts the bot stored. */
size_t fake_chat_bot_posts(struct fake_chat *fc);
/* The ref of the n-th post the bot stored (borrowed), NULL past the end. */
const char *fake_chat_bot_post(struct fake_chat *fc, size_t n, const char **text,
			       const char **thread);

/* How many ephemeral posts the bot made (chat.postEphemeral, POST
 * /api/v4/posts/ephemeral): they are in no history, kept here alone; n
 * below that fills the n-th's recipient, thread (NULL: none) and text
 * (borrowed). The side door lists them: /_fake/ephemerals. */
size_t fake_chat_ephemerals(struct fake_chat *fc, size_t n, const char **user,
			    const char **thread, const char **text);

#endif
