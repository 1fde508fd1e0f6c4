#ifndef FURIKAERI_EXPORT_JSON_H
#define FURIKAERI_EXPORT_JSON_H

#include "furikaeri/minutes.h"
#include "furikaeri/postmortem.h"
#include "furikaeri/store.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/store_stats.h"

/* JSON for scripts: stable field names and order, UTF-8 as is, two-space
 * indentation, a final newline. Every returned string is owned. */

/* One postmortem in the format of furikaeri(5), which import reads back. */
char *export_json_postmortem(const struct postmortem *pm);
/* An array of {id, title, date, severity, status} (plus snippet and match
 * for search results when with_match). */
char *export_json_rows(const struct store_rows *rows, bool with_match);
/* Prevention measures for `furikaeri actions --json`: an array of {id,
 * title, status, age_days, overdue, owner, due, ticket, ticket_url,
 * ticket_state, postmortem, postmortem_title, origin, agreed_at, done_at};
 * age and overdue count from today (YYYY-MM-DD). */
char *export_json_measures(const struct store_measures *m, const char *today);
/* Days from the date at the start of an ISO timestamp or date to today
 * (YYYY-MM-DD), or -1 when either is not a date. */
long export_json_age_days(const char *since, const char *today);

/* `furikaeri stats --json`: {since, postmortems_per_week: [{week, count}],
 * severity: [{severity, count}], measures: {agreed, done, overdue,
 * median_days_to_done}, tags: [{tag, count}]}. */
char *export_json_stats(const struct store_stats *s, const char *since);

#define EXPORT_JSON_MINUTES_FORMAT "furikaeri-minutes"
#define EXPORT_JSON_MINUTES_VERSION 2

/* The minutes of one meeting in the format of furikaeri(5) ("format":
 * "furikaeri-minutes", "format_version": 2: entries carry their author), which import reads back (version 1 too);
 * terminal control characters in the text are neutralised, all else is
 * kept byte for byte. */
char *export_json_minutes(const struct minutes_doc *doc);

#endif
