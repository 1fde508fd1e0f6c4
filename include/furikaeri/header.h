#ifndef FURIKAERI_HEADER_H
#define FURIKAERI_HEADER_H

#include <stddef.h>

/* The meeting screen's top line: which fields show, in which form, at which
 * column, for a terminal this wide. Pure: no curses, no clock.
 *
 * Priority, highest first (furikaeri(1) says the same): the item clock and
 * the meeting clock always show; then READ-ONLY, the week, the facilitator
 * and the chat state, each first in its brief form; what is left of the
 * width then turns brief forms into full ones: READ-ONLY, the facilitator,
 * the week, the chat state. A field
 * that does not fit even brief is left out (the chat state and the
 * facilitator go first, the clocks never). Fields are two columns apart,
 * three when everything shows in full. The left fields run from column 1 in
 * the order week, READ-ONLY, facilitator, chat; the clocks end one column
 * before the right edge, item then meeting. */

enum header_field {
	HEADER_ITEM,		/* "item 0:51/1:00 near" */
	HEADER_MEETING,		/* "meeting 1:09/5:00" */
	HEADER_READONLY,
	HEADER_WEEK,
	HEADER_FACILITATOR,
	HEADER_CHAT,
	HEADER_FIELDS,
};

/* One field's two forms (borrowed). full NULL: the field is absent; brief
 * NULL: the full form is the only one. */
struct header_cell {
	const char *full;
	const char *brief;
};

/* Where a field goes: text is one of its cell's forms (borrowed) or NULL
 * when it does not show. */
struct header_place {
	const char *text;
	int x;
};

void header_layout(const struct header_cell cells[HEADER_FIELDS], int cols,
		   struct header_place out[HEADER_FIELDS]);

/* The chat state's brief form for the header ("chat ok" for "connected",
 * else "chat " and the status up to a colon, a parenthesis or " until":
 * "chat refused", "chat catching up"), written into buf. */
void header_chat_brief(const char *status, char *buf, size_t size);

#endif
