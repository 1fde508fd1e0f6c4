#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "furikaeri/import.h"
#include "furikaeri/strbuf.h"

/* Reads a fixture; *path gets the name that messages should show (owned). */
static char *
read_fixture(const char *name, size_t *len, char **path)
{
	const char *top = getenv("FK_SRCDIR");
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;

	*path = NULL;
	struct strbuf p = STRBUF_INIT;
	strbuf_addf(&p, "%s/tests/fixtures/json/%s", top != NULL ? top : FK_SRCDIR, name);
	FILE *f = fopen(strbuf_str(&p), "rb");
	if (f == NULL)
		fail_msg("cannot open %s", strbuf_str(&p));
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	*path = strbuf_detach(&p);
	*len = sb.len;
	return strbuf_detach(&sb);
}

static struct postmortem *
parse_fixture(const char *name, char **err)
{
	size_t len;
	char *path, *buf = read_fixture(name, &len, &path);
	struct postmortem *pm = import_json_parse(buf, len, name, err);

	free(buf);
	free(path);
	return pm;
}

static void
test_full_object(void **state)
{
	(void)state;
	char *err = NULL;
	struct postmortem *pm = parse_fixture("full.json", &err);

	if (pm == NULL)
		fail_msg("%s", err);
	assert_string_equal(pm->id, "pm-031");
	assert_string_equal(pm->title, "Payment API timeouts after deploy");
	assert_string_equal(pm->date, "2026-11-27");
	assert_string_equal(pm->time, "14:05");
	assert_string_equal(pm->tz, "JST");
	assert_string_equal(pm->severity, "SEV2");
	assert_string_equal(pm->status, "ready");
	assert_null(pm->source);
	assert_null(pm->hash);
	assert_int_equal(pm->n_authors, 2);
	assert_string_equal(pm->authors[1], "Ken");
	assert_int_equal(pm->n_tags, 2);
	assert_string_equal(pm->tags[0], "payments");

	assert_int_equal(pm->n_sections, 4);
	assert_string_equal(pm->sections[0].key, "summary");
	assert_string_equal(pm->sections[0].heading, "Summary");
	assert_string_equal(pm->sections[2].key, "root_cause");
	assert_string_equal(pm->sections[2].heading, "Root cause");
	assert_string_equal(pm->sections[2].text,
			    "A retry storm exhausted the connection pool (a1b2c3d).");
	assert_string_equal(pm->sections[3].key, "Customer Voice");
	assert_string_equal(pm->sections[3].heading, "Customer Voice");
	assert_string_equal(pm->sections[3].text, "お問い合わせが120件あった。");

	assert_int_equal(pm->n_measures, 3);
	const struct measure *m = &pm->measures[0];
	assert_int_equal(m->id, 0);
	assert_string_equal(m->title, "Add pool saturation alert");
	assert_string_equal(m->owner, "Mei");
	assert_string_equal(m->due, "2026-12-15");
	assert_int_equal(m->status, MEASURE_OPEN);
	assert_string_equal(m->ticket, "OPS-412");
	assert_string_equal(m->ticket_url, "https://jira.example.com/browse/OPS-412");
	m = &pm->measures[1];
	assert_null(m->owner);
	assert_null(m->due);
	assert_null(m->ticket);
	assert_null(m->ticket_url);
	assert_int_equal(m->status, MEASURE_DONE);
	assert_int_equal(pm->measures[2].status, MEASURE_NOT_DOING);
	postmortem_free(pm);
}

static void
test_array_of_two(void **state)
{
	(void)state;
	size_t len, n;
	char *path, *err = NULL, *buf = read_fixture("array.json", &len, &path);
	struct postmortem **pms;

	assert_int_equal(import_json_parse_all(buf, len, "array.json", &pms, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(pms[0]->id, "pm-031");
	assert_int_equal(pms[0]->n_sections, 1);
	assert_int_equal(pms[0]->n_measures, 0);
	assert_string_equal(pms[1]->title, "決済障害の報告");
	assert_null(pms[1]->date);
	assert_null(pms[1]->severity);
	assert_null(pms[1]->status);
	assert_string_equal(pms[1]->sections[1].key, "lessons");
	assert_string_equal(pms[1]->sections[1].heading, "Lessons learned");
	assert_string_equal(pms[1]->measures[0].owner, "佐藤");
	import_json_free_all(pms, n);

	/* one object is the array of one; a single-object parse refuses an array */
	assert_null(import_json_parse(buf, len, "array.json", &err));
	assert_non_null(strstr(err, "array.json: the file holds an array of 2 postmortems"));
	free(err);
	err = NULL;
	free(buf);
	free(path);

	buf = read_fixture("full.json", &len, &path);
	assert_int_equal(import_json_parse_all(buf, len, "full.json", &pms, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(pms[0]->id, "pm-031");
	import_json_free_all(pms, n);
	import_json_free_all(NULL, 0);
	free(buf);
	free(path);
}

static void
assert_error(const char *name, const char *want, bool all)
{
	size_t len, n = 99;
	char *path, *err = NULL, *buf = read_fixture(name, &len, &path);
	struct postmortem **pms = NULL;

	if (all) {
		assert_int_equal(import_json_parse_all(buf, len, name, &pms, &n, &err), -1);
		assert_null(pms);
		assert_int_equal(n, 0);
	} else {
		assert_null(import_json_parse(buf, len, name, &err));
	}
	assert_non_null(err);
	if (strstr(err, want) == NULL)
		fail_msg("%s: got \"%s\", want \"%s\"", name, err, want);
	free(err);
	free(buf);
	free(path);
}

static void
test_errors(void **state)
{
	(void)state;
	assert_error("syntax.json", "syntax.json:4:", false);
	assert_error("syntax.json", "fix the JSON there", true);
	assert_error("date-number.json",
		     "date-number.json: date: expected a date such as \"2026-11-27\" or null, "
		     "found a number", false);
	assert_error("date-invalid.json",
		     "date-invalid.json: date: \"2026-02-30\" is not a date; write it as YYYY-MM-DD",
		     false);
	assert_error("status-invalid.json",
		     "status-invalid.json: measures[2].status: \"finished\" is not one of open, "
		     "done, not_doing; use one of those", false);
	assert_error("title-missing.json",
		     "title-missing.json: title is missing; every postmortem needs a \"title\"",
		     false);
	assert_error("duplicate-key.json", "duplicate-key.json:3:", false);
	assert_error("duplicate-key.json", "duplicate", true);
	assert_error("authors-not-array.json",
		     "authors-not-array.json: authors: expected an array of strings, found a string",
		     false);
	assert_error("array-measure-untitled.json",
		     "array-measure-untitled.json:[1]: measures[0].title is missing", true);
	assert_error("severity-invalid.json",
		     "severity-invalid.json: severity: \"catastrophic\" is not a severity; use SEV1",
		     false);
	assert_error("section-not-string.json",
		     "section-not-string.json: sections.summary: expected a string, found an array",
		     false);
	assert_error("not-object.json", "not-object.json:1:", true);
}

static void
test_inline_cases(void **state)
{
	(void)state;
	char *err = NULL;
	const char *doc = "{\"title\": \"  Padded  \", \"status\": \"In Review\", "
			  "\"severity\": \"sev 1\", \"time\": \"25:00\"}";

	assert_null(import_json_parse(doc, strlen(doc), "x.json", &err));
	assert_non_null(strstr(err, "x.json: time: \"25:00\" is not a time"));
	free(err);
	err = NULL;

	doc = "{\"title\": \"  Padded  \", \"status\": \"In Review\", \"severity\": \"sev 1\"}";
	struct postmortem *pm = import_json_parse(doc, strlen(doc), "x.json", &err);
	assert_non_null(pm);
	assert_string_equal(pm->title, "Padded");
	assert_string_equal(pm->status, "in review");
	assert_string_equal(pm->severity, "SEV1");
	assert_null(pm->id);
	postmortem_free(pm);

	doc = "[{\"title\": \"ok\"}, 7]";
	struct postmortem **pms;
	size_t n;
	assert_int_equal(import_json_parse_all(doc, strlen(doc), "y.json", &pms, &n, &err), -1);
	assert_non_null(strstr(err, "y.json:[1]: expected a postmortem object, found a number"));
	free(err);
	err = NULL;

	doc = "{\"title\": \"\"}";
	assert_null(import_json_parse(doc, strlen(doc), "z.json", &err));
	assert_non_null(strstr(err, "z.json: title is empty"));
	free(err);
	err = NULL;

	doc = "{\"title\": \"t\", \"date\": \"\\u001b[2J\"}";
	assert_null(import_json_parse(doc, strlen(doc), "esc.json", &err));
	assert_non_null(strstr(err, "esc.json: date:"));
	assert_null(strchr(err, '\x1b'));
	free(err);
	err = NULL;

	assert_null(import_json_parse("", 0, "empty.json", &err));
	assert_non_null(strstr(err, "empty.json:"));
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_object),
		cmocka_unit_test(test_array_of_two),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_inline_cases),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests_name("import_json", tests, NULL, NULL);
}
