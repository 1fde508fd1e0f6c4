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
/* Writes doc into the store in one transaction, replacing the meeting of
 * doc->week if there is one; people of the roster that are missing are
 * added in its order; measures are matched by marker, so importing again
 * never duplicates one; items may name postmortems this store does not
 * hold. Timestamps are kept as the doc has them. *replaced (may be NULL)
 * tells whether a meeting of that week existed. Nothing changes on
 * failure. */
int store_minutes_doc_save(struct store *st, const struct minutes_doc *doc, bool *replaced,
			   char **err);

#endif
