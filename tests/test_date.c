#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "furikaeri/date.h"
#include "furikaeri/hash.h"

/* Parses s whole and checks the normalised date, time and zone. */
static void
check(const char *s, const char *ymd, const char *hm, const char *tz)
{
	struct date_parts d;
	char out[11], t[6];

	if (!date_parse(s, &d))
		fail_msg("could not parse \"%s\"", s);
	date_format_ymd(&d, out);
	date_format_hm(&d, t);
	assert_string_equal(out, ymd);
	assert_string_equal(t, hm);
	assert_string_equal(d.tz, tz);
}

static void
test_numeric_forms(void **state)
{
	(void)state;
	check("2015-10-21", "2015-10-21", "", "");
	check("2015/10/21", "2015-10-21", "", "");
	check("2015.10.21", "2015-10-21", "", "");
	check("2015/1/5", "2015-01-05", "", "");
	check("  2015-10-21  ", "2015-10-21", "", "");
	/* a number over 12 decides which is the day */
	check("11/30/2026", "2026-11-30", "", "");
	check("30.11.2026", "2026-11-30", "", "");
	check("03/03/2021", "2021-03-03", "", "");
	/* Jira's own form */
	check("24/Nov/26 2:05 PM", "2026-11-24", "14:05", "");
}

/* 03/04/2021 reads either way: only an order reads it. */
static void
test_ambiguous_order(void **state)
{
	(void)state;
	struct date_parts d;
	bool ambiguous = false;
	char out[11];

	assert_false(date_parse("03/04/2021", &d));
	assert_int_equal(date_parse_prefix_ordered("03/04/2021", DATE_ORDER_NONE, &d, &ambiguous), 0);
	assert_true(ambiguous);
	assert_int_equal(date_parse_prefix_ordered("03/04/2021", DATE_ORDER_MDY, &d, NULL), 10);
	date_format_ymd(&d, out);
	assert_string_equal(out, "2021-03-04");
	assert_int_equal(date_parse_prefix_ordered("03/04/2021", DATE_ORDER_DMY, &d, NULL), 10);
	date_format_ymd(&d, out);
	assert_string_equal(out, "2021-04-03");
	assert_false(date_parse("13/13/2021", &d));
}

static void
test_english_forms(void **state)
{
	(void)state;
	check("Oct 21, 2015", "2015-10-21", "", "");
	check("October 21, 2015", "2015-10-21", "", "");
	check("21 Oct 2015", "2015-10-21", "", "");
	check("21 October 2015", "2015-10-21", "", "");
	check("Sept 3rd, 2021", "2021-09-03", "", "");
	check("oct. 21 2015", "2015-10-21", "", "");
}

static void
test_japanese_forms(void **state)
{
	(void)state;
	check("2021年11月25日", "2021-11-25", "", "");
	check("2021年11月25日(木)", "2021-11-25", "", "");
	check("2021年11月25日（木） 10:30", "2021-11-25", "10:30", "");
	check("2021年 1月 5日 9時5分", "2021-01-05", "09:05", "");
}

static void
test_times_and_zones(void **state)
{
	(void)state;
	check("2023/12/07 19:04 JST", "2023-12-07", "19:04", "JST");
	check("2023-12-07T19:04:00+09:00", "2023-12-07", "19:04", "+09:00");
	check("2023-12-07T10:04:00Z", "2023-12-07", "10:04", "Z");
	check("2023-12-07 19:04 UTC", "2023-12-07", "19:04", "UTC");
	check("2023-12-07 19:04 - 20:10 JST", "2023-12-07", "19:04", "JST");
	check("2023-12-07 19:04〜20:10", "2023-12-07", "19:04", "");
	check("Oct 21, 2015 7:04 PM PST", "2015-10-21", "19:04", "PST");
	check("2023-12-07 19:04 (JST)", "2023-12-07", "19:04", "JST");
	check("2023-12-07 19:04 +0900", "2023-12-07", "19:04", "+09:00");
}

static void
test_rejects(void **state)
{
	(void)state;
	struct date_parts d;

	assert_false(date_parse("2023-02-30", &d));
	assert_false(date_parse("2023-13-01", &d));
	assert_false(date_parse("2023-02-29", &d));
	assert_true(date_parse("2024-02-29", &d));
	assert_false(date_parse("Feb 30, 2024", &d));
	assert_false(date_parse("2023年2月30日", &d));
	assert_false(date_parse("20231207", &d));
	assert_false(date_parse("2023-12-07 and more", &d));
	assert_false(date_parse("", &d));
	assert_false(date_parse("tomorrow", &d));
	assert_false(date_parse("2023-12-07 25:00", &d));
}

static void
test_prefix_and_find(void **state)
{
	(void)state;
	struct date_parts d;
	size_t at = 0;
	char out[11];
	const char *s = "Add pool alert due 2026/12/15 (OPS-1)";

	size_t n = date_find(s, &d, &at);
	assert_int_equal(at, 19);
	assert_int_equal(n, 10);
	date_format_ymd(&d, out);
	assert_string_equal(out, "2026-12-15");
	assert_int_equal(date_find("OPS-2023 no dates 12-15", &d, &at), 0);
	assert_int_equal(date_parse_prefix("2015-10-21, then", &d), 10);
}

static void
test_iso_week(void **state)
{
	(void)state;
	char w[9], m[11];

	assert_int_equal(date_iso_week("2026-12-03", w), 0);
	assert_string_equal(w, "2026-W49");
	assert_int_equal(date_iso_week("2021-01-03", w), 0);
	assert_string_equal(w, "2020-W53");
	assert_int_equal(date_iso_week("2024-12-30", w), 0);
	assert_string_equal(w, "2025-W01");
	assert_int_equal(date_iso_week("2026-01-01", w), 0);
	assert_string_equal(w, "2026-W01");
	assert_int_equal(date_iso_week("2023-02-30", w), -1);
	assert_int_equal(date_iso_week("2023-2-3", w), -1);

	assert_int_equal(date_week_monday("2026-W49", m), 0);
	assert_string_equal(m, "2026-11-30");
	assert_int_equal(date_week_monday("2020-W53", m), 0);
	assert_string_equal(m, "2020-12-28");
	assert_int_equal(date_week_monday("2025-W01", m), 0);
	assert_string_equal(m, "2024-12-30");
	assert_int_equal(date_week_monday("2021-W53", m), -1);
	assert_int_equal(date_week_monday("2021-W00", m), -1);
	assert_int_equal(date_week_monday("2021W01", m), -1);

	/* every Monday of several years maps back to its own week */
	for (int i = 0; i < 3 * 53; i++) {
		char wk[16], again[9];
		snprintf(wk, sizeof(wk), "%04d-W%02d", 2019 + i / 53, i % 53 + 1);
		if (date_week_monday(wk, m) != 0)
			continue;
		assert_int_equal(date_iso_week(m, again), 0);
		assert_string_equal(again, wk);
	}
}

/* An API's timestamp as an instant; a zone is an offset or a known
 * abbreviation, "DB" is not one (issue 21). */
static void
test_timestamp_and_zones(void **state)
{
	long long t;
	struct date_parts d;

	(void)state;
	assert_true(date_timestamp("2026-11-30T23:30:00Z", &t));
	assert_int_equal(t, 1796081400LL);
	assert_true(date_timestamp("2026-12-01T08:30:00.000+0900", &t));
	assert_int_equal(t, 1796081400LL);
	assert_true(date_timestamp("2026-12-01T08:30:00+09:00", &t));
	assert_int_equal(t, 1796081400LL);
	assert_false(date_timestamp("2026-12-01T08:30:00", &t));
	assert_false(date_timestamp("2026-12-01", &t));
	assert_false(date_timestamp("2026-02-30T08:30:00Z", &t));
	assert_true(date_zone_known("JST"));
	assert_true(date_zone_known("+09:00"));
	assert_true(date_zone_known("-0500"));
	assert_true(date_zone_known("UTC+9"));
	assert_true(date_zone_known("Z"));
	assert_false(date_zone_known("DB"));
	assert_false(date_zone_known("Asia/Tokyo"));
	assert_false(date_zone_known(""));
	assert_true(date_parse("2023-12-07 19:04 JST", &d));
	assert_string_equal(d.tz, "JST");
	assert_true(date_parse_prefix("2023-12-07 19:04 DB failover", &d) > 0);
	assert_string_equal(d.tz, "");
}

/* Overdue is defined once: open, with a due date before today. */
static void
test_overdue(void **state)
{
	(void)state;
	assert_true(date_overdue("2026-11-21", "open", "2026-12-01"));
	assert_false(date_overdue("2026-12-01", "open", "2026-12-01"));
	assert_false(date_overdue("2026-11-21", "done", "2026-12-01"));
	assert_false(date_overdue(NULL, "open", "2026-12-01"));
	assert_false(date_overdue("2026-11-21", "open", NULL));
}

/* The one ISO date check: shape and calendar both. */
static void
test_iso_valid(void **state)
{
	(void)state;
	assert_true(date_iso_valid("2026-12-08"));
	assert_true(date_iso_valid("2024-02-29"));
	assert_false(date_iso_valid("2026-02-29"));
	assert_false(date_iso_valid("1900-02-29"));
	assert_true(date_iso_valid("2000-02-29"));
	assert_false(date_iso_valid("2026-13-01"));
	assert_false(date_iso_valid("2026-04-31"));
	assert_false(date_iso_valid("2026-4-01"));
	assert_false(date_iso_valid("2026-04-01 "));
	assert_false(date_iso_valid("2026/04/01"));
	assert_false(date_iso_valid(""));
	assert_false(date_iso_valid(NULL));
}

/* A file's unambiguous numeric dates decide its order; disagreeing or no
 * evidence decides nothing. */
static void
test_order_evidence(void **state)
{
	(void)state;
	assert_int_equal(date_order_evidence("Date: 03/04/2026\n- 25/03/2026 deploy"),
			 DATE_ORDER_DMY);
	assert_int_equal(date_order_evidence("3/4/2026 and 3/25/2026"), DATE_ORDER_MDY);
	assert_int_equal(date_order_evidence("25.03.2026 then 03.25.2026"), DATE_ORDER_NONE);
	assert_int_equal(date_order_evidence("03/04/2026 only"), DATE_ORDER_NONE);
	assert_int_equal(date_order_evidence("2026-03-25 is ISO"), DATE_ORDER_NONE);
	assert_int_equal(date_order_evidence("version 13/2/2026x1"), DATE_ORDER_DMY);
	assert_int_equal(date_order_evidence(""), DATE_ORDER_NONE);
}

/* The one hash is FNV-1a 64 (its published test values), and a field
 * carries its end, so fields hashed in a row cannot run together. */
static void
test_hash(void **state)
{
	(void)state;
	assert_true(hash_bytes(HASH_INIT, "", 0) == 0xcbf29ce484222325ull);
	assert_true(hash_bytes(HASH_INIT, "a", 1) == 0xaf63dc4c8601ec8cull);
	assert_true(hash_bytes(HASH_INIT, "foobar", 6) == 0x85944171f73967e8ull);
	assert_true(hash_field(hash_field(HASH_INIT, "ab"), "c") !=
		    hash_field(hash_field(HASH_INIT, "a"), "bc"));
	assert_true(hash_field(HASH_INIT, NULL) != hash_field(HASH_INIT, ""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overdue),
		cmocka_unit_test(test_iso_valid),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_order_evidence),
		cmocka_unit_test(test_numeric_forms),
		cmocka_unit_test(test_ambiguous_order),
		cmocka_unit_test(test_english_forms),
		cmocka_unit_test(test_japanese_forms),
		cmocka_unit_test(test_times_and_zones),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_prefix_and_find),
		cmocka_unit_test(test_iso_week),
		cmocka_unit_test(test_timestamp_and_zones),
	};

	return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
