#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "furikaeri/headings.h"
#include "furikaeri/import.h"
#include "furikaeri/import_issue.h"
#include "furikaeri/md_adf.h"
#include "furikaeri/md_adf_write.h"
#include "furikaeri/md_form.h"
#include "furikaeri/md_wiki.h"
#include "furikaeri/paths.h"
#include "furikaeri/postmortem.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"

/* The converters from Jira's ADF and wiki markup and GitHub's issue forms
 * to Markdown, each against a document and its expected Markdown kept in
 * tests/fixtures/convert. */

static const char *
srcdir(void)
{
	const char *s = getenv("FK_SRCDIR");
	return s != NULL ? s : FK_SRCDIR;
}

static char *
fixture(const char *name, size_t *len)
{
	char *path = xasprintf("%s/tests/fixtures/convert/%s", srcdir(), name);
	char *buf = NULL, *err = NULL;
	size_t n = 0;

	if (paths_read_file(path, &buf, &n, &err) < 0)
		fail_msg("%s", err);
	free(path);
	if (len != NULL)
		*len = n;
	return buf;
}

static void
assert_md(const char *got, const char *expected_file)
{
	char *want = fixture(expected_file, NULL);

	if (strcmp(got, want) != 0) {
		/* the whole text makes a difference easy to see */
		fprintf(stderr, "--- got\n%s--- want (%s)\n%s---\n", got, expected_file, want);
		fail_msg("Markdown differs from %s", expected_file);
	}
	free(want);
}

static void
test_adf_every_node(void **state)
{
	size_t len;
	char *json = fixture("adf-all.json", &len), *err = NULL;
	char *md = md_adf_convert(json, len, "OPS-1", &err);

	(void)state;
	assert_non_null(md);
	assert_md(md, "adf-all.md");
	free(md);
	free(json);
}

static void
test_adf_empty_and_bad(void **state)
{
	char *err = NULL, *md;

	(void)state;
	md = md_adf_convert("null", 4, "OPS-1", &err);
	assert_string_equal(md, "");
	free(md);
	md = md_adf_convert("{\"type\":\"paragraph\"}", 20, "https://x/browse/OPS-2", &err);
	assert_null(md);
	assert_non_null(strstr(err, "https://x/browse/OPS-2: the description is not an Atlassian"));
	free(err);
	err = NULL;
	md = md_adf_convert("{\"type\":", 8, "OPS-3", &err);
	assert_null(md);
	assert_non_null(strstr(err, "OPS-3: the description is not JSON (line 1"));
	free(err);
}

/* Deep nesting stops at a bound rather than the stack's end. */
static void
test_adf_deep(void **state)
{
	size_t depth = 5000;
	char *json = xmalloc(depth * 64 + 64), *p = json, *err = NULL, *md;

	(void)state;
	p += sprintf(p, "{\"type\":\"doc\",\"content\":[");
	for (size_t i = 0; i < depth; i++)
		p += sprintf(p, "{\"type\":\"blockquote\",\"content\":[");
	for (size_t i = 0; i < depth; i++)
		p += sprintf(p, "]}");
	sprintf(p, "]}");
	md = md_adf_convert(json, strlen(json), "deep", &err);
	/* jansson itself refuses very deep documents; either way no crash */
	free(md);
	free(err);
	free(json);
}

static void
test_wiki_every_construct(void **state)
{
	char *text = fixture("wiki-all.txt", NULL);
	char *md = md_wiki_convert(text);

	(void)state;
	assert_md(md, "wiki-all.md");
	free(md);
	free(text);
	md = md_wiki_convert(NULL);
	assert_string_equal(md, "");
	free(md);
}

/* Unclosed and deeply nested marks cost linear time, not quadratic. */
static void
test_wiki_hostile(void **state)
{
	/* unclosed and nested marks by the ten thousand: the converter stays
	 * linear (a quadratic one would take minutes here, far past the test's
	 * timeout; time itself is not asserted, benchmarks measure it) */
	size_t n = 30000;
	char *text = xmalloc(5 * n + 16), *p = text, *md;
	size_t len;

	(void)state;
	for (size_t i = 0; i < n / 3; i++)
		p += sprintf(p, "*_-");
	*p++ = '\n';
	memset(p, '[', n);
	p += n;
	*p++ = '\n';
	for (size_t i = 0; i < n / 2; i++)
		p += sprintf(p, "{{");
	*p++ = '\n';
	for (size_t i = 0; i < n / 2; i++)
		p += sprintf(p, "??");
	*p = '\0';
	md = md_wiki_convert(text);
	len = strlen(md);
	free(md);
	free(text);
	assert_true(len >= 4 * n);
}

static void
test_form_normalise(void **state)
{
	char *body = fixture("form-body.md", NULL);
	char *md = md_form_normalise(body, import_md_is_meta);

	(void)state;
	assert_true(md_form_detect(body));
	assert_false(md_form_detect("# Title\n\n### Sub\n"));
	assert_false(md_form_detect("Plain text\n### Later\n"));
	assert_false(md_form_detect(""));
	assert_md(md, "form-body.expected.md");
	free(md);
	free(body);
}

static bool
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* The same postmortem written as a file and as an issue form reads the same. */
static void
test_form_matches_file(void **state)
{
	const struct headings *h = *state;
	size_t flen;
	char *body = fixture("form-body.md", NULL), *file = fixture("form-file.md", &flen);
	char *norm = md_form_normalise(body, import_md_is_meta), *err = NULL;
	char *doc = xasprintf("# Payment API timeouts after deploy\n\n%s", norm);
	struct postmortem *a = import_md_parse(file, flen, "form-file.md", h, &err);
	struct postmortem *b = import_md_parse(doc, strlen(doc), "acme/pay#31", h, &err);

	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(b->title, a->title);
	assert_string_equal(b->date, "2026-11-27");
	assert_string_equal(b->date, a->date);
	assert_string_equal(b->severity, "SEV2");
	assert_string_equal(b->status, a->status);
	assert_int_equal(b->n_sections, a->n_sections);
	for (size_t i = 0; i < a->n_sections; i++) {
		assert_string_equal(b->sections[i].key, a->sections[i].key);
		assert_string_equal(b->sections[i].text, a->sections[i].text);
	}
	assert_null(postmortem_section(b, SECTION_DETECTION));
	assert_int_equal(b->n_measures, 2);
	assert_int_equal(b->n_measures, a->n_measures);
	for (size_t i = 0; i < a->n_measures; i++) {
		assert_string_equal(b->measures[i].title, a->measures[i].title);
		assert_true(same_str(b->measures[i].owner, a->measures[i].owner));
		assert_true(same_str(b->measures[i].due, a->measures[i].due));
		assert_int_equal(b->measures[i].status, a->measures[i].status);
	}
	assert_int_equal(b->measures[0].status, MEASURE_DONE);
	assert_string_equal(b->measures[1].owner, "Ken");
	postmortem_free(a);
	postmortem_free(b);
	free(doc);
	free(norm);
	free(file);
	free(body);
}

/* ADF and wiki descriptions import through the Markdown parser into sections and measures. */
static void
test_converted_import(void **state)
{
	const struct headings *h = *state;
	size_t len;
	char *json = fixture("adf-all.json", &len), *err = NULL;
	char *md = md_adf_convert(json, len, "OPS-1", &err);
	char *doc = xasprintf("# Checkout failed\n\n%s", md);
	/* "Add jitter to retries OPS-413": a bare key is a ticket for a configured project */
	char *projects[] = { "OPS" };
	struct import_options o = { .headings = h, .jira_projects = projects, .n_jira_projects = 1 };
	struct postmortem *pm = import_md_parse_opts(doc, strlen(doc), "OPS-1", &o, &err);

	assert_non_null(pm);
	assert_non_null(postmortem_section(pm, SECTION_SUMMARY));
	assert_non_null(strstr(postmortem_section(pm, SECTION_SUMMARY)->text, "37 minutes"));
	assert_non_null(postmortem_section(pm, SECTION_TIMELINE));
	assert_true(pm->n_measures >= 2);
	assert_string_equal(pm->measures[0].ticket, "OPS-413");
	assert_int_equal(pm->measures[0].status, MEASURE_DONE);
	postmortem_free(pm);
	free(doc);
	free(md);
	free(json);

	char *text = fixture("wiki-all.txt", NULL);
	md = md_wiki_convert(text);
	doc = xasprintf("# Checkout failed\n\n%s", md);
	pm = import_md_parse(doc, strlen(doc), "OPS-2", h, &err);
	assert_non_null(pm);
	assert_non_null(postmortem_section(pm, SECTION_TIMELINE));
	assert_true(pm->n_measures >= 2);
	assert_string_equal(pm->measures[1].ticket, "OPS-412");
	postmortem_free(pm);
	free(doc);
	free(md);
	free(text);
}

/* Text a person typed into a Jira paragraph that reads as Markdown at the
 * start of a line stays text: no heading, list, quote or rule appears in
 * the converted document, and the words come through the import as typed. */
static void
test_adf_text_stays_text(void **state)
{
	const struct headings *h = *state;
	static const char json[] =
		"{\"type\":\"doc\",\"version\":1,\"content\":["
		"{\"type\":\"heading\",\"attrs\":{\"level\":2},\"content\":[{\"type\":\"text\",\"text\":\"Summary\"}]},"
		"{\"type\":\"paragraph\",\"content\":["
		"{\"type\":\"text\",\"text\":\"# of retries went from 3 to 30.\"},{\"type\":\"hardBreak\"},"
		"{\"type\":\"text\",\"text\":\"- not a list\"},{\"type\":\"hardBreak\"},"
		"{\"type\":\"text\",\"text\":\"1. not a step\"},{\"type\":\"hardBreak\"},"
		"{\"type\":\"text\",\"text\":\"> not a quote\"},{\"type\":\"hardBreak\"},"
		"{\"type\":\"text\",\"text\":\"bold\",\"marks\":[{\"type\":\"strong\"}]},{\"type\":\"text\",\"text\":\" at a line start\"},{\"type\":\"hardBreak\"},"
		"{\"type\":\"inlineCard\",\"attrs\":{\"url\":\"https://status.example/i/7\"}}]},"
		"{\"type\":\"paragraph\",\"content\":[{\"type\":\"text\",\"text\":\"The pager stayed quiet\\n---\"}]},"
		"{\"type\":\"heading\",\"attrs\":{\"level\":2},\"content\":[{\"type\":\"text\",\"text\":\"Impact\"}]},"
		"{\"type\":\"paragraph\",\"content\":[{\"type\":\"text\",\"text\":\"Checkout failed for 37 minutes.\"}]}"
		"]}";
	char *err = NULL;
	char *md = md_adf_convert(json, sizeof(json) - 1, "OPS-9", &err);
	assert_non_null(md);
	char *doc = xasprintf("# Retry storm\n\n%s", md);
	struct import_options o = { .headings = h };
	struct postmortem *pm = import_md_parse_opts(doc, strlen(doc), "OPS-9", &o, &err);

	assert_non_null(pm);
	const struct section *sum = postmortem_section(pm, SECTION_SUMMARY);
	assert_non_null(sum);
	assert_non_null(strstr(sum->text, "# of retries went from 3 to 30."));
	assert_non_null(strstr(sum->text, "- not a list"));
	assert_non_null(strstr(sum->text, "1. not a step"));
	assert_non_null(strstr(sum->text, "> not a quote"));
	assert_non_null(strstr(sum->text, "The pager stayed quiet"));
	assert_null(strstr(sum->text, "\\#"));
	/* what the converter made itself still works: bold, a card's link */
	assert_non_null(strstr(md, "**bold** at a line start"));
	assert_non_null(strstr(md, "\n<https://status.example/i/7>"));
	assert_non_null(postmortem_section(pm, SECTION_IMPACT));
	assert_non_null(strstr(postmortem_section(pm, SECTION_IMPACT)->text, "37 minutes"));
	assert_int_equal(pm->n_measures, 0);
	postmortem_free(pm);
	free(doc);
	free(md);
}

/* The first node of this type anywhere in n (borrowed), or NULL. */
static json_t *
find_node(json_t *n, const char *type)
{
	json_t *c, *hit;
	size_t i;

	if (json_is_string(json_object_get(n, "type")) &&
	    strcmp(json_string_value(json_object_get(n, "type")), type) == 0)
		return n;
	json_array_foreach(json_object_get(n, "content"), i, c)
		if ((hit = find_node(c, type)) != NULL)
			return hit;
	return NULL;
}

static bool
has_mark_type(json_t *n, const char *mark)
{
	json_t *c, *m;
	size_t i;

	json_array_foreach(json_object_get(n, "marks"), i, m)
		if (strcmp(json_string_value(json_object_get(m, "type")), mark) == 0)
			return true;
	json_array_foreach(json_object_get(n, "content"), i, c)
		if (has_mark_type(c, mark))
			return true;
	return false;
}

/* Text of every paragraph, to show that no front matter or comment is in one. */
static void
paragraph_text(json_t *n, bool in_para, struct strbuf *sb)
{
	json_t *c;
	size_t i;
	const char *type = json_string_value(json_object_get(n, "type"));

	in_para = in_para || (type != NULL && strcmp(type, "paragraph") == 0);
	if (in_para && json_is_string(json_object_get(n, "text")))
		strbuf_addf(sb, "%s\n", json_string_value(json_object_get(n, "text")));
	json_array_foreach(json_object_get(n, "content"), i, c)
		paragraph_text(c, in_para, sb);
}

/* `new --tracker jira` / `new --to confluence`: the postmortem written as
 * ADF is real structure, and importing it as a Jira issue (ADF -> Markdown
 * -> the import) gives back what importing the file gives: title, date,
 * time, severity, status, authors, sections and measures. */
static void
test_adf_write_round_trip(void **state)
{
	const struct headings *h = *state;
	size_t len;
	char *md = fixture("write-pm.md", &len), *err = NULL;
	json_t *adf = md_adf_write(md, len);
	struct strbuf paras = STRBUF_INIT;

	/* structure, not one paragraph a line */
	json_t *first = json_array_get(json_object_get(adf, "content"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "type")), "table");
	assert_non_null(find_node(adf, "heading"));
	assert_non_null(find_node(adf, "bulletList"));
	assert_non_null(find_node(adf, "orderedList"));
	assert_non_null(find_node(adf, "taskList"));
	assert_non_null(find_node(adf, "codeBlock"));
	assert_non_null(find_node(adf, "blockquote"));
	assert_non_null(find_node(adf, "rule"));
	assert_non_null(find_node(adf, "hardBreak"));
	assert_non_null(find_node(adf, "tableHeader"));
	assert_true(has_mark_type(adf, "strong"));
	assert_true(has_mark_type(adf, "em"));
	assert_true(has_mark_type(adf, "code"));
	assert_true(has_mark_type(adf, "link"));
	assert_true(has_mark_type(adf, "strike"));
	paragraph_text(adf, false, &paras);
	assert_null(strstr(strbuf_str(&paras), "title:"));
	assert_null(strstr(strbuf_str(&paras), "---"));
	assert_null(strstr(strbuf_str(&paras), "Blameless"));
	assert_null(strstr(strbuf_str(&paras), "guidance"));
	strbuf_release(&paras);
	/* the title's heading is the summary's job */
	json_t *hd = find_node(adf, "heading");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(hd, "attrs"), "level")), 2);

	/* as Jira answers it */
	json_t *issue = json_pack("{s:s, s:{s:s, s:O, s:s}}", "key", "OPS-7", "fields", "summary",
				  "Checkout failed after the payment deploy", "description", adf,
				  "created", "2026-12-01T09:00:00.000+0900");
	char *text = json_dumps(issue, JSON_COMPACT);
	struct import_issue_options io = { .jira_site = "https://acme.atlassian.net", .jira_api = 3 };
	struct postmortem *back = import_issue_jira(text, strlen(text), h, &io, &err);
	struct postmortem *want = import_md_parse(md, len, "write-pm.md", h, &err);

	assert_non_null(back);
	assert_non_null(want);
	assert_string_equal(back->title, want->title);
	assert_string_equal(back->date, "2026-11-27");
	assert_string_equal(back->date, want->date);
	assert_string_equal(back->time, want->time);
	assert_string_equal(back->tz, want->tz);
	assert_string_equal(back->severity, "SEV2");
	assert_string_equal(back->status, want->status);
	assert_int_equal(back->n_authors, want->n_authors);
	for (size_t i = 0; i < want->n_authors; i++)
		assert_string_equal(back->authors[i], want->authors[i]);
	for (size_t i = 0; i < want->n_tags; i++)
		assert_true(i < back->n_tags && strcmp(back->tags[i], want->tags[i]) == 0);
	assert_int_equal(back->n_sections, want->n_sections);
	for (size_t i = 0; i < want->n_sections; i++) {
		assert_string_equal(back->sections[i].key, want->sections[i].key);
		if (strcmp(back->sections[i].text, want->sections[i].text) != 0)
			fail_msg("section %s differs:\n--- back\n%s\n--- file\n%s",
				 want->sections[i].key, back->sections[i].text, want->sections[i].text);
	}
	assert_int_equal(want->n_measures, 4);
	assert_int_equal(back->n_measures, want->n_measures);
	for (size_t i = 0; i < want->n_measures; i++) {
		const struct measure *a = &back->measures[i], *b = &want->measures[i];
		assert_string_equal(a->title, b->title);
		assert_int_equal(a->status, b->status);
		assert_true((a->owner == NULL && b->owner == NULL) ||
			    (a->owner && b->owner && strcmp(a->owner, b->owner) == 0));
		assert_true((a->due == NULL && b->due == NULL) ||
			    (a->due && b->due && strcmp(a->due, b->due) == 0));
		assert_true((a->ticket == NULL && b->ticket == NULL) ||
			    (a->ticket && b->ticket && strcmp(a->ticket, b->ticket) == 0));
	}
	assert_string_equal(back->source, "https://acme.atlassian.net/browse/OPS-7");
	postmortem_free(back);
	postmortem_free(want);
	free(text);
	json_decref(issue);
	json_decref(adf);
	free(md);
}

/* Hostile or odd Markdown still makes a valid document: deep nesting, a
 * front matter that is not YAML, entities, mixed task lists, empty cells. */
static void
test_adf_write_odd(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	for (int i = 0; i < 300; i++)
		strbuf_adds(&sb, "> ");
	strbuf_adds(&sb, "deep\n");
	json_t *adf = md_adf_write(strbuf_str(&sb), sb.len);
	char *dump = json_dumps(adf, JSON_COMPACT);
	assert_non_null(strstr(dump, "\"deep\""));
	free(dump);
	json_decref(adf);
	strbuf_release(&sb);

	static const char odd[] = "---\n: [unclosed\n---\n\nA &amp; B &#x65e5; &bogus;\n\n"
				  "- [x] done\n- plain\n\n| a | b |\n|---|---|\n|  | x |\n\n"
				  "<div>kept</div>\n";
	adf = md_adf_write(odd, sizeof(odd) - 1);
	json_t *code = find_node(adf, "codeBlock");
	assert_non_null(code);
	dump = json_dumps(adf, JSON_COMPACT);
	assert_non_null(strstr(dump, "A & B \xe6\x97\xa5 &bogus;"));
	assert_non_null(strstr(dump, "\"[x] \""));
	assert_null(find_node(adf, "taskList"));
	assert_non_null(strstr(dump, "<div>kept</div>"));
	assert_null(strstr(dump, "\"text\":\"\""));	/* ADF refuses empty text */
	free(dump);
	/* and it converts back */
	dump = json_dumps(adf, JSON_COMPACT);
	char *err = NULL, *back = md_adf_convert(dump, strlen(dump), "odd", &err);
	assert_non_null(back);
	assert_non_null(strstr(back, "| a | b |"));
	free(back);
	free(dump);
	json_decref(adf);

	/* ADF's rules: a list item starts with a paragraph, a quote holds no heading */
	static const char nested[] = "- - inner\n\n> # Quoted heading\n";
	adf = md_adf_write(nested, sizeof(nested) - 1);
	json_t *li = find_node(adf, "listItem");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
		json_object_get(li, "content"), 0), "type")), "paragraph");
	assert_null(find_node(find_node(adf, "blockquote"), "heading"));
	assert_true(has_mark_type(find_node(adf, "blockquote"), "strong"));
	json_decref(adf);

	adf = md_adf_write("", 0);
	assert_int_equal(json_array_size(json_object_get(adf, "content")), 0);
	json_decref(adf);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adf_every_node),
		cmocka_unit_test(test_adf_empty_and_bad),
		cmocka_unit_test(test_adf_deep),
		cmocka_unit_test(test_adf_text_stays_text),
		cmocka_unit_test(test_wiki_every_construct),
		cmocka_unit_test(test_wiki_hostile),
		cmocka_unit_test(test_form_normalise),
		cmocka_unit_test(test_form_matches_file),
		cmocka_unit_test(test_converted_import),
		cmocka_unit_test(test_adf_write_round_trip),
		cmocka_unit_test(test_adf_write_odd),
	};

	return cmocka_run_group_tests_name("md_convert", tests, setup, teardown);
}
