#ifndef FURIKAERI_WEEK_H
#define FURIKAERI_WEEK_H

#include <stdbool.h>

/* ISO 8601 calendar weeks ("2026-W49": weeks start on Monday; week 1 is the
 * week holding the year's first Thursday, so a year has 52 or 53 weeks) and
 * dates ("2026-12-15"). Pure arithmetic, no clock and no time zone: a day is
 * a count of days since 1970-01-01 (negative before it). Nothing here
 * allocates. */

struct week {
	int year;	/* ISO week-numbering year, which may differ from the
			 * calendar year near 1 January */
	int week;	/* 1 .. week_count(year) */
};

/* "YYYY-Www" plus the terminating NUL. */
#define WEEK_STRLEN 9
/* "YYYY-MM-DD" plus the terminating NUL. */
#define WEEK_DATE_STRLEN 11

/* Days since 1970-01-01 of a proleptic Gregorian date (not validated). */
long week_days_from_civil(int year, int month, int day);
/* The date of a day number. */
void week_civil_from_days(long days, int *year, int *month, int *day);
/* 1 = Monday .. 7 = Sunday. */
int week_weekday(long days);

/* Parses a real calendar date "YYYY-MM-DD" (years 1000..9999) into a day
 * number; false for anything else, including 2026-02-30. */
bool week_date_parse(const char *s, long *days);
/* Writes "YYYY-MM-DD" into out. */
void week_date_format(long days, char out[WEEK_DATE_STRLEN]);

/* 52 or 53. */
int week_count(int year);
/* Parses "YYYY-Www" ("2026-W49"; a lower-case w is accepted); false when the
 * week does not exist, such as 2025-W53. */
bool week_parse(const char *s, struct week *out);
/* Writes "YYYY-Www" into out. */
void week_format(struct week w, char out[WEEK_STRLEN]);
bool week_valid(struct week w);

/* The day number of the week's Monday. */
long week_monday(struct week w);
/* The week holding a day. */
struct week week_of_day(long days);
struct week week_next(struct week w);
struct week week_prev(struct week w);
/* How many weeks the first meeting of a team looks back on. */
#define WEEK_FIRST_MEETING_WEEKS 4
/* The days a meeting of week looks back on, as dates: since the Monday of
 * the previous meeting's week (prev, or NULL for a team's first meeting:
 * WEEK_FIRST_MEETING_WEEKS before), and this week's Monday. */
void week_window(const char *week, const char *prev, char since[WEEK_DATE_STRLEN],
		 char monday[WEEK_DATE_STRLEN]);
/* Weeks from a to b (positive when b is later). */
long week_diff(struct week a, struct week b);
/* <0, 0, >0 as a is before, the same as, or after b. */
int week_cmp(struct week a, struct week b);

#endif
