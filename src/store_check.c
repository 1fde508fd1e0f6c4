#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/strbuf.h"
#include "store_private.h"

/* Appends each line an integrity check of schema reports; returns how
 * many were not "ok". */
static size_t
integrity_lines(struct store *st, const char *schema, const char *what, const char *path,
		struct strbuf *report)
{
	char sql[64];
	sqlite3_stmt *stmt = NULL;
	size_t bad = 0;
	int rc;

	snprintf(sql, sizeof(sql), "PRAGMA %s.integrity_check", schema);
	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		strbuf_addf(report, "FAIL %s %s: cannot check it: %s\n", what, path,
			    sqlite3_errmsg(st->db));
		return 1;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *line = (const char *)sqlite3_column_text(stmt, 0);
		if (line != NULL && strcmp(line, "ok") == 0)
			continue;
		strbuf_addf(report, "FAIL %s %s: %s\n", what, path, line != NULL ? line : "?");
		bad++;
	}
	if (rc != SQLITE_DONE) {
		strbuf_addf(report, "FAIL %s %s: cannot check it: %s\n", what, path,
			    sqlite3_errmsg(st->db));
		bad++;
	}
	sqlite3_finalize(stmt);
	return bad;
}

static long long
count_of(struct store *st, const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	long long n = -1;

	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) == SQLITE_OK &&
	    sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return n;
}

size_t
store_check(struct store *st, char **report)
{
	struct strbuf sb = STRBUF_INIT;
	size_t bad = integrity_lines(st, "main", "store", st->path, &sb);

	if (bad == 0)
		strbuf_addf(&sb, "ok   store %s: integrity ok (schema %d, %lld postmortems, "
			    "%lld minutes entries)\n", st->path, store_n_migrations,
			    count_of(st, "SELECT count(*) FROM main.postmortems"),
			    count_of(st, "SELECT count(*) FROM main.minutes"));
	if (store_search_usable(st, NULL) < 0) {
		strbuf_addf(&sb, "FAIL search index: %s\n",
			    st->search_error != NULL ? st->search_error : "not open");
		bad++;
	} else {
		size_t before = bad;
		bad += integrity_lines(st, "search", "search index", st->search_path, &sb);
		bad += store_search_check(st, &sb);
		if (bad == before)
			strbuf_addf(&sb, "ok   search index %s: integrity ok, in step with the "
				    "store (%lld rows)\n", st->search_path,
				    count_of(st, "SELECT count(*) FROM search.search_source"));
	}
	*report = strbuf_detach(&sb);
	return bad;
}
