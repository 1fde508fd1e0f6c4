#include "config.h"

#include <string.h>

#include "furikaeri/date.h"
#include "furikaeri/week.h"

/* Howard Hinnant's days-from-civil: exact for the whole proleptic Gregorian
 * calendar, with eras of 400 years so that negative years need no special
 * case. */
long
week_days_from_civil(int year, int month, int day)
{
	long y = (long)year - (month <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long mp = (month + 9) % 12;
	long doy = (153 * mp + 2) / 5 + day - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void
week_civil_from_days(long days, int *year, int *month, int *day)
{
	long z = days + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp < 10 ? mp + 3 : mp - 9;

	*year = (int)(yoe + era * 400 + (m <= 2));
	*month = (int)m;
	*day = (int)d;
}

int
week_weekday(long days)
{
	/* 1970-01-01 was a Thursday (4). */
	long r = (days + 3) % 7;

	if (r < 0)
		r += 7;
	return (int)r + 1;
}

/* Reads exactly n ASCII digits. */
static bool
digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool
week_date_parse(const char *s, long *days)
{
	int y, m, d;

	if (!date_iso_valid(s) || !digits(s, 4, &y) || !digits(s + 5, 2, &m) ||
	    !digits(s + 8, 2, &d) || y < 1000)
		return false;
	*days = week_days_from_civil(y, m, d);
	return true;
}

/* Writes n decimal digits of v (v >= 0). */
static void
put_digits(char *out, int n, int v)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		out[i] = (char)('0' + v % 10);
}

void
week_date_format(long days, char out[WEEK_DATE_STRLEN])
{
	int y, m, d;

	week_civil_from_days(days, &y, &m, &d);
	put_digits(out, 4, y < 0 ? 0 : y);
	out[4] = '-';
	put_digits(out + 5, 2, m);
	out[7] = '-';
	put_digits(out + 8, 2, d);
	out[10] = '\0';
}

/* The Monday of week 1: the week that holds 4 January. */
static long
week1_monday(int year)
{
	long jan4 = week_days_from_civil(year, 1, 4);

	return jan4 - (week_weekday(jan4) - 1);
}

int
week_count(int year)
{
	return (int)((week1_monday(year + 1) - week1_monday(year)) / 7);
}

bool
week_valid(struct week w)
{
	return w.year >= 1000 && w.year <= 9999 && w.week >= 1 && w.week <= week_count(w.year);
}

bool
week_parse(const char *s, struct week *out)
{
	struct week w;

	if (s == NULL || strlen(s) != 8 || s[4] != '-' || (s[5] != 'W' && s[5] != 'w'))
		return false;
	if (!digits(s, 4, &w.year) || !digits(s + 6, 2, &w.week) || !week_valid(w))
		return false;
	*out = w;
	return true;
}

void
week_format(struct week w, char out[WEEK_STRLEN])
{
	put_digits(out, 4, w.year < 0 ? 0 : w.year);
	out[4] = '-';
	out[5] = 'W';
	put_digits(out + 6, 2, w.week < 0 ? 0 : w.week);
	out[8] = '\0';
}

long
week_monday(struct week w)
{
	return week1_monday(w.year) + 7L * (w.week - 1);
}

struct week
week_of_day(long days)
{
	/* The ISO year is the calendar year of the week's Thursday. */
	long thursday = days - (week_weekday(days) - 1) + 3;
	struct week w;
	int m, d;

	week_civil_from_days(thursday, &w.year, &m, &d);
	w.week = (int)((thursday - week1_monday(w.year)) / 7) + 1;
	return w;
}

struct week
week_next(struct week w)
{
	return week_of_day(week_monday(w) + 7);
}

struct week
week_prev(struct week w)
{
	return week_of_day(week_monday(w) - 7);
}

void
week_window(const char *week, const char *prev, char since[WEEK_DATE_STRLEN],
	    char monday[WEEK_DATE_STRLEN])
{
	struct week w = { 0 }, from;

	week_parse(week, &w);
	from = w;
	if (prev != NULL)
		week_parse(prev, &from);
	else
		for (int i = 0; i < WEEK_FIRST_MEETING_WEEKS; i++)
			from = week_prev(from);
	week_date_format(week_monday(from), since);
	week_date_format(week_monday(w), monday);
}

long
week_diff(struct week a, struct week b)
{
	return (week_monday(b) - week_monday(a)) / 7;
}

int
week_cmp(struct week a, struct week b)
{
	if (a.year != b.year)
		return a.year < b.year ? -1 : 1;
	if (a.week != b.week)
		return a.week < b.week ? -1 : 1;
	return 0;
}
