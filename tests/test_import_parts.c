#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "furikaeri/import.h"
#include "furikaeri/postmortem.h"
#include "furikaeri/xalloc.h"
#include "import_md_private.h"

/* Each file of the Markdown import by itself (the whole parse is
 * test_import_md's). */

static const char *
cell(const struct ctx *c, size_t row, size_t k)
{
	return c->rows[row].cells[k].text.buf;
}

/* import_md_walk.c: chunks between headings, list items and table rows
 * with cells, header row and task state. */
static void
test_walk(void **state)
{
	static const char md[] = "Intro line\n\n"
				 "# Summary\n\nThe **database** failed over.\n\n"
				 "## Action items\n\n"
				 "- [x] Add an alert on replica lag\n"
				 "- [ ] Run a failover drill\n\n"
				 "| Action | Owner |\n|---|---|\n| Rotate keys | Aoi |\n";
	struct ctx c;

	(void)state;
	assert_int_equal(imd_walk(&c, NULL, md, sizeof(md) - 1), 0);
	assert_int_equal(c.n_chunks, 3);
	assert_null(c.chunks[0].heading);
	assert_string_equal(c.chunks[1].heading, "Summary");
	assert_int_equal(c.chunks[1].level, 1);
	assert_non_null(strstr(c.chunks[1].text.buf, "The database failed over."));
	assert_string_equal(c.chunks[2].heading, "Action items");
	assert_int_equal(c.n_rows, 4);
	assert_int_equal(c.rows[0].table, -1);
	assert_int_equal(c.rows[0].task, 1);
	assert_string_equal(cell(&c, 0, 0), "Add an alert on replica lag");
	assert_int_equal(c.rows[1].task, 0);
	assert_true(c.rows[2].header);
	assert_int_equal(c.rows[2].n_cells, 2);
	assert_string_equal(cell(&c, 2, 1), "Owner");
	assert_false(c.rows[3].header);
	assert_string_equal(cell(&c, 3, 0), "Rotate keys");
	assert_int_equal(c.rows[3].chunk, 2);
	imd_ctx_release(&c);
}

/* import_md_repair.c: a separator row moved under the header, a wrapped
 * row joined; a table that needs nothing, and a fenced one, untouched. */
static void
test_repair(void **state)
{
	static const char pasted[] = "x\n\n| Action | Owner |\n| Alert | Ken |\n|---|---|\n"
				     "| Retry the\ntoken refresh | Mei |\n\ny\n";
	static const char fine[] = "| a | b |\n|---|---|\n| 1 | 2\n";
	static const char fenced[] = "```\n| a | b |\n| 1 | 2 |\n|---|---|\n```\n";
	size_t n = 0;
	char *out = imd_repair_tables(pasted, sizeof(pasted) - 1, &n);

	(void)state;
	assert_non_null(out);
	assert_string_equal(out, "x\n\n| Action | Owner |\n|---|---|\n| Alert | Ken |\n"
				 "| Retry the token refresh | Mei |\n\ny\n");
	assert_int_equal(n, strlen(out));
	free(out);
	assert_null(imd_repair_tables(fine, sizeof(fine) - 1, &n));
	assert_null(imd_repair_tables(fenced, sizeof(fenced) - 1, &n));
}

/* import_measure.c's prose rules: prevention to come is a measure, a thing
 * weighed and refused is not adopted, and a not-adopted paragraph stays
 * whole. */
static void
test_prose(void **state)
{
	struct postmortem *pm = postmortem_new();

	(void)state;
	assert_int_equal(imd_measures_from_prose(NULL, pm, "We restarted it. Going forward we "
						 "will alert on lag. We rejected a rewrite."), 1);
	assert_string_equal(pm->measures[0].title, "Going forward we will alert on lag");
	imd_not_doing_from_prose(NULL, pm, "We considered a second region but decided against "
				 "it. It was fine.");
	assert_int_equal(pm->n_measures, 2);
	assert_int_equal(pm->measures[1].status, MEASURE_NOT_DOING);
	imd_not_doing_from_text(NULL, pm, "案も出たが見送った。来期に再検討する。\n\nTwo\nThree\n");
	assert_int_equal(pm->n_measures, 5);
	assert_string_equal(pm->measures[2].title, "案も出たが見送った。来期に再検討する");
	assert_string_equal(pm->measures[3].title, "Two");
	postmortem_free(pm);
}

/* import_meta.c: front matter split off with where the body starts; labels
 * by meaning, a date phrase, and a date that is another moment. */
static void
test_meta(void **state)
{
	static const char doc[] = "---\ntitle: Login outage\ndate: 2026-11-03\nseverity: SEV2\n"
				  "---\n# Summary\n";
	const char *yaml = NULL;
	size_t yaml_len = 0;
	int body_line = 0;
	const char *body = imd_split_front_matter(doc, sizeof(doc) - 1, &yaml, &yaml_len,
						  &body_line);
	struct postmortem *pm = postmortem_new();
	struct meta_state ms = { .pm = pm, .path = "x.md", .from = "front matter" };
	char *err = NULL;

	(void)state;
	assert_non_null(yaml);
	assert_string_equal(body, "# Summary\n");
	assert_int_equal(body_line, 6);
	assert_int_equal(imd_parse_front_matter(&ms, yaml, yaml_len, 2, "x.md", &err), 0);
	assert_string_equal(pm->title, "Login outage");
	assert_string_equal(pm->date, "2026-11-03");
	assert_string_equal(pm->severity, "SEV2");
	postmortem_free(pm);

	assert_int_equal(imd_meta_field_of("Date"), META_DATE);
	assert_int_equal(imd_meta_field_of("Incident start date (UTC)"), META_DATE);
	assert_int_equal(imd_meta_field_of("発生日時"), META_DATE);
	assert_int_equal(imd_meta_field_of("Last updated"), META_DOC_DATE);
	assert_int_equal(imd_meta_field_of("Resolved at"), META_NONE);
	assert_int_equal(imd_meta_field_of("Severity"), META_SEVERITY);
}

/* import_measure.c: columns by meaning in English and Japanese; a list
 * item's ticket, owner, due date and status, and a title without them. */
static void
test_measure(void **state)
{
	struct postmortem *pm = postmortem_new();
	struct fragment f = { .text = STRBUF_INIT };
	struct row r = { .cells = &f, .n_cells = 1, .task = 1 };
	struct measure *m;

	(void)state;
	assert_int_equal(imd_column_of("Assignee"), COL_OWNER);
	assert_int_equal(imd_column_of("担当者"), COL_OWNER);
	assert_int_equal(imd_column_of("ETA"), COL_DUE);
	assert_int_equal(imd_column_of("期日"), COL_DUE);
	assert_int_equal(imd_column_of("採否"), COL_DECISION);
	assert_int_equal(imd_column_of("Ticket"), COL_TICKET);
	assert_true(imd_header_says_ticket("Jira"));

	strbuf_adds(&f.text, "Add an alert on replica lag (owner: Aoi, due 2026-12-01, ticket OPS-12)");
	m = imd_measure_from_item(NULL, pm, &r, false);
	assert_non_null(m);
	assert_string_equal(m->title, "Add an alert on replica lag");
	assert_string_equal(m->owner, "Aoi");
	assert_string_equal(m->due, "2026-12-01");
	assert_string_equal(m->ticket, "OPS-12");
	assert_int_equal(m->status, MEASURE_DONE);
	strbuf_release(&f.text);
	postmortem_free(pm);
}

/* import_template.c: a file left as the template was written is one. */
static void
test_template(void **state)
{
	struct postmortem *pm = postmortem_new();

	(void)state;
	pm->title = xstrdup("Postmortem template");
	assert_non_null(imd_template_reason(pm, "notes/outage.md"));
	free(pm->title);
	pm->title = xstrdup("Login outage");
	assert_non_null(imd_template_reason(pm, "templates/postmortem-template.md"));
	postmortem_free(pm);
}

/* import_name.c: what a name says. */
static void
test_name(void **state)
{
	struct date_parts d;
	char *s;

	(void)state;
	s = imd_readable_name("archive/2016-05-10-initial_kubernetes.md");
	assert_string_equal(s, "Initial kubernetes");
	free(s);
	assert_true(imd_date_from_name("archive/2016-05-10-initial_kubernetes.md",
				       DATE_ORDER_NONE, &d));
	assert_int_equal(d.year, 2016);
	assert_int_equal(d.month, 5);
	assert_int_equal(d.day, 10);
	assert_true(imd_date_from_name("20210305_blank.md", DATE_ORDER_NONE, &d));
	assert_int_equal(d.month, 3);
	assert_false(imd_date_from_name("login-outage.md", DATE_ORDER_NONE, &d));
	assert_non_null(import_not_postmortem_name("docs/README.md"));
	assert_null(import_not_postmortem_name("2016-05-10-outage.md"));
}

/* import_decode.c's cleaning: BOM dropped, CRLF and CR as LF, NUL and
 * invalid UTF-8 replaced. */
static void
test_clean_input(void **state)
{
	static const char in[] = "\xEF\xBB\xBF# A\r\nb\rc\xff\n";
	size_t n;
	char *out = import_clean_input(in, sizeof(in) - 1, &n);

	(void)state;
	assert_string_equal(out, "# A\nb\nc\xEF\xBF\xBD\n");
	assert_int_equal(n, strlen(out));
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_repair),
		cmocka_unit_test(test_prose),
		cmocka_unit_test(test_meta),
		cmocka_unit_test(test_measure),
		cmocka_unit_test(test_template),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_clean_input),
	};

	return cmocka_run_group_tests_name("import_parts", tests, NULL, NULL);
}
