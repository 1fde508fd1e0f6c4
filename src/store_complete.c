#include "config.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/date.h"
#include "furikaeri/err.h"
#include "furikaeri/store.h"
#include "furikaeri/xalloc.h"

/* The shell completes as the user types: the store is opened read-only
 * (never created, migrated or written, so a completion can never change
 * the team's record or wait on a meeting's write), and not for long. */
#define STORE_WORDS_BUSY_MS 200

static const char *const store_words_sql[] = {
	[STORE_WORDS_POSTMORTEMS] = "SELECT id FROM postmortems WHERE kind <> 'template'"
				    " ORDER BY date DESC, id",
	[STORE_WORDS_PEOPLE] = "SELECT name FROM people ORDER BY id",
	/* a meeting's week, or a postmortem's date (made a week below) */
	[STORE_WORDS_WEEKS] = "SELECT week FROM meetings UNION SELECT date FROM postmortems"
			      " WHERE date IS NOT NULL AND kind <> 'template'",
};

static int
cmp_desc(const void *a, const void *b)
{
	return strcmp(*(char *const *)b, *(char *const *)a);
}

int
store_words(const char *path, enum store_words kind, char ***words, size_t *n, char **err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	int rc;

	*words = NULL;
	*n = 0;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(db, STORE_WORDS_BUSY_MS) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, store_words_sql[kind], -1, &stmt, NULL) != SQLITE_OK) {
		err_set(err, "%s: cannot read it for completion: %s", path,
			db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -1;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(stmt, 0);
		char week[9];
		if (text == NULL)
			continue;
		if (kind == STORE_WORDS_WEEKS && strchr(text, 'W') == NULL) {
			if (date_iso_week(text, week) < 0)
				continue;
			text = week;
		}
		*words = xreallocarray(*words, *n + 1, sizeof(**words));
		(*words)[(*n)++] = xstrdup(text);
	}
	if (rc != SQLITE_DONE) {
		err_set(err, "%s: cannot read it for completion: %s", path, sqlite3_errmsg(db));
		sqlite3_finalize(stmt);
		sqlite3_close(db);
		store_ids_free(*words, *n);
		*words = NULL;
		*n = 0;
		return -1;
	}
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	if (kind == STORE_WORDS_WEEKS && *n > 0) {
		size_t kept = 1;
		qsort(*words, *n, sizeof(**words), cmp_desc);
		for (size_t i = 1; i < *n; i++) {
			if (strcmp((*words)[i], (*words)[kept - 1]) == 0)
				free((*words)[i]);
			else
				(*words)[kept++] = (*words)[i];
		}
		*n = kept;
	}
	return 0;
}
