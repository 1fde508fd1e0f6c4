#ifndef FURIKAERI_STORE_CHAT_H
#define FURIKAERI_STORE_CHAT_H

#include <stdbool.h>
#include <stddef.h>

#include "furikaeri/deliver.h"
#include "furikaeri/store.h"

/* The SQL of the chat room (tables chat_posts, chat_history, chat_replies,
 * chat_users). A post's state is the delivery engine's (deliver.h), stored
 * by its name; the rules between states belong to src/chat.c, and this
 * file runs what it decides, each move one guarded UPDATE whose changed-row
 * count is returned, with its line of history in the same transaction.
 * Strings in the structs are owned by them. */

struct store_chat_post {
	long long id;
	long long meeting_id;
	long long item_id;	/* 0 when none (the wrap-up) */
	long long minute_id;	/* an echoed entry, else 0 */
	long long parent_id;	/* the root it is posted under, 0 for a root */
	char *kind;		/* root entry wrapup ticket edit opening notice
				 * ephemeral remind */
	char *service;		/* slack mattermost */
	char *marker;
	char *body;		/* the text as it is sent */
	enum deliver_state state;	/* parsed when read */
	int attempts;
	char *last_error;
	char *channel;		/* the channel's id once posted */
	char *post_ref;		/* Slack ts, Mattermost post id */
	char *cursor;		/* a root: the last reply read from its thread */
	char *next_attempt_at;
	char *queued_at;
	char *claimed_by;	/* claimed: the owner (deliver_owner_new) */
	char *lease_until;	/* claimed: until when */
	char *recipient;	/* ephemeral: the user id who alone sees it */
	char *once_key;		/* a post that exists once (see store_chat_queue_once) */
	/* the parent's, joined in */
	char *parent_ref;	/* NULL while the parent is not posted */
	char *parent_channel;
};

struct store_chat_posts {
	struct store_chat_post *rows;
	size_t n;
};

void store_chat_post_release(struct store_chat_post *p);
void store_chat_posts_free(struct store_chat_posts *p);

/* Records a post (state queued) before anything is sent; fills p->id. */
int store_chat_queue(struct store *st, struct store_chat_post *p, const char *now, char **err);
/* Records p unless a post with p->once_key exists: *queued false then,
 * and nothing recorded (the opening of a meeting, one ephemeral reply per
 * person, item and kind, one notice per action: queued once, whoever asks
 * again, across restarts and processes). */
int store_chat_queue_once(struct store *st, struct store_chat_post *p, const char *now,
			  bool *queued, char **err);
/* The posts that may be claimed at now (deliver_due: queued or unknown and
 * due, or claimed with a lease run out or by an owner that is gone) and
 * whose parent (if any) is delivered, oldest first. Claims nothing. */
int store_chat_due(struct store *st, const char *now, struct store_chat_posts *out,
		   char **err);
/* Every post of a meeting, in order. */
int store_chat_list(struct store *st, long long meeting_id, struct store_chat_posts *out,
		    char **err);
/* What deliver_due and a guard read of a post. Borrows its strings. */
struct deliver_row_times store_chat_row_times(const struct store_chat_post *p);
/* The root of an agenda item; *found false when there is none. */
int store_chat_root(struct store *st, long long item_id, struct store_chat_post *out,
		    bool *found, char **err);
/* How many posts of a meeting are still on their way (queued, claimed,
 * unknown). */
int store_chat_pending(struct store *st, long long meeting_id, size_t *n, char **err);

/* One move, applied only when its guard holds:
 * - seen set: the row is still as seen was read (state, owner, lease and
 *   next attempt): how a due row is claimed, or taken over from an owner
 *   whose lease ran out or who is gone;
 * - seen NULL: the row is claimed by owner (every move of a post this
 *   process holds).
 * claimed_by and lease_until are set from owner and lease_until when the
 * move is to DELIVER_CLAIMED, cleared otherwise. NULL channel and post_ref
 * leave their columns as they are; next_attempt_at and error are set as
 * given. The line of history (note) is written in the same transaction. */
struct store_chat_move {
	long long id;
	const struct store_chat_post *seen;
	const char *owner;
	enum deliver_state to;
	const char *lease_until;
	const char *now;
	const char *next_attempt_at;
	const char *error;
	bool sent;		/* a post goes out: attempts + 1 */
	const char *channel;	/* delivered: where */
	const char *post_ref;
	const char *note;	/* the line of history (required) */
};
/* *changed says whether the guard held (false: another process has the
 * row; nothing was written). */
int store_chat_move(struct store *st, const struct store_chat_move *mv, bool *changed,
		    char **err);

/* A reply read from a root's thread. */
struct store_chat_reply {
	const char *ref;	/* its id in the chat (Slack ts, Mattermost id) */
	const char *user_ref;
	const char *author;	/* display name */
	const char *at;		/* when it was said, ISO 8601 UTC */
	const char *kind;	/* note question decision action link */
	const char *body;
	const char *owner;	/* action */
	const char *due;
	const char *edited;	/* the chat's edit stamp, NULL when never edited */
	const char *cursor;	/* the root's cursor after this reply */
};

/* What store_chat_pull did. */
enum store_chat_pulled {
	STORE_CHAT_NEW,		/* a new entry was recorded */
	STORE_CHAT_EDITED,	/* the entry's text was replaced */
	STORE_CHAT_SEEN,	/* pulled before, unchanged: nothing done */
};

/* Records a reply as an entry of the root's item, with its author and
 * time, the reply's row and the root's cursor in one transaction, so a
 * reply is never recorded twice, across restarts and kill -9. A reply
 * pulled before whose edit stamp changed replaces the entry's text.
 * Fills *minute_id. */
int store_chat_pull(struct store *st, long long root_id, const struct store_chat_reply *r,
		    enum store_chat_pulled *result, long long *minute_id, char **err);
/* A reply deleted in the chat: its entry is struck out (marked deleted).
 * *changed false when it was unknown or already deleted. */
int store_chat_pull_deleted(struct store *st, long long root_id, const char *ref,
			    bool *changed, char **err);
/* The refs of the replies pulled from a root that are not deleted (owned,
 * NULL-terminated; free with store_chat_refs_free). */
int store_chat_refs(struct store *st, long long root_id, char ***refs, char **err);
void store_chat_refs_free(char **refs);
/* The minute an earlier pulled reply became, 0 when none. */
int store_chat_reply_minute(struct store *st, long long root_id, const char *ref,
			    long long *minute_id, char **err);

/* Records that user reacted with emoji on a pulled reply; *is_new false
 * when it was seen before (or the reply is not known). Fills *minute_id
 * with the reply's entry. */
int store_chat_reaction(struct store *st, long long root_id, const char *ref, const char *emoji,
			const char *user, bool *is_new, long long *minute_id, char **err);
/* The post that echoed an entry (kind entry); *found false when none. */
int store_chat_by_minute(struct store *st, long long minute_id, struct store_chat_post *out,
			 bool *found, char **err);

/* The chat thread of a measure's action: where a ticket filed for it
 * outside the meeting (tickets push) is told. */
struct store_chat_action {
	long long meeting_id;
	long long item_id;
	int number;		/* the action's number in its meeting, 1-based */
	char *title;
	bool has_root;		/* the item has a thread root (posted or still queued) */
};
/* *found false when the measure is no action of an agenda item. An item
 * whose root is still queued has a thread all the same: a reply queued
 * under it waits for it (has_root); one with no root row has none. Release out with store_chat_action_release. */
int store_chat_action_of(struct store *st, long long measure_id, struct store_chat_action *out,
			 bool *found, char **err);
void store_chat_action_release(struct store_chat_action *a);

/* A delivered ticket whose key is owed to its action's thread: the
 * measure's action is in an item with a root of this service, and no post
 * carries the key yet. Whoever flushes the chat queues these, so a key is
 * posted even when the process that filed the ticket died before it could
 * (ticket_outbox.key_post_id). */
struct store_chat_owed_key {
	long long measure_id;
	char *key;
	char *url;		/* may be NULL */
};
struct store_chat_owed_keys {
	struct store_chat_owed_key *rows;
	size_t n;
};
int store_chat_owed_keys(struct store *st, const char *service,
			 struct store_chat_owed_keys *out, char **err);
void store_chat_owed_keys_free(struct store_chat_owed_keys *k);
/* Queues p (a key post) as the one post carrying measure's key, in one
 * transaction with the mark that says so; *queued false (and nothing
 * recorded) when a post already carries it. */
int store_chat_queue_key(struct store *st, struct store_chat_post *p, long long measure_id,
			 const char *now, bool *queued, char **err);

/* A person's display name cached for service (owned), NULL when not cached. */
int store_chat_user_get(struct store *st, const char *service, const char *ref, char **name,
			char **err);
/* The same, only when it was fetched at or after since (ISO UTC). */
int store_chat_user_fresh(struct store *st, const char *service, const char *ref,
			  const char *since, char **name, char **err);
int store_chat_user_put(struct store *st, const char *service, const char *ref,
			const char *name, const char *now, char **err);
/* The people seen in the chat (service's user ids, with their cached
 * display names) whom no roster person has as chat id: a NULL-terminated
 * list of "id\tname" lines (owned, free each and the list). */
int store_chat_users_unlisted(struct store *st, const char *service, char ***lines, char **err);

#endif
