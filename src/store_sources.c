#include "config.h"

#include <sqlite3.h>
#include <stdlib.h>

#include "furikaeri/store_sources.h"
#include "furikaeri/xalloc.h"
#include "store_private.h"

int
store_source_since(struct store *st, const char *spec, char **last, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"SELECT last_import FROM import_sources WHERE spec = ?1", err);
	int rc;

	*last = NULL;
	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, spec, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*last = store_column_dup(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read when the source was last imported");
		return -1;
	}
	return 0;
}

int
store_source_done(struct store *st, const char *spec, const char *at, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"INSERT INTO import_sources (spec, last_import) VALUES (?1, ?2)"
		" ON CONFLICT (spec) DO UPDATE SET last_import = excluded.last_import", err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, spec, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, at, -1, SQLITE_STATIC);
	return store_step_done(st, stmt, "cannot record the source's import time", err);
}

int
store_source_item_add(struct store *st, const char *spec, const char *id, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"INSERT OR IGNORE INTO import_source_items (spec, postmortem_id) VALUES (?1, ?2)",
		err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, spec, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, id, -1, SQLITE_STATIC);
	return store_step_done(st, stmt, "cannot record where a postmortem came from", err);
}

int
store_source_item_remove(struct store *st, const char *spec, const char *id, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"DELETE FROM import_source_items WHERE spec = ?1 AND postmortem_id = ?2", err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, spec, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, id, -1, SQLITE_STATIC);
	return store_step_done(st, stmt, "cannot forget where a postmortem came from", err);
}

static int
list_ids(struct store *st, const char *sql, const char *spec, char ***ids, size_t *n,
	 char **err)
{
	sqlite3_stmt *stmt = store_prepare(st, sql, err);
	int rc;

	*ids = NULL;
	*n = 0;
	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, spec, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*ids = xreallocarray(*ids, *n + 1, sizeof(char *));
		(*ids)[(*n)++] = store_column_dup(stmt, 0);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_source_items_free(*ids, *n);
		*ids = NULL;
		*n = 0;
		store_fail(st, err, "cannot list a source's issues");
		return -1;
	}
	return 0;
}

int
store_source_items(struct store *st, const char *spec, char ***ids, size_t *n, char **err)
{
	return list_ids(st, "SELECT postmortem_id FROM import_source_items WHERE spec = ?1"
			" ORDER BY postmortem_id", spec, ids, n, err);
}

int
store_source_waiting(struct store *st, const char *spec, char ***ids, size_t *n, char **err)
{
	return list_ids(st, "SELECT item FROM import_source_waiting WHERE spec = ?1"
			" ORDER BY item", spec, ids, n, err);
}

int
store_source_wait(struct store *st, const char *spec, const char *id, const char *why,
		  char **err)
{
	char *now = store_now();
	sqlite3_stmt *stmt = store_prepare(st,
		"INSERT INTO import_source_waiting (spec, item, error, first_failed)"
		" VALUES (?1, ?2, ?3, ?4) ON CONFLICT (spec, item) DO UPDATE SET"
		" error = excluded.error, attempts = attempts + 1", err);
	int rc;

	if (stmt == NULL) {
		free(now);
		return -1;
	}
	sqlite3_bind_text(stmt, 1, spec, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, why != NULL ? why : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, now, -1, SQLITE_STATIC);
	rc = store_step_done(st, stmt, "cannot record an issue that failed to import", err);
	free(now);
	return rc;
}

int
store_source_unwait(struct store *st, const char *spec, const char *id, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"DELETE FROM import_source_waiting WHERE spec = ?1 AND item = ?2", err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, spec, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, id, -1, SQLITE_STATIC);
	return store_step_done(st, stmt, "cannot forget an issue that failed to import", err);
}

void
store_source_items_free(char **ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}
