#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "furikaeri/week.h"

static long
day(const char *s)
{
	long d = 0;

	assert_true(week_date_parse(s, &d));
	return d;
}

static void
assert_week_of(const char *date, const char *expect)
{
	char buf[WEEK_STRLEN];

	week_format(week_of_day(day(date)), buf);
	assert_string_equal(buf, expect);
}

static void
assert_monday(const char *week, const char *expect)
{
	struct week w;
	char buf[WEEK_DATE_STRLEN];

	assert_true(week_parse(week, &w));
	week_date_format(week_monday(w), buf);
	assert_string_equal(buf, expect);
}

static void
test_dates(void **state)
{
	(void)state;
	long d;
	char buf[WEEK_DATE_STRLEN];

	assert_int_equal(day("1970-01-01"), 0);
	assert_int_equal(day("1969-12-31"), -1);
	assert_int_equal(day("2000-03-01") - day("2000-02-28"), 2);
	assert_int_equal(day("2026-03-01") - day("2026-02-28"), 1);
	assert_int_equal(week_weekday(day("1970-01-01")), 4);
	assert_int_equal(week_weekday(day("2026-12-15")), 2);
	assert_int_equal(week_weekday(day("1969-12-29")), 1);
	week_date_format(day("2026-12-15") + 17, buf);
	assert_string_equal(buf, "2027-01-01");
	assert_true(week_date_parse("2024-02-29", &d));
	assert_false(week_date_parse("2026-02-29", &d));
	assert_false(week_date_parse("2026-02-30", &d));
	assert_false(week_date_parse("2026-13-01", &d));
	assert_false(week_date_parse("2026-00-10", &d));
	assert_false(week_date_parse("2026-1-10", &d));
	assert_false(week_date_parse("2026-01-10x", &d));
	assert_false(week_date_parse("２０２６-01-10", &d));
	assert_false(week_date_parse("", &d));
	assert_false(week_date_parse(NULL, &d));
}

static void
test_parse_and_format(void **state)
{
	(void)state;
	struct week w;
	char buf[WEEK_STRLEN];

	assert_true(week_parse("2026-W49", &w));
	assert_int_equal(w.year, 2026);
	assert_int_equal(w.week, 49);
	assert_true(week_parse("2026-w01", &w));
	week_format(w, buf);
	assert_string_equal(buf, "2026-W01");
	assert_true(week_parse("2026-W53", &w));
	assert_true(week_parse("2020-W53", &w));
	assert_false(week_parse("2025-W53", &w));
	assert_false(week_parse("2021-W53", &w));
	assert_false(week_parse("2026-W00", &w));
	assert_false(week_parse("2026-W54", &w));
	assert_false(week_parse("2026-W4", &w));
	assert_false(week_parse("2026W49", &w));
	assert_false(week_parse("2026-W49 ", &w));
	assert_false(week_parse(NULL, &w));
}

static void
test_week_count(void **state)
{
	(void)state;
	assert_int_equal(week_count(2026), 53);
	assert_int_equal(week_count(2020), 53);
	assert_int_equal(week_count(2015), 53);
	assert_int_equal(week_count(2009), 53);
	assert_int_equal(week_count(2021), 52);
	assert_int_equal(week_count(2025), 52);
	assert_int_equal(week_count(2027), 52);
}

static void
test_monday(void **state)
{
	(void)state;
	assert_monday("2026-W49", "2026-11-30");
	assert_monday("2026-W01", "2025-12-29");
	assert_monday("2026-W53", "2026-12-28");
	assert_monday("2027-W01", "2027-01-04");
	assert_monday("2020-W53", "2020-12-28");
	assert_monday("2021-W01", "2021-01-04");
	assert_monday("2025-W01", "2024-12-30");
	assert_monday("2009-W01", "2008-12-29");
}

static void
test_week_of_day(void **state)
{
	(void)state;
	assert_week_of("2026-11-30", "2026-W49");
	assert_week_of("2026-12-06", "2026-W49");
	assert_week_of("2026-12-07", "2026-W50");
	assert_week_of("2027-01-01", "2026-W53");
	assert_week_of("2027-01-03", "2026-W53");
	assert_week_of("2027-01-04", "2027-W01");
	assert_week_of("2025-12-29", "2026-W01");
	assert_week_of("2024-12-30", "2025-W01");
	assert_week_of("2021-01-03", "2020-W53");
	assert_week_of("2010-01-03", "2009-W53");
	assert_week_of("2008-12-29", "2009-W01");
	assert_week_of("1970-01-01", "1970-W01");
}

static void
test_next_prev_diff(void **state)
{
	(void)state;
	struct week a, b;
	char buf[WEEK_STRLEN];

	assert_true(week_parse("2026-W52", &a));
	week_format(week_next(a), buf);
	assert_string_equal(buf, "2026-W53");
	week_format(week_next(week_next(a)), buf);
	assert_string_equal(buf, "2027-W01");
	assert_true(week_parse("2021-W01", &b));
	week_format(week_prev(b), buf);
	assert_string_equal(buf, "2020-W53");
	assert_true(week_parse("2025-W52", &b));
	week_format(week_next(b), buf);
	assert_string_equal(buf, "2026-W01");
	assert_int_equal(week_diff(b, a), 52);
	assert_int_equal(week_diff(a, b), -52);
	assert_true(week_cmp(a, b) > 0);
	assert_true(week_cmp(b, a) < 0);
	assert_int_equal(week_cmp(a, a), 0);

	/* walking 600 weeks forward and back lands where it started */
	struct week w = b;
	for (int i = 0; i < 600; i++) {
		struct week n = week_next(w);
		assert_true(week_valid(n));
		assert_int_equal(week_diff(w, n), 1);
		w = n;
	}
	for (int i = 0; i < 600; i++)
		w = week_prev(w);
	assert_int_equal(week_cmp(w, b), 0);
}

/* The days a meeting looks back on: from the previous meeting's Monday,
 * or four weeks back for the first; to this week's Monday; across a year. */
static void
test_window(void **state)
{
	char since[WEEK_DATE_STRLEN], monday[WEEK_DATE_STRLEN];

	(void)state;
	week_window("2026-W49", "2026-W48", since, monday);
	assert_string_equal(since, "2026-11-23");
	assert_string_equal(monday, "2026-11-30");
	week_window("2026-W49", NULL, since, monday);
	assert_string_equal(since, "2026-11-02");
	week_window("2027-W02", NULL, since, monday);
	assert_string_equal(since, "2026-12-14");
	assert_string_equal(monday, "2027-01-11");
	week_window("2027-W02", "2026-W50", since, monday);
	assert_string_equal(since, "2026-12-07");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_parse_and_format),
		cmocka_unit_test(test_week_count),
		cmocka_unit_test(test_monday),
		cmocka_unit_test(test_week_of_day),
		cmocka_unit_test(test_next_prev_diff),
	};

	return cmocka_run_group_tests_name("week", tests, NULL, NULL);
}
