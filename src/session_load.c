#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/err.h"
#include "furikaeri/xalloc.h"
#include "session_private.h"

/* Loading a meeting from the store, creating it (agenda built from the
 * store, facilitator proposed from the rotation) the first time. */

int
session_load_people(struct session *s, char **err)
{
	struct store_history hist = { 0 };

	s->proposed_facilitator = s->proposed_backup = NULL;
	store_people_free(&s->people);
	free(s->names);
	s->names = NULL;
	roster_free(s->roster);
	s->roster = roster_new();
	if (store_people_list(s->st, &s->people, err) < 0 ||
	    store_history_list(s->st, NULL, &hist, err) < 0)
		return -1;
	s->names = xcalloc(s->people.n + 1, sizeof(char *));
	for (size_t i = 0; i < s->people.n; i++) {
		const struct store_person *p = &s->people.people[i];
		s->names[i] = p->name;
		roster_add(s->roster, p->name, p->role, p->away_until, NULL);
	}
	for (size_t i = 0; i < hist.n; i++)
		if (hist.rows[i].facilitator != NULL)
			roster_record(s->roster, hist.rows[i].week, hist.rows[i].facilitator,
				      hist.rows[i].backup, NULL);
	store_history_free(&hist);
	roster_propose(s->roster, s->week, &s->proposed_facilitator, &s->proposed_backup, NULL);
	/* a new team's first meeting: nobody on the roster yet, so the person
	 * at the keyboard is proposed, and joins the roster on confirmation */
	s->proposed_new = false;
	if (s->proposed_facilitator == NULL && s->opt.login != NULL && s->opt.login[0] != '\0') {
		s->proposed_facilitator = s->opt.login;
		s->proposed_new = true;
	}
	return 0;
}

void
session_load_postmortem(struct session *s)
{
	size_t cur = agenda_current(s->agenda);
	const struct agenda_item *it = cur != AGENDA_NONE ? agenda_item(s->agenda, cur) : NULL;

	if (s->pm != NULL && it != NULL && it->pm_id != NULL && strcmp(s->pm->id, it->pm_id) == 0)
		return;
	postmortem_free(s->pm);
	s->pm = NULL;
	if (it != NULL && it->pm_id != NULL)
		s->pm = store_postmortem_get(s->st, it->pm_id, NULL);
}

static int
load_followups(struct session *s, const char *monday, const char *since, char **err)
{
	struct store_measure_filter f = {
		.open_only = true, .agreed_only = true, .before = monday, .pm_before = since,
		.pm_days = s->opt.cfg != NULL ? s->opt.cfg->followup_days : 0,
	};

	store_measures_free(&s->followups);
	return store_measures_list(s->st, &f, &s->followups, err);
}

int
session_load_minutes(struct session *s, char **err)
{
	struct store_minutes fresh;

	if (store_minutes_load(s->st, s->meeting->id, &fresh, err) < 0)
		return -1;
	store_minutes_free(&s->minutes);
	s->minutes = fresh;
	return 0;
}

int
session_attend(struct session *s, const char *name, char **err)
{
	if (store_attendee_add(s->st, s->meeting->id, name, err) < 0)
		return -1;
	return session_load_attendees(s, err);
}

int
session_load_attendees(struct session *s, char **err)
{
	char **names;
	size_t n;

	if (store_attendee_list(s->st, s->meeting->id, &names, &n, err) < 0)
		return -1;
	for (size_t i = 0; i < s->n_attendees; i++)
		free(s->attendees[i]);
	free(s->attendees);
	s->attendees = names;
	s->n_attendees = n;
	return 0;
}

/* The days this meeting looks back on: postmortems since the previous
 * meeting's Monday (or a few weeks before the first meeting), and this
 * week's Monday. */
static int
window(struct session *s, char since[WEEK_DATE_STRLEN], char monday[WEEK_DATE_STRLEN],
       char **err)
{
	struct store_meeting *prev = store_meeting_before(s->st, s->week, err);

	if (prev == NULL && err != NULL && *err != NULL)
		return -1;
	week_window(s->week, prev != NULL ? prev->week : NULL, since, monday);
	store_meeting_free(prev);
	return 0;
}

static int
create_meeting(struct session *s, char **err)
{
	struct store_agenda_input input;
	struct agenda_input in = { .total_minutes = s->opt.budget_minutes,
				   .floor_minutes = s->opt.floor_minutes };
	struct agenda_entry *ready = NULL, *carried = NULL;
	char since[WEEK_DATE_STRLEN], monday[WEEK_DATE_STRLEN];
	long long id;

	if (window(s, since, monday, err) < 0)
		return -1;
	if (store_agenda_input(s->st, s->week, since, &input, err) < 0 ||
	    load_followups(s, monday, since, err) < 0)
		return -1;
	in.open_measures = s->followups.n;
	session_agenda_entries(&input.ready, false, &ready, &in.n_ready);
	session_agenda_entries(&input.carried, true, &carried, &in.n_carried);
	in.ready = ready;
	in.carried = carried;
	s->agenda = agenda_new(&in);
	/* a carried topic comes back as a topic */
	for (size_t i = 0; i < input.carried.n; i++)
		if (strcmp(input.carried.rows[i].kind, "topic") == 0)
			agenda_add_topic(s->agenda, input.carried.rows[i].title, NULL, NULL);
	free(ready);
	free(carried);
	store_agenda_input_free(&input);

	if (store_begin(s->st, err) < 0)
		return -1;
	if (store_meeting_create(s->st, s->week, agenda_total_s(s->agenda) / 60, &id, err) < 0)
		goto fail;
	s->meeting = store_meeting_get(s->st, s->week, err);
	if (s->meeting == NULL || session_agenda_save(s, err) < 0)
		goto fail;
	return store_commit(s->st, err);
fail:
	store_rollback(s->st);
	return -1;
}

/* Loads (or the first time creates) the meeting. On failure the session
 * keeps what it had, so that a read-only view that cannot reload goes on
 * showing its last view. */
int
session_load(struct session *s, char **err)
{
	struct store_agenda rows;
	struct store_meeting *m = store_meeting_get(s->st, s->week, err);
	bool created = false;

	if (m == NULL) {
		if (err != NULL && *err != NULL)
			return -1;
		if (s->meeting != NULL) {
			err_set(err, "the %s meeting is no longer in the database", s->week);
			return -1;
		}
		if (s->lock == NULL) {
			err_set(err, "the %s meeting is being opened by another furikaeri (pid %ld) "
				"and is not saved yet; try again in a moment", s->week, s->holder);
			return -1;
		}
		if (create_meeting(s, err) < 0)
			return -1;
		created = true;
	} else {
		if (store_agenda_load(s->st, m->id, &rows, err) < 0) {
			store_meeting_free(m);
			return -1;
		}
		struct agenda *a = session_agenda_restore(&rows, m->budget_minutes, err);
		store_agenda_free(&rows);
		if (a == NULL) {
			store_meeting_free(m);
			return -1;
		}
		agenda_free(s->agenda);
		s->agenda = a;
		store_meeting_free(s->meeting);
		s->meeting = m;
	}
	if (s->meeting->ended_at != NULL)
		s->phase = SESSION_ENDED;
	else if (s->meeting->facilitator == NULL)
		s->phase = SESSION_CONFIRM;
	else
		s->phase = SESSION_RUNNING;
	char since[WEEK_DATE_STRLEN], monday[WEEK_DATE_STRLEN];
	/* a meeting just created loaded its follow-ups for the same window
	 * (the meeting before it did not change): the measures are the
	 * largest query of the first frame, read once */
	if ((!created && window(s, since, monday, err) < 0) || session_load_people(s, err) < 0 ||
	    session_load_minutes(s, err) < 0 || session_load_attendees(s, err) < 0 ||
	    (!created && load_followups(s, monday, since, err) < 0))
		return -1;
	/* a saved agenda was rebuilt before its follow-ups were counted */
	agenda_configure(s->agenda, s->opt.floor_minutes,
			 agenda_open_measures(s->agenda) > 0 ? s->followups.n : 0);
	session_load_postmortem(s);
	return 0;
}
