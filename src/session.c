#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "furikaeri/blameless.h"
#include "furikaeri/command.h"
#include "furikaeri/err.h"
#include "furikaeri/export_minutes.h"
#include "furikaeri/roster.h"
#include "furikaeri/session.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/tracker.h"
#include "furikaeri/week.h"
#include "furikaeri/xalloc.h"

/* Seconds between saves of the clocks while an item runs. */
#define SAVE_EVERY_S 10
/* Seconds between reloads of a read-only view. */
#define RELOAD_EVERY_S 2
/* Weeks looked back for postmortems before the very first meeting. */
#define FIRST_MEETING_WEEKS 4

struct session {
	struct store *st;
	struct store_lock *lock;
	long holder;
	struct session_options opt;
	char week[WEEK_STRLEN];
	struct store_meeting *meeting;
	enum session_phase phase;
	struct agenda *agenda;
	struct store_minutes minutes;
	char **attendees;
	size_t n_attendees;
	struct store_people people;
	const char **names;	/* people's names, for completion and hints */
	struct roster *roster;
	const char *proposed_facilitator;	/* borrowed from roster */
	const char *proposed_backup;
	struct postmortem *pm;	/* the current item's */
	struct store_measures followups;	/* open measures from before this week */
	long last_tick;
	long last_save;
	int unsaved_s;
	char *notice;		/* from the ticket worker, for the status line */
	bool notice_error;
};

static long
monotonic_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec;
}

static long
now_s(const struct session *s)
{
	return s->opt.now != NULL ? s->opt.now() : monotonic_now();
}

static const char *const state_names[] = {
	[AGENDA_PENDING] = "pending",
	[AGENDA_CURRENT] = "current",
	[AGENDA_DONE] = "done",
	[AGENDA_SKIPPED] = "skipped",
	[AGENDA_CARRIED] = "carried",
};

static const char *const kind_names[] = {
	[AGENDA_FOLLOWUPS] = "followups",
	[AGENDA_POSTMORTEM] = "postmortem",
	[AGENDA_TOPIC] = "topic",
	[AGENDA_WRAPUP] = "wrapup",
};

/* Writes the whole agenda (order, states, budgets, clocks) in one go. */
static int
save_agenda(struct session *s, char **err)
{
	size_t n = agenda_count(s->agenda);
	struct store_agenda rows = { .rows = xcalloc(n, sizeof(struct store_agenda_row)), .n = n };
	int rc;

	for (size_t i = 0; i < n; i++) {
		const struct agenda_item *it = agenda_item(s->agenda, i);
		struct store_agenda_row *r = &rows.rows[i];
		r->id = it->ref;
		r->kind = xstrdup(kind_names[it->kind]);
		r->pm_id = xstrdup_or_null(it->pm_id);
		r->title = xstrdup(it->title);
		r->state = xstrdup(state_names[it->state]);
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
		s->last_save = now_s(s);
	}
	return rc;
}

static void
entries_from_rows(const struct store_agenda *rows, bool carried, struct agenda_entry **out,
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
 * then every item is moved to where the facilitator had put it. */
static struct agenda *
restore_agenda(const struct store_agenda *rows, int budget_minutes, char **err)
{
	struct agenda_input in = { .total_minutes = budget_minutes };
	struct agenda_entry *ready, *carried;
	struct agenda *a;
	bool *used = xcalloc(rows->n + 1, sizeof(bool));

	for (size_t i = 0; i < rows->n; i++)
		if (strcmp(rows->rows[i].kind, "followups") == 0)
			in.open_measures = 1;
	entries_from_rows(rows, false, &ready, &in.n_ready);
	entries_from_rows(rows, true, &carried, &in.n_carried);
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
			if (used[j] || strcmp(kind_names[it->kind], r->kind) != 0)
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
	for (size_t i = 0; i < rows->n && i < agenda_count(a); i++) {
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

static int
load_people(struct session *s, char **err)
{
	struct store_history hist = { 0 };

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
	return 0;
}

static void
load_postmortem(struct session *s)
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

static int
load_minutes(struct session *s, char **err)
{
	struct store_minutes fresh;

	if (store_minutes_load(s->st, s->meeting->id, &fresh, err) < 0)
		return -1;
	store_minutes_free(&s->minutes);
	s->minutes = fresh;
	return 0;
}

static int
load_attendees(struct session *s, char **err)
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
	struct week w, from;

	if (prev == NULL && err != NULL && *err != NULL)
		return -1;
	week_parse(s->week, &w);
	from = w;
	if (prev != NULL)
		week_parse(prev->week, &from);
	else
		for (int i = 0; i < FIRST_MEETING_WEEKS; i++)
			from = week_prev(from);
	store_meeting_free(prev);
	week_date_format(week_monday(from), since);
	week_date_format(week_monday(w), monday);
	return 0;
}

static int
create_meeting(struct session *s, char **err)
{
	struct store_agenda_input input;
	struct agenda_input in = { .total_minutes = s->opt.budget_minutes };
	struct agenda_entry *ready = NULL, *carried = NULL;
	char since[WEEK_DATE_STRLEN], monday[WEEK_DATE_STRLEN];
	long long id;

	if (window(s, since, monday, err) < 0)
		return -1;
	if (store_agenda_input(s->st, s->week, since, &input, err) < 0 ||
	    load_followups(s, monday, since, err) < 0)
		return -1;
	in.open_measures = s->followups.n;
	entries_from_rows(&input.ready, false, &ready, &in.n_ready);
	entries_from_rows(&input.carried, true, &carried, &in.n_carried);
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
	if (s->meeting == NULL || save_agenda(s, err) < 0)
		goto fail;
	return store_commit(s->st, err);
fail:
	store_rollback(s->st);
	return -1;
}

static int
load(struct session *s, char **err)
{
	struct store_agenda rows;

	store_meeting_free(s->meeting);
	s->meeting = store_meeting_get(s->st, s->week, err);
	if (s->meeting == NULL) {
		if (err != NULL && *err != NULL)
			return -1;
		if (s->lock == NULL) {
			err_set(err, "the %s meeting is being opened by another furikaeri (pid %ld) "
				"and is not saved yet; try again in a moment", s->week, s->holder);
			return -1;
		}
		if (create_meeting(s, err) < 0)
			return -1;
	} else {
		if (store_agenda_load(s->st, s->meeting->id, &rows, err) < 0)
			return -1;
		struct agenda *a = restore_agenda(&rows, s->meeting->budget_minutes, err);
		store_agenda_free(&rows);
		if (a == NULL)
			return -1;
		agenda_free(s->agenda);
		s->agenda = a;
	}
	if (s->meeting->ended_at != NULL)
		s->phase = SESSION_ENDED;
	else if (s->meeting->facilitator == NULL)
		s->phase = SESSION_CONFIRM;
	else
		s->phase = SESSION_RUNNING;
	char since[WEEK_DATE_STRLEN], monday[WEEK_DATE_STRLEN];
	if (window(s, since, monday, err) < 0 || load_people(s, err) < 0 ||
	    load_minutes(s, err) < 0 || load_attendees(s, err) < 0 ||
	    load_followups(s, monday, since, err) < 0)
		return -1;
	roster_propose(s->roster, s->week, &s->proposed_facilitator, &s->proposed_backup, NULL);
	load_postmortem(s);
	return 0;
}

struct session *
session_open(struct store *st, const struct session_options *opt, char **err)
{
	struct session *s = xcalloc(1, sizeof(*s));
	struct week w;

	s->st = st;
	s->opt = *opt;
	if (!week_parse(opt->week, &w)) {
		err_set(err, "'%s' is not an ISO week; write it as YYYY-Www, e.g. 2026-W49", opt->week);
		goto fail;
	}
	week_format(w, s->week);
	s->opt.week = s->week;
	s->lock = store_meeting_lock(st, s->week, &s->holder, err);
	if (s->lock == NULL && s->holder == 0)
		goto fail;
	if (load(s, err) < 0)
		goto fail;
	s->last_tick = s->last_save = now_s(s);
	return s;
fail:
	session_free(s);
	return NULL;
}

void
session_free(struct session *s)
{
	if (s == NULL)
		return;
	if (s->lock != NULL && s->agenda != NULL && s->meeting != NULL && s->unsaved_s > 0)
		save_agenda(s, NULL);
	store_lock_free(s->lock);
	store_meeting_free(s->meeting);
	agenda_free(s->agenda);
	store_minutes_free(&s->minutes);
	for (size_t i = 0; i < s->n_attendees; i++)
		free(s->attendees[i]);
	free(s->attendees);
	store_people_free(&s->people);
	free(s->names);
	roster_free(s->roster);
	postmortem_free(s->pm);
	store_measures_free(&s->followups);
	free(s->notice);
	free(s);
}

bool
session_read_only(const struct session *s)
{
	return s->lock == NULL;
}

long
session_lock_holder(const struct session *s)
{
	return s->lock == NULL ? s->holder : 0;
}

enum session_phase
session_phase(const struct session *s)
{
	return s->phase;
}

const char *
session_week(const struct session *s)
{
	return s->week;
}

const char *
session_facilitator(const struct session *s)
{
	return s->phase == SESSION_CONFIRM ? s->proposed_facilitator : s->meeting->facilitator;
}

const char *
session_backup(const struct session *s)
{
	return s->phase == SESSION_CONFIRM ? s->proposed_backup : s->meeting->backup;
}

void
session_next_proposal(struct session *s, const char **facilitator, const char **backup)
{
	struct week w;
	char next[WEEK_STRLEN];

	week_parse(s->week, &w);
	week_format(week_next(w), next);
	*facilitator = *backup = NULL;
	roster_propose(s->roster, next, facilitator, backup, NULL);
}

const struct agenda *
session_agenda(const struct session *s)
{
	return s->agenda;
}

const struct store_minutes *
session_minutes(const struct session *s)
{
	return &s->minutes;
}

int
session_action_number(const struct session *s, size_t entry)
{
	int n = 0;

	if (entry >= s->minutes.n || strcmp(s->minutes.rows[entry].kind, "action") != 0)
		return 0;
	for (size_t i = 0; i <= entry; i++)
		if (strcmp(s->minutes.rows[i].kind, "action") == 0)
			n++;
	return n;
}

const struct postmortem *
session_postmortem(const struct session *s)
{
	return s->pm;
}

const struct store_measures *
session_followups(const struct session *s)
{
	return &s->followups;
}

char *const *
session_attendees(const struct session *s, size_t *n)
{
	*n = s->n_attendees;
	return s->attendees;
}

const char *const *
session_people(const struct session *s, size_t *n)
{
	*n = s->people.n;
	return s->names;
}

size_t
session_ticket_counts(const struct session *s, size_t *queued, size_t *filed)
{
	size_t actions = 0;

	*queued = *filed = 0;
	for (size_t i = 0; i < s->minutes.n; i++) {
		const struct store_minute *m = &s->minutes.rows[i];
		if (strcmp(m->kind, "action") != 0 || m->deleted)
			continue;
		actions++;
		if (m->ticket_state == NULL)
			continue;
		if (strcmp(m->ticket_state, "filed") == 0)
			(*filed)++;
		else
			(*queued)++;
	}
	return actions;
}

static const char *const prompts[] = {
	"What happened, and what was the impact?",
	"What in the system allowed it to happen?",
	"How could we have detected it sooner?",
	"What mechanism would prevent it: a test, automation, detection, recovery?",
	"Who owns that measure, and by when?",
};

const char *
session_prompt(const struct session *s, int *step)
{
	size_t cur = agenda_current(s->agenda);
	const struct agenda_item *it = cur != AGENDA_NONE ? agenda_item(s->agenda, cur) : NULL;
	int n = (int)(sizeof(prompts) / sizeof(prompts[0]));

	*step = 0;
	if (it == NULL || it->kind == AGENDA_WRAPUP)
		return "Anything to add before we close? Who facilitates next week?";
	if (it->kind == AGENDA_FOLLOWUPS)
		return "Which open measures are stuck, and what would unblock them?";
	/* the steps follow the item's clock, one fifth of the budget each */
	int i = it->budget_s > 0 ? it->spent_s * n / it->budget_s : 0;
	if (i >= n)
		i = n - 1;
	*step = i + 1;
	return prompts[i];
}

int
session_item_spent(const struct session *s)
{
	size_t cur = agenda_current(s->agenda);

	return cur != AGENDA_NONE ? agenda_item(s->agenda, cur)->spent_s : 0;
}

int
session_meeting_spent(const struct session *s)
{
	return agenda_spent_s(s->agenda);
}

void
session_reply_clear(struct session_reply *r)
{
	free(r->message);
	free(r->edit_text);
	memset(r, 0, sizeof(*r));
}

static void
reply(struct session_reply *r, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
reply(struct session_reply *r, bool error, const char *fmt, ...)
{
	va_list ap;
	struct strbuf sb = STRBUF_INIT;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	free(r->message);
	r->message = strbuf_detach(&sb);
	r->error = error;
	r->redraw |= SESSION_DRAW_STATUS;
}

/* Reports a failed store write: nothing changed, the input stays. */
static void
reply_store_error(struct session_reply *r, char *err)
{
	reply(r, true, "not saved (the line is kept; Enter tries again): %s",
	      err != NULL ? err : "unknown error");
	free(err);
}

/* Finds an entry by its number (seq); NULL when none. */
static struct store_minute *
entry_by_seq(struct session *s, long seq)
{
	for (size_t i = 0; i < s->minutes.n; i++)
		if (s->minutes.rows[i].seq == seq)
			return &s->minutes.rows[i];
	return NULL;
}

static struct store_minute *
action_by_number(struct session *s, long n)
{
	for (size_t i = 0; i < s->minutes.n; i++)
		if (session_action_number(s, i) == n)
			return &s->minutes.rows[i];
	return NULL;
}

static long long
current_ref(const struct session *s)
{
	size_t cur = agenda_current(s->agenda);

	return cur != AGENDA_NONE ? agenda_item(s->agenda, cur)->ref : 0;
}

static void
check_wording(struct session *s, const char *text, struct session_reply *r)
{
	if (s->opt.hints == NULL)
		return;
	r->hint = blameless_check(s->opt.hints, text, s->names, s->people.n);
}

static void
add_entry(struct session *s, const char *kind, const char *body, const char *owner,
	  const char *due, struct session_reply *r)
{
	struct store_minute m = {
		.item_id = current_ref(s),
		.kind = (char *)kind,
		.body = (char *)body,
		.owner = (char *)owner,
		.due = (char *)due,
	};
	char *err = NULL;

	if (store_minute_add(s->st, s->meeting->id, &m, &err) < 0) {
		reply_store_error(r, err);
		return;
	}
	free(m.created_at);
	check_wording(s, body, r);
	if (load_minutes(s, &err) < 0)
		reply_store_error(r, err);
	r->redraw |= SESSION_DRAW_MINUTES | SESSION_DRAW_STATUS;
	if (strcmp(kind, "action") == 0)
		reply(r, false, "action %d recorded; /agree %d when the room agrees",
		      session_action_number(s, s->minutes.n - 1),
		      session_action_number(s, s->minutes.n - 1));
}

static bool
save_or_report(struct session *s, struct session_reply *r)
{
	char *err = NULL;

	if (save_agenda(s, &err) < 0) {
		reply_store_error(r, err);
		return false;
	}
	r->redraw |= SESSION_DRAW_AGENDA | SESSION_DRAW_ITEM | SESSION_DRAW_MINUTES |
		     SESSION_DRAW_STATUS;
	return true;
}

/* Agenda changes are tried on a copy first so that a failed save leaves
 * the meeting exactly as it was on screen and on disk. */
static void
agenda_changed(struct session *s, struct agenda *before, struct session_reply *r)
{
	if (save_or_report(s, r)) {
		agenda_free(before);
		load_postmortem(s);
		return;
	}
	agenda_free(s->agenda);
	s->agenda = before;
}

static struct agenda *
agenda_copy(const struct session *s, char **err)
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
			.kind = xstrdup(kind_names[it->kind]),
			.pm_id = xstrdup_or_null(it->pm_id),
			.title = xstrdup(it->title),
			.date = xstrdup_or_null(it->date),
			.severity_rank = it->severity_rank,
			.state = xstrdup(state_names[it->state]),
			.budget_s = it->budget_s,
			.spent_s = it->spent_s,
			.carried_over = it->carried_over,
		};
	}
	struct agenda *a = restore_agenda(&rows, agenda_total_s(s->agenda) / 60, err);
	store_agenda_free(&rows);
	return a;
}

static void
confirm(struct session *s, const char *facilitator, const char *backup,
	struct session_reply *r)
{
	char *err = NULL;

	if (facilitator == NULL) {
		reply(r, true, "nobody is on the roster to facilitate; add people with "
		      "'furikaeri roster add NAME', or name one: /facilitator NAME");
		return;
	}
	if (store_begin(s->st, &err) < 0 ||
	    store_meeting_set_people(s->st, s->meeting->id, facilitator, backup, &err) < 0) {
		store_rollback(s->st);
		reply_store_error(r, err);
		return;
	}
	/* facilitator or backup may be the very strings replaced here
	 * (/backup NAME after the meeting started) */
	char *f = xstrdup(facilitator), *b = xstrdup_or_null(backup);
	free(s->meeting->facilitator);
	free(s->meeting->backup);
	s->meeting->facilitator = f;
	s->meeting->backup = b;
	facilitator = f;
	backup = b;
	if (s->phase == SESSION_CONFIRM && agenda_current(s->agenda) == AGENDA_NONE)
		agenda_next(s->agenda);
	if (save_agenda(s, &err) < 0)
		store_rollback(s->st);
	else if (store_commit(s->st, &err) == 0)
		err = NULL;
	if (err != NULL) {
		free(s->meeting->facilitator);
		s->meeting->facilitator = NULL;
		reply_store_error(r, err);
		return;
	}
	s->phase = SESSION_RUNNING;
	s->last_tick = now_s(s);
	/* the rotation now counts this week's choice */
	roster_record(s->roster, s->week, facilitator, backup, NULL);
	load_postmortem(s);
	r->redraw |= SESSION_DRAW_ALL;
	reply(r, false, "%s facilitates %s%s%s", facilitator, s->week,
	      backup != NULL ? ", backup " : "", backup != NULL ? backup : "");
}

static void
set_role(struct session *s, bool backup, const char *name, struct session_reply *r)
{
	if (s->phase == SESSION_CONFIRM) {
		if (backup) {
			/* the proposal is kept in the session until confirmed */
			s->proposed_backup = NULL;
			for (size_t i = 0; i < s->people.n; i++)
				if (strcmp(s->names[i], name) == 0)
					s->proposed_backup = s->names[i];
			if (s->proposed_backup == NULL) {
				reply(r, true, "%s is not on the roster; add them with "
				      "'furikaeri roster add'", name);
				return;
			}
			r->redraw |= SESSION_DRAW_STATUS;
			reply(r, false, "backup: %s; press Enter to confirm the facilitator", name);
			return;
		}
		confirm(s, name, s->proposed_backup != NULL && strcmp(s->proposed_backup, name) != 0
				 ? s->proposed_backup : NULL, r);
		return;
	}
	confirm(s, backup ? s->meeting->facilitator : name,
		backup ? name : s->meeting->backup, r);
}

static void session_export(struct session *s, struct session_reply *r);

static void
end_meeting(struct session *s, struct session_reply *r)
{
	char *err = NULL;

	if (store_meeting_set_ended(s->st, s->meeting->id, true, &err) < 0) {
		reply_store_error(r, err);
		return;
	}
	free(s->meeting->ended_at);
	s->meeting->ended_at = xstrdup("ended");
	s->phase = SESSION_ENDED;
	r->redraw |= SESSION_DRAW_ALL;
	/* the minutes go out at wrap-up, for everyone who could not come */
	session_export(s, r);
	char *what = r->message;
	r->message = NULL;
	reply(r, r->error, "the meeting is over; %s; /quit to leave (everything is saved)", what);
	free(what);
}

static void
edit_entry(struct session *s, int seq, const char *text, struct session_reply *r)
{
	struct store_minute *m = entry_by_seq(s, seq);
	struct command_result parsed = { 0 };
	char *err = NULL;

	if (m == NULL) {
		reply(r, true, "there is no entry %d", seq);
		return;
	}
	if (m->deleted) {
		reply(r, true, "entry %d is deleted", seq);
		return;
	}
	char *old_body = m->body, *old_owner = m->owner, *old_due = m->due;
	if (strcmp(m->kind, "action") == 0) {
		char *line = xasprintf("/action %s", text);
		int rc = command_parse(line, &parsed, &err);
		free(line);
		if (rc < 0) {
			reply(r, true, "%s", err);
			free(err);
			return;
		}
		m->body = parsed.text != NULL ? parsed.text : xstrdup("");
		m->owner = parsed.owner != NULL ? parsed.owner : old_owner;
		m->due = parsed.due != NULL ? parsed.due : old_due;
	} else {
		m->body = xstrdup(text);
	}
	int rc = store_minute_edit(s->st, m, &err);
	char *new_body = m->body;
	m->body = old_body;
	m->owner = old_owner;
	m->due = old_due;
	if (strcmp(m->kind, "action") == 0) {
		parsed.text = NULL;
		command_result_clear(&parsed);
	}
	if (rc < 0) {
		if (parsed.owner != NULL)
			free(parsed.owner);
		free(new_body);
		reply_store_error(r, err);
		return;
	}
	check_wording(s, new_body, r);
	free(new_body);
	if (load_minutes(s, &err) < 0)
		reply_store_error(r, err);
	r->redraw |= SESSION_DRAW_MINUTES;
	reply(r, false, "entry %d edited", seq);
}

static char *
entry_as_input(const struct store_minute *m)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, m->body);
	if (m->owner != NULL)
		strbuf_addf(&sb, " @%s", m->owner);
	if (m->due != NULL)
		strbuf_addf(&sb, " due:%s", m->due);
	return strbuf_detach(&sb);
}

static void
run_agenda(struct session *s, const struct command_result *c, struct session_reply *r)
{
	char *err = NULL;
	struct agenda *before = agenda_copy(s, &err);
	size_t cur = agenda_current(s->agenda);
	int rc = 0;

	if (before == NULL) {
		reply_store_error(r, err);
		return;
	}
	switch (c->def->id) {
	case COMMAND_NEXT:
		if (cur != AGENDA_NONE && agenda_item(s->agenda, cur)->kind == AGENDA_WRAPUP) {
			agenda_free(before);
			end_meeting(s, r);
			return;
		}
		if (agenda_next(s->agenda) == AGENDA_NONE) {
			reply(r, true, "this is the last item");
			agenda_free(before);
			return;
		}
		break;
	case COMMAND_PREV:
		if (agenda_prev(s->agenda) == AGENDA_NONE) {
			reply(r, true, "this is the first item");
			agenda_free(before);
			return;
		}
		break;
	case COMMAND_SKIP:
	case COMMAND_CARRY:
		if (cur == AGENDA_NONE) {
			rc = -1;
			err_set(&err, "no item is open");
			break;
		}
		rc = c->def->id == COMMAND_SKIP ? agenda_skip(s->agenda, cur, &err)
						: agenda_carry(s->agenda, cur, &err);
		if (rc == 0)
			agenda_next(s->agenda);
		break;
	case COMMAND_UNSKIP:
		rc = agenda_unskip(s->agenda, (size_t)c->number - 1, &err);
		break;
	case COMMAND_TOPIC:
		rc = agenda_add_topic(s->agenda, c->text, NULL, &err);
		break;
	case COMMAND_MOVE:
	case COMMAND_UP:
	case COMMAND_DOWN:
		if (cur == AGENDA_NONE) {
			rc = -1;
			err_set(&err, "no item is open");
		} else if (c->def->id == COMMAND_MOVE) {
			rc = agenda_move(s->agenda, cur, (size_t)c->number - 1, &err);
		} else if (c->def->id == COMMAND_UP) {
			rc = agenda_move_up(s->agenda, cur, &err);
		} else {
			rc = agenda_move_down(s->agenda, cur, &err);
		}
		break;
	default:
		break;
	}
	if (rc < 0) {
		agenda_free(s->agenda);
		s->agenda = before;
		reply(r, true, "%s", err);
		free(err);
		return;
	}
	agenda_changed(s, before, r);
	if (r->error)
		return;
	switch (c->def->id) {
	case COMMAND_SKIP:
		reply(r, false, "item %zu skipped; /unskip %zu puts it back", cur + 1, cur + 1);
		break;
	case COMMAND_CARRY:
		reply(r, false, "item %zu carried over to next week", cur + 1);
		break;
	case COMMAND_UNSKIP:
		reply(r, false, "item %ld is back on the agenda", c->number);
		break;
	case COMMAND_TOPIC:
		reply(r, false, "topic added before the wrap-up");
		break;
	case COMMAND_MOVE:
	case COMMAND_UP:
	case COMMAND_DOWN:
		reply(r, false, "item moved to position %zu", agenda_current(s->agenda) + 1);
		break;
	default:
		break;
	}
}

/* 1 when the measure already has a ticket (*msg names it). */
static int
session_queue_ticket(struct session *s, long long measure_id, char **msg, char **err)
{
	int rc = tracker_queue(s->st, s->opt.cfg, measure_id, NULL, msg, err);

	if (rc == 0 && s->opt.worker != NULL)
		tracker_worker_kick(s->opt.worker);
	return rc;
}

static void
session_export(struct session *s, struct session_reply *r)
{
	char **written = NULL, *folder, *err = NULL;
	size_t n = 0;

	folder = export_minutes_folder(s->opt.cfg, &err);
	if (folder == NULL || export_minutes_files_for(s->opt.cfg, s->st, s->week, folder, &written, &n,
								 &err) < 0) {
		reply(r, true, "export failed: %s", err != NULL ? err : "unknown error");
		free(err);
		free(folder);
		return;
	}
	reply(r, false, "minutes written to %s", n > 0 ? written[0] : folder);
	for (size_t i = 0; i < n; i++)
		free(written[i]);
	free(written);
	free(folder);
}

static bool
allowed_before_confirm(enum command_id id)
{
	return id == COMMAND_FACILITATOR || id == COMMAND_BACKUP || id == COMMAND_ATTEND ||
	       id == COMMAND_HELP || id == COMMAND_QUIT;
}

static void
run_command(struct session *s, const struct command_result *c, struct session_reply *r)
{
	char *err = NULL, *queued = NULL;
	struct store_minute *m;

	switch (c->def->id) {
	case COMMAND_HELP:
		r->help = true;
		return;
	case COMMAND_QUIT:
		r->quit = true;
		return;
	case COMMAND_EDITOR:
		r->editor = true;
		return;
	case COMMAND_QUESTION:
		add_entry(s, "question", c->text, NULL, NULL, r);
		return;
	case COMMAND_DECIDE:
		add_entry(s, "decision", c->text, NULL, NULL, r);
		return;
	case COMMAND_ACTION:
		add_entry(s, "action", c->text, c->owner, c->due, r);
		return;
	case COMMAND_LINK: {
		char *body = c->text != NULL ? xasprintf("%s %s", c->url, c->text) : xstrdup(c->url);
		add_entry(s, "link", body, NULL, NULL, r);
		free(body);
		return;
	}
	case COMMAND_AGREE:
	case COMMAND_TICKET:
		m = action_by_number(s, c->number);
		if (m == NULL || m->deleted) {
			reply(r, true, "there is no action %ld; actions are numbered as shown in "
			      "the minutes", c->number);
			return;
		}
		if (store_measure_agree(s->st, m->measure_id, &err) < 0) {
			reply_store_error(r, err);
			return;
		}
		if (c->def->id == COMMAND_TICKET) {
			int q = session_queue_ticket(s, m->measure_id, &queued, &err);

			if (q < 0) {
				reply_store_error(r, err);
				load_minutes(s, NULL);
				return;
			}
			if (q == 1) {
				/* not an error: nothing to retype */
				reply(r, false, "action %ld %s", c->number, queued);
				free(queued);
				load_minutes(s, NULL);
				return;
			}
		}
		if (load_minutes(s, &err) < 0) {
			reply_store_error(r, err);
			free(queued);
			return;
		}
		r->redraw |= SESSION_DRAW_MINUTES | SESSION_DRAW_STATUS;
		m = action_by_number(s, c->number);
		if (c->def->id == COMMAND_TICKET)
			reply(r, false, "action %ld %s", c->number, strcmp(queued, "queued") != 0
			      ? queued : "queued for filing");
		else if (m->owner == NULL || m->due == NULL)
			reply(r, false, "action %ld agreed; it has no %s yet: /edit %d to add it",
			      c->number, m->owner == NULL ? "@owner" : "due:YYYY-MM-DD", m->seq);
		else
			reply(r, false, "action %ld agreed: @%s due %s; /ticket %ld files it",
			      c->number, m->owner, m->due, c->number);
		free(queued);
		return;
	case COMMAND_EDIT:
		m = entry_by_seq(s, c->number);
		if (m == NULL || m->deleted) {
			reply(r, true, "there is no entry %ld to edit", c->number);
			return;
		}
		if (c->text != NULL) {
			edit_entry(s, (int)c->number, c->text, r);
			return;
		}
		r->edit_text = entry_as_input(m);
		r->edit_seq = m->seq;
		reply(r, false, "editing entry %d: Enter saves, Esc cancels", m->seq);
		return;
	case COMMAND_DELETE:
		m = entry_by_seq(s, c->number);
		if (m == NULL || m->deleted) {
			reply(r, true, "there is no entry %ld to delete", c->number);
			return;
		}
		if (store_minute_delete(s->st, m->id, &err) < 0 || load_minutes(s, &err) < 0) {
			reply_store_error(r, err);
			return;
		}
		r->redraw |= SESSION_DRAW_MINUTES;
		reply(r, false, "entry %ld deleted (kept struck out in the minutes)", c->number);
		return;
	case COMMAND_ATTEND:
		if (store_attendee_add(s->st, s->meeting->id, c->text, &err) < 0 ||
		    load_attendees(s, &err) < 0) {
			reply_store_error(r, err);
			return;
		}
		r->redraw |= SESSION_DRAW_AGENDA | SESSION_DRAW_STATUS;
		reply(r, false, "%s is attending", c->text);
		return;
	case COMMAND_FACILITATOR:
	case COMMAND_BACKUP:
		set_role(s, c->def->id == COMMAND_BACKUP, c->text, r);
		return;
	case COMMAND_EXPORT:
		session_export(s, r);
		return;
	default:
		run_agenda(s, c, r);
		return;
	}
}

void
session_input(struct session *s, const char *line, int edit_seq, struct session_reply *r)
{
	struct command_result c = { 0 };
	char *err = NULL;

	memset(r, 0, sizeof(*r));
	if (edit_seq > 0) {
		if (session_read_only(s)) {
			reply(r, true, "read-only: this meeting is open in another furikaeri "
			      "(pid %ld)", s->holder);
			return;
		}
		edit_entry(s, edit_seq, line, r);
		return;
	}
	if (command_parse(line, &c, &err) < 0) {
		reply(r, true, "%s", err);
		free(err);
		return;
	}
	if (c.kind == COMMAND_EMPTY) {
		if (s->phase == SESSION_CONFIRM && !session_read_only(s))
			confirm(s, s->proposed_facilitator, s->proposed_backup, r);
		command_result_clear(&c);
		return;
	}
	bool passive = c.kind == COMMAND_RUN &&
		       (c.def->id == COMMAND_HELP || c.def->id == COMMAND_QUIT);
	if (session_read_only(s) && !passive) {
		reply(r, true, "read-only: this meeting is open in another furikaeri (pid %ld); "
		      "nothing typed here is recorded", s->holder);
	} else if (s->phase == SESSION_CONFIRM &&
		   (c.kind == COMMAND_NOTE || !allowed_before_confirm(c.def->id))) {
		reply(r, true, "first confirm the facilitator: Enter confirms %s, or "
		      "/facilitator NAME", s->proposed_facilitator != NULL
		      ? s->proposed_facilitator : "(nobody proposed)");
	} else if (c.kind == COMMAND_NOTE) {
		add_entry(s, "note", c.text, NULL, NULL, r);
	} else {
		run_command(s, &c, r);
	}
	command_result_clear(&c);
}

/* Takes what the ticket worker did since the last look: the minutes show
 * each ticket's state, and a refusal or a filed key becomes a notice. */
static unsigned
poll_worker(struct session *s)
{
	struct tracker_event *ev;
	size_t n;

	if (s->opt.worker == NULL || (ev = tracker_worker_poll(s->opt.worker, &n)) == NULL)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const struct tracker_event *e = &ev[i];
		char *msg = NULL;
		bool error = false;
		if (e->kind == TRACKER_EVENT_FILED)
			msg = xasprintf("ticket filed: %s%s%s", e->key ? e->key : "",
					e->url ? " " : "", e->url ? e->url : "");
		else if (e->kind == TRACKER_EVENT_REFUSED || e->kind == TRACKER_EVENT_FAILED)
			msg = xasprintf("ticket not filed: %s", e->message ? e->message : "unknown"),
			error = true;
		else if (e->kind == TRACKER_EVENT_LATER)
			msg = xasprintf("ticket will be retried: %s", e->message ? e->message : "");
		if (msg != NULL) {
			free(s->notice);
			s->notice = msg;
			s->notice_error = error;
		}
	}
	tracker_events_free(ev, n);
	load_minutes(s, NULL);
	return SESSION_DRAW_MINUTES | SESSION_DRAW_STATUS;
}

unsigned
session_tick(struct session *s)
{
	long now = now_s(s);
	long delta = now - s->last_tick;
	size_t cur = agenda_current(s->agenda);

	if (delta <= 0)
		return 0;
	s->last_tick = now;
	if (session_read_only(s)) {
		/* follow what the process holding the meeting records */
		if (now - s->last_save < RELOAD_EVERY_S)
			return 0;
		s->last_save = now;
		load(s, NULL);
		return SESSION_DRAW_ALL;
	}
	unsigned redraw = poll_worker(s);
	if (s->phase != SESSION_RUNNING || cur == AGENDA_NONE)
		return redraw;
	int before, after;
	session_prompt(s, &before);
	agenda_add_time(s->agenda, cur, (int)delta, NULL);
	session_prompt(s, &after);
	s->unsaved_s += (int)delta;
	if (now - s->last_save >= SAVE_EVERY_S)
		save_agenda(s, NULL);
	/* the clocks move every second; the item only when its prompt does */
	return redraw | SESSION_DRAW_STATUS | (before != after ? SESSION_DRAW_ITEM : 0);
}

char *
session_take_notice(struct session *s, bool *error)
{
	char *n = s->notice;

	*error = s->notice_error;
	s->notice = NULL;
	return n;
}
