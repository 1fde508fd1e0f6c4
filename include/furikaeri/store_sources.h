#ifndef FURIKAERI_STORE_SOURCES_H
#define FURIKAERI_STORE_SOURCES_H

#include <stddef.h>

#include "furikaeri/store.h"

/* The store's side of postmortems imported from trackers: when each
 * source was last imported and which postmortems came from it. A source
 * is its spec as written ("github:acme/pay label=postmortem",
 * "jira:project = OPS"). Functions return 0 / -1 with *err. */

/* The time the last import of spec began (owned, "2026-12-01T09:00:00Z"),
 * or NULL when it was never imported. */
int store_source_since(struct store *st, const char *spec, char **last, char **err);
/* Records that an import of spec that began at `at` succeeded. */
int store_source_done(struct store *st, const char *spec, const char *at, char **err);
/* Records that the postmortem id came from spec. */
int store_source_item_add(struct store *st, const char *spec, const char *id, char **err);
/* Forgets that id came from spec (it left the query and was reported). */
int store_source_item_remove(struct store *st, const char *spec, const char *id, char **err);
/* The ids of the postmortems spec brought, sorted (*ids and each id owned;
 * free with store_source_items_free). */
int store_source_items(struct store *st, const char *spec, char ***ids, size_t *n, char **err);
void store_source_items_free(char **ids, size_t n);
/* Records that the issue id of spec failed to import (why: the message
 * shown), so that later imports ask for it again. */
int store_source_wait(struct store *st, const char *spec, const char *id, const char *why,
		      char **err);
/* Forgets a waiting issue: it imported, or was reported gone. */
int store_source_unwait(struct store *st, const char *spec, const char *id, char **err);
/* The ids of spec's issues waiting to be asked for again, sorted (free
 * with store_source_items_free). */
int store_source_waiting(struct store *st, const char *spec, char ***ids, size_t *n,
			 char **err);

#endif
