#ifndef FURIKAERI_STORE_PRIVATE_H
#define FURIKAERI_STORE_PRIVATE_H

#include <sqlite3.h>

#include "furikaeri/store.h"

/* Shared between the store's own files only; SQLite does not leave them. */

struct store {
	sqlite3 *db;
	char *path;
	int version_at_open;
	int tx_depth;
};

extern const char *const store_migrations[];
extern const int store_n_migrations;

/* Prepares sql (a prepared statement is cached per call site by the
 * caller if it wants); on failure fills *err naming the database. */
sqlite3_stmt *store_prepare(struct store *st, const char *sql, char **err);
/* Fills *err with SQLite's message for the database, prefixed by what. */
void store_fail(struct store *st, char **err, const char *what);
/* Runs the post-migration hook for version v (fills derived tables). */
int store_after_migration(struct store *st, int version, char **err);
/* Current UTC time as ISO 8601 ("2026-12-01T03:08:20Z"); owned. */
char *store_now(void);

#endif
