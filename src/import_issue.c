#include "config.h"

#include <ctype.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "furikaeri/date.h"
#include "furikaeri/err.h"
#include "furikaeri/import.h"
#include "furikaeri/import_issue.h"
#include "furikaeri/md_adf.h"
#include "furikaeri/md_form.h"
#include "furikaeri/md_wiki.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

static const char *
str_of(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The postmortem statuses a label or a Jira status can name. */
static const char *const status_words[] = { "draft", "in review", "ready", "closed", "done" };

static const char *
status_word(const char *label)
{
	for (size_t i = 0; i < sizeof(status_words) / sizeof(status_words[0]); i++) {
		if (text_casecmp(label, status_words[i]) == 0)
			return status_words[i];
		/* "status: ready", "status/ready" */
		if (strncasecmp(label, "status", 6) == 0) {
			const char *p = label + 6;
			while (*p == ':' || *p == '/' || *p == ' ' || *p == '-')
				p++;
			if (text_casecmp(p, status_words[i]) == 0)
				return status_words[i];
		}
	}
	return NULL;
}

/* A severity label says so: "sev1", "SEV-2", "severity: high", "P1"; a
 * label that only happens to be a word ("high") does not. */
static char *
label_severity(const char *label)
{
	char *lower = xstrdup(label);
	char *sev = NULL;

	for (char *p = lower; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	if (strncmp(lower, "sev", 3) == 0 || strncmp(lower, "priority", 8) == 0 ||
	    ((lower[0] == 'p' || lower[0] == 's') && isdigit((unsigned char)lower[1]) &&
	     lower[2] == '\0'))
		sev = postmortem_severity_normalise(label);
	free(lower);
	return sev;
}

/* A GitHub login or Jira account back to the team's name for the person. */
static const char *
person_name(const struct config *cfg, const char *handle, bool github)
{
	for (size_t i = 0; cfg != NULL && handle != NULL && i < cfg->n_people; i++) {
		const char *h = github ? cfg->people[i].github : cfg->people[i].jira;
		if (h != NULL && text_casecmp(h, handle) == 0)
			return cfg->people[i].name;
	}
	return handle;
}

static bool
has_author(const struct postmortem *pm, const char *name)
{
	for (size_t i = 0; i < pm->n_authors; i++)
		if (strcmp(pm->authors[i], name) == 0)
			return true;
	return false;
}

static bool
has_tag(const struct postmortem *pm, const char *tag)
{
	for (size_t i = 0; i < pm->n_tags; i++)
		if (text_casecmp(pm->tags[i], tag) == 0)
			return true;
	return false;
}

static bool
has_ticket(const struct postmortem *pm, const char *key)
{
	for (size_t i = 0; i < pm->n_measures; i++)
		if (pm->measures[i].ticket != NULL && text_casecmp(pm->measures[i].ticket, key) == 0)
			return true;
	return false;
}

/* Parses "# title" plus the description as a Markdown postmortem; the
 * issue's title is the postmortem's. */
static struct postmortem *
parse_text(const char *title, const char *md, const char *url, const struct headings *h,
	   const struct import_issue_options *o, char **err)
{
	struct import_options io = {
		.headings = h,
		.readiness = o->readiness,
		.date_order = o->cfg != NULL ? (enum date_order)o->cfg->date_order : DATE_ORDER_NONE,
		.jira_projects = o->cfg != NULL ? o->cfg->jira_projects.items : NULL,
		.n_jira_projects = o->cfg != NULL ? o->cfg->jira_projects.n : 0,
	};
	/* a postmortem file pasted into an issue keeps its front matter first */
	bool front = md != NULL && (strncmp(md, "---\n", 4) == 0 || strncmp(md, "---\r\n", 5) == 0);
	char *doc = front ? xstrdup(md)
			  : xasprintf("# %s\n\n%s", title != NULL ? title : "", md != NULL ? md : "");
	struct postmortem *pm = import_md_parse_opts(doc, strlen(doc), url, &io, err);

	free(doc);
	if (pm == NULL)
		return NULL;
	free(pm->title);
	pm->title = xstrdup(title != NULL && title[0] != '\0' ? title : "(untitled)");
	free(pm->source);
	pm->source = xstrdup(url);
	pm->id_derived = false;
	return pm;
}

/* The day the issue was opened in the local zone (TZ): an issue opened at
 * 08:30 JST on December 1 is 23:30 UTC on November 30, and the team that
 * opened it calls it December 1. */
static void
set_date(struct postmortem *pm, const char *created)
{
	long long epoch = 0;
	struct tm tm;
	time_t t;
	char day[16];

	if (pm->date != NULL || created == NULL || strlen(created) < 10)
		return;
	bool instant = date_timestamp(created, &epoch);
	t = (time_t)epoch;
	if (instant && localtime_r(&t, &tm) != NULL &&
	    strftime(day, sizeof(day), "%Y-%m-%d", &tm) == 10)
		pm->date = xstrdup(day);
	else
		pm->date = xstrndup(created, 10);
}

/* "- [ ] Add an alert acme/pay#12" or "- [x] #14" outside the measures: a
 * measure with its ticket, done when ticked. */
static void
task_refs(struct postmortem *pm, const char *body, const char *repo)
{
	const char *p = body != NULL ? body : "";

	while (*p != '\0') {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);
		char *l = line + strspn(line, " \t");
		bool done;

		if ((l[0] == '-' || l[0] == '*') && l[1] == ' ' && l[2] == '[' &&
		    (l[3] == ' ' || l[3] == 'x' || l[3] == 'X') && l[4] == ']') {
			done = l[3] != ' ';
			char *text = l + 5;
			char *hash = NULL, *ref = NULL;
			/* OWNER/REPO#N, #N, or an issue URL */
			for (char *q = text; *q != '\0' && ref == NULL; q++) {
				if (*q == '#' && isdigit((unsigned char)q[1])) {
					char *start = q;
					while (start > text && (isalnum((unsigned char)start[-1]) ||
								strchr("/-_.", start[-1]) != NULL))
						start--;
					size_t digits = strspn(q + 1, "0123456789");
					if (start < q && memchr(start, '/', (size_t)(q - start)) != NULL)
						ref = xasprintf("%.*s#%.*s", (int)(q - start), start,
								(int)digits, q + 1);
					else
						ref = xasprintf("%s#%.*s", repo, (int)digits, q + 1);
					hash = start;
				} else if (strncmp(q, "https://", 8) == 0 && strstr(q, "/issues/") != NULL) {
					char *iss = strstr(q, "/issues/");
					char *host_end = strchr(q + 8, '/');
					if (host_end != NULL && host_end < iss) {
						size_t digits = strspn(iss + 8, "0123456789");
						if (digits > 0) {
							ref = xasprintf("%.*s#%.*s", (int)(iss - host_end - 1),
									host_end + 1, (int)digits, iss + 8);
							hash = q;
						}
					}
				}
			}
			if (ref != NULL && !has_ticket(pm, ref)) {
				char *title = xstrndup(text, (size_t)(hash - text));
				char *t = text_trim(title);
				/* the measures section read it already, without the ticket */
				struct measure *m = NULL;
				for (size_t k = 0; k < pm->n_measures && m == NULL; k++)
					if (pm->measures[k].ticket == NULL && t[0] != '\0' &&
					    strncmp(pm->measures[k].title, t, strlen(t)) == 0)
						m = &pm->measures[k];
				if (m != NULL) {
					free(m->title);
					m->title = xstrdup(t);
				} else {
					m = postmortem_add_measure(pm, t[0] != '\0' ? t : ref);
					m->status = done ? MEASURE_DONE : MEASURE_OPEN;
				}
				m->ticket = xstrdup(ref);
				free(t);
				free(title);
			}
			free(ref);
		}
		free(line);
		p += n;
		if (*p == '\n')
			p++;
	}
}

struct postmortem *
import_issue_github(const char *json, size_t len, const char *repo, const char *sub_issues,
		    const struct headings *h, const struct import_issue_options *o, char **err)
{
	json_error_t jerr;
	json_t *j = json_loadb(json, len, 0, &jerr), *labels, *l, *a;
	const char *url, *title, *body, *state;
	char *md = NULL;
	struct postmortem *pm = NULL;
	size_t i;

	if (!json_is_object(j)) {
		err_set(err, "%s: a GitHub issue that is not a JSON object (line %d: %s)", repo,
			jerr.line, jerr.text);
		json_decref(j);
		return NULL;
	}
	url = str_of(j, "html_url");
	title = str_of(j, "title");
	body = str_of(j, "body");
	state = str_of(j, "state");
	json_int_t number = json_integer_value(json_object_get(j, "number"));
	if (url == NULL || number <= 0) {
		err_set(err, "%s: an issue without html_url or number; is the URL an issues "
			"listing of the GitHub API?", repo);
		json_decref(j);
		return NULL;
	}
	md = body != NULL && md_form_detect(body) ? md_form_normalise(body, import_md_is_meta)
						  : xstrdup(body != NULL ? body : "");
	pm = parse_text(title, md, url, h, o, err);
	if (pm == NULL)
		goto done;
	free(pm->id);
	pm->id = xasprintf("%s#%lld", repo, (long long)number);
	set_date(pm, str_of(j, "created_at"));

	labels = json_object_get(j, "labels");
	const char *label_status = NULL;
	json_array_foreach(labels, i, l) {
		const char *name = json_is_string(l) ? json_string_value(l) : str_of(l, "name");
		char *sev;
		if (name == NULL)
			continue;
		if ((sev = label_severity(name)) != NULL) {
			if (pm->severity == NULL)
				pm->severity = sev;
			else
				free(sev);
			continue;
		}
		if (status_word(name) != NULL) {
			if (label_status == NULL)
				label_status = status_word(name);
			continue;
		}
		if (o->source_label != NULL && text_casecmp(name, o->source_label) == 0)
			continue;
		if (!has_tag(pm, name))
			postmortem_add_tag(pm, name);
	}
	if (pm->status == NULL) {
		if (state != NULL && strcmp(state, "closed") == 0)
			pm->status = xstrdup("closed");
		else
			pm->status = xstrdup(label_status != NULL ? label_status : "open");
	}
	const char *login = str_of(json_object_get(j, "user"), "login");
	if (login != NULL && !has_author(pm, person_name(o->cfg, login, true)))
		postmortem_add_author(pm, person_name(o->cfg, login, true));
	json_array_foreach(json_object_get(j, "assignees"), i, a) {
		const char *who = person_name(o->cfg, str_of(a, "login"), true);
		if (who != NULL && !has_author(pm, who))
			postmortem_add_author(pm, who);
	}

	if (sub_issues != NULL) {
		json_t *subs = json_loads(sub_issues, 0, &jerr), *s;
		json_array_foreach(subs, i, s) {
			json_int_t n = json_integer_value(json_object_get(s, "number"));
			const char *surl = str_of(s, "html_url"), *sst = str_of(s, "state");
			const char *reason = str_of(s, "state_reason");
			/* a sub-issue in another repository names its own */
			char *key = NULL;
			if (surl != NULL && strstr(surl, "/issues/") != NULL) {
				const char *host_end = strchr(surl + 8, '/');
				const char *iss = strstr(surl, "/issues/");
				if (host_end != NULL && host_end < iss)
					key = xasprintf("%.*s#%lld", (int)(iss - host_end - 1),
							host_end + 1, (long long)n);
			}
			if (key == NULL)
				key = xasprintf("%s#%lld", repo, (long long)n);
			if (!has_ticket(pm, key)) {
				const char *st = str_of(s, "title");
				struct measure *m = postmortem_add_measure(pm, st != NULL ? st : key);
				m->ticket = xstrdup(key);
				m->ticket_url = xstrdup_or_null(surl);
				if (sst != NULL && strcmp(sst, "closed") == 0)
					m->status = reason != NULL && strcmp(reason, "not_planned") == 0
							    ? MEASURE_NOT_DOING : MEASURE_DONE;
				json_t *as = json_array_get(json_object_get(s, "assignees"), 0);
				if (str_of(as, "login") != NULL)
					m->owner = xstrdup(person_name(o->cfg, str_of(as, "login"), true));
			}
			free(key);
		}
		json_decref(subs);
	}
	task_refs(pm, body, repo);
	headings_settle_readiness(o->readiness, pm);
done:
	free(md);
	json_decref(j);
	return pm;
}

/* A Jira field's value as text: "SEV2", {"value": "SEV2"}, {"name": ...}, 2. */
static char *
field_text(json_t *v)
{
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_integer(v))
		return xasprintf("%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return xasprintf("%g", json_real_value(v));
	if (json_is_object(v)) {
		const char *s = str_of(v, "value");
		if (s == NULL)
			s = str_of(v, "name");
		return s != NULL ? xstrdup(s) : NULL;
	}
	if (json_is_array(v) && json_array_size(v) > 0)
		return field_text(json_array_get(v, 0));
	return NULL;
}

static bool
status_done(json_t *status)
{
	const char *cat = str_of(json_object_get(status, "statusCategory"), "key");

	return cat != NULL && strcmp(cat, "done") == 0;
}

static bool
link_matches(json_t *type, const char *want, bool inward)
{
	const char *name = str_of(type, "name");
	const char *dir = str_of(type, inward ? "inward" : "outward");

	return want != NULL && ((name != NULL && text_casecmp(name, want) == 0) ||
				(dir != NULL && text_casecmp(dir, want) == 0));
}

struct postmortem *
import_issue_jira(const char *json, size_t len, const struct headings *h,
		  const struct import_issue_options *o, char **err)
{
	json_error_t jerr;
	json_t *j = json_loadb(json, len, 0, &jerr), *f, *desc, *v;
	const char *key, *site = o->jira_site != NULL ? o->jira_site : "";
	char *url = NULL, *md = NULL;
	struct postmortem *pm = NULL;
	size_t i;

	key = str_of(j, "key");
	f = json_object_get(j, "fields");
	if (key == NULL || !json_is_object(f)) {
		err_set(err, "%s: a Jira issue without key or fields (%s)", site,
			j == NULL ? jerr.text : "is the search asking for fields?");
		json_decref(j);
		return NULL;
	}
	url = xasprintf("%s/browse/%s", site, key);
	desc = json_object_get(f, "description");
	if (o->jira_api == 3 && json_is_object(desc)) {
		char *text = json_dumps(desc, JSON_COMPACT);
		md = md_adf_convert(text, strlen(text), url, err);
		free(text);
		if (md == NULL)
			goto done;
	} else if (json_is_string(desc)) {
		/* Data Center's wiki markup; Cloud's v2 answers plain text the same way */
		md = md_wiki_convert(json_string_value(desc));
	} else {
		md = xstrdup("");
	}
	pm = parse_text(str_of(f, "summary"), md, url, h, o, err);
	if (pm == NULL)
		goto done;
	free(pm->id);
	pm->id = xstrdup(key);
	set_date(pm, str_of(f, "created"));

	if (pm->severity == NULL && o->severity_field != NULL) {
		char *t = field_text(json_object_get(f, o->severity_field));
		pm->severity = postmortem_severity_normalise(t);
		free(t);
	}
	json_array_foreach(json_object_get(f, "labels"), i, v) {
		const char *name = json_string_value(v);
		char *sev;
		if (name == NULL)
			continue;
		if ((sev = label_severity(name)) != NULL) {
			if (pm->severity == NULL)
				pm->severity = sev;
			else
				free(sev);
		} else if (!has_tag(pm, name)) {
			postmortem_add_tag(pm, name);
		}
	}
	json_array_foreach(json_object_get(f, "components"), i, v) {
		const char *name = str_of(v, "name");
		if (name != NULL && !has_tag(pm, name))
			postmortem_add_tag(pm, name);
	}
	const char *priority = str_of(json_object_get(f, "priority"), "name");
	for (size_t k = 0; pm->severity == NULL && priority != NULL && o->cfg != NULL &&
			   k < o->cfg->jira.n_priorities; k++)
		if (text_casecmp(o->cfg->jira.priorities[k].priority, priority) == 0)
			pm->severity = xstrdup(o->cfg->jira.priorities[k].severity);
	if (pm->severity == NULL && priority != NULL)
		pm->severity = postmortem_severity_normalise(priority);

	json_t *status = json_object_get(f, "status");
	if (pm->status == NULL) {
		const char *name = str_of(status, "name");
		if (status_done(status))
			pm->status = xstrdup("closed");
		else if (name != NULL) {
			char *lower = xstrdup(name);
			for (char *p = lower; *p != '\0'; p++)
				*p = (char)tolower((unsigned char)*p);
			pm->status = lower;
		}
	}
	const char *people[] = {
		str_of(json_object_get(f, "reporter"), "displayName"),
		str_of(json_object_get(f, "assignee"), "displayName"),
	};
	const char *ids[] = {
		str_of(json_object_get(f, "reporter"), o->jira_api == 3 ? "accountId" : "name"),
		str_of(json_object_get(f, "assignee"), o->jira_api == 3 ? "accountId" : "name"),
	};
	for (size_t k = 0; k < 2; k++) {
		const char *who = ids[k] != NULL && person_name(o->cfg, ids[k], false) != ids[k]
					  ? person_name(o->cfg, ids[k], false) : people[k];
		if (who != NULL && !has_author(pm, who))
			postmortem_add_author(pm, who);
	}

	json_array_foreach(json_object_get(f, "issuelinks"), i, v) {
		json_t *type = json_object_get(v, "type");
		json_t *other = json_object_get(v, "inwardIssue");
		bool inward = other != NULL;
		if (other == NULL)
			other = json_object_get(v, "outwardIssue");
		const char *okey = str_of(other, "key");
		if (okey == NULL || !link_matches(type, o->measure_link, inward) ||
		    has_ticket(pm, okey))
			continue;
		json_t *of = json_object_get(other, "fields");
		const char *summary = str_of(of, "summary");
		struct measure *m = postmortem_add_measure(pm, summary != NULL ? summary : okey);
		m->ticket = xstrdup(okey);
		m->ticket_url = xasprintf("%s/browse/%s", site, okey);
		if (status_done(json_object_get(of, "status")))
			m->status = MEASURE_DONE;
	}
	headings_settle_readiness(o->readiness, pm);
done:
	free(md);
	free(url);
	json_decref(j);
	return pm;
}

struct postmortem *
import_gdoc(const char *md, size_t len, const char *id, const char *name, const char *url,
	    const char *created, const struct headings *h, const struct import_issue_options *o,
	    char **err)
{
	struct import_options io = {
		.headings = h,
		.readiness = o->readiness,
		.date_order = o->cfg != NULL ? (enum date_order)o->cfg->date_order : DATE_ORDER_NONE,
		.jira_projects = o->cfg != NULL ? o->cfg->jira_projects.items : NULL,
		.n_jira_projects = o->cfg != NULL ? o->cfg->jira_projects.n : 0,
	};
	char *text = xstrndup(md, len), *doc;
	size_t skip = 0;
	struct postmortem *pm;

	/* Docs' export may begin with blank lines or a byte order mark */
	if (strncmp(text, "\xef\xbb\xbf", 3) == 0)
		skip = 3;
	while (text[skip] == '\n' || text[skip] == '\r')
		skip++;
	/* a Doc with its own front matter or first heading keeps it; else
	 * the Doc's name is the title */
	if (strncmp(text + skip, "---\n", 4) == 0 || strncmp(text + skip, "---\r\n", 5) == 0 ||
	    strncmp(text + skip, "# ", 2) == 0)
		doc = xstrdup(text + skip);
	else
		doc = xasprintf("# %s\n\n%s", name != NULL && name[0] != '\0' ? name : "(untitled)",
				text + skip);
	free(text);
	pm = import_md_parse_opts(doc, strlen(doc), url, &io, err);
	free(doc);
	if (pm == NULL)
		return NULL;
	if (pm->title == NULL)
		pm->title = xstrdup(name != NULL && name[0] != '\0' ? name : "(untitled)");
	free(pm->id);
	pm->id = xstrdup(id);
	pm->id_derived = false;
	free(pm->source);
	pm->source = xstrdup(url);
	set_date(pm, created);
	return pm;
}
