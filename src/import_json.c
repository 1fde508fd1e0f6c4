#include "config.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/date.h"
#include "furikaeri/err.h"
#include "furikaeri/export_json.h"
#include "furikaeri/import.h"
#include "furikaeri/minutes.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/week.h"
#include "furikaeri/xalloc.h"

#define HINT "; see the JSON format in furikaeri(5)"

static const struct {
	const char *key;
	const char *heading;
} canonical_sections[] = {
	{ .key = SECTION_SUMMARY, .heading = "Summary" },
	{ .key = SECTION_IMPACT, .heading = "Impact" },
	{ .key = SECTION_ROOT_CAUSE, .heading = "Root cause" },
	{ .key = SECTION_TRIGGER, .heading = "Trigger" },
	{ .key = SECTION_DETECTION, .heading = "Detection" },
	{ .key = SECTION_RESOLUTION, .heading = "Resolution" },
	{ .key = SECTION_LESSONS, .heading = "Lessons learned" },
	{ .key = SECTION_TIMELINE, .heading = "Timeline" },
	{ .key = SECTION_MEASURES, .heading = "Prevention measures" },
	{ .key = SECTION_NOT_DOING, .heading = "Not doing" },
};

/* Where in the document a value sits, for messages: "measures[2].status". */
struct where {
	const char *path;
	const char *prefix;	/* "" or "[1]." when the file holds an array */
};

static const char *
type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
		return "true";
	case JSON_FALSE:
		return "false";
	default:
		return "null";
	}
}

static void
fail_type(const struct where *w, const char *field, const char *expected, const json_t *found,
	  char **err)
{
	err_set(err, "%s: %s%s: expected %s, found %s" HINT, w->path, w->prefix, field, expected,
		type_name(found));
}

static bool
valid_time(const char *s)
{
	return strlen(s) == 5 && s[0] >= '0' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' &&
	       (s[0] != '2' || s[1] <= '3') && s[2] == ':' && s[3] >= '0' && s[3] <= '5' &&
	       s[4] >= '0' && s[4] <= '9';
}

/* An optional string field: absent or null leaves *out NULL. */
static int
get_string(const struct where *w, const json_t *obj, const char *key, const char *field,
	   char **out, char **err)
{
	const json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		fail_type(w, field, "a string or null", v, err);
		return -1;
	}
	*out = xstrdup(json_string_value(v));
	return 0;
}

static int
get_date(const struct where *w, const json_t *obj, const char *key, const char *field,
	 char **out, char **err)
{
	const json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		err_set(err, "%s: %s%s: expected a date such as \"2026-11-27\" or null, found %s"
			HINT, w->path, w->prefix, field, type_name(v));
		return -1;
	}
	if (!date_iso_valid(json_string_value(v))) {
		err_set(err, "%s: %s%s: \"%s\" is not a date; write it as YYYY-MM-DD, e.g. "
			"\"2026-11-27\"", w->path, w->prefix, field, json_string_value(v));
		return -1;
	}
	*out = xstrdup(json_string_value(v));
	return 0;
}

static int
get_string_list(const struct where *w, const json_t *obj, const char *key,
		struct postmortem *pm, void (*add)(struct postmortem *, const char *), char **err)
{
	const json_t *list = json_object_get(obj, key), *v;
	size_t i;

	if (list == NULL || json_is_null(list))
		return 0;
	if (!json_is_array(list)) {
		fail_type(w, key, "an array of strings", list, err);
		return -1;
	}
	json_array_foreach(list, i, v) {
		if (!json_is_string(v)) {
			char field[64];
			snprintf(field, sizeof(field), "%s[%zu]", key, i);
			fail_type(w, field, "a string", v, err);
			return -1;
		}
		add(pm, json_string_value(v));
	}
	return 0;
}

static int
parse_sections(const struct where *w, const json_t *obj, struct postmortem *pm, char **err)
{
	const json_t *sections = json_object_get(obj, "sections"), *v;
	const char *key;

	if (sections == NULL || json_is_null(sections))
		return 0;
	if (!json_is_object(sections)) {
		fail_type(w, "sections", "an object of heading: text", sections, err);
		return -1;
	}
	json_object_foreach((json_t *)sections, key, v) {
		const char *heading = key;

		if (!json_is_string(v)) {
			struct strbuf field = STRBUF_INIT;
			strbuf_addf(&field, "sections.%s", key);
			fail_type(w, strbuf_str(&field), "a string", v, err);
			strbuf_release(&field);
			return -1;
		}
		for (size_t i = 0; i < sizeof(canonical_sections) / sizeof(canonical_sections[0]); i++)
			if (strcmp(key, canonical_sections[i].key) == 0)
				heading = canonical_sections[i].heading;
		postmortem_add_section(pm, key, heading, json_string_value(v));
	}
	return 0;
}

static int
parse_measure(const struct where *w, const json_t *obj, size_t index, struct postmortem *pm,
	      char **err)
{
	char field[64];
	const json_t *title = json_object_get(obj, "title"), *status;
	struct measure *m;

	if (!json_is_object(obj)) {
		snprintf(field, sizeof(field), "measures[%zu]", index);
		fail_type(w, field, "an object with at least a title", obj, err);
		return -1;
	}
	if (!json_is_string(title) || json_string_length(title) == 0) {
		snprintf(field, sizeof(field), "measures[%zu].title", index);
		if (title == NULL)
			err_set(err, "%s: %s%s is missing; every measure needs a title" HINT,
				w->path, w->prefix, field);
		else if (json_is_string(title))
			err_set(err, "%s: %s%s is empty; every measure needs a title" HINT,
				w->path, w->prefix, field);
		else
			fail_type(w, field, "a string", title, err);
		return -1;
	}
	m = postmortem_add_measure(pm, json_string_value(title));
	static const char *const strings[] = { "owner", "ticket", "ticket_url" };
	char **outs[] = { &m->owner, &m->ticket, &m->ticket_url };
	for (size_t i = 0; i < 3; i++) {
		snprintf(field, sizeof(field), "measures[%zu].%s", index, strings[i]);
		if (get_string(w, obj, strings[i], field, outs[i], err) < 0)
			return -1;
	}
	snprintf(field, sizeof(field), "measures[%zu].due", index);
	if (get_date(w, obj, "due", field, &m->due, err) < 0)
		return -1;
	snprintf(field, sizeof(field), "measures[%zu].status", index);
	status = json_object_get(obj, "status");
	if (status == NULL || json_is_null(status))
		return 0;
	if (!json_is_string(status)) {
		fail_type(w, field, "one of \"open\", \"done\", \"not_doing\"", status, err);
		return -1;
	}
	if (!measure_status_parse(json_string_value(status), &m->status)) {
		err_set(err, "%s: %s%s: \"%s\" is not one of open, done, not_doing; use one of "
			"those", w->path, w->prefix, field, json_string_value(status));
		return -1;
	}
	return 0;
}

static int
parse_measures(const struct where *w, const json_t *obj, struct postmortem *pm, char **err)
{
	const json_t *measures = json_object_get(obj, "measures"), *v;
	size_t i;

	if (measures == NULL || json_is_null(measures))
		return 0;
	if (!json_is_array(measures)) {
		fail_type(w, "measures", "an array of measure objects", measures, err);
		return -1;
	}
	json_array_foreach(measures, i, v)
		if (parse_measure(w, v, i, pm, err) < 0)
			return -1;
	return 0;
}

static char *
lower_ascii(char *s)
{
	for (char *p = s; p != NULL && *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

static int
parse_header(const struct where *w, const json_t *obj, struct postmortem *pm, char **err)
{
	const json_t *title = json_object_get(obj, "title");

	if (title == NULL) {
		err_set(err, "%s: %stitle is missing; every postmortem needs a \"title\" string" HINT,
			w->path, w->prefix);
		return -1;
	}
	if (!json_is_string(title)) {
		fail_type(w, "title", "a string", title, err);
		return -1;
	}
	pm->title = text_trim(json_string_value(title));
	if (pm->title[0] == '\0') {
		err_set(err, "%s: %stitle is empty; give the postmortem a title" HINT, w->path,
			w->prefix);
		return -1;
	}
	if (get_string(w, obj, "id", "id", &pm->id, err) < 0 ||
	    get_date(w, obj, "date", "date", &pm->date, err) < 0 ||
	    get_string(w, obj, "time", "time", &pm->time, err) < 0 ||
	    get_string(w, obj, "tz", "tz", &pm->tz, err) < 0 ||
	    get_string(w, obj, "severity", "severity", &pm->severity, err) < 0 ||
	    get_string(w, obj, "status", "status", &pm->status, err) < 0)
		return -1;
	if (pm->id != NULL && pm->id[0] == '\0') {
		err_set(err, "%s: %sid is empty; leave it out to derive the id from the file name, "
			"or give one such as \"pm-031\"", w->path, w->prefix);
		return -1;
	}
	if (pm->tz != NULL && !import_zone_valid(pm->tz)) {
		err_set(err, "%s: %stz: \"%s\" is not a time zone; write an IANA name such as "
			"\"Asia/Tokyo\", an offset such as \"+09:00\" or \"UTC\"", w->path, w->prefix,
			pm->tz);
		return -1;
	}
	if (pm->time != NULL && !valid_time(pm->time)) {
		err_set(err, "%s: %stime: \"%s\" is not a time; write it as HH:MM, e.g. \"14:05\"",
			w->path, w->prefix, pm->time);
		return -1;
	}
	if (pm->severity != NULL) {
		char *given = pm->severity;
		pm->severity = postmortem_severity_normalise(given);
		if (pm->severity == NULL)
			err_set(err, "%s: %sseverity: \"%s\" is not a severity; use SEV1 (worst) to "
				"SEV5, or null", w->path, w->prefix, given);
		free(given);
		if (pm->severity == NULL)
			return -1;
	}
	lower_ascii(pm->status);
	return 0;
}

static struct postmortem *
parse_object(const struct where *w, const json_t *obj, char **err)
{
	struct postmortem *pm;

	if (!json_is_object(obj)) {
		err_set(err, "%s: expected a postmortem object, found %s" HINT, w->path,
			type_name(obj));
		return NULL;
	}
	pm = postmortem_new();
	if (parse_header(w, obj, pm, err) < 0 ||
	    get_string_list(w, obj, "authors", pm, postmortem_add_author, err) < 0 ||
	    get_string_list(w, obj, "tags", pm, postmortem_add_tag, err) < 0 ||
	    parse_sections(w, obj, pm, err) < 0 || parse_measures(w, obj, pm, err) < 0) {
		postmortem_free(pm);
		return NULL;
	}
	return pm;
}

/* Messages quote the file's own text, which may hold terminal escapes. */
static void
err_sanitize(char **err)
{
	if (err == NULL || *err == NULL)
		return;
	char *clean = text_sanitize(*err, false);
	free(*err);
	*err = clean;
}

/* Parses the bytes; json_error_t stays here, turned into path:line:column. */
static json_t *
load(const char *buf, size_t len, const char *path, char **err)
{
	json_error_t error;
	json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &error);

	if (root == NULL) {
		err_set(err, "%s:%d:%d: %s; fix the JSON there" HINT, path, error.line,
			error.column, error.text);
		err_sanitize(err);
	}
	return root;
}

struct postmortem *
import_json_parse(const char *buf, size_t len, const char *path, char **err)
{
	struct where w = { .path = path, .prefix = "" };
	json_t *root = load(buf, len, path, err);
	struct postmortem *pm;

	if (root == NULL)
		return NULL;
	if (json_is_array(root)) {
		err_set(err, "%s: the file holds an array of %zu postmortems where one object was "
			"expected; import it as a whole file instead", path, json_array_size(root));
		json_decref(root);
		return NULL;
	}
	pm = parse_object(&w, root, err);
	json_decref(root);
	if (pm == NULL)
		err_sanitize(err);
	return pm;
}

int
import_json_parse_all(const char *buf, size_t len, const char *path,
		      struct postmortem ***out, size_t *n_out, char **err)
{
	json_t *root = load(buf, len, path, err), *v;
	struct postmortem **pms = NULL;
	size_t n = 0, i;
	char prefix[32];

	*out = NULL;
	*n_out = 0;
	if (root == NULL)
		return -1;
	if (!json_is_array(root)) {
		struct where w = { .path = path, .prefix = "" };
		struct postmortem *pm = parse_object(&w, root, err);
		json_decref(root);
		if (pm == NULL) {
			err_sanitize(err);
			return -1;
		}
		*out = xmalloc(sizeof(*pms));
		(*out)[0] = pm;
		*n_out = 1;
		return 0;
	}
	pms = xcalloc(json_array_size(root) + 1, sizeof(*pms));
	json_array_foreach(root, i, v) {
		/* errors name the element as file:[index] */
		char *where = xasprintf("%s:[%zu]", path, i);
		struct where w = { .path = where, .prefix = "" };
		(void)prefix;
		pms[n] = parse_object(&w, v, err);
		free(where);
		if (pms[n] == NULL) {
			import_json_free_all(pms, n);
			json_decref(root);
			err_sanitize(err);
			return -1;
		}
		n++;
	}
	json_decref(root);
	*out = pms;
	*n_out = n;
	return 0;
}

void
import_json_free_all(struct postmortem **pms, size_t n)
{
	if (pms == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		postmortem_free(pms[i]);
	free(pms);
}

void
import_people_free(struct import_person *people, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(people[i].name);
		free(people[i].role);
	}
	free(people);
}

int
import_json_people(const char *buf, size_t len, const char *path,
		   struct import_person **people, size_t *n, char **err)
{
	json_t *root = load(buf, len, path, err);
	size_t i;
	json_t *item;

	*people = NULL;
	*n = 0;
	if (root == NULL)
		return -1;
	if (!json_is_array(root)) {
		err_set(err, "%s: a roster is an array of {\"name\": ..., \"role\": ...}" HINT, path);
		goto fail;
	}
	*people = xcalloc(json_array_size(root) + 1, sizeof(struct import_person));
	json_array_foreach(root, i, item) {
		struct where w = { .path = path, .prefix = "" };
		char field[32];
		char *name = NULL, *role = NULL;
		snprintf(field, sizeof(field), "[%zu].name", i);
		if (!json_is_object(item)) {
			fail_type(&w, field, "an object", item, err);
			goto fail;
		}
		if (get_string(&w, item, "name", field, &name, err) < 0)
			goto fail;
		snprintf(field, sizeof(field), "[%zu].role", i);
		if (name == NULL || name[0] == '\0') {
			err_set(err, "%s: [%zu].name: every person needs a name" HINT, path, i);
			free(name);
			goto fail;
		}
		if (get_string(&w, item, "role", field, &role, err) < 0) {
			free(name);
			goto fail;
		}
		(*people)[(*n)++] = (struct import_person){ .name = name, .role = role };
	}
	json_decref(root);
	return 0;
fail:
	json_decref(root);
	import_people_free(*people, *n);
	*people = NULL;
	*n = 0;
	err_sanitize(err);
	return -1;
}
/* Reading minutes: the field being read, for messages. */
struct mfield {
	const char *path;
	char name[96];
};

static int
m_fail(const struct mfield *f, const char *key, const char *problem, char **err)
{
	err_set(err, "%s: %s%s%s: %s" HINT, f->path, f->name, f->name[0] && key ? "." : "",
		key ? key : "", problem);
	return -1;
}

static int
m_type(const struct mfield *f, const char *key, const char *expected, const json_t *v,
       char **err)
{
	char *problem = xasprintf("expected %s, found %s", expected, type_name(v));
	int rc = m_fail(f, key, problem, err);

	free(problem);
	return rc;
}

/* An optional string: absent or null gives NULL. */
static int
m_string(const struct mfield *f, const json_t *obj, const char *key, bool required,
	 char **out, char **err)
{
	const json_t *v = json_object_get(obj, key);

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (required)
			return m_fail(f, key, "missing; it is required", err);
		return 0;
	}
	if (!json_is_string(v))
		return m_type(f, key, required ? "a string" : "a string or null", v, err);
	*out = xstrdup(json_string_value(v));
	return 0;
}

static int
m_one_of(const struct mfield *f, const char *key, const char *value,
	 const char *const *allowed, char **err)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	if (value == NULL)
		return 0;
	for (const char *const *a = allowed; *a != NULL; a++)
		if (strcmp(value, *a) == 0)
			return 0;
	strbuf_addf(&sb, "\"%s\" is not one of", value);
	for (const char *const *a = allowed; *a != NULL; a++)
		strbuf_addf(&sb, "%s %s", a == allowed ? "" : ",", *a);
	rc = m_fail(f, key, strbuf_str(&sb), err);
	strbuf_release(&sb);
	return rc;
}

static int
m_int(const struct mfield *f, const json_t *obj, const char *key, int dflt, int *out,
      char **err)
{
	const json_t *v = json_object_get(obj, key);

	*out = dflt;
	if (v == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 1000000000)
		return m_type(f, key, "a whole number, 0 or more", v, err);
	*out = (int)json_integer_value(v);
	return 0;
}

static int
m_array(const struct mfield *f, const json_t *obj, const char *key, const json_t **out,
	char **err)
{
	const json_t *v = json_object_get(obj, key);

	*out = v;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return m_type(f, key, "an array", v, err);
	return 0;
}

static void
m_at(struct mfield *f, const char *list, size_t i, const char *sub)
{
	snprintf(f->name, sizeof(f->name), "%s[%zu]%s", list, i, sub ? sub : "");
}

static int
m_item(const char *path, const json_t *v, size_t i, struct minutes_doc *doc, char **err)
{
	static const char *const kinds[] = { "followups", "postmortem", "topic", "wrapup", NULL };
	static const char *const states[] = { "pending", "current", "done", "skipped", "carried",
					      NULL };
	struct mfield f = { .path = path };
	struct minutes_item *it;
	const json_t *b;

	m_at(&f, "items", i, NULL);
	if (!json_is_object(v))
		return m_type(&f, NULL, "an object", v, err);
	it = minutes_doc_add_item(doc);
	if (m_string(&f, v, "kind", true, &it->kind, err) < 0 ||
	    m_one_of(&f, "kind", it->kind, kinds, err) < 0 ||
	    m_string(&f, v, "postmortem", false, &it->pm_id, err) < 0 ||
	    m_string(&f, v, "title", true, &it->title, err) < 0 ||
	    m_string(&f, v, "source", false, &it->pm_source, err) < 0 ||
	    m_string(&f, v, "severity", false, &it->pm_severity, err) < 0 ||
	    m_string(&f, v, "date", false, &it->pm_date, err) < 0 ||
	    m_string(&f, v, "state", false, &it->state, err) < 0 ||
	    m_one_of(&f, "state", it->state, states, err) < 0 ||
	    m_int(&f, v, "budget_seconds", 0, &it->budget_s, err) < 0 ||
	    m_int(&f, v, "spent_seconds", 0, &it->spent_s, err) < 0)
		return -1;
	if (it->state == NULL)
		it->state = xstrdup("pending");
	b = json_object_get(v, "carried_over");
	if (b != NULL && !json_is_boolean(b))
		return m_type(&f, "carried_over", "true or false", b, err);
	it->carried_over = b != NULL && json_is_true(b);
	return 0;
}

static int
m_measure(struct mfield *f, const json_t *m, struct minutes_entry *e, char **err)
{
	static const char *const statuses[] = { "open", "done", "not_doing", "dropped", NULL };
	static const char *const states[] = { "queued", "sending", "claimed", "unknown", "filed",
					      "refused", "failed", NULL };

	if (!json_is_object(m))
		return m_type(f, "measure", "an object or null", m, err);
	strncat(f->name, ".measure", sizeof(f->name) - strlen(f->name) - 1);
	if (m_string(f, m, "marker", true, &e->marker, err) < 0 ||
	    m_string(f, m, "owner", false, &e->owner, err) < 0 ||
	    m_string(f, m, "due", false, &e->due, err) < 0 ||
	    m_string(f, m, "status", false, &e->status, err) < 0 ||
	    m_one_of(f, "status", e->status, statuses, err) < 0 ||
	    m_string(f, m, "agreed_at", false, &e->agreed_at, err) < 0 ||
	    m_string(f, m, "done_at", false, &e->done_at, err) < 0 ||
	    m_string(f, m, "ticket", false, &e->ticket, err) < 0 ||
	    m_string(f, m, "ticket_url", false, &e->ticket_url, err) < 0 ||
	    m_string(f, m, "ticket_state", false, &e->ticket_state, err) < 0 ||
	    m_one_of(f, "ticket_state", e->ticket_state, states, err) < 0)
		return -1;
	if (e->due != NULL && !date_iso_valid(e->due))
		return m_fail(f, "due", "not a date; write it as YYYY-MM-DD", err);
	if (e->status == NULL)
		e->status = xstrdup("open");
	return 0;
}

static int
m_entry(const char *path, const json_t *v, size_t i, struct minutes_doc *doc, char **err)
{
	static const char *const kinds[] = { "note", "question", "decision", "action", "link",
					     "event", NULL };
	struct mfield f = { .path = path };
	struct minutes_entry *e;
	const json_t *seq, *item, *m;

	m_at(&f, "entries", i, NULL);
	if (!json_is_object(v))
		return m_type(&f, NULL, "an object", v, err);
	e = minutes_doc_add_entry(doc);
	seq = json_object_get(v, "seq");
	if (seq == NULL || !json_is_integer(seq) || json_integer_value(seq) < 1 ||
	    json_integer_value(seq) > 1000000000)
		return m_type(&f, "seq", "a whole number, 1 or more", seq ? seq : json_null(), err);
	e->seq = (int)json_integer_value(seq);
	for (size_t j = 0; j + 1 < doc->n_entries; j++)
		if (doc->entries[j].seq == e->seq)
			return m_fail(&f, "seq", "used by an earlier entry; each entry needs its own",
				      err);
	item = json_object_get(v, "item");
	if (item != NULL && !json_is_null(item)) {
		if (!json_is_integer(item) || json_integer_value(item) < 0 ||
		    (size_t)json_integer_value(item) >= doc->n_items)
			return m_fail(&f, "item", "not the index of an entry of \"items\"", err);
		e->item = (long)json_integer_value(item);
	}
	if (m_string(&f, v, "kind", true, &e->kind, err) < 0 ||
	    m_one_of(&f, "kind", e->kind, kinds, err) < 0 ||
	    m_string(&f, v, "text", true, &e->body, err) < 0 ||
	    m_string(&f, v, "created_at", true, &e->created_at, err) < 0 ||
	    m_string(&f, v, "edited_at", false, &e->edited_at, err) < 0 ||
	    m_string(&f, v, "deleted_at", false, &e->deleted_at, err) < 0 ||
	    /* format_version 2; version 1 entries have no author */
	    m_string(&f, v, "author", false, &e->author, err) < 0 ||
	    /* only an entry merged under another seq has a marker of its own */
	    m_string(&f, v, "marker", false, &e->entry_marker, err) < 0)
		return -1;
	m = json_object_get(v, "measure");
	if (m != NULL && !json_is_null(m)) {
		if (strcmp(e->kind, "action") != 0)
			return m_fail(&f, "measure", "only an action has a measure", err);
		return m_measure(&f, m, e, err);
	}
	return 0;
}

static int
m_people(const char *path, const json_t *root, struct minutes_doc *doc, char **err)
{
	struct mfield f = { .path = path };
	const json_t *list, *v;
	size_t i;

	if (m_array(&f, root, "attendees", &list, err) < 0)
		return -1;
	json_array_foreach(list, i, v) {
		if (!json_is_string(v)) {
			m_at(&f, "attendees", i, NULL);
			return m_type(&f, NULL, "a name (a string)", v, err);
		}
		minutes_doc_add_attendee(doc, json_string_value(v));
	}
	if (m_array(&f, root, "roster", &list, err) < 0)
		return -1;
	json_array_foreach(list, i, v) {
		struct minutes_person *p;
		m_at(&f, "roster", i, NULL);
		if (!json_is_object(v))
			return m_type(&f, NULL, "an object", v, err);
		p = minutes_doc_add_person(doc);
		if (m_string(&f, v, "name", true, &p->name, err) < 0 ||
		    m_string(&f, v, "role", false, &p->role, err) < 0 ||
		    m_string(&f, v, "away_until", false, &p->away_until, err) < 0)
			return -1;
		if (p->away_until != NULL && !date_iso_valid(p->away_until))
			return m_fail(&f, "away_until", "not a date; write it as YYYY-MM-DD", err);
	}
	v = json_object_get(root, "next");
	f.name[0] = '\0';
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_object(v))
			return m_type(&f, "next", "an object or null", v, err);
		snprintf(f.name, sizeof(f.name), "next");
		if (m_string(&f, v, "facilitator", false, &doc->next_facilitator, err) < 0 ||
		    m_string(&f, v, "backup", false, &doc->next_backup, err) < 0)
			return -1;
	}
	return 0;
}

static int
m_doc(const char *path, const json_t *root, struct minutes_doc *doc, char **err)
{
	struct mfield f = { .path = path };
	const json_t *v, *list;
	char *format = NULL;
	size_t i;
	struct week w;

	if (!json_is_object(root))
		return m_type(&f, NULL, "an object (the minutes of one meeting)", root, err);
	if (m_string(&f, root, "format", true, &format, err) < 0)
		return -1;
	if (strcmp(format, EXPORT_JSON_MINUTES_FORMAT) != 0) {
		free(format);
		return m_fail(&f, "format", "not \"" EXPORT_JSON_MINUTES_FORMAT "\"", err);
	}
	free(format);
	v = json_object_get(root, "format_version");
	if (v == NULL || !json_is_integer(v) || json_integer_value(v) < 1)
		return m_type(&f, "format_version", "a whole number, 1 or more",
			      v ? v : json_null(), err);
	if (json_integer_value(v) > EXPORT_JSON_MINUTES_VERSION)
		return m_fail(&f, "format_version", "written by a newer furikaeri; upgrade "
			      "furikaeri to import it", err);
	if (m_string(&f, root, "week", true, &doc->week, err) < 0)
		return -1;
	if (!week_parse(doc->week, &w))
		return m_fail(&f, "week", "not an ISO week such as \"2026-W49\"", err);
	if (m_string(&f, root, "facilitator", false, &doc->facilitator, err) < 0 ||
	    m_string(&f, root, "backup", false, &doc->backup, err) < 0 ||
	    m_int(&f, root, "budget_minutes", 60, &doc->budget_minutes, err) < 0 ||
	    m_string(&f, root, "started_at", false, &doc->started_at, err) < 0 ||
	    m_string(&f, root, "ended_at", false, &doc->ended_at, err) < 0 ||
	    m_array(&f, root, "items", &list, err) < 0)
		return -1;
	json_array_foreach(list, i, v)
		if (m_item(path, v, i, doc, err) < 0)
			return -1;
	if (m_array(&f, root, "entries", &list, err) < 0)
		return -1;
	json_array_foreach(list, i, v)
		if (m_entry(path, v, i, doc, err) < 0)
			return -1;
	return m_people(path, root, doc, err);
}

const char *
import_json_not_postmortem(const char *buf, size_t len)
{
	static const char *const fields[] = { "id", "title", "date", "sections", "measures",
					       "summary", "severity" };
	json_t *root = json_loadb(buf, len, 0, NULL), *v;
	const char *why = NULL;
	size_t i, people = 0;

	if (root == NULL)
		return NULL;	/* the parser names the syntax error */
	if (json_is_array(root) && json_array_size(root) > 0) {
		json_array_foreach(root, i, v)
			if (json_is_object(v) && json_object_get(v, "name") != NULL &&
			    json_object_get(v, "title") == NULL)
				people++;
		if (people == json_array_size(root))
			why = "a roster of people (import it with `furikaeri roster`)";
	} else if (json_is_object(root)) {
		bool any = false;
		for (size_t k = 0; !any && k < sizeof(fields) / sizeof(fields[0]); k++)
			any = json_object_get(root, fields[k]) != NULL;
		if (!any)
			why = "no postmortem fields (title, date, sections, measures): a "
			      "configuration or data file";
	}
	json_decref(root);
	return why;
}

bool
import_json_is_minutes(const char *buf, size_t len)
{
	json_t *root = json_loadb(buf, len, 0, NULL);
	const char *format = json_string_value(json_object_get(root, "format"));
	bool yes = format != NULL && strcmp(format, EXPORT_JSON_MINUTES_FORMAT) == 0;

	json_decref(root);
	return yes;
}

struct minutes_doc *
import_json_minutes(const char *buf, size_t len, const char *path, char **err)
{
	json_t *root = load(buf, len, path, err);
	struct minutes_doc *doc;

	if (root == NULL)
		return NULL;
	doc = minutes_doc_new();
	if (m_doc(path, root, doc, err) < 0) {
		minutes_doc_free(doc);
		doc = NULL;
		err_sanitize(err);
	}
	json_decref(root);
	return doc;
}

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

char *
import_json_check(const char *path, const struct postmortem *pm)
{
	json_t *o = json_object(), *sections = json_array(), *measures = json_array();
	json_t *warnings = json_array(), *authors = json_array(), *tags = json_array();
	char *out;

	json_object_set_new(o, "file", json_string(path));
	json_object_set_new(o, "id", str_or_null(pm->id));
	json_object_set_new(o, "title", str_or_null(pm->title));
	json_object_set_new(o, "date", str_or_null(pm->date));
	json_object_set_new(o, "date_from", str_or_null(pm->date_from));
	json_object_set_new(o, "time", str_or_null(pm->time));
	json_object_set_new(o, "tz", str_or_null(pm->tz));
	json_object_set_new(o, "severity", str_or_null(pm->severity));
	json_object_set_new(o, "status", str_or_null(pm->status));
	json_object_set_new(o, "kind", json_string(pm->is_template ? "template" : "postmortem"));
	json_object_set_new(o, "why", str_or_null(pm->template_why));
	json_object_set_new(o, "ready", json_boolean(!pm->not_ready && !pm->is_template &&
						     pm->date != NULL));
	for (size_t i = 0; i < pm->n_authors; i++)
		json_array_append_new(authors, json_string(pm->authors[i]));
	json_object_set_new(o, "authors", authors);
	for (size_t i = 0; i < pm->n_tags; i++)
		json_array_append_new(tags, json_string(pm->tags[i]));
	json_object_set_new(o, "tags", tags);
	for (size_t i = 0; i < pm->n_sections; i++)
		json_array_append_new(sections, json_string(pm->sections[i].key));
	json_object_set_new(o, "sections", sections);
	for (size_t i = 0; i < pm->n_measures; i++) {
		const struct measure *m = &pm->measures[i];
		json_t *j = json_object();
		json_object_set_new(j, "title", json_string(m->title));
		json_object_set_new(j, "owner", str_or_null(m->owner));
		json_object_set_new(j, "due", str_or_null(m->due));
		json_object_set_new(j, "status", json_string(measure_status_name(m->status)));
		json_object_set_new(j, "ticket", str_or_null(m->ticket));
		json_object_set_new(j, "ticket_url", str_or_null(m->ticket_url));
		json_array_append_new(measures, j);
	}
	json_object_set_new(o, "measures", measures);
	for (size_t i = 0; i < pm->n_warnings; i++)
		json_array_append_new(warnings, json_string(pm->warnings[i]));
	json_object_set_new(o, "warnings", warnings);
	out = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII * 0);
	json_decref(o);
	if (out == NULL)
		return xstrdup("{}");
	char *copy = xstrdup(out);
	free(out);
	return copy;
}

char *
import_json_check_note(const char *path, const char *why)
{
	json_t *o = json_object();
	char *out, *copy;

	json_object_set_new(o, "file", json_string(path));
	json_object_set_new(o, "kind", json_string("skipped"));
	json_object_set_new(o, "why", json_string(why));
	out = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	copy = xstrdup(out != NULL ? out : "{}");
	free(out);
	return copy;
}
