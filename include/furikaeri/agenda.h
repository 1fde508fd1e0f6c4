#ifndef FURIKAERI_AGENDA_H
#define FURIKAERI_AGENDA_H

#include <stdbool.h>
#include <stddef.h>

/* The agenda of one meeting and its time budget: a pure value, no I/O and no
 * clock (the caller passes elapsed seconds in). The session builds it from
 * the store, applies each change here and saves the result.
 *
 * Order: "Follow-ups" (only when measures are open), then the postmortems,
 * most severe first (ties: carried over first, then older date, then id),
 * then added topics, then "Wrap-up". Follow-ups stay first and wrap-up last.
 *
 * Time budget, in whole minutes (budgets are stored in seconds, always a
 * multiple of 60). Follow-ups get 5 minutes and a minute more for every 5
 * open measures past the first, capped at a fifth of the total (at least
 * 1); wrap-up a fixed 5 minutes. The rest is shared by the other items in
 * proportion to their weight:
 *   SEV1 5, SEV2 4, SEV3 3, SEV4 2, SEV5 and unknown 2, topic 2.
 * Each gets at least the floor (floor_minutes, 3 by default). When the
 * items do not all fit at the floor, the last ones in agenda order (the
 * least severe, then the newest) wait "if time permits" (if_time) with no
 * budget, so the budgets still add up to the total; they come back as time
 * frees up (a skipped item), and whatever is left of them at the end is
 * carried over. Shares are rounded down and the minutes left over go, one
 * each, to the items with the largest remainders (earlier items first on a
 * tie), so the budgets add up to the total exactly. When the fixed items
 * leave less than a minute, or there are no weighted items, every pending
 * item shares the time by weight, counting a fixed item's minutes as its
 * weight, at least one minute each even when that exceeds the total.
 *
 * Recomputing (done by every change below): the time already used, the
 * spent seconds of done, skipped and carried items plus the larger of the
 * current item's budget and spent time, is taken from the total; what is
 * left, rounded down to whole minutes, is split among the pending items as
 * above. Skipped and carried items have a budget of 0 (their time is freed);
 * done and current items keep theirs. So an item that runs over takes the
 * overrun out of the pending items' shares. */

enum agenda_kind {
	AGENDA_FOLLOWUPS,
	AGENDA_POSTMORTEM,
	AGENDA_TOPIC,
	AGENDA_WRAPUP,
};

enum agenda_state {
	AGENDA_PENDING,
	AGENDA_CURRENT,
	AGENDA_DONE,
	AGENDA_SKIPPED,
	AGENDA_CARRIED,		/* carried over to next week */
};

enum agenda_clock {
	AGENDA_CLOCK_OK,
	AGENDA_CLOCK_NEAR,	/* spent >= 80% of the budget */
	AGENDA_CLOCK_OVER,	/* spent > budget */
};

#define AGENDA_DEFAULT_MINUTES 60
#define AGENDA_FOLLOWUPS_MINUTES 5
#define AGENDA_FOLLOWUPS_PER_MINUTE 5
#define AGENDA_FLOOR_MINUTES 3
#define AGENDA_WRAPUP_MINUTES 5
/* Returned by agenda_current() and others when there is no such item. */
#define AGENDA_NONE ((size_t)-1)

/* One item. Strings are owned by the agenda (borrowed by the caller). */
struct agenda_item {
	enum agenda_kind kind;
	char *pm_id;		/* postmortem id, NULL for other kinds */
	char *title;
	char *date;		/* YYYY-MM-DD or NULL */
	int severity_rank;	/* 1 (SEV1) .. 5, 6 = unknown; 0 for non-postmortems */
	enum agenda_state state;
	int budget_s;
	int spent_s;
	bool carried_over;	/* came from last week's meeting */
	bool if_time;		/* pending, but does not fit the hour: "if time
				 * permits", budget 0 (derived at every change) */
	long long ref;		/* the caller's id for the item (the store's row
				 * id); 0 until set, kept through every change */
};

/* A postmortem (or, with id NULL, a topic) given to agenda_new. Copied. */
struct agenda_entry {
	const char *id;
	const char *title;
	const char *date;	/* may be NULL */
	int severity_rank;	/* 1..6; anything else counts as 6 */
};

struct agenda_input {
	size_t open_measures;	/* follow-ups appear when > 0 */
	const struct agenda_entry *ready;	/* ready since the last meeting */
	size_t n_ready;
	const struct agenda_entry *carried;	/* carried over from last week */
	size_t n_carried;
	int total_minutes;	/* <= 0 means AGENDA_DEFAULT_MINUTES */
	int floor_minutes;	/* <= 0 means AGENDA_FLOOR_MINUTES */
};

struct agenda;

/* Builds the agenda with every item pending and the budget split. Owned. */
struct agenda *agenda_new(const struct agenda_input *in);
void agenda_free(struct agenda *a);

size_t agenda_count(const struct agenda *a);
/* Borrowed; valid until the agenda changes. */
const struct agenda_item *agenda_item(const struct agenda *a, size_t i);
int agenda_total_s(const struct agenda *a);
/* Changes the total (minutes > 0) and recomputes. */
void agenda_set_total(struct agenda *a, int minutes);
/* Sets the floor (<= 0: AGENDA_FLOOR_MINUTES) and the number of open
 * follow-up measures (their share grows with it), and recomputes: for a
 * saved agenda, rebuilt before its follow-ups are counted. */
void agenda_configure(struct agenda *a, int floor_minutes, size_t open_measures);
/* Sum of the spent seconds of every item: the meeting clock. */
int agenda_spent_s(const struct agenda *a);
/* Index of the current item, or AGENDA_NONE. */
size_t agenda_current(const struct agenda *a);
/* Index of the item about this postmortem, or AGENDA_NONE. */
size_t agenda_find(const struct agenda *a, const char *pm_id);
/* How many items wait "if time permits" (agenda_item.if_time). */
size_t agenda_if_time_count(const struct agenda *a);
/* Number of open follow-up measures the agenda was built with. */
size_t agenda_open_measures(const struct agenda *a);

/* The operations below return 0, or -1 with *err when the change is not
 * allowed (a bad index, moving follow-ups or wrap-up, skipping wrap-up,
 * making a skipped item current...); nothing changes on failure. Indexes
 * are 0-based; messages count items from 1 as the screen does. */

/* Moves the item at from to position to (others shift). */
int agenda_move(struct agenda *a, size_t from, size_t to, char **err);
int agenda_move_up(struct agenda *a, size_t i, char **err);
int agenda_move_down(struct agenda *a, size_t i, char **err);
/* Skips a pending or current item (wrap-up cannot be skipped). A skipped
 * current item leaves no current item: call agenda_next. */
int agenda_skip(struct agenda *a, size_t i, char **err);
/* Carries a postmortem or topic over to next week (pending or current). */
int agenda_carry(struct agenda *a, size_t i, char **err);
/* At the end of the meeting: carries every item still waiting "if time
 * permits" over to next week. Returns how many. */
size_t agenda_carry_if_time(struct agenda *a);
/* At the end of the meeting: carries every postmortem or topic that was
 * not discussed over to next week: never opened (pending, if time permits
 * or not), or opened with no entries (discussed[i] false; may be NULL:
 * none was). Skipped and dropped items stay behind: they were left out on
 * purpose. Returns how many. */
size_t agenda_carry_undiscussed(struct agenda *a, const bool *discussed);
/* Leaves item i out of next week on purpose (/drop N): a pending, current,
 * done or carried postmortem or topic becomes skipped. A current item
 * dropped leaves no item current. */
int agenda_drop(struct agenda *a, size_t i, char **err);
/* Makes a skipped or carried item pending again. */
int agenda_unskip(struct agenda *a, size_t i, char **err);
/* Adds a topic before wrap-up; stores its index in *index when not NULL. */
int agenda_add_topic(struct agenda *a, const char *title, size_t *index, char **err);
/* Makes item i current; the previous current item becomes done. Done items
 * can be made current again (going back); skipped and carried cannot. */
int agenda_set_current(struct agenda *a, size_t i, char **err);
/* Moves to the next item after the current one (or the first) that is not
 * skipped or carried. Returns its index, or AGENDA_NONE at the end (the
 * current item, if any, stays current). */
size_t agenda_next(struct agenda *a);
/* Moves to the previous such item; AGENDA_NONE at the start. */
size_t agenda_prev(struct agenda *a);
/* Opens item i: going forward closes the current item as done (as
 * agenda_set_current), going back leaves it pending. 0, or -1 with *err
 * (no such item, or it is skipped or carried). */
int agenda_go(struct agenda *a, size_t i, char **err);
/* Adds elapsed seconds to an item (normally the current one). */
int agenda_add_time(struct agenda *a, size_t i, int seconds, char **err);

/* Sets the caller's id of item i (see agenda_item.ref). */
void agenda_set_ref(struct agenda *a, size_t i, long long ref);

/* Restoring a saved meeting: set an item's state and spent time as they
 * were saved (at most one item may be current). Restore in agenda order so
 * that the current item's budget comes out as it was when it became
 * current. */
int agenda_restore(struct agenda *a, size_t i, enum agenda_state state, int spent_s,
		   char **err);

/* Whether a clock is fine, near (>= 80%) or over its budget. A zero budget
 * is over as soon as any time is spent. */
enum agenda_clock agenda_clock_state(int budget_s, int spent_s);

/* Lower-case names for storing and showing ("pending", "followups"...),
 * and back; parse returns false for an unknown name. */
const char *agenda_state_name(enum agenda_state state);
bool agenda_state_parse(const char *name, enum agenda_state *out);
const char *agenda_kind_name(enum agenda_kind kind);
bool agenda_kind_parse(const char *name, enum agenda_kind *out);

#endif
