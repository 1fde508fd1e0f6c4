#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/export_json.h"
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
