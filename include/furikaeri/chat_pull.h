#ifndef FURIKAERI_CHAT_PULL_H
#define FURIKAERI_CHAT_PULL_H

#include <stdbool.h>
#include <stddef.h>

#include "furikaeri/chat.h"

/* The thread ingestion: replies, edits, deletions and reactions read from
 * an item's thread into the minutes, in the chat worker's thread. */

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
int chat_pull(struct chat *c, long long item_id, bool full, struct chat_events *ev,
	      char **err);

/* One step of reading every thread of the meeting, one request: the next
 * thread (round robin) whose replies changed since it was read, read from
 * its cursor (*item_id says which; its events in ev); or, when none is
 * due, one look at the channel that learns which threads changed (Slack
 * conversations.history's latest_reply, Mattermost posts?since), *item_id
 * 0. The cost does not grow with the number of items: a poll is one
 * request. Returns -1 when the store fails or the chat could not be read
 * (*err), 0 otherwise (a refused token too: the state says so). */
int chat_pull_round(struct chat *c, long long meeting_id, long long *item_id,
		    struct chat_events *ev, char **err);

#endif
