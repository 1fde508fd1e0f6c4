#ifndef FURIKAERI_EXPORT_JSON_H
#define FURIKAERI_EXPORT_JSON_H

#include "furikaeri/postmortem.h"
#include "furikaeri/store.h"

/* JSON for scripts: stable field names and order, UTF-8 as is, two-space
 * indentation, a final newline. Every returned string is owned. */

/* One postmortem in the format of furikaeri(5), which import reads back. */
char *export_json_postmortem(const struct postmortem *pm);
/* An array of {id, title, date, severity, status} (plus snippet and match
 * for search results when with_match). */
char *export_json_rows(const struct store_rows *rows, bool with_match);

#endif
