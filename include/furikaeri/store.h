#ifndef FURIKAERI_STORE_H
#define FURIKAERI_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "furikaeri/postmortem.h"

/* The store: one SQLite file, the only place that runs SQL. Every function
 * that can fail returns 0 / -1 and fills *err with a message naming the
 * database file and what to do. */

struct store;

/* Opens (creating if needed) the database at path: parent folder 0700, file
 * 0600, foreign keys on, WAL, migrated in place to the newest schema this
 * build knows (PRAGMA user_version, one per migration in store_schema.c). A
 * file made by a newer furikaeri is refused. Returns NULL on failure. */
struct store *store_open(const char *path, char **err);
void store_free(struct store *st);
/* Borrowed; the path given to store_open. */
const char *store_path(const struct store *st);
/* The schema version found in the file before any migration ran. */
int store_version_at_open(const struct store *st);

/* The integrity check of the store and of its search index, run with
 * furikaeri's own tokenizer and functions registered (`doctor --store`):
 * one line per finding, "ok   ..." or "FAIL ...", in *report (owned).
 * Returns how many problems were found. */
size_t store_check(struct store *st, char **report);

/* Whether a store of this process failed because its database could not
 * be used (locked by another program, disk full, read-only, damaged), so
 * that a command can exit with EXIT_STORE rather than EXIT_FAILED. */
bool store_unusable(void);
/* Caps what SQLite keeps in memory (page caches above all) across every
 * connection of the process at about kb kilobytes: a meeting reads much of
 * a large archive once and should not keep it. Call before store_open. */
void store_memory_limit(long kb);
/* The meeting's: its page caches (the screen's connection and the
 * workers') share this, whatever the archive's size. */
#define STORE_MEETING_MEMORY_KB 1024

int store_begin(struct store *st, char **err);
int store_commit(struct store *st, char **err);
void store_rollback(struct store *st);

/* The one batch rule of every import, files and tracker issues alike: one
 * transaction holds many items, each in a savepoint of its own (so a
 * failing item changes nothing), and is committed once it holds
 * STORE_BATCH_ITEMS items or has been open STORE_BATCH_MS, whichever comes
 * first, so another process (a meeting, `roster add`) never waits long for
 * the write lock. Nothing that waits on the network may happen while a
 * batch is open: the caller ends it first. */
#define STORE_BATCH_ITEMS 500
#define STORE_BATCH_MS 250

struct store_batch {
	struct store *st;
	bool open;
	size_t items;		/* begun in the open batch */
	long long opened_ms;	/* monotonic */
};

/* Whether the open batch is due to be committed (false when none is open). */
bool store_batch_due(const struct store_batch *b);
/* Begins one item: opens a batch when none is open, then the item's
 * savepoint, which the caller ends with store_commit or store_rollback.
 * A due batch is the caller's to end first (it counts what it commits). */
int store_batch_begin(struct store_batch *b, char **err);
/* Commits the open batch, if any; -1 with *err when the commit failed, and
 * then everything in the batch is lost. */
int store_batch_end(struct store_batch *b, char **err);

enum store_upsert_result {
	STORE_ADDED,
	STORE_UPDATED,
	STORE_UNCHANGED,
};

/* Inserts or updates a postmortem by pm->id (pm->hash decides "unchanged";
 * a file moved to a new path with the same id and content is updated).
 * Imported measures keep their ids across re-imports: matched by title,
 * then by ticket, then by a close title (a reworded measure); the ticket,
 * its URL and a "done" that filing or sync recorded stay unless the file
 * names a ticket of its own; an owner or due date set in a meeting stays
 * unless the file names one of its own. A template (pm->is_template) is stored as one:
 * listed only with store_filter.templates, never searched. Runs inside the caller's transaction if one is open. Fills the
 * measure ids in pm. */
int store_postmortem_put(struct store *st, struct postmortem *pm,
			 enum store_upsert_result *result, char **err);
/* Gives a postmortem a new id, keeping its measures (with their tickets),
 * the meetings that discussed it and its history; the caller then stores
 * the file's content under new_id. */
int store_postmortem_rename(struct store *st, const char *old_id, const char *new_id,
			    char **err);
/* Deletes a postmortem with its sections and measures and takes it out of
 * the search index; deleting an unknown id is not an error. */
int store_postmortem_delete(struct store *st, const char *id, char **err);
/* Finds the id of the postmortem imported from this source path, if any
 * (owned, NULL when none). */
char *store_postmortem_id_for_source(struct store *st, const char *source, char **err);
/* What the store knows of a source path: the id and content hash of the
 * postmortem imported from it (both owned; NULL when none). */
int store_source_lookup(struct store *st, const char *source, char **id, char **hash,
			char **err);
/* The ids and titles of the postmortems imported from one source path (a
 * JSON array holds several), in id order; ids[i] and titles[i] owned, free
 * both with store_ids_free. */
int store_source_postmortems(struct store *st, const char *source, char ***ids,
			     char ***titles, size_t *n, char **err);
void store_ids_free(char **ids, size_t n);
/* A postmortem imported from a file (its source is a path, not a URL). */
struct store_file_pm {
	char *id;
	char *source;
	char *hash;
	char *title;
	char *date;
	bool retired;
};

/* Every postmortem and template imported from a file, retired ones too
 * (owned; free with store_file_pms_free). */
int store_file_postmortems(struct store *st, struct store_file_pm **out, size_t *n, char **err);
void store_file_pms_free(struct store_file_pm *pms, size_t n);
/* Retires a postmortem whose file is gone: off every agenda, list and
 * measure listing, kept with its history; importing its file again (at
 * its path, or moved) restores it. *changed is false when it was retired
 * already. */
int store_postmortem_retire(struct store *st, const char *id, bool *changed, char **err);
/* The source path of a postmortem id (owned; NULL when no such id). */
int store_id_source(struct store *st, const char *id, char **source, char **err);
/* Loads a postmortem with its sections and measures (owned), or NULL with
 * *err unset when there is none, or NULL with *err set on failure. */
struct postmortem *store_postmortem_get(struct store *st, const char *id, char **err);

struct store_filter {
	const char *since;	/* YYYY-MM-DD: incident date on or after */
	const char *until;	/* YYYY-MM-DD: incident date on or before */
	bool templates;		/* list the templates instead of the postmortems */
};

/* One row of a listing or a search. */
struct store_row {
	char *id;
	char *title;
	char *date;
	char *severity;
	char *status;
	char *snippet;		/* search only: matching text, sanitised */
	char *match;		/* search only: "postmortem" or "minutes YYYY-Www" */
	/* In a search, a minutes entry of an item with no postmortem has id ""
	 * and the item's title; every string of a row is owned by the rows. */
};

struct store_rows {
	struct store_row *rows;
	size_t n;
	size_t total;		/* search: how many matched, n of them kept */
};

void store_rows_free(struct store_rows *rows);
/* Postmortems by date, newest first (undated last). */
int store_postmortem_list(struct store *st, const struct store_filter *filter,
			  struct store_rows *out, char **err);
/* Full-text search over postmortems and minutes, best first, at most limit
 * rows (0: all). English words in any of their forms, and
 * Japanese text, including one- and two-character Japanese queries; every
 * word must match; a word typed with a trailing '*' matches as a prefix.
 * out->total says how many matched. A query with nothing to search for is
 * an error. */
int store_search(struct store *st, const char *query, size_t limit,
		 struct store_rows *out, char **err);


/* What the shell completes, from the database at path opened read-only
 * (never created, migrated or written): postmortem ids newest first,
 * people in roster order, or the weeks of meetings and of postmortems
 * newest first. *words (owned; store_ids_free) has *n entries. */
enum store_words {
	STORE_WORDS_POSTMORTEMS,
	STORE_WORDS_PEOPLE,
	STORE_WORDS_WEEKS,
};
int store_words(const char *path, enum store_words kind, char ***words, size_t *n, char **err);

#endif
