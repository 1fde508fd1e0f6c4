#ifndef FURIKAERI_EXPORT_JSON_H
#define FURIKAERI_EXPORT_JSON_H

#include "furikaeri/minutes.h"
#include "furikaeri/postmortem.h"
#include "furikaeri/store.h"

/* JSON for scripts: stable field names and order, UTF-8 as is, two-space
 * indentation, a final newline. Every returned string is owned. */

/* One postmortem in the format of furikaeri(5), which import reads back. */
char *export_json_postmortem(const struct postmortem *pm);
/* An array of {id, title, date, severity, status} (plus snippet and match
 * for search results when with_match). */
char *export_json_rows(const struct store_rows *rows, bool with_match);
#define EXPORT_JSON_MINUTES_FORMAT "furikaeri-minutes"
#define EXPORT_JSON_MINUTES_VERSION 1

/* The minutes of one meeting in the format of furikaeri(5) ("format":
 * "furikaeri-minutes", "format_version": 1), which import reads back;
 * terminal control characters in the text are neutralised, all else is
 * kept byte for byte. */
char *export_json_minutes(const struct minutes_doc *doc);

#endif
