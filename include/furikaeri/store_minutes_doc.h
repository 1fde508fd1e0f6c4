#ifndef FURIKAERI_STORE_MINUTES_DOC_H
#define FURIKAERI_STORE_MINUTES_DOC_H

#include <stdbool.h>

#include "furikaeri/minutes.h"
#include "furikaeri/store.h"

/* The store's side of exported minutes: one week's meeting read into a
 * minutes_doc, and a doc (read from another machine's export) written
 * back. */

/* The whole record of a week's meeting (owned; free with
 * minutes_doc_free): attendees, agenda, every entry with edits and
 * deletions, each action's measure and ticket, the roster and the
 * rotation's proposal for the next week. NULL with *err when there is no
 * meeting that week or the store fails. */
struct minutes_doc *store_minutes_doc_load(struct store *st, const char *week, char **err);
/* Writes doc into the store in one transaction. A week this store has no
 * meeting of takes the doc as it is. Else the doc is merged into the
 * meeting entry by entry, each known by its identity
 * (minutes_entry_identity): entries the store lacks are added, entries the
 * doc lacks stay, an entry both have keeps the newer side, and the
 * meeting's chat posts and pulled replies are never touched; when both
 * edited an entry and the doc's version is older, nothing is written and
 * *err says what would be lost, unless replace takes the doc's version.
 * People of the roster that are missing are added in its order; measures
 * are matched by marker, so importing again never duplicates one, and a
 * value the store holds is never emptied; items may name postmortems this
 * store does not hold. Timestamps are kept as the doc has them. *result
 * says whether the meeting was added, updated or unchanged. */
int store_minutes_doc_save(struct store *st, const struct minutes_doc *doc, bool replace,
			   enum store_upsert_result *result, char **err);

#endif
