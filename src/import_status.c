/* Incidents as status pages publish them, each imported as a postmortem:
 * Atlassian Statuspage's (the public /api/v2/incidents.json, one incident
 * as /api/v2/incidents/ID.json serves it, or an incident object alone) and
 * a cloud provider's status feed (an array of incidents with begin, end,
 * severity, external_desc and Markdown updates). Each incident becomes a
 * Markdown postmortem (front matter for its fields, its updates as the
 * timeline, its report as written) read by the Markdown import, so every
 * heading, date and measure rule applies. */
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
is_statuspage(const json_t *v)
{
	return json_is_object(v) && json_is_string(json_object_get(v, "name")) &&
	       json_is_array(json_object_get(v, "incident_updates"));
}

/* The cloud status feed's incident: its description, start and updates. */
static bool
is_cloud(const json_t *v)
{
	return json_is_object(v) && json_is_string(json_object_get(v, "external_desc")) &&
	       json_is_string(json_object_get(v, "begin")) &&
	       json_is_array(json_object_get(v, "updates"));
}

static bool
is_incident(const json_t *v)
{
	return is_statuspage(v) || is_cloud(v);
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

/* Statuspage's impact (critical, major, minor, none) or the cloud feed's
 * severity (high, medium, low) as a severity. */
static const char *
severity_of(const char *impact)
{
	static const struct {
		const char *impact, *sev;
	} map[] = { { "critical", "SEV1" }, { "major", "SEV2" }, { "minor", "SEV3" },
		    { "none", "SEV4" }, { "high", "SEV1" }, { "medium", "SEV2" },
		    { "low", "SEV3" } };

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

/* An update's time: when it was shown (Statuspage) or says it happened
 * (the cloud feed), else when it was written. */
static const char *
update_time(const json_t *u)
{
	static const char *const keys[] = { "display_at", "when", "created_at", "created" };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (str(u, keys[i]) != NULL)
			return str(u, keys[i]);
	return NULL;
}

/* An update's words: Statuspage's body, the cloud feed's text. */
static const char *
update_text(const json_t *u)
{
	return str(u, "body") != NULL ? str(u, "body") : str(u, "text");
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

/* The first paragraph of an update that is not a heading: what the
 * timeline shows of a long report (owned). */
static char *
first_paragraph(const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	const char *l = text;

	while (l != NULL && *l != '\0') {
		size_t n = strcspn(l, "\n");
		bool blank = strspn(l, " \t\r") >= n;

		if (blank && sb.len > 0)
			break;
		if (!blank && l[0] != '#') {
			if (sb.len > 0)
				strbuf_addc(&sb, '\n');
			strbuf_add(&sb, l, n);
		}
		l += n;
		if (*l == '\n')
			l++;
	}
	return strbuf_detach(&sb);
}

/* The names in a list of objects ("title" or "name"), joined by commas. */
static void
names(struct strbuf *md, const char *label, const json_t *list)
{
	const json_t *c;
	size_t i, n = 0;

	json_array_foreach(list, i, c) {
		const char *name = str(c, "title") != NULL ? str(c, "title") : str(c, "name");
		if (name == NULL)
			continue;
		strbuf_addf(md, "%s %s", n++ == 0 ? label : ",", name);
	}
	if (n > 0)
		strbuf_adds(md, ".\n");
}

static char *
incident_markdown(const json_t *inc)
{
	bool cloud = is_cloud(inc);
	struct strbuf md = STRBUF_INIT;
	const json_t *updates = json_object_get(inc, cloud ? "updates" : "incident_updates");
	const char *impact = str(inc, cloud ? "severity" : "impact");
	const char *began = cloud ? str(inc, "begin")
			    : str(inc, "started_at") ? str(inc, "started_at") : str(inc, "created_at");
	const char *title = str(inc, cloud ? "external_desc" : "name"), *body = NULL;
	char *when = utc_minute(began), *id = NULL, *status = NULL;
	size_t n = json_array_size(updates), i;
	json_t **sorted = xcalloc(n + 1, sizeof(json_t *));

	for (i = 0; i < n; i++)
		sorted[i] = json_array_get(updates, i);
	qsort(sorted, n, sizeof(*sorted), by_time);
	if (str(inc, "id") != NULL)
		id = xasprintf("%s-%s", cloud ? "cloud" : "statuspage", str(inc, "id"));
	if (cloud && str(inc, "end") != NULL)
		status = xstrdup("resolved");
	else if (cloud && n > 0 && str(sorted[n - 1], "status") != NULL)
		status = xstrdup(str(sorted[n - 1], "status"));
	else if (!cloud && str(inc, "status") != NULL)
		status = xstrdup(str(inc, "status"));
	for (char *p = status; p != NULL && *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	/* the report: Statuspage's postmortem, the cloud feed's last update
	 * when it has headings of its own (its incident report) */
	if (!cloud)
		body = str(inc, "postmortem_body");
	else if (n > 0 && update_text(sorted[n - 1]) != NULL && has_heading(update_text(sorted[n - 1])))
		body = update_text(sorted[n - 1]);

	strbuf_adds(&md, "---\n");
	yaml_field(&md, "id", id);
	if (when != NULL)
		strbuf_addf(&md, "date: \"%.10s\"\ntime: \"%.5s\"\ntimezone: \"UTC\"\n", when,
			    when + 11);
	yaml_field(&md, "severity", severity_of(impact));
	yaml_field(&md, "status", status);
	strbuf_adds(&md, "---\n\n# ");
	for (const char *p = title; *p != '\0' && *p != '\n'; p++)
		strbuf_addc(&md, *p == '\r' ? ' ' : *p);
	strbuf_adds(&md, "\n\n## Summary\n\n");
	/* Statuspage: the last word of the page; the cloud feed: its description */
	if (cloud)
		strbuf_addf(&md, "%s\n\n", title);
	else if (n > 0 && update_text(sorted[n - 1]) != NULL)
		strbuf_addf(&md, "%s\n\n", update_text(sorted[n - 1]));
	strbuf_adds(&md, "## Impact\n\n");
	if (cloud && str(inc, "status_impact") != NULL)
		strbuf_addf(&md, "Impact on the status page: %s.\n", str(inc, "status_impact"));
	else if (impact != NULL)
		strbuf_addf(&md, "Impact on the status page: %s.\n", impact);
	if (cloud && str(inc, "service_name") != NULL)
		strbuf_addf(&md, "Service: %s.\n", str(inc, "service_name"));
	names(&md, cloud ? "Products:" : "Components:",
	      json_object_get(inc, cloud ? "affected_products" : "components"));
	if (cloud)
		names(&md, "Locations:", json_object_get(inc, "previously_affected_locations"));
	strbuf_adds(&md, "\n## Timeline\n\n");
	for (i = 0; i < n; i++) {
		char *at = utc_minute(update_time(sorted[i]));
		char *words = first_paragraph(update_text(sorted[i]) ? update_text(sorted[i]) : "");

		strbuf_addf(&md, "- %s %s: ", at != NULL ? at : "",
			    str(sorted[i], "status") ? str(sorted[i], "status") : "update");
		indented(&md, words);
		strbuf_adds(&md, "\n");
		free(words);
		free(at);
	}
	/* the report's own title ("# Incident Report") is no section */
	if (body != NULL && strncmp(body, "# ", 2) == 0)
		body = strchr(body, '\n') != NULL ? strchr(body, '\n') + 1 : "";
	if (body != NULL && body[0] != '\0') {
		/* a report without headings of its own is one section */
		strbuf_addf(&md, "\n%s%s\n", has_heading(body) ? "" : "## Postmortem\n\n", body);
	}
	free(sorted);
	free(status);
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
