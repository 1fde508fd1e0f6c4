#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "furikaeri/roster.h"

static struct roster *
four(void)
{
	struct roster *r = roster_new();

	assert_int_equal(roster_add(r, "Aoi", "engineering", NULL, NULL), 0);
	assert_int_equal(roster_add(r, "Ken", "product", NULL, NULL), 0);
	assert_int_equal(roster_add(r, "Mei", "QA", NULL, NULL), 0);
	assert_int_equal(roster_add(r, "Sato", "customer support", NULL, NULL), 0);
	return r;
}

static void
propose(const struct roster *r, const char *week, int n, const char *fac, const char *bak)
{
	const char *f = NULL, *b = NULL;

	assert_int_equal(roster_propose(r, week, &f, &b, NULL), n);
	if (fac == NULL)
		assert_null(f);
	else
		assert_string_equal(f, fac);
	if (bak == NULL)
		assert_null(b);
	else
		assert_string_equal(b, bak);
}

static void
test_fair_cycle(void **state)
{
	(void)state;
	struct roster *r = four();
	struct week w;
	int led[4] = { 0 }, backed[4] = { 0 };
	const char *expect_f[10] = { "Aoi", "Ken", "Mei", "Sato", "Aoi", "Ken", "Mei", "Sato", "Aoi", "Ken" };
	const char *expect_b[10] = { "Ken", "Mei", "Sato", "Aoi", "Ken", "Mei", "Sato", "Aoi", "Ken", "Mei" };

	assert_true(week_parse("2026-W50", &w));
	for (int i = 0; i < 10; i++, w = week_next(w)) {
		char ws[WEEK_STRLEN];
		const char *f, *b;
		week_format(w, ws);
		assert_int_equal(roster_propose(r, ws, &f, &b, NULL), 2);
		assert_string_equal(f, expect_f[i]);
		assert_string_equal(b, expect_b[i]);
		assert_string_not_equal(f, b);
		led[roster_find(r, f)]++;
		backed[roster_find(r, b)]++;
		char *fc = strdup(f), *bc = strdup(b);
		assert_int_equal(roster_record(r, ws, fc, bc, NULL), 0);
		free(fc);
		free(bc);
	}
	/* crosses 2026-W53 into 2027 */
	assert_int_equal(roster_history_count(r), 10);
	char ws[WEEK_STRLEN];
	week_format(roster_history_at(r, 3).week, ws);
	assert_string_equal(ws, "2026-W53");
	for (int i = 0; i < 4; i++) {
		assert_true(led[i] == 2 || led[i] == 3);
		assert_true(backed[i] == 2 || backed[i] == 3);
	}
	roster_free(r);
}

static void
test_away_is_skipped(void **state)
{
	(void)state;
	struct roster *r = four();

	/* away until the Monday of W50: still away that week */
	assert_int_equal(roster_set_away(r, "Aoi", "2026-12-07", NULL), 0);
	assert_true(roster_is_away(r, 0, (struct week){ 2026, 50 }));
	assert_false(roster_is_away(r, 0, (struct week){ 2026, 51 }));
	/* away until the Sunday before: available */
	assert_int_equal(roster_set_away(r, "Ken", "2026-12-06", NULL), 0);
	assert_false(roster_is_away(r, 1, (struct week){ 2026, 50 }));
	propose(r, "2026-W50", 2, "Ken", "Mei");
	propose(r, "2026-W51", 2, "Aoi", "Ken");
	assert_int_equal(roster_set_away(r, "Aoi", NULL, NULL), 0);
	propose(r, "2026-W50", 2, "Aoi", "Ken");
	roster_free(r);
}

static void
test_replaced_facilitator_drives_next(void **state)
{
	(void)state;
	struct roster *r = four();

	propose(r, "2026-W49", 2, "Aoi", "Ken");
	/* the room picked Mei instead, with Aoi as backup */
	assert_int_equal(roster_record(r, "2026-W49", "Mei", "Aoi", NULL), 0);
	propose(r, "2026-W50", 2, "Aoi", "Ken");
	assert_int_equal(roster_record(r, "2026-W50", "Aoi", "Ken", NULL), 0);
	propose(r, "2026-W51", 2, "Ken", "Sato");
	/* re-recording a week replaces the old record */
	assert_int_equal(roster_record(r, "2026-W50", "Sato", NULL, NULL), 0);
	assert_int_equal(roster_history_count(r), 2);
	propose(r, "2026-W51", 2, "Aoi", "Ken");
	roster_free(r);
}

static void
test_ties_are_deterministic(void **state)
{
	(void)state;
	struct roster *r = roster_new();

	/* added order beats name order */
	assert_int_equal(roster_add(r, "Zed", NULL, NULL, NULL), 0);
	assert_int_equal(roster_add(r, "Amy", NULL, NULL, NULL), 0);
	assert_int_equal(roster_add(r, "田中", NULL, NULL, NULL), 0);
	propose(r, "2026-W49", 2, "Zed", "Amy");
	/* both led in the same old week: the one added first goes */
	assert_int_equal(roster_record(r, "2026-W40", "Zed", "Amy", NULL), 0);
	assert_int_equal(roster_record(r, "2026-W41", "Amy", "田中", NULL), 0);
	assert_int_equal(roster_record(r, "2026-W42", "田中", "Zed", NULL), 0);
	propose(r, "2026-W49", 2, "Zed", "Amy");
	for (int i = 0; i < 5; i++)
		propose(r, "2026-W49", 2, "Zed", "Amy");
	roster_free(r);
}

static void
test_future_history_ignored(void **state)
{
	(void)state;
	struct roster *r = four();

	assert_int_equal(roster_record(r, "2026-W49", "Aoi", "Ken", NULL), 0);
	assert_int_equal(roster_record(r, "2026-W51", "Ken", "Mei", NULL), 0);
	/* W49 itself and W51 do not count when asking for W49 */
	propose(r, "2026-W49", 2, "Aoi", "Ken");
	propose(r, "2026-W50", 2, "Ken", "Mei");
	propose(r, "2026-W52", 2, "Mei", "Sato");
	roster_free(r);
}

static void
test_few_people(void **state)
{
	(void)state;
	struct roster *r = roster_new();

	propose(r, "2026-W49", 0, NULL, NULL);
	assert_int_equal(roster_add(r, "Aoi", NULL, NULL, NULL), 0);
	propose(r, "2026-W49", 1, "Aoi", NULL);
	assert_int_equal(roster_add(r, "Ken", NULL, "2026-12-31", NULL), 0);
	propose(r, "2026-W49", 1, "Aoi", NULL);
	assert_int_equal(roster_set_away(r, "Aoi", "2026-12-31", NULL), 0);
	propose(r, "2026-W49", 0, NULL, NULL);
	propose(r, "2027-W01", 2, "Aoi", "Ken");
	roster_free(r);
}

static void
test_edit_and_errors(void **state)
{
	(void)state;
	struct roster *r = four();
	char *err = NULL;
	const char *f, *b;

	assert_int_equal(roster_add(r, "Aoi", NULL, NULL, &err), -1);
	assert_non_null(strstr(err, "already"));
	assert_int_equal(roster_add(r, "", NULL, NULL, &err), -1);
	assert_int_equal(roster_add(r, "New", NULL, "next week", &err), -1);
	assert_non_null(strstr(err, "YYYY-MM-DD"));
	assert_int_equal(roster_remove(r, "Nobody", &err), -1);
	assert_non_null(strstr(err, "roster list"));
	assert_int_equal(roster_set_away(r, "Nobody", NULL, &err), -1);
	assert_int_equal(roster_record(r, "2026-49", "Aoi", NULL, &err), -1);
	assert_non_null(strstr(err, "YYYY-Www"));
	assert_int_equal(roster_propose(r, "2025-W53", &f, &b, &err), -1);
	free(err);

	assert_int_equal(roster_remove(r, "Ken", NULL), 0);
	assert_int_equal(roster_count(r), 3);
	assert_string_equal(roster_at(r, 1).name, "Mei");
	assert_string_equal(roster_at(r, 1).role, "QA");
	assert_int_equal(roster_at(r, 1).order, 1);
	assert_int_equal(roster_find(r, "Ken"), -1);
	/* history may name people who left */
	assert_int_equal(roster_record(r, "2026-W48", "Ken", NULL, NULL), 0);
	assert_string_equal(roster_history_at(r, 0).facilitator, "Ken");
	assert_null(roster_history_at(r, 0).backup);
	propose(r, "2026-W49", 2, "Aoi", "Mei");
	roster_free(r);
	roster_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fair_cycle),
		cmocka_unit_test(test_away_is_skipped),
		cmocka_unit_test(test_replaced_facilitator_drives_next),
		cmocka_unit_test(test_ties_are_deterministic),
		cmocka_unit_test(test_future_history_ignored),
		cmocka_unit_test(test_few_people),
		cmocka_unit_test(test_edit_and_errors),
	};

	return cmocka_run_group_tests_name("roster", tests, NULL, NULL);
}
