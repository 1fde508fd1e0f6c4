#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/chat.h"
#include "furikaeri/chat_text.h"
#include "furikaeri/chat_worker.h"
#include "furikaeri/export_minutes.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"
#include "session_private.h"

/* The meeting in the chat channel: what the session queues for the chat
 * (thread roots, echoed entries, ticket keys, the wrap-up) and what it
 * takes from the chat worker (replies, reactions). Only the store is
 * touched here; the worker does the network. A chat that fails never
 * fails the entry: the entry is recorded first and the chat's trouble
 * becomes a notice. */

void
session_attach_chat(struct session *s, struct chat *chat, struct chat_worker *worker)
{
	s->chat = chat;
	s->chat_worker = worker;
	s->chat_item = 0;
}

long long
session_meeting_id(const struct session *s)
{
	return s->meeting != NULL ? s->meeting->id : 0;
}

bool
session_chat_status(const struct session *s, char *buf, size_t size)
{
	if (s->chat_worker == NULL) {
		if (size > 0)
			buf[0] = '\0';
		return false;
	}
	chat_worker_status(s->chat_worker, buf, size);
	return true;
}

static void
chat_trouble(struct session *s, const char *what, char *err)
{
	free(s->notice);
	s->notice = xasprintf("chat: %s not queued (the minutes have it): %s", what,
			      err != NULL ? err : "unknown error");
	s->notice_error = true;
	free(err);
}

static void
kick(struct session *s)
{
	if (s->chat_worker != NULL)
		chat_worker_kick(s->chat_worker);
}

/* The thread root of a postmortem item: the postmortem as the screen has
 * it, the measures with their tickets, and the question. */
static char *
root_text(struct session *s, const struct agenda_item *it)
{
	int step;
	const char *prompt = session_prompt(s, &step);

	if (it->kind == AGENDA_FOLLOWUPS) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "Follow-ups: %zu measures still open from earlier weeks",
			    s->followups.n);
		for (size_t i = 0; i < s->followups.n; i++) {
			const struct store_measure_row *m = &s->followups.rows[i];
			strbuf_addf(&sb, "\n• %s", m->title);
			if (m->owner != NULL)
				strbuf_addf(&sb, " @%s", m->owner);
			if (m->due != NULL)
				strbuf_addf(&sb, " due %s", m->due);
			if (m->ticket != NULL)
				strbuf_addf(&sb, " %s", m->ticket);
		}
		strbuf_adds(&sb, "\nReply in this thread: what happened to each?");
		return strbuf_detach(&sb);
	}
	if (it->kind == AGENDA_WRAPUP)
		return xasprintf("Wrap-up of %s: decisions and measures are read back; the "
				 "summary follows in the channel.", s->week);
	if (it->kind != AGENDA_POSTMORTEM || s->pm == NULL) {
		char *t = xasprintf("Topic: %s", it->title);
		return t;
	}
	const struct postmortem *pm = s->pm;
	const struct section *summary = postmortem_section(pm, SECTION_SUMMARY);
	const struct section *impact = postmortem_section(pm, SECTION_IMPACT);
	struct chat_root_measure *ms = xcalloc(pm->n_measures + 1, sizeof(*ms));
	for (size_t i = 0; i < pm->n_measures; i++) {
		ms[i].title = pm->measures[i].title;
		ms[i].ticket = pm->measures[i].ticket;
		ms[i].state = pm->measures[i].status == MEASURE_DONE ? "done"
			      : pm->measures[i].status == MEASURE_NOT_DOING ? "not doing" : "open";
	}
	struct chat_root r = {
		.pm_id = pm->id != NULL ? pm->id : it->pm_id,
		.title = pm->title != NULL ? pm->title : it->title,
		.severity = pm->severity,
		.date = pm->date,
		.summary = summary != NULL ? summary->text : NULL,
		.impact = impact != NULL ? impact->text : NULL,
		.question = prompt,
		.measures = ms,
		.n_measures = pm->n_measures,
	};
	char *link = export_minutes_web_link(s->opt.cfg, pm->source);
	r.link = link;
	char *text = chat_text_root(&r);
	free(link);
	free(ms);
	return text;
}

/* Posts the root of the item that is open now, once per item. */
static void
follow_item(struct session *s)
{
	size_t cur = agenda_current(s->agenda);
	long long ref = cur != AGENDA_NONE ? agenda_item(s->agenda, cur)->ref : 0;
	char *err = NULL;

	if (ref == s->chat_item || s->phase == SESSION_CONFIRM)
		return;
	s->chat_item = ref;
	chat_worker_set_item(s->chat_worker, ref);
	if (ref == 0)
		return;
	char *text = root_text(s, agenda_item(s->agenda, cur));
	if (chat_open_item(s->chat, s->meeting->id, ref, text, &err) < 0)
		chat_trouble(s, "the item's thread", err);
	free(text);
	kick(s);
}

void
session_chat_follow(struct session *s)
{
	if (s->chat != NULL && s->chat_worker != NULL && !session_read_only(s) &&
	    s->phase == SESSION_RUNNING)
		follow_item(s);
}

static const struct store_minute *
minute_by_id(const struct session *s, long long id, int *number)
{
	*number = 0;
	for (size_t i = 0; i < s->minutes.n; i++)
		if (s->minutes.rows[i].id == id) {
			*number = session_action_number(s, i);
			return &s->minutes.rows[i];
		}
	return NULL;
}

/* Whether name's chat id on the roster is user; *unknown is set when name
 * has none, so nobody can act for them from the chat. */
static bool
is_account(struct session *s, const char *name, const char *user, bool *unknown)
{
	char *id = NULL, *err = NULL;
	bool same;

	if (name == NULL)
		return false;
	if (store_person_chat_id(s->st, name, &id, &err) < 0)
		free(err);
	if (id == NULL)
		*unknown = true;
	same = id != NULL && user != NULL && strcmp(id, user) == 0;
	free(id);
	return same;
}

/* Authority in the channel goes by chat account: the reactor's user id
 * must be the roster's chat id of the facilitator or the backup. A display
 * name is anyone's to choose, so it decides nothing. */
static bool
leads_meeting(struct session *s, const struct chat_event *e)
{
	bool unknown = false;

	if (is_account(s, s->meeting->facilitator, e->user_id, &unknown) ||
	    is_account(s, s->meeting->backup, e->user_id, &unknown))
		return true;
	if (unknown) {
		free(s->notice);
		s->notice = xasprintf("chat: a reaction by %s agrees or files nothing: the "
				      "facilitator or backup has no chat id on the roster ('furikaeri "
				      "roster set NAME --chat ID' or 'roster sync')",
				      e->author ? e->author : "someone");
		s->notice_error = true;
	}
	return false;
}

/* Whoever speaks in the thread attends the meeting, as /attend would
 * record them. */
static unsigned
attends(struct session *s, const char *who)
{
	char *err = NULL;

	if (who == NULL || who[0] == '\0')
		return 0;
	for (size_t i = 0; i < s->n_attendees; i++)
		if (strcmp(s->attendees[i], who) == 0)
			return 0;
	if (session_attend(s, who, &err) < 0) {
		free(err);	/* the entry is kept; only the attendance is missing */
		return 0;
	}
	return SESSION_DRAW_AGENDA;
}

static unsigned
take_events(struct session *s)
{
	struct chat_events ev = { 0 };
	unsigned redraw = 0;

	chat_worker_events(s->chat_worker, &ev);
	if (ev.n == 0) {
		chat_events_free(&ev);
		return 0;
	}
	session_load_minutes(s, NULL);
	redraw |= SESSION_DRAW_MINUTES | SESSION_DRAW_STATUS;
	for (size_t i = 0; i < ev.n; i++) {
		const struct chat_event *e = &ev.rows[i];
		int number;
		const struct store_minute *m = minute_by_id(s, e->minute_id, &number);
		if (e->kind == CHAT_EVENT_REPLY)
			redraw |= attends(s, e->author);
		if (e->kind != CHAT_EVENT_AGREE && e->kind != CHAT_EVENT_TICKET)
			continue;
		if (m == NULL || number == 0 || !leads_meeting(s, e))
			continue;
		struct session_reply r = { 0 };
		session_agree(s, number, e->kind == CHAT_EVENT_TICKET, &r);
		if (r.message != NULL) {
			free(s->notice);
			s->notice = xasprintf("%s (by %s in the chat)", r.message, e->author);
			s->notice_error = r.error;
		}
		redraw |= r.redraw;
		session_reply_clear(&r);
	}
	if (s->notice == NULL) {
		const struct chat_event *e = &ev.rows[ev.n - 1];
		if (e->kind == CHAT_EVENT_REPLY)
			s->notice = xasprintf("chat: %s: %s", e->author ? e->author : "someone",
					      e->text ? e->text : "");
		s->notice_error = false;
	}
	chat_events_free(&ev);
	return redraw;
}

/* The header has room for the start of a refusal only: the first time
 * the chat refuses for a reason, the whole reason becomes a notice. */
static void
tell_refusal(struct session *s)
{
	char buf[sizeof(s->chat_refusal)];

	if (chat_worker_status(s->chat_worker, buf, sizeof(buf)) != CHAT_REFUSED) {
		s->chat_refusal[0] = '\0';
		return;
	}
	if (strcmp(buf, s->chat_refusal) == 0)
		return;
	memcpy(s->chat_refusal, buf, sizeof(buf));
	free(s->notice);
	s->notice = xasprintf("chat %s; the meeting goes on here, and posts wait", buf);
	s->notice_error = true;
}

bool
session_chat_retry(struct session *s)
{
	if (s->chat_worker == NULL)
		return false;
	s->chat_refusal[0] = '\0';	/* a refusal again is told again */
	chat_worker_retry(s->chat_worker);
	return true;
}

unsigned
session_chat_tick(struct session *s)
{
	if (s->chat == NULL || s->chat_worker == NULL || session_read_only(s))
		return 0;
	if (s->phase == SESSION_RUNNING)
		follow_item(s);
	unsigned redraw = take_events(s) | SESSION_DRAW_STATUS;
	tell_refusal(s);
	return redraw;
}

static char *
entry_text(const struct store_minute *m)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, m->body);
	if (m->owner != NULL)
		strbuf_addf(&sb, " @%s", m->owner);
	if (m->due != NULL)
		strbuf_addf(&sb, " due:%s", m->due);
	return strbuf_detach(&sb);
}

void
session_chat_entry(struct session *s, long long minute_id, bool edited)
{
	int number;
	const struct store_minute *m;
	char *err = NULL;
	bool queued = false;

	if (s->chat == NULL || (m = minute_by_id(s, minute_id, &number)) == NULL)
		return;
	follow_item(s);
	char *text = entry_text(m);
	int rc = edited ? chat_edit_entry(s->chat, s->meeting->id, m->id, m->kind, text, m->author,
					  &err)
			: chat_post_entry(s->chat, s->meeting->id, m->item_id, m->id, m->kind, text,
					  m->author, &queued, &err);
	free(text);
	if (rc < 0)
		chat_trouble(s, "the entry", err);
	else
		kick(s);
}

void
session_chat_ticket(struct session *s, long long measure_id, const char *key, const char *url)
{
	char *err = NULL;
	bool queued;

	if (s->chat == NULL || measure_id == 0 || key == NULL)
		return;
	if (chat_post_ticket(s->chat, measure_id, key, url, &queued, &err) < 0)
		chat_trouble(s, "the ticket's key", err);
	else if (queued)
		kick(s);
}

void
session_chat_wrapup(struct session *s)
{
	struct session_wrapup w = { 0 };
	char *err = NULL;

	if (s->chat == NULL)
		return;
	session_wrapup(s, &w);
	const char **decisions = xcalloc(w.n_decisions + 1, sizeof(char *));
	struct chat_wrapup_action *actions = xcalloc(w.n_actions + 1, sizeof(*actions));
	const char **carried = xcalloc(w.n_carried + 1, sizeof(char *));
	for (size_t i = 0; i < w.n_decisions; i++)
		decisions[i] = s->minutes.rows[w.decisions[i]].body;
	size_t n_actions = 0;
	for (size_t i = 0; i < w.n_actions; i++) {
		const struct store_minute *m = &s->minutes.rows[w.actions[i]];
		if (!m->agreed)
			continue;
		actions[n_actions++] = (struct chat_wrapup_action){
			.title = m->body, .owner = m->owner, .due = m->due, .ticket = m->ticket,
			.url = m->ticket_url,
		};
	}
	for (size_t i = 0; i < w.n_carried; i++)
		carried[i] = agenda_item(s->agenda, w.carried[i])->title;
	const char *next_f = NULL, *next_b = NULL;
	session_next_proposal(s, &next_f, &next_b);
	char *folder = export_minutes_folder(s->opt.cfg, NULL);
	struct chat_wrapup cw = {
		.week = s->week,
		.decisions = decisions, .n_decisions = w.n_decisions,
		.actions = actions, .n_actions = n_actions,
		.carried = carried, .n_carried = w.n_carried,
		.next_facilitator = next_f, .next_backup = next_b,
		.minutes = folder,
	};
	char *text = chat_text_wrapup(&cw);
	if (chat_wrapup(s->chat, s->meeting->id, text, &err) < 0)
		chat_trouble(s, "the wrap-up", err);
	else
		kick(s);
	free(text);
	free(folder);
	free(decisions);
	free(actions);
	free(carried);
	session_wrapup_free(&w);
}
