#ifndef FURIKAERI_STORE_DELIVERY_H
#define FURIKAERI_STORE_DELIVERY_H

#include "furikaeri/deliver.h"
#include "furikaeri/store.h"

/* What the delivery engine's three tables share: each move leaves a line
 * of history (ticket_history, chat_history, webhook_history), read back
 * here the same way for each. */

enum store_delivery {
	STORE_DELIVERY_TICKET,	/* ticket_outbox: tickets and postmortem issues */
	STORE_DELIVERY_CHAT,	/* chat_posts */
	STORE_DELIVERY_WEBHOOK,	/* webhook_posts */
};

/* A row's history, oldest first: "AT STATE NOTE" lines, STATE as people
 * say it (a ticket is "filed", a post "posted"); owned, NULL-terminated,
 * free with store_delivery_history_free. */
int store_delivery_history(struct store *st, enum store_delivery table, long long id,
			   char ***lines, char **err);
void store_delivery_history_free(char **lines);
/* A line of history that is no move: what a process that lost the row
 * (another took it over) did meanwhile; it carries the row's state as it
 * is. */
int store_delivery_note(struct store *st, enum store_delivery table, long long id,
			const char *now, const char *note, char **err);
/* How people say a state of a row of table ("filed", "posted"); static. */
const char *store_delivery_state_word(enum store_delivery table, enum deliver_state state);

#endif
