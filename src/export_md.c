#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/export_md.h"
#include "furikaeri/store_outbox.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

/* Characters that mean something to CommonMark or GitHub anywhere in a
 * line; a backslash makes each one literal. */
static bool
md_special(char c)
{
	return strchr("\\`*_[]<>#|~&!", c) != NULL;
}

/* A line of text must not start a block: a list marker, a numbered list
 * item, a setext underline, a heading or quote (those two escape anyway).
 * Writes the escaped start and returns how many bytes of s it used. */
static size_t
md_line_start(struct strbuf *sb, const char *s)
{
	size_t digits = 0;

	while (s[digits] >= '0' && s[digits] <= '9')
		digits++;
	if (digits > 0 && digits <= 9 && (s[digits] == '.' || s[digits] == ')')) {
		strbuf_add(sb, s, digits);
		strbuf_addc(sb, '\\');
		strbuf_addc(sb, s[digits]);
		return digits + 1;
	}
	if (s[0] == '-' || s[0] == '+' || s[0] == '=') {
		strbuf_addc(sb, '\\');
		strbuf_addc(sb, s[0]);
		return 1;
	}
	return 0;
}

/* Appends user text as inline Markdown. A newline becomes a hard line
 * break followed by indent spaces, so the text stays inside its list item;
 * with single_line, newlines become spaces (headings). */
static void
md_text(struct strbuf *sb, const char *s, size_t indent, bool single_line)
{
	char *clean = text_sanitize(s != NULL ? s : "", !single_line);
	const char *p = clean;

	while (*p != '\0') {
		if (*p == '\n' || *p == '\r') {
			if (*p == '\r' && p[1] == '\n')
				p++;
			p++;
			if (*p == '\0')
				break;
			strbuf_adds(sb, "\\\n");
			for (size_t i = 0; i < indent; i++)
				strbuf_addc(sb, ' ');
			while (*p == ' ' || *p == '\t')
				p++;
			p += md_line_start(sb, p);
			continue;
		}
		if (*p == '\t') {
			strbuf_addc(sb, ' ');
		} else {
			if (md_special(*p))
				strbuf_addc(sb, '\\');
			strbuf_addc(sb, *p);
		}
		p++;
	}
	free(clean);
}

/* A link destination: <...> keeps spaces and parentheses working. */
static void
md_dest(struct strbuf *sb, const char *s)
{
	char *clean = text_sanitize(s, false);

	strbuf_addc(sb, '<');
	for (const char *p = clean; *p != '\0'; p++) {
		if (*p == '<' || *p == '>' || *p == '\\')
			strbuf_addc(sb, '\\');
		strbuf_addc(sb, *p);
	}
	strbuf_addc(sb, '>');
	free(clean);
}

static bool
is_url(const char *s)
{
	return text_is_link_url(s, "<>");
}

/* An autolink: <URL>, where backslashes are literal, so the URL is only
 * made safe, never escaped. */
static void
md_autolink(struct strbuf *sb, const char *url)
{
	char *clean = text_sanitize(url, false);

	strbuf_addf(sb, "<%s>", clean);
	free(clean);
}

static void
md_link(struct strbuf *sb, const char *text, const char *dest)
{
	if (dest == NULL || dest[0] == '\0') {
		md_text(sb, text, 0, true);
		return;
	}
	strbuf_addc(sb, '[');
	md_text(sb, text, 0, true);
	strbuf_adds(sb, "](");
	md_dest(sb, dest);
	strbuf_addc(sb, ')');
}

/* Whether minutes say a measure's ticket exists (their word is the one
 * people see, "filed"). */
static bool
ticket_delivered(const char *word)
{
	enum deliver_state state;

	return store_outbox_state_word_parse(word, &state) && state == DELIVER_DELIVERED;
}

static void
md_measure_facts(struct strbuf *sb, const struct minutes_entry *e)
{
	strbuf_adds(sb, " — owner: ");
	md_text(sb, e->owner != NULL ? e->owner : "not set", 0, true);
	strbuf_adds(sb, ", due: ");
	md_text(sb, e->due != NULL ? e->due : "not set", 0, true);
	strbuf_adds(sb, ", ticket: ");
	if (e->ticket != NULL) {
		md_link(sb, e->ticket, is_url(e->ticket_url) ? e->ticket_url : NULL);
		if (e->ticket_state != NULL && !ticket_delivered(e->ticket_state)) {
			strbuf_adds(sb, " (");
			md_text(sb, e->ticket_state, 0, true);
			strbuf_adds(sb, ")");
		}
	} else if (e->ticket_state != NULL) {
		md_text(sb, e->ticket_state, 0, true);
	} else {
		strbuf_adds(sb, "none yet");
	}
	if (e->status != NULL && strcmp(e->status, "open") != 0) {
		strbuf_adds(sb, ", ");
		md_text(sb, strcmp(e->status, "not_doing") == 0 ? "not doing" : e->status, 0, true);
	}
}

/* " at HH:MM" when the time is known. */
static void
md_at(struct strbuf *sb, const char *hm)
{
	if (hm[0] == '\0')
		return;
	strbuf_adds(sb, " at ");
	md_text(sb, hm, 0, true);
}

static void
md_entry(struct strbuf *sb, const struct minutes_doc *doc, size_t i)
{
	const struct minutes_entry *e = &doc->entries[i];
	bool deleted = e->deleted_at != NULL;
	int action = minutes_doc_action_number(doc, i);
	char hm[6];

	minutes_hm(e->created_at, hm);
	strbuf_adds(sb, "- ");
	if (hm[0] != '\0') {
		md_text(sb, hm, 0, true);
		strbuf_addc(sb, ' ');
	}
	if (deleted)
		strbuf_adds(sb, "~~");
	if (action > 0) {
		strbuf_addf(sb, "**action %d**", action);
	} else {
		strbuf_adds(sb, "**");
		md_text(sb, e->kind, 0, true);
		strbuf_adds(sb, "**");
	}
	strbuf_addc(sb, ' ');
	/* who said it: the facilitator at the keyboard, /as NAME, or the
	 * person who replied in the chat */
	if (e->author != NULL) {
		strbuf_adds(sb, "*");
		md_text(sb, e->author, 0, true);
		strbuf_adds(sb, ":* ");
	}
	if (!deleted && strcmp(e->kind, "link") == 0 && is_url(e->body))
		md_autolink(sb, e->body);
	else
		md_text(sb, e->body, 2, false);
	if (deleted)
		strbuf_adds(sb, "~~");
	if (action > 0 && !deleted) {
		if (e->owner != NULL) {
			strbuf_adds(sb, " — @");
			md_text(sb, e->owner, 0, true);
		}
		if (e->due != NULL) {
			strbuf_adds(sb, ", due ");
			md_text(sb, e->due, 0, true);
		}
		if (e->agreed_at != NULL)
			strbuf_adds(sb, ", agreed");
		if (e->ticket != NULL) {
			strbuf_adds(sb, ", ");
			md_link(sb, e->ticket, is_url(e->ticket_url) ? e->ticket_url : NULL);
		}
	}
	if (deleted) {
		minutes_hm(e->deleted_at, hm);
		strbuf_adds(sb, " *(deleted");
		md_at(sb, hm);
		strbuf_adds(sb, ")*");
	} else if (e->edited_at != NULL) {
		minutes_hm(e->edited_at, hm);
		strbuf_adds(sb, " *(edited");
		md_at(sb, hm);
		strbuf_adds(sb, ")*");
	}
	enum minutes_late late = minutes_entry_late(doc, e);
	if (late != MINUTES_ON_TIME) {
		minutes_hm(e->created_at, hm);
		strbuf_adds(sb, late == MINUTES_LATE_MEETING ? " *(late, after the meeting"
							     : " *(late, after the item closed");
		md_at(sb, hm);
		strbuf_adds(sb, ")*");
	}
	strbuf_addc(sb, '\n');
}

/* The entries of item (or of no item, -1), then its decisions and agreed
 * measures. */
static void
md_entries(struct strbuf *sb, const struct minutes_doc *doc, long item)
{
	size_t n = 0, decisions = 0, agreed = 0;

	for (size_t i = 0; i < doc->n_entries; i++) {
		const struct minutes_entry *e = &doc->entries[i];
		if (e->item != item)
			continue;
		if (n++ == 0)
			strbuf_adds(sb, "### Minutes\n\n");
		md_entry(sb, doc, i);
		if (e->deleted_at == NULL && strcmp(e->kind, "decision") == 0)
			decisions++;
		if (minutes_entry_agreed(e))
			agreed++;
	}
	if (n == 0) {
		strbuf_adds(sb, "No minutes were taken.\n\n");
		return;
	}
	strbuf_addc(sb, '\n');
	if (decisions > 0) {
		strbuf_adds(sb, "### Decisions\n\n");
		for (size_t i = 0; i < doc->n_entries; i++) {
			const struct minutes_entry *e = &doc->entries[i];
			if (e->item != item || e->deleted_at != NULL ||
			    strcmp(e->kind, "decision") != 0)
				continue;
			strbuf_adds(sb, "- ");
			md_text(sb, e->body, 2, false);
			strbuf_addc(sb, '\n');
		}
		strbuf_addc(sb, '\n');
	}
	if (agreed > 0) {
		strbuf_adds(sb, "### Agreed measures\n\n");
		for (size_t i = 0; i < doc->n_entries; i++) {
			const struct minutes_entry *e = &doc->entries[i];
			if (e->item != item || !minutes_entry_agreed(e))
				continue;
			strbuf_adds(sb, "- ");
			md_text(sb, e->body, 2, true);
			md_measure_facts(sb, e);
			strbuf_addc(sb, '\n');
		}
		strbuf_addc(sb, '\n');
	}
}

static void
md_item(struct strbuf *sb, const struct minutes_doc *doc, size_t i)
{
	const struct minutes_item *it = &doc->items[i];

	strbuf_addf(sb, "## %zu. ", i + 1);
	md_text(sb, minutes_item_label(it), 0, true);
	strbuf_adds(sb, "\n\n");
	if (it->pm_id != NULL) {
		strbuf_adds(sb, "Postmortem: ");
		char *label = xasprintf("%s: %s", it->pm_id, minutes_item_label(it));
		md_link(sb, label, it->pm_source);
		free(label);
		if (it->pm_severity != NULL) {
			strbuf_adds(sb, " · ");
			md_text(sb, it->pm_severity, 0, true);
		}
		if (it->pm_date != NULL) {
			strbuf_adds(sb, " · ");
			md_text(sb, it->pm_date, 0, true);
		}
		strbuf_adds(sb, "\\\n");
	}
	/* a skipped or carried item has no budget left: "of 0:00" says nothing */
	strbuf_addf(sb, "Time: %d:%02d", it->spent_s / 60, it->spent_s % 60);
	if (it->budget_s > 0)
		strbuf_addf(sb, " of %d:%02d", it->budget_s / 60, it->budget_s % 60);
	strbuf_adds(sb, " · ");
	md_text(sb, it->state, 0, true);
	if (it->carried_over)
		strbuf_adds(sb, " · carried over from last week");
	strbuf_adds(sb, "\n\n");
	md_entries(sb, doc, (long)i);
}

char *
export_md_minutes(const struct minutes_doc *doc)
{
	struct strbuf sb = STRBUF_INIT;
	char date[11], next[9];
	size_t carried = 0, loose = 0;

	minutes_doc_date(doc, date);
	minutes_doc_next_week(doc, next);
	strbuf_adds(&sb, "# Postmortem review ");
	md_text(&sb, doc->week, 0, true);
	strbuf_adds(&sb, "\n\n");
	strbuf_addf(&sb, "- Date: %s\n", date[0] ? date : "not recorded");
	strbuf_adds(&sb, "- Facilitator: ");
	md_text(&sb, doc->facilitator != NULL ? doc->facilitator : "not recorded", 0, true);
	strbuf_adds(&sb, "\n- Backup: ");
	md_text(&sb, doc->backup != NULL ? doc->backup : "none", 0, true);
	strbuf_adds(&sb, "\n- Attendees: ");
	if (doc->n_attendees == 0)
		strbuf_adds(&sb, "not recorded");
	for (size_t i = 0; i < doc->n_attendees; i++) {
		if (i > 0)
			strbuf_adds(&sb, ", ");
		md_text(&sb, doc->attendees[i], 0, true);
	}
	strbuf_adds(&sb, "\n\nTimes are UTC.\n\n");
	for (size_t i = 0; i < doc->n_items; i++) {
		md_item(&sb, doc, i);
		if (strcmp(doc->items[i].state, "carried") == 0)
			carried++;
	}
	for (size_t i = 0; i < doc->n_entries; i++)
		if (doc->entries[i].item < 0)
			loose++;
	if (loose > 0) {
		strbuf_adds(&sb, "## Other minutes\n\n");
		md_entries(&sb, doc, -1);
	}
	strbuf_adds(&sb, "## Carried over to next week\n\n");
	if (carried == 0)
		strbuf_adds(&sb, "Nothing was carried over.\n\n");
	for (size_t i = 0; i < doc->n_items; i++) {
		const struct minutes_item *it = &doc->items[i];
		if (strcmp(it->state, "carried") != 0)
			continue;
		strbuf_adds(&sb, "- ");
		if (it->pm_id != NULL) {
			md_text(&sb, it->pm_id, 0, true);
			strbuf_adds(&sb, ": ");
		}
		md_text(&sb, minutes_item_label(it), 0, true);
		strbuf_addc(&sb, '\n');
	}
	if (carried > 0)
		strbuf_addc(&sb, '\n');
	strbuf_adds(&sb, "## Next week\n\n");
	if (doc->next_facilitator != NULL) {
		strbuf_addf(&sb, "Facilitator of %s (the rotation's proposal): ", next);
		md_text(&sb, doc->next_facilitator, 0, true);
		strbuf_adds(&sb, doc->next_backup != NULL ? ", backup: " : ".\n");
		if (doc->next_backup != NULL) {
			md_text(&sb, doc->next_backup, 0, true);
			strbuf_adds(&sb, ".\n");
		}
	} else {
		strbuf_addf(&sb, "Nobody on the roster can facilitate %s; add people with "
			    "`furikaeri roster add`.\n", next);
	}
	return strbuf_detach(&sb);
}
