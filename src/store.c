#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "furikaeri/deliver.h"
#include "furikaeri/err.h"
#include "furikaeri/log.h"
#include "furikaeri/paths.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"
#include "store_private.h"

/* How long opening waits for a lock another furikaeri holds (ms), and how
 * long any later statement waits. */
#define STORE_OPEN_BUSY_MS 60000
#define STORE_BUSY_MS 2000

static bool store_unusable_seen;

/* PRAGMA application_id of furikaeri's databases ("fkri"). */
#define STORE_APPLICATION_ID 0x666b7269

/* Tables every furikaeri schema since version 1 has: a file holding them
 * and no application id is furikaeri's, from before the id was stamped. */
static const char *const store_own_tables[] = {
	"postmortems", "sections", "measures", "people", "meetings", "agenda_items",
	"minutes", "ticket_outbox",
};

/* What to do about the database's last failure; notes the failures that
 * mean the file cannot be used at all, for store_unusable. */
static const char *
store_advice(struct store *st)
{
	const char *advice = "";

	switch (sqlite3_errcode(st->db) & 0xff) {
	case SQLITE_FULL:
		advice = "; free some disk space and try again";
		break;
	case SQLITE_READONLY:
		advice = "; make the file and its folder writable and try again";
		break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		advice = "; another program is using it: try again when it is done";
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		advice = "; the file is damaged: restore it from a backup";
		break;
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
		break;
	default:
		return advice;
	}
	store_unusable_seen = true;
	return advice;
}

bool
store_unusable(void)
{
	return store_unusable_seen;
}

void
store_fail(struct store *st, char **err, const char *what)
{
	const char *advice = store_advice(st);

	err_set(err, "%s: %s: %s%s", st->path, what, sqlite3_errmsg(st->db), advice);
}

sqlite3_stmt *
store_prepare(struct store *st, const char *sql, char **err)
{
	sqlite3_stmt *stmt = NULL;

	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		store_fail(st, err, "cannot prepare a query");
		return NULL;
	}
	return stmt;
}

sqlite3_stmt *
store_prepare_states(struct store *st, const char *sql, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st, sql, err);
	int n = stmt != NULL ? sqlite3_bind_parameter_count(stmt) : 0;

	for (int i = 0; i < DELIVER_N_STATES && STORE_STATE_PARAM + i <= n; i++)
		sqlite3_bind_text(stmt, STORE_STATE_PARAM + i,
				  deliver_state_name((enum deliver_state)i), -1, SQLITE_STATIC);
	return stmt;
}

sqlite3_stmt *
store_stmt(struct store *st, const char *sql, char **err)
{
	for (size_t i = 0; i < st->n_cache; i++) {
		if (st->cache[i].sql == sql) {
			sqlite3_reset(st->cache[i].stmt);
			sqlite3_clear_bindings(st->cache[i].stmt);
			return st->cache[i].stmt;
		}
	}
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) !=
	    SQLITE_OK) {
		store_fail(st, err, "cannot prepare a query");
		return NULL;
	}
	st->cache = xreallocarray(st->cache, st->n_cache + 1, sizeof(*st->cache));
	st->cache[st->n_cache++] = (struct store_cached_stmt){ .sql = sql, .stmt = stmt };
	return stmt;
}

void
store_bind_text(sqlite3_stmt *stmt, int index, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(stmt, index);
	else
		sqlite3_bind_text(stmt, index, s, -1, SQLITE_STATIC);
}

int
store_step_cached(struct store *st, sqlite3_stmt *stmt, const char *what, char **err)
{
	int rc = sqlite3_step(stmt);

	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_fail(st, err, what);
		return -1;
	}
	return 0;
}

int
store_step_done(struct store *st, sqlite3_stmt *stmt, const char *what, char **err)
{
	int rc = sqlite3_step(stmt);

	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, err, what);
		return -1;
	}
	return 0;
}

int
store_step_strings(struct store *st, sqlite3_stmt *stmt, char ***out, const char *what,
		   char **err)
{
	size_t n = 0;
	int rc;

	*out = xcalloc(1, sizeof(char *));
	if (stmt == NULL)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*out = xreallocarray(*out, n + 2, sizeof(char *));
		(*out)[n++] = store_column_dup(stmt, 0);
		(*out)[n] = NULL;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, err, what);
		return -1;
	}
	return 0;
}

char *
store_column_dup(sqlite3_stmt *stmt, int i)
{
	const unsigned char *s = sqlite3_column_text(stmt, i);

	return s == NULL ? NULL : xstrdup((const char *)s);
}

char *
store_now(void)
{
	char buf[32];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}

static int
exec(struct store *st, const char *sql, const char *what, char **err)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		const char *advice = store_advice(st);

		err_set(err, "%s: %s: %s%s", st->path, what, msg ? msg : sqlite3_errmsg(st->db),
			advice);
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* A refusal before anything was written: the file is left as it was. */
static void
refuse(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
refuse(char **err, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	err_set(err, "%s", msg != NULL ? msg : "the database was refused");
	free(msg);
	store_unusable_seen = true;
}

/* A file that is not empty and does not start with SQLite's header is not
 * handed to SQLite at all. */
int
store_check_header(const char *path, const char *advice, char **err)
{
	static const char magic[16] = "SQLite format 3";
	char head[16];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;	/* store_open's own open says why */
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n == 0)
		return 0;
	if (n < (ssize_t)sizeof(head) || memcmp(head, magic, sizeof(magic)) != 0) {
		refuse(err, "%s is not a database (it does not start as an SQLite file does); "
		       "nothing was written to it: %s", path, advice);
		return -1;
	}
	return 0;
}

/* The one message for a file SQLite cannot read. */
static void
refuse_damaged(struct store *st, char **err)
{
	int code = sqlite3_errcode(st->db) & 0xff;

	if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
		refuse(err, "%s is damaged (%s); nothing was written to it: restore it from a "
		       "backup, or give another database with --db", st->path,
		       sqlite3_errmsg(st->db));
	else
		store_fail(st, err, "cannot read the database");
}

/* Decides whether the file is furikaeri's before anything writes to it:
 * its application id is furikaeri's; or it has none and holds no tables
 * (new or empty) or furikaeri's tables (schema 1-4, from before the id),
 * and then *stamp asks for the id to be written with the schema upgrade.
 * Anything else is another program's, refused and left alone. */
static int
check_owner(struct store *st, bool *stamp, char **err)
{
	sqlite3_stmt *stmt = NULL;
	struct strbuf names = STRBUF_INIT;
	size_t n_tables = 0, n_own = 0;
	long long id;
	int rc;

	*stamp = false;
	if (sqlite3_prepare_v2(st->db, "PRAGMA application_id", -1, &stmt, NULL) != SQLITE_OK ||
	    sqlite3_step(stmt) != SQLITE_ROW) {
		refuse_damaged(st, err);
		sqlite3_finalize(stmt);
		return -1;
	}
	id = sqlite3_column_int64(stmt, 0) & 0xffffffffLL;
	sqlite3_finalize(stmt);
	if (id == STORE_APPLICATION_ID)
		return 0;
	if (id != 0) {
		refuse(err, "%s belongs to another program (SQLite application id 0x%08llx); "
		       "nothing was written to it: give furikaeri's database with --db or "
		       "FURIKAERI_DB", st->path, id);
		return -1;
	}
	if (sqlite3_prepare_v2(st->db,
			       "SELECT name FROM sqlite_schema WHERE type = 'table' AND "
			       "name NOT LIKE 'sqlite_%' ORDER BY name", -1, &stmt, NULL) != SQLITE_OK) {
		refuse_damaged(st, err);
		return -1;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(stmt, 0);

		for (size_t i = 0; i < sizeof(store_own_tables) / sizeof(store_own_tables[0]); i++)
			if (name != NULL && strcmp(name, store_own_tables[i]) == 0)
				n_own++;
		if (n_tables < 3)
			strbuf_addf(&names, "%s%s", n_tables > 0 ? ", " : "", name ? name : "");
		n_tables++;
	}
	if (rc != SQLITE_DONE) {
		refuse_damaged(st, err);
		sqlite3_finalize(stmt);
		strbuf_release(&names);
		return -1;
	}
	sqlite3_finalize(stmt);
	if (n_tables > 0 && n_own < sizeof(store_own_tables) / sizeof(store_own_tables[0])) {
		refuse(err, "%s is another program's SQLite database (its tables: %s%s); nothing "
		       "was written to it: give furikaeri's database with --db or FURIKAERI_DB",
		       st->path, strbuf_str(&names), n_tables > 3 ? ", ..." : "");
		strbuf_release(&names);
		return -1;
	}
	strbuf_release(&names);
	*stamp = true;
	return 0;
}

static int
user_version(struct store *st, int *version, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st, "PRAGMA user_version", err);

	if (stmt == NULL)
		return -1;
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		store_fail(st, err, "cannot read the schema version");
		sqlite3_finalize(stmt);
		return -1;
	}
	*version = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return 0;
}

/* Each step runs in its own transaction together with the version bump, so
 * an interrupted upgrade leaves the file at the last complete version. */
static int
migrate(struct store *st, bool stamp, char **err)
{
	char stamp_sql[64];
	int version;

	if (user_version(st, &version, err) < 0)
		return -1;
	st->version_at_open = version;
	if (version > store_n_migrations) {
		err_set(err, "%s: the database has schema version %d, but this furikaeri knows "
			"only up to %d; use a newer furikaeri or another --db",
			st->path, version, store_n_migrations);
		return -1;
	}
	for (int v = version; v < store_n_migrations; v++) {
		char bump[96];
		int now_at;

		if (exec(st, "BEGIN IMMEDIATE", "cannot start the schema upgrade", err) < 0)
			return -1;
		/* Another furikaeri may have upgraded the file while this one
		 * waited for the write lock: the version read before the lock is
		 * stale, and a step run twice fails (a table that exists) or
		 * worse. Read it again under the lock. */
		if (user_version(st, &now_at, err) < 0) {
			exec(st, "ROLLBACK", "rollback", NULL);
			return -1;
		}
		if (now_at != v) {
			exec(st, "ROLLBACK", "rollback", NULL);
			if (now_at > store_n_migrations) {
				err_set(err, "%s: another furikaeri upgraded the database to schema "
					"version %d, but this one knows only up to %d; use a newer "
					"furikaeri", st->path, now_at, store_n_migrations);
				return -1;
			}
			v = now_at - 1;
			continue;
		}
		snprintf(bump, sizeof(bump), "PRAGMA user_version = %d; PRAGMA application_id = %d",
			 v + 1, STORE_APPLICATION_ID);
		if (exec(st, store_migrations[v], "cannot upgrade the schema", err) < 0 ||
		    store_after_migration(st, v + 1, err) < 0 ||
		    exec(st, bump, "cannot record the schema version", err) < 0) {
			exec(st, "ROLLBACK", "rollback", NULL);
			return -1;
		}
		if (exec(st, "COMMIT", "cannot commit the schema upgrade", err) < 0)
			return -1;
		stamp = false;
	}
	/* An up-to-date file from before the id is stamped when it can be: a
	 * read-only or busy one is still read, and stamped on a later open
	 * (its tables say whose it is meanwhile). */
	snprintf(stamp_sql, sizeof(stamp_sql), "PRAGMA application_id = %d", STORE_APPLICATION_ID);
	/* the stamp is not worth waiting for as an upgrade is */
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	if (stamp && sqlite3_exec(st->db, stamp_sql, NULL, NULL, NULL) != SQLITE_OK)
		log_debug("%s: the application id was not recorded: %s", st->path,
			  sqlite3_errmsg(st->db));
	return 0;
}

/* The database files this process has open. Closing any descriptor of a
 * file drops every POSIX lock the process holds on it, SQLite's too: a
 * second connection (a worker's) must not open() and close() the file
 * while the first holds locks, or another process may checkpoint and
 * remove the WAL under it and what it writes next is lost. */
static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;
static struct open_file {
	dev_t dev;
	ino_t ino;
	int count;
} *open_files;
static size_t n_open_files;

/* Counts one more (delta 1) or one less (-1) connection to the file;
 * returns how many there were before. */
int
store_open_count(dev_t dev, ino_t ino, int delta)
{
	int was = 0;

	pthread_mutex_lock(&open_lock);
	size_t i;
	for (i = 0; i < n_open_files; i++)
		if (open_files[i].dev == dev && open_files[i].ino == ino)
			break;
	if (i < n_open_files)
		was = open_files[i].count;
	if (delta > 0 && i == n_open_files) {
		open_files = xreallocarray(open_files, n_open_files + 1, sizeof(*open_files));
		open_files[n_open_files++] = (struct open_file){ .dev = dev, .ino = ino };
	}
	if (i < n_open_files && delta != 0) {
		open_files[i].count += delta;
		if (open_files[i].count <= 0) {
			open_files[i] = open_files[--n_open_files];
			if (n_open_files == 0) {
				free(open_files);
				open_files = NULL;
			}
		}
	}
	pthread_mutex_unlock(&open_lock);
	return was;
}

/* Switches the file to WAL. A connection that read the file while another
 * took it to upgrade it gets SQLITE_BUSY at once, with no wait (SQLite's
 * answer to a lock it could deadlock on): read again after a moment, when
 * the other one's transaction is over, for as long as an open waits. */
int
store_wal_mode(struct store *st, const char *schema, char **err)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA %s.journal_mode = WAL", schema);
	for (int waited = 0;; waited += 50) {
		int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
		struct timespec ts = { 0, 50 * 1000000L };

		if (rc == SQLITE_OK)
			return 0;
		if ((rc & 0xff) != SQLITE_BUSY || waited >= STORE_OPEN_BUSY_MS)
			return exec(st, sql, "cannot read the database", err);
		nanosleep(&ts, NULL);
	}
}

struct store *
store_open(const char *path, char **err)
{
	struct store *st = xcalloc(1, sizeof(*st));
	bool stamp;
	int fd;

	st->path = xstrdup(path);
	if (paths_make_parent(path, err) < 0)
		goto fail;
	struct stat sb;
	if (stat(path, &sb) == 0 && store_open_count(sb.st_dev, sb.st_ino, 0) > 0) {
		/* open here already, and checked then: no open() and close() */
	} else {
		/* Create the file ourselves so that it is 0600 from the first byte. */
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0) {
			err_set(err, "%s: cannot open the database: %s; check the path and its "
				"permissions, or choose another with --db", path, strerror(errno));
			goto fail;
		}
		close(fd);
		if (store_check_header(path, "give furikaeri's database with --db or FURIKAERI_DB",
				       err) < 0)
			goto fail;
	}
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		store_fail(st, err, "cannot open the database");
		goto fail;
	}
	if (stat(path, &sb) == 0) {
		st->dev = sb.st_dev;
		st->ino = sb.st_ino;
		st->counted = true;
		store_open_count(st->dev, st->ino, 1);
	}
	sqlite3_extended_result_codes(st->db, 1);
	/* Opening waits for another furikaeri that is upgrading the file (the
	 * switch to WAL and each migration take the write lock, and a large
	 * archive's upgrade takes longer than a busy moment); once open, a
	 * busy database answers within two seconds. */
	sqlite3_busy_timeout(st->db, STORE_OPEN_BUSY_MS);
	if (check_owner(st, &stamp, err) < 0)
		goto fail;
	if (exec(st, "PRAGMA foreign_keys = ON", "cannot enable foreign keys", err) < 0)
		goto fail;
	if (store_wal_mode(st, "main", err) < 0)
		goto fail;
	if (exec(st, "PRAGMA synchronous = NORMAL", "cannot set durability", err) < 0)
		goto fail;
	if (store_tokenizer_register(st, err) < 0 || migrate(st, stamp, err) < 0)
		goto fail;
	/* the index is not worth waiting for as an upgrade is: when another
	 * program holds the store, this one opens without search */
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	store_search_open(st);
	return st;
fail:
	store_free(st);
	return NULL;
}

void
store_free(struct store *st)
{
	if (st == NULL)
		return;
	store_search_discard(st, 0);
	free(st->marks);
	for (size_t i = 0; i < st->n_cache; i++)
		sqlite3_finalize(st->cache[i].stmt);
	free(st->cache);
	if (st->db != NULL)
		sqlite3_close_v2(st->db);
	if (st->counted)
		store_open_count(st->dev, st->ino, -1);
	store_search_close(st);
	free(st->path);
	free(st);
}

const char *
store_path(const struct store *st)
{
	return st->path;
}

int
store_version_at_open(const struct store *st)
{
	return st->version_at_open;
}

void
store_memory_limit(long kb)
{
	sqlite3_soft_heap_limit64((sqlite3_int64)kb * 1024);
}

/* Transactions nest: the outermost is BEGIN IMMEDIATE, inner ones are
 * savepoints, so an inner failure undoes only its own part (one file of an
 * import, one entry of a meeting) and the outer transaction goes on. */
int
store_begin(struct store *st, char **err)
{
	char sql[32];

	if (st->tx_depth == 0) {
		if (exec(st, "BEGIN IMMEDIATE", "cannot start a transaction", err) < 0)
			return -1;
	} else {
		snprintf(sql, sizeof(sql), "SAVEPOINT fk%d", st->tx_depth);
		if (exec(st, sql, "cannot start a transaction", err) < 0)
			return -1;
	}
	st->marks = xreallocarray(st->marks, (size_t)st->tx_depth + 1, sizeof(size_t));
	st->marks[st->tx_depth] = st->n_pending;
	st->tx_depth++;
	return 0;
}

int
store_commit(struct store *st, char **err)
{
	char sql[32];

	if (st->tx_depth == 0)
		return 0;
	st->tx_depth--;
	if (st->tx_depth > 0) {
		snprintf(sql, sizeof(sql), "RELEASE fk%d", st->tx_depth);
		if (exec(st, sql, "cannot commit", err) < 0) {
			st->tx_depth++;
			store_rollback(st);
			return -1;
		}
		return 0;
	}
	if (store_search_flush(st, err) < 0 || exec(st, "COMMIT", "cannot commit", err) < 0) {
		exec(st, "ROLLBACK", "rollback", NULL);
		store_search_discard(st, 0);
		return -1;
	}
	return 0;
}

void
store_rollback(struct store *st)
{
	char sql[64];

	if (st->tx_depth == 0)
		return;
	st->tx_depth--;
	store_search_discard(st, st->marks[st->tx_depth]);
	if (st->tx_depth == 0) {
		exec(st, "ROLLBACK", "rollback", NULL);
		return;
	}
	snprintf(sql, sizeof(sql), "ROLLBACK TO fk%d; RELEASE fk%d", st->tx_depth, st->tx_depth);
	exec(st, sql, "rollback", NULL);
}

static long long
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

bool
store_batch_due(const struct store_batch *b)
{
	return b->open && (b->items >= STORE_BATCH_ITEMS ||
			   monotonic_ms() - b->opened_ms >= STORE_BATCH_MS);
}

int
store_batch_begin(struct store_batch *b, char **err)
{
	if (!b->open) {
		if (store_begin(b->st, err) < 0)
			return -1;
		b->open = true;
		b->items = 0;
		b->opened_ms = monotonic_ms();
	}
	if (store_begin(b->st, err) < 0)
		return -1;
	b->items++;
	return 0;
}

int
store_batch_end(struct store_batch *b, char **err)
{
	if (!b->open)
		return 0;
	b->open = false;
	b->items = 0;
	return store_commit(b->st, err);
}
