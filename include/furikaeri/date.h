#ifndef FURIKAERI_DATE_H
#define FURIKAERI_DATE_H

#include <stdbool.h>
#include <stddef.h>

/* Dates as people write them in postmortems, and ISO 8601 weeks. Pure
 * functions: no I/O, no locale, no time zone database. */

/* A parsed date: hour and minute are -1 when no time was given; tz is the
 * zone as written ("JST", "UTC", "+09:00", "Z") or "" when none. */
struct date_parts {
	int year;
	int month;
	int day;
	int hour;
	int minute;
	char tz[8];
};

/* How an all-numeric date whose day and month could both be either is
 * read ("03/04/2021"); NONE leaves it unread ([import] date_order). */
enum date_order {
	DATE_ORDER_NONE,
	DATE_ORDER_YMD,
	DATE_ORDER_MDY,
	DATE_ORDER_DMY,
};

/* True when year-month-day is a real calendar day (1..9999). */
bool date_valid(int year, int month, int day);
/* True when s is exactly "YYYY-MM-DD" and a real calendar day: the one
 * check of a stored or given ISO date. */
bool date_iso_valid(const char *s);
/* The day/month order the numeric dates of text agree on: DMY when some
 * read only as day first ("25/03/2026") and none only as month first,
 * MDY the other way round, NONE when none tells or they disagree. So a
 * file's own unambiguous dates decide its ambiguous ones ("03/04/2026"). */
enum date_order date_order_evidence(const char *text);
/* Parses a date at the start of s: "2015-10-21", "2015/10/21", "2015.10.21",
 * "Oct 21, 2015", "October 21, 2015", "21 Oct 2015", "2021年11月25日(木)",
 * each optionally followed by a time "19:04" (or "T19:04:00", "19時04分",
 * "7:04 PM"), a range end ("- 20:10") and a zone ("JST", "+09:00").
 * Returns the bytes used, or 0 when s does not start with a real date. */
size_t date_parse_prefix(const char *s, struct date_parts *out);
/* Also reads "11/30/2026", "30.11.2026" (a number over 12 is the day) and
 * Jira's "24/Nov/26 2:05 PM"; an all-numeric date that could be read either
 * way follows order, and with DATE_ORDER_NONE is not read and sets
 * *ambiguous (when not NULL). date_parse_prefix is this with NONE. */
size_t date_parse_prefix_ordered(const char *s, enum date_order order,
				 struct date_parts *out, bool *ambiguous);
/* Like date_parse_prefix, but only trailing white space may follow. */
bool date_parse(const char *s, struct date_parts *out);
/* Finds the first real date anywhere in s; returns its offset via *at and
 * the bytes used, or 0 when there is none. */
size_t date_find(const char *s, struct date_parts *out, size_t *at);
size_t date_find_ordered(const char *s, enum date_order order, struct date_parts *out,
			 size_t *at, bool *ambiguous);
/* Writes "YYYY-MM-DD" (out has room for 11 bytes). */
void date_format_ymd(const struct date_parts *d, char out[11]);
/* Writes "HH:MM" (room for 6 bytes), or "" when there is no time. */
void date_format_hm(const struct date_parts *d, char out[6]);

/* True when s is a UTC offset ("+09:00", "-0500", "Z", "UTC+9") or a zone
 * abbreviation of the fixed table date.c knows ("JST", "UTC", "CEST").
 * IANA names need the system's zone database: import_zone_valid. */
bool date_zone_known(const char *s);

/* An API's timestamp "2026-11-30T23:30:00Z", "...T08:30:00.000+0900" or
 * "...+09:00" as seconds since 1970 in UTC. False when s is not one or has
 * no zone (a time without a zone is no instant). */
bool date_timestamp(const char *s, long long *epoch);

/* The ISO 8601 week of "YYYY-MM-DD" as "2026-W49" (out has room for 9
 * bytes). Returns 0, or -1 when ymd is not a real date. */
int date_iso_week(const char *ymd, char out[9]);
/* The Monday of an ISO week "2026-W49" as "YYYY-MM-DD" (room for 11 bytes).
 * Returns 0, or -1 when week is malformed or out of range. */
int date_week_monday(const char *week, char out[11]);
/* Whether a measure is overdue: open, with a due date (YYYY-MM-DD) before
 * today. The one definition the meeting, `actions` and the JSON share. */
bool date_overdue(const char *due, const char *status, const char *today);

#endif
