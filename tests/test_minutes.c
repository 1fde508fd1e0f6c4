#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <md4c.h>

#include "furikaeri/export_json.h"
#include "furikaeri/export_md.h"
#include "furikaeri/export_minutes.h"
#include "furikaeri/export_slack.h"
#include "furikaeri/headings.h"
#include "furikaeri/import.h"
#include "furikaeri/importer.h"
#include "furikaeri/minutes.h"
#include "furikaeri/paths.h"
#include "furikaeri/roster.h"
#include "furikaeri/session.h"
#include "furikaeri/store.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/store_minutes_doc.h"
#include "furikaeri/store_outbox.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"

static char tmpdir[] = "/tmp/fk-test-minutes-XXXXXX";

static int
setup(void **state)
{
	(void)state;
	setlocale(LC_ALL, "C.UTF-8");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	if (getenv("FK_KEEP") != NULL)
		return 0;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *
tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static char *
read_all(const char *path)
{
	char *buf = NULL, *err = NULL;
	size_t len;

	if (paths_read_file(path, &buf, &len, &err) < 0) {
		print_error("%s\n", err);
		free(err);
		return NULL;
	}
	return buf;
}

static char *
fixture(const char *name)
{
	const char *src = getenv("FK_SRCDIR");

	return xasprintf("%s/tests/fixtures/minutes/%s", src != NULL ? src : FK_SRCDIR, name);
}

/* Compares text with a golden file; FK_UPDATE_GOLDEN=1 rewrites it. */
static void
assert_golden(const char *text, const char *name)
{
	char *path = fixture(name), *want, *err = NULL;

	if (getenv("FK_UPDATE_GOLDEN") != NULL)
		assert_int_equal(export_minutes_write_file(path, text, &err), 0);
	want = read_all(path);
	assert_non_null(want);
	if (strcmp(want, text) != 0) {
		print_error("%s differs; got:\n%s\n", path, text);
		fail();
	}
	free(want);
	free(path);
}

static void
set(char **field, const char *value)
{
	free(*field);
	*field = value != NULL ? xstrdup(value) : NULL;
}

static struct minutes_entry *
entry(struct minutes_doc *doc, long item, const char *kind, const char *body, const char *at)
{
	struct minutes_entry *e = minutes_doc_add_entry(doc);

	e->seq = (int)doc->n_entries;
	e->item = item;
	set(&e->kind, kind);
	set(&e->body, body);
	set(&e->created_at, at);
	return e;
}

static struct minutes_item *
item(struct minutes_doc *doc, const char *kind, const char *pm, const char *title,
     const char *state)
{
	struct minutes_item *it = minutes_doc_add_item(doc);

	set(&it->kind, kind);
	set(&it->pm_id, pm);
	set(&it->title, title);
	set(&it->state, state);
	it->budget_s = 900;
	return it;
}

/* A meeting with every kind of entry, an edit, a deletion, Japanese text,
 * carried-over items and text that tries to break the Markdown. */
static struct minutes_doc *
fixed_doc(void)
{
	struct minutes_doc *doc = minutes_doc_new();
	struct minutes_item *it;
	struct minutes_entry *e;

	set(&doc->week, "2026-W49");
	set(&doc->facilitator, "Aoi");
	set(&doc->backup, "Ken");
	set(&doc->started_at, "2026-12-01T10:00:00Z");
	set(&doc->ended_at, "2026-12-01T10:58:00Z");
	minutes_doc_add_attendee(doc, "Aoi");
	minutes_doc_add_attendee(doc, "Ken");
	minutes_doc_add_attendee(doc, "佐藤");
	it = item(doc, "followups", NULL, "Follow-ups", "done");
	it->spent_s = 240;
	it = item(doc, "postmortem", "pm-031", "Payment API timeouts after deploy", "done");
	set(&it->pm_source, "https://github.com/acme/postmortems/blob/main/pm-031.md");
	set(&it->pm_severity, "SEV2");
	set(&it->pm_date, "2026-11-27");
	it->spent_s = 760;
	it = item(doc, "postmortem", "pm-032", "検索の障害", "carried");
	set(&it->pm_source, "/srv/pm/検索 の障害 (1).md");
	set(&it->pm_severity, "SEV3");
	set(&it->pm_date, "2026-11-28");
	it->carried_over = true;
	it = item(doc, "wrapup", NULL, "Wrap-up", "done");

	entry(doc, 0, "note", "OPS-412 is still open", "2026-12-01T10:01:00Z");
	e = entry(doc, 1, "note", "リトライにジッターがなかった", "2026-12-01T10:05:00Z");
	set(&e->author, "田中");
	e = entry(doc, 1, "question", "Why did the canary pass? *really*", "2026-12-01T10:06:00Z");
	set(&e->author, "Ken_*x*");
	set(&e->edited_at, "2026-12-01T10:07:30Z");
	e = entry(doc, 1, "action", "Add jitter + retry budget", "2026-12-01T10:08:00Z");
	set(&e->author, "Aoi");
	set(&e->marker, "fk-00000000000000000000000000000001");
	set(&e->owner, "Mei");
	set(&e->due, "2026-12-15");
	set(&e->status, "open");
	set(&e->agreed_at, "2026-12-01T10:09:00Z");
	set(&e->ticket, "OPS-413");
	set(&e->ticket_url, "https://acme.atlassian.net/browse/OPS-413");
	set(&e->ticket_state, "filed");
	e = entry(doc, 1, "action", "Be more careful", "2026-12-01T10:10:00Z");
	set(&e->marker, "fk-00000000000000000000000000000002");
	set(&e->status, "open");
	set(&e->deleted_at, "2026-12-01T10:11:00Z");
	e = entry(doc, 1, "action", "Alert on pool saturation", "2026-12-01T10:12:00Z");
	set(&e->marker, "fk-00000000000000000000000000000003");
	set(&e->status, "open");
	set(&e->agreed_at, "2026-12-01T10:13:00Z");
	set(&e->ticket_state, "queued");
	entry(doc, 1, "decision", "Roll back before debugging", "2026-12-01T10:14:00Z");
	entry(doc, 1, "link", "https://github.com/acme/pay/pull/812", "2026-12-01T10:15:00Z");
	entry(doc, 1, "note", "# not a heading\n- not a list\n1. not numbered either\n"
	      "<b>no html</b> [no](link) `no code` a_b & c | d ~~e~~ \\ \x1b[31mred\x1b[0m",
	      "2026-12-01T10:16:00Z");
	entry(doc, 2, "event", "Carried over to next week", "2026-12-01T10:20:00Z");
	entry(doc, 3, "decision", "次回は検索の障害から始める", "2026-12-01T10:55:00Z");
	for (const char *const *n = (const char *const[]){ "Aoi", "Ken", "Mei", "佐藤", NULL };
	     *n != NULL; n++) {
		struct minutes_person *p = minutes_doc_add_person(doc);
		set(&p->name, *n);
	}
	set(&doc->roster[2].role, "engineering");
	/* what the rotation proposes from this roster and week alone, so that
	 * a store holding only this meeting exports the same file */
	set(&doc->next_facilitator, "Ken");
	set(&doc->next_backup, "Mei");
	return doc;
}

/* A carried item's budget is 0 (its time was freed): its time is shown
 * without "of 0:00". */
static void
test_markdown_carried_time(void **state)
{
	struct minutes_doc *doc = fixed_doc();

	(void)state;
	doc->items[2].budget_s = 0;
	doc->items[2].spent_s = 8;
	char *md = export_md_minutes(doc);
	assert_non_null(strstr(md, "Time: 0:08 · carried · carried over from last week"));
	assert_null(strstr(md, "of 0:00"));
	free(md);
	minutes_doc_free(doc);
}

static void
test_markdown_golden(void **state)
{
	struct minutes_doc *doc = fixed_doc();
	char *md = export_md_minutes(doc);

	(void)state;
	assert_golden(md, "fixed.md");
	/* who said what */
	assert_non_null(strstr(md, "10:05 **note** *田中:* リトライにジッターがなかった"));
	assert_non_null(strstr(md, "**question** *Ken\\_\\*x\\*:* Why did"));
	assert_non_null(strstr(md, "**action 1** *Aoi:* Add jitter"));
	assert_non_null(strstr(md, "リトライにジッターがなかった"));
	assert_null(strchr(md, '\x1b'));
	free(md);
	minutes_doc_free(doc);
}

static void
test_slack_golden(void **state)
{
	struct minutes_doc *doc = fixed_doc();
	char *text = export_slack_minutes(doc);

	(void)state;
	assert_golden(text, "fixed.slack");
	assert_non_null(strstr(text, "&lt;b&gt;no html&lt;/b&gt;"));
	assert_non_null(strstr(text, "<https://acme.atlassian.net/browse/OPS-413|OPS-413>"));
	assert_null(strchr(text, '\x1b'));
	free(text);
	minutes_doc_free(doc);
}

/* What md4c saw: headings as "h2:text", list items as "li:text". */
struct md_seen {
	struct strbuf text;
	char **blocks;
	size_t n;
	int depth;		/* inside a heading or list item */
	int list_depth;
	const char *tag;
};

static void
md_seen_flush(struct md_seen *s)
{
	s->blocks = xreallocarray(s->blocks, s->n + 1, sizeof(char *));
	s->blocks[s->n++] = xasprintf("%s:%s", s->tag, strbuf_str(&s->text));
	strbuf_reset(&s->text);
}

static int
md_enter(MD_BLOCKTYPE type, void *detail, void *ctx)
{
	struct md_seen *s = ctx;
	static char tag[8];

	if (type == MD_BLOCK_UL || type == MD_BLOCK_OL)
		s->list_depth++;
	if (type == MD_BLOCK_H) {
		snprintf(tag, sizeof(tag), "h%u", ((MD_BLOCK_H_DETAIL *)detail)->level);
		s->tag = tag;
		s->depth++;
	} else if (type == MD_BLOCK_LI) {
		if (s->depth > 0 && s->text.len > 0)
			md_seen_flush(s);
		s->tag = "li";
		s->depth++;
	}
	return 0;
}

static int
md_leave(MD_BLOCKTYPE type, void *detail, void *ctx)
{
	struct md_seen *s = ctx;

	(void)detail;
	if (type == MD_BLOCK_UL || type == MD_BLOCK_OL)
		s->list_depth--;
	if (type == MD_BLOCK_H || type == MD_BLOCK_LI) {
		md_seen_flush(s);
		s->depth--;
	}
	return 0;
}

static int
md_span(MD_SPANTYPE type, void *detail, void *ctx)
{
	(void)type;
	(void)detail;
	(void)ctx;
	return 0;
}

static int
md_text_cb(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *ctx)
{
	struct md_seen *s = ctx;

	if (s->depth == 0)
		return 0;
	if (type == MD_TEXT_BR || type == MD_TEXT_SOFTBR)
		strbuf_addc(&s->text, ' ');
	else
		strbuf_add(&s->text, text, size);
	return 0;
}

static bool
seen(const struct md_seen *s, const char *block)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->blocks[i], block) == 0)
			return true;
	return false;
}

static bool
seen_prefix(const struct md_seen *s, const char *prefix)
{
	for (size_t i = 0; i < s->n; i++)
		if (strncmp(s->blocks[i], prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

static void
test_markdown_parses_back(void **state)
{
	struct minutes_doc *doc = fixed_doc();
	char *md = export_md_minutes(doc);
	struct md_seen s = { .text = STRBUF_INIT };
	MD_PARSER parser = {
		.flags = MD_DIALECT_GITHUB,
		.enter_block = md_enter,
		.leave_block = md_leave,
		.enter_span = md_span,
		.leave_span = md_span,
		.text = md_text_cb,
	};
	size_t headings = 0, items = 0;

	(void)state;
	assert_int_equal(md_parse(md, (MD_SIZE)strlen(md), &parser, &s), 0);
	assert_true(seen(&s, "h1:Postmortem review 2026-W49"));
	assert_true(seen(&s, "h2:1. Follow-ups"));
	assert_true(seen(&s, "h2:2. Payment API timeouts after deploy"));
	assert_true(seen(&s, "h2:3. 検索の障害"));
	assert_true(seen(&s, "h2:4. Wrap-up"));
	assert_true(seen(&s, "h2:Carried over to next week"));
	assert_true(seen(&s, "h2:Next week"));
	assert_true(seen(&s, "li:Attendees: Aoi, Ken, 佐藤"));
	assert_true(seen(&s, "li:10:05 note 田中: リトライにジッターがなかった"));
	assert_true(seen(&s, "li:10:06 question Ken_*x*: Why did the canary pass? *really* (edited at 10:07)"));
	assert_true(seen(&s, "li:10:10 action 2 Be more careful (deleted at 10:11)"));
	assert_true(seen(&s, "li:Roll back before debugging"));
	assert_true(seen(&s, "li:Add jitter + retry budget — owner: Mei, due: 2026-12-15, "
			 "ticket: OPS-413"));
	assert_true(seen(&s, "li:Alert on pool saturation — owner: not set, due: not set, "
			 "ticket: queued"));
	assert_true(seen(&s, "li:pm-032: 検索の障害"));
	/* the hostile note stays one list item with its text intact */
	assert_true(seen_prefix(&s, "li:10:16 note # not a heading - not a list 1. not numbered "
				"either <b>no html</b> [no](link) `no code` a_b & c | d ~~e~~ \\"));
	for (size_t i = 0; i < s.n; i++) {
		if (getenv("FK_DEBUG") != NULL)
			print_message("%s\n", s.blocks[i]);
		if (s.blocks[i][0] == 'h')
			headings++;
		else
			items++;
		free(s.blocks[i]);
	}
	/* h1, 4 items with 4 Minutes, 2 Decisions, 1 Agreed measures, carried, next */
	assert_int_equal(headings, 1 + 4 + 4 + 2 + 1 + 1 + 1);
	/* 4 facts, 11 entries, 2 decisions, 2 measures, 1 carried */
	assert_int_equal(items, 4 + 11 + 2 + 2 + 1);
	assert_int_equal(s.list_depth, 0);
	free(s.blocks);
	strbuf_release(&s.text);
	free(md);
	minutes_doc_free(doc);
}

static void
test_json_reads_back(void **state)
{
	struct minutes_doc *doc = fixed_doc(), *back;
	char *json = export_json_minutes(doc), *again, *err = NULL;

	(void)state;
	assert_non_null(strstr(json, "\"format\": \"furikaeri-minutes\""));
	assert_non_null(strstr(json, "\"format_version\": 2"));
	assert_non_null(strstr(json, "\"author\": \"田中\""));
	assert_non_null(strstr(json, "リトライにジッターがなかった"));
	/* lossless: the escape is kept, written as JSON escapes it */
	assert_non_null(strstr(json, "\\\\ \\u001B[31mred\\u001B[0m"));
	/* also the input of tests/cli/minutes.sh */
	assert_golden(json, "2026-W49.json");
	assert_true(import_json_is_minutes(json, strlen(json)));
	back = import_json_minutes(json, strlen(json), "w.json", &err);
	assert_non_null(back);
	again = export_json_minutes(back);
	assert_string_equal(json, again);
	free(again);
	minutes_doc_free(back);
	minutes_doc_free(doc);
	free(json);
}

/* A format_version 1 file (no authors) still imports, and is written
 * back as version 2 with no author. */
static void
test_json_version_1(void **state)
{
	char *path = fixture("v1-2026-W49.json"), *text = read_all(path), *err = NULL;
	struct minutes_doc *doc;

	(void)state;
	assert_non_null(text);
	assert_non_null(strstr(text, "\"format_version\": 1"));
	assert_null(strstr(text, "\"author\""));
	doc = import_json_minutes(text, strlen(text), path, &err);
	assert_non_null(doc);
	assert_true(doc->n_entries > 2);
	for (size_t i = 0; i < doc->n_entries; i++)
		assert_null(doc->entries[i].author);
	char *json = export_json_minutes(doc);
	assert_non_null(strstr(json, "\"format_version\": 2"));
	assert_non_null(strstr(json, "\"author\": null"));
	assert_non_null(strstr(json, "リトライにジッターがなかった"));
	free(json);
	minutes_doc_free(doc);
	free(text);
	free(path);
}

static void
expect_import_error(const char *text, const char *message)
{
	char *err = NULL;
	struct minutes_doc *doc = import_json_minutes(text, strlen(text), "m.json", &err);

	assert_null(doc);
	assert_non_null(err);
	if (strstr(err, message) == NULL) {
		print_error("expected [%s] in [%s]\n", message, err);
		fail();
	}
	free(err);
}

static void
test_json_errors(void **state)
{
	(void)state;
	expect_import_error("{\"format\": \"furikaeri-minutes\",\n  \"week\": }", "m.json:2:");
	expect_import_error("{\"format\": \"furikaeri-minutes\", \"format_version\": 3, "
			    "\"week\": \"2026-W49\"}", "m.json: format_version: written by a newer");
	expect_import_error("{\"format\": \"furikaeri-minutes\", \"format_version\": 1, "
			    "\"week\": \"2026-W60\"}", "m.json: week: not an ISO week");
	expect_import_error("{\"format\": \"furikaeri-minutes\", \"format_version\": 1, "
			    "\"week\": \"2026-W49\", \"entries\": [{\"seq\": 1, \"kind\": \"chat\", "
			    "\"text\": \"x\", \"created_at\": \"t\"}]}",
			    "m.json: entries[0].kind: \"chat\" is not one of");
	expect_import_error("{\"format\": \"furikaeri-minutes\", \"format_version\": 1, "
			    "\"week\": \"2026-W49\", \"entries\": [{\"seq\": 1, \"kind\": \"action\", "
			    "\"text\": \"x\", \"created_at\": \"t\", \"measure\": {\"marker\": \"m\", "
			    "\"status\": \"maybe\"}}]}",
			    "m.json: entries[0].measure.status: \"maybe\" is not one of");
	expect_import_error("{\"format\": \"furikaeri-minutes\", \"format_version\": 1, "
			    "\"week\": \"2026-W49\", \"entries\": [{\"seq\": 1, \"item\": 3, "
			    "\"kind\": \"note\", \"text\": \"x\", \"created_at\": \"t\"}]}",
			    "m.json: entries[0].item: not the index");
}

/* Sends lines to a session, each of which must be accepted. */
static void
say(struct session *s, const char *line)
{
	struct session_reply r = { 0 };

	session_input(s, line, &r);
	if (r.error) {
		print_error("'%s': %s\n", line, r.message != NULL ? r.message : "?");
		fail();
	}
	session_reply_clear(&r);
}

static struct store *
demo_store(const char *name)
{
	char *path = tmp_path(name), *err = NULL, *data = xasprintf("%s/data/demo/postmortems",
		getenv("FK_SRCDIR") != NULL ? getenv("FK_SRCDIR") : FK_SRCDIR);
	struct store *st = store_open(path, &err);
	struct importer_counts counts;
	struct headings *h;
	char *hdir = xasprintf("%s/data/headings", getenv("FK_SRCDIR") != NULL
			       ? getenv("FK_SRCDIR") : FK_SRCDIR);
	const char *dirs[] = { hdir };

	assert_non_null(st);
	h = headings_load(dirs, 1, &err);
	assert_non_null(h);
	importer_run(st, h, &data, 1, NULL, &counts);
	assert_int_equal(counts.added, 9);
	assert_int_equal(counts.failed, 0);
	for (const char *const *n = (const char *const[]){ "Aoi", "Ken", "Mei", "Sato", "佐藤",
							   NULL }; *n != NULL; n++)
		assert_int_equal(store_person_add(st, *n, NULL, &err), 0);
	headings_free(h);
	free(hdir);
	free(data);
	free(path);
	return st;
}

static struct session *
open_week(struct store *st, const char *week)
{
	struct session_options opt = { .week = week };
	char *err = NULL;
	struct session *s = session_open(st, &opt, &err);

	if (s == NULL)
		print_error("%s\n", err);
	assert_non_null(s);
	return s;
}

static void
export_to(struct store *st, const char *week, const char *folder)
{
	char **written = NULL, *err = NULL, *dir = tmp_path(folder);
	size_t n = 0;

	if (export_minutes_files(st, week, dir, &written, &n, &err) < 0)
		print_error("%s\n", err);
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++)
		free(written[i]);
	free(written);
	free(dir);
}

static void
assert_same_file(const char *a, const char *b)
{
	char *pa = tmp_path(a), *pb = tmp_path(b);
	char *ta = read_all(pa), *tb = read_all(pb);

	assert_non_null(ta);
	assert_non_null(tb);
	assert_string_equal(ta, tb);
	free(ta);
	free(tb);
	free(pa);
	free(pb);
}

static void
import_files(struct store *st, char **paths, size_t n, struct importer_counts *counts)
{
	assert_int_equal(importer_run(st, NULL, paths, n, NULL, counts), 0);
}

static size_t
count_measures(struct store *st)
{
	struct store_measures m;
	struct store_measure_filter f = { 0 };
	char *err = NULL;
	size_t n;

	assert_int_equal(store_measures_list(st, &f, &m, &err), 0);
	n = m.n;
	store_measures_free(&m);
	return n;
}

/* The demo week held in a meeting: export, import into a fresh store,
 * export again gives the same bytes. */
static void
test_round_trip_demo(void **state)
{
	struct store *a = demo_store("demo-a.db"), *b;
	struct session *s = open_week(a, "2026-W48");
	struct importer_counts counts;
	char *json = tmp_path("demo-a/2026-W48.json"), *path_b = tmp_path("demo-b.db");
	char *err = NULL;

	(void)state;
	say(s, "");
	say(s, "/attend Mei");
	say(s, "/next");
	say(s, "Timeouts started right after the deploy");
	say(s, "/action Add jitter to retries @Mei due:2026-12-15");
	say(s, "/agree 1");
	session_free(s);
	export_to(a, "2026-W48", "demo-a");

	b = store_open(path_b, &err);
	assert_non_null(b);
	import_files(b, &json, 1, &counts);
	assert_int_equal(counts.added, 1);
	export_to(b, "2026-W48", "demo-b");
	assert_same_file("demo-a/2026-W48.json", "demo-b/2026-W48.json");
	assert_same_file("demo-a/2026-W48.md", "demo-b/2026-W48.md");
	store_free(a);
	store_free(b);
	free(json);
	free(path_b);
}

static void
queue_and_file(struct store *st, struct session *s, int action, const char *key)
{
	const struct store_minutes *m = session_minutes(s);
	struct store_outbox_item it;
	enum store_outbox_queued queued;
	bool found, changed;
	char *err = NULL, *has = NULL;

	for (size_t i = 0; i < m->n; i++) {
		if (session_action_number(s, i) != action)
			continue;
		assert_int_equal(store_outbox_queue(st, m->rows[i].measure_id, "github",
						    "2026-12-01T00:00:00Z", &queued, &has, &err), 0);
		free(has);
		if (key == NULL)
			return;
		assert_int_equal(store_outbox_get(st, m->rows[i].measure_id, &it, &found, &err), 0);
		assert_true(found);
		char *url = xasprintf("https://github.com/acme/pay/issues/%s", key + 9);
		assert_int_equal(store_outbox_move(st, &(struct store_outbox_move){
			.id = it.id, .guard = STORE_OUTBOX_DUE, .owner = "t", .to = DELIVER_CLAIMED,
			.now = "2026-12-01T00:00:00Z", .lease_until = "2026-12-01T01:00:00Z",
			.look_first = -1, .misses = -1, .note = "claimed" }, &changed, &err), 0);
		assert_true(changed);
		assert_int_equal(store_outbox_move(st, &(struct store_outbox_move){
			.id = it.id, .guard = STORE_OUTBOX_HELD, .owner = "t", .to = DELIVER_DELIVERED,
			.now = "2026-12-01T00:00:01Z", .key = key, .url = url, .look_first = 0,
			.misses = -1, .note = "filed" }, &changed, &err), 0);
		assert_true(changed);
		assert_int_equal(store_outbox_set_measure_status(st, m->rows[i].measure_id, "done",
								 &err), 0);
		free(url);
		store_outbox_item_release(&it);
		return;
	}
	fail();
}

/* Two weeks with every kind of entry, an edit, a deletion, Japanese text,
 * tickets and an item carried from one week to the next. */
static void
test_round_trip_every_kind(void **state)
{
	struct store *a = demo_store("full-a.db"), *b;
	struct session *s;
	struct importer_counts counts;
	char *files[2] = { tmp_path("full-a/2026-W48.json"), tmp_path("full-a/2026-W49.json") };
	char *path_b = tmp_path("full-b.db"), *err = NULL;
	struct minutes_doc *da, *db;
	size_t measures;

	(void)state;
	s = open_week(a, "2026-W48");
	say(s, "/facilitator Ken");
	say(s, "/backup 佐藤");
	say(s, "/attend Aoi");
	say(s, "/attend 佐藤");
	say(s, "Follow-ups look fine");
	say(s, "/next");
	say(s, "リトライにジッターがなかった");
	say(s, "/q Why did the canary pass?");
	say(s, "/decide Roll back before debugging");
	say(s, "/link https://github.com/acme/pay/pull/812 the fix");
	say(s, "/action Add jitter + retry budget @Mei due:2026-12-15");
	say(s, "/action Be more careful");
	say(s, "/action 接続プールの飽和を検知する @佐藤");
	say(s, "/agree 1");
	say(s, "/agree 3");
	queue_and_file(a, s, 1, "acme/pay#812");
	queue_and_file(a, s, 3, NULL);
	say(s, "/delete 7");
	say(s, "/edit 3 Why did the canary pass, and what did it check?");
	say(s, "/next");
	say(s, "/carry");
	say(s, "/topic Alert fatigue in on-call");
	session_free(s);

	s = open_week(a, "2026-W49");
	say(s, "");
	say(s, "/attend Mei");
	say(s, "/next");
	say(s, "検索の障害、続き");
	session_free(s);

	export_to(a, "2026-W48", "full-a");
	export_to(a, "2026-W49", "full-a");

	b = store_open(path_b, &err);
	assert_non_null(b);
	import_files(b, files, 2, &counts);
	assert_int_equal(counts.added, 2);
	export_to(b, "2026-W48", "full-b");
	export_to(b, "2026-W49", "full-b");
	assert_same_file("full-a/2026-W48.json", "full-b/2026-W48.json");
	assert_same_file("full-a/2026-W48.md", "full-b/2026-W48.md");
	assert_same_file("full-a/2026-W49.json", "full-b/2026-W49.json");
	assert_same_file("full-a/2026-W49.md", "full-b/2026-W49.md");

	/* the rotation proposes the same on both machines */
	da = store_minutes_doc_load(a, "2026-W49", &err);
	db = store_minutes_doc_load(b, "2026-W49", &err);
	assert_non_null(da);
	assert_non_null(db);
	assert_non_null(da->next_facilitator);
	assert_string_equal(da->next_facilitator, db->next_facilitator);
	assert_string_equal(da->next_backup, db->next_backup);
	minutes_doc_free(da);
	minutes_doc_free(db);

	/* importing again changes nothing and duplicates no measure */
	measures = count_measures(b);
	assert_int_equal(measures, 3);
	import_files(b, files, 2, &counts);
	assert_int_equal(counts.unchanged, 2);
	assert_int_equal(counts.added + counts.updated, 0);
	assert_int_equal(count_measures(b), measures);
	/* nor on the machine that held the meetings */
	measures = count_measures(a);
	import_files(a, files, 2, &counts);
	assert_int_equal(counts.unchanged, 2);
	assert_int_equal(count_measures(a), measures);

	store_free(a);
	store_free(b);
	free(files[0]);
	free(files[1]);
	free(path_b);
}

/* A changed file is merged into the meeting, keeping its measures. */
static void
test_import_replaces(void **state)
{
	struct minutes_doc *doc = fixed_doc(), *back;
	char *path = tmp_path("replace.db"), *file = tmp_path("replace.json"), *err = NULL;
	char *json;
	struct store *st = store_open(path, &err);
	struct importer_counts counts;

	(void)state;
	assert_non_null(st);
	json = export_json_minutes(doc);
	assert_int_equal(export_minutes_write_file(file, json, &err), 0);
	free(json);
	import_files(st, &file, 1, &counts);
	assert_int_equal(counts.added, 1);
	assert_int_equal(count_measures(st), 3);
	set(&doc->entries[1].body, "リトライにジッターがなかった（修正済み）");
	/* an item this store lacks joins the agenda after the others */
	item(doc, "topic", NULL, "On-call handover", "done")->budget_s = 240;
	json = export_json_minutes(doc);
	assert_int_equal(export_minutes_write_file(file, json, &err), 0);
	import_files(st, &file, 1, &counts);
	assert_int_equal(counts.updated, 1);
	assert_int_equal(count_measures(st), 3);
	back = store_minutes_doc_load(st, "2026-W49", &err);
	assert_non_null(back);
	assert_string_equal(back->entries[1].body, "リトライにジッターがなかった（修正済み）");
	assert_int_equal(back->n_entries, doc->n_entries);
	assert_int_equal(back->n_items, doc->n_items);
	assert_string_equal(back->items[back->n_items - 1].title, "On-call handover");
	assert_int_equal(back->items[back->n_items - 1].budget_s, 240);
	assert_string_equal(back->items[0].title, "Follow-ups");
	minutes_doc_free(back);
	/* a broken file changes nothing */
	assert_int_equal(export_minutes_write_file(file, "{\"format\": \"furikaeri-minutes\", "
				"\"format_version\": 1, \"week\": \"2026-W49\", \"items\": 3}", &err), 0);
	assert_int_equal(importer_run(st, NULL, &file, 1, NULL, &counts), -1);
	assert_int_equal(counts.failed, 1);
	back = store_minutes_doc_load(st, "2026-W49", &err);
	assert_non_null(back);
	assert_int_equal(back->n_entries, doc->n_entries);
	minutes_doc_free(back);
	free(json);
	store_free(st);
	minutes_doc_free(doc);
	free(path);
	free(file);
}

/* Markers are forever: a measure whose ticket is on its way (claimed, or
 * sent with its outcome unknown) keeps its marker when minutes that carry
 * another marker for the same words are imported; else the lookup would
 * search for the new marker, miss the ticket the first create made, and
 * create a second one. */
static void
rekey_in_flight(const char *db, enum deliver_state in_flight)
{
	struct store *st = demo_store(db);
	struct session *s = open_week(st, "2026-W48");
	const struct store_minutes *m;
	struct store_outbox_item it;
	struct minutes_doc *doc;
	struct importer_counts counts;
	enum store_outbox_queued queued;
	long long measure = 0;
	char *err = NULL, *has = NULL, *json, *file = tmp_path("rekey.json"), *marker;
	bool found = false, changed = false;

	say(s, "");
	say(s, "/next");
	say(s, "/action Add jitter to retries @Mei due:2026-12-15");
	say(s, "/agree 1");
	m = session_minutes(s);
	for (size_t i = 0; i < m->n; i++)
		if (session_action_number(s, i) == 1)
			measure = m->rows[i].measure_id;
	session_free(s);
	assert_true(measure != 0);
	assert_int_equal(store_outbox_queue(st, measure, "github", "2026-12-01T00:00:00Z",
					    &queued, &has, &err), 0);
	assert_int_equal(store_outbox_get(st, measure, &it, &found, &err), 0);
	assert_true(found);
	assert_int_equal(store_outbox_move(st, &(struct store_outbox_move){
		.id = it.id, .guard = STORE_OUTBOX_DUE, .owner = "t", .to = DELIVER_CLAIMED,
		.now = "2026-12-01T00:00:00Z", .lease_until = "2026-12-01T01:00:00Z",
		.look_first = -1, .misses = -1, .sent = true, .note = "sending the create" },
		&changed, &err), 0);
	assert_true(changed);
	marker = xstrdup(it.marker);
	if (in_flight == DELIVER_UNKNOWN) {
		assert_int_equal(store_outbox_move(st, &(struct store_outbox_move){
			.id = it.id, .guard = STORE_OUTBOX_HELD, .owner = "t", .to = DELIVER_UNKNOWN,
			.now = "2026-12-01T00:00:05Z", .next_attempt_at = "2026-12-01T00:02:05Z",
			.look_first = 1, .misses = 0, .note = "outcome unknown" }, &changed, &err),
			0);
		assert_true(changed);
	}

	/* the same minutes from another machine: the same words, another marker */
	doc = store_minutes_doc_load(st, "2026-W48", &err);
	assert_non_null(doc);
	for (size_t i = 0; i < doc->n_entries; i++)
		if (doc->entries[i].marker != NULL &&
		    strcmp(doc->entries[i].marker, it.marker) == 0)
			set(&doc->entries[i].marker, "m-from-another-machine");
	json = export_json_minutes(doc);
	assert_int_equal(export_minutes_write_file(file, json, &err), 0);
	import_files(st, &file, 1, &counts);
	assert_int_equal(counts.failed, 0);
	store_outbox_item_release(&it);
	assert_int_equal(store_outbox_get(st, measure, &it, &found, &err), 0);
	assert_true(found);
	assert_int_equal(it.state, in_flight);
	assert_string_equal(it.marker, marker);
	store_outbox_item_release(&it);
	free(marker);
	free(json);
	free(file);
	free(has);
	minutes_doc_free(doc);
	store_free(st);
}

static void
test_import_keeps_marker_while_claimed(void **state)
{
	(void)state;
	rekey_in_flight("rekey-claimed.db", DELIVER_CLAIMED);
}

static void
test_import_keeps_marker_while_unknown(void **state)
{
	(void)state;
	rekey_in_flight("rekey-unknown.db", DELIVER_UNKNOWN);
}

static void
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Sources are stored relative to the archive (the git work tree holding
 * them); the minutes' Markdown links them from the minutes folder, or at
 * [postmortems] url, and the JSON keeps them as stored. */
static void
test_archive_relative_links(void **state)
{
	char *repo = tmp_path("repo"), *cmd = xasprintf("mkdir -p '%s/.git' '%s/docs/pm' "
							"'%s/minutes'", repo, repo, repo);
	char *pm = xasprintf("%s/docs/pm/2026-11-24-gateway.md", repo);
	char *db = tmp_path("archive.db"), *err = NULL, *md, *json;
	struct importer_counts counts;
	struct store *st;

	(void)state;
	assert_int_equal(system(cmd), 0);
	write_text(pm, "---\nid: pm-gw\ntitle: Gateway timeouts\ndate: 2026-11-24\n---\n\n"
		   "## Summary\n\nThe gateway timed out.\n");
	st = store_open(db, &err);
	assert_non_null(st);
	assert_int_equal(importer_run(st, NULL, &pm, 1, NULL, &counts), 0);
	struct postmortem *got = store_postmortem_get(st, "pm-gw", &err);
	assert_non_null(got);
	assert_string_equal(got->source, "docs/pm/2026-11-24-gateway.md");
	postmortem_free(got);
	session_free(open_week(st, "2026-W48"));

	char *folder = xasprintf("%s/minutes", repo), **written = NULL;
	size_t n = 0;
	assert_int_equal(export_minutes_files(st, "2026-W48", folder, &written, &n, &err), 0);
	for (size_t i = 0; i < n; i++)
		free(written[i]);
	free(written);
	char *mdpath = xasprintf("%s/2026-W48.md", folder), *jsonpath = xasprintf("%s/2026-W48.json", folder);
	md = read_all(mdpath);
	json = read_all(jsonpath);
	assert_non_null(strstr(md, "](<../docs/pm/2026-11-24-gateway.md>)"));
	assert_non_null(strstr(json, "\"docs/pm/2026-11-24-gateway.md\""));
	free(md);
	free(json);

	/* a folder outside the archive: the full path, found from where we are */
	char *elsewhere = tmp_path("elsewhere"), *back = realpath(".", NULL), *outside;
	assert_int_equal(chdir(repo), 0);
	assert_int_equal(export_minutes_files(st, "2026-W48", elsewhere, &written, &n, &err), 0);
	assert_int_equal(chdir(back), 0);
	for (size_t i = 0; i < n; i++)
		free(written[i]);
	free(written);
	outside = xasprintf("%s/2026-W48.md", elsewhere);
	md = read_all(outside);
	char *full = realpath(pm, NULL);
	assert_non_null(strstr(md, full));
	free(full);
	free(md);
	free(outside);
	free(back);
	free(elsewhere);

	struct config *cfg = config_parse("[postmortems]\nurl = https://github.com/acme/pm/blob/main/\n",
					  "t.ini", &err);
	assert_non_null(cfg);
	assert_int_equal(export_minutes_files_for(cfg, st, "2026-W48", folder, &written, &n, &err), 0);
	for (size_t i = 0; i < n; i++)
		free(written[i]);
	free(written);
	md = read_all(mdpath);
	assert_non_null(strstr(md, "https://github.com/acme/pm/blob/main/docs/pm/2026-11-24-gateway.md"));
	assert_null(strstr(md, "../docs"));
	free(md);
	config_free(cfg);
	store_free(st);
	free(mdpath);
	free(jsonpath);
	free(folder);
	free(db);
	free(pm);
	free(cmd);
	free(repo);
}

/* An entry is late after its item closed (the meeting had moved on) or
 * after the meeting ended, and the exports say which. */
static void
test_late_after_item_closed(void **state)
{
	struct minutes_doc *doc = minutes_doc_new();
	struct minutes_item *a, *b;
	struct minutes_entry *e[4];
	char *md;

	(void)state;
	doc->week = xstrdup("2026-W49");
	doc->started_at = xstrdup("2026-12-02T10:00:00Z");
	/* the doc's arrays move as they grow: add first, then fill */
	minutes_doc_add_item(doc);
	minutes_doc_add_item(doc);
	for (int i = 0; i < 4; i++)
		minutes_doc_add_entry(doc);
	a = &doc->items[0];
	b = &doc->items[1];
	a->kind = xstrdup("topic");
	a->title = xstrdup("Cache outage");
	a->state = xstrdup("done");
	a->closed_at = xstrdup("2026-12-02T10:20:00Z");
	b->kind = xstrdup("topic");
	b->title = xstrdup("Queue backlog");
	b->state = xstrdup("current");
	for (int i = 0; i < 4; i++) {
		e[i] = &doc->entries[i];
		e[i]->seq = i + 1;
		e[i]->kind = xstrdup("note");
		e[i]->item = i < 3 ? 0 : 1;
	}
	e[0]->body = xstrdup("said while the item was open");
	e[0]->created_at = xstrdup("2026-12-02T10:10:00Z");
	e[1]->body = xstrdup("a reply after the meeting moved on");
	e[1]->created_at = xstrdup("2026-12-02T10:25:00Z");
	e[2]->body = xstrdup("a reply the next day");
	e[2]->created_at = xstrdup("2026-12-03T09:00:00Z");
	e[3]->body = xstrdup("on the current item");
	e[3]->created_at = xstrdup("2026-12-02T10:40:00Z");
	assert_int_equal(minutes_entry_late(doc, e[0]), MINUTES_ON_TIME);
	assert_int_equal(minutes_entry_late(doc, e[1]), MINUTES_LATE_ITEM);
	assert_int_equal(minutes_entry_late(doc, e[2]), MINUTES_LATE_ITEM);
	assert_int_equal(minutes_entry_late(doc, e[3]), MINUTES_ON_TIME);
	doc->ended_at = xstrdup("2026-12-02T11:00:00Z");
	assert_int_equal(minutes_entry_late(doc, e[1]), MINUTES_LATE_ITEM);
	assert_int_equal(minutes_entry_late(doc, e[2]), MINUTES_LATE_MEETING);
	md = export_md_minutes(doc);
	assert_non_null(strstr(md, "a reply after the meeting moved on *(late, after the item closed"));
	assert_non_null(strstr(md, "a reply the next day *(late, after the meeting"));
	assert_null(strstr(md, "said while the item was open *(late"));
	free(md);
	minutes_doc_free(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markdown_golden),
		cmocka_unit_test(test_late_after_item_closed),
		cmocka_unit_test(test_markdown_carried_time),
		cmocka_unit_test(test_slack_golden),
		cmocka_unit_test(test_markdown_parses_back),
		cmocka_unit_test(test_json_reads_back),
		cmocka_unit_test(test_json_version_1),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_round_trip_demo),
		cmocka_unit_test(test_archive_relative_links),
		cmocka_unit_test(test_round_trip_every_kind),
		cmocka_unit_test(test_import_replaces),
		cmocka_unit_test(test_import_keeps_marker_while_claimed),
		cmocka_unit_test(test_import_keeps_marker_while_unknown),
	};

	return cmocka_run_group_tests_name("minutes", tests, setup, teardown);
}
