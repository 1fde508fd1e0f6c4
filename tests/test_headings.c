#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "furikaeri/headings.h"
#include "furikaeri/import.h"
#include "furikaeri/paths.h"
#include "furikaeri/xalloc.h"

static int
setup(void **state)
{
	const char *src = getenv("FK_SRCDIR");
	char *dir = xasprintf("%s/data/headings", src != NULL ? src : FK_SRCDIR);
	const char *dirs[] = { dir, "/nonexistent/furikaeri" };
	char *err = NULL;

	*state = headings_load(dirs, 2, &err);
	free(dir);
	if (*state == NULL) {
		fprintf(stderr, "%s\n", err);
		free(err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	headings_free(*state);
	return 0;
}

static void
expect(const struct headings *h, const char *heading, const char *key)
{
	const char *got = headings_match(h, heading);

	if (key == NULL) {
		if (got != NULL)
			fail_msg("\"%s\" matched %s, expected no match", heading, got);
		return;
	}
	if (got == NULL || strcmp(got, key) != 0)
		fail_msg("\"%s\" matched %s, expected %s", heading, got ? got : "nothing", key);
}

static void
test_required_english(void **state)
{
	const struct headings *h = *state;
	static const char *const pairs[][2] = {
		{ "Summary", "summary" }, { "TL;DR", "summary" }, { "Overview", "summary" },
		{ "Executive Summary", "summary" }, { "Impact", "impact" },
		{ "Customer Impact", "impact" }, { "Root Cause", "root_cause" },
		{ "Root Causes", "root_cause" }, { "Root Cause(s)", "root_cause" },
		{ "Root Cause Analysis", "root_cause" }, { "Contributing Factors", "root_cause" },
		{ "Trigger", "trigger" }, { "Detection", "detection" },
		{ "How we detected it", "detection" }, { "Resolution", "resolution" },
		{ "Mitigation", "resolution" }, { "Recovery", "resolution" },
		{ "Remediation", "resolution" }, { "Timeline", "timeline" },
		{ "Lessons Learned", "lessons" }, { "Lessons Learnt", "lessons" },
		{ "What went well", "lessons" }, { "What went wrong", "lessons" },
		{ "Where we got lucky", "lessons" }, { "Action Items", "measures" },
		{ "Follow-up Actions", "measures" }, { "Prevention", "measures" },
		{ "Prevention Measures", "measures" },
		{ "Corrective and Preventative Measures", "measures" },
		{ "Corrective Actions", "measures" }, { "Recommendations", "measures" },
		{ "Next steps", "measures" }, { "Not doing", "not_doing" },
		{ "Won't do", "not_doing" }, { "Rejected actions", "not_doing" },
		{ "Considered but not adopted", "not_doing" },
	};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		expect(h, pairs[i][0], pairs[i][1]);
}

static void
test_required_japanese(void **state)
{
	const struct headings *h = *state;
	static const char *const pairs[][2] = {
		{ "概要", "summary" }, { "サマリー", "summary" }, { "影響", "impact" },
		{ "影響範囲", "impact" }, { "原因", "root_cause" }, { "根本原因", "root_cause" },
		{ "真因", "root_cause" }, { "トリガー", "trigger" }, { "発生契機", "trigger" },
		{ "検知", "detection" }, { "検出", "detection" }, { "対応", "resolution" },
		{ "復旧", "resolution" }, { "暫定対応", "resolution" }, { "恒久対応", "measures" },
		{ "タイムライン", "timeline" }, { "時系列", "timeline" }, { "経緯", "timeline" },
		{ "教訓", "lessons" }, { "学び", "lessons" }, { "振り返り", "lessons" },
		{ "再発防止策", "measures" }, { "対策", "measures" }, { "今後の対策", "measures" },
		{ "アクションアイテム", "measures" },
		{ "再発防止策として取り上げないこと", "not_doing" },
		{ "取り上げない対策", "not_doing" }, { "見送った対策", "not_doing" },
	};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		expect(h, pairs[i][0], pairs[i][1]);
}

static void
test_decorations_and_numbering(void **state)
{
	const struct headings *h = *state;

	expect(h, "1. Summary", "summary");
	expect(h, "3) Root Cause", "root_cause");
	expect(h, "II. Impact", "impact");
	expect(h, "IV) Timeline:", "timeline");
	expect(h, "第3章 原因", "root_cause");
	expect(h, "第三章　再発防止策", "measures");
	expect(h, "🔥 Impact", "impact");
	expect(h, "📝 Lessons Learned 📝", "lessons");
	expect(h, "Impact (customer-facing)", "impact");
	expect(h, "影響（お客様向け）", "impact");
	expect(h, "Root Cause:", "root_cause");
	expect(h, "ＴＩＭＥＬＩＮＥ", "timeline");
	expect(h, "２．　影響範囲", "impact");
	expect(h, "【概要】", "summary");
	expect(h, "■ 再発防止策", "measures");
	expect(h, "ACTION ITEMS", "measures");
	expect(h, "The Root Cause", "root_cause");
	expect(h, "Impact on checkout", "impact");
}

static void
test_misspellings(void **state)
{
	const struct headings *h = *state;

	expect(h, "Lessons Leanred", "lessons");
	expect(h, "Root Casue", "root_cause");
	expect(h, "Timelnie", "timeline");
	expect(h, "Acton Items", "measures");
	expect(h, "Detecton", "detection");
	/* short words must not be stretched to a synonym */
	expect(h, "Impacts", "impact");
	expect(h, "Scape", NULL);	/* "scope" has only 5 letters */
	expect(h, "Root Caseu Analisys", NULL);	/* two mistakes */
}

static void
test_most_specific_wins(void **state)
{
	const struct headings *h = *state;

	expect(h, "再発防止策として取り上げないこと", "not_doing");
	expect(h, "今回は再発防止策として取り上げないこと", "not_doing");
	expect(h, "暫定対応", "resolution");
	expect(h, "恒久対応", "measures");
	expect(h, "Remediation Items", "measures");
	expect(h, "Background", NULL);
	expect(h, "Customer communication", NULL);
	expect(h, "Appendix", NULL);
	expect(h, "", NULL);
	expect(h, "1.", NULL);
}

/* Words and phrases, never substrings: what responders did is not a
 * measure, and a heading that only contains "fix" is not the resolution. */
static void
test_words_not_substrings(void **state)
{
	const struct headings *h = *state;

	expect(h, "Actions taken", "resolution");
	expect(h, "Things to fix", "measures");
	expect(h, "What we're doing", "measures");
	expect(h, "Going forward", "measures");
	expect(h, "Follow-up", "measures");
	expect(h, "Timeline of events", "timeline");
	expect(h, "Incident Timeline", "timeline");
	expect(h, "Impact and severity", "impact");
	expect(h, "Actions we considered", NULL);
	expect(h, "Fixes that did not work", NULL);
	/* metadata sections only as themselves */
	expect(h, "Date", "meta_date");
	expect(h, "発生日時", "meta_date");
	expect(h, "Status", "meta_status");
	expect(h, "Status of the action items", NULL);
	expect(h, "Owners", "meta_authors");
}

static void
test_normalise(void **state)
{
	(void)state;
	char *n = headings_normalise("  3. Root Cause(s):  🔥 ");

	assert_string_equal(n, "root cause");
	free(n);
	n = headings_normalise("Ｗｈａｔ　went  ＷＥＬＬ！");
	assert_string_equal(n, "what went well");
	free(n);
}

static void
test_load_errors(void **state)
{
	(void)state;
	char dir[] = "/tmp/fk-headings-XXXXXX";
	char *err = NULL;

	assert_non_null(mkdtemp(dir));
	char *path = paths_join(dir, "impact.txt");
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("# comment\nBlast zone  # trailing comment\n\n\xff\xfe broken\n", f);
	fclose(f);
	const char *dirs[] = { dir };
	struct headings *h = headings_load(dirs, 1, &err);
	assert_null(h);
	assert_non_null(err);
	char *want = xasprintf("%s:4:", path);
	assert_true(strncmp(err, want, strlen(want)) == 0);
	free(want);
	free(err);
	err = NULL;

	f = fopen(path, "w");
	fputs("# comment\nBlast zone  # trailing comment\n---\n", f);
	fclose(f);
	h = headings_load(dirs, 1, &err);
	assert_null(h);
	assert_non_null(strstr(err, "impact.txt:3:"));
	free(err);
	err = NULL;

	f = fopen(path, "w");
	fputs("\xEF\xBB\xBF# team words\nBlast zone  # trailing comment\n", f);
	fclose(f);
	h = headings_load(dirs, 1, &err);
	assert_non_null(h);
	assert_int_equal(headings_count(h), 1);
	expect(h, "Blast Zone", "impact");
	headings_free(h);
	headings_free(NULL);
	unlink(path);
	rmdir(dir);
	free(path);
}

static void
test_id_from_path(void **state)
{
	(void)state;
	static const char *const pairs[][2] = {
		{ "PM-031 Payment.md", "pm-031-payment" },
		{ "/repo/postmortems/2023/PM-031 Payment.md", "pm-031-payment" },
		{ "docs/2023-12-07_checkout__timeouts.markdown", "2023-12-07-checkout-timeouts" },
		{ "  Weird!!Name  .md", "weird-name" },
		{ "no-extension", "no-extension" },
		{ "dir.with.dots/file.v2.md", "file-v2" },
		{ "検索の障害.md", "検索の障害" },
		{ "PM 032 検索 障害.md", "pm-032-検索-障害" },
		{ "!!!.md", "postmortem" },
	};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		char *id = import_id_from_path(pairs[i][0]);
		if (strcmp(id, pairs[i][1]) != 0)
			fail_msg("\"%s\" gave id \"%s\", expected \"%s\"", pairs[i][0], id,
				 pairs[i][1]);
		free(id);
	}
}

/* Headings as teams write them (issue 26's classes): a known heading that
 * goes on, numbered ones, generator artifacts around the text. */
static void
test_real_shapes(void **state)
{
	const struct headings *h = *state;
	static const char *const pairs[][2] = {
		{ "Remediation and next steps for the team", "resolution" },
		{ "Timeline (all times in JST) and what we saw", "timeline" },
		{ "Timeline (all times in JST)", "timeline" },
		{ "3. 再発防止", "measures" },
		{ "3．再発防止策", "measures" },
		{ "2) Root cause", "root_cause" },
		{ "2) What happened", "summary" },
		{ "IV. Lessons learned", "lessons" },
		{ "1.2 Impact on customers", "impact" },
		{ "第4章 再発防止策", "measures" },
		{ "(3) 再発防止策", "measures" },
		{ "【再発防止策】", "measures" },
		{ "■ 再発防止策", "measures" },
		{ "Action items ¶", "measures" },
		{ "#action-items Action items", "measures" },
		{ ":rotating_light: Impact", "impact" },
		{ "🔥 Timeline", "timeline" },
		{ "Action items[](#action-items)", "measures" },
		{ "Action items {#action-items}", "measures" },
		{ "Root cause analysis: why the queue stalled", "root_cause" },
		{ "Timeline of events (UTC)", "timeline" },
		{ "Things to fix someday", NULL },
		{ "Planned actions", "measures" },
		{ "Preventing recurrence", "measures" },
	};

	size_t wrong = 0;

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		const char *got = headings_match(h, pairs[i][0]);

		if ((got == NULL) != (pairs[i][1] == NULL) ||
		    (got != NULL && strcmp(got, pairs[i][1]) != 0)) {
			fprintf(stderr, "\"%s\" matched %s, expected %s\n", pairs[i][0],
				got ? got : "nothing", pairs[i][1] ? pairs[i][1] : "nothing");
			wrong++;
		}
	}
	assert_int_equal(wrong, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_required_english),
		cmocka_unit_test(test_required_japanese),
		cmocka_unit_test(test_decorations_and_numbering),
		cmocka_unit_test(test_misspellings),
		cmocka_unit_test(test_most_specific_wins),
		cmocka_unit_test(test_words_not_substrings),
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_real_shapes),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_id_from_path),
	};

	return cmocka_run_group_tests_name("headings", tests, setup, teardown);
}
