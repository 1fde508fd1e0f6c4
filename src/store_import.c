#include "config.h"

#include <stdlib.h>

#include "furikaeri/xalloc.h"
#include "store_private.h"

int
store_source_lookup(struct store *st, const char *source, char **id, char **hash, char **err)
{
	/* once per file of every import: prepared once per connection */
	static const char sql[] =
		"SELECT id, content_hash FROM postmortems WHERE source = ?1 LIMIT 1";
	sqlite3_stmt *stmt = store_stmt(st, sql, err);
	int rc;

	*id = *hash = NULL;
	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, source, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*id = store_column_dup(stmt, 0);
		*hash = store_column_dup(stmt, 1);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, err, "cannot look up a source file");
		return -1;
	}
	return 0;
}

int
store_id_source(struct store *st, const char *id, char **source, char **err)
{
	static const char sql[] = "SELECT source FROM postmortems WHERE id = ?1";
	sqlite3_stmt *stmt = store_stmt(st, sql, err);
	int rc;

	*source = NULL;
	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*source = store_column_dup(stmt, 0);
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, err, "cannot look up a postmortem id");
		return -1;
	}
	return 0;
}
