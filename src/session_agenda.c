#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/err.h"
#include "furikaeri/xalloc.h"
#include "session_private.h"

/* The agenda (the model) to and from the store's rows. */

/* Writes the whole agenda (order, states, budgets, clocks) in one go. */
int
session_agenda_save(struct session *s, char **err)
{
	size_t n = agenda_count(s->agenda);
	struct store_agenda rows = { .rows = xcalloc(n, sizeof(struct store_agenda_row)), .n = n };
	int rc;

	for (size_t i = 0; i < n; i++) {
		const struct agenda_item *it = agenda_item(s->agenda, i);
		struct store_agenda_row *r = &rows.rows[i];
		r->id = it->ref;
		r->kind = xstrdup(agenda_kind_name(it->kind));
		r->pm_id = xstrdup_or_null(it->pm_id);
		r->title = xstrdup(it->title);
		r->state = xstrdup(agenda_state_name(it->state));
		r->budget_s = it->budget_s;
		r->spent_s = it->spent_s;
		r->carried_over = it->carried_over;
	}
	rc = store_agenda_save(s->st, s->meeting->id, &rows, err);
	if (rc == 0)
		for (size_t i = 0; i < n; i++)
			agenda_set_ref(s->agenda, i, rows.rows[i].id);
	store_agenda_free(&rows);
	if (rc == 0) {
		s->unsaved_s = 0;
		s->last_save = session_now(s);
	}
	return rc;
}

void
session_agenda_entries(const struct store_agenda *rows, bool carried, struct agenda_entry **out,
		       size_t *n)
{
	*out = xcalloc(rows->n + 1, sizeof(struct agenda_entry));
	*n = 0;
	for (size_t i = 0; i < rows->n; i++) {
		const struct store_agenda_row *r = &rows->rows[i];
		if (strcmp(r->kind, "postmortem") != 0 || r->carried_over != carried)
			continue;
		(*out)[(*n)++] = (struct agenda_entry){
			.id = r->pm_id, .title = r->title, .date = r->date,
			.severity_rank = r->severity_rank,
		};
	}
}

/* Rebuilds a saved agenda: the model orders a fresh agenda by its rules,
 * then every item is moved to where the facilitator had put it; with
 * states, each item then takes its saved state and clock. */
static struct agenda *
rebuild(const struct store_agenda *rows, int budget_minutes, bool states, char **err)
{
	struct agenda_input in = { .total_minutes = budget_minutes };
	struct agenda_entry *ready, *carried;
	struct agenda *a;
	bool *used = xcalloc(rows->n + 1, sizeof(bool));

	for (size_t i = 0; i < rows->n; i++)
		if (strcmp(rows->rows[i].kind, "followups") == 0)
			in.open_measures = 1;
	session_agenda_entries(rows, false, &ready, &in.n_ready);
	session_agenda_entries(rows, true, &carried, &in.n_carried);
	in.ready = ready;
	in.carried = carried;
	a = agenda_new(&in);
	free(ready);
	free(carried);
	for (size_t i = 0; i < rows->n; i++)
		if (strcmp(rows->rows[i].kind, "topic") == 0 &&
		    agenda_add_topic(a, rows->rows[i].title, NULL, err) < 0)
			goto fail;
	for (size_t i = 0; i < rows->n && i < agenda_count(a); i++) {
		const struct store_agenda_row *r = &rows->rows[i];
		size_t at = AGENDA_NONE;
		for (size_t j = 0; j < agenda_count(a); j++) {
			const struct agenda_item *it = agenda_item(a, j);
			if (used[j] || strcmp(agenda_kind_name(it->kind), r->kind) != 0)
				continue;
			if (it->pm_id != NULL ? r->pm_id != NULL && strcmp(it->pm_id, r->pm_id) == 0
					      : strcmp(it->title, r->title) == 0) {
				at = j;
				break;
			}
		}
		if (at == AGENDA_NONE) {
			err_set(err, "the saved agenda of this meeting does not match its items; "
				"item %zu (%s) is missing", i + 1, r->title);
			goto fail;
		}
		if (at != i && agenda_move(a, at, i, err) < 0)
			goto fail;
		/* the moved item now sits at i; the ones between shifted by one */
		memmove(&used[i + 1], &used[i], (at - i) * sizeof(bool));
		used[i] = true;
		agenda_set_ref(a, i, r->id);
	}
	for (size_t i = 0; states && i < rows->n && i < agenda_count(a); i++) {
		enum agenda_state state = AGENDA_PENDING;
		agenda_state_parse(rows->rows[i].state, &state);
		if (agenda_restore(a, i, state, rows->rows[i].spent_s, err) < 0)
			goto fail;
	}
	free(used);
	return a;
fail:
	free(used);
	agenda_free(a);
	return NULL;
}

struct agenda *
session_agenda_restore(const struct store_agenda *rows, int budget_minutes, char **err)
{
	return rebuild(rows, budget_minutes, true, err);
}

struct agenda *
session_agenda_plan(const struct store_agenda *rows, int budget_minutes, int floor_minutes,
		    size_t open_measures, char **err)
{
	struct agenda *a = rebuild(rows, budget_minutes, false, err);

	if (a != NULL)
		agenda_configure(a, floor_minutes, agenda_open_measures(a) > 0 ? open_measures : 0);
	return a;
}

struct agenda *
session_agenda_copy(const struct session *s, char **err)
{
	struct store_agenda rows = { 0 };
	size_t n = agenda_count(s->agenda);

	/* a copy through the same path as a restore keeps one way to rebuild */
	rows.rows = xcalloc(n + 1, sizeof(*rows.rows));
	rows.n = n;
	for (size_t i = 0; i < n; i++) {
		const struct agenda_item *it = agenda_item(s->agenda, i);
		rows.rows[i] = (struct store_agenda_row){
			.id = it->ref,
			.kind = xstrdup(agenda_kind_name(it->kind)),
			.pm_id = xstrdup_or_null(it->pm_id),
			.title = xstrdup(it->title),
			.date = xstrdup_or_null(it->date),
			.severity_rank = it->severity_rank,
			.state = xstrdup(agenda_state_name(it->state)),
			.budget_s = it->budget_s,
			.spent_s = it->spent_s,
			.carried_over = it->carried_over,
		};
	}
	struct agenda *a = session_agenda_restore(&rows, agenda_total_s(s->agenda) / 60, err);
	store_agenda_free(&rows);
	if (a != NULL)
		agenda_configure(a, s->opt.floor_minutes, agenda_open_measures(s->agenda));
	return a;
}