#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "furikaeri/date.h"
#include "furikaeri/err.h"
#include "furikaeri/postmortem.h"
#include "furikaeri/store_outbox.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"
#include "session_private.h"

/* Opening and freeing a meeting, what the UI reads of it, the replies, and
 * the clock. */

/* Seconds between saves of the clocks while an item runs. */
#define SAVE_EVERY_S 10

static long
monotonic_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec;
}

long
session_now(const struct session *s)
{
	return s->opt.now != NULL ? s->opt.now() : monotonic_now();
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
	if (session_load(s, err) < 0)
		goto fail;
	s->last_tick = s->last_save = session_now(s);
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
		session_agenda_save(s, NULL);
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
	session_find_clear(s);
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

bool
session_proposed_new(const struct session *s)
{
	return s->phase == SESSION_CONFIRM && s->proposed_new;
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

bool
session_followup_overdue(const struct session *s, const struct store_measure_row *m)
{
	return date_overdue(m->due, m->status, s->opt.today);
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

/* Whether the minute's measure has a ticket in state (the word the store
 * gave, or what imported minutes recorded). */
static bool
ticket_is(const struct store_minute *m, enum deliver_state state)
{
	enum deliver_state got;

	return store_outbox_state_word_parse(m->ticket_state, &got) && got == state;
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
		if (ticket_is(m, DELIVER_DELIVERED))
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

enum session_action_state
session_action_state(const struct session *s, const struct store_minute *m)
{
	if (ticket_is(m, DELIVER_DELIVERED))
		return SESSION_ACTION_FILED;
	if (ticket_is(m, DELIVER_FAILED))
		return SESSION_ACTION_FAILED;
	/* queued with nobody here to file it (no tracker, or no token): it
	 * waits for `furikaeri tickets push`, and must not look as if it went */
	if (ticket_is(m, DELIVER_QUEUED) && s->opt.worker == NULL)
		return SESSION_ACTION_WAITING;
	if (m->ticket_state != NULL)
		return SESSION_ACTION_FILING;
	return m->agreed ? SESSION_ACTION_AGREED : SESSION_ACTION_PROPOSED;
}

const char *
session_action_state_name(enum session_action_state state)
{
	static const char *const names[] = {
		[SESSION_ACTION_PROPOSED] = "proposed",
		[SESSION_ACTION_AGREED] = "agreed \xE2\x9C\x93",
		[SESSION_ACTION_FILING] = "filing\xE2\x80\xA6",
		[SESSION_ACTION_WAITING] = "queued: no tracker",
		[SESSION_ACTION_FILED] = "filed",
		[SESSION_ACTION_FAILED] = "ticket failed",
	};

	return names[state];
}

static void
push_index(size_t **v, size_t *n, size_t i)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = i;
}

void
session_wrapup(const struct session *s, struct session_wrapup *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < s->minutes.n; i++) {
		const struct store_minute *m = &s->minutes.rows[i];
		if (m->deleted)
			continue;
		if (strcmp(m->kind, "decision") == 0)
			push_index(&out->decisions, &out->n_decisions, i);
		else if (strcmp(m->kind, "action") == 0)
			push_index(&out->actions, &out->n_actions, i);
	}
	for (size_t i = 0; i < agenda_count(s->agenda); i++)
		if (agenda_item(s->agenda, i)->state == AGENDA_CARRIED)
			push_index(&out->carried, &out->n_carried, i);
}

void
session_wrapup_free(struct session_wrapup *w)
{
	free(w->decisions);
	free(w->actions);
	free(w->carried);
	memset(w, 0, sizeof(*w));
}

void
session_reply_clear(struct session_reply *r)
{
	free(r->message);
	free(r->edit_text);
	memset(r, 0, sizeof(*r));
}

void
session_reply(struct session_reply *r, bool error, const char *fmt, ...)
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

void
session_reply_store_error(struct session_reply *r, char *err)
{
	session_reply(r, true, "not saved (the line is kept; Enter tries again): %s",
		      err != NULL ? err : "unknown error");
	r->keep_line = true;
	free(err);
}

unsigned
session_tick(struct session *s)
{
	long now = session_now(s);
	long delta = now - s->last_tick;
	size_t cur = agenda_current(s->agenda);

	if (delta <= 0)
		return 0;
	s->last_tick = now;
	if (session_read_only(s))
		return session_follow(s, now);
	unsigned redraw = session_poll_worker(s) | session_chat_tick(s);
	if (s->phase != SESSION_RUNNING || cur == AGENDA_NONE)
		return redraw;
	int before, after;
	session_prompt(s, &before);
	agenda_add_time(s->agenda, cur, (int)delta, NULL);
	session_prompt(s, &after);
	s->unsaved_s += (int)delta;
	if (now - s->last_save >= SAVE_EVERY_S)
		session_agenda_save(s, NULL);
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
