#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/chat.h"
#include "furikaeri/chat_queue.h"
#include "furikaeri/chat_text.h"
#include "furikaeri/chat_worker.h"
#include "furikaeri/export_minutes.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/tracker.h"
#include "furikaeri/xalloc.h"
#include "session_private.h"

/* The meeting in the chat channel: what the session queues for the chat
 * (thread roots, echoed entries, ticket keys, the wrap-up) and what it
 * takes from the chat worker (replies, reactions). Only the store is
 * touched here; the worker does the network. A chat that fails never
 * fails the entry: the entry is recorded first and the chat's trouble
 * becomes a notice. */

void
session_attach_chat(struct session *s, struct chat_queue *chat, struct chat_worker *worker)
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

/* The people a post names, as the chat should name them: their chat ids
 * and usernames read from the roster, freed together. */
struct people_pool {
	char **strs;
	size_t n;
};

static struct chat_text_person
person(struct session *s, struct people_pool *pool, const char *name)
{
	struct chat_text_person p = { .name = name };
	char *id = NULL, *handle = NULL, *err = NULL;

	if (name == NULL)
		return p;
	if (store_person_chat_account(s->st, name, &id, &handle, &err) < 0)
		free(err);	/* the plain name, then: a mention missed, nothing worse */
	pool->strs = xreallocarray(pool->strs, pool->n + 2, sizeof(char *));
	pool->strs[pool->n++] = id;
	pool->strs[pool->n++] = handle;
	p.chat_id = id;
	p.handle = handle;
	return p;
}

static void
people_pool_free(struct people_pool *pool)
{
	for (size_t i = 0; i < pool->n; i++)
		free(pool->strs[i]);
	free(pool->strs);
}

/* The meeting's opening post: the agenda with its budgets, who
 * facilitates, and the threads to come; queued once per meeting (the store
 * keeps it so across restarts), before the first item's thread. */
static void
open_meeting(struct session *s)
{
	struct people_pool pool = { 0 };
	size_t n = agenda_count(s->agenda);
	struct chat_opening_item *items = xcalloc(n + 1, sizeof(*items));
	char *err = NULL;
	bool queued = false;

	s->chat_opened = true;
	for (size_t i = 0; i < n; i++) {
		const struct agenda_item *it = agenda_item(s->agenda, i);

		items[i] = (struct chat_opening_item){
			.title = it->title, .minutes = (it->budget_s + 59) / 60, .if_time = it->if_time,
		};
	}
	struct chat_opening o = {
		.week = s->week,
		.facilitator = person(s, &pool, s->meeting->facilitator),
		.backup = person(s, &pool, s->meeting->backup),
		.items = items, .n_items = n,
		.total_minutes = (agenda_total_s(s->agenda) + 59) / 60,
	};
	if (chat_queue_opening(s->chat, s->meeting->id, &o, &queued, &err) < 0)
		chat_trouble(s, "the meeting's opening post", err);
	free(items);
	people_pool_free(&pool);
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
	if (!s->chat_opened)
		open_meeting(s);
	s->chat_item = ref;
	chat_worker_set_item(s->chat_worker, ref);
	if (ref == 0)
		return;
	char *text = root_text(s, agenda_item(s->agenda, cur));
	if (chat_queue_item(s->chat, s->meeting->id, ref, text, &err) < 0)
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

/* A reaction that carries no authority is answered, to its author alone,
 * with who can agree or file: once per person, item and kind (the store
 * keeps it so), never in the channel. */
static void
tell_no_authority(struct session *s, const struct chat_event *e, const struct store_minute *m,
		  int number)
{
	const char *f = s->meeting->facilitator, *b = s->meeting->backup;
	bool ticket = e->kind == CHAT_EVENT_TICKET;
	struct strbuf sb = STRBUF_INIT;
	char *err = NULL;
	bool queued = false;

	if (e->user_id == NULL || m->item_id == 0)
		return;
	strbuf_adds(&sb, "Only the facilitator");
	if (f != NULL)
		strbuf_addf(&sb, " (%s)", f);
	if (b != NULL)
		strbuf_addf(&sb, " or the backup (%s)", b);
	strbuf_addf(&sb, " can %s from the chat: your :%s: on action %d changes nothing. Ask %s "
		    "in this thread.", ticket ? "file an action's ticket" : "agree an action",
		    e->text != NULL ? e->text : "", number, f != NULL ? f : "them");
	if (chat_queue_tell(s->chat, s->meeting->id, m->item_id, e->user_id, ticket ? "ticket" : "agree",
		      strbuf_str(&sb), &queued, &err) < 0)
		chat_trouble(s, "the reply to a reaction", err);
	else if (queued)
		kick(s);
	strbuf_release(&sb);
}

/* A ticket asked for from the chat with no tracker set up here waits in
 * the outbox; the thread is told so, once per action. */
static void
tell_no_tracker(struct session *s, long long minute_id)
{
	char *err = NULL, *key, *text;
	bool queued = false;
	int number;
	const struct store_minute *m = minute_by_id(s, minute_id, &number);

	if (tracker_default_name(s->opt.cfg) != NULL || m == NULL || m->item_id == 0 ||
	    m->ticket != NULL)
		return;
	key = xasprintf("no-tracker:%lld", m->id);
	text = xasprintf("Action %d \"%s\" is queued for a ticket, but no tracker is set up here: "
			 "it is filed when [tracker] default and a token are set and furikaeri "
			 "tickets push runs.", number, m->body);
	if (chat_queue_notice(s->chat, s->meeting->id, m->item_id, key, text, &queued, &err) < 0)
		chat_trouble(s, "the note that no tracker is set up", err);
	else if (queued)
		kick(s);
	free(key);
	free(text);
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
		if (m == NULL || number == 0)
			continue;
		if (!leads_meeting(s, e)) {
			tell_no_authority(s, e, m, number);
			continue;
		}
		struct session_reply r = { 0 };
		session_agree(s, number, e->kind == CHAT_EVENT_TICKET, &r);
		/* the minutes were loaded again: m is gone */
		if (e->kind == CHAT_EVENT_TICKET && !r.error)
			tell_no_tracker(s, e->minute_id);
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
	int rc = edited ? chat_queue_edit(s->chat, s->meeting->id, m->id, m->kind, text, m->author,
					  &err)
			: chat_queue_entry(s->chat, s->meeting->id, m->item_id, m->id, m->kind, text,
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
	if (chat_queue_ticket(s->chat, measure_id, key, url, &queued, &err) < 0)
		chat_trouble(s, "the ticket's key", err);
	else if (queued)
		kick(s);
}

/* Where the minutes are for everyone in the channel: [minutes] url joined
 * with the week's Markdown file (the folder holds YYYY-Www.md, as export
 * writes it), or nothing: a path on this machine means nothing there. */
static char *
minutes_link(const struct session *s)
{
	const char *url = s->opt.cfg->minutes_url;
	size_t n;

	if (url == NULL || url[0] == '\0')
		return NULL;
	n = strlen(url);
	return xasprintf("%s%s%s.md", url, url[n - 1] == '/' ? "" : "/", s->week);
}

void
session_chat_wrapup(struct session *s)
{
	struct session_wrapup w = { 0 };
	struct people_pool pool = { 0 };
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
			.title = m->body, .owner = person(s, &pool, m->owner), .due = m->due,
			.ticket = m->ticket, .url = m->ticket_url,
		};
	}
	for (size_t i = 0; i < w.n_carried; i++)
		carried[i] = agenda_item(s->agenda, w.carried[i])->title;
	const char *next_f = NULL, *next_b = NULL;
	session_next_proposal(s, &next_f, &next_b);
	char *link = minutes_link(s);
	struct chat_wrapup cw = {
		.week = s->week,
		.decisions = decisions, .n_decisions = w.n_decisions,
		.actions = actions, .n_actions = n_actions,
		.carried = carried, .n_carried = w.n_carried,
		.next_facilitator = person(s, &pool, next_f),
		.next_backup = person(s, &pool, next_b),
		.minutes_url = link,
	};
	if (chat_queue_wrapup(s->chat, s->meeting->id, &cw, &err) < 0)
		chat_trouble(s, "the wrap-up", err);
	else
		kick(s);
	free(link);
	free(decisions);
	free(actions);
	free(carried);
	people_pool_free(&pool);
	session_wrapup_free(&w);
}
