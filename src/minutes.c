#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/hash.h"
#include "furikaeri/minutes.h"
#include "furikaeri/week.h"
#include "furikaeri/xalloc.h"

struct minutes_doc *
minutes_doc_new(void)
{
	struct minutes_doc *doc = xcalloc(1, sizeof(*doc));

	doc->budget_minutes = 60;
	return doc;
}

static void
item_release(struct minutes_item *it)
{
	free(it->kind);
	free(it->pm_id);
	free(it->title);
	free(it->pm_source);
	free(it->pm_severity);
	free(it->pm_date);
	free(it->state);
	free(it->closed_at);
}

static void
entry_release(struct minutes_entry *e)
{
	free(e->entry_marker);
	free(e->kind);
	free(e->body);
	free(e->created_at);
	free(e->edited_at);
	free(e->author);
	free(e->deleted_at);
	free(e->marker);
	free(e->owner);
	free(e->due);
	free(e->status);
	free(e->agreed_at);
	free(e->done_at);
	free(e->ticket);
	free(e->ticket_url);
	free(e->ticket_state);
}

void
minutes_doc_free(struct minutes_doc *doc)
{
	if (doc == NULL)
		return;
	free(doc->week);
	free(doc->facilitator);
	free(doc->backup);
	free(doc->started_at);
	free(doc->ended_at);
	for (size_t i = 0; i < doc->n_attendees; i++)
		free(doc->attendees[i]);
	free(doc->attendees);
	for (size_t i = 0; i < doc->n_items; i++)
		item_release(&doc->items[i]);
	free(doc->items);
	for (size_t i = 0; i < doc->n_entries; i++)
		entry_release(&doc->entries[i]);
	free(doc->entries);
	for (size_t i = 0; i < doc->n_roster; i++) {
		free(doc->roster[i].name);
		free(doc->roster[i].role);
		free(doc->roster[i].away_until);
	}
	free(doc->roster);
	free(doc->next_facilitator);
	free(doc->next_backup);
	free(doc);
}

struct minutes_item *
minutes_doc_add_item(struct minutes_doc *doc)
{
	doc->items = xreallocarray(doc->items, doc->n_items + 1, sizeof(*doc->items));
	memset(&doc->items[doc->n_items], 0, sizeof(*doc->items));
	return &doc->items[doc->n_items++];
}

struct minutes_entry *
minutes_doc_add_entry(struct minutes_doc *doc)
{
	doc->entries = xreallocarray(doc->entries, doc->n_entries + 1, sizeof(*doc->entries));
	memset(&doc->entries[doc->n_entries], 0, sizeof(*doc->entries));
	doc->entries[doc->n_entries].item = -1;
	return &doc->entries[doc->n_entries++];
}

struct minutes_person *
minutes_doc_add_person(struct minutes_doc *doc)
{
	doc->roster = xreallocarray(doc->roster, doc->n_roster + 1, sizeof(*doc->roster));
	memset(&doc->roster[doc->n_roster], 0, sizeof(*doc->roster));
	return &doc->roster[doc->n_roster++];
}

void
minutes_doc_add_attendee(struct minutes_doc *doc, const char *name)
{
	doc->attendees = xreallocarray(doc->attendees, doc->n_attendees + 1, sizeof(char *));
	doc->attendees[doc->n_attendees++] = xstrdup(name);
}

const char *
minutes_item_label(const struct minutes_item *it)
{
	if (it->title != NULL && it->title[0] != '\0')
		return it->title;
	if (strcmp(it->kind, "followups") == 0)
		return "Follow-ups";
	if (strcmp(it->kind, "wrapup") == 0)
		return "Wrap-up";
	return "(untitled)";
}

int
minutes_doc_action_number(const struct minutes_doc *doc, size_t i)
{
	int n = 0;

	if (i >= doc->n_entries || strcmp(doc->entries[i].kind, "action") != 0)
		return 0;
	for (size_t j = 0; j <= i; j++)
		if (strcmp(doc->entries[j].kind, "action") == 0)
			n++;
	return n;
}

void
minutes_doc_date(const struct minutes_doc *doc, char out[11])
{
	struct week w;
	long days;

	out[0] = '\0';
	if (doc->started_at != NULL && strlen(doc->started_at) >= 10) {
		memcpy(out, doc->started_at, 10);
		out[10] = '\0';
		if (week_date_parse(out, &days))
			return;
	}
	out[0] = '\0';
	if (doc->week != NULL && week_parse(doc->week, &w))
		week_date_format(week_monday(w), out);
}

void
minutes_doc_next_week(const struct minutes_doc *doc, char out[9])
{
	struct week w;

	out[0] = '\0';
	if (doc->week != NULL && week_parse(doc->week, &w))
		week_format(week_next(w), out);
}

void
minutes_hm(const char *timestamp, char out[6])
{
	out[0] = '\0';
	if (timestamp == NULL || strlen(timestamp) < 16 || timestamp[10] != 'T' ||
	    timestamp[13] != ':')
		return;
	memcpy(out, timestamp + 11, 5);
	out[5] = '\0';
}

bool
minutes_entry_agreed(const struct minutes_entry *e)
{
	return e->kind != NULL && strcmp(e->kind, "action") == 0 && e->agreed_at != NULL &&
	       e->deleted_at == NULL;
}

enum minutes_late
minutes_entry_late(const struct minutes_doc *doc, const struct minutes_entry *e)
{
	const char *closed = e->item >= 0 && (size_t)e->item < doc->n_items
			     ? doc->items[e->item].closed_at : NULL;

	/* all ISO 8601 UTC: their order is the strings' */
	if (e->created_at == NULL)
		return MINUTES_ON_TIME;
	if (doc->ended_at != NULL && strcmp(e->created_at, doc->ended_at) > 0)
		return MINUTES_LATE_MEETING;
	if (closed != NULL && strcmp(e->created_at, closed) > 0)
		return MINUTES_LATE_ITEM;
	return MINUTES_ON_TIME;
}

char *
minutes_entry_identity(const char *week, const struct minutes_entry *e)
{
	uint64_t h;
	char *key;

	if (e->entry_marker != NULL)
		return xstrdup(e->entry_marker);
	key = xasprintf("%s\x1f%d\x1f%s\x1f%s", week != NULL ? week : "", e->seq,
			e->created_at != NULL ? e->created_at : "", e->kind != NULL ? e->kind : "");
	h = hash_bytes(HASH_INIT, key, strlen(key));
	free(key);
	return xasprintf("fm-%016llx", (unsigned long long)h);
}
