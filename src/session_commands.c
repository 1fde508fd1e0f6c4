#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/blameless.h"
#include "furikaeri/err.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/tracker.h"
#include "furikaeri/xalloc.h"
#include "session_private.h"

/* The input states (confirming, editing, a question, ended) and one
 * handler per command, in a table keyed by command id. */

typedef void command_fn(struct session *s, const struct command_result *c,
			struct session_reply *r);

/* When a command may run besides a running meeting. */
#define WHEN_CONFIRM 0x1	/* before the facilitator is confirmed, without confirming */
#define WHEN_ENDED 0x2		/* after the end */
#define WHEN_READ_ONLY 0x4	/* in a read-only view */
#define WHEN_ALWAYS (WHEN_CONFIRM | WHEN_ENDED | WHEN_READ_ONLY)

struct store_minute *
session_entry_by_seq(struct session *s, long seq)
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

/* The agenda number (from 1) of the item with this ref, or 0. */
static size_t
item_number(const struct session *s, long long ref)
{
	for (size_t i = 0; i < agenda_count(s->agenda); i++)
		if (agenda_item(s->agenda, i)->ref == ref)
			return i + 1;
	return 0;
}

static void
check_wording(struct session *s, const char *text, struct session_reply *r)
{
	if (s->opt.hints == NULL)
		return;
	/* people are the roster and the config's [people]; nobody else */
	size_t n = s->people.n;
	const char **names = xcalloc(n + (s->opt.cfg != NULL ? s->opt.cfg->n_people : 0) + 1,
				     sizeof(char *));
	memcpy(names, s->names, n * sizeof(char *));
	for (size_t i = 0; s->opt.cfg != NULL && i < s->opt.cfg->n_people; i++)
		names[n++] = s->opt.cfg->people[i].name;
	r->hint = blameless_check(s->opt.hints, text, names, n);
	free(names);
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
		/* terminal entries are the facilitator's, unless /as says whose */
		.author = (char *)(s->as_author != NULL ? s->as_author : s->meeting->facilitator),
	};
	char *err = NULL;

	if (store_minute_add(s->st, s->meeting->id, &m, &err) < 0) {
		session_reply_store_error(r, err);
		return;
	}
	free(m.created_at);
	check_wording(s, body, r);
	if (session_load_minutes(s, &err) < 0)
		session_reply_store_error(r, err);
	else	/* recorded first: the chat only ever gets a copy */
		session_chat_entry(s, m.id, false);
	r->redraw |= SESSION_DRAW_MINUTES | SESSION_DRAW_STATUS;
	if (strcmp(kind, "action") == 0)
		session_reply(r, false, "action %d recorded; /agree %d when the room agrees",
			      session_action_number(s, s->minutes.n - 1),
			      session_action_number(s, s->minutes.n - 1));
}

/* Agenda changes are tried on a copy first so that a failed save leaves
 * the meeting exactly as it was on screen and on disk. */
static void
agenda_changed(struct session *s, struct agenda *before, struct session_reply *r)
{
	char *err = NULL;
	size_t was = agenda_current(before);

	if (session_agenda_save(s, &err) < 0) {
		session_reply_store_error(r, err);
		agenda_free(s->agenda);
		s->agenda = before;
		return;
	}
	r->redraw |= SESSION_DRAW_ALL;
	agenda_free(before);
	if (agenda_current(s->agenda) != was)
		r->item_changed = true;
	session_load_postmortem(s);
}

static void
confirm(struct session *s, const char *facilitator, const char *backup,
	struct session_reply *r)
{
	char *err = NULL;
	bool add = s->proposed_new && s->proposed_facilitator != NULL &&
		   strcmp(facilitator != NULL ? facilitator : "", s->proposed_facilitator) == 0;

	if (facilitator == NULL) {
		session_reply(r, true, "nobody is on the roster to facilitate; name one: "
			      "/facilitator NAME (or 'furikaeri roster add NAME')");
		return;
	}
	if (store_begin(s->st, &err) < 0 ||
	    (add && store_person_add(s->st, facilitator, NULL, &err) < 0) ||
	    store_meeting_set_people(s->st, s->meeting->id, facilitator, backup, &err) < 0) {
		store_rollback(s->st);
		session_reply_store_error(r, err);
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
	bool first = s->phase == SESSION_CONFIRM && agenda_current(s->agenda) == AGENDA_NONE;
	if (first)
		agenda_next(s->agenda);
	if (session_agenda_save(s, &err) < 0)
		store_rollback(s->st);
	else if (store_commit(s->st, &err) == 0)
		err = NULL;
	if (err != NULL) {
		free(s->meeting->facilitator);
		s->meeting->facilitator = NULL;
		session_reply_store_error(r, err);
		return;
	}
	s->phase = SESSION_RUNNING;
	s->last_tick = session_now(s);
	if (add)
		session_load_people(s, NULL);
	else	/* the rotation now counts this week's choice */
		roster_record(s->roster, s->week, facilitator, backup, NULL);
	session_load_postmortem(s);
	r->redraw |= SESSION_DRAW_ALL;
	r->item_changed |= first;
	session_reply(r, false, "%s facilitates %s%s%s%s", facilitator, s->week,
		      backup != NULL ? ", backup " : "", backup != NULL ? backup : "",
		      add ? "; added to the roster (furikaeri roster lists it)" : "");
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
				session_reply(r, true, "%s is not on the roster; add them with "
					      "'furikaeri roster add'", name);
				return;
			}
			r->redraw |= SESSION_DRAW_STATUS;
			session_reply(r, false, "backup: %s; press Enter to confirm the facilitator",
				      name);
			return;
		}
		s->proposed_new = false;
		confirm(s, name, s->proposed_backup != NULL && strcmp(s->proposed_backup, name) != 0
				 ? s->proposed_backup : NULL, r);
		return;
	}
	confirm(s, backup ? s->meeting->facilitator : name,
		backup ? name : s->meeting->backup, r);
}

/* Whether agenda item i has an entry of its own (one not deleted). */
static bool
item_discussed(const struct session *s, size_t i)
{
	long long ref;

	if (i >= agenda_count(s->agenda))
		return false;
	ref = agenda_item(s->agenda, i)->ref;
	for (size_t k = 0; ref != 0 && k < s->minutes.n; k++)
		if (s->minutes.rows[k].item_id == ref && !s->minutes.rows[k].deleted)
			return true;
	return false;
}

static void
end_meeting(struct session *s, struct session_reply *r)
{
	char *err = NULL;

	if (store_meeting_set_ended(s->st, s->meeting->id, true, &err) < 0) {
		session_reply_store_error(r, err);
		return;
	}
	/* what was not discussed goes to next week, unless dropped */
	bool *discussed = xcalloc(agenda_count(s->agenda) + 1, sizeof(bool));
	for (size_t i = 0; i < agenda_count(s->agenda); i++)
		discussed[i] = item_discussed(s, i);
	if (agenda_carry_undiscussed(s->agenda, discussed) > 0)
		session_agenda_save(s, NULL);
	free(discussed);
	free(s->meeting->ended_at);
	s->meeting->ended_at = xstrdup("ended");
	s->phase = SESSION_ENDED;
	s->editing = 0;
	r->redraw |= SESSION_DRAW_ALL;
	session_export(s, r);
	session_chat_wrapup(s);
	char *what = r->message;
	r->message = NULL;
	session_reply(r, r->error, "the meeting is over; %s; /quit to leave, /reopen to add "
		      "more (everything is saved)", what);
	free(what);
}

static void
edit_entry(struct session *s, int seq, const char *text, struct session_reply *r)
{
	struct store_minute *m = session_entry_by_seq(s, seq);
	struct command_result parsed = { 0 };
	char *err = NULL;

	if (m == NULL) {
		session_reply(r, true, "there is no entry %d", seq);
		return;
	}
	if (m->deleted) {
		session_reply(r, true, "entry %d is deleted; /undelete %d brings it back", seq, seq);
		return;
	}
	char *old_body = m->body, *old_owner = m->owner, *old_due = m->due;
	if (strcmp(m->kind, "action") == 0) {
		char *line = xasprintf("/action %s", text);
		int rc = command_parse(line, &parsed, &err);
		free(line);
		if (rc < 0) {
			session_reply(r, true, "%s", err);
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
		free(new_body);
		session_reply_store_error(r, err);
		return;
	}
	check_wording(s, new_body, r);
	free(new_body);
	long long minute_id = m->id;
	if (session_load_minutes(s, &err) < 0)
		session_reply_store_error(r, err);
	else
		session_chat_entry(s, minute_id, true);
	r->redraw |= SESSION_DRAW_MINUTES;
	session_reply(r, false, "entry %d edited", seq);
}

/* An entry as it is typed again: a note starting with a slash gets the
 * "//" that keeps it a note. */
static char *
entry_as_input(const struct store_minute *m)
{
	struct strbuf sb = STRBUF_INIT;

	if (m->body[0] == '/')
		strbuf_addc(&sb, '/');
	strbuf_adds(&sb, m->body);
	if (m->owner != NULL)
		strbuf_addf(&sb, " @%s", m->owner);
	if (m->due != NULL)
		strbuf_addf(&sb, " due:%s", m->due);
	return strbuf_detach(&sb);
}

static void
start_edit(struct session *s, struct store_minute *m, struct session_reply *r, const char *how)
{
	s->editing = m->seq;
	s->editing_item = m->item_id;
	r->edit_text = entry_as_input(m);
	r->redraw |= SESSION_DRAW_MINUTES;
	session_reply(r, false, "editing entry %d%s: Enter saves it, Esc cancels", m->seq, how);
}

int
session_editing(const struct session *s)
{
	return s->editing;
}

void
session_edit_cancel(struct session *s)
{
	s->editing = 0;
}

void
session_edit_newest(struct session *s, struct session_reply *r)
{
	long long ref = current_ref(s);

	memset(r, 0, sizeof(*r));
	if (session_read_only(s) || s->phase != SESSION_RUNNING) {
		session_reply(r, true, "there is no entry to edit now");
		return;
	}
	for (size_t i = s->minutes.n; i > 0; i--) {
		struct store_minute *m = &s->minutes.rows[i - 1];
		if (!m->deleted && m->item_id == ref) {
			start_edit(s, m, r, " (the newest of this item)");
			return;
		}
	}
	session_reply(r, true, "this item has no entry to edit yet; type one first");
}

void
session_go(struct session *s, size_t i, struct session_reply *r)
{
	char *err = NULL;
	struct agenda *before = session_agenda_copy(s, &err);

	if (before == NULL) {
		session_reply_store_error(r, err);
		return;
	}
	if (agenda_go(s->agenda, i, &err) < 0) {
		agenda_free(s->agenda);
		s->agenda = before;
		session_reply(r, true, "%s", err);
		free(err);
		return;
	}
	agenda_changed(s, before, r);
}

static void
cmd_agenda(struct session *s, const struct command_result *c, struct session_reply *r)
{
	char *err = NULL;
	struct agenda *before = session_agenda_copy(s, &err);
	size_t cur = agenda_current(s->agenda);
	int rc = 0;

	if (before == NULL) {
		session_reply_store_error(r, err);
		return;
	}
	switch (c->def->id) {
	case COMMAND_NEXT:
		if (cur != AGENDA_NONE && agenda_item(s->agenda, cur)->kind == AGENDA_WRAPUP) {
			agenda_free(before);
			s->question = SESSION_ASK_END;
			session_reply(r, false, "End the meeting and write the minutes? y/n");
			return;
		}
		if (agenda_next(s->agenda) == AGENDA_NONE) {
			session_reply(r, true, "this is the last item");
			agenda_free(before);
			return;
		}
		break;
	case COMMAND_PREV:
		if (agenda_prev(s->agenda) == AGENDA_NONE) {
			session_reply(r, true, "this is the first item");
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
	case COMMAND_DROP:
		if (item_discussed(s, (size_t)c->number - 1)) {
			rc = -1;
			err_set(&err, "item %ld has entries: it was discussed, so it is not carried "
				"over anyway", c->number);
			break;
		}
		rc = agenda_drop(s->agenda, (size_t)c->number - 1, &err);
		if (rc == 0 && cur == (size_t)c->number - 1)
			agenda_next(s->agenda);
		break;
	case COMMAND_TOPIC:
		rc = agenda_add_topic(s->agenda, c->text, NULL, &err);
		break;
	case COMMAND_GO:
		rc = agenda_go(s->agenda, (size_t)c->number - 1, &err);
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
		session_reply(r, true, "%s", err);
		free(err);
		return;
	}
	agenda_changed(s, before, r);
	if (r->error)
		return;
	switch (c->def->id) {
	case COMMAND_SKIP:
		session_reply(r, false, "item %zu skipped; /unskip %zu puts it back", cur + 1,
			      cur + 1);
		break;
	case COMMAND_CARRY:
		session_reply(r, false, "item %zu carried over to next week", cur + 1);
		break;
	case COMMAND_UNSKIP:
		session_reply(r, false, "item %ld is back on the agenda", c->number);
		break;
	case COMMAND_DROP:
		session_reply(r, false, "item %ld is left out of next week's agenda; /unskip %ld "
			      "puts it back", c->number, c->number);
		break;
	case COMMAND_TOPIC:
		session_reply(r, false, "topic added before the wrap-up");
		break;
	case COMMAND_MOVE:
	case COMMAND_UP:
	case COMMAND_DOWN:
		session_reply(r, false, "item moved to position %zu",
			      agenda_current(s->agenda) + 1);
		break;
	default:
		break;
	}
}

/* Queues the measure in the outbox, even with no tracker configured (it
 * waits there for one). 1 when the measure already has a ticket; *msg says
 * what became of it either way. */
static int
queue_ticket(struct session *s, long long measure_id, char **msg, char **err)
{
	int rc = tracker_queue(s->st, s->opt.cfg, measure_id, NULL, msg, err);

	if (rc == 0 && s->opt.worker != NULL)
		tracker_worker_kick(s->opt.worker);
	return rc;
}

static void
cmd_help(struct session *s, const struct command_result *c, struct session_reply *r)
{
	(void)s;
	r->help = true;
	if (c->text != NULL)
		r->help_topic = command_find(c->text);
}

static void
cmd_quit(struct session *s, const struct command_result *c, struct session_reply *r)
{
	(void)s;
	(void)c;
	r->quit = true;
}

static void
cmd_editor(struct session *s, const struct command_result *c, struct session_reply *r)
{
	(void)s;
	(void)c;
	r->editor = true;
}

static void
cmd_messages(struct session *s, const struct command_result *c, struct session_reply *r)
{
	(void)s;
	(void)c;
	r->messages = true;
}

static void
cmd_overview(struct session *s, const struct command_result *c, struct session_reply *r)
{
	(void)s;
	(void)c;
	r->overview = true;
}

static void
cmd_entry(struct session *s, const struct command_result *c, struct session_reply *r)
{
	switch (c->def->id) {
	case COMMAND_QUESTION:
		add_entry(s, "question", c->text, NULL, NULL, r);
		break;
	case COMMAND_DECIDE:
		add_entry(s, "decision", c->text, NULL, NULL, r);
		break;
	case COMMAND_ACTION:
		add_entry(s, "action", c->text, c->owner, c->due, r);
		break;
	case COMMAND_LINK: {
		char *body = c->text != NULL ? xasprintf("%s %s", c->url, c->text) : xstrdup(c->url);
		add_entry(s, "link", body, NULL, NULL, r);
		free(body);
		break;
	}
	default:
		break;
	}
}

static void
cmd_agree(struct session *s, const struct command_result *c, struct session_reply *r)
{
	struct store_minute *m = action_by_number(s, c->number);
	char *err = NULL, *queued = NULL;
	bool ticket = c->def->id == COMMAND_TICKET;
	int q = 0;

	if (m == NULL || m->deleted) {
		session_reply(r, true, "there is no action %ld; actions are numbered as shown in "
			      "the minutes", c->number);
		return;
	}
	if (!ticket && m->agreed) {
		/* said aloud: agreeing again changes nothing, and the number may
		 * have been meant for this item's own action */
		size_t item = item_number(s, m->item_id);
		if (m->item_id != current_ref(s) && item > 0)
			session_reply(r, true, "action %ld is item %zu's (\"%s\") and already agreed; "
				      "this item's actions are numbered as its minutes show",
				      c->number, item, m->body);
		else
			session_reply(r, true, "action %ld is already agreed; /ticket %ld files it",
				      c->number, c->number);
		return;
	}
	if (store_measure_agree(s->st, m->measure_id, &err) < 0) {
		session_reply_store_error(r, err);
		return;
	}
	if (ticket && (q = queue_ticket(s, m->measure_id, &queued, &err)) < 0) {
		session_reply_store_error(r, err);
		session_load_minutes(s, NULL);
		return;
	}
	if (q == 1) {
		/* it has a ticket already: not an error, nothing to retype */
		session_reply(r, false, "action %ld %s", c->number, queued);
		free(queued);
		session_load_minutes(s, NULL);
		return;
	}
	if (session_load_minutes(s, &err) < 0) {
		session_reply_store_error(r, err);
		free(queued);
		return;
	}
	r->redraw |= SESSION_DRAW_MINUTES | SESSION_DRAW_STATUS;
	m = action_by_number(s, c->number);
	if (ticket && queued != NULL && strcmp(queued, "queued") != 0)
		session_reply(r, false, "action %ld %s", c->number, queued);
	else if (ticket)
		session_reply(r, false, "action %ld queued for filing; the ticket's key shows "
			      "here when it is filed", c->number);
	else if (m->owner == NULL || m->due == NULL)
		session_reply(r, false, "action %ld agreed; it has no %s yet: /edit %d to add it",
			      c->number, m->owner == NULL ? "@owner" : "due:YYYY-MM-DD", m->seq);
	else
		session_reply(r, false, "action %ld agreed: @%s due %s; /ticket %ld files it",
			      c->number, m->owner, m->due, c->number);
	free(queued);
}

void
session_agree(struct session *s, long number, bool ticket, struct session_reply *r)
{
	struct command_result c = {
		.kind = COMMAND_RUN,
		.def = command_by_id(ticket ? COMMAND_TICKET : COMMAND_AGREE),
		.number = number,
	};

	if (session_read_only(s) || s->phase == SESSION_CONFIRM) {
		session_reply(r, true, "action %ld was not %s: the meeting is not running here",
			      number, ticket ? "filed" : "agreed");
		return;
	}
	cmd_agree(s, &c, r);
}

/* The length of the name that starts text (a known person's, which may
 * hold spaces, the longest first; else the first word), 0 when none. */
static size_t
as_name_length(const struct session *s, const char *text)
{
	size_t best = 0;

	for (size_t i = 0; i < s->n_attendees + s->people.n; i++) {
		const char *name = i < s->n_attendees ? s->attendees[i]
						      : s->names[i - s->n_attendees];
		size_t n = strlen(name);
		if (n > best && strncmp(text, name, n) == 0 && (text[n] == ' ' || text[n] == '\t'))
			best = n;
	}
	if (best == 0)
		best = strcspn(text, " \t");
	return text[best] == '\0' ? 0 : best;
}

static void
cmd_as(struct session *s, const struct command_result *c, struct session_reply *r)
{
	size_t n = as_name_length(s, c->text);
	struct command_result inner = { 0 };
	char *err = NULL;

	if (n == 0) {
		session_reply(r, true, "/as needs a name and what they said: /as NAME TEXT");
		return;
	}
	char *name = xstrndup(c->text, n);
	const char *rest = c->text + n;
	rest += strspn(rest, " \t");
	if (command_parse(rest, &inner, &err) < 0) {
		session_reply(r, true, "%s", err);
		free(err);
		free(name);
		return;
	}
	s->as_author = name;
	if (inner.kind == COMMAND_NOTE) {
		add_entry(s, "note", inner.text, NULL, NULL, r);
	} else if (inner.kind == COMMAND_RUN &&
		   (inner.def->id == COMMAND_QUESTION || inner.def->id == COMMAND_DECIDE ||
		    inner.def->id == COMMAND_ACTION || inner.def->id == COMMAND_LINK)) {
		cmd_entry(s, &inner, r);
	} else {
		session_reply(r, true, "/as records an entry: a note, or /q, /decide, /action or "
			      "/link after the name");
	}
	s->as_author = NULL;
	if (!r->error && r->message == NULL)
		session_reply(r, false, "recorded for %s", name);
	free(name);
	command_result_clear(&inner);
}

static void
cmd_edit(struct session *s, const struct command_result *c, struct session_reply *r)
{
	struct store_minute *m = session_entry_by_seq(s, c->number);

	if (m == NULL || m->deleted) {
		session_reply(r, true, "there is no entry %ld to edit", c->number);
		return;
	}
	if (c->text != NULL) {
		edit_entry(s, (int)c->number, c->text, r);
		return;
	}
	start_edit(s, m, r, "");
}

static void
cmd_delete(struct session *s, const struct command_result *c, struct session_reply *r)
{
	struct store_minute *m = session_entry_by_seq(s, c->number);
	char *err = NULL;
	bool undelete = c->def->id == COMMAND_UNDELETE;

	if (m == NULL) {
		session_reply(r, true, "there is no entry %ld", c->number);
		return;
	}
	if (m->deleted != undelete) {
		session_reply(r, true, undelete ? "entry %ld is not deleted"
					       : "entry %ld is already deleted; /undelete %ld brings "
						 "it back", c->number, c->number);
		return;
	}
	if ((undelete ? store_minute_undelete(s->st, m->id, &err)
		      : store_minute_delete(s->st, m->id, &err)) < 0 ||
	    session_load_minutes(s, &err) < 0) {
		session_reply_store_error(r, err);
		return;
	}
	if (s->editing == c->number && !undelete)
		s->editing = 0;
	r->redraw |= SESSION_DRAW_MINUTES;
	if (undelete)
		session_reply(r, false, "entry %ld is back", c->number);
	else
		session_reply(r, false, "entry %ld deleted (kept struck out in the minutes); "
			      "/undelete %ld brings it back", c->number, c->number);
}

static void
cmd_attend(struct session *s, const struct command_result *c, struct session_reply *r)
{
	char *err = NULL;

	if (session_attend(s, c->text, &err) < 0) {
		session_reply_store_error(r, err);
		return;
	}
	r->redraw |= SESSION_DRAW_AGENDA | SESSION_DRAW_STATUS;
	session_reply(r, false, "%s is attending", c->text);
}

static void
cmd_role(struct session *s, const struct command_result *c, struct session_reply *r)
{
	set_role(s, c->def->id == COMMAND_BACKUP, c->text, r);
}

static void
cmd_export(struct session *s, const struct command_result *c, struct session_reply *r)
{
	(void)c;
	session_export(s, r);
}

static void
cmd_find(struct session *s, const struct command_result *c, struct session_reply *r)
{
	if (c->def->id == COMMAND_FIND)
		session_find_run(s, c->text, r);
	else
		session_find_step(s, c->def->id == COMMAND_FIND_NEXT ? 1 : -1, r);
}

static void
cmd_reopen(struct session *s, const struct command_result *c, struct session_reply *r)
{
	char *err = NULL;

	(void)c;
	if (s->phase != SESSION_ENDED) {
		session_reply(r, true, "the meeting is open; /reopen is for a meeting that ended");
		return;
	}
	if (store_meeting_set_ended(s->st, s->meeting->id, false, &err) < 0) {
		session_reply_store_error(r, err);
		return;
	}
	free(s->meeting->ended_at);
	s->meeting->ended_at = NULL;
	s->phase = s->meeting->facilitator != NULL ? SESSION_RUNNING : SESSION_CONFIRM;
	s->last_tick = session_now(s);
	r->redraw |= SESSION_DRAW_ALL;
	session_reply(r, false, "the meeting is open again; ending it (/next on the wrap-up) "
		      "writes the minutes again");
}

static void
cmd_takeover(struct session *s, const struct command_result *c, struct session_reply *r)
{
	(void)c;
	session_takeover(s, r);
}

static void
cmd_chat(struct session *s, const struct command_result *c, struct session_reply *r)
{
	if (c->text == NULL || strcmp(c->text, "retry") != 0) {
		session_reply(r, true, "/chat retry is the chat's one command: it asks the chat "
			      "again after the token was refused");
		return;
	}
	if (!session_chat_retry(s)) {
		session_reply(r, true, "this meeting has no chat: set up [chat] (furikaeri doctor "
			      "checks it) and open the meeting again");
		return;
	}
	r->redraw |= SESSION_DRAW_STATUS;
	session_reply(r, false, "chat: asking again whether the token is good");
}

static const struct {
	command_fn *run;
	unsigned when;
} handlers[COMMAND_ID_COUNT] = {
	[COMMAND_QUESTION] = { .run = cmd_entry },
	[COMMAND_DECIDE] = { .run = cmd_entry },
	[COMMAND_ACTION] = { .run = cmd_entry },
	[COMMAND_LINK] = { .run = cmd_entry },
	[COMMAND_AGREE] = { .run = cmd_agree },
	[COMMAND_TICKET] = { .run = cmd_agree },
	[COMMAND_EDIT] = { .run = cmd_edit },
	[COMMAND_DELETE] = { .run = cmd_delete },
	[COMMAND_UNDELETE] = { .run = cmd_delete },
	[COMMAND_NEXT] = { .run = cmd_agenda },
	[COMMAND_PREV] = { .run = cmd_agenda },
	[COMMAND_SKIP] = { .run = cmd_agenda },
	[COMMAND_UNSKIP] = { .run = cmd_agenda },
	[COMMAND_CARRY] = { .run = cmd_agenda },
	[COMMAND_DROP] = { .run = cmd_agenda },
	[COMMAND_TOPIC] = { .run = cmd_agenda },
	[COMMAND_MOVE] = { .run = cmd_agenda },
	[COMMAND_UP] = { .run = cmd_agenda },
	[COMMAND_DOWN] = { .run = cmd_agenda },
	[COMMAND_GO] = { .run = cmd_agenda },
	[COMMAND_ATTEND] = { .run = cmd_attend, .when = WHEN_CONFIRM },
	[COMMAND_FACILITATOR] = { .run = cmd_role, .when = WHEN_CONFIRM },
	[COMMAND_BACKUP] = { .run = cmd_role, .when = WHEN_CONFIRM },
	[COMMAND_EXPORT] = { .run = cmd_export, .when = WHEN_ENDED },
	[COMMAND_FIND] = { .run = cmd_find, .when = WHEN_ALWAYS },
	[COMMAND_FIND_NEXT] = { .run = cmd_find, .when = WHEN_ALWAYS },
	[COMMAND_FIND_PREV] = { .run = cmd_find, .when = WHEN_ALWAYS },
	[COMMAND_MESSAGES] = { .run = cmd_messages, .when = WHEN_ALWAYS },
	[COMMAND_SHOW_MESSAGE] = { .run = cmd_messages, .when = WHEN_ALWAYS },
	[COMMAND_OVERVIEW] = { .run = cmd_overview, .when = WHEN_ALWAYS },
	[COMMAND_REOPEN] = { .run = cmd_reopen, .when = WHEN_ENDED },
	[COMMAND_TAKEOVER] = { .run = cmd_takeover, .when = WHEN_ALWAYS },
	[COMMAND_CHAT] = { .run = cmd_chat, .when = WHEN_CONFIRM | WHEN_ENDED },
	[COMMAND_AS] = { .run = cmd_as },
	[COMMAND_HELP] = { .run = cmd_help, .when = WHEN_ALWAYS },
	[COMMAND_QUIT] = { .run = cmd_quit, .when = WHEN_ALWAYS },
	[COMMAND_EDITOR] = { .run = cmd_editor, .when = WHEN_ALWAYS },
};

/* Runs a parsed line through the input states. */
static void
dispatch(struct session *s, const struct command_result *c, struct session_reply *r)
{
	enum command_id id = c->kind == COMMAND_RUN ? c->def->id : COMMAND_ID_COUNT;
	unsigned when = id < COMMAND_ID_COUNT ? handlers[id].when : 0;

	if (id < COMMAND_ID_COUNT && handlers[id].run == NULL) {
		session_reply(r, true, "%s is a key, not a command", c->def->name);
		return;
	}
	if (id != COMMAND_TAKEOVER)
		s->question = s->question == SESSION_ASK_TAKEOVER ? s->question : SESSION_ASK_NONE;
	if (session_read_only(s) && !(when & WHEN_READ_ONLY)) {
		session_reply(r, true, "read-only: this meeting is open in another furikaeri (pid "
			      "%ld); nothing typed here is recorded", s->holder);
		return;
	}
	if (s->phase == SESSION_ENDED && !(when & WHEN_ENDED)) {
		session_reply(r, true, "the meeting has ended and its minutes are written: nothing "
			      "was recorded; /reopen to add to it");
		return;
	}
	if (s->phase == SESSION_CONFIRM && !(when & WHEN_CONFIRM)) {
		/* the first entry confirms the proposal: typing never waits */
		confirm(s, s->proposed_facilitator, s->proposed_backup, r);
		if (r->error)
			return;
	}
	if (c->kind == COMMAND_NOTE) {
		char *confirmed = r->message;
		r->message = NULL;
		add_entry(s, "note", c->text, NULL, NULL, r);
		if (confirmed != NULL && !r->error && r->message == NULL)
			session_reply(r, false, "%s; note recorded", confirmed);
		free(confirmed);
		return;
	}
	int ended = 0;
	if (s->editing > 0 && id != COMMAND_HELP && id != COMMAND_MESSAGES &&
	    id != COMMAND_SHOW_MESSAGE && id != COMMAND_OVERVIEW) {
		/* a command while editing is a command, and the edit ends: the
		 * entry stays as it was, bound to its own item */
		ended = s->editing;
		s->editing = 0;
		r->edit_ended = true;
		r->redraw |= SESSION_DRAW_MINUTES;
	}
	handlers[id].run(s, c, r);
	if (ended > 0 && r->message == NULL)
		session_reply(r, false, "the edit of entry %d ended unsaved; Ctrl-Y brings its "
			      "text back", ended);
}

void
session_input(struct session *s, const char *line, struct session_reply *r)
{
	struct command_result c = { 0 };
	char *err = NULL;

	memset(r, 0, sizeof(*r));
	if (command_parse(line, &c, &err) < 0) {
		session_reply(r, true, "%s", err);
		free(err);
		return;
	}
	if (c.kind == COMMAND_EMPTY) {
		if (s->editing > 0)
			session_reply(r, true, "an entry cannot be empty: Esc cancels the edit, "
				      "/delete %d removes the entry", s->editing);
		else if (s->phase == SESSION_CONFIRM && !session_read_only(s))
			confirm(s, s->proposed_facilitator, s->proposed_backup, r);
		command_result_clear(&c);
		session_chat_follow(s);
		return;
	}
	if (s->editing > 0 && c.kind == COMMAND_NOTE) {
		int seq = s->editing;
		if (session_read_only(s)) {
			session_reply(r, true, "read-only: this meeting is open in another furikaeri "
				      "(pid %ld)", s->holder);
		} else if (s->phase == SESSION_ENDED) {
			session_reply(r, true, "the meeting has ended: /reopen to edit entry %d", seq);
		} else {
			edit_entry(s, seq, c.text, r);
			if (!r->error)
				s->editing = 0;
		}
		command_result_clear(&c);
		return;
	}
	dispatch(s, &c, r);
	command_result_clear(&c);
	session_chat_follow(s);
}

void
session_run(struct session *s, enum command_id id, struct session_reply *r)
{
	struct command_result c = { .kind = COMMAND_RUN, .def = command_by_id(id) };

	memset(r, 0, sizeof(*r));
	if (c.def == NULL || (size_t)id >= COMMAND_ID_COUNT || handlers[id].run == NULL) {
		session_reply(r, true, "nothing to run for this key");
		return;
	}
	if (c.def->arg != COMMAND_ARG_NONE && !(c.def->flags & COMMAND_OPTIONAL)) {
		char usage[128];
		session_reply(r, true, "type %s", command_usage(c.def, usage, sizeof(usage)));
		return;
	}
	dispatch(s, &c, r);
	session_chat_follow(s);
}

enum session_question
session_question(const struct session *s)
{
	return s->question;
}

void
session_answer(struct session *s, bool yes, struct session_reply *r)
{
	enum session_question q = s->question;

	memset(r, 0, sizeof(*r));
	s->question = SESSION_ASK_NONE;
	r->redraw |= SESSION_DRAW_STATUS;
	switch (q) {
	case SESSION_ASK_END:
		if (yes && s->phase == SESSION_RUNNING && !session_read_only(s))
			end_meeting(s, r);
		else
			session_reply(r, false, "the meeting goes on");
		break;
	case SESSION_ASK_TAKEOVER:
		if (yes)
			session_takeover(s, r);
		else
			session_reply(r, false, "still read-only; /takeover when you want to");
		break;
	case SESSION_ASK_NONE:
		break;
	}
}
