#ifndef FURIKAERI_CHAT_FLUSH_H
#define FURIKAERI_CHAT_FLUSH_H

#include <stddef.h>

#include "furikaeri/chat.h"

/* The chat's posts out of the queue (chat_queue.h) through the delivery
 * engine's state machine (chat.h draws it), in the chat worker's thread. */

/* Sends what is due, oldest first, through the state machine; *sent (may
 * be NULL) counts the posts that went out or were found. A post the chat
 * refuses or cannot take now stays in the store with its reason. Returns
 * -1 only when the store fails. */
int chat_flush(struct chat *c, size_t *sent, char **err);

#endif
