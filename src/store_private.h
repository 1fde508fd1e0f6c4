#ifndef FURIKAERI_STORE_PRIVATE_H
#define FURIKAERI_STORE_PRIVATE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "furikaeri/store.h"
#include "furikaeri/store_delivery.h"

struct strbuf;

/* Shared between the store's own files only; SQLite does not leave them. */

struct store_cached_stmt {
	const char *sql;
	sqlite3_stmt *stmt;
};

/* A change to the search index, held until the transaction commits: FTS5
 * flushes its pending terms at every savepoint, so writing the index file
 * by file would rewrite it over and over during an import. */
struct store_index_op {
	char *kind;
	char *ref;
	char *title;
	char *original;		/* NULL: remove the row */
};

struct store {
	sqlite3 *db;
	char *path;
	bool counted;		/* in store.c's list of open files, as dev and ino */
	dev_t dev;
	ino_t ino;
	int version_at_open;
	int tx_depth;
	struct store_index_op *pending;	/* index changes of the open transaction */
	size_t n_pending;
	size_t *marks;		/* n_pending when each nesting level began */
	char *search_path;	/* the search index's file (store_search_file.c) */
	bool search_ready;	/* attached as "search" and in step with the store */
	char *search_error;	/* why not, for store_search */
	bool search_counted;	/* in store.c's list of open files */
	dev_t search_dev;
	ino_t search_ino;
	int search_rebuilt;	/* how many times this connection built it anew */
	bool mapped;		/* searches read the file through mmap */
	bool ranked;		/* fk_rank is registered (store_rank_register) */
	fts5_api *fts5;		/* the connection's FTS5 API, once asked for */
	struct store_cached_stmt *cache;	/* prepared once, finalized by store_free */
	size_t n_cache;
};

extern const char *const store_migrations[];
extern const int store_n_migrations;

/* Prepares sql (a prepared statement is cached per call site by the
 * caller if it wants); on failure fills *err naming the database. */
sqlite3_stmt *store_prepare(struct store *st, const char *sql, char **err);
/* The cached statement for sql (a string literal: the cache keys on it),
 * reset with its bindings cleared; borrowed. The caller resets it after use
 * so that no read transaction stays open. */
sqlite3_stmt *store_stmt(struct store *st, const char *sql, char **err);
/* Binds s as text, or NULL when s is NULL; the string must outlive the step. */
void store_bind_text(sqlite3_stmt *stmt, int index, const char *s);
/* A copy of column i as a string (owned), NULL for SQL NULL. */
char *store_column_dup(sqlite3_stmt *stmt, int i);
/* Steps stmt (bound, or NULL when its preparation failed: -1) to its end
 * and finalizes it: the first column of each row into *out, a
 * NULL-terminated list (owned; an empty one when there is none or on
 * failure). */
int store_step_strings(struct store *st, sqlite3_stmt *stmt, char ***out, const char *what,
		       char **err);
/* SQL names a delivery state (deliver.h) only through these parameters,
 * which store_prepare_states binds to deliver_state_name: parameter
 * STORE_STATE_PARAM + the state. Numbered, not named: SQLite numbers a
 * named parameter one above the highest before it, so ":queued" after
 * "?2" would be ?3 and take whatever ?3 is bound to. */
#define STORE_STATE_PARAM 101
#define STORE_QUEUED "?101"
#define STORE_CLAIMED "?102"
#define STORE_UNKNOWN "?103"
#define STORE_DELIVERED "?104"
#define STORE_REFUSED "?105"
#define STORE_FAILED "?106"
/* store_prepare with the state parameters bound (an uncached statement). */
sqlite3_stmt *store_prepare_states(struct store *st, const char *sql, char **err);
/* A line of history for a move of a delivery row to state (inside the
 * move's transaction). */
int store_delivery_add_history(struct store *st, enum store_delivery table, long long id,
			       const char *now, enum deliver_state state, const char *note,
			       char **err);

/* What every delivery table's move sets (state, updated_at, last_error,
 * attempts, and claimed_by and lease_until when claiming, cleared
 * otherwise) and its guard: the row as seen was read (a claim, a takeover:
 * state, owner, lease, and next_attempt_at where the table has one) or,
 * seen NULL, the row claimed by owner. */
struct store_delivery_move {
	long long id;
	enum deliver_state to;
	const char *now;
	const char *error;
	bool sent;		/* attempts + 1 */
	const char *owner;
	const char *lease_until;
	const struct deliver_row_times *seen;	/* NULL: guarded by owner */
	const char *note;	/* the line of history; NULL: the state's name */
};
/* One guarded move of a row of table with its line of history, in one
 * transaction. extra_set (", col = ?12 ...") sets the table's own columns,
 * from parameter 12 on, bound by bind_extra(stmt, ctx). *changed says
 * whether the guard held. */
int store_delivery_move(struct store *st, enum store_delivery table,
			const struct store_delivery_move *mv, const char *extra_set,
			void (*bind_extra)(sqlite3_stmt *stmt, const void *ctx), const void *ctx,
			bool *changed, char **err);

/* Inserts a chat post (queued) with its first line of history inside the
 * caller's transaction; fills p->id. */
struct store_chat_post;
int store_chat_insert(struct store *st, struct store_chat_post *p, const char *now, char **err);

/* The ticket state a person sees (store_outbox_state_word) from a column
 * holding an outbox row's state, else the one minutes recorded (column
 * recorded); owned, NULL when neither. */
char *store_outbox_column_word(sqlite3_stmt *stmt, int outbox_state, int recorded);
/* Steps a cached statement (store_stmt) once and resets it; fills *err
 * with what when it fails. */
int store_step_cached(struct store *st, sqlite3_stmt *stmt, const char *what, char **err);
/* Steps a statement that returns no rows and finalizes it (not for cached
 * statements); fills *err with what when it fails. */
int store_step_done(struct store *st, sqlite3_stmt *stmt, const char *what, char **err);
/* Fills *err with SQLite's message for the database, prefixed by what. */
void store_fail(struct store *st, char **err, const char *what);
/* Counts one more (delta 1) or one less (-1) connection of this process
 * to the file dev/ino; returns how many there were before. */
int store_open_count(dev_t dev, ino_t ino, int delta);
/* 0 when the file at path is empty, missing or starts as an SQLite file
 * does; else -1 with a message that ends in advice. */
int store_check_header(const char *path, const char *advice, char **err);
/* Switches the attached database schema ("main", "search") to WAL,
 * waiting as an open waits for another furikaeri upgrading it. */
int store_wal_mode(struct store *st, const char *schema, char **err);
/* The search index's file for the store at db_path: its real path with
 * ".search" appended; owned. */
char *store_search_file_path(const char *db_path);
/* Attaches the search index's file and builds it anew when it is not in
 * step; a failure is kept for store_search_usable, not returned. */
void store_search_open(struct store *st);
void store_search_close(struct store *st);
/* Checks the index (store_check); how many problems it added to report. */
size_t store_search_check(struct store *st, struct strbuf *report);
/* 0 when the index can be searched, else -1 saying why (err may be NULL). */
int store_search_usable(struct store *st, char **err);
/* Inside a write transaction, at its commit: writes the held index
 * changes (changed) and moves the generation on in both files, or builds
 * the index anew when it was not in step. */
int store_search_sync(struct store *st, bool changed, char **err);
/* Writes the held index changes (store_search_sync). */
int store_search_write_held(struct store *st, char **err);
/* Indexes every postmortem and minutes entry of the store. */
int store_search_index_everything(struct store *st, char **err);
/* Runs the post-migration hook for version v (fills derived tables). */
int store_after_migration(struct store *st, int version, char **err);
/* Brings the search index up to date for one postmortem (after a put) or
 * removes it (pm NULL); runs inside the caller's transaction. */
int store_search_index_postmortem(struct store *st, const char *id,
				  const struct postmortem *pm, char **err);
/* Indexes one minutes entry, or removes it from the index when it is gone
 * or deleted; the meeting code calls it after every change to an entry. */
int store_search_index_minute(struct store *st, long long minute_id, char **err);
/* Writes the held index changes (store_commit calls it before COMMIT). */
int store_search_flush(struct store *st, char **err);
/* Drops the held index changes after the first keep (a rollback). */
void store_search_discard(struct store *st, size_t keep);
/* The connection's FTS5 API (owned by SQLite), or NULL without FTS5. */
fts5_api *store_fts5(struct store *st);
/* Registers the "furikaeri" tokenizer that the search index is declared
 * with (store_tokenize.c); store_open calls it before the index is used. */
int store_tokenizer_register(struct store *st, char **err);
/* Han, Hiragana and Katakana: what the tokenizer reads as bigrams. */
bool store_is_cjk(uint32_t cp);
/* Full-width letters and digits (ＡＰＩ, ５００) as ASCII; cp otherwise. */
uint32_t store_fold_width(uint32_t cp);
/* One match of a search. */
struct store_hit {
	sqlite3_int64 rowid;	/* of search_index and search_source */
	double score;		/* lower is better */
	bool in_text;		/* may have matched the text, not only the title */
};

/* The best matches of a search, as fk_collect gathers them. */
struct store_rank_top {
	size_t limit;		/* how many to keep */
	struct store_hit *hits;	/* owned; best first after store_rank_top_sort */
	size_t n, cap;
	size_t total;		/* how many matched */
};

/* The type name of a struct store_rank_top bound for fk_collect. */
#define STORE_RANK_TOP_TYPE "furikaeri-rank-top"

/* Puts the collected hits in order, best first. */
void store_rank_top_sort(struct store_rank_top *top);
/* Registers fk_collect, the search's ranking function, on the connection
 * (once). */
int store_rank_register(struct store *st, char **err);
/* The token the index keeps for word ("retries" -> "retri"), folded, as
 * the search tokenizer makes it (store_tokenize.c); owned, NULL when word
 * has none. */
char *store_stem(struct store *st, const char *word);
/* Current UTC time as ISO 8601 ("2026-12-01T03:08:20Z"); owned. */
char *store_now(void);
/* Whether two measure titles are the same measure reworded: most of their
 * words shared (a Japanese title: most of its bytes). */
bool store_titles_close(const char *a, const char *b);

#endif
