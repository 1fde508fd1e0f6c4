/* A reminder of a measure due, queued once per measure and day. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat_private.h"
#include "furikaeri/chat_remind.h"
#include "furikaeri/deliver.h"
#include "furikaeri/store_chat.h"
#include "furikaeri/store_remind.h"
#include "furikaeri/xalloc.h"

char *
chat_remind_key(const char *measure_marker, const char *day)
{
	return xasprintf("remind:%s:%s", measure_marker, day);
}

/* "fk-" and 24 hex digits, as every marker, but the same for the same key
 * on every machine (FNV-1a, twice with different offsets): another
 * machine's post of this reminder is found by it. */
static char *
marker_of(const char *key)
{
	uint64_t h[2] = { 0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL };
	char hex[25];

	for (int k = 0; k < 2; k++)
		for (const unsigned char *p = (const unsigned char *)key; *p != '\0'; p++) {
			h[k] ^= *p;
			h[k] *= 0x100000001b3ULL;
		}
	snprintf(hex, sizeof(hex), "%016llx%08llx", (unsigned long long)h[0],
		 (unsigned long long)(h[1] & 0xffffffffULL));
	return xasprintf("fk-%s", hex);
}

int
chat_remind(struct chat *c, const struct chat_remind_target *t,
	    const struct chat_reminder *r, bool *queued, char **err)
{
	enum chat_text_markup m = c->ops == &chat_slack_ops ? CHAT_TEXT_SLACK
							     : CHAT_TEXT_MATTERMOST;
	char *key = chat_remind_key(t->measure_marker, t->day);
	char *now = deliver_time_in(c->clock, 0);
	struct store_chat_post p = {
		.meeting_id = t->meeting_id, .item_id = t->item_id, .parent_id = t->root_id,
		.kind = "remind", .service = (char *)c->ops->service, .once_key = key,
		.marker = marker_of(key), .body = chat_text_reminder(r, m),
	};
	int rc = store_remind_queue(c->st, &p, now, t->day_start, queued, err);

	free(p.marker);
	free(p.body);
	free(now);
	free(key);
	return rc;
}
