#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "furikaeri/headings.h"
#include "furikaeri/import.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

static const char *
srcdir(void)
{
	const char *s = getenv("FK_SRCDIR");
	return s != NULL ? s : FK_SRCDIR;
}

static int
setup(void **state)
{
	char *dir = xasprintf("%s/data/headings", srcdir());
	const char *dirs[] = { dir };
	char *err = NULL;

	*state = headings_load(dirs, 1, &err);
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

static char *
read_fixture(const char *name, size_t *len)
{
	char *path = xasprintf("%s/tests/fixtures/import/%s", srcdir(), name);
	FILE *f = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;

	if (f == NULL)
		fail_msg("cannot open %s", path);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	free(path);
	*len = sb.len;
	return strbuf_detach(&sb);
}

static struct postmortem *
parse_fixture(void **state, const char *name)
{
	size_t len;
	char *buf = read_fixture(name, &len);
	char *err = NULL;
	struct postmortem *pm = import_md_parse(buf, len, name, *state, &err);

	if (pm == NULL)
		fail_msg("%s", err);
	free(buf);
	return pm;
}

static struct postmortem *
parse_string(void **state, const char *text)
{
	char *err = NULL;
	struct postmortem *pm = import_md_parse(text, strlen(text), "inline.md", *state, &err);

	if (pm == NULL)
		fail_msg("%s", err);
	return pm;
}

static const char *
section_text(const struct postmortem *pm, const char *key)
{
	const struct section *s = postmortem_section(pm, key);

	if (s == NULL)
		fail_msg("no section %s", key);
	return s->text;
}

static void
check_measure(const struct measure *m, const char *title, const char *owner, const char *due,
	      enum measure_status status, const char *ticket, const char *url)
{
	assert_string_equal(m->title, title);
	if (owner == NULL)
		assert_null(m->owner);
	else
		assert_string_equal(m->owner ? m->owner : "(none)", owner);
	if (due == NULL)
		assert_null(m->due);
	else
		assert_string_equal(m->due ? m->due : "(none)", due);
	assert_string_equal(measure_status_name(m->status), measure_status_name(status));
	if (ticket == NULL)
		assert_null(m->ticket);
	else
		assert_string_equal(m->ticket ? m->ticket : "(none)", ticket);
	if (url == NULL)
		assert_null(m->ticket_url);
	else
		assert_string_equal(m->ticket_url ? m->ticket_url : "(none)", url);
}

static void
test_front_matter_and_table(void **state)
{
	struct postmortem *pm = parse_fixture(state, "payment-timeouts.md");

	assert_string_equal(pm->id, "PM-031");
	assert_false(pm->id_derived);
	assert_string_equal(pm->title, "Payment API timeouts after deploy");
	/* the front matter wins over the bold lines in the body */
	assert_string_equal(pm->date, "2023-12-07");
	assert_string_equal(pm->time, "19:04");
	assert_string_equal(pm->tz, "JST");
	assert_string_equal(pm->severity, "SEV2");
	assert_string_equal(pm->status, "ready");
	assert_int_equal(pm->n_authors, 2);
	assert_string_equal(pm->authors[0], "Aoi");
	assert_string_equal(pm->authors[1], "Ken");
	assert_int_equal(pm->n_tags, 2);
	assert_string_equal(pm->tags[1], "deploy");

	assert_int_equal(pm->n_sections, 10);
	assert_string_equal(pm->sections[0].key, "summary");
	assert_string_equal(section_text(pm, "summary"),
			    "After the 19:00 deploy, the payment API timed out for 37 minutes.\n"
			    "Retries without jitter exhausted the connection pool.");
	assert_string_equal(postmortem_section(pm, "impact")->heading, "Impact (customer-facing)");
	assert_string_equal(section_text(pm, "impact"),
			    "- 12% of checkouts failed\n- 310 support tickets");
	/* the fenced "# not a heading" is code, not a section */
	assert_non_null(strstr(section_text(pm, "root_cause"),
			       "# not a heading: this is a shell comment\nkubectl rollout undo"));
	assert_string_equal(section_text(pm, "trigger"), "Deploy of payments v2.31 with a smaller pool.");
	/* a dated sub-heading stays inside the timeline */
	assert_string_equal(section_text(pm, "timeline"),
			    "2023-12-07\n- 19:04 deploy finished\n- 19:09 alert fired\n"
			    "- 19:41 rollback done");
	assert_non_null(strstr(section_text(pm, "lessons"), "The rollback runbook worked"));
	assert_non_null(strstr(section_text(pm, "measures"),
			       "Alert on pool saturation | Mei | 2026/12/20 | In progress | OPS-412"));
	assert_non_null(strstr(section_text(pm, "not_doing"), "- Double the database size"));

	assert_int_equal(pm->n_measures, 6);
	/* a bare key in a Status column (not named Ticket) is no ticket */
	check_measure(&pm->measures[0], "Add jitter and a retry budget", "payments", "2026-12-15",
		      MEASURE_DONE, NULL, NULL);
	check_measure(&pm->measures[1], "Alert on pool saturation", "Mei", "2026-12-20",
		      MEASURE_OPEN, "OPS-412", "https://acme.atlassian.net/browse/OPS-412");
	check_measure(&pm->measures[2], "Canary with 10% traffic", "Ken", "2026-12-22",
		      MEASURE_DONE, NULL, NULL);
	check_measure(&pm->measures[3], "Load test the pool size", "Sato", NULL, MEASURE_OPEN,
		      "acme/pay#812", "https://github.com/acme/pay/issues/812");
	check_measure(&pm->measures[4], "Ask engineers to be more careful when deploying", NULL,
		      NULL, MEASURE_NOT_DOING, NULL, NULL);
	check_measure(&pm->measures[5], "Double the database size (cost, and it hides the retry storm)",
		      NULL, NULL, MEASURE_NOT_DOING, NULL, NULL);
	postmortem_free(pm);
}

static void
test_japanese_kv_table_h3(void **state)
{
	struct postmortem *pm = parse_fixture(state, "search-outage-ja.md");

	assert_string_equal(pm->id, "search-outage-ja");
	/* no id in the file: made from its name, which the importer may change */
	assert_true(pm->id_derived);
	assert_string_equal(pm->title, "検索の障害（全文検索が 2 時間利用不可）");
	assert_string_equal(pm->date, "2021-11-25");
	assert_null(pm->time);
	assert_string_equal(pm->severity, "SEV2");
	assert_string_equal(pm->status, "レビュー中");
	assert_int_equal(pm->n_authors, 2);
	assert_string_equal(pm->authors[0], "青井");
	assert_string_equal(pm->authors[1], "佐藤");
	assert_int_equal(pm->n_tags, 2);
	assert_string_equal(pm->tags[0], "検索");
	assert_string_equal(pm->tags[1], "インフラ");

	static const char *const keys[] = { "summary", "impact", "root_cause", "trigger",
					    "detection", "resolution", "timeline", "lessons",
					    "measures", "not_doing" };
	assert_int_equal(pm->n_sections, 10);
	for (size_t i = 0; i < 10; i++)
		assert_string_equal(pm->sections[i].key, keys[i]);
	assert_string_equal(section_text(pm, "impact"), "全ユーザーの検索（約 2 時間）。");
	assert_string_equal(postmortem_section(pm, "resolution")->heading, "6. 暫定対応");
	assert_non_null(strstr(section_text(pm, "not_doing"), "- ボリュームを 10 倍にする"));

	assert_int_equal(pm->n_measures, 5);
	/* a bare key with no ticket word and no configured project stays in the title */
	check_measure(&pm->measures[0], "ディスク使用率のアラートを追加する OPS-77", "佐藤",
		      "2021-12-10", MEASURE_DONE, NULL, NULL);
	check_measure(&pm->measures[1], "スナップショットの自動削除を入れる", "青井", "2021-12-24",
		      MEASURE_OPEN, "acme/search#45", "https://github.com/acme/search/issues/45");
	check_measure(&pm->measures[2], "再インデックスを夜間に分散する", "mei", NULL,
		      MEASURE_OPEN, NULL, NULL);
	check_measure(&pm->measures[3], "手動で毎朝ディスクを確認する（仕組みではないため）", NULL,
		      NULL, MEASURE_NOT_DOING, NULL, NULL);
	check_measure(&pm->measures[4], "ボリュームを 10 倍にする", NULL, NULL, MEASURE_NOT_DOING,
		      NULL, NULL);
	postmortem_free(pm);
}

static void
test_bold_lines_setext_html(void **state)
{
	struct postmortem *pm = parse_fixture(state, "cdn-bold-lines.md");

	assert_string_equal(pm->title, "CDN purge storm");
	assert_string_equal(pm->date, "2015-10-21");
	assert_null(pm->tz);
	assert_string_equal(pm->severity, "SEV2");
	assert_string_equal(pm->status, "in review");
	assert_int_equal(pm->n_authors, 2);
	assert_string_equal(pm->authors[1], "Ken");

	/* inline HTML: the text stays, the tags go */
	assert_string_equal(section_text(pm, "summary"),
			    "A purge script looped and invalidated the whole CDN cache. Origin load rose\n"
			    "40x and static pages were slow for 25 minutes.");
	/* an empty section is kept, with empty text */
	assert_non_null(postmortem_section(pm, "trigger"));
	assert_string_equal(section_text(pm, "trigger"), "");
	assert_string_equal(section_text(pm, "root_cause"),
			    "The purge API accepts a wildcard without confirmation.");
	assert_string_equal(section_text(pm, "detection"), "Synthetic checks from three regions.");
	/* a raw HTML block keeps its text */
	assert_string_equal(section_text(pm, "resolution"),
			    "Paused the purge job and pre-warmed the top 1000 URLs.\n\n"
			    "Commands used\ncdnctl purge --pause");
	/* an unknown heading is its own section */
	assert_string_equal(section_text(pm, "Customer communication"),
			    "Status page updated at 10:12 and 10:40.");
	assert_string_equal(section_text(pm, "lessons"), "It happened on a Sunday.");

	assert_int_equal(pm->n_measures, 6);
	check_measure(&pm->measures[0], "Require confirmation for wildcard purges", "aoi",
		      "2026-12-15", MEASURE_OPEN, "acme/cdn#12", "https://github.com/acme/cdn/issues/12");
	check_measure(&pm->measures[1], "Rate-limit the purge API", "Ken", "2027-01-10",
		      MEASURE_OPEN, "#123", NULL);
	check_measure(&pm->measures[2], "Add the purge job to the runbook", NULL, NULL,
		      MEASURE_DONE, NULL, NULL);
	check_measure(&pm->measures[3], "Alert on origin load", NULL, NULL, MEASURE_DONE,
		      "OPS-88", NULL);
	check_measure(&pm->measures[4], "Review cache TTLs", "Mei", "2027-02-01", MEASURE_OPEN,
		      NULL, NULL);
	check_measure(&pm->measures[5], "Remove the purge API entirely", NULL, NULL,
		      MEASURE_NOT_DOING, NULL, NULL);
	postmortem_free(pm);
}

static void
test_crlf_bom_plain_lines(void **state)
{
	struct postmortem *pm = parse_fixture(state, "sso-crlf-bom.md");

	assert_string_equal(pm->title, "Login failures for SSO users");
	assert_string_equal(pm->date, "2023-12-07");
	assert_string_equal(pm->time, "19:04");
	assert_string_equal(pm->tz, "+09:00");
	assert_string_equal(pm->severity, "SEV1");
	assert_string_equal(pm->status, "draft");
	assert_int_equal(pm->n_authors, 1);
	assert_string_equal(pm->authors[0], "Aoi");
	assert_int_equal(pm->n_tags, 2);
	assert_string_equal(pm->tags[1], "sso");

	assert_int_equal(pm->n_sections, 6);
	assert_string_equal(section_text(pm, "summary"),
			    "SSO logins failed for 50 minutes.\nPassword logins kept working.");
	assert_null(strchr(section_text(pm, "summary"), '\r'));
	assert_string_equal(section_text(pm, "impact"), "");
	assert_string_equal(postmortem_section(pm, "root_cause")->heading,
			    "II. Root Cause Analysis");
	assert_string_equal(section_text(pm, "lessons"), "Certificates need an owner.");
	assert_string_equal(section_text(pm, "measures"),
			    "1. Refresh IdP metadata daily OPS-412 owner: Ken\n"
			    "2. Alert 30 days before certificate expiry "
			    "https://acme.atlassian.net/browse/SEC-9 due 2026/03/01\n"
			    "3. Document the rotation in the runbook (status: done)");

	assert_int_equal(pm->n_measures, 4);
	check_measure(&pm->measures[0], "Refresh IdP metadata daily", "Ken", NULL, MEASURE_OPEN,
		      "OPS-412", "https://acme.atlassian.net/browse/OPS-412");
	check_measure(&pm->measures[1], "Alert 30 days before certificate expiry", NULL,
		      "2026-03-01", MEASURE_OPEN, "SEC-9", "https://acme.atlassian.net/browse/SEC-9");
	check_measure(&pm->measures[2], "Document the rotation in the runbook", NULL, NULL,
		      MEASURE_DONE, NULL, NULL);
	check_measure(&pm->measures[3], "Pin the certificate", NULL, NULL, MEASURE_NOT_DOING,
		      NULL, NULL);
	postmortem_free(pm);
}

static void
test_broken_front_matter(void **state)
{
	size_t len;
	char *buf = read_fixture("broken-front-matter.md", &len);
	char *err = NULL;
	struct postmortem *pm = import_md_parse(buf, len, "pm/broken-front-matter.md", *state, &err);

	assert_null(pm);
	assert_non_null(err);
	/* libyaml notices the unclosed list on line 5; it was opened on line 4 */
	assert_true(text_starts_with(err, "pm/broken-front-matter.md:5: invalid YAML front matter"));
	assert_non_null(strstr(err, "line 4"));
	free(err);
	free(buf);

	err = NULL;
	const char *not_mapping = "---\n- just\n- a list\n---\n# T\n";
	pm = import_md_parse(not_mapping, strlen(not_mapping), "list.md", *state, &err);
	assert_null(pm);
	assert_true(text_starts_with(err, "list.md:2: "));
	free(err);
}

static void
test_invalid_utf8(void **state)
{
	struct postmortem *pm = parse_fixture(state, "invalid-utf8.md");

	assert_string_equal(pm->title, "Queue backlog \xEF\xBF\xBD\xEF\xBF\xBD report");
	assert_string_equal(pm->date, "2023-12-07");
	assert_string_equal(pm->time, "19:04");
	assert_string_equal(pm->tz, "JST");
	for (size_t i = 0; i < pm->n_sections; i++)
		assert_true(text_utf8_valid(pm->sections[i].text, strlen(pm->sections[i].text)));
	assert_string_equal(section_text(pm, "summary"),
			    "Consumers stalled; bytes \xEF\xBF\xBD( were garbled in the log.");
	assert_int_equal(pm->n_measures, 1);
	assert_string_equal(pm->measures[0].owner, "ops");
	assert_true(text_utf8_valid(pm->measures[0].title, strlen(pm->measures[0].title)));
	postmortem_free(pm);
}

static void
test_date_formats_in_body(void **state)
{
	static const char *const cases[][4] = {
		{ "2015-10-21", "2015-10-21", NULL, NULL },
		{ "2015/10/21", "2015-10-21", NULL, NULL },
		{ "2015.10.21", "2015-10-21", NULL, NULL },
		{ "Oct 21, 2015", "2015-10-21", NULL, NULL },
		{ "October 21, 2015", "2015-10-21", NULL, NULL },
		{ "21 Oct 2015", "2015-10-21", NULL, NULL },
		{ "2021年11月25日", "2021-11-25", NULL, NULL },
		{ "2021年11月25日(木)", "2021-11-25", NULL, NULL },
		{ "2023/12/07 19:04 JST", "2023-12-07", "19:04", "JST" },
		{ "2023-12-07T19:04:00+09:00", "2023-12-07", "19:04", "+09:00" },
		{ "2023-12-07 19:04 UTC", "2023-12-07", "19:04", "UTC" },
		{ "2023-12-07 19:04 - 20:10 JST", "2023-12-07", "19:04", "JST" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *doc = xasprintf("# Outage\n\n**Date:** %s\n\n## Summary\n\nx\n", cases[i][0]);
		struct postmortem *pm = parse_string(state, doc);
		assert_string_equal(pm->date, cases[i][1]);
		if (cases[i][2] == NULL)
			assert_null(pm->time);
		else
			assert_string_equal(pm->time, cases[i][2]);
		if (cases[i][3] == NULL)
			assert_null(pm->tz);
		else
			assert_string_equal(pm->tz, cases[i][3]);
		postmortem_free(pm);
		free(doc);
	}
	/* an impossible date is not a date */
	struct postmortem *pm = parse_string(state, "# Outage\n\n発生日: 2023-02-30\n");
	assert_null(pm->date);
	postmortem_free(pm);
	pm = parse_string(state, "# 障害\n\n発生日時：2023年12月7日 19:04\n重要度：軽微\n");
	assert_string_equal(pm->date, "2023-12-07");
	assert_string_equal(pm->time, "19:04");
	assert_string_equal(pm->severity, "SEV4");
	postmortem_free(pm);
}

static void
test_every_heading_synonym(void **state)
{
	static const char *const cases[][2] = {
		{ "Summary", "summary" }, { "TL;DR", "summary" }, { "Overview", "summary" },
		{ "Executive Summary", "summary" }, { "概要", "summary" }, { "サマリー", "summary" },
		{ "Impact", "impact" }, { "Customer Impact", "impact" }, { "影響", "impact" },
		{ "影響範囲", "impact" }, { "Root Cause", "root_cause" },
		{ "Root Causes", "root_cause" }, { "Root Cause Analysis", "root_cause" },
		{ "Contributing Factors", "root_cause" }, { "原因", "root_cause" },
		{ "根本原因", "root_cause" }, { "真因", "root_cause" }, { "Trigger", "trigger" },
		{ "トリガー", "trigger" }, { "発生契機", "trigger" }, { "Detection", "detection" },
		{ "How we detected it", "detection" }, { "検知", "detection" },
		{ "検出", "detection" }, { "Resolution", "resolution" },
		{ "Mitigation", "resolution" }, { "Recovery", "resolution" },
		{ "Remediation", "resolution" }, { "対応", "resolution" }, { "復旧", "resolution" },
		{ "暫定対応", "resolution" }, { "Timeline", "timeline" },
		{ "タイムライン", "timeline" }, { "時系列", "timeline" }, { "経緯", "timeline" },
		{ "Lessons Learned", "lessons" }, { "Lessons Learnt", "lessons" },
		{ "What went well", "lessons" }, { "What went wrong", "lessons" },
		{ "Where we got lucky", "lessons" }, { "教訓", "lessons" }, { "学び", "lessons" },
		{ "振り返り", "lessons" }, { "Action Items", "measures" },
		{ "Follow-up Actions", "measures" }, { "Prevention", "measures" },
		{ "Prevention Measures", "measures" },
		{ "Corrective and Preventative Measures", "measures" },
		{ "Corrective Actions", "measures" }, { "Recommendations", "measures" },
		{ "Next steps", "measures" }, { "恒久対応", "measures" },
		{ "再発防止策", "measures" }, { "対策", "measures" }, { "今後の対策", "measures" },
		{ "アクションアイテム", "measures" }, { "Not doing", "not_doing" },
		{ "Won't do", "not_doing" }, { "Rejected actions", "not_doing" },
		{ "Considered but not adopted", "not_doing" },
		{ "再発防止策として取り上げないこと", "not_doing" },
		{ "取り上げない対策", "not_doing" }, { "見送った対策", "not_doing" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *doc = xasprintf("# Title\n\n## %s\n\n- first item\n", cases[i][0]);
		struct postmortem *pm = parse_string(state, doc);
		if (pm->n_sections != 1 || strcmp(pm->sections[0].key, cases[i][1]) != 0)
			fail_msg("heading \"%s\" gave section %s, expected %s", cases[i][0],
				 pm->n_sections ? pm->sections[0].key : "(none)", cases[i][1]);
		assert_string_equal(pm->sections[0].text, "- first item");
		bool is_measure = strcmp(cases[i][1], "measures") == 0 ||
				  strcmp(cases[i][1], "not_doing") == 0;
		assert_int_equal(pm->n_measures, is_measure ? 1 : 0);
		if (strcmp(cases[i][1], "not_doing") == 0)
			assert_int_equal(pm->measures[0].status, MEASURE_NOT_DOING);
		postmortem_free(pm);
		free(doc);
	}
}

static void
test_heading_levels(void **state)
{
	/* no title heading: h2 sections straight away; a section's heading is
	 * never the title, the file name made readable is */
	struct postmortem *pm = parse_string(state,
		"## Summary\n\ns\n\n## Impact\n\ni\n\n### Detail\n\nd\n\n## Background\n\nb\n");
	assert_string_equal(pm->title, "Inline");
	assert_int_equal(pm->n_sections, 3);
	assert_string_equal(section_text(pm, "impact"), "i\n\nDetail\nd");
	assert_string_equal(section_text(pm, "Background"), "b");
	postmortem_free(pm);

	/* h1 title, h3 sections, h4 sub-headings; a known sub-heading splits */
	pm = parse_string(state,
		"# DNS outage\n\n### Timeline\n\n#### 10:00\n\nstart\n\n### Lessons\n\nl\n\n"
		"#### What went wrong\n\nw\n\n#### Action items\n\n- [x] Add DNS alert\n");
	assert_string_equal(pm->title, "DNS outage");
	assert_int_equal(pm->n_sections, 3);
	assert_string_equal(section_text(pm, "timeline"), "10:00\nstart");
	assert_string_equal(section_text(pm, "lessons"), "l\n\nWhat went wrong\nw");
	assert_int_equal(pm->n_measures, 1);
	check_measure(&pm->measures[0], "Add DNS alert", NULL, NULL, MEASURE_DONE, NULL, NULL);
	postmortem_free(pm);

	/* several h1: the first, unknown, is the title and the rest are sections */
	pm = parse_string(state, "# Cache outage\n\n# Summary\n\ns\n\n# Root cause\n\nr\n");
	assert_string_equal(pm->title, "Cache outage");
	assert_int_equal(pm->n_sections, 2);
	assert_string_equal(section_text(pm, "root_cause"), "r");
	postmortem_free(pm);

	/* a key used twice makes one section, in the order first seen */
	pm = parse_string(state, "# T\n\n## Timeline\n\nt1\n\n## Impact\n\ni\n\n## 時系列\n\nt2\n");
	assert_int_equal(pm->n_sections, 2);
	assert_string_equal(pm->sections[0].key, "timeline");
	assert_string_equal(section_text(pm, "timeline"), "t1\n\nt2");
	postmortem_free(pm);

	/* no headings at all: the title is the file name, the text the summary */
	pm = parse_string(state, "Date: 2024-01-05\n\nSomething broke.\n");
	assert_string_equal(pm->title, "Inline");
	assert_string_equal(pm->id, "inline");
	assert_string_equal(pm->date, "2024-01-05");
	assert_non_null(strstr(section_text(pm, "summary"), "Something broke."));
	postmortem_free(pm);
}

static void
test_measure_forms(void **state)
{
	struct postmortem *pm = parse_string(state,
		"# T\n\n## 再発防止策\n\n"
		"| 対策 | 担当者 | 期限 | 状態 |\n|---|---|---|---|\n"
		"| 監視を追加 | 青井 | 2024/01/31 | 進行中 / チケット OPS-9 |\n"
		"| 手順書を更新 | 佐藤 | 2024年2月1日 | 完了 |\n"
		"| ~~古い設定を削除~~ | Ken | | |\n\n"
		"## Follow-ups\n\n"
		"* Add retry budget — owner: @payments, due by 2026-12-15 (https://github.com/acme/pay/pull/9)\n"
		"* [TODO] Fix flaky canary [OPS-7](https://acme.atlassian.net/browse/OPS-7)\n"
		"* Tune alerts (Mei Tanaka)\n");

	assert_int_equal(pm->n_measures, 6);
	check_measure(&pm->measures[0], "監視を追加", "青井", "2024-01-31", MEASURE_OPEN, "OPS-9", NULL);
	check_measure(&pm->measures[1], "手順書を更新", "佐藤", "2024-02-01", MEASURE_DONE, NULL, NULL);
	check_measure(&pm->measures[2], "古い設定を削除", "Ken", NULL, MEASURE_DONE, NULL, NULL);
	check_measure(&pm->measures[3], "Add retry budget", "payments", "2026-12-15", MEASURE_OPEN,
		      "acme/pay#9", "https://github.com/acme/pay/pull/9");
	check_measure(&pm->measures[4], "Fix flaky canary", NULL, NULL, MEASURE_OPEN, "OPS-7",
		      "https://acme.atlassian.net/browse/OPS-7");
	check_measure(&pm->measures[5], "Tune alerts", "Mei Tanaka", NULL, MEASURE_OPEN, NULL, NULL);
	postmortem_free(pm);
}

/* A table whose columns carry the decision, and owner and due under other
 * names (Assignee, ETA; 担当者, 期日): each row is read by column meaning. */
static void
test_measure_decision_columns(void **state)
{
	struct postmortem *pm = parse_string(state,
		"# T\n\n## Action items\n\n"
		"| Proposal | Assignee | ETA | Decision |\n|---|---|---|---|\n"
		"| Add a queue depth alert | Ken | 2026-12-20 | Adopted |\n"
		"| Rewrite the scheduler | Mei | | Not adopted |\n"
		"| Double the workers | | | rejected |\n\n"
		"## 再発防止策\n\n"
		"| 対策 | 担当者 | 期日 | 採否 |\n|---|---|---|---|\n"
		"| 手順書を更新 | 佐藤 | 2026/12/25 | 採用 |\n"
		"| 全サーバーを入れ替える | | | 見送り |\n");

	assert_int_equal(pm->n_measures, 5);
	check_measure(&pm->measures[0], "Add a queue depth alert", "Ken", "2026-12-20", MEASURE_OPEN,
		      NULL, NULL);
	check_measure(&pm->measures[1], "Rewrite the scheduler", "Mei", NULL, MEASURE_NOT_DOING, NULL,
		      NULL);
	check_measure(&pm->measures[2], "Double the workers", NULL, NULL, MEASURE_NOT_DOING, NULL,
		      NULL);
	check_measure(&pm->measures[3], "手順書を更新", "佐藤", "2026-12-25", MEASURE_OPEN, NULL, NULL);
	check_measure(&pm->measures[4], "全サーバーを入れ替える", NULL, NULL, MEASURE_NOT_DOING, NULL,
		      NULL);
	postmortem_free(pm);
}

/* Planned actions in a sub-heading under Remediation, and a bullet that is
 * only an issue's address: both are measures. */
static void
test_measure_planned_and_bare_url(void **state)
{
	struct postmortem *pm = parse_string(state,
		"# T\n\n## Remediation\n\nWe restarted the workers.\n\n"
		"### Planned actions\n\n"
		"- Add a queue depth alert (@ken, due 2026-12-01)\n"
		"- https://github.com/acme/infra/issues/77\n");

	assert_int_equal(pm->n_measures, 2);
	check_measure(&pm->measures[0], "Add a queue depth alert", "ken", "2026-12-01", MEASURE_OPEN,
		      NULL, NULL);
	check_measure(&pm->measures[1], "acme/infra#77", NULL, NULL, MEASURE_OPEN, "acme/infra#77",
		      "https://github.com/acme/infra/issues/77");
	postmortem_free(pm);
}

static void
test_more_metadata_forms(void **state)
{
	/* "..." closes the front matter; authors as one string; a horizontal table */
	struct postmortem *pm = parse_string(state,
		"---\nAuthors: Aoi、Ken, @mei\nIncident_Date: '2024-05-02'\nTime: '14:30'\n"
		"Timezone: UTC\n...\n"
		"# Disk full\n\n| Severity | Status | Tags |\n|---|---|---|\n"
		"| S3 | Closed | storage, #disk |\n\n"
		"<!-- fill in the summary below -->\n\n## Summary\n\nThe disk filled up.\n");
	assert_string_equal(pm->title, "Disk full");
	assert_int_equal(pm->n_authors, 3);
	assert_string_equal(pm->authors[0], "Aoi");
	assert_string_equal(pm->authors[1], "Ken");
	assert_string_equal(pm->authors[2], "mei");
	assert_string_equal(pm->date, "2024-05-02");
	assert_string_equal(pm->time, "14:30");
	assert_string_equal(pm->tz, "UTC");
	assert_string_equal(pm->severity, "SEV3");
	assert_string_equal(pm->status, "closed");
	assert_int_equal(pm->n_tags, 2);
	assert_string_equal(pm->tags[1], "disk");
	assert_int_equal(pm->n_sections, 1);
	assert_string_equal(section_text(pm, "summary"), "The disk filled up.");
	postmortem_free(pm);

	/* a closing bracket first in an item (found by fuzzing) */
	pm = parse_string(state, "# T\n\n## Action items\n\n- ) stray bracket\n");
	assert_int_equal(pm->n_measures, 1);
	assert_string_equal(pm->measures[0].title, ") stray bracket");
	postmortem_free(pm);

	/* an empty front matter block is allowed; headings set may be absent */
	char *err = NULL;
	const char *doc = "---\n---\n# Title only\n\n## Impact\n\nnone\n";
	pm = import_md_parse(doc, strlen(doc), "x.md", NULL, &err);
	assert_non_null(pm);
	assert_string_equal(pm->title, "Title only");
	assert_int_equal(pm->n_sections, 1);
	assert_string_equal(pm->sections[0].key, "Impact");
	postmortem_free(pm);
}

static void
test_large_file(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	size_t sections = 0, rows = 0;

	strbuf_adds(&sb, "---\ntitle: Big one\ndate: 2024-03-01\n---\n# Big one\n\n");
	while (sb.len < 5 * 1024 * 1024) {
		strbuf_addf(&sb, "## Note %zu\n\n", sections++);
		for (int p = 0; p < 20; p++)
			strbuf_adds(&sb, "Some **bold** text about the incident, with a "
				    "[link](https://example.com) and `code`; 障害の説明。\n");
		strbuf_adds(&sb, "\n- a bullet\n- another bullet\n\n");
	}
	strbuf_adds(&sb, "## Action Items\n\n| Action | Owner | Due | Status / Ticket |\n|---|---|---|---|\n");
	for (rows = 0; rows < 5000; rows++)
		strbuf_addf(&sb, "| Measure %zu | Aoi | 2026-12-15 | Open (OPS-%zu) |\n", rows, rows + 1);

	char *err = NULL;
	struct postmortem *pm = import_md_parse(sb.buf, sb.len, "big.md", *state, &err);
	assert_non_null(pm);
	assert_int_equal(pm->n_sections, sections + 1);
	assert_int_equal(pm->n_measures, rows);
	check_measure(&pm->measures[4999], "Measure 4999", "Aoi", "2026-12-15", MEASURE_OPEN,
		      "OPS-5000", NULL);
	assert_non_null(strstr(section_text(pm, "Note 7"), "Some bold text about the incident"));
	postmortem_free(pm);
	strbuf_release(&sb);
}

static struct postmortem *
parse_named(void **state, const char *path, const char *text)
{
	char *err = NULL;
	struct postmortem *pm = import_md_parse(text, strlen(text), path, *state, &err);

	if (pm == NULL)
		fail_msg("%s", err);
	return pm;
}

/* A template whose section names are plain lines or bold lines alone: each
 * known one starts its section; a sentence or an unknown line stays text. */
static void
test_plain_line_sections(void **state)
{
	struct postmortem *pm = parse_string(state,
		"# Cache stampede\n\nDate: 2026-11-02\n\nSummary\n\n"
		"The cache emptied and the database took every read.\n\n"
		"Root cause:\n\nAll keys shared one expiry.\n\nImpact.\n\nStill summary text.\n\n"
		"**Action items**\n\n- Add jitter to expiries\n- Alert on hit rate\n\n"
		"Odd notes\n\nkept as text\n");

	assert_non_null(postmortem_section(pm, "summary"));
	assert_non_null(strstr(section_text(pm, "summary"), "took every read"));
	assert_non_null(strstr(section_text(pm, "root_cause"), "one expiry"));
	/* "Impact." ends as a sentence: text of the section it is in */
	assert_null(postmortem_section(pm, "impact"));
	assert_non_null(strstr(section_text(pm, "root_cause"), "Impact."));
	assert_int_equal(pm->n_measures, 2);
	assert_string_equal(pm->measures[1].title, "Alert on hit rate");
	assert_non_null(strstr(section_text(pm, "measures"), "Odd notes"));
	postmortem_free(pm);
}

/* With no date field the incident's date is the timeline's first, else the
 * one told in the text, and the file name's only when the text has none;
 * a day/month date no order decides is never guessed. */
static void
test_dates_from_text(void **state)
{
	static const struct {
		const char *name, *text, *date, *from;
	} cases[] = {
		{ "2021-04-10-cache.md", "# Cache outage\n\nOn 3rd March 2021 the cache failed.\n\n"
		  "## Summary\n\nIt failed.\n", "2021-03-03", "text" },
		{ "login.md", "# Login failures\n\nMarch 3, 2021, 9:12 PM UTC: nobody could log in.\n\n"
		  "## Summary\n\nLogins failed.\n", "2021-03-03", "text" },
		{ "disk.md", "# Disk full\n\n2021-03-05\n\n## Summary\n\nDisk.\n", "2021-03-05", "text" },
		{ "2021-04-10-queue.md", "# Queue\n\n## Timeline\n\n| Time | Event |\n|---|---|\n"
		  "| 2021-03-07 10:00 | alert fired |\n| 2021-03-08 10:20 | fixed |\n\n"
		  "## Summary\n\nOn 2021-03-09 we wrote this.\n", "2021-03-07", "timeline" },
		{ "db.md", "# DB\n\n## Summary\n\nThe primary failed over on 4 March 2021.\n\n"
		  "## Action items\n\n- Add a replica due 2021-04-01\n", "2021-03-04", "text" },
		{ "2021-04-10-named.md", "# Named\n\n## Action items\n\n- Fix it due 2021-05-01\n",
		  "2021-04-10", "file name" },
		{ "2021-04-10-ambiguous.md", "# Ambiguous\n\nIt broke on 09/03/2021.\n\n"
		  "## Summary\n\nOn 2021-03-20 we wrote this.\n", NULL, NULL },
		/* labels that are longer phrases around a date word */
		{ "2021-04-10-phrase.md", "# Phrase\n\nLast updated: 2021-04-02\n\n"
		  "**Incident start date (UTC):** March 4, 2021\n\n## Summary\n\nx\n", "2021-03-04",
		  "metadata" },
		{ "2021-04-10-table.md", "# Table\n\n| When it started | 2021-03-05 14:00 |\n|---|---|\n"
		  "| Resolved at | 2021-03-06 |\n\n## Summary\n\nx\n", "2021-03-05", "table" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct postmortem *pm = parse_named(state, cases[i].name, cases[i].text);

		if (cases[i].date == NULL) {
			assert_null(pm->date);
			assert_true(pm->n_warnings >= 1);
			assert_non_null(strstr(pm->warnings[0], "date_order"));
		} else {
			assert_non_null(pm->date);
			assert_string_equal(pm->date, cases[i].date);
			assert_string_equal(pm->date_from, cases[i].from);
		}
		postmortem_free(pm);
	}
}

/* Dates from a Date section, a key/value table, the title, the file name. */
static void
test_real_archive_dates(void **state)
{
	struct postmortem *pm = parse_string(state,
		"# Outage\n\n## Date\n\n2015-10-21\n\n## Authors\n\n- jlee\n- mgarcia\n\n"
		"## Status\n\nComplete, action items in progress\n\n## Summary\n\ns\n");
	assert_string_equal(pm->date, "2015-10-21");
	assert_string_equal(pm->date_from, "section");
	assert_int_equal(pm->n_authors, 2);
	assert_string_equal(pm->authors[1], "mgarcia");
	assert_string_equal(pm->status, "complete, action items in progress");
	assert_int_equal(pm->n_sections, 1);	/* Date, Authors, Status are fields */
	postmortem_free(pm);

	pm = parse_string(state, "| | |\n|---|---|\n| **Event** | Blank ids |\n"
			  "| **Detected** | 2021-03-05 23:27 |\n\n## Summary\n\ns\n");
	assert_string_equal(pm->title, "Blank ids");
	assert_string_equal(pm->date, "2021-03-05");
	assert_string_equal(pm->time, "23:27");
	assert_string_equal(pm->date_from, "table");
	postmortem_free(pm);

	pm = parse_string(state, "# January 23rd, 2019 Prow Outage\n\n## Summary\n\ns\n");
	assert_string_equal(pm->date, "2019-01-23");
	assert_string_equal(pm->date_from, "title");
	postmortem_free(pm);

	pm = parse_named(state, "docs/20210305_blankbiosample.md", "## Summary\n\ns\n");
	assert_string_equal(pm->date, "2021-03-05");
	assert_string_equal(pm->date_from, "file name");
	assert_string_equal(pm->title, "Blankbiosample");
	postmortem_free(pm);

	pm = parse_string(state, "# 障害\n\n### 発生日時\n\n2021年11月25日午後3時\n\n## 原因\n\nc\n");
	assert_string_equal(pm->date, "2021-11-25");
	postmortem_free(pm);

	/* undated: a warning naming the file and what to add */
	pm = parse_string(state, "# Cache incident\n\n## Summary\n\ns\n");
	assert_null(pm->date);
	assert_int_equal(pm->n_warnings, 1);
	assert_non_null(strstr(pm->warnings[0], "inline.md: no date found"));
	assert_non_null(strstr(pm->warnings[0], "date: YYYY-MM-DD"));
	postmortem_free(pm);

	/* ambiguous: reported, not guessed; date_order reads it */
	const char *amb = "# Export\n\nDate: 03/04/2026\n\n## Summary\n\ns\n";
	pm = parse_string(state, amb);
	assert_null(pm->date);
	assert_non_null(strstr(pm->warnings[0], "reads as day/month or month/day"));
	postmortem_free(pm);
	struct import_options o = { .headings = *state, .date_order = DATE_ORDER_MDY };
	char *err = NULL;
	pm = import_md_parse_opts(amb, strlen(amb), "a.md", &o, &err);
	assert_string_equal(pm->date, "2026-03-04");
	postmortem_free(pm);
}

/* A section heading is never the title; prose is never metadata. */
static void
test_titles_and_prose(void **state)
{
	struct postmortem *pm = parse_named(state, "2016-05-10-initial-kubernetes.md",
		"| Severity | SEV2 |\n|---|---|\n\n## Summary\n\nStatus: the job said it "
		"succeeded.\n\n## Impact\n\ni\n");
	assert_string_equal(pm->title, "Initial kubernetes");
	assert_string_equal(pm->severity, "SEV2");
	assert_null(pm->status);
	postmortem_free(pm);

	/* a section that is no known one may open with a block of metadata */
	pm = parse_string(state, "# Checkout errors\n\n## Incident details\n\n"
			  "- **Date:** 2026-11-18\n- **Status:** ready\n\nIt failed. Severity: "
			  "we thought it was low.\n\n## Summary\n\ns\n");
	assert_string_equal(pm->date, "2026-11-18");
	assert_string_equal(pm->status, "ready");
	assert_null(pm->severity);
	postmortem_free(pm);
}

static void
test_templates(void **state)
{
	struct postmortem *pm = parse_string(state,
		"# Title (incident #)\n\n## Summary\n\n[What happened]\n\n## Impact\n\nTBD\n");
	assert_true(pm->is_template);
	assert_string_equal(pm->template_why, "the title is a placeholder");
	postmortem_free(pm);
	pm = parse_string(state, "# Payment outage\n\n## Summary\n\n## Impact\n\n## Action items\n");
	assert_true(pm->is_template);
	postmortem_free(pm);
	pm = parse_named(state, "docs/TEMPLATE-ja.md", "# 障害報告\n\n## 概要\n\n本文\n");
	assert_true(pm->is_template);
	postmortem_free(pm);
	pm = parse_string(state, "# Payment outage\n\n## Summary\n\nIt broke.\n\n## Impact\n\nTBD\n");
	assert_false(pm->is_template);
	postmortem_free(pm);
}

static void
test_measure_rules(void **state)
{
	struct postmortem *pm = parse_string(state,
		"# T\n\n## Actions taken\n\n- Restarted the hub\n\n## Things to fix\n\n"
		"- Verify SHA-256 checksums\n- Answer HTTP-503 with Retry-After (OPS-77)\n"
		"- Encrypt with AES-128, ticket: SEC-12\n\n## Next steps\n\n"
		"1. Alert at 80% disk\n   - page at 90%\n   - owner: Ken\n"
		"2. Fix acme/infra#44\n\n## Not doing\n\nRewrite the gateway.\n\n"
		"## 再発防止策\n\n"
		"- 監視する（担当: Mei、期限: 2026-12-10、チケット: https://github.com/acme/app/issues/215）\n"
		"- 上限を設ける（担当：Ken，期限：2026-12-17，チケット：OPS-902）\n");
	assert_non_null(section_text(pm, "resolution"));
	assert_int_equal(pm->n_measures, 8);
	check_measure(&pm->measures[0], "Verify SHA-256 checksums", NULL, NULL, MEASURE_OPEN, NULL, NULL);
	check_measure(&pm->measures[1], "Answer HTTP-503 with Retry-After (OPS-77)", NULL, NULL,
		      MEASURE_OPEN, NULL, NULL);
	check_measure(&pm->measures[2], "Encrypt with AES-128", NULL, NULL, MEASURE_OPEN, "SEC-12", NULL);
	check_measure(&pm->measures[3], "Alert at 80% disk", "Ken", NULL, MEASURE_OPEN, NULL, NULL);
	check_measure(&pm->measures[4], "Fix", NULL, NULL, MEASURE_OPEN, "acme/infra#44", NULL);
	check_measure(&pm->measures[5], "監視する", "Mei", "2026-12-10", MEASURE_OPEN, "acme/app#215",
		      "https://github.com/acme/app/issues/215");
	check_measure(&pm->measures[6], "上限を設ける", "Ken", "2026-12-17", MEASURE_OPEN, "OPS-902", NULL);
	check_measure(&pm->measures[7], "Rewrite the gateway.", NULL, NULL, MEASURE_NOT_DOING, NULL, NULL);
	postmortem_free(pm);

	/* without jira_projects a key is a ticket only next to a ticket word or
	 * in a column named for tickets; anything else stays in the title */
	pm = parse_string(state,
		"# T\n\n## Action items\n\n- OPS-412 add alert\n- Add alert, Ticket: OPS-412\n"
		"- Add probe (ticket OPS-5)\n- Add probe Jira OPS-6\n- 監視する チケット: OPS-7\n"
		"- Rotate keys, bug #41\n- Investigate HTTP-503 issues\n\n"
		"| Action | Owner | Jira |\n|---|---|---|\n| Add canary | Ken | OPS-8 |\n\n"
		"| Action | Owner | Notes |\n|---|---|---|\n| Add shard | Ken | OPS-9 |\n");
	assert_int_equal(pm->n_measures, 9);
	check_measure(&pm->measures[0], "OPS-412 add alert", NULL, NULL, MEASURE_OPEN, NULL, NULL);
	check_measure(&pm->measures[1], "Add alert", NULL, NULL, MEASURE_OPEN, "OPS-412", NULL);
	check_measure(&pm->measures[2], "Add probe", NULL, NULL, MEASURE_OPEN, "OPS-5", NULL);
	check_measure(&pm->measures[3], "Add probe", NULL, NULL, MEASURE_OPEN, "OPS-6", NULL);
	check_measure(&pm->measures[4], "監視する", NULL, NULL, MEASURE_OPEN, "OPS-7", NULL);
	check_measure(&pm->measures[5], "Rotate keys", NULL, NULL, MEASURE_OPEN, "#41", NULL);
	check_measure(&pm->measures[6], "Investigate HTTP-503 issues", NULL, NULL, MEASURE_OPEN,
		      NULL, NULL);
	check_measure(&pm->measures[7], "Add canary", "Ken", NULL, MEASURE_OPEN, "OPS-8", NULL);
	check_measure(&pm->measures[8], "Add shard", "Ken", NULL, MEASURE_OPEN, NULL, NULL);
	postmortem_free(pm);

	/* with jira_projects, those projects' bare keys are tickets too; others stay text */
	const char *text = "# T\n\n## Action items\n\n- Answer HTTP-503 (OPS-77)\n- Add probe SEC-3\n"
			   "- Verify SHA-256 sums\n- Ticket: OPS-78 add alert\n";
	char *projects[] = { "SEC" }, *err = NULL;
	struct import_options o = { .headings = *state, .jira_projects = projects,
				    .n_jira_projects = 1 };
	pm = import_md_parse_opts(text, strlen(text), "j.md", &o, &err);
	check_measure(&pm->measures[0], "Answer HTTP-503 (OPS-77)", NULL, NULL, MEASURE_OPEN, NULL, NULL);
	check_measure(&pm->measures[1], "Add probe", NULL, NULL, MEASURE_OPEN, "SEC-3", NULL);
	check_measure(&pm->measures[2], "Verify SHA-256 sums", NULL, NULL, MEASURE_OPEN, NULL, NULL);
	check_measure(&pm->measures[3], "add alert", NULL, NULL, MEASURE_OPEN, "OPS-78", NULL);
	postmortem_free(pm);
	const char *bare = "# T\n\n## Action items\n\n- OPS-412 add alert\n";
	char *ops[] = { "OPS" };
	struct import_options oo = { .headings = *state, .jira_projects = ops, .n_jira_projects = 1 };
	pm = import_md_parse_opts(bare, strlen(bare), "k.md", &oo, &err);
	check_measure(&pm->measures[0], "add alert", NULL, NULL, MEASURE_OPEN, "OPS-412", NULL);
	postmortem_free(pm);
}

/* A ticket URL is a ticket whether md4c made it a link or left it text:
 * its permissive autolinks differ between versions (0.4.8 links
 * "URL）" whole, 0.5.2 leaves it text) and link no URL after a full-width
 * colon, a full-width parenthesis or a letter in any version. */
static void
test_measure_url_in_text(void **state)
{
	struct postmortem *pm = parse_string(state,
		"# T\n\n## 再発防止策\n\n"
		"- 監視する（チケット：https://github.com/acme/app/issues/216）\n"
		"- 上限を設ける（https://github.com/acme/app/pull/17、担当: Ken）\n"
		"- Add a probe (ticket:https://jira.example.com/browse/OPS-31)\n"
		"- Read https://example.com/runbook first\n");
	assert_int_equal(pm->n_measures, 4);
	check_measure(&pm->measures[0], "監視する", NULL, NULL, MEASURE_OPEN, "acme/app#216",
		      "https://github.com/acme/app/issues/216");
	check_measure(&pm->measures[1], "上限を設ける", "Ken", NULL, MEASURE_OPEN, "acme/app#17",
		      "https://github.com/acme/app/pull/17");
	check_measure(&pm->measures[2], "Add a probe", NULL, NULL, MEASURE_OPEN, "OPS-31",
		      "https://jira.example.com/browse/OPS-31");
	check_measure(&pm->measures[3], "Read https://example.com/runbook first", NULL, NULL,
		      MEASURE_OPEN, NULL, NULL);
	postmortem_free(pm);
}

static void
test_front_matter_forms(void **state)
{
	char *err = NULL;
	const char *toml = "+++\ntitle = \"x\"\n+++\n\n# x\n";
	assert_null(import_md_parse(toml, strlen(toml), "h.md", *state, &err));
	assert_non_null(strstr(err, "h.md:1: TOML front matter (+++)"));
	free(err);
	struct postmortem *pm = parse_string(state,
		"---\ntitle: T\ndate: 2026-11-16\ntags: auth sso\ndraft: true\n---\n\n## Summary\n\ns\n");
	assert_int_equal(pm->n_tags, 2);
	assert_string_equal(pm->tags[1], "sso");
	assert_true(pm->not_ready);
	postmortem_free(pm);
	/* a bad severity or date is reported, as the JSON import does */
	pm = parse_string(state, "---\ntitle: T\ndate: someday\nseverity: catastrophic\n---\n");
	assert_int_equal(pm->n_warnings, 3);
	assert_non_null(strstr(pm->warnings[0], "\"someday\" (front matter) is not a date"));
	assert_non_null(strstr(pm->warnings[1], "\"catastrophic\" (front matter) is not a severity"));
	postmortem_free(pm);
}

static void
test_decode(void **state)
{
	(void)state;
	char *out = NULL, *err = NULL;
	size_t n;
	const char *note;
	/* "# 障害報告: データベースの停止" in Shift_JIS and EUC-JP, and "障害"
	 * in UTF-16LE with a BOM */
	static const char sjis[] = "# \x8f\xe1\x8a\x51\x95\xf1\x8d\x90: \x83\x66\x81\x5b\x83\x5e"
				   "\x83\x78\x81\x5b\x83\x58\x82\xcc\x92\xe2\x8e\x7e\n";
	static const char euc[] = "# \xbe\xe3\xb3\xb2\xca\xf3\xb9\xf0: \xa5\xc7\xa1\xbc\xa5\xbf"
				  "\xa5\xd9\xa1\xbc\xa5\xb9\xa4\xce\xc4\xe4\xbb\xdf\n";
	assert_int_equal(import_decode(sjis, strlen(sjis), "s.md", &out, &n, &note, &err), 0);
	assert_string_equal(out, "# 障害報告: データベースの停止\n");
	assert_string_equal(note, "converted from Shift_JIS");
	free(out);
	assert_int_equal(import_decode(euc, strlen(euc), "e.md", &out, &n, &note, &err), 0);
	assert_string_equal(out, "# 障害報告: データベースの停止\n");
	assert_string_equal(note, "converted from EUC-JP");
	free(out);
	/* two characters are too few to be sure of: refused, not guessed */
	assert_int_equal(import_decode("\x8f\xe1\x8a\x51\n", 5, "s2.md", &out, &n, &note, &err),
			 -1);
	assert_non_null(strstr(err, "s2.md:1: not UTF-8"));
	free(err);
	err = NULL;
	/* Latin-1: one letter is no evidence, and never read as Shift_JIS */
	assert_int_equal(import_decode("Datenbank\xe4nderung\n", 19, "d.md", &out, &n, &note, &err),
			 -1);
	assert_non_null(strstr(err, "d.md:1: not UTF-8 (byte 0xE4)"));
	assert_non_null(strstr(err, "iconv -f "));
	free(err);
	err = NULL;
	assert_int_equal(import_decode("\xff\xfe\x9c\x96\xb3\x5b", 6, "u.md", &out, &n, &note, &err), 0);
	assert_string_equal(out, "障害");
	free(out);
	assert_int_equal(import_decode("ok\nCaf\xe9 \xab\n", 10, "l.md", &out, &n, &note, &err), -1);
	assert_non_null(strstr(err, "l.md:2: not UTF-8"));
	free(err);
	assert_string_equal(import_not_postmortem_name("docs/_index.md"), "a Hugo section page lists the folder");
	assert_null(import_not_postmortem_name("docs/2026-11-24-outage.md"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_front_matter_and_table),
		cmocka_unit_test(test_japanese_kv_table_h3),
		cmocka_unit_test(test_bold_lines_setext_html),
		cmocka_unit_test(test_crlf_bom_plain_lines),
		cmocka_unit_test(test_broken_front_matter),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_date_formats_in_body),
		cmocka_unit_test(test_every_heading_synonym),
		cmocka_unit_test(test_heading_levels),
		cmocka_unit_test(test_measure_forms),
		cmocka_unit_test(test_measure_decision_columns),
		cmocka_unit_test(test_measure_planned_and_bare_url),
		cmocka_unit_test(test_dates_from_text),
		cmocka_unit_test(test_plain_line_sections),
		cmocka_unit_test(test_more_metadata_forms),
		cmocka_unit_test(test_large_file),
		cmocka_unit_test(test_real_archive_dates),
		cmocka_unit_test(test_titles_and_prose),
		cmocka_unit_test(test_templates),
		cmocka_unit_test(test_measure_rules),
		cmocka_unit_test(test_measure_url_in_text),
		cmocka_unit_test(test_front_matter_forms),
		cmocka_unit_test(test_decode),
	};

	return cmocka_run_group_tests_name("import_md", tests, setup, teardown);
}
