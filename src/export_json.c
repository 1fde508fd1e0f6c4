#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/date.h"
#include "furikaeri/export_json.h"
#include "furikaeri/text.h"
#include "furikaeri/week.h"
#include "furikaeri/xalloc.h"

static json_t *
string_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
string_list(char *const *list, size_t n)
{
	json_t *array = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(array, json_string(list[i]));
	return array;
}

static char *
dump(json_t *value)
{
	char *text = json_dumps(value, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	json_decref(value);
	if (text == NULL)
		return xstrdup("null\n");
	char *out = xasprintf("%s\n", text);
	free(text);
	return out;
}

char *
export_json_postmortem(const struct postmortem *pm)
{
	json_t *o = json_object(), *sections = json_object(), *measures = json_array();

	json_object_set_new(o, "id", json_string(pm->id));
	json_object_set_new(o, "title", json_string(pm->title));
	json_object_set_new(o, "date", string_or_null(pm->date));
	json_object_set_new(o, "time", string_or_null(pm->time));
	json_object_set_new(o, "tz", string_or_null(pm->tz));
	json_object_set_new(o, "severity", string_or_null(pm->severity));
	json_object_set_new(o, "status", string_or_null(pm->status));
	json_object_set_new(o, "authors", string_list(pm->authors, pm->n_authors));
	json_object_set_new(o, "tags", string_list(pm->tags, pm->n_tags));
	json_object_set_new(o, "source", string_or_null(pm->source));
	for (size_t i = 0; i < pm->n_sections; i++)
		json_object_set_new(sections, pm->sections[i].key, json_string(pm->sections[i].text));
	json_object_set_new(o, "sections", sections);
	for (size_t i = 0; i < pm->n_measures; i++) {
		const struct measure *m = &pm->measures[i];
		json_t *jm = json_object();
		json_object_set_new(jm, "id", json_integer(m->id));
		json_object_set_new(jm, "title", json_string(m->title));
		json_object_set_new(jm, "owner", string_or_null(m->owner));
		json_object_set_new(jm, "due", string_or_null(m->due));
		json_object_set_new(jm, "status", json_string(measure_status_name(m->status)));
		json_object_set_new(jm, "ticket", string_or_null(m->ticket));
		json_object_set_new(jm, "ticket_url", string_or_null(m->ticket_url));
		json_array_append_new(measures, jm);
	}
	json_object_set_new(o, "measures", measures);
	return dump(o);
}

char *
export_json_rows(const struct store_rows *rows, bool with_match)
{
	json_t *array = json_array();

	for (size_t i = 0; i < rows->n; i++) {
		const struct store_row *r = &rows->rows[i];
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(r->id));
		json_object_set_new(o, "title", json_string(r->title));
		json_object_set_new(o, "date", string_or_null(r->date));
		json_object_set_new(o, "severity", string_or_null(r->severity));
		json_object_set_new(o, "status", string_or_null(r->status));
		if (with_match) {
			json_object_set_new(o, "match", string_or_null(r->match));
			json_object_set_new(o, "snippet", string_or_null(r->snippet));
		}
		json_array_append_new(array, o);
	}
	return dump(array);
}

/* Text typed in a meeting, exactly as stored: the JSON is the team's
 * record and round-trips losslessly (jansson escapes every control
 * character, so nothing raw reaches a terminal); only bytes that are not
 * UTF-8, which JSON cannot hold, are replaced. */
static json_t *
text_or_null(const char *s)
{
	json_t *v;

	if (s == NULL)
		return json_null();
	if ((v = json_string(s)) != NULL)
		return v;
	char *repaired = text_utf8_repair(s, strlen(s));
	v = json_string(repaired);
	free(repaired);
	return v != NULL ? v : json_string("");
}

static json_t *
minutes_item(const struct minutes_item *it)
{
	json_t *o = json_object();

	json_object_set_new(o, "kind", text_or_null(it->kind));
	json_object_set_new(o, "postmortem", text_or_null(it->pm_id));
	json_object_set_new(o, "title", text_or_null(it->title));
	json_object_set_new(o, "source", text_or_null(it->pm_source));
	json_object_set_new(o, "severity", text_or_null(it->pm_severity));
	json_object_set_new(o, "date", text_or_null(it->pm_date));
	json_object_set_new(o, "state", text_or_null(it->state));
	json_object_set_new(o, "budget_seconds", json_integer(it->budget_s));
	json_object_set_new(o, "spent_seconds", json_integer(it->spent_s));
	json_object_set_new(o, "carried_over", json_boolean(it->carried_over));
	return o;
}

static json_t *
minutes_entry(const struct minutes_entry *e)
{
	json_t *o = json_object();

	if (e->entry_marker != NULL)
		json_object_set_new(o, "marker", json_string(e->entry_marker));
	json_object_set_new(o, "seq", json_integer(e->seq));
	json_object_set_new(o, "item", e->item >= 0 ? json_integer(e->item) : json_null());
	json_object_set_new(o, "kind", text_or_null(e->kind));
	json_object_set_new(o, "text", text_or_null(e->body));
	json_object_set_new(o, "author", text_or_null(e->author));
	json_object_set_new(o, "created_at", text_or_null(e->created_at));
	json_object_set_new(o, "edited_at", text_or_null(e->edited_at));
	json_object_set_new(o, "deleted_at", text_or_null(e->deleted_at));
	if (e->marker != NULL) {
		json_t *m = json_object();
		json_object_set_new(m, "marker", text_or_null(e->marker));
		json_object_set_new(m, "owner", text_or_null(e->owner));
		json_object_set_new(m, "due", text_or_null(e->due));
		json_object_set_new(m, "status", text_or_null(e->status));
		json_object_set_new(m, "agreed_at", text_or_null(e->agreed_at));
		json_object_set_new(m, "done_at", text_or_null(e->done_at));
		json_object_set_new(m, "ticket", text_or_null(e->ticket));
		json_object_set_new(m, "ticket_url", text_or_null(e->ticket_url));
		json_object_set_new(m, "ticket_state", text_or_null(e->ticket_state));
		json_object_set_new(o, "measure", m);
	} else {
		json_object_set_new(o, "measure", json_null());
	}
	return o;
}

char *
export_json_minutes(const struct minutes_doc *doc)
{
	json_t *o = json_object(), *list, *next = json_object();

	json_object_set_new(o, "format", json_string(EXPORT_JSON_MINUTES_FORMAT));
	json_object_set_new(o, "format_version", json_integer(EXPORT_JSON_MINUTES_VERSION));
	json_object_set_new(o, "week", text_or_null(doc->week));
	json_object_set_new(o, "facilitator", text_or_null(doc->facilitator));
	json_object_set_new(o, "backup", text_or_null(doc->backup));
	json_object_set_new(o, "budget_minutes", json_integer(doc->budget_minutes));
	json_object_set_new(o, "started_at", text_or_null(doc->started_at));
	json_object_set_new(o, "ended_at", text_or_null(doc->ended_at));
	list = json_array();
	for (size_t i = 0; i < doc->n_attendees; i++)
		json_array_append_new(list, text_or_null(doc->attendees[i]));
	json_object_set_new(o, "attendees", list);
	list = json_array();
	for (size_t i = 0; i < doc->n_items; i++)
		json_array_append_new(list, minutes_item(&doc->items[i]));
	json_object_set_new(o, "items", list);
	list = json_array();
	for (size_t i = 0; i < doc->n_entries; i++)
		json_array_append_new(list, minutes_entry(&doc->entries[i]));
	json_object_set_new(o, "entries", list);
	list = json_array();
	for (size_t i = 0; i < doc->n_roster; i++) {
		json_t *p = json_object();
		json_object_set_new(p, "name", text_or_null(doc->roster[i].name));
		json_object_set_new(p, "role", text_or_null(doc->roster[i].role));
		json_object_set_new(p, "away_until", text_or_null(doc->roster[i].away_until));
		json_array_append_new(list, p);
	}
	json_object_set_new(o, "roster", list);
	json_object_set_new(next, "facilitator", text_or_null(doc->next_facilitator));
	json_object_set_new(next, "backup", text_or_null(doc->next_backup));
	json_object_set_new(o, "next", next);
	return dump(o);
}

long
export_json_age_days(const char *since, const char *today)
{
	char day[11];
	long a, b;

	if (since == NULL || strlen(since) < 10)
		return -1;
	memcpy(day, since, 10);
	day[10] = '\0';
	if (!week_date_parse(day, &a) || !week_date_parse(today, &b))
		return -1;
	return b - a;
}

char *
export_json_measures(const struct store_measures *m, const char *today)
{
	json_t *array = json_array();

	for (size_t i = 0; i < m->n; i++) {
		const struct store_measure_row *r = &m->rows[i];
		json_t *o = json_object();
		long age = export_json_age_days(r->agreed_at != NULL ? r->agreed_at : r->created_at,
						today);
		bool overdue = date_overdue(r->due, r->status, today);
		json_object_set_new(o, "id", json_integer(r->id));
		json_object_set_new(o, "title", text_or_null(r->title));
		json_object_set_new(o, "status", text_or_null(r->status));
		json_object_set_new(o, "age_days", age >= 0 ? json_integer(age) : json_null());
		json_object_set_new(o, "overdue", json_boolean(overdue));
		json_object_set_new(o, "owner", text_or_null(r->owner));
		json_object_set_new(o, "due", text_or_null(r->due));
		json_object_set_new(o, "ticket", text_or_null(r->ticket));
		json_object_set_new(o, "ticket_url", text_or_null(r->ticket_url));
		json_object_set_new(o, "ticket_state", text_or_null(r->ticket_state));
		json_object_set_new(o, "postmortem", text_or_null(r->pm_id));
		json_object_set_new(o, "postmortem_title", text_or_null(r->pm_title));
		json_object_set_new(o, "origin", text_or_null(r->origin));
		json_object_set_new(o, "agreed_at", text_or_null(r->agreed_at));
		json_object_set_new(o, "done_at", text_or_null(r->done_at));
		json_array_append_new(array, o);
	}
	return dump(array);
}

static json_t *
counts_array(const struct store_stats_count *list, size_t n, const char *key)
{
	json_t *array = json_array();

	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, key, text_or_null(list[i].key));
		json_object_set_new(o, "count", json_integer(list[i].count));
		json_array_append_new(array, o);
	}
	return array;
}

char *
export_json_stats(const struct store_stats *s, const char *since)
{
	json_t *o = json_object(), *m = json_object();

	json_object_set_new(o, "since", string_or_null(since));
	json_object_set_new(o, "postmortems_per_week", counts_array(s->weeks, s->n_weeks, "week"));
	json_object_set_new(o, "severity", counts_array(s->severities, s->n_severities,
							 "severity"));
	json_object_set_new(m, "agreed", json_integer(s->agreed));
	json_object_set_new(m, "done", json_integer(s->done));
	json_object_set_new(m, "dropped", json_integer(s->dropped));
	json_object_set_new(m, "overdue", json_integer(s->overdue));
	json_object_set_new(m, "median_measures", json_integer(s->median_n));
	json_object_set_new(m, "median_days_to_done",
			    s->median_days >= 0 ? json_real(s->median_days) : json_null());
	json_object_set_new(o, "measures", m);
	json_object_set_new(o, "tags", counts_array(s->tags, s->n_tags, "tag"));
	return dump(o);
}
