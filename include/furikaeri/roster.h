#ifndef FURIKAERI_ROSTER_H
#define FURIKAERI_ROSTER_H

#include <stdbool.h>
#include <stddef.h>

#include "furikaeri/week.h"

/* The facilitator rotation: the people who can facilitate, with a role and
 * an optional absence, and the history of who facilitated (and backed up)
 * which week. Pure data and rules; the store loads and saves it. Every
 * string is copied in; strings handed out are borrowed from the roster and
 * live until the roster changes or is freed. */

struct roster;

struct roster_person {
	const char *name;	/* unique, compared byte for byte */
	const char *role;	/* "engineering", "product", "QA", ...; may be NULL */
	const char *away_until;	/* "YYYY-MM-DD" (inclusive) or NULL */
	size_t order;		/* position in the order people were added */
};

struct roster_record {
	struct week week;
	const char *facilitator;	/* NULL when nobody was recorded */
	const char *backup;		/* NULL when there was no backup */
};

struct roster *roster_new(void);
void roster_free(struct roster *r);

/* Appends a person: the order of the calls is the order people were added,
 * which breaks ties in the rotation (the store loads people in that order).
 * Fails for an empty or duplicate name or a malformed away_until. */
int roster_add(struct roster *r, const char *name, const char *role,
	       const char *away_until, char **err);
/* Removes a person; the history keeps their name. */
int roster_remove(struct roster *r, const char *name, char **err);
/* Sets (or, with NULL, clears) the last day a person is away. */
int roster_set_away(struct roster *r, const char *name, const char *away_until, char **err);
size_t roster_count(const struct roster *r);
/* The i-th person in added order; fields borrowed. */
struct roster_person roster_at(const struct roster *r, size_t i);
/* Index of a person, or -1. */
long roster_find(const struct roster *r, const char *name);
/* True when the person is away in the given week: away_until falls on or
 * after that week's Monday. */
bool roster_is_away(const struct roster *r, size_t i, struct week w);

/* Records who facilitated a week (replacing an earlier record of the same
 * week). Names need not be in the roster (people leave); backup may be NULL. */
int roster_record(struct roster *r, const char *week, const char *facilitator,
		  const char *backup, char **err);
size_t roster_history_count(const struct roster *r);
/* Records sorted by week, oldest first; fields borrowed. */
struct roster_record roster_history_at(const struct roster *r, size_t i);

/* Proposes the facilitator and backup of a week ("YYYY-Www").
 * Facilitator: among the people not away that week, the one whose last
 * facilitation (in weeks before the asked one; records of that week or later
 * are ignored) is the oldest, never counting as oldest of all. Backup: the
 * same among the others, counting the last week each served as facilitator
 * or as backup. Ties go to whoever was added first (then name, byte order).
 * Returns how many were proposed: 2, 1 (*backup is NULL: one person
 * available) or 0 (both NULL), or -1 with *err for a malformed week. Names
 * are borrowed from the roster. */
int roster_propose(const struct roster *r, const char *week, const char **facilitator,
		   const char **backup, char **err);

#endif
