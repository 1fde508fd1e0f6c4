#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/date.h"
#include "furikaeri/store_stats.h"
#include "furikaeri/xalloc.h"
#include "store_private.h"

static void
counts_add(struct store_stats_count **list, size_t *n, const char *key, long count)
{
	*list = xreallocarray(*list, *n + 1, sizeof(**list));
	(*list)[*n].key = xstrdup(key);
	(*list)[(*n)++].count = count;
}

/* Reads (key, count) rows. */
static int
read_counts(struct store *st, sqlite3_stmt *stmt, struct store_stats_count **list, size_t *n,
	    char **err)
{
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		counts_add(list, n, (const char *)sqlite3_column_text(stmt, 0),
			   sqlite3_column_int64(stmt, 1));
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot compute the statistics");
		return -1;
	}
	return 0;
}

/* Postmortems per ISO week: dates are grouped here, as SQLite has no ISO
 * week. Rows come ordered by date, so equal weeks are adjacent. */
static int
per_week(struct store *st, const char *since, struct store_stats *out, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"SELECT COALESCE(date, substr(imported_at, 1, 10)) AS d FROM postmortems"
		" WHERE ?1 IS NULL OR d >= ?1 ORDER BY d", err);
	char week[9];
	int rc;

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, since);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(stmt, 0);
		if (d == NULL || date_iso_week(d, week) < 0)
			continue;
		if (out->n_weeks > 0 && strcmp(out->weeks[out->n_weeks - 1].key, week) == 0)
			out->weeks[out->n_weeks - 1].count++;
		else
			counts_add(&out->weeks, &out->n_weeks, week, 1);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot compute the statistics");
		return -1;
	}
	return 0;
}

/* The measures counted as agreed: those a postmortem lists as adopted
 * (never its not-adopted ones), and actions agreed in a meeting (or in
 * imported minutes) whose entry was not deleted. */
#define MEASURES_COUNTED \
	" FROM measures me LEFT JOIN postmortems p ON p.id = me.postmortem_id" \
	" WHERE ((me.origin = 'import' AND me.status != 'not_doing')" \
	"        OR me.agreed_at IS NOT NULL)" \
	"   AND NOT EXISTS (SELECT 1 FROM minutes mi WHERE mi.measure_id = me.id" \
	"                   AND mi.deleted_at IS NOT NULL)" \
	"   AND (?1 IS NULL OR substr(COALESCE(me.agreed_at, p.date, me.created_at), 1, 10) >= ?1)"

static int
measures(struct store *st, const char *since, const char *today, struct store_stats *out,
	 char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"SELECT count(*), COALESCE(sum(me.status = 'done'), 0),"
		"  COALESCE(sum(me.status = 'dropped'), 0),"
		"  COALESCE(sum(me.status = 'open' AND me.due IS NOT NULL AND me.due < ?2), 0)"
		MEASURES_COUNTED, err);
	double *days = NULL;
	size_t n = 0;
	int rc;

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, since);
	store_bind_text(stmt, 2, today);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		out->agreed = sqlite3_column_int64(stmt, 0);
		out->done = sqlite3_column_int64(stmt, 1);
		out->dropped = sqlite3_column_int64(stmt, 2);
		out->overdue = sqlite3_column_int64(stmt, 3);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW) {
		store_fail(st, err, "cannot compute the statistics");
		return -1;
	}
	/* Only measures with both dates: agreed on a known day and seen done
	 * (a measure imported as done has neither, only the import's time). */
	stmt = store_prepare(st,
		"SELECT julianday(substr(me.done_at, 1, 10))"
		"  - julianday(substr(me.agreed_at, 1, 10)) AS days"
		MEASURES_COUNTED " AND me.status = 'done' AND me.done_at IS NOT NULL"
		" AND me.agreed_at IS NOT NULL ORDER BY days", err);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, since);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (sqlite3_column_type(stmt, 0) == SQLITE_NULL)
			continue;
		days = xreallocarray(days, n + 1, sizeof(double));
		days[n++] = sqlite3_column_double(stmt, 0);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		free(days);
		store_fail(st, err, "cannot compute the statistics");
		return -1;
	}
	out->median_n = (long)n;
	out->median_days = n == 0 ? -1 : n % 2 == 1 ? days[n / 2]
			   : (days[n / 2 - 1] + days[n / 2]) / 2;
	free(days);
	return 0;
}

int
store_stats_collect(struct store *st, const char *since, const char *today,
		    struct store_stats *out, char **err)
{
	sqlite3_stmt *stmt;

	memset(out, 0, sizeof(*out));
	if (per_week(st, since, out, err) < 0)
		goto fail;
	stmt = store_prepare(st,
		"SELECT COALESCE(severity, 'none'), count(*) FROM postmortems"
		" WHERE ?1 IS NULL OR COALESCE(date, substr(imported_at, 1, 10)) >= ?1"
		" GROUP BY 1 ORDER BY min(severity_rank), 1", err);
	if (stmt == NULL)
		goto fail;
	store_bind_text(stmt, 1, since);
	if (read_counts(st, stmt, &out->severities, &out->n_severities, err) < 0)
		goto fail;
	stmt = store_prepare(st,
		"SELECT t.tag, count(*) FROM postmortem_tags t JOIN postmortems p"
		"  ON p.id = t.postmortem_id"
		" WHERE ?1 IS NULL OR COALESCE(p.date, substr(p.imported_at, 1, 10)) >= ?1"
		" GROUP BY t.tag ORDER BY count(*) DESC, t.tag LIMIT 10", err);
	if (stmt == NULL)
		goto fail;
	store_bind_text(stmt, 1, since);
	if (read_counts(st, stmt, &out->tags, &out->n_tags, err) < 0 ||
	    measures(st, since, today, out, err) < 0)
		goto fail;
	return 0;
fail:
	store_stats_release(out);
	return -1;
}

static void
counts_free(struct store_stats_count *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i].key);
	free(list);
}

void
store_stats_release(struct store_stats *s)
{
	counts_free(s->weeks, s->n_weeks);
	counts_free(s->severities, s->n_severities);
	counts_free(s->tags, s->n_tags);
	memset(s, 0, sizeof(*s));
}
