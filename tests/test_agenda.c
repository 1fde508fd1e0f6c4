#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "furikaeri/agenda.h"

static const struct agenda_entry ready[] = {
	{ .id = "PM-2", .title = "Payment timeouts", .date = "2026-11-27", .severity_rank = 2 },
	{ .id = "PM-1", .title = "検索の障害", .date = "2026-11-28", .severity_rank = 1 },
	{ .id = "PM-3", .title = "CS macro misfire", .date = "2026-11-26", .severity_rank = 3 },
};
static const struct agenda_entry carried[] = {
	{ .id = "PM-0", .title = "Cache stampede", .date = "2026-11-20", .severity_rank = 2 },
};

static struct agenda *
standard(void)
{
	struct agenda_input in = {
		.open_measures = 3,
		.ready = ready, .n_ready = 3,
		.carried = carried, .n_carried = 1,
	};
	return agenda_new(&in);
}

/* Checks the titles' order (by pm id or title) and the budgets in minutes. */
static void
expect(const struct agenda *a, size_t n, const char *const *names, const int *minutes)
{
	assert_int_equal(agenda_count(a), n);
	for (size_t i = 0; i < n; i++) {
		const struct agenda_item *it = agenda_item(a, i);
		assert_string_equal(it->pm_id != NULL ? it->pm_id : it->title, names[i]);
		assert_int_equal(it->budget_s, minutes[i] * 60);
	}
}

static int
budget_sum(const struct agenda *a)
{
	int s = 0;

	for (size_t i = 0; i < agenda_count(a); i++)
		s += agenda_item(a, i)->budget_s;
	return s;
}

static void
test_build_order_and_budget(void **state)
{
	(void)state;
	struct agenda *a = standard();
	const char *names[] = { "Follow-ups", "PM-1", "PM-0", "PM-2", "PM-3", "Wrap-up" };
	const int minutes[] = { 5, 16, 13, 12, 9, 5 };

	expect(a, 6, names, minutes);
	assert_int_equal(budget_sum(a), 3600);
	assert_int_equal(agenda_total_s(a), 3600);
	assert_int_equal(agenda_item(a, 0)->kind, AGENDA_FOLLOWUPS);
	assert_int_equal(agenda_item(a, 5)->kind, AGENDA_WRAPUP);
	assert_true(agenda_item(a, 2)->carried_over);
	assert_false(agenda_item(a, 3)->carried_over);
	assert_string_equal(agenda_item(a, 1)->title, "検索の障害");
	assert_string_equal(agenda_item(a, 1)->date, "2026-11-28");
	assert_int_equal(agenda_item(a, 1)->state, AGENDA_PENDING);
	assert_int_equal(agenda_current(a), AGENDA_NONE);
	assert_int_equal(agenda_find(a, "PM-3"), 4);
	assert_int_equal(agenda_find(a, "PM-9"), AGENDA_NONE);
	assert_int_equal(agenda_open_measures(a), 3);
	assert_null(agenda_item(a, 6));
	agenda_free(a);
	agenda_free(NULL);
}

static void
test_tie_break(void **state)
{
	(void)state;
	const struct agenda_entry r[] = {
		{ .id = "pm-b", .title = "b", .date = "2026-11-25", .severity_rank = 3 },
		{ .id = "pm-a", .title = "a", .date = "2026-11-25", .severity_rank = 3 },
		{ .id = "pm-u", .title = "u", .date = NULL, .severity_rank = 3 },
		{ .id = "pm-z", .title = "z", .date = "2026-11-20", .severity_rank = 3 },
		{ .id = "pm-x", .title = "x", .date = "2026-11-01", .severity_rank = 9 },
		{ .id = "pm-5", .title = "5", .date = "2026-11-01", .severity_rank = 5 },
	};
	const struct agenda_entry c[] = {
		{ .id = "pm-y", .title = "y", .date = "2026-11-29", .severity_rank = 3 },
	};
	struct agenda_input in = { .ready = r, .n_ready = 6, .carried = c, .n_carried = 1 };
	struct agenda *a = agenda_new(&in);
	const char *order[] = { "pm-y", "pm-z", "pm-a", "pm-b", "pm-u", "pm-5", "pm-x", "Wrap-up" };

	/* no open measures: no follow-ups item */
	assert_int_equal(agenda_count(a), 8);
	for (size_t i = 0; i < 8; i++) {
		const struct agenda_item *it = agenda_item(a, i);
		assert_string_equal(it->pm_id != NULL ? it->pm_id : it->title, order[i]);
	}
	assert_int_equal(agenda_item(a, 6)->severity_rank, 6);
	assert_int_equal(budget_sum(a), 3600);
	agenda_free(a);
}

static void
test_skip_frees_budget(void **state)
{
	(void)state;
	struct agenda *a = standard();
	const char *names[] = { "Follow-ups", "PM-1", "PM-0", "PM-2", "PM-3", "Wrap-up" };
	const int after_skip[] = { 5, 19, 16, 15, 0, 5 };
	const int after_unskip[] = { 5, 16, 13, 12, 9, 5 };
	char *err = NULL;

	assert_int_equal(agenda_skip(a, 4, NULL), 0);
	assert_int_equal(agenda_item(a, 4)->state, AGENDA_SKIPPED);
	expect(a, 6, names, after_skip);
	assert_int_equal(agenda_skip(a, 4, &err), -1);
	assert_non_null(strstr(err, "already skipped"));
	assert_int_equal(agenda_set_current(a, 4, &err), -1);
	assert_non_null(strstr(err, "/unskip"));
	assert_int_equal(agenda_unskip(a, 4, NULL), 0);
	expect(a, 6, names, after_unskip);
	assert_int_equal(agenda_unskip(a, 4, &err), -1);

	assert_int_equal(agenda_carry(a, 3, NULL), 0);
	assert_int_equal(agenda_item(a, 3)->state, AGENDA_CARRIED);
	assert_int_equal(agenda_item(a, 3)->budget_s, 0);
	assert_int_equal(budget_sum(a), 3600);
	assert_int_equal(agenda_carry(a, 0, &err), -1);
	assert_non_null(strstr(err, "/skip"));
	assert_int_equal(agenda_carry(a, 5, &err), -1);
	assert_int_equal(agenda_skip(a, 5, &err), -1);
	assert_non_null(strstr(err, "wrap-up"));
	assert_int_equal(agenda_skip(a, 0, NULL), 0);
	assert_int_equal(agenda_skip(a, 9, &err), -1);
	assert_non_null(strstr(err, "items 1 to 6"));
	free(err);
	agenda_free(a);
}

/* At the end: what was not discussed (never opened, or opened with no
 * entries) goes to next week; what has entries, what was skipped or
 * dropped, the follow-ups and the wrap-up do not. */
static void
test_carry_undiscussed_and_drop(void **state)
{
	(void)state;
	struct agenda *a = standard();
	/* Follow-ups, PM-1, PM-0, PM-2, PM-3, Wrap-up */
	bool discussed[6] = { false, true, false, false, false, false };
	char *err = NULL;

	agenda_next(a);			/* follow-ups */
	agenda_next(a);			/* PM-1: discussed */
	agenda_next(a);			/* PM-0: opened, nothing said */
	assert_int_equal(agenda_drop(a, 4, NULL), 0);	/* PM-3 dropped on purpose */
	assert_int_equal(agenda_item(a, 4)->state, AGENDA_SKIPPED);
	assert_int_equal(agenda_drop(a, 4, &err), -1);
	assert_non_null(strstr(err, "already"));
	free(err);
	err = NULL;
	assert_int_equal(agenda_drop(a, 0, &err), -1);
	assert_non_null(strstr(err, "follow-ups"));
	free(err);
	err = NULL;
	assert_int_equal(agenda_drop(a, 5, &err), -1);
	free(err);
	agenda_set_current(a, 5, NULL);	/* the wrap-up; PM-2 never opened */
	assert_int_equal(agenda_carry_undiscussed(a, discussed), 2);
	assert_int_equal(agenda_item(a, 0)->state, AGENDA_DONE);
	assert_int_equal(agenda_item(a, 1)->state, AGENDA_DONE);
	assert_int_equal(agenda_item(a, 2)->state, AGENDA_CARRIED);
	assert_int_equal(agenda_item(a, 3)->state, AGENDA_CARRIED);
	assert_int_equal(agenda_item(a, 4)->state, AGENDA_SKIPPED);
	assert_int_equal(agenda_item(a, 5)->state, AGENDA_CURRENT);
	/* a carried item can still be dropped */
	assert_int_equal(agenda_drop(a, 3, NULL), 0);
	assert_int_equal(agenda_item(a, 3)->state, AGENDA_SKIPPED);
	agenda_free(a);
}

static void
test_overrun_comes_out_of_pending(void **state)
{
	(void)state;
	struct agenda *a = standard();
	const char *names[] = { "Follow-ups", "PM-1", "PM-0", "PM-2", "PM-3", "Wrap-up" };
	const int step1[] = { 5, 15, 12, 12, 9, 5 };
	const int step2[] = { 5, 15, 12, 12, 9, 5 };
	const int step3[] = { 5, 15, 11, 11, 8, 5 };

	assert_int_equal(agenda_next(a), 0);
	assert_int_equal(agenda_item(a, 0)->state, AGENDA_CURRENT);
	assert_int_equal(agenda_add_time(a, 0, 420, NULL), 0);
	assert_int_equal(agenda_clock_state(agenda_item(a, 0)->budget_s, agenda_item(a, 0)->spent_s),
			 AGENDA_CLOCK_OVER);
	expect(a, 6, names, step1);

	assert_int_equal(agenda_next(a), 1);
	assert_int_equal(agenda_item(a, 0)->state, AGENDA_DONE);
	assert_int_equal(agenda_add_time(a, 1, 30, NULL), 0);
	expect(a, 6, names, step2);
	/* 420 + 900 + 33 min + 300 */
	assert_int_equal(budget_sum(a) - agenda_item(a, 0)->budget_s + 420, 3600);

	assert_int_equal(agenda_add_time(a, 1, 1000, NULL), 0);
	expect(a, 6, names, step3);
	assert_int_equal(agenda_spent_s(a), 1450);
	assert_int_equal(agenda_add_time(a, 1, -5, NULL), -1);

	/* the meeting ran far over: every pending item keeps a minute */
	assert_int_equal(agenda_add_time(a, 1, 4000, NULL), 0);
	for (size_t i = 2; i < 6; i++)
		assert_int_equal(agenda_item(a, i)->budget_s, 60);
	agenda_free(a);
}

static void
test_minimum_and_small_totals(void **state)
{
	(void)state;
	const struct agenda_entry r[] = {
		{ .id = "s1", .title = "1", .severity_rank = 1 },
		{ .id = "s2", .title = "2", .severity_rank = 2 },
		{ .id = "s3", .title = "3", .severity_rank = 3 },
		{ .id = "s4", .title = "4", .severity_rank = 4 },
		{ .id = "s5", .title = "5", .severity_rank = 5 },
	};
	struct agenda_input in = { .open_measures = 1, .ready = r, .n_ready = 5, .total_minutes = 10 };
	struct agenda *a = agenda_new(&in);
	const char *names[] = { "Follow-ups", "s1", "s2", "s3", "s4", "s5", "Wrap-up" };
	/* ten minutes: follow-ups 2 (a fifth), wrap-up 5, and the 3 left hold
	 * one item at the floor; the rest wait if time permits */
	const int ten[] = { 2, 3, 0, 0, 0, 0, 5 };
	const int three[] = { 1, 1, 1, 1, 1, 1, 1 };

	expect(a, 7, names, ten);
	assert_int_equal(budget_sum(a), 600);
	assert_int_equal(agenda_if_time_count(a), 4);
	assert_true(agenda_item(a, 2)->if_time);
	assert_false(agenda_item(a, 1)->if_time);
	agenda_set_total(a, 3);
	expect(a, 7, names, three);
	/* 90 minutes: follow-ups 5 (cap 9), wrap-up 5, 80 shared 5:4:3:2:2 */
	agenda_set_total(a, 90);
	assert_int_equal(agenda_item(a, 0)->budget_s, 300);
	assert_int_equal(agenda_item(a, 1)->budget_s, 25 * 60);
	assert_int_equal(agenda_item(a, 2)->budget_s, 20 * 60);
	assert_int_equal(agenda_item(a, 3)->budget_s, 15 * 60);
	assert_int_equal(agenda_item(a, 4)->budget_s, 10 * 60);
	assert_int_equal(agenda_item(a, 5)->budget_s, 10 * 60);
	assert_int_equal(agenda_item(a, 6)->budget_s, 300);
	assert_int_equal(agenda_if_time_count(a), 0);
	/* 30 minutes: follow-ups 5, 20 shared with a floor of 3: 6 5 3 3 3 */
	agenda_set_total(a, 30);
	assert_int_equal(agenda_item(a, 0)->budget_s, 300);
	const int thirty[] = { 5, 6, 5, 3, 3, 3, 5 };
	expect(a, 7, names, thirty);
	assert_int_equal(budget_sum(a), 1800);
	agenda_free(a);
}

/* A busy week: 199 new postmortems and 342 open measures in an hour. The
 * follow-ups get their cap (a fifth), the most severe and oldest items
 * get at least the floor, the rest wait if time permits, and the budgets
 * add up to the hour; a skipped item's time brings one back. */
static void
test_busy_week_fits_the_hour(void **state)
{
	(void)state;
	struct agenda_entry r[199];
	char ids[199][16], dates[199][16];

	for (int i = 0; i < 199; i++) {
		snprintf(ids[i], sizeof(ids[i]), "pm-%03d", i);
		snprintf(dates[i], sizeof(dates[i]), "2026-11-%02d", 1 + i % 28);
		r[i] = (struct agenda_entry){ .id = ids[i], .title = ids[i], .date = dates[i],
					      .severity_rank = 1 + i % 4 };
	}
	struct agenda_input in = { .open_measures = 342, .ready = r, .n_ready = 199 };
	struct agenda *a = agenda_new(&in);

	assert_int_equal(budget_sum(a), 3600);
	assert_int_equal(agenda_item(a, 0)->budget_s, 12 * 60);
	assert_int_equal(agenda_item(a, agenda_count(a) - 1)->budget_s, 5 * 60);
	/* 43 minutes hold 14 items at 3 minutes */
	assert_int_equal(agenda_if_time_count(a), 199 - 14);
	for (size_t i = 1; i + 1 < agenda_count(a); i++) {
		const struct agenda_item *it = agenda_item(a, i);
		if (i <= 14) {
			assert_false(it->if_time);
			assert_true(it->budget_s >= 180);
			assert_int_equal(it->severity_rank, 1);
		} else {
			assert_true(it->if_time);
			assert_int_equal(it->budget_s, 0);
		}
	}
	/* the most severe kept are the oldest */
	assert_string_equal(agenda_item(a, 1)->date, "2026-11-01");
	/* with the floor at 1, more fit */
	in.floor_minutes = 1;
	struct agenda *b = agenda_new(&in);
	assert_int_equal(agenda_if_time_count(b), 199 - 43);
	assert_int_equal(budget_sum(b), 3600);
	agenda_free(b);
	/* skipping an item frees its time for one that waited */
	assert_int_equal(agenda_skip(a, 1, NULL), 0);
	assert_int_equal(agenda_if_time_count(a), 199 - 15);
	assert_int_equal(budget_sum(a), 3600);
	/* at the end, what still waits is carried over */
	assert_int_equal(agenda_carry_if_time(a), 199 - 15);
	assert_int_equal(agenda_item(a, agenda_count(a) - 2)->state, AGENDA_CARRIED);
	assert_int_equal(agenda_if_time_count(a), 0);
	agenda_free(a);
}

/* Follow-ups: five minutes for a few measures, more for many, capped. */
static void
test_followups_share_grows(void **state)
{
	(void)state;
	const struct agenda_entry r[] = { { .id = "p", .title = "p", .severity_rank = 2 } };
	const size_t open[] = { 1, 6, 11, 26, 1000 };
	const int minutes[] = { 5, 6, 7, 10, 12 };

	for (size_t i = 0; i < sizeof(open) / sizeof(open[0]); i++) {
		struct agenda_input in = { .open_measures = open[i], .ready = r, .n_ready = 1 };
		struct agenda *a = agenda_new(&in);
		assert_int_equal(agenda_item(a, 0)->budget_s, minutes[i] * 60);
		assert_int_equal(budget_sum(a), 3600);
		agenda_free(a);
	}
}

static void
test_nothing_to_review(void **state)
{
	(void)state;
	struct agenda_input in = { .open_measures = 2 };
	struct agenda *a = agenda_new(&in);

	assert_int_equal(agenda_count(a), 2);
	assert_int_equal(agenda_item(a, 0)->budget_s, 1800);
	assert_int_equal(agenda_item(a, 1)->budget_s, 1800);
	agenda_free(a);
	in.open_measures = 0;
	a = agenda_new(&in);
	assert_int_equal(agenda_count(a), 1);
	assert_int_equal(agenda_item(a, 0)->budget_s, 3600);
	agenda_free(a);
}

static void
test_add_topic(void **state)
{
	(void)state;
	struct agenda *a = standard();
	const char *names[] = { "Follow-ups", "PM-1", "PM-0", "PM-2", "PM-3", "Alert fatigue", "Wrap-up" };
	const int minutes[] = { 5, 14, 11, 11, 8, 6, 5 };
	size_t at = 0;
	char *err = NULL;

	assert_int_equal(agenda_add_topic(a, "Alert fatigue", &at, NULL), 0);
	assert_int_equal(at, 5);
	expect(a, 7, names, minutes);
	assert_int_equal(agenda_item(a, 5)->kind, AGENDA_TOPIC);
	assert_null(agenda_item(a, 5)->pm_id);
	assert_int_equal(agenda_add_topic(a, "  ", NULL, &err), -1);
	assert_non_null(strstr(err, "/topic"));
	free(err);
	assert_int_equal(agenda_carry(a, 5, NULL), 0);
	agenda_free(a);
}

static void
test_move(void **state)
{
	(void)state;
	struct agenda *a = standard();
	const char *moved[] = { "Follow-ups", "PM-3", "PM-1", "PM-0", "PM-2", "Wrap-up" };
	const int minutes[] = { 5, 9, 16, 13, 12, 5 };
	const char *back[] = { "Follow-ups", "PM-1", "PM-0", "PM-2", "PM-3", "Wrap-up" };
	const int back_minutes[] = { 5, 16, 13, 12, 9, 5 };
	char *err = NULL;

	assert_int_equal(agenda_move(a, 4, 1, NULL), 0);
	expect(a, 6, moved, minutes);
	assert_int_equal(agenda_move(a, 1, 4, NULL), 0);
	expect(a, 6, back, back_minutes);
	assert_int_equal(agenda_move_down(a, 3, NULL), 0);
	assert_string_equal(agenda_item(a, 4)->pm_id, "PM-2");
	assert_int_equal(agenda_move_up(a, 4, NULL), 0);
	assert_string_equal(agenda_item(a, 3)->pm_id, "PM-2");

	assert_int_equal(agenda_move(a, 0, 2, &err), -1);
	assert_non_null(strstr(err, "first"));
	assert_int_equal(agenda_move(a, 5, 2, &err), -1);
	assert_non_null(strstr(err, "last"));
	assert_int_equal(agenda_move(a, 2, 0, &err), -1);
	assert_non_null(strstr(err, "positions 2 to 5"));
	assert_int_equal(agenda_move(a, 2, 5, &err), -1);
	assert_int_equal(agenda_move_up(a, 1, &err), -1);
	assert_int_equal(agenda_move_down(a, 4, &err), -1);
	assert_int_equal(agenda_move_up(a, 0, &err), -1);
	assert_int_equal(agenda_move(a, 2, 17, &err), -1);
	free(err);
	expect(a, 6, back, back_minutes);
	agenda_free(a);
}

static void
test_navigation(void **state)
{
	(void)state;
	struct agenda *a = standard();

	assert_int_equal(agenda_prev(a), 5);	/* nothing current: the last */
	assert_int_equal(agenda_set_current(a, 0, NULL), 0);
	assert_int_equal(agenda_item(a, 5)->state, AGENDA_DONE);
	assert_int_equal(agenda_next(a), 1);
	assert_int_equal(agenda_skip(a, 1, NULL), 0);
	assert_int_equal(agenda_current(a), AGENDA_NONE);
	assert_int_equal(agenda_next(a), 2);
	assert_int_equal(agenda_prev(a), 0);	/* over the skipped item */
	/* going back does not finish the item left */
	assert_int_equal(agenda_item(a, 2)->state, AGENDA_PENDING);
	assert_int_equal(agenda_go(a, 2, NULL), 0);
	assert_int_equal(agenda_item(a, 0)->state, AGENDA_DONE);
	assert_int_equal(agenda_go(a, 0, NULL), 0);
	assert_int_equal(agenda_item(a, 2)->state, AGENDA_PENDING);
	assert_int_equal(agenda_go(a, 1, NULL), -1);	/* skipped */
	assert_int_equal(agenda_next(a), 2);
	assert_int_equal(agenda_carry(a, 2, NULL), 0);
	assert_int_equal(agenda_next(a), 3);
	assert_int_equal(agenda_set_current(a, 5, NULL), 0);
	assert_int_equal(agenda_next(a), AGENDA_NONE);
	assert_int_equal(agenda_current(a), 5);
	agenda_free(a);
}

static void
test_restore(void **state)
{
	(void)state;
	struct agenda *a = standard();
	char *err = NULL;

	assert_int_equal(agenda_restore(a, 0, AGENDA_DONE, 400, NULL), 0);
	assert_int_equal(agenda_restore(a, 1, AGENDA_CURRENT, 100, NULL), 0);
	assert_int_equal(agenda_restore(a, 3, AGENDA_SKIPPED, 0, NULL), 0);
	assert_int_equal(agenda_restore(a, 2, AGENDA_CURRENT, 0, &err), -1);
	assert_non_null(strstr(err, "both"));
	assert_int_equal(agenda_restore(a, 5, AGENDA_CARRIED, 0, &err), -1);
	assert_int_equal(agenda_restore(a, 2, AGENDA_PENDING, -1, &err), -1);
	free(err);
	assert_int_equal(agenda_current(a), 1);
	assert_int_equal(agenda_spent_s(a), 500);
	/* PM-1 became current with 15 min (after 400 s of follow-ups):
	 * 3600 - 400 - 900 = 2300 s, 38 min, wrap-up 5, 33 shared 4:3 */
	assert_int_equal(agenda_item(a, 1)->budget_s, 15 * 60);
	assert_int_equal(agenda_item(a, 2)->budget_s, 19 * 60);
	assert_int_equal(agenda_item(a, 3)->budget_s, 0);
	assert_int_equal(agenda_item(a, 4)->budget_s, 14 * 60);
	agenda_free(a);
}

static void
test_clock_state(void **state)
{
	(void)state;
	assert_int_equal(agenda_clock_state(600, 0), AGENDA_CLOCK_OK);
	assert_int_equal(agenda_clock_state(600, 479), AGENDA_CLOCK_OK);
	assert_int_equal(agenda_clock_state(600, 480), AGENDA_CLOCK_NEAR);
	assert_int_equal(agenda_clock_state(600, 600), AGENDA_CLOCK_NEAR);
	assert_int_equal(agenda_clock_state(600, 601), AGENDA_CLOCK_OVER);
	assert_int_equal(agenda_clock_state(3600, 2879), AGENDA_CLOCK_OK);
	assert_int_equal(agenda_clock_state(3600, 2880), AGENDA_CLOCK_NEAR);
	assert_int_equal(agenda_clock_state(0, 0), AGENDA_CLOCK_OK);
	assert_int_equal(agenda_clock_state(0, 1), AGENDA_CLOCK_OVER);
}

static void
test_names(void **state)
{
	(void)state;
	enum agenda_state s;
	enum agenda_kind k;

	for (int i = AGENDA_PENDING; i <= AGENDA_CARRIED; i++) {
		assert_true(agenda_state_parse(agenda_state_name((enum agenda_state)i), &s));
		assert_int_equal(s, i);
	}
	for (int i = AGENDA_FOLLOWUPS; i <= AGENDA_WRAPUP; i++) {
		assert_true(agenda_kind_parse(agenda_kind_name((enum agenda_kind)i), &k));
		assert_int_equal(k, i);
	}
	assert_string_equal(agenda_state_name(AGENDA_CARRIED), "carried");
	assert_false(agenda_state_parse("Done", &s));
	assert_false(agenda_kind_parse("", &k));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_order_and_budget),
		cmocka_unit_test(test_tie_break),
		cmocka_unit_test(test_skip_frees_budget),
		cmocka_unit_test(test_carry_undiscussed_and_drop),
		cmocka_unit_test(test_overrun_comes_out_of_pending),
		cmocka_unit_test(test_minimum_and_small_totals),
		cmocka_unit_test(test_busy_week_fits_the_hour),
		cmocka_unit_test(test_followups_share_grows),
		cmocka_unit_test(test_nothing_to_review),
		cmocka_unit_test(test_add_topic),
		cmocka_unit_test(test_move),
		cmocka_unit_test(test_navigation),
		cmocka_unit_test(test_restore),
		cmocka_unit_test(test_clock_state),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("agenda", tests, NULL, NULL);
}
