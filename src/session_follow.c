#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/strbuf.h"
#include "furikaeri/tracker.h"
#include "furikaeri/xalloc.h"
#include "session_private.h"

/* A read-only view following the process that holds the meeting, and the
 * news of the ticket worker. */

/* Seconds between reloads of a read-only view. */
#define RELOAD_EVERY_S 2

static void
set_notice(struct session *s, char *msg, bool error)
{
	free(s->notice);
	s->notice = msg;
	s->notice_error = error;
}

unsigned
session_follow(struct session *s, long now)
{
	char *err = NULL;
	long holder = 0;

	if (now - s->last_save < RELOAD_EVERY_S)
		return 0;
	s->last_save = now;
	/* the holder has left when its lock is free: take it to see, give it
	 * back at once, and offer to take over */
	if (!s->holder_left) {
		struct store_lock *probe = store_meeting_lock(s->st, s->week, &holder, &err);
		if (probe != NULL) {
			store_lock_free(probe);
			s->holder_left = true;
			s->question = SESSION_ASK_TAKEOVER;
			set_notice(s, xasprintf("the furikaeri that held this meeting (pid %ld) has "
						"left: take it over? y/n (or /takeover later)",
						s->holder), false);
			return SESSION_DRAW_ALL;
		}
		free(err);
		err = NULL;
		if (holder != 0)
			s->holder = holder;
	}
	if (session_load(s, &err) < 0) {
		/* keep the last view and say why */
		set_notice(s, xasprintf("cannot reload the meeting, showing it as last read: %s",
					err != NULL ? err : "unknown error"), true);
		free(err);
	}
	return SESSION_DRAW_ALL;
}

void
session_takeover(struct session *s, struct session_reply *r)
{
	char *err = NULL;
	long holder = 0;

	if (!session_read_only(s)) {
		session_reply(r, true, "this furikaeri already holds the meeting");
		return;
	}
	struct store_lock *lock = store_meeting_lock(s->st, s->week, &holder, &err);
	if (lock == NULL) {
		if (holder != 0) {
			s->holder = holder;
			s->holder_left = false;
			session_reply(r, true, "the meeting is still open in another furikaeri "
				      "(pid %ld); it can be taken over once that one leaves", holder);
		} else {
			session_reply(r, true, "cannot take the meeting over: %s",
				      err != NULL ? err : "unknown error");
		}
		free(err);
		return;
	}
	s->lock = lock;
	s->holder = 0;
	s->holder_left = false;
	if (session_load(s, &err) < 0) {
		session_reply(r, true, "took the meeting over, but cannot reload it: %s; "
			      "/quit and open it again", err != NULL ? err : "unknown error");
		free(err);
		return;
	}
	s->last_tick = s->last_save = session_now(s);
	r->redraw |= SESSION_DRAW_ALL;
	char *trouble = s->opt.on_hold != NULL ? s->opt.on_hold(s->opt.hold_ctx, s) : NULL;
	if (trouble != NULL) {
		session_reply(r, true, "this furikaeri now holds the meeting: what is typed is "
			      "recorded; it runs without the chat: %s", trouble);
		free(trouble);
		return;
	}
	session_reply(r, false, "this furikaeri now holds the meeting: what is typed is recorded");
}

/* The entry of an action's measure, for its number and title. */
static const struct store_minute *
entry_of_measure(const struct session *s, long long measure_id, int *number)
{
	*number = 0;
	for (size_t i = 0; i < s->minutes.n; i++) {
		const struct store_minute *m = &s->minutes.rows[i];
		if (strcmp(m->kind, "action") != 0)
			continue;
		(*number)++;
		if (m->measure_id == measure_id)
			return m;
	}
	return NULL;
}

/* Takes what the ticket worker did since the last look: the minutes show
 * each ticket's state, and a refusal or a filed key becomes a notice.
 * Never waits: the worker hands over what it has. */
unsigned
session_poll_worker(struct session *s)
{
	struct tracker_event *ev;
	size_t n;

	if (s->opt.worker == NULL || (ev = tracker_worker_poll(s->opt.worker, &n)) == NULL)
		return 0;
	session_load_minutes(s, NULL);
	for (size_t i = 0; i < n; i++) {
		const struct tracker_event *e = &ev[i];
		int number;
		const struct store_minute *m = entry_of_measure(s, e->measure_id, &number);
		struct strbuf what = STRBUF_INIT;
		if (m != NULL)
			strbuf_addf(&what, "action %d \"%s\"", number, m->body);
		else if (e->measure_id == 0)
			/* a postmortem filed as an issue (furikaeri new --tracker) */
			strbuf_addf(&what, "the postmortem \"%s\"", e->title ? e->title : "");
		else
			strbuf_addf(&what, "measure %lld", e->measure_id);
		if (e->kind == TRACKER_EVENT_FILED && m != NULL)
			session_chat_ticket(s, e->measure_id, e->key, e->url);
		if (e->kind == TRACKER_EVENT_FILED)
			set_notice(s, xasprintf("ticket filed: %s%s%s for %s", e->key ? e->key : "",
						e->url ? " " : "", e->url ? e->url : "",
						strbuf_str(&what)), false);
		else if (e->kind == TRACKER_EVENT_REFUSED || e->kind == TRACKER_EVENT_FAILED)
			set_notice(s, xasprintf("ticket not filed for %s: %s", strbuf_str(&what),
						e->message ? e->message : "no reason given"), true);
		else if (e->kind == TRACKER_EVENT_LATER)
			set_notice(s, xasprintf("ticket for %s will be retried: %s",
						strbuf_str(&what), e->message ? e->message : ""),
				   false);
		strbuf_release(&what);
	}
	tracker_events_free(ev, n);
	return SESSION_DRAW_MINUTES | SESSION_DRAW_STATUS | SESSION_DRAW_AGENDA;
}
