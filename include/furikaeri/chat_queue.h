#ifndef FURIKAERI_CHAT_QUEUE_H
#define FURIKAERI_CHAT_QUEUE_H

#include <stdbool.h>

#include "furikaeri/chat_text.h"
#include "furikaeri/config.h"
#include "furikaeri/http.h"
#include "furikaeri/store.h"

/* The chat's durable post queue: each post is a row of chat_posts in the
 * store, with a marker of its own, before anything is sent (chat.h tells
 * the state machine that sends it). Store-only: no HTTP client and no
 * token, so the UI thread queues while the chat worker's thread sends. */

struct chat_queue;

/* The queue of cfg's chat service on st (owned; both borrowed), or NULL
 * with *err when no [chat] service is set. clock (borrowed) may be NULL
 * for the real clock. */
struct chat_queue *chat_queue_new(const struct config *cfg, struct store *st,
				  const struct http_clock *clock, char **err);
void chat_queue_free(struct chat_queue *q);

/* Queues the thread root of an agenda item (once: an item that has one
 * keeps it). text is plain; it is escaped for the service. */
int chat_queue_item(struct chat_queue *q, long long meeting_id, long long item_id,
		    const char *text, char **err);
/* Queues a terminal entry into its item's thread when [chat] echo wants
 * this kind ("note", "question", "decision", "action", "link"); *queued
 * says whether it did. author may be NULL. */
int chat_queue_entry(struct chat_queue *q, long long meeting_id, long long item_id,
		     long long minute_id, const char *kind, const char *text, const char *author,
		     bool *queued, char **err);
/* Queues an edit of an echoed entry (its post is changed in place:
 * chat.update, PUT /api/v4/posts/{id}/patch); nothing when the entry was
 * not echoed. An edit is idempotent: an unknown outcome is sent again. */
int chat_queue_edit(struct chat_queue *q, long long meeting_id, long long minute_id,
		    const char *kind, const char *text, const char *author, char **err);
/* Queues a delivered ticket's key and link into the thread of its
 * measure's action, as "Ticket filed for action N "title": KEY URL";
 * *queued false when the measure is no action of an agenda item, or when
 * a post carries its key already (another process queued it). */
int chat_queue_ticket(struct chat_queue *q, long long measure_id, const char *key,
		      const char *url, bool *queued, char **err);
/* Queues the key of every delivered ticket whose post is owed: the process
 * that filed it may have died before it queued it (chat_flush asks first). */
int chat_queue_owed_keys(struct chat_queue *q, char **err);
/* Queues the wrap-up as a post of its own in the channel (text plain). */
int chat_queue_wrapup_text(struct chat_queue *q, long long meeting_id, const char *text,
			   char **err);
/* The same from its parts (chat_text_wrapup), in the service's markup, so
 * that owners and next week's facilitator are mentioned. */
int chat_queue_wrapup(struct chat_queue *q, long long meeting_id, const struct chat_wrapup *w,
		      char **err);
/* Queues the meeting's opening post in the channel (chat_text_opening):
 * once per meeting, whoever asks again (*queued false then). */
int chat_queue_opening(struct chat_queue *q, long long meeting_id,
		       const struct chat_opening *o, bool *queued, char **err);
/* Queues a reply in item's thread that only user (their user id) sees
 * (Slack chat.postEphemeral, Mattermost POST /api/v4/posts/ephemeral): once
 * per item, user and about (a word: "agree", "ticket"), across restarts;
 * *queued false when it was queued before. Nothing can look an ephemeral
 * reply up, so one whose outcome is unknown is never sent again. text is
 * plain. */
int chat_queue_tell(struct chat_queue *q, long long meeting_id, long long item_id,
		    const char *user, const char *about, const char *text, bool *queued,
		    char **err);
/* Queues a note into item's thread, once per item and key (*queued false
 * when it was queued before). text is plain. */
int chat_queue_notice(struct chat_queue *q, long long meeting_id, long long item_id,
		      const char *key, const char *text, bool *queued, char **err);

#endif
