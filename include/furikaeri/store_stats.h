#ifndef FURIKAERI_STORE_STATS_H
#define FURIKAERI_STORE_STATS_H

#include <stddef.h>

#include "furikaeri/store.h"

/* Figures over the archive for `furikaeri stats`. Every string is owned by
 * the struct; release it with store_stats_release. */

struct store_stats_count {
	char *key;		/* an ISO week, a severity ("none" when unset) or a tag */
	long count;
};

struct store_stats {
	struct store_stats_count *weeks;	/* postmortems per week, oldest first */
	size_t n_weeks;
	struct store_stats_count *severities;	/* most severe first */
	size_t n_severities;
	struct store_stats_count *tags;		/* most frequent first, at most 10 */
	size_t n_tags;
	long agreed;		/* measures a postmortem adopts, or agreed in a meeting */
	long done;		/* of those, done */
	long dropped;		/* of those, closed without the work */
	long overdue;		/* of those, open with a due date before today */
	double median_days;	/* agreement to done; -1 when none has both dates */
	long median_n;		/* how many measures the median is taken over */
};

/* since (YYYY-MM-DD or NULL): postmortems dated (or, undated, imported) on
 * or after it; measures agreed (or imported) on or after it. today
 * (YYYY-MM-DD) decides what is overdue. */
int store_stats_collect(struct store *st, const char *since, const char *today,
			struct store_stats *out, char **err);
void store_stats_release(struct store_stats *s);

#endif
