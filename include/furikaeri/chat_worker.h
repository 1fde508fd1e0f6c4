#ifndef FURIKAERI_CHAT_WORKER_H
#define FURIKAERI_CHAT_WORKER_H

#include <stdbool.h>
#include <stddef.h>

#include "furikaeri/chat.h"
#include "furikaeri/chat_pull.h"
#include "furikaeri/config.h"

/* The chat in the background, as tickets are: a thread with its own store
 * connection that sends what is queued (chat_flush) and reads the open
 * item's thread (chat_pull, full every sixth time) every [chat]
 * poll_seconds, or at once when kicked. The meeting queues posts with
 * chat_queue_item / chat_queue_entry / ... on its own connection (they do no
 * I/O but the store), kicks the worker, and takes the replies as events.
 * Nothing here blocks on the network. */

struct chat_worker;

/* Starts it for meeting_id on the database at db_path. cfg is borrowed
 * and must outlive the worker; opts may be NULL. NULL with *err when the
 * chat is not set up (no service, channel or token). */
struct chat_worker *chat_worker_start(const char *db_path, const struct config *cfg,
				      long long meeting_id, const struct chat_options *opts,
				      char **err);
/* The item whose thread is read (0: none), e.g. when an item opens. */
void chat_worker_set_item(struct chat_worker *w, long long item_id);
/* Says that posts were queued: they go out now rather than at the next poll. */
void chat_worker_kick(struct chat_worker *w);
/* Asks the token again after the chat refused it (/chat retry): until
 * then, or until the token in the configuration changes, the worker makes
 * no request. */
void chat_worker_retry(struct chat_worker *w);
/* Moves the events since the last call into out (cleared first). */
void chat_worker_events(struct chat_worker *w, struct chat_events *out);
/* The state for the status line, as chat_status words. */
enum chat_state chat_worker_status(struct chat_worker *w, char *buf, size_t size);
/* How many passes ran (for tests). */
unsigned long chat_worker_passes(struct chat_worker *w);
/* Stops (waking any wait; a request in flight finishes or times out) and
 * frees it. NULL is a no-op. */
void chat_worker_stop(struct chat_worker *w);

#endif
