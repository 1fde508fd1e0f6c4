#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/agenda.h"
#include "furikaeri/err.h"
#include "furikaeri/xalloc.h"

struct agenda {
	struct agenda_item *items;
	size_t n;
	size_t cap;
	int total_s;
	int floor_minutes;
	size_t open_measures;
};

/* Weight of a postmortem by severity rank (index 1..6); see agenda.h. */
static const int severity_weight[7] = {
	[0] = 2,
	[1] = 5,
	[2] = 4,
	[3] = 3,
	[4] = 2,
	[5] = 2,
	[6] = 2,
};

#define TOPIC_WEIGHT 2

static const char *const state_names[] = {
	[AGENDA_PENDING] = "pending",
	[AGENDA_CURRENT] = "current",
	[AGENDA_DONE] = "done",
	[AGENDA_SKIPPED] = "skipped",
	[AGENDA_CARRIED] = "carried",
};

static const char *const kind_names[] = {
	[AGENDA_FOLLOWUPS] = "followups",
	[AGENDA_POSTMORTEM] = "postmortem",
	[AGENDA_TOPIC] = "topic",
	[AGENDA_WRAPUP] = "wrapup",
};

static int
clamp_rank(int rank)
{
	return rank >= 1 && rank <= 6 ? rank : 6;
}

static void
push(struct agenda *a, struct agenda_item item)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 8;
		a->items = xreallocarray(a->items, a->cap, sizeof(*a->items));
	}
	a->items[a->n++] = item;
}

static struct agenda_item
from_entry(const struct agenda_entry *e, bool carried)
{
	return (struct agenda_item){
		.kind = e->id != NULL ? AGENDA_POSTMORTEM : AGENDA_TOPIC,
		.pm_id = xstrdup_or_null(e->id),
		.title = xstrdup(e->title != NULL ? e->title : (e->id != NULL ? e->id : "")),
		.date = xstrdup_or_null(e->date),
		.severity_rank = e->id != NULL ? clamp_rank(e->severity_rank) : 0,
		.state = AGENDA_PENDING,
		.carried_over = carried,
	};
}

static int
strcmp_null_last(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == NULL) - (b == NULL);
	return strcmp(a, b);
}

/* Most severe first; then carried over; then older date (undated last);
 * then id. Topics (rank 0) sort after postmortems. */
static int
item_order(const void *pa, const void *pb)
{
	const struct agenda_item *a = pa, *b = pb;
	int ra = a->kind == AGENDA_TOPIC ? 7 : a->severity_rank;
	int rb = b->kind == AGENDA_TOPIC ? 7 : b->severity_rank;
	int c;

	if (ra != rb)
		return ra - rb;
	if (a->carried_over != b->carried_over)
		return a->carried_over ? -1 : 1;
	if ((c = strcmp_null_last(a->date, b->date)) != 0)
		return c;
	if ((c = strcmp_null_last(a->pm_id, b->pm_id)) != 0)
		return c;
	return strcmp(a->title, b->title);
}

static int
weight_of(const struct agenda_item *it)
{
	switch (it->kind) {
	case AGENDA_POSTMORTEM:
		return severity_weight[clamp_rank(it->severity_rank)];
	case AGENDA_TOPIC:
		return TOPIC_WEIGHT;
	default:
		return 0;
	}
}

static int
fixed_minutes(const struct agenda *a, const struct agenda_item *it)
{
	if (it->kind == AGENDA_WRAPUP)
		return AGENDA_WRAPUP_MINUTES;
	if (it->kind == AGENDA_FOLLOWUPS) {
		/* a minute more for every AGENDA_FOLLOWUPS_PER_MINUTE open
		 * measures past the first ones, up to a fifth of the meeting */
		size_t more = a->open_measures > 1 ? (a->open_measures - 1) / AGENDA_FOLLOWUPS_PER_MINUTE : 0;
		int cap = a->total_s / 60 / 5;
		int m = AGENDA_FOLLOWUPS_MINUTES + (more > 600 ? 600 : (int)more);
		m = m < cap ? m : cap;
		return m < 1 ? 1 : m;
	}
	return 0;
}

/* Splits pool minutes among the items flagged in take[] in proportion to
 * w[], at least floor minutes each, largest remainder for the leftover. */
static void
share(struct agenda *a, const bool *take, const int *w, int pool, int floor)
{
	size_t n = a->n;
	bool *pinned = xcalloc(n, sizeof(bool));
	long long *rem = xcalloc(n, sizeof(long long));
	long long total_w;
	bool again = true;

	while (again) {
		int pool0 = pool;

		again = false;
		total_w = 0;
		for (size_t i = 0; i < n; i++)
			if (take[i] && !pinned[i])
				total_w += w[i];
		if (total_w == 0)
			break;
		/* an item whose exact share is under the floor gets the floor */
		for (size_t i = 0; i < n; i++) {
			if (take[i] && !pinned[i] && (long long)pool0 * w[i] < total_w * floor) {
				pinned[i] = true;
				a->items[i].budget_s = floor * 60;
				pool = pool > floor ? pool - floor : 0;
				again = true;
			}
		}
	}
	if (total_w > 0) {
		int used = 0;
		for (size_t i = 0; i < n; i++) {
			if (!take[i] || pinned[i])
				continue;
			long long num = (long long)pool * w[i];
			a->items[i].budget_s = (int)(num / total_w) * 60;
			rem[i] = num % total_w;
			used += (int)(num / total_w);
		}
		for (int left = pool - used; left > 0; left--) {
			size_t best = n;
			for (size_t i = 0; i < n; i++)
				if (take[i] && !pinned[i] && rem[i] >= 0 &&
				    (best == n || rem[i] > rem[best]))
					best = i;
			if (best == n)
				break;
			a->items[best].budget_s += 60;
			rem[best] = -1;
		}
	}
	free(pinned);
	free(rem);
}

/* The pending items that do not fit pool minutes at the floor each, the
 * last in agenda order (least severe, newest), wait "if time permits"
 * with no budget. Returns the floor the others are shared with. */
static int
tail_if_time(struct agenda *a, bool *take, int pool, size_t n_weighted)
{
	int floor = a->floor_minutes;
	size_t fit = (size_t)(pool / floor);

	if (fit < 1) {
		fit = 1;
		floor = pool;
	}
	size_t drop = n_weighted > fit ? n_weighted - fit : 0;
	for (size_t i = a->n; i > 0 && drop > 0; i--) {
		struct agenda_item *it = &a->items[i - 1];
		if (!take[i - 1] || weight_of(it) == 0)
			continue;
		take[i - 1] = false;
		it->if_time = true;
		it->budget_s = 0;
		drop--;
	}
	return floor;
}

static void
recompute(struct agenda *a)
{
	size_t n = a->n, n_weighted = 0, n_pending = 0;
	bool *take = xcalloc(n + 1, sizeof(bool));
	int *w = xcalloc(n + 1, sizeof(int));
	long used = 0;
	int fixed = 0, pool;

	for (size_t i = 0; i < n; i++) {
		struct agenda_item *it = &a->items[i];
		switch (it->state) {
		case AGENDA_PENDING:
			take[i] = true;
			n_pending++;
			if (weight_of(it) > 0)
				n_weighted++;
			else
				fixed += fixed_minutes(a, it);
			break;
		case AGENDA_CURRENT:
			used += it->budget_s > it->spent_s ? it->budget_s : it->spent_s;
			break;
		case AGENDA_DONE:
			used += it->spent_s;
			break;
		case AGENDA_SKIPPED:
		case AGENDA_CARRIED:
			used += it->spent_s;
			it->budget_s = 0;
			break;
		}
	}
	pool = used >= a->total_s ? 0 : (int)((a->total_s - used) / 60);
	for (size_t i = 0; i < n; i++)
		a->items[i].if_time = false;
	if (n_pending > 0) {
		bool keep_fixed = n_weighted > 0 && pool - fixed >= 1;
		int floor = 1;
		for (size_t i = 0; i < n; i++) {
			if (!take[i])
				continue;
			w[i] = weight_of(&a->items[i]);
			if (w[i] == 0 && keep_fixed) {
				a->items[i].budget_s = fixed_minutes(a, &a->items[i]) * 60;
				take[i] = false;
			} else if (w[i] == 0) {
				w[i] = fixed_minutes(a, &a->items[i]);
			}
		}
		if (keep_fixed)
			floor = tail_if_time(a, take, pool - fixed, n_weighted);
		share(a, take, w, keep_fixed ? pool - fixed : pool, floor);
	}
	free(take);
	free(w);
}

struct agenda *
agenda_new(const struct agenda_input *in)
{
	struct agenda *a = xcalloc(1, sizeof(*a));
	size_t first;

	a->total_s = (in->total_minutes > 0 ? in->total_minutes : AGENDA_DEFAULT_MINUTES) * 60;
	a->floor_minutes = in->floor_minutes > 0 ? in->floor_minutes : AGENDA_FLOOR_MINUTES;
	a->open_measures = in->open_measures;
	if (in->open_measures > 0)
		push(a, (struct agenda_item){ .kind = AGENDA_FOLLOWUPS, .title = xstrdup("Follow-ups") });
	first = a->n;
	for (size_t i = 0; i < in->n_carried; i++)
		push(a, from_entry(&in->carried[i], true));
	for (size_t i = 0; i < in->n_ready; i++)
		push(a, from_entry(&in->ready[i], false));
	if (a->n > first)
		qsort(a->items + first, a->n - first, sizeof(*a->items), item_order);
	push(a, (struct agenda_item){ .kind = AGENDA_WRAPUP, .title = xstrdup("Wrap-up") });
	recompute(a);
	return a;
}

void
agenda_free(struct agenda *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->n; i++) {
		free(a->items[i].pm_id);
		free(a->items[i].title);
		free(a->items[i].date);
	}
	free(a->items);
	free(a);
}

void
agenda_set_ref(struct agenda *a, size_t i, long long ref)
{
	if (i < a->n)
		a->items[i].ref = ref;
}

size_t
agenda_count(const struct agenda *a)
{
	return a->n;
}

const struct agenda_item *
agenda_item(const struct agenda *a, size_t i)
{
	return i < a->n ? &a->items[i] : NULL;
}

int
agenda_total_s(const struct agenda *a)
{
	return a->total_s;
}

void
agenda_set_total(struct agenda *a, int minutes)
{
	if (minutes > 0)
		a->total_s = minutes * 60;
	recompute(a);
}

void
agenda_configure(struct agenda *a, int floor_minutes, size_t open_measures)
{
	a->floor_minutes = floor_minutes > 0 ? floor_minutes : AGENDA_FLOOR_MINUTES;
	a->open_measures = open_measures;
	recompute(a);
}

int
agenda_spent_s(const struct agenda *a)
{
	int s = 0;

	for (size_t i = 0; i < a->n; i++)
		s += a->items[i].spent_s;
	return s;
}

size_t
agenda_if_time_count(const struct agenda *a)
{
	size_t n = 0;

	for (size_t i = 0; i < a->n; i++)
		n += a->items[i].if_time;
	return n;
}

size_t
agenda_current(const struct agenda *a)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->items[i].state == AGENDA_CURRENT)
			return i;
	return AGENDA_NONE;
}

size_t
agenda_find(const struct agenda *a, const char *pm_id)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->items[i].pm_id != NULL && strcmp(a->items[i].pm_id, pm_id) == 0)
			return i;
	return AGENDA_NONE;
}

size_t
agenda_open_measures(const struct agenda *a)
{
	return a->open_measures;
}

static int
check_index(const struct agenda *a, size_t i, char **err)
{
	if (i >= a->n) {
		err_set(err, "there is no item %zu; the agenda has items 1 to %zu", i + 1, a->n);
		return -1;
	}
	return 0;
}

static bool
is_fixed(const struct agenda_item *it)
{
	return it->kind == AGENDA_FOLLOWUPS || it->kind == AGENDA_WRAPUP;
}

int
agenda_move(struct agenda *a, size_t from, size_t to, char **err)
{
	size_t lo = 0, hi;
	struct agenda_item tmp;

	if (check_index(a, from, err) < 0 || check_index(a, to, err) < 0)
		return -1;
	if (is_fixed(&a->items[from])) {
		err_set(err, "%s always stays %s", a->items[from].title,
			a->items[from].kind == AGENDA_WRAPUP ? "last" : "first");
		return -1;
	}
	while (lo < a->n && a->items[lo].kind == AGENDA_FOLLOWUPS)
		lo++;
	hi = a->n - 1;	/* wrap-up */
	if (to < lo || to >= hi) {
		err_set(err, "item %zu can move to positions %zu to %zu only: follow-ups stay first and wrap-up last",
			from + 1, lo + 1, hi);
		return -1;
	}
	tmp = a->items[from];
	if (from < to)
		memmove(&a->items[from], &a->items[from + 1], (to - from) * sizeof(tmp));
	else
		memmove(&a->items[to + 1], &a->items[to], (from - to) * sizeof(tmp));
	a->items[to] = tmp;
	recompute(a);
	return 0;
}

int
agenda_move_up(struct agenda *a, size_t i, char **err)
{
	if (check_index(a, i, err) < 0)
		return -1;
	if (i == 0) {
		err_set(err, "item 1 is already first");
		return -1;
	}
	return agenda_move(a, i, i - 1, err);
}

int
agenda_move_down(struct agenda *a, size_t i, char **err)
{
	if (check_index(a, i, err) < 0)
		return -1;
	return agenda_move(a, i, i + 1 < a->n ? i + 1 : i, err);
}

static int
leave(struct agenda *a, size_t i, enum agenda_state to, char **err)
{
	struct agenda_item *it;

	if (check_index(a, i, err) < 0)
		return -1;
	it = &a->items[i];
	if (it->kind == AGENDA_WRAPUP) {
		err_set(err, "wrap-up cannot be %s; it closes the meeting", state_names[to]);
		return -1;
	}
	if (to == AGENDA_CARRIED && it->kind == AGENDA_FOLLOWUPS) {
		err_set(err, "follow-ups come back every week by themselves; use /skip instead");
		return -1;
	}
	if (it->state != AGENDA_PENDING && it->state != AGENDA_CURRENT) {
		err_set(err, "item %zu is already %s; only a pending or current item can be %s",
			i + 1, state_names[it->state], state_names[to]);
		return -1;
	}
	it->state = to;
	recompute(a);
	return 0;
}

int
agenda_skip(struct agenda *a, size_t i, char **err)
{
	return leave(a, i, AGENDA_SKIPPED, err);
}

int
agenda_carry(struct agenda *a, size_t i, char **err)
{
	return leave(a, i, AGENDA_CARRIED, err);
}

size_t
agenda_carry_if_time(struct agenda *a)
{
	bool *waits = xcalloc(a->n + 1, sizeof(bool));
	size_t n = 0;

	for (size_t i = 0; i < a->n; i++)
		waits[i] = a->items[i].state == AGENDA_PENDING && a->items[i].if_time;
	for (size_t i = 0; i < a->n; i++)
		if (waits[i] && leave(a, i, AGENDA_CARRIED, NULL) == 0)
			n++;
	free(waits);
	return n;
}

size_t
agenda_carry_undiscussed(struct agenda *a, const bool *discussed)
{
	size_t n = 0;

	for (size_t i = 0; i < a->n; i++) {
		struct agenda_item *it = &a->items[i];

		if (it->kind != AGENDA_POSTMORTEM && it->kind != AGENDA_TOPIC)
			continue;
		if (it->state == AGENDA_PENDING ||
		    ((it->state == AGENDA_DONE || it->state == AGENDA_CURRENT) &&
		     (discussed == NULL || !discussed[i]))) {
			it->state = AGENDA_CARRIED;
			n++;
		}
	}
	if (n > 0)
		recompute(a);
	return n;
}

int
agenda_drop(struct agenda *a, size_t i, char **err)
{
	struct agenda_item *it;

	if (check_index(a, i, err) < 0)
		return -1;
	it = &a->items[i];
	if (it->kind != AGENDA_POSTMORTEM && it->kind != AGENDA_TOPIC) {
		err_set(err, "item %zu is %s, which is never carried over; only a postmortem or a "
			"topic can be dropped", i + 1, it->kind == AGENDA_WRAPUP ? "the wrap-up"
			: "the follow-ups");
		return -1;
	}
	if (it->state == AGENDA_SKIPPED) {
		err_set(err, "item %zu is already left out (skipped)", i + 1);
		return -1;
	}
	it->state = AGENDA_SKIPPED;
	recompute(a);
	return 0;
}

int
agenda_unskip(struct agenda *a, size_t i, char **err)
{
	if (check_index(a, i, err) < 0)
		return -1;
	if (a->items[i].state != AGENDA_SKIPPED && a->items[i].state != AGENDA_CARRIED) {
		err_set(err, "item %zu is %s, not skipped or carried", i + 1,
			state_names[a->items[i].state]);
		return -1;
	}
	a->items[i].state = AGENDA_PENDING;
	recompute(a);
	return 0;
}

int
agenda_add_topic(struct agenda *a, const char *title, size_t *index, char **err)
{
	struct agenda_item it;
	size_t at;

	if (title == NULL || title[strspn(title, " \t")] == '\0') {
		err_set(err, "a topic needs a title, e.g. /topic Alert fatigue in on-call");
		return -1;
	}
	it = (struct agenda_item){ .kind = AGENDA_TOPIC, .title = xstrdup(title) };
	push(a, it);
	at = a->n - 1;
	if (at > 0 && a->items[at - 1].kind == AGENDA_WRAPUP) {
		a->items[at] = a->items[at - 1];
		a->items[--at] = it;
	}
	if (index != NULL)
		*index = at;
	recompute(a);
	return 0;
}

int
agenda_set_current(struct agenda *a, size_t i, char **err)
{
	size_t cur = agenda_current(a);

	if (check_index(a, i, err) < 0)
		return -1;
	if (a->items[i].state == AGENDA_SKIPPED || a->items[i].state == AGENDA_CARRIED) {
		err_set(err, "item %zu is %s; use /unskip first to take it up", i + 1,
			state_names[a->items[i].state]);
		return -1;
	}
	if (cur == i)
		return 0;
	if (cur != AGENDA_NONE)
		a->items[cur].state = AGENDA_DONE;
	a->items[i].state = AGENDA_CURRENT;
	recompute(a);
	return 0;
}

static bool
visitable(const struct agenda_item *it)
{
	return it->state != AGENDA_SKIPPED && it->state != AGENDA_CARRIED;
}

size_t
agenda_next(struct agenda *a)
{
	size_t cur = agenda_current(a);

	/* with no current item (the start, or after a skip or carry) the next
	 * item is the first one not yet taken up */
	for (size_t i = cur == AGENDA_NONE ? 0 : cur + 1; i < a->n; i++) {
		if (cur == AGENDA_NONE ? a->items[i].state == AGENDA_PENDING
				       : visitable(&a->items[i])) {
			agenda_set_current(a, i, NULL);
			return i;
		}
	}
	return AGENDA_NONE;
}

size_t
agenda_prev(struct agenda *a)
{
	size_t cur = agenda_current(a);

	if (cur == AGENDA_NONE)
		cur = a->n;
	for (size_t i = cur; i > 0; i--)
		if (visitable(&a->items[i - 1])) {
			agenda_go(a, i - 1, NULL);
			return i - 1;
		}
	return AGENDA_NONE;
}

int
agenda_go(struct agenda *a, size_t i, char **err)
{
	size_t cur = agenda_current(a);

	if (cur == AGENDA_NONE || i >= cur)
		return agenda_set_current(a, i, err);
	if (check_index(a, i, err) < 0)
		return -1;
	if (!visitable(&a->items[i])) {
		err_set(err, "item %zu is %s; use /unskip first to take it up", i + 1,
			state_names[a->items[i].state]);
		return -1;
	}
	/* going back is not finishing: the item left is still to come */
	a->items[cur].state = AGENDA_PENDING;
	a->items[i].state = AGENDA_CURRENT;
	recompute(a);
	return 0;
}

int
agenda_add_time(struct agenda *a, size_t i, int seconds, char **err)
{
	if (check_index(a, i, err) < 0)
		return -1;
	if (seconds < 0) {
		err_set(err, "elapsed time cannot be negative (%d s)", seconds);
		return -1;
	}
	a->items[i].spent_s += seconds;
	recompute(a);
	return 0;
}

int
agenda_restore(struct agenda *a, size_t i, enum agenda_state state, int spent_s, char **err)
{
	size_t cur;

	if (check_index(a, i, err) < 0)
		return -1;
	if (spent_s < 0) {
		err_set(err, "saved time of item %zu is negative (%d s)", i + 1, spent_s);
		return -1;
	}
	cur = agenda_current(a);
	if (state == AGENDA_CURRENT && cur != AGENDA_NONE && cur != i) {
		err_set(err, "items %zu and %zu are both saved as current", cur + 1, i + 1);
		return -1;
	}
	if (a->items[i].kind == AGENDA_WRAPUP &&
	    (state == AGENDA_SKIPPED || state == AGENDA_CARRIED)) {
		err_set(err, "wrap-up is saved as %s, which cannot be", state_names[state]);
		return -1;
	}
	a->items[i].state = state;
	a->items[i].spent_s = spent_s;
	recompute(a);
	return 0;
}

enum agenda_clock
agenda_clock_state(int budget_s, int spent_s)
{
	if (spent_s > budget_s)
		return AGENDA_CLOCK_OVER;
	/* 5 * spent >= 4 * budget is spent >= 80% without rounding */
	if ((long long)spent_s * 5 >= (long long)budget_s * 4 && budget_s > 0)
		return AGENDA_CLOCK_NEAR;
	return AGENDA_CLOCK_OK;
}

const char *
agenda_state_name(enum agenda_state state)
{
	return state_names[state];
}

bool
agenda_state_parse(const char *name, enum agenda_state *out)
{
	for (size_t i = 0; i < sizeof(state_names) / sizeof(state_names[0]); i++)
		if (strcmp(name, state_names[i]) == 0) {
			*out = (enum agenda_state)i;
			return true;
		}
	return false;
}

const char *
agenda_kind_name(enum agenda_kind kind)
{
	return kind_names[kind];
}

bool
agenda_kind_parse(const char *name, enum agenda_kind *out)
{
	for (size_t i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (strcmp(name, kind_names[i]) == 0) {
			*out = (enum agenda_kind)i;
			return true;
		}
	return false;
}
