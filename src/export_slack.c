#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/chat_text.h"
#include "furikaeri/export_slack.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

/* Sanitised (newlines in an entry become spaces so one entry stays one
 * bullet), then Slack's three entities (chat_text_slack_escape). */
static void
slack_text(struct strbuf *sb, const char *s)
{
	char *clean = text_sanitize(s != NULL ? s : "", false);
	char *esc = chat_text_slack_escape(clean);

	strbuf_adds(sb, esc);
	free(esc);
	free(clean);
}

static bool
is_url(const char *s)
{
	return text_is_link_url(s, "<>|");
}

/* <url|text>, or the text alone when there is no URL to link. */
static void
slack_link(struct strbuf *sb, const char *text, const char *url)
{
	if (!is_url(url)) {
		slack_text(sb, text);
		return;
	}
	strbuf_addc(sb, '<');
	slack_text(sb, url);
	strbuf_addc(sb, '|');
	slack_text(sb, text);
	strbuf_addc(sb, '>');
}

static void
slack_entry(struct strbuf *sb, const struct minutes_doc *doc, size_t i)
{
	const struct minutes_entry *e = &doc->entries[i];
	int action = minutes_doc_action_number(doc, i);

	strbuf_adds(sb, "• ");
	if (action > 0) {
		strbuf_addf(sb, "_action %d:_ ", action);
	} else {
		strbuf_addc(sb, '_');
		slack_text(sb, e->kind);
		strbuf_adds(sb, ":_ ");
	}
	if (e->deleted_at != NULL) {
		strbuf_addc(sb, '~');
		slack_text(sb, e->body);
		strbuf_adds(sb, "~ (deleted)\n");
		return;
	}
	if (strcmp(e->kind, "link") == 0 && is_url(e->body))
		slack_link(sb, e->body, e->body);
	else
		slack_text(sb, e->body);
	if (action > 0 && e->owner != NULL) {
		strbuf_adds(sb, " — ");
		slack_text(sb, e->owner);
	}
	if (action > 0 && e->due != NULL) {
		strbuf_adds(sb, ", due ");
		slack_text(sb, e->due);
	}
	if (minutes_entry_agreed(e))
		strbuf_adds(sb, ", agreed");
	if (action > 0 && e->ticket != NULL) {
		strbuf_adds(sb, ", ");
		slack_link(sb, e->ticket, e->ticket_url);
	}
	if (e->edited_at != NULL)
		strbuf_adds(sb, " (edited)");
	switch (minutes_entry_late(doc, e)) {
	case MINUTES_LATE_MEETING:
		strbuf_adds(sb, " (late, after the meeting)");
		break;
	case MINUTES_LATE_ITEM:
		strbuf_adds(sb, " (late, after the item closed)");
		break;
	case MINUTES_ON_TIME:
		break;
	}
	strbuf_addc(sb, '\n');
}

/* The entries of item (or of no item, -1), then its agreed measures. */
static void
slack_entries(struct strbuf *sb, const struct minutes_doc *doc, long item)
{
	size_t agreed = 0;

	for (size_t j = 0; j < doc->n_entries; j++) {
		if (doc->entries[j].item != item)
			continue;
		slack_entry(sb, doc, j);
		if (minutes_entry_agreed(&doc->entries[j]))
			agreed++;
	}
	if (agreed == 0)
		return;
	strbuf_adds(sb, "_Agreed measures:_\n");
	for (size_t j = 0; j < doc->n_entries; j++) {
		const struct minutes_entry *e = &doc->entries[j];
		if (e->item != item || !minutes_entry_agreed(e))
			continue;
		strbuf_adds(sb, "• ");
		slack_text(sb, e->body);
		strbuf_adds(sb, " — ");
		slack_text(sb, e->owner != NULL ? e->owner : "no owner yet");
		strbuf_adds(sb, ", due ");
		slack_text(sb, e->due != NULL ? e->due : "not set");
		strbuf_adds(sb, ", ");
		if (e->ticket != NULL) {
			slack_link(sb, e->ticket, e->ticket_url);
		} else {
			strbuf_adds(sb, "ticket ");
			slack_text(sb, e->ticket_state != NULL ? e->ticket_state : "none yet");
		}
		strbuf_addc(sb, '\n');
	}
}

static void
slack_item(struct strbuf *sb, const struct minutes_doc *doc, size_t i)
{
	const struct minutes_item *it = &doc->items[i];

	strbuf_addf(sb, "\n*%zu. ", i + 1);
	if (it->pm_id != NULL) {
		char *label = xasprintf("%s: %s", it->pm_id, minutes_item_label(it));
		slack_link(sb, label, it->pm_source);
		free(label);
	} else {
		slack_text(sb, minutes_item_label(it));
	}
	strbuf_adds(sb, "*");
	if (it->pm_severity != NULL) {
		strbuf_adds(sb, " ");
		slack_text(sb, it->pm_severity);
	}
	if (it->carried_over)
		strbuf_adds(sb, " _(carried over from last week)_");
	if (strcmp(it->state, "skipped") == 0 || strcmp(it->state, "carried") == 0)
		strbuf_addf(sb, " _(%s)_", strcmp(it->state, "skipped") == 0 ? "skipped" : "carried");
	strbuf_addc(sb, '\n');
	slack_entries(sb, doc, (long)i);
}

char *
export_slack_minutes(const struct minutes_doc *doc)
{
	struct strbuf sb = STRBUF_INIT;
	char date[11], next[9];
	size_t carried = 0, loose = 0;

	minutes_doc_date(doc, date);
	minutes_doc_next_week(doc, next);
	strbuf_adds(&sb, "*Postmortem review ");
	slack_text(&sb, doc->week);
	strbuf_addf(&sb, "* (%s)\n", date[0] ? date : "date not recorded");
	strbuf_adds(&sb, "Facilitator: ");
	slack_text(&sb, doc->facilitator != NULL ? doc->facilitator : "not recorded");
	if (doc->backup != NULL) {
		strbuf_adds(&sb, " (backup: ");
		slack_text(&sb, doc->backup);
		strbuf_adds(&sb, ")");
	}
	strbuf_adds(&sb, "\nAttendees: ");
	if (doc->n_attendees == 0)
		strbuf_adds(&sb, "not recorded");
	for (size_t i = 0; i < doc->n_attendees; i++) {
		if (i > 0)
			strbuf_adds(&sb, ", ");
		slack_text(&sb, doc->attendees[i]);
	}
	strbuf_addc(&sb, '\n');
	for (size_t i = 0; i < doc->n_items; i++) {
		slack_item(&sb, doc, i);
		if (strcmp(doc->items[i].state, "carried") == 0)
			carried++;
	}
	for (size_t i = 0; i < doc->n_entries; i++)
		if (doc->entries[i].item < 0)
			loose++;
	/* entries of no agenda item, as the Markdown's "Other minutes" */
	if (loose > 0) {
		strbuf_adds(&sb, "\n*Other minutes*\n");
		slack_entries(&sb, doc, -1);
	}
	if (carried > 0) {
		strbuf_adds(&sb, "\n*Carried over to next week:* ");
		for (size_t i = 0, k = 0; i < doc->n_items; i++) {
			if (strcmp(doc->items[i].state, "carried") != 0)
				continue;
			if (k++ > 0)
				strbuf_adds(&sb, ", ");
			slack_text(&sb, minutes_item_label(&doc->items[i]));
		}
		strbuf_addc(&sb, '\n');
	}
	strbuf_addf(&sb, "\n*Next week (%s):* ", next);
	if (doc->next_facilitator != NULL) {
		slack_text(&sb, doc->next_facilitator);
		if (doc->next_backup != NULL) {
			strbuf_adds(&sb, " (backup: ");
			slack_text(&sb, doc->next_backup);
			strbuf_adds(&sb, ")");
		}
	} else {
		strbuf_adds(&sb, "nobody on the roster to propose");
	}
	strbuf_addc(&sb, '\n');
	return strbuf_detach(&sb);
}
