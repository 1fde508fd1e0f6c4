#ifndef FURIKAERI_CHAT_REMIND_H
#define FURIKAERI_CHAT_REMIND_H

#include <stdbool.h>

#include "furikaeri/chat.h"
#include "furikaeri/chat_text.h"

/* Reminders between meetings (furikaeri remind) through the chat's post
 * queue and its delivery engine (chat.h): one post per measure and day,
 * across runs, processes and machines. */

/* Where a reminder goes. */
struct chat_remind_target {
	long long meeting_id;	/* the meeting that agreed the measure */
	long long item_id;	/* its agenda item, 0 when none */
	long long root_id;	/* the item's thread root, posted; 0: the channel */
	const char *measure_marker;	/* the measure's marker (measures.marker) */
	const char *day;	/* today, YYYY-MM-DD in the team's time zone */
	const char *day_start;	/* that day's first second, ISO UTC */
};

/* The once_key of a measure's reminder on day (owned):
 * "remind:MEASURE-MARKER:YYYY-MM-DD". */
char *chat_remind_key(const char *measure_marker, const char *day);

/* Queues the reminder r (chat_text_reminder, in c's markup) as a reply in
 * the item's thread, or, with no thread, as a post in the channel that
 * mentions the owner. *queued false when this store queued it before
 * today. Its marker is made from its once_key, so every machine's post of
 * the same reminder carries the same marker, and it is queued as unknown:
 * the first flush looks for the marker (the thread, or the channel since
 * the day's start) and posts only when it is not there. */
int chat_remind(struct chat *c, const struct chat_remind_target *t,
		const struct chat_reminder *r, bool *queued, char **err);

#endif
