#ifndef FURIKAERI_CHAT_PRIVATE_H
#define FURIKAERI_CHAT_PRIVATE_H

#include <jansson.h>
#include <stdbool.h>

#include "furikaeri/chat.h"
#include "furikaeri/retry.h"

/* Shared by chat.c and the backends; jansson stays inside them. */

/* Slack allows about one message a second per channel (chat.postMessage's
 * special tier); posts, edits included, keep this gap. */
#define CHAT_POST_GAP_MS 1100L

/* How one API call ended. */
enum chat_call {
	CHAT_CALL_OK,
	CHAT_CALL_UNKNOWN,	/* the server may have acted (timeout, drop, 5xx) */
	CHAT_CALL_LATER,	/* not acted on: try later (429, no connection) */
	CHAT_CALL_REFUSED,	/* a person must act (bad token, no channel, ...) */
};

/* A message read from the channel. */
struct chat_msg {
	char *ref;		/* Slack ts, Mattermost post id */
	char *user;		/* the author's id */
	char *text;		/* as the service has it (mrkdwn, Markdown) */
	char *edited;		/* edit stamp, NULL when never edited */
	char *marker;		/* ours: the marker it carries, else NULL */
	char *cursor;		/* what to read on from after it */
	long long at_ms;	/* when it was said */
	bool deleted;
	bool from_bot;		/* a bot's or this app's post */
	char **reactions;	/* "emoji\tUSER" lines, NULL-terminated or NULL */
};

struct chat_msgs {
	struct chat_msg *rows;
	size_t n;
};

void chat_msgs_free(struct chat_msgs *m);

struct chat_ops {
	const char *name;	/* "Slack", "Mattermost" */
	const char *service;	/* "slack", "mattermost" */
	/* Who the token is: *id and *name (owned). */
	enum chat_call (*auth)(struct chat *c, char **id, char **name, char **err);
	/* The channel's id for cfg's channel, checking the bot is in it. */
	enum chat_call (*channel)(struct chat *c, const char *channel, char **id, char **err);
	/* Posts text (already in the service's markup) with marker, in thread
	 * (NULL: a root); *ref the new post's id. */
	enum chat_call (*post)(struct chat *c, const char *channel, const char *thread,
			       const char *text, const char *marker, char **ref, long *wait_ms,
			       char **err);
	/* Posts text (the service's markup) that only user sees, in thread
	 * (NULL: the channel): Slack chat.postEphemeral, Mattermost POST
	 * /api/v4/posts/ephemeral. It is in no history, so it carries no
	 * marker and nothing can find it: an unknown outcome is final. */
	enum chat_call (*ephemeral)(struct chat *c, const char *channel, const char *thread,
				    const char *user, const char *text, long *wait_ms, char **err);
	/* Replaces the text of a post of the bot's. */
	enum chat_call (*update)(struct chat *c, const char *channel, const char *ref,
				 const char *text, long *wait_ms, char **err);
	/* The replies of a thread after cursor (NULL: all), root left out. */
	enum chat_call (*thread)(struct chat *c, const char *channel, const char *root,
				 const char *cursor, struct chat_msgs *out, long *wait_ms,
				 char **err);
	/* Which threads of the channel have replies, in one request: a row
	 * per root, ref its id, cursor the stamp of its latest activity and
	 * at_ms its time on the service's clock. Slack reads
	 * conversations.history from first_root (the meeting's first root,
	 * included) and each parent's latest_reply; Mattermost GET
	 * channels/{id}/posts?since=since_ms, each post changed since and its
	 * root_id. Threads that did not change keep their stamp. */
	enum chat_call (*activity)(struct chat *c, const char *channel, const char *first_root,
				   long long since_ms, struct chat_msgs *out, long *wait_ms,
				   char **err);
	/* The channel's posts since since_s (epoch seconds, 0: the latest
	 * page), to find a root's marker. */
	enum chat_call (*recent)(struct chat *c, const char *channel, long long since_s,
				 struct chat_msgs *out, long *wait_ms, char **err);
	/* The user id of the account with this e-mail (owned), and its
	 * username where a mention needs it (Mattermost; NULL for Slack, which
	 * mentions by id); REFUSED with *err when there is none. */
	enum chat_call (*by_email)(struct chat *c, const char *email, char **id, char **handle,
				   char **err);
	/* A person's display name (owned). */
	enum chat_call (*user_name)(struct chat *c, const char *user, char **name, char **err);
	/* Plain text for the minutes (owned). */
	char *(*decode)(struct chat *c, const char *text);
	/* Plain text into the service's markup (owned). */
	char *(*escape)(const char *text);
};

extern const struct chat_ops chat_slack_ops;
extern const struct chat_ops chat_mattermost_ops;

struct chat {
	const struct config *cfg;
	struct store *st;
	const struct chat_ops *ops;
	struct http_client *http;
	bool own_http;
	const struct http_clock *clock;
	long max_inline_wait_ms;
	long recheck_ms;
	char *base;		/* API root with a trailing slash */
	char *auth;		/* "Authorization: Bearer ..." (wiped on free) */
	char *channel_id;	/* once resolved */
	char *bot_id;		/* the token's user id, once asked */
	unsigned int seed;
	enum chat_state state;
	long long rate_until_ms;	/* wall clock ms */
	char *last_error;
	char *scopes;		/* the token's scopes, as the last answer listed them */
	long long last_post_ms;	/* monotonic; posts are paced (CHAT_POST_GAP_MS) */
	bool posted;
	char *owner;		/* this chat's claims (deliver_owner_new) */
	long lease_ms;		/* a claim's lease: the longest request and room */
	long one_request_ms;	/* connect and transfer timeouts: one request's longest */
	bool verified;		/* the token authenticated (chat_verify) */
	bool auth_refused;	/* the service refused the token: no call until
				 * chat_retry or a new token */
	struct chat_queue *queue;	/* owned: the posts to send */
	struct chat_watch *watch;	/* owned (chat_pull.c): the threads read in turn */
};

/* Frees what chat_pull_round keeps in c. */
void chat_pull_forget(struct chat *c);

/* The state and, for the status line, why (copied; NULL: none). */
void chat_remember_error(struct chat *c, enum chat_state state, const char *msg);
/* Resolves cfg's channel into c->channel_id once: 0, or -1 with *err (may
 * be NULL) and the state saying why. */
int chat_ensure_channel(struct chat *c, char **err);

/* The service refused the token (Slack invalid_auth and its kin, HTTP
 * 401): the chat stops calling, and the status says why and what to do. */
void chat_refuse_auth(struct chat *c, const char *why);

/* Sends METHOD base+path (query included) with body (content_type, may be
 * NULL) following the retry policy; reads retry inline, a write
 * (idempotent false) is never sent again once its outcome is unknown. On
 * OK, *json is the parsed answer (owned, NULL when not JSON). Records the
 * rate limit in c. Messages name the request and status. */
enum chat_call chat_request(struct chat *c, const char *method, const char *path,
			    const char *content_type, const char *body, bool idempotent,
			    json_t **json, long *wait_ms, char **err);
/* A string member or NULL (borrowed). */
const char *chat_json_str(json_t *obj, const char *key);
/* A person's display name through the store's cache (owned), or NULL. */
char *chat_user_name(struct chat *c, const char *user);

#endif
