#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "furikaeri/err.h"
#include "furikaeri/log.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"
#include "store_private.h"

/* The search index lives in a database of its own beside the store
 * (DATABASE.search), attached to every connection as "search". An FTS5
 * table names its tokenizer, and a tokenizer that only furikaeri registers
 * made the store itself unreadable to every other SQLite program (SQLite
 * 3.46 checks FTS5 tables in PRAGMA integrity_check, so the sqlite3 shell
 * failed it, and .dump and .recover with it). The store stays plain SQLite;
 * the index is derived data, built again from the store when its file is
 * missing, was made by another version of the tokenizer or layout
 * (STORE_SEARCH_VERSION), or is out of step with the store.
 *
 * In step: every transaction that changes what is indexed adds one to the
 * store's search_state.generation and writes the same number into the
 * index's search_meta. SQLite commits the two files one after the other,
 * so a crash between them leaves the numbers apart, and the next writer
 * (or the next open) builds the index again. */

/* The tokenizer's and the index's layout version: change it whenever
 * either changes what the index holds. */
#define STORE_SEARCH_VERSION 1

static const char search_schema[] =
	"DROP TABLE IF EXISTS search.search_index;"
	"DROP TABLE IF EXISTS search.search_source;"
	"DROP TABLE IF EXISTS search.search_meta;"
	"CREATE TABLE search.search_source ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL, ref TEXT NOT NULL,"
	"  UNIQUE (kind, ref)"
	");"
	"CREATE VIRTUAL TABLE search.search_index USING fts5(title, body, tokenize = 'furikaeri');"
	"CREATE TABLE search.search_meta ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  version INTEGER NOT NULL,"
	"  generation INTEGER NOT NULL"
	");";

char *
store_search_file_path(const char *db_path)
{
	char real[PATH_MAX];

	/* the real path, so that a store reached through a symlink shares one
	 * index (and the meeting lock, keyed the same way, agrees) */
	if (realpath(db_path, real) == NULL)
		return xasprintf("%s.search", db_path);
	return xasprintf("%s.search", real);
}

static int
exec_sql(struct store *st, const char *sql, const char *what, char **err)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		err_set(err, "%s: %s: %s", st->search_path, what,
			msg != NULL ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Whether the index was made by this version and holds the store's
 * generation: 1 yes, 0 no (or no index yet), -1 an error. */
static int
in_step(struct store *st, char **err)
{
	sqlite3_stmt *stmt = NULL;
	int rc, yes = 0;

	rc = sqlite3_prepare_v2(st->db,
		"SELECT m.version = ?1 AND m.generation = s.generation"
		" FROM search.search_meta m, main.search_state s WHERE m.id = 1 AND s.id = 1",
		-1, &stmt, NULL);
	if (rc != SQLITE_OK) {
		/* a new or half-made file has no search_meta: built anew */
		bool missing = strstr(sqlite3_errmsg(st->db), "no such table") != NULL;
		if (!missing)
			err_set(err, "%s: cannot read the search index: %s", st->search_path,
				sqlite3_errmsg(st->db));
		sqlite3_finalize(stmt);
		return missing ? 0 : -1;
	}
	sqlite3_bind_int(stmt, 1, STORE_SEARCH_VERSION);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		yes = sqlite3_column_int(stmt, 0);
	else if (rc != SQLITE_DONE)
		err_set(err, "%s: cannot read the search index: %s", st->search_path,
			sqlite3_errmsg(st->db));
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? yes != 0 : -1;
}

/* Makes the index anew from the store, inside the caller's write
 * transaction; what that transaction changed is read with the rest, so
 * the changes held for the commit are dropped. */
static int
rebuild(struct store *st, char **err)
{
	char sql[160];

	log_info("%s: building the search index from the store", st->search_path);
	store_search_discard(st, 0);
	if (exec_sql(st, search_schema, "cannot make the search index", err) < 0)
		return -1;
	snprintf(sql, sizeof(sql), "INSERT INTO search.search_meta (id, version, generation)"
		 " SELECT 1, %d, generation FROM main.search_state WHERE id = 1",
		 STORE_SEARCH_VERSION);
	if (store_search_index_everything(st, err) < 0 || exec_sql(st, sql, "cannot make the search index", err) < 0)
		return -1;
	st->search_rebuilt++;
	return 0;
}

static int
sync_index(struct store *st, bool changed, char **err)
{
	int ok;

	if ((ok = in_step(st, err)) < 0)
		return -1;
	if (!ok)
		return rebuild(st, err);
	if (!changed)
		return 0;
	if (store_search_write_held(st, err) < 0)
		return -1;
	return exec_sql(st, "UPDATE main.search_state SET generation = generation + 1"
			" WHERE id = 1;"
			"UPDATE search.search_meta SET generation ="
			" (SELECT generation FROM main.search_state WHERE id = 1) WHERE id = 1",
			"cannot update the search index", err);
}

/* An index that fails (damaged, full) fails the transaction (SQLite
 * rolls back the whole of a transaction that met a damaged page), but only
 * once: search is then off on this connection, so the same change tried
 * again (Enter again in a meeting) is committed without it, and the index,
 * left out of step, is built again at the next open. */
int
store_search_sync(struct store *st, bool changed, char **err)
{
	char *why = NULL;

	if (!st->search_ready)
		return !changed ? 0 : exec_sql(st, "UPDATE main.search_state SET generation ="
					       " generation + 1 WHERE id = 1",
					       "cannot update the search index", err);
	if (sync_index(st, changed, &why) == 0)
		return 0;
	free(st->search_error);
	st->search_error = xasprintf("%s; the search index %s cannot be written: delete it "
				     "(with its -wal and -shm files) and furikaeri builds it "
				     "again from the store", why, st->search_path);
	st->search_ready = false;
	log_error("%s", st->search_error);
	err_set(err, "%s", st->search_error);
	free(why);
	return -1;
}

/* The file, created 0600 (it holds the postmortems' text) unless this
 * process has it open already (closing a descriptor of it would drop the
 * other connection's locks, as store_open explains). */
static int
search_file_create(struct store *st, char **err)
{
	struct stat sb;

	if (stat(st->search_path, &sb) == 0 && store_open_count(sb.st_dev, sb.st_ino, 0) > 0)
		return 0;
	int fd = open(st->search_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		err_set(err, "%s: cannot open the search index: %s; check the folder's "
			"permissions", st->search_path, strerror(errno));
		return -1;
	}
	close(fd);
	return store_check_header(st->search_path, "the search index", err);
}

static int
search_attach(struct store *st, char **err)
{
	sqlite3_stmt *stmt = NULL;
	struct stat sb;

	if (search_file_create(st, err) < 0)
		return -1;
	if (sqlite3_prepare_v2(st->db, "ATTACH DATABASE ?1 AS search", -1, &stmt, NULL) !=
	    SQLITE_OK) {
		err_set(err, "%s: cannot open the search index: %s", st->search_path,
			sqlite3_errmsg(st->db));
		return -1;
	}
	sqlite3_bind_text(stmt, 1, st->search_path, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		err_set(err, "%s: cannot open the search index: %s; it is rebuilt from the "
			"store when it is deleted", st->search_path, sqlite3_errmsg(st->db));
		return -1;
	}
	if (stat(st->search_path, &sb) == 0) {
		st->search_dev = sb.st_dev;
		st->search_ino = sb.st_ino;
		st->search_counted = true;
		store_open_count(sb.st_dev, sb.st_ino, 1);
	}
	return store_wal_mode(st, "search", err) < 0 ||
	       exec_sql(st, "PRAGMA search.synchronous = NORMAL", "cannot set durability",
			err) < 0 ? -1 : 0;
}

/* Built again under the write lock when it is not in step; read again
 * there, since another furikaeri may have just built it or be between
 * the commits of its two files. */
static int
search_check(struct store *st, char **err)
{
	int ok = in_step(st, err);

	if (ok != 0)
		return ok < 0 ? -1 : 0;
	if (exec_sql(st, "BEGIN IMMEDIATE", "cannot build the search index", err) < 0)
		return -1;
	if (store_search_sync(st, false, err) < 0 ||
	    exec_sql(st, "COMMIT", "cannot build the search index", err) < 0) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

/* An index that cannot be opened or built does not keep the store from
 * opening: everything but search works, and search says why. */
void
store_search_open(struct store *st)
{
	char *err = NULL;

	st->search_path = store_search_file_path(st->path);
	if (search_attach(st, &err) == 0) {
		st->search_ready = true;
		if (search_check(st, &err) == 0)
			return;
		st->search_ready = false;
	}
	log_error("%s", err);
	st->search_error = err;
}

void
store_search_close(struct store *st)
{
	if (st->search_counted)
		store_open_count(st->search_dev, st->search_ino, -1);
	free(st->search_path);
	free(st->search_error);
}

/* FTS5's own check of the index against its text (PRAGMA integrity_check
 * does not look into FTS5 tables before SQLite 3.44), and whether it is in
 * step with the store; how many problems were added to report. */
size_t
store_search_check(struct store *st, struct strbuf *report)
{
	char *err = NULL;
	size_t bad = 0;
	int ok;

	if (exec_sql(st, "INSERT INTO search.search_index (search_index) VALUES"
		     " ('integrity-check')", "FTS5 integrity check", &err) < 0) {
		strbuf_addf(report, "FAIL search index %s\n", err);
		free(err);
		err = NULL;
		bad++;
	}
	if ((ok = in_step(st, &err)) <= 0) {
		strbuf_addf(report, "FAIL search index %s: %s\n", st->search_path,
			    ok < 0 ? err : "not in step with the store; it is built anew at the "
			    "next open");
		free(err);
		bad++;
	}
	return bad;
}

int
store_search_usable(struct store *st, char **err)
{
	if (st->search_ready)
		return 0;
	err_set(err, "%s", st->search_error != NULL ? st->search_error
						    : "the search index is not open");
	return -1;
}
