#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "furikaeri/agenda.h"
#include "furikaeri/command.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/header.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"
#include "ui_private.h"

/* The meeting screen: header, agenda, the item's details, the minutes, the
 * status and input lines. */

/* From this width on the agenda has a pane of its own. */
#define WIDE_COLS 100
/* The agenda pane takes 3/10 of a wide terminal, between 32 and 56
 * columns, so that titles grow with the width. */
static int
agenda_width(void)
{
	int w = COLS * 3 / 10;

	return w < 32 ? 32 : w > 56 ? 56 : w;
}


static void
clock_text(char *buf, size_t size, int spent, int budget)
{
	snprintf(buf, size, "%d:%02d/%d:%02d", spent / 60, spent % 60, budget / 60, budget % 60);
}

static attr_t
clock_attr(enum agenda_clock c)
{
	if (c == AGENDA_CLOCK_OVER)
		return ui_attr(UI_COLOR_OVER) | A_REVERSE;
	if (c == AGENDA_CLOCK_NEAR)
		return ui_attr(UI_COLOR_NEAR) | A_REVERSE;
	return A_REVERSE;
}

static const char *
clock_word(enum agenda_clock c)
{
	return c == AGENDA_CLOCK_OVER ? " over" : c == AGENDA_CLOCK_NEAR ? " near" : "";
}

/* The facilitator's field, full and brief (without the word). */
static void
facilitator_texts(struct session *s, char *full, char *brief, size_t size)
{
	const char *fac = session_facilitator(s), *bak = session_backup(s);
	char backup[80] = "";

	if (bak != NULL)
		snprintf(backup, sizeof(backup), " (backup %s)", bak);
	snprintf(brief, size, "%s%s", fac != NULL ? fac : "(none)", backup);
	snprintf(full, size, "%s %s%s", session_phase(s) == SESSION_CONFIRM ? "proposed" : "facilitator",
		 fac != NULL ? fac : "(none)", backup);
}

static void
draw_header(struct ui_view *v)
{
	struct session *s = v->s;
	const struct agenda *a = session_agenda(s);
	size_t cur = agenda_current(a);
	char week_full[64], week_brief[32], ro_full[64], fac_full[160], fac_brief[160];
	char chat[96], chat_brief[40], clock[64], item[96], meeting[96];
	struct header_cell cells[HEADER_FIELDS] = { 0 };
	struct header_place at[HEADER_FIELDS];

	snprintf(week_full, sizeof(week_full), "furikaeri  %s review", session_week(s));
	snprintf(week_brief, sizeof(week_brief), "%s", session_week(s));
	cells[HEADER_WEEK] = (struct header_cell){ week_full, week_brief };
	if (session_read_only(s)) {
		snprintf(ro_full, sizeof(ro_full), "READ-ONLY (open in pid %ld)", session_lock_holder(s));
		cells[HEADER_READONLY] = (struct header_cell){ ro_full, "READ-ONLY" };
	}
	facilitator_texts(s, fac_full, fac_brief, sizeof(fac_full));
	cells[HEADER_FACILITATOR] = (struct header_cell){ fac_full, fac_brief };
	char chat_full[110];
	if (session_chat_status(s, chat, sizeof(chat))) {
		snprintf(chat_full, sizeof(chat_full), "chat: %s", chat);
		header_chat_brief(chat, chat_brief, sizeof(chat_brief));
		cells[HEADER_CHAT] = (struct header_cell){ chat_full, chat_brief };
	}
	int item_spent = session_item_spent(s), meet_spent = session_meeting_spent(s);
	int item_budget = cur != AGENDA_NONE ? agenda_item(a, cur)->budget_s : 0;
	enum agenda_clock ic = cur != AGENDA_NONE ? agenda_clock_state(item_budget, item_spent)
						  : AGENDA_CLOCK_OK;
	enum agenda_clock mc = agenda_clock_state(agenda_total_s(a), meet_spent);
	clock_text(clock, sizeof(clock), item_spent, item_budget);
	snprintf(item, sizeof(item), "item %s%s", clock, clock_word(ic));
	cells[HEADER_ITEM] = (struct header_cell){ item, NULL };
	clock_text(clock, sizeof(clock), meet_spent, agenda_total_s(a));
	snprintf(meeting, sizeof(meeting), "meeting %s%s", clock, clock_word(mc));
	cells[HEADER_MEETING] = (struct header_cell){ meeting, NULL };

	header_layout(cells, COLS, at);
	attron(A_REVERSE);
	ui_clear(0, 0, COLS);
	attroff(A_REVERSE);
	for (int f = 0; f < HEADER_FIELDS; f++) {
		if (at[f].text == NULL)
			continue;
		attr_t attr = f == HEADER_ITEM ? clock_attr(ic) : f == HEADER_MEETING ? clock_attr(mc)
										: A_REVERSE;
		ui_put(0, at[f].x, COLS - at[f].x, at[f].text, attr);
	}
}


static void
draw_agenda_pane(struct ui_view *v, int top, int height)
{
	const struct agenda *a = session_agenda(v->s);
	int y = top, w = agenda_width() - 1;
	size_t n_att, queued, filed;
	char *const *att = session_attendees(v->s, &n_att);

	for (int i = top; i < top + height; i++)
		ui_clear(i, 0, w);
	size_t waiting = agenda_if_time_count(a);
	char title[48];
	if (waiting > 0)
		snprintf(title, sizeof(title), "Agenda (%zu ? if time)", waiting);
	ui_put(y++, 1, w - 1, waiting > 0 ? title : "Agenda", A_BOLD);
	for (size_t i = 0; i < agenda_count(a) && y < top + height - 3; i++, y++) {
		const struct agenda_item *it = agenda_item(a, i);
		char *label = it->kind == AGENDA_FOLLOWUPS ? ui_item_label(v->s, it) : xstrdup(it->title);
		char left[32];
		attr_t attr = it->state == AGENDA_CURRENT ? A_BOLD
			      : it->state == AGENDA_SKIPPED || it->state == AGENDA_CARRIED
			      ? ui_attr(UI_COLOR_DIM) : A_NORMAL;
		snprintf(left, sizeof(left), "%s%2zu ", ui_item_mark(it), i + 1);
		int used = ui_put(y, 1, 5, left, attr);
		char budget[24];
		/* done items show what they took; skipped and carried ones nothing */
		if (it->state == AGENDA_DONE)
			snprintf(budget, sizeof(budget), " %dm", (it->spent_s + 59) / 60);
		else if (it->state == AGENDA_SKIPPED || it->state == AGENDA_CARRIED || it->if_time)
			/* no budget, said, and the title kept off the border */
			snprintf(budget, sizeof(budget), " -");
		else
			snprintf(budget, sizeof(budget), " %dm", it->budget_s / 60);
		int bw = (int)strlen(budget);
		ui_put(y, 1 + used, w - used - bw - 1, label, attr);
		ui_put(y, w - bw, bw, budget, ui_attr(UI_COLOR_DIM));
		free(label);
	}
	y = top + height - 2;
	struct strbuf sb = STRBUF_INIT;
	strbuf_adds(&sb, "Attending:");
	for (size_t i = 0; i < n_att; i++)
		strbuf_addf(&sb, " %s", att[i]);
	if (n_att == 0)
		strbuf_adds(&sb, " (/attend NAME)");
	ui_put(y, 1, w - 1, strbuf_str(&sb), A_NORMAL);
	strbuf_release(&sb);
	session_ticket_counts(v->s, &queued, &filed);
	char tickets[96];
	snprintf(tickets, sizeof(tickets), "Tickets: %zu queued, %zu filed", queued, filed);
	ui_put(y + 1, 1, w - 1, tickets, A_NORMAL);
	ui_vline(top, agenda_width() - 1, height);
}

/* At 80 columns the agenda folds into one line under the header. */
static void
draw_agenda_line(struct ui_view *v, int y)
{
	const struct agenda *a = session_agenda(v->s);
	size_t cur = agenda_current(a), n = agenda_count(a);
	struct strbuf sb = STRBUF_INIT;

	ui_clear(y, 0, COLS);
	strbuf_addf(&sb, "Agenda %zu/%zu", cur != AGENDA_NONE ? cur + 1 : 0, n);
	for (size_t i = cur != AGENDA_NONE ? cur + 1 : 0; i < n; i++) {
		const struct agenda_item *it = agenda_item(a, i);
		if (it->state == AGENDA_PENDING) {
			strbuf_addf(&sb, " · next: %s", it->title);
			break;
		}
	}
	if (agenda_if_time_count(a) > 0)
		strbuf_addf(&sb, " · %zu if time permits", agenda_if_time_count(a));
	strbuf_adds(&sb, " · F1 help");
	ui_put(y, 0, COLS, strbuf_str(&sb), ui_attr(UI_COLOR_DIM));
	strbuf_release(&sb);
}

static void
measure_lines(struct ui_lines *l, int width, const struct measure *m)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s %s", m->status == MEASURE_DONE ? "✓" : m->status == MEASURE_NOT_DOING
		    ? "✗" : "•", m->title);
	if (m->owner != NULL)
		strbuf_addf(&sb, "  @%s", m->owner);
	if (m->due != NULL)
		strbuf_addf(&sb, "  due %s", m->due);
	if (m->ticket != NULL)
		strbuf_addf(&sb, "  %s", m->ticket);
	strbuf_addf(&sb, "  %s", m->status == MEASURE_DONE ? "done"
		    : m->status == MEASURE_NOT_DOING ? "not doing" : "open");
	ui_lines_add_wrapped(l, width, NULL, 0, strbuf_str(&sb),
			  m->status == MEASURE_DONE ? ui_attr(UI_COLOR_AGREED) : A_NORMAL);
	strbuf_release(&sb);
}

static const struct {
	const char *key;
	const char *label;
} detail_sections[] = {
	{ SECTION_SUMMARY, "Summary" },
	{ SECTION_IMPACT, "Impact" },
	{ SECTION_ROOT_CAUSE, "Cause" },
	{ SECTION_TRIGGER, "Trigger" },
	{ SECTION_DETECTION, "Detection" },
	{ SECTION_RESOLUTION, "Resolved" },
	{ SECTION_TIMELINE, "Timeline" },
	{ SECTION_LESSONS, "Lessons" },
};

static void
postmortem_details(struct ui_lines *l, int width, const struct postmortem *pm)
{
	for (size_t i = 0; i < sizeof(detail_sections) / sizeof(detail_sections[0]); i++) {
		const struct section *sec = postmortem_section(pm, detail_sections[i].key);
		if (sec != NULL && sec->text[0] != '\0')
			ui_lines_add_wrapped(l, width, detail_sections[i].label, A_BOLD, sec->text,
					  A_NORMAL);
	}
	if (pm->n_measures > 0)
		ui_lines_add(l, 0, A_BOLD, "Measures");
	for (size_t i = 0; i < pm->n_measures; i++)
		measure_lines(l, width, &pm->measures[i]);
}

/* The postmortem's details as last laid out: wrapping a 5 MB postmortem
 * takes hundreds of milliseconds, so every frame after the first (a page,
 * a typed key) reuses them until the postmortem, its bytes or the width
 * change. */
static struct {
	const struct postmortem *pm;
	char *id, *hash;
	int width;
	struct ui_lines lines;
} pm_cache;

static bool
same_or_null(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

static void
pm_cache_free(void)
{
	ui_lines_free(&pm_cache.lines);
	free(pm_cache.id);
	free(pm_cache.hash);
	pm_cache.id = pm_cache.hash = NULL;
	pm_cache.pm = NULL;
}

/* Borrowed: valid until the next call or pm_cache_free. */
static const struct ui_lines *
postmortem_details_cached(int width, const struct postmortem *pm)
{
	if (pm_cache.pm != pm || pm_cache.width != width || !same_or_null(pm_cache.id, pm->id) ||
	    !same_or_null(pm_cache.hash, pm->hash)) {
		pm_cache_free();
		postmortem_details(&pm_cache.lines, width, pm);
		pm_cache.pm = pm;
		pm_cache.width = width;
		pm_cache.id = xstrdup_or_null(pm->id);
		pm_cache.hash = xstrdup_or_null(pm->hash);
	}
	return &pm_cache.lines;
}

static void
followup_details(struct ui_lines *l, int width, const struct session *s)
{
	const struct store_measures *f = session_followups(s);

	if (f->n == 0)
		ui_lines_add(l, 0, A_NORMAL, "No prevention measures are open from earlier weeks.");
	for (size_t i = 0; i < f->n; i++) {
		const struct store_measure_row *m = &f->rows[i];
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "• %s", m->title);
		if (m->owner != NULL)
			strbuf_addf(&sb, "  @%s", m->owner);
		bool overdue = session_followup_overdue(s, m);
		if (m->due != NULL)
			strbuf_addf(&sb, "  due %s%s", m->due, overdue ? " ! overdue" : "");
		if (m->ticket != NULL)
			strbuf_addf(&sb, "  %s", m->ticket);
		if (m->ticket_state != NULL)
			strbuf_addf(&sb, " (%s)", m->ticket_state);
		if (m->pm_title != NULL)
			strbuf_addf(&sb, "  — %s", m->pm_title);
		ui_lines_add_wrapped(l, width, NULL, 0, strbuf_str(&sb),
				  overdue ? ui_attr(UI_COLOR_OVER) : A_NORMAL);
		strbuf_release(&sb);
	}
}

static const char *
action_state(const struct session *s, const struct store_minute *m, attr_t *attr)
{
	static const enum ui_color colors[] = {
		[SESSION_ACTION_PROPOSED] = UI_COLOR_NONE,
		[SESSION_ACTION_AGREED] = UI_COLOR_AGREED,
		[SESSION_ACTION_FILING] = UI_COLOR_NEAR,
		[SESSION_ACTION_WAITING] = UI_COLOR_NEAR,
		[SESSION_ACTION_FILED] = UI_COLOR_FILED,
		[SESSION_ACTION_FAILED] = UI_COLOR_ERROR,
	};
	enum session_action_state st = session_action_state(s, m);

	*attr = st == SESSION_ACTION_PROPOSED ? A_NORMAL : ui_attr(colors[st]);
	return session_action_state_name(st);
}

static void
wrapup_details(struct ui_lines *l, int width, struct session *s)
{
	const struct store_minutes *mins = session_minutes(s);
	const struct agenda *a = session_agenda(s);
	struct session_wrapup w;
	const char *fac, *bak;

	session_wrapup(s, &w);
	ui_lines_add(l, 0, A_BOLD, "Decisions");
	for (size_t i = 0; i < w.n_decisions; i++)
		ui_lines_add_wrapped(l, width, NULL, 0, mins->rows[w.decisions[i]].body, A_NORMAL);
	if (w.n_decisions == 0)
		ui_lines_add(l, 2, ui_attr(UI_COLOR_DIM), "(none recorded)");
	ui_lines_add(l, 0, A_BOLD, "Measures");
	for (size_t i = 0; i < w.n_actions; i++) {
		const struct store_minute *m = &mins->rows[w.actions[i]];
		attr_t attr;
		const char *state = action_state(s, m, &attr);
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "%d. %s  @%s  due %s  %s%s%s", session_action_number(s, w.actions[i]),
			    m->body, m->owner ? m->owner : "(no owner)", m->due ? m->due : "(no date)",
			    state, m->ticket ? " " : "", m->ticket ? m->ticket : "");
		ui_lines_add_wrapped(l, width, NULL, 0, strbuf_str(&sb), attr);
		strbuf_release(&sb);
	}
	if (w.n_actions == 0)
		ui_lines_add(l, 2, ui_attr(UI_COLOR_DIM), "(no actions proposed)");
	ui_lines_add(l, 0, A_BOLD, "Carried over to next week");
	for (size_t i = 0; i < w.n_carried; i++)
		ui_lines_add_wrapped(l, width, NULL, 0, agenda_item(a, w.carried[i])->title, A_NORMAL);
	if (w.n_carried == 0)
		ui_lines_add(l, 2, ui_attr(UI_COLOR_DIM), "(nothing)");
	session_wrapup_free(&w);
	session_next_proposal(s, &fac, &bak);
	char *next = xasprintf("Next week: %s facilitates%s%s", fac ? fac : "(nobody on the roster)",
			       bak ? ", backup " : "", bak ? bak : "");
	ui_lines_add(l, 0, A_BOLD, next);
	free(next);
	ui_lines_add_wrapped(l, width, NULL, 0, session_phase(s) == SESSION_ENDED
			  ? "The meeting has ended and its minutes are written; /reopen adds to it, "
			    "/quit leaves."
			  : "/next asks, then ends the meeting and writes the minutes; /export writes "
			    "them now.", ui_attr(UI_COLOR_DIM));
}

static void
confirm_details(struct ui_lines *l, int width, struct session *s)
{
	const char *fac = session_facilitator(s), *bak = session_backup(s);
	char *who = xasprintf("Facilitator of %s: %s%s%s%s", session_week(s),
			      fac ? fac : "nobody on the roster", bak ? " (backup " : "",
			      bak ? bak : "", bak ? ")" : "");

	ui_lines_add_wrapped(l, width, NULL, 0, who, A_BOLD);
	free(who);
	ui_lines_add_wrapped(l, width, NULL, 0,
			  "Proposed by the rotation: whoever has gone longest without "
			  "facilitating, skipping people away this week.", A_NORMAL);
	ui_lines_add(l, 0, A_NORMAL, "");
	ui_lines_add_wrapped(l, width, NULL, 0,
			  "Press Enter to confirm, or type /facilitator NAME or /backup NAME. "
			  "/attend NAME records who is here. F1 shows every command.",
			  ui_attr(UI_COLOR_AGREED));
	ui_lines_add(l, 0, A_NORMAL, "");
	ui_lines_add(l, 0, A_BOLD, "Agenda");
	const struct agenda *a = session_agenda(s);
	size_t waiting = agenda_if_time_count(a);
	if (waiting > 0) {
		char *warn = xasprintf("Not everything fits the %d minutes: %zu %s (marked ?) "
				       "wait%s if time permits, and carry over to next week if "
				       "the meeting ends first.", agenda_total_s(a) / 60, waiting,
				       waiting == 1 ? "item" : "items", waiting == 1 ? "s" : "");
		ui_lines_add_wrapped(l, width, NULL, 0, warn, ui_attr(UI_COLOR_NEAR));
		free(warn);
	}
	for (size_t i = 0; i < agenda_count(a); i++) {
		const struct agenda_item *it = agenda_item(a, i);
		char *label = ui_item_label(s, it);
		char mins[32];
		if (it->if_time)
			snprintf(mins, sizeof(mins), "if time permits");
		else
			snprintf(mins, sizeof(mins), "%d min", it->budget_s / 60);
		char *row = xasprintf("%s%2zu. %s  (%s)", it->if_time ? "?" : " ", i + 1, label, mins);
		ui_lines_add_hanging(l, width, NULL, 0, 5, A_NORMAL, row);
		free(row);
		free(label);
	}
}

static void
local_hhmm(const char *iso, char out[6])
{
	struct tm tm = { 0 };
	time_t t;

	strcpy(out, "--:--");
	if (iso == NULL || sscanf(iso, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
				  &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	localtime_r(&t, &tm);
	strftime(out, 6, "%H:%M", &tm);
}

/* Draws text with a long stroke through every character, for deleted
 * entries: U+0336 combines with the character before it. */
static char *
struck(const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(text), i = 0;
	uint32_t cp;

	while (i < len) {
		size_t n = text_utf8_decode(text + i, len - i, &cp);
		strbuf_add(&sb, text + i, n);
		if (cp != ' ' && text_cp_width(cp) == 1)
			strbuf_add(&sb, "\xCC\xB6", 2);
		i += n;
	}
	return strbuf_detach(&sb);
}

/* The address of a link entry, when it is one furikaeri parsed that can
 * go to the terminal as a hyperlink: http or https, printable ASCII only,
 * so that nothing from a file becomes an escape sequence. Owned or NULL. */
static char *
link_url(const struct store_minute *m)
{
	if (m->deleted || strcmp(m->kind, "link") != 0 ||
	    (strncmp(m->body, "http://", 7) != 0 && strncmp(m->body, "https://", 8) != 0))
		return NULL;
	size_t n = strcspn(m->body, " ");
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)m->body[i] <= 0x20 || (unsigned char)m->body[i] >= 0x7F)
			return NULL;
	return xstrndup(m->body, n);
}

/* Columns of the longest http(s) link in text, 0 when none. */
static size_t
url_longest(const char *text)
{
	size_t best = 0;

	for (const char *p = text; (p = strstr(p, "http")) != NULL;) {
		if (strncmp(p, "http://", 7) != 0 && strncmp(p, "https://", 8) != 0) {
			p += 4;
			continue;
		}
		size_t n = strcspn(p, " \t\n");
		char *url = xstrndup(p, n);
		size_t w = text_width(url);
		free(url);
		if (w > best)
			best = w;
		p += n;
	}
	return best;
}

static void
minutes_lines(struct ui_lines *l, int width, struct session *s, int editing)
{
	const struct store_minutes *mins = session_minutes(s);
	const struct agenda *a = session_agenda(s);
	size_t cur = agenda_current(a);
	long long ref = cur != AGENDA_NONE ? agenda_item(a, cur)->ref : 0;

	for (size_t i = 0; i < mins->n; i++) {
		const struct store_minute *m = &mins->rows[i];
		if (m->item_id != ref)
			continue;
		char hhmm[6], kind[24], head[48];
		attr_t attr = A_NORMAL, state_attr = A_NORMAL;
		struct strbuf sb = STRBUF_INIT;
		local_hhmm(m->created_at, hhmm);
		int action = session_action_number(s, i);
		if (action > 0)
			snprintf(kind, sizeof(kind), "action %d", action);
		else
			snprintf(kind, sizeof(kind), "%s", m->kind);
		/* who said it, when it was not the facilitator at the keyboard;
		 * a deleted entry keeps its author, its words struck out */
		if (m->author != NULL && (session_facilitator(s) == NULL ||
					  strcmp(m->author, session_facilitator(s)) != 0))
			strbuf_addf(&sb, "%s: ", m->author);
		if (m->deleted) {
			snprintf(kind, sizeof(kind), "deleted");
			attr = ui_attr(UI_COLOR_DIM);
			char *s2 = struck(m->body);
			strbuf_adds(&sb, s2);
			free(s2);
		} else {
			strbuf_adds(&sb, m->body);
		}
		if (action > 0 && !m->deleted) {
			if (m->owner != NULL)
				strbuf_addf(&sb, "  @%s", m->owner);
			if (m->due != NULL)
				strbuf_addf(&sb, "  due %s", m->due);
			const char *state = action_state(s, m, &state_attr);
			strbuf_addf(&sb, "  [%s%s%s]", state, m->ticket ? " " : "",
				    m->ticket ? m->ticket : "");
			if (m->agreed || m->ticket_state != NULL)
				attr = state_attr;
		}
		if (m->edited_at != NULL && !m->deleted)
			strbuf_adds(&sb, "  (edited)");
		if (m->seq == editing) {
			/* the entry being edited says so, whatever the colours */
			strbuf_adds(&sb, "  [editing]");
			attr |= A_REVERSE;
		}
		snprintf(head, sizeof(head), "%s %3d %-9s", hhmm, m->seq, kind);
		/* entry text hangs under itself, after the time, number and kind;
		 * a link too long for that column takes the whole width instead,
		 * so that it is drawn whole rather than cut mid-address */
		int indent = (int)strlen(head) + 1;
		char **wrapped;
		size_t n;
		bool whole = url_longest(strbuf_str(&sb)) > (size_t)(width - indent);
		if (whole) {
			char *all = xasprintf("%s %s", head, strbuf_str(&sb));
			text_wrap(all, (size_t)(width > 10 ? width : 10), &wrapped, &n);
			free(all);
			indent = 0;
		} else {
			text_wrap(strbuf_str(&sb), (size_t)(width > indent + 10 ? width - indent : 10),
				  &wrapped, &n);
		}
		char *url = m->seq != editing ? link_url(m) : NULL;
		for (size_t j = 0; j < (n ? n : 1); j++) {
			char *row = j == 0 && !whole ? xasprintf("%s %s", head, n ? wrapped[0] : "")
						     : xstrdup(n ? wrapped[j] : head);
			ui_lines_add(l, j == 0 ? 0 : indent, attr, row);
			l->v[l->n - 1].seq = m->seq;
			if (url != NULL && strstr(row, url) != NULL)
				l->v[l->n - 1].url = xstrdup(url);
			free(row);
		}
		free(url);
		text_lines_free(wrapped, n);
		strbuf_release(&sb);
	}
}

static void
draw_item_pane(struct ui_view *v, int top, int x, int width, int height)
{
	struct session *s = v->s;
	const struct agenda *a = session_agenda(s);
	size_t cur = agenda_current(a);
	const struct agenda_item *it = cur != AGENDA_NONE ? agenda_item(a, cur) : NULL;
	const struct postmortem *pm = session_postmortem(s);
	struct ui_lines details = { 0 }, mins = { 0 };
	const struct ui_lines *shown = &details;
	int y = top;

	/* title line */
	ui_clear(y, x, width);
	if (session_phase(s) == SESSION_CONFIRM) {
		ui_put(y, x + 1, width - 1, "Before we start", A_BOLD);
	} else if (pm != NULL) {
		char *meta = xasprintf("%s  %s", pm->severity ? pm->severity : "SEV?",
				       pm->date ? pm->date : "undated");
		int mw = (int)text_width(meta);
		char *title = xasprintf("%s  %s", pm->id, pm->title);
		ui_put(y, x + 1, width - mw - 3, title, A_BOLD);
		ui_put(y, x + width - mw - 1, mw, meta,
		       postmortem_severe(pm->severity) ? ui_attr(UI_COLOR_OVER) : A_BOLD);
		free(meta);
		free(title);
	} else if (it != NULL) {
		char *label = ui_item_label(s, it);
		ui_put(y, x + 1, width - 1, label, A_BOLD);
		free(label);
	}
	y++;

	int inner = width - 2;
	if (session_phase(s) == SESSION_CONFIRM)
		confirm_details(&details, inner, s);
	else if (it != NULL && it->kind == AGENDA_FOLLOWUPS)
		followup_details(&details, inner, s);
	else if (it != NULL && it->kind == AGENDA_WRAPUP)
		wrapup_details(&details, inner, s);
	else if (pm != NULL)
		shown = postmortem_details_cached(inner, pm);
	else if (it != NULL)
		ui_lines_add(&details, 0, A_NORMAL, "A topic added in the meeting.");

	minutes_lines(&mins, inner, s, v->editing);
	int body = top + height - y;
	int min_minutes = session_phase(s) == SESSION_CONFIRM ? 0 : 4;
	int dh = (int)shown->n;
	/* the details get what they need up to 55% of the pane; minutes the rest */
	int cap = session_phase(s) == SESSION_CONFIRM ? body : body * 55 / 100;
	if (dh > cap)
		dh = cap;
	if (body - dh - 2 < min_minutes)
		dh = body - 2 - min_minutes;
	if (dh < 1)
		dh = 1;
	v->detail_height = dh;
	v->detail_lines = (int)shown->n;
	if (v->find_pending && v->find_seq == 0 && session_find_text(s) != NULL) {
		/* a /find match in the postmortem: its first line at the top */
		for (size_t i = 0; i < shown->n; i++)
			if (strcasestr(shown->v[i].text, session_find_text(s)) != NULL) {
				v->scroll = (int)i;
				break;
			}
		v->find_pending = false;
	}
	if (v->scroll > (int)shown->n - dh)
		v->scroll = (int)shown->n - dh;
	if (v->scroll < 0)
		v->scroll = 0;
	ui_lines_draw(shown, y, x + 1, inner, dh, v->scroll);
	if ((int)shown->n > dh) {
		char more[80];
		snprintf(more, sizeof(more), " %d-%d/%zu PgUp/PgDn ", v->scroll + 1,
			 v->scroll + dh, shown->n);
		/* the last line is drawn again, short of the marker: overwriting
		 * half of a wide character would shift what follows */
		const struct ui_line *last = &shown->v[v->scroll + dh - 1];
		int mw = (int)strlen(more);
		ui_clear(y + dh - 1, x + 1, inner);
		ui_put(y + dh - 1, x + 1 + last->indent, inner - last->indent - mw - 1, last->text,
		       last->attr);
		ui_put(y + dh - 1, x + width - mw - 1, mw, more, ui_attr(UI_COLOR_DIM) | A_REVERSE);
	}
	y += dh;
	if (y < top + height && session_phase(s) != SESSION_CONFIRM) {
		int step;
		const char *prompt = session_prompt(s, &step);
		char *ask = step > 0 ? xasprintf("─ Ask %d/5 ─ %s", step, prompt)
				     : xasprintf("─ Ask ─ %s", prompt);
		ui_clear(y, x, width);
		ui_put(y, x + 1, inner, ask, ui_attr(UI_COLOR_HINT));
		free(ask);
		y++;
	}
	if (y < top + height && session_phase(s) != SESSION_CONFIRM) {
		ui_clear(y, x, width);
		ui_hline(y, x + 1, inner);
		ui_put(y, x + 2, inner - 2, " Minutes ", A_BOLD);
		y++;
	}
	int mh = top + height - y;
	v->minutes_height = mh;
	if (mh > 0 && session_phase(s) != SESSION_CONFIRM) {
		/* the newest entries stay in view unless scrolled back */
		int newest = (int)mins.n > mh ? (int)mins.n - mh : 0;
		if (v->find_pending && v->find_seq > 0) {
			for (size_t i = 0; i < mins.n; i++)
				if (mins.v[i].seq == v->find_seq) {
					v->minutes_scroll = newest - (int)i;
					break;
				}
			v->find_pending = false;
		}
		if (v->minutes_scroll > newest)
			v->minutes_scroll = newest;
		if (v->minutes_scroll < 0)
			v->minutes_scroll = 0;
		int first = newest - v->minutes_scroll;
		ui_links_begin();
		ui_lines_draw(&mins, y, x + 1, inner, mh, first);
		if (v->minutes_scroll > 0) {
			char more[80];
			ui_links_drop_row(y + mh - 1);
			snprintf(more, sizeof(more), " %d newer lines below: S-PgDn ", v->minutes_scroll);
			ui_put(y + mh - 1, x + width - (int)strlen(more) - 1, (int)strlen(more), more,
			       ui_attr(UI_COLOR_DIM) | A_REVERSE);
		}
		if (mins.n == 0)
			ui_put(y, x + 1, inner,
			       "Type a note and press Enter; /q question, /decide, /action, /link. "
			       "F1 help.", ui_attr(UI_COLOR_DIM));
	} else {
		for (; y < top + height; y++)
			ui_clear(y, x, width);
	}
	ui_lines_free(&details);
	ui_lines_free(&mins);
}

/* The lines the status message takes: two when it is longer than one. */
static int
message_lines(const struct ui_view *v)
{
	const char *text = v->hint != NULL ? v->hint : v->message;

	return text != NULL && (int)text_width(text) + 8 > COLS ? 2 : 1;
}

static void
draw_message(struct ui_view *v, int n)
{
	int y = LINES - 1 - n;
	char *text = v->hint != NULL ? xasprintf("hint: %s", v->hint)
		     : v->message != NULL ? xstrdup(v->message) : NULL;
	attr_t attr = v->hint != NULL ? ui_attr(UI_COLOR_HINT)
		      : v->message_error ? ui_attr(UI_COLOR_ERROR) : A_NORMAL;

	for (int i = 0; i < n; i++)
		ui_clear(y + i, 0, COLS);
	if (text == NULL)
		return;
	char **wrapped;
	size_t nw;
	text_wrap(text, (size_t)(COLS - 2), &wrapped, &nw);
	for (size_t i = 0; i < nw && (int)i < n; i++) {
		/* what still does not fit is one key away */
		if ((int)i == n - 1 && nw > (size_t)n) {
			char *cut = xasprintf("%s (F2: whole message)", wrapped[i]);
			ui_put(y + (int)i, 1, COLS - 1, cut, attr);
			free(cut);
		} else {
			ui_put(y + (int)i, 1, COLS - 1, wrapped[i], attr);
		}
	}
	text_lines_free(wrapped, nw);
	free(text);
}

static void
draw_meeting(struct ui_view *v, unsigned what, const struct ui_editor *e)
{
	bool wide = COLS >= WIDE_COLS;
	int top = wide ? 1 : 2;
	int msg_lines = message_lines(v);
	int height = LINES - 1 - msg_lines - top;
	const char *prompt = session_read_only(v->s) ? "read-only> " : "> ";
	char edit_prompt[32];

	if (v->editing > 0) {
		snprintf(edit_prompt, sizeof(edit_prompt), "edit #%d> ", v->editing);
		prompt = edit_prompt;
	}
	if (what & SESSION_DRAW_STATUS)
		draw_header(v);
	if (what & (SESSION_DRAW_AGENDA | SESSION_DRAW_ITEM | SESSION_DRAW_MINUTES)) {
		if (wide) {
			draw_agenda_pane(v, top, height);
			draw_item_pane(v, top, agenda_width(), COLS - agenda_width(), height);
		} else {
			draw_agenda_line(v, 1);
			draw_item_pane(v, top, 0, COLS, height);
		}
	} else if ((what & SESSION_DRAW_STATUS) && wide) {
		/* attendees and ticket counts live at the bottom of the agenda */
		draw_agenda_pane(v, top, height);
	}
	if (what & SESSION_DRAW_STATUS)
		draw_message(v, msg_lines);
	ui_editor_draw(e, LINES - 1, 0, COLS, prompt);
}

static void
meeting_draw(const struct ui_frame *f)
{
	draw_meeting(f->view, f->what, f->editor);
}

/* A new width lays the postmortem's details out again. */
static void
meeting_resize(struct ui_frame *f)
{
	(void)f;
	pm_cache_free();
}

static void
meeting_free(void)
{
	pm_cache_free();
	ui_links_free();
}

/* The meeting's keys go to the line editor and the session (ui.c). */
const struct ui_view_ops ui_view_meeting = {
	.name = "meeting",
	.draw = meeting_draw,
	.key = NULL,
	.resize = meeting_resize,
	.free = meeting_free,
};
