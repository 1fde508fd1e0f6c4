#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/err.h"
#include "furikaeri/roster.h"
#include "furikaeri/xalloc.h"

struct person {
	char *name;
	char *role;
	char *away_until;
	long away_day;		/* valid when away_until != NULL */
};

struct record {
	struct week week;
	char *facilitator;
	char *backup;
};

struct roster {
	struct person *people;
	size_t n_people;
	struct record *history;
	size_t n_history;
};

struct roster *
roster_new(void)
{
	return xcalloc(1, sizeof(struct roster));
}

static void
person_clear(struct person *p)
{
	free(p->name);
	free(p->role);
	free(p->away_until);
}

void
roster_free(struct roster *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->n_people; i++)
		person_clear(&r->people[i]);
	for (size_t i = 0; i < r->n_history; i++) {
		free(r->history[i].facilitator);
		free(r->history[i].backup);
	}
	free(r->people);
	free(r->history);
	free(r);
}

long
roster_find(const struct roster *r, const char *name)
{
	for (size_t i = 0; i < r->n_people; i++)
		if (strcmp(r->people[i].name, name) == 0)
			return (long)i;
	return -1;
}

static int
parse_away(const char *away_until, long *day, char **err)
{
	if (away_until == NULL)
		return 0;
	if (!week_date_parse(away_until, day)) {
		err_set(err, "\"%s\" is not a date; give the last day away as YYYY-MM-DD, e.g. 2026-12-24",
			away_until);
		return -1;
	}
	return 0;
}

int
roster_add(struct roster *r, const char *name, const char *role, const char *away_until,
	   char **err)
{
	long day = 0;

	if (name == NULL || name[0] == '\0') {
		err_set(err, "a person needs a name");
		return -1;
	}
	if (roster_find(r, name) >= 0) {
		err_set(err, "%s is already in the roster; pick another name or remove the old entry first",
			name);
		return -1;
	}
	if (parse_away(away_until, &day, err) < 0)
		return -1;
	r->people = xreallocarray(r->people, r->n_people + 1, sizeof(*r->people));
	r->people[r->n_people++] = (struct person){
		.name = xstrdup(name),
		.role = xstrdup_or_null(role),
		.away_until = xstrdup_or_null(away_until),
		.away_day = day,
	};
	return 0;
}

static long
find_or_fail(const struct roster *r, const char *name, char **err)
{
	long i = roster_find(r, name);

	if (i < 0)
		err_set(err, "%s is not in the roster; see the names with: furikaeri roster list", name);
	return i;
}

int
roster_remove(struct roster *r, const char *name, char **err)
{
	long i = find_or_fail(r, name, err);

	if (i < 0)
		return -1;
	person_clear(&r->people[i]);
	memmove(&r->people[i], &r->people[i + 1],
		(r->n_people - (size_t)i - 1) * sizeof(*r->people));
	r->n_people--;
	return 0;
}

int
roster_set_away(struct roster *r, const char *name, const char *away_until, char **err)
{
	long i = find_or_fail(r, name, err), day = 0;

	if (i < 0 || parse_away(away_until, &day, err) < 0)
		return -1;
	free(r->people[i].away_until);
	r->people[i].away_until = xstrdup_or_null(away_until);
	r->people[i].away_day = day;
	return 0;
}

size_t
roster_count(const struct roster *r)
{
	return r->n_people;
}

struct roster_person
roster_at(const struct roster *r, size_t i)
{
	const struct person *p = &r->people[i];

	return (struct roster_person){
		.name = p->name,
		.role = p->role,
		.away_until = p->away_until,
		.order = i,
	};
}

bool
roster_is_away(const struct roster *r, size_t i, struct week w)
{
	const struct person *p = &r->people[i];

	return p->away_until != NULL && p->away_day >= week_monday(w);
}

int
roster_record(struct roster *r, const char *week, const char *facilitator,
	      const char *backup, char **err)
{
	struct week w;
	size_t i;

	if (!week_parse(week, &w)) {
		err_set(err, "\"%s\" is not an ISO week; write it as YYYY-Www, e.g. 2026-W49", week);
		return -1;
	}
	/* keep the history sorted by week so that lookups stop early */
	for (i = 0; i < r->n_history && week_cmp(r->history[i].week, w) < 0; i++)
		;
	if (i < r->n_history && week_cmp(r->history[i].week, w) == 0) {
		free(r->history[i].facilitator);
		free(r->history[i].backup);
	} else {
		r->history = xreallocarray(r->history, r->n_history + 1, sizeof(*r->history));
		memmove(&r->history[i + 1], &r->history[i],
			(r->n_history - i) * sizeof(*r->history));
		r->n_history++;
	}
	r->history[i] = (struct record){
		.week = w,
		.facilitator = xstrdup_or_null(facilitator),
		.backup = xstrdup_or_null(backup),
	};
	return 0;
}

size_t
roster_history_count(const struct roster *r)
{
	return r->n_history;
}

struct roster_record
roster_history_at(const struct roster *r, size_t i)
{
	return (struct roster_record){
		.week = r->history[i].week,
		.facilitator = r->history[i].facilitator,
		.backup = r->history[i].backup,
	};
}

struct candidate {
	size_t index;
	long last_led;		/* week index (weeks since an epoch) or -1: never */
	long last_served;	/* as facilitator or backup */
};

static bool
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Whether candidate a comes before b: an older (or no) last week first, then
 * the order added (the index), then the name. */
static bool
before(const struct roster *r, const struct candidate *a, const struct candidate *b,
	    bool as_backup)
{
	long la = as_backup ? a->last_served : a->last_led;
	long lb = as_backup ? b->last_served : b->last_led;

	if (la != lb)
		return la < lb;
	if (a->index != b->index)
		return a->index < b->index;
	return strcmp(r->people[a->index].name, r->people[b->index].name) < 0;
}

int
roster_propose(const struct roster *r, const char *week, const char **facilitator,
	       const char **backup, char **err)
{
	struct candidate *c;
	struct week w;
	size_t n = 0, best;
	struct week epoch = { 1000, 1 };

	*facilitator = *backup = NULL;
	if (!week_parse(week, &w)) {
		err_set(err, "\"%s\" is not an ISO week; write it as YYYY-Www, e.g. 2026-W49", week);
		return -1;
	}
	c = xcalloc(r->n_people + 1, sizeof(*c));
	for (size_t i = 0; i < r->n_people; i++) {
		if (roster_is_away(r, i, w))
			continue;
		c[n] = (struct candidate){ .index = i, .last_led = -1, .last_served = -1 };
		for (size_t h = 0; h < r->n_history && week_cmp(r->history[h].week, w) < 0; h++) {
			const struct record *rec = &r->history[h];
			long at = week_diff(epoch, rec->week);
			if (same(rec->facilitator, r->people[i].name))
				c[n].last_led = c[n].last_served = at;
			else if (same(rec->backup, r->people[i].name))
				c[n].last_served = at;
		}
		n++;
	}
	if (n == 0) {
		free(c);
		return 0;
	}
	best = 0;
	for (size_t i = 1; i < n; i++)
		if (before(r, &c[i], &c[best], false))
			best = i;
	*facilitator = r->people[c[best].index].name;
	c[best] = c[--n];
	if (n == 0) {
		free(c);
		return 1;
	}
	best = 0;
	for (size_t i = 1; i < n; i++)
		if (before(r, &c[i], &c[best], true))
			best = i;
	*backup = r->people[c[best].index].name;
	free(c);
	return 2;
}
