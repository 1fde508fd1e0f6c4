#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "furikaeri/export_agenda.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static const char *
severity_of(const struct export_agenda_item *it)
{
	static const char *const names[] = { NULL, "SEV1", "SEV2", "SEV3", "SEV4", "SEV5" };

	return strcmp(it->kind, "postmortem") == 0 && it->severity_rank >= 1 &&
		       it->severity_rank <= 5 ? names[it->severity_rank] : NULL;
}

struct export_agenda_item *
export_agenda_items(const struct agenda *a, size_t *n)
{
	struct export_agenda_item *items = xcalloc(agenda_count(a) + 1, sizeof(*items));

	for (size_t i = 0; i < agenda_count(a); i++) {
		const struct agenda_item *it = agenda_item(a, i);
		items[i] = (struct export_agenda_item){
			.kind = agenda_kind_name(it->kind), .id = it->pm_id, .title = it->title,
			.date = it->date, .severity_rank = it->severity_rank,
			.carried_over = it->carried_over, .if_time = it->if_time,
			.minutes = it->budget_s / 60,
		};
	}
	*n = agenda_count(a);
	return items;
}

static size_t
if_time_count(const struct export_agenda *e)
{
	size_t n = 0;

	for (size_t i = 0; i < e->n_items; i++)
		n += e->items[i].if_time;
	return n;
}

char *
export_agenda_json(const struct export_agenda *e)
{
	json_t *root = json_object(), *items = json_array(), *fu = json_array();
	const struct store_measures *followups = e->followups;
	char *text, *out;

	json_object_set_new(root, "week", json_string(e->week));
	json_object_set_new(root, "total_minutes", json_integer(e->total_minutes));
	json_object_set_new(root, "if_time_count", json_integer((json_int_t)if_time_count(e)));
	for (size_t i = 0; i < e->n_items; i++) {
		const struct export_agenda_item *it = &e->items[i];
		json_t *o = json_object();
		json_object_set_new(o, "kind", json_string(it->kind));
		json_object_set_new(o, "id", str_or_null(it->id));
		json_object_set_new(o, "title", json_string(it->title));
		json_object_set_new(o, "date", str_or_null(it->date));
		json_object_set_new(o, "severity", str_or_null(severity_of(it)));
		json_object_set_new(o, "carried_over", json_boolean(it->carried_over));
		json_object_set_new(o, "if_time", json_boolean(it->if_time));
		json_object_set_new(o, "minutes", json_integer(it->minutes));
		json_object_set_new(o, "state", str_or_null(it->state));
		json_object_set_new(o, "spent_seconds",
				    it->state != NULL ? json_integer(it->spent_s) : json_null());
		json_array_append_new(items, o);
	}
	json_object_set_new(root, "items", items);
	for (size_t i = 0; i < followups->n; i++) {
		const struct store_measure_row *m = &followups->rows[i];
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(m->id));
		json_object_set_new(o, "title", json_string(m->title));
		json_object_set_new(o, "owner", str_or_null(m->owner));
		json_object_set_new(o, "due", str_or_null(m->due));
		json_object_set_new(o, "ticket", str_or_null(m->ticket));
		json_object_set_new(o, "postmortem", str_or_null(m->pm_id));
		json_array_append_new(fu, o);
	}
	json_object_set_new(root, "followups", fu);
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	out = xasprintf("%s\n", text != NULL ? text : "{}");
	free(text);
	return out;
}

/* What became of an item of a meeting opened, after its budget: the
 * actual time beside the plan, never in place of it. */
static void
held(struct strbuf *sb, const struct export_agenda_item *it)
{
	int m = it->spent_s / 60, s = it->spent_s % 60;

	if (it->state == NULL || strcmp(it->state, "pending") == 0)
		return;
	if (strcmp(it->state, "done") == 0)
		strbuf_addf(sb, ", took %d:%02d", m, s);
	else if (strcmp(it->state, "current") == 0)
		strbuf_addf(sb, ", now, %d:%02d so far", m, s);
	else if (strcmp(it->state, "skipped") == 0)
		strbuf_adds(sb, ", skipped");
	else if (strcmp(it->state, "carried") == 0)
		strbuf_adds(sb, ", carried to next week");
}

/* One item's line, numbered n (the items that wait if time permits come
 * last, numbered on). */
static void
item_line(struct strbuf *sb, const struct export_agenda_item *it, size_t n, const char *bold)
{
	char *title = text_sanitize(it->title, false);
	const char *sev = severity_of(it);

	strbuf_addf(sb, "%zu. ", n);
	if (it->id != NULL)
		strbuf_addf(sb, "%s%s%s %s%s%s%s", bold, it->id, bold, title,
			    sev != NULL ? " (" : "", sev != NULL ? sev : "", sev != NULL ? ")" : "");
	else
		strbuf_adds(sb, title);
	if (it->carried_over)
		strbuf_adds(sb, ", carried over");
	if (!it->if_time)
		strbuf_addf(sb, " — %d min", it->minutes);
	held(sb, it);
	strbuf_addc(sb, '\n');
	free(title);
}

/* One line per item and per follow-up; bold is "**" in Markdown, "*" in Slack. */
static char *
export_text(const struct export_agenda *e, const char *bold, const char *heading)
{
	struct strbuf sb = STRBUF_INIT;
	const struct store_measures *followups = e->followups;
	size_t waiting = if_time_count(e), n = 0;

	strbuf_addf(&sb, "%s%sAgenda %s%s (%d min)\n\n", heading, bold, e->week, bold,
		    e->total_minutes);
	if (waiting > 0)
		strbuf_addf(&sb, "Not everything fits the %d minutes: %zu %s wait%s under \"If time "
			    "permits\" and carry over to next week if the meeting ends first.\n\n",
			    e->total_minutes, waiting, waiting == 1 ? "item" : "items",
			    waiting == 1 ? "s" : "");
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1 && waiting > 0)
			strbuf_addf(&sb, "\n%s%sIf time permits%s\n\n", heading[0] != '\0' ? "## " : "",
				    bold, bold);
		for (size_t i = 0; i < e->n_items; i++)
			if (e->items[i].if_time == (pass == 1))
				item_line(&sb, &e->items[i], ++n, bold);
	}
	if (followups->n > 0) {
		strbuf_addf(&sb, "\n%s%sFollow-ups%s (%zu open)\n\n", heading[0] != '\0' ? "## " : "",
			    bold, bold, followups->n);
		for (size_t i = 0; i < followups->n; i++) {
			const struct store_measure_row *m = &followups->rows[i];
			char *title = text_sanitize(m->title, false);
			strbuf_addf(&sb, "- %s", title);
			if (m->owner != NULL)
				strbuf_addf(&sb, ", @%s", m->owner);
			if (m->due != NULL)
				strbuf_addf(&sb, ", due %s", m->due);
			if (m->ticket != NULL)
				strbuf_addf(&sb, ", %s", m->ticket);
			if (m->pm_id != NULL)
				strbuf_addf(&sb, " (%s)", m->pm_id);
			strbuf_addc(&sb, '\n');
			free(title);
		}
	}
	return strbuf_detach(&sb);
}

char *
export_agenda_md(const struct export_agenda *e)
{
	return export_text(e, "", "# ");
}

char *
export_agenda_slack(const struct export_agenda *e)
{
	return export_text(e, "*", "");
}
