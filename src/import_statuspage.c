/* Statuspage incidents (the public /api/v2/incidents.json, one incident as
 * /api/v2/incidents/ID.json serves it, or an incident object alone): each
 * incident becomes a Markdown postmortem (front matter for its fields, its
 * updates as the timeline, its postmortem body as written) read by the
 * Markdown import, so every heading, date and measure rule applies. */
#include "config.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "furikaeri/date.h"
#include "furikaeri/err.h"
#include "furikaeri/import.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"

static bool
is_incident(const json_t *v)
{
	return json_is_object(v) && json_is_string(json_object_get(v, "name")) &&
	       json_is_array(json_object_get(v, "incident_updates"));
}

/* The incidents of a document, borrowed from root: an array (owned by the
 * caller, each element borrowed), or NULL when it holds none. */
static json_t *
incidents_of(json_t *root)
{
	json_t *list = json_array(), *v;
	size_t i;

	if (is_incident(root)) {
		json_array_append(list, root);
	} else if (json_is_object(root) && is_incident(json_object_get(root, "incident"))) {
		json_array_append(list, json_object_get(root, "incident"));
	} else if (json_is_object(root) && json_is_array(json_object_get(root, "incidents"))) {
		json_array_foreach(json_object_get(root, "incidents"), i, v)
			if (is_incident(v))
				json_array_append(list, v);
	} else if (json_is_array(root)) {
		json_array_foreach(root, i, v)
			if (is_incident(v))
				json_array_append(list, v);
	}
	if (json_array_size(list) == 0) {
		json_decref(list);
		return NULL;
	}
	return list;
}

bool
import_statuspage_is(const char *buf, size_t len)
{
	json_t *root = json_loadb(buf, len, 0, NULL), *list = incidents_of(root);
	bool yes = list != NULL;

	json_decref(list);
	json_decref(root);
	return yes;
}

/* "2026-11-03 21:04 UTC" from an API timestamp, or NULL (owned). */
static char *
utc_minute(const char *stamp)
{
	long long epoch;
	time_t t;
	struct tm tm;
	char buf[32];

	if (stamp == NULL || !date_timestamp(stamp, &epoch))
		return NULL;
	t = (time_t)epoch;
	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M UTC", &tm);
	return xstrdup(buf);
}

static const char *
str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* impact: critical, major, minor, none (maintenance is no incident) */
static const char *
severity_of(const char *impact)
{
	static const struct {
		const char *impact, *sev;
	} map[] = { { "critical", "SEV1" }, { "major", "SEV2" }, { "minor", "SEV3" },
		    { "none", "SEV4" } };

	for (size_t i = 0; impact != NULL && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(impact, map[i].impact) == 0)
			return map[i].sev;
	return NULL;
}

/* One line of YAML: the value quoted, its quotes and backslashes escaped,
 * its line breaks as blanks. */
static void
yaml_field(struct strbuf *md, const char *key, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return;
	strbuf_addf(md, "%s: \"", key);
	for (const char *p = value; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_addc(md, '\\');
		strbuf_addc(md, *p == '\n' || *p == '\r' ? ' ' : *p);
	}
	strbuf_adds(md, "\"\n");
}

/* An update's time: when it was shown, else written. */
static const char *
update_time(const json_t *u)
{
	return str(u, "display_at") != NULL ? str(u, "display_at") : str(u, "created_at");
}

static int
by_time(const void *a, const void *b)
{
	const char *x = update_time(*(json_t *const *)a), *y = update_time(*(json_t *const *)b);
	long long ex = 0, ey = 0;

	if (x != NULL)
		date_timestamp(x, &ex);
	if (y != NULL)
		date_timestamp(y, &ey);
	return (ex > ey) - (ex < ey);
}

/* Lines of a body, each indented under its list item. */
static void
indented(struct strbuf *md, const char *body)
{
	for (const char *p = body; *p != '\0'; p++) {
		if (*p == '\r')
			continue;
		strbuf_addc(md, *p);
		if (*p == '\n' && p[1] != '\0')
			strbuf_adds(md, "  ");
	}
}

/* Whether Markdown text has a heading line of its own ("## ..."). */
static bool
has_heading(const char *text)
{
	const char *l = text;

	while (l != NULL && *l != '\0') {
		if (l[0] == '#' && (l[1] == ' ' || l[1] == '#'))
			return true;
		l = strchr(l, '\n');
		if (l != NULL)
			l++;
	}
	return false;
}

static char *
incident_markdown(const json_t *inc)
{
	struct strbuf md = STRBUF_INIT;
	const json_t *updates = json_object_get(inc, "incident_updates"), *comps, *c;
	const char *impact = str(inc, "impact"), *body = str(inc, "postmortem_body");
	const char *began = str(inc, "started_at") ? str(inc, "started_at") : str(inc, "created_at");
	char *when = utc_minute(began), *id = NULL;
	size_t n = json_array_size(updates), i;
	json_t **sorted = xcalloc(n + 1, sizeof(json_t *));

	if (str(inc, "id") != NULL)
		id = xasprintf("statuspage-%s", str(inc, "id"));
	strbuf_adds(&md, "---\n");
	yaml_field(&md, "id", id);
	if (when != NULL) {
		strbuf_addf(&md, "date: \"%.10s\"\ntime: \"%.5s\"\ntimezone: \"UTC\"\n", when,
			    when + 11);
	}
	yaml_field(&md, "severity", severity_of(impact));
	yaml_field(&md, "status", str(inc, "status"));
	strbuf_adds(&md, "---\n\n# ");
	for (const char *p = str(inc, "name"); *p != '\0'; p++)
		strbuf_addc(&md, *p == '\n' || *p == '\r' ? ' ' : *p);
	strbuf_adds(&md, "\n\n");
	for (i = 0; i < n; i++)
		sorted[i] = json_array_get(updates, i);
	qsort(sorted, n, sizeof(*sorted), by_time);
	/* the last word of the status page is its summary */
	if (n > 0 && str(sorted[n - 1], "body") != NULL)
		strbuf_addf(&md, "## Summary\n\n%s\n\n", str(sorted[n - 1], "body"));
	strbuf_adds(&md, "## Impact\n\n");
	if (impact != NULL)
		strbuf_addf(&md, "Impact on the status page: %s.\n", impact);
	comps = json_object_get(inc, "components");
	if (json_array_size(comps) > 0) {
		strbuf_adds(&md, "Components:");
		json_array_foreach(comps, i, c)
			if (str(c, "name") != NULL)
				strbuf_addf(&md, "%s %s", i > 0 ? "," : "", str(c, "name"));
		strbuf_adds(&md, ".\n");
	}
	strbuf_adds(&md, "\n## Timeline\n\n");
	for (i = 0; i < n; i++) {
		char *at = utc_minute(update_time(sorted[i]));

		strbuf_addf(&md, "- %s %s: ", at != NULL ? at : "", str(sorted[i], "status")
			    ? str(sorted[i], "status") : "update");
		indented(&md, str(sorted[i], "body") ? str(sorted[i], "body") : "");
		strbuf_adds(&md, "\n");
		free(at);
	}
	if (body != NULL && body[0] != '\0') {
		/* a postmortem without headings of its own is one section */
		strbuf_addf(&md, "\n%s%s\n", has_heading(body) ? "" : "## Postmortem\n\n", body);
	}
	free(sorted);
	free(when);
	free(id);
	return strbuf_detach(&md);
}

int
import_statuspage_parse_all(const char *buf, size_t len, const char *path,
			    const struct import_options *o, struct postmortem ***pms, size_t *n,
			    char **err)
{
	json_error_t jerr;
	json_t *root = json_loadb(buf, len, 0, &jerr), *list, *inc;
	size_t i;

	*pms = NULL;
	*n = 0;
	if (root == NULL) {
		err_set(err, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
		return -1;
	}
	if ((list = incidents_of(root)) == NULL) {
		err_set(err, "%s: no Statuspage incident in it (an object with \"name\" and "
			"\"incident_updates\")", path);
		json_decref(root);
		return -1;
	}
	*pms = xcalloc(json_array_size(list) + 1, sizeof(**pms));
	json_array_foreach(list, i, inc) {
		char *md = incident_markdown(inc);
		struct postmortem *pm = import_md_parse_opts(md, strlen(md), path, o, err);

		free(md);
		if (pm == NULL) {
			import_json_free_all(*pms, *n);
			*pms = NULL;
			*n = 0;
			json_decref(list);
			json_decref(root);
			return -1;
		}
		(*pms)[(*n)++] = pm;
	}
	json_decref(list);
	json_decref(root);
	return 0;
}
