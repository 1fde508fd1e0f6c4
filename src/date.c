#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/date.h"
#include "furikaeri/week.h"

static const char *const month_names[] = {
	"january", "february", "march", "april", "may", "june",
	"july", "august", "september", "october", "november", "december",
};

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* ASCII blanks and the ideographic space U+3000. */
static const char *
skip_blanks(const char *p)
{
	for (;;) {
		if (*p == ' ' || *p == '\t')
			p++;
		else if (strncmp(p, "\xE3\x80\x80", 3) == 0)
			p += 3;
		else
			return p;
	}
}

/* Reads min..max digits; returns the position after them or NULL. */
static const char *
read_num(const char *p, int min, int max, int *val)
{
	int n = 0, v = 0;

	while (n < max && is_digit(p[n])) {
		v = v * 10 + (p[n] - '0');
		n++;
	}
	if (n < min || is_digit(p[n]))
		return NULL;
	*val = v;
	return p + n;
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool
date_valid(int year, int month, int day)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1)
		return false;
	return day <= days[month - 1] + (month == 2 && is_leap(year));
}

/* "Oct", "Oct.", "October" (any case); returns the position after it. */
static const char *
read_month_name(const char *p, int *month)
{
	for (int m = 0; m < 12; m++) {
		const char *name = month_names[m];
		size_t n = 0;
		while (name[n] != '\0' && lower(p[n]) == name[n])
			n++;
		if (n < 3 || (name[n] != '\0' && n != 3 && !(m == 8 && n == 4)))
			continue;
		if (is_alpha(p[n]))
			continue;
		*month = m + 1;
		return p[n] == '.' ? p + n + 1 : p + n;
	}
	return NULL;
}

static const char *
read_ordinal_suffix(const char *p)
{
	static const char *const sfx[] = { "st", "nd", "rd", "th" };

	for (size_t i = 0; i < 4; i++)
		if (lower(p[0]) == sfx[i][0] && lower(p[1]) == sfx[i][1] && !is_alpha(p[2]))
			return p + 2;
	return p;
}

/* 2015-10-21, 2015/10/21, 2015.10.21 and 2021年11月25日. */
static const char *
read_ymd(const char *p, struct date_parts *d)
{
	const char *q = read_num(p, 4, 4, &d->year);
	char sep;

	if (q == NULL)
		return NULL;
	if (*q == '-' || *q == '/' || *q == '.') {
		sep = *q;
		q = read_num(q + 1, 1, 2, &d->month);
		if (q == NULL || *q != sep)
			return NULL;
		return read_num(q + 1, 1, 2, &d->day);
	}
	q = skip_blanks(q);
	if (strncmp(q, "年", 3) != 0)
		return NULL;
	q = read_num(skip_blanks(q + 3), 1, 2, &d->month);
	if (q == NULL)
		return NULL;
	q = skip_blanks(q);
	if (strncmp(q, "月", 3) != 0)
		return NULL;
	q = read_num(skip_blanks(q + 3), 1, 2, &d->day);
	if (q == NULL)
		return NULL;
	q = skip_blanks(q);
	return strncmp(q, "日", 3) == 0 ? q + 3 : NULL;
}

/* Oct 21, 2015 / October 21st 2015 */
static const char *
read_mdy(const char *p, struct date_parts *d)
{
	const char *q = read_month_name(p, &d->month);

	if (q == NULL)
		return NULL;
	q = read_num(skip_blanks(q), 1, 2, &d->day);
	if (q == NULL)
		return NULL;
	q = read_ordinal_suffix(q);
	if (*q == ',')
		q++;
	return read_num(skip_blanks(q), 4, 4, &d->year);
}

/* 21 Oct 2015 / 21 October, 2015 */
static const char *
read_dmy(const char *p, struct date_parts *d)
{
	const char *q = read_num(p, 1, 2, &d->day);

	if (q == NULL)
		return NULL;
	q = read_ordinal_suffix(q);
	q = skip_blanks(q);
	if (q == p || (q = read_month_name(q, &d->month)) == NULL)
		return NULL;
	if (*q == ',')
		q++;
	return read_num(skip_blanks(q), 4, 4, &d->year);
}

/* Jira's "24/Nov/26" and "24-Nov-2026": day, month name, two or four digit year. */
static const char *
read_dmy_sep(const char *p, struct date_parts *d)
{
	const char *q = read_num(p, 1, 2, &d->day);
	char sep;

	if (q == NULL || (*q != '/' && *q != '-'))
		return NULL;
	sep = *q;
	if ((q = read_month_name(q + 1, &d->month)) == NULL || *q != sep)
		return NULL;
	const char *y = read_num(q + 1, 4, 4, &d->year);
	if (y != NULL)
		return y;
	if ((y = read_num(q + 1, 2, 2, &d->year)) == NULL)
		return NULL;
	d->year += 2000;
	return y;
}

/* 11/30/2026, 30.11.2026, 03/04/2021: two numbers and a four-digit year. A
 * number over 12 decides which is the day; otherwise order decides, and
 * without one the date is ambiguous and not read. */
static const char *
read_numeric(const char *p, enum date_order order, struct date_parts *d, bool *ambiguous)
{
	int a, b;
	char sep;
	const char *q = read_num(p, 1, 2, &a);

	if (q == NULL || (*q != '/' && *q != '.' && *q != '-'))
		return NULL;
	sep = *q;
	if ((q = read_num(q + 1, 1, 2, &b)) == NULL || *q != sep)
		return NULL;
	if ((q = read_num(q + 1, 4, 4, &d->year)) == NULL)
		return NULL;
	if (a > 12 && b <= 12)
		order = DATE_ORDER_DMY;
	else if (b > 12 && a <= 12)
		order = DATE_ORDER_MDY;
	else if (a != b && order != DATE_ORDER_MDY && order != DATE_ORDER_DMY) {
		if (ambiguous != NULL)
			*ambiguous = true;
		return NULL;
	}
	d->month = order == DATE_ORDER_DMY ? b : a;
	d->day = order == DATE_ORDER_DMY ? a : b;
	return q;
}

/* "(木)", "（木）", "(Thu)": a weekday note after a date. */
static const char *
skip_weekday(const char *p)
{
	const char *q = skip_blanks(p);
	const char *close;
	size_t open_len;

	if (*q == '(') {
		open_len = 1;
		close = ")";
	} else if (strncmp(q, "（", 3) == 0) {
		open_len = 3;
		close = "）";
	} else {
		return p;
	}
	const char *end = strstr(q + open_len, close);
	if (end == NULL || end - (q + open_len) > 12 || end == q + open_len)
		return p;
	for (const char *c = q + open_len; c < end; c++)
		if (is_digit(*c) || *c == ' ')
			return p;
	return end + strlen(close);
}

/* HH:MM[:SS[.fff]] [AM|PM], or 19時04分. */
static const char *
read_time(const char *p, int *hour, int *minute)
{
	const char *q = read_num(p, 1, 2, hour);
	int sec;

	if (q == NULL)
		return NULL;
	if (*q == ':') {
		q = read_num(q + 1, 2, 2, minute);
		if (q == NULL)
			return NULL;
		if (*q == ':' && is_digit(q[1])) {
			q = read_num(q + 1, 2, 2, &sec);
			if (q == NULL)
				return NULL;
			if (*q == '.' && is_digit(q[1]))
				for (q++; is_digit(*q); q++)
					;
		}
	} else if (strncmp(q, "時", 3) == 0) {
		q += 3;
		*minute = 0;
		const char *m = read_num(q, 1, 2, minute);
		if (m != NULL && strncmp(m, "分", 3) == 0)
			q = m + 3;
		else
			*minute = 0;
	} else {
		return NULL;
	}
	const char *ap = skip_blanks(q);
	if ((lower(ap[0]) == 'a' || lower(ap[0]) == 'p') && lower(ap[1]) == 'm' && !is_alpha(ap[2])) {
		if (*hour < 1 || *hour > 12)
			return NULL;
		if (lower(ap[0]) == 'p' && *hour != 12)
			*hour += 12;
		else if (lower(ap[0]) == 'a' && *hour == 12)
			*hour = 0;
		q = ap + 2;
	}
	if (*hour > 23 || *minute > 59)
		return NULL;
	return q;
}

/* +09:00, -0500, Z: an offset written right after the time. */
static const char *
read_offset(const char *p, char tz[8])
{
	int h, m;

	if (*p == 'Z' && !is_alpha(p[1])) {
		strcpy(tz, "Z");
		return p + 1;
	}
	if (*p != '+' && *p != '-')
		return NULL;
	const char *q = read_num(p + 1, 2, 2, &h);
	if (q == NULL && (q = read_num(p + 1, 4, 4, &h)) != NULL) {
		m = h % 100;
		h /= 100;
	} else if (q != NULL && *q == ':') {
		q = read_num(q + 1, 2, 2, &m);
	} else {
		return NULL;
	}
	if (q == NULL || h < 0 || h > 14 || m < 0 || m > 59)
		return NULL;
	snprintf(tz, 8, "%c%02u:%02u", *p, (unsigned)h % 100u, (unsigned)m % 100u);
	return q;
}

/* The zone abbreviations read after a time: a capitalised word that is not
 * one ("19:04 DB failover") is text, not a zone. */
static const char *const zone_abbrevs[] = {
	"UTC", "UT", "GMT", "JST", "KST", "CST", "CDT", "EST", "EDT", "MST", "MDT", "PST", "PDT",
	"AKST", "AKDT", "HST", "AST", "ADT", "NST", "NDT", "BST", "IST", "CET", "CEST", "EET",
	"EEST", "WET", "WEST", "MSK", "AEST", "AEDT", "ACST", "ACDT", "AWST", "NZST", "NZDT",
	"SGT", "HKT", "ICT", "WIB", "WITA", "WIT", "PHT", "NPT", "PKT", "BRT", "ART", "CLT",
	"SAST", "WAT", "EAT", "CAT", "GST", "MYT", "TRT",
};

static bool
zone_abbrev_known(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(zone_abbrevs) / sizeof(zone_abbrevs[0]); i++)
		if (strlen(zone_abbrevs[i]) == n && strncmp(zone_abbrevs[i], s, n) == 0)
			return true;
	return false;
}

bool
date_zone_known(const char *s)
{
	char tz[8];
	const char *e;

	if (s == NULL || s[0] == '\0')
		return false;
	if ((e = read_offset(s, tz)) != NULL && *e == '\0')
		return true;
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
	if (n == 0 || !zone_abbrev_known(s, n))
		return false;
	if (s[n] == '\0')
		return true;
	/* UTC+9, GMT-05:00 */
	if ((n == 3 && (strncmp(s, "UTC", 3) == 0 || strncmp(s, "GMT", 3) == 0)) &&
	    (s[n] == '+' || s[n] == '-')) {
		int h;
		const char *q = read_num(s + n + 1, 1, 2, &h);
		if (q != NULL && *q == '\0' && h <= 14)
			return true;
		return (e = read_offset(s + n, tz)) != NULL && *e == '\0';
	}
	return false;
}

/* A zone abbreviation such as JST, UTC, PST, CEST, optionally in parentheses. */
static const char *
read_zone_name(const char *p, char tz[8])
{
	const char *q = p;
	bool paren = *q == '(';
	size_t n = 0;

	if (paren)
		q++;
	while (q[n] >= 'A' && q[n] <= 'Z')
		n++;
	if (n < 2 || n > 5 || is_alpha(q[n]) || is_digit(q[n]) || !zone_abbrev_known(q, n))
		return NULL;
	if (paren && q[n] != ')')
		return NULL;
	memcpy(tz, q, n);
	tz[n] = '\0';
	q += n;
	const char *off = (strcmp(tz, "UTC") == 0 || strcmp(tz, "GMT") == 0) ? q : NULL;
	if (off != NULL && (*off == '+' || *off == '-')) {
		char extra[8];
		const char *e = read_offset(off, extra);
		if (e != NULL && strlen(tz) + strlen(extra) < 8) {
			strcat(tz, extra);
			q = e;
		}
	}
	return paren ? q + 1 : q;
}

/* " - 20:10", "〜20:10", " to 20:10": the end of a time range. */
static const char *
skip_range_end(const char *p)
{
	static const char *const seps[] = { "-", "\xE2\x80\x93", "\xE2\x80\x94", "~", "〜", "～", "to " };
	const char *q = skip_blanks(p);
	int h, m;

	for (size_t i = 0; i < sizeof(seps) / sizeof(seps[0]); i++) {
		size_t n = strlen(seps[i]);
		if (strncmp(q, seps[i], n) != 0)
			continue;
		const char *t = skip_blanks(q + n);
		const char *e = read_time(t, &h, &m);
		return e != NULL ? e : p;
	}
	return p;
}

size_t
date_parse_prefix(const char *s, struct date_parts *out)
{
	return date_parse_prefix_ordered(s, DATE_ORDER_NONE, out, NULL);
}

size_t
date_parse_prefix_ordered(const char *s, enum date_order order, struct date_parts *out,
			  bool *ambiguous)
{
	struct date_parts d = { .hour = -1, .minute = -1 };
	const char *q;

	if ((q = read_ymd(s, &d)) == NULL && (q = read_mdy(s, &d)) == NULL &&
	    (q = read_dmy(s, &d)) == NULL && (q = read_dmy_sep(s, &d)) == NULL &&
	    (q = read_numeric(s, order, &d, ambiguous)) == NULL)
		return 0;
	if (!date_valid(d.year, d.month, d.day) || is_digit(*q) ||
	    (is_alpha(*q) && !(*q == 'T' && is_digit(q[1]))))
		return 0;
	q = skip_weekday(q);

	const char *t = *q == 'T' ? q + 1 : skip_blanks(q);
	if (t != q || *q == 'T') {
		const char *e = read_time(t, &d.hour, &d.minute);
		if (e != NULL) {
			q = e;
			const char *z = read_offset(q, d.tz);
			if (z != NULL) {
				q = z;
			} else {
				q = skip_range_end(q);
				const char *zb = skip_blanks(q);
				z = read_zone_name(zb, d.tz);
				if (z == NULL && zb != q)
					z = read_offset(zb, d.tz);
				if (z != NULL)
					q = z;
			}
		} else {
			d.hour = d.minute = -1;
		}
	}
	*out = d;
	return (size_t)(q - s);
}

bool
date_parse(const char *s, struct date_parts *out)
{
	struct date_parts d;
	const char *p = skip_blanks(s);
	size_t n = date_parse_prefix(p, &d);

	if (n == 0)
		return false;
	p = skip_blanks(p + n);
	while (*p == '\r' || *p == '\n')
		p = skip_blanks(p + 1);
	if (*p != '\0')
		return false;
	*out = d;
	return true;
}

size_t
date_find(const char *s, struct date_parts *out, size_t *at)
{
	return date_find_ordered(s, DATE_ORDER_NONE, out, at, NULL);
}

size_t
date_find_ordered(const char *s, enum date_order order, struct date_parts *out, size_t *at,
		  bool *ambiguous)
{
	for (size_t i = 0; s[i] != '\0'; i++) {
		if (!is_digit(s[i]) && !is_alpha(s[i]))
			continue;
		if (i > 0 && (is_digit(s[i - 1]) || is_alpha(s[i - 1])))
			continue;
		size_t n = date_parse_prefix_ordered(s + i, order, out, ambiguous);
		if (n > 0) {
			*at = i;
			return n;
		}
	}
	return 0;
}

void
date_format_ymd(const struct date_parts *d, char out[11])
{
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)d->year % 10000u, (unsigned)d->month % 100u,
		 (unsigned)d->day % 100u);
}

void
date_format_hm(const struct date_parts *d, char out[6])
{
	if (d->hour < 0 || d->minute < 0)
		out[0] = '\0';
	else
		snprintf(out, 6, "%02u:%02u", (unsigned)d->hour % 100u, (unsigned)d->minute % 100u);
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long
days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* 1 = Monday .. 7 = Sunday; 1970-01-01 was a Thursday. */
static int
iso_weekday(long days)
{
	long w = (days + 3) % 7;
	if (w < 0)
		w += 7;
	return (int)w + 1;
}

static bool
read_ymd_strict(const char *ymd, int *y, int *m, int *d)
{
	if (strlen(ymd) != 10 || ymd[4] != '-' || ymd[7] != '-')
		return false;
	if (read_num(ymd, 4, 4, y) == NULL || read_num(ymd + 5, 2, 2, m) == NULL ||
	    read_num(ymd + 8, 2, 2, d) == NULL)
		return false;
	return date_valid(*y, *m, *d);
}

enum date_order
date_order_evidence(const char *text)
{
	bool dmy = false, mdy = false;

	for (const char *p = text; *p != '\0'; p++) {
		int a, b, y;
		const char *q, *r;
		char sep;

		if (!is_digit(*p) || (p > text && (is_digit(p[-1]) || p[-1] == '/' ||
						   p[-1] == '.' || p[-1] == '-')))
			continue;
		q = read_num(p, 1, 2, &a);
		if (q == NULL || (*q != '/' && *q != '.' && *q != '-'))
			continue;
		sep = *q;
		r = read_num(q + 1, 1, 2, &b);
		if (r == NULL || *r != sep || read_num(r + 1, 4, 4, &y) == NULL)
			continue;
		if (a > 12 && a <= 31 && b >= 1 && b <= 12)
			dmy = true;
		else if (b > 12 && b <= 31 && a >= 1 && a <= 12)
			mdy = true;
	}
	return dmy && !mdy ? DATE_ORDER_DMY : mdy && !dmy ? DATE_ORDER_MDY : DATE_ORDER_NONE;
}

bool
date_iso_valid(const char *s)
{
	int y, m, d;

	return s != NULL && read_ymd_strict(s, &y, &m, &d);
}

static void
iso_week_of(long days, int *year, int *week)
{
	long thursday = days - (iso_weekday(days) - 1) + 3;
	int y, m, d;

	civil_from_days(thursday, &y, &m, &d);
	*year = y;
	*week = (int)((thursday - days_from_civil(y, 1, 1)) / 7) + 1;
}

int
date_iso_week(const char *ymd, char out[9])
{
	int y, m, d, wy, w;

	if (!read_ymd_strict(ymd, &y, &m, &d))
		return -1;
	iso_week_of(days_from_civil(y, m, d), &wy, &w);
	if (wy < 1 || wy > 9999)
		return -1;
	snprintf(out, 9, "%04u-W%02u", (unsigned)wy % 10000u, (unsigned)w % 100u);
	return 0;
}

int
date_week_monday(const char *week, char out[11])
{
	int y, w, wy, ww, m, d;

	if (strlen(week) != 8 || week[4] != '-' || week[5] != 'W' ||
	    read_num(week, 4, 4, &y) == NULL || read_num(week + 6, 2, 2, &w) == NULL ||
	    y < 1 || w < 1 || w > 53)
		return -1;
	long jan4 = days_from_civil(y, 1, 4);
	long monday = jan4 - (iso_weekday(jan4) - 1) + (long)(w - 1) * 7;
	iso_week_of(monday, &wy, &ww);
	if (wy != y || ww != w)
		return -1;
	civil_from_days(monday, &y, &m, &d);
	if (y < 1 || y > 9999)
		return -1;
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
		 (unsigned)d % 100u);
	return 0;
}

/* Exactly n digits at p; NULL when not. */
static const char *
read_fixed(const char *p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (!is_digit(p[i]))
			return NULL;
		*v = *v * 10 + (p[i] - '0');
	}
	return p + n;
}

bool
date_timestamp(const char *s, long long *epoch)
{
	int y, mo, d, h, mi, sec = 0, oh = 0, om = 0, sign = 1;
	const char *p = s;

	if ((p = read_fixed(p, 4, &y)) == NULL || *p++ != '-' || (p = read_fixed(p, 2, &mo)) == NULL ||
	    *p++ != '-' || (p = read_fixed(p, 2, &d)) == NULL || !date_valid(y, mo, d) ||
	    (*p != 'T' && *p != ' ') || (p = read_fixed(p + 1, 2, &h)) == NULL || *p++ != ':' ||
	    (p = read_fixed(p, 2, &mi)) == NULL || h > 23 || mi > 59)
		return false;
	if (*p == ':' && ((p = read_fixed(p + 1, 2, &sec)) == NULL || sec > 60))
		return false;
	if (*p == '.' || *p == ',')
		for (p++; is_digit(*p); p++)
			;
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		if ((p = read_fixed(p + 1, 2, &oh)) == NULL)
			return false;
		if (*p == ':')
			p++;
		if ((p = read_fixed(p, 2, &om)) == NULL || oh > 14 || om > 59)
			return false;
	} else {
		return false;
	}
	if (*p != '\0')
		return false;
	*epoch = (long long)week_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
		 sign * (oh * 3600 + om * 60);
	return true;
}

bool
date_overdue(const char *due, const char *status, const char *today)
{
	return due != NULL && status != NULL && today != NULL && strcmp(status, "open") == 0 &&
	       strcmp(due, today) < 0;
}
