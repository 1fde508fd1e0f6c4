#ifndef FURIKAERI_EXPORT_AGENDA_H
#define FURIKAERI_EXPORT_AGENDA_H

#include <stdbool.h>
#include <stddef.h>

#include "furikaeri/agenda.h"
#include "furikaeri/store_meeting.h"

/* The agenda a meeting opens with, to read or post before it: every item in
 * order with its kind, postmortem id and title and budget in minutes, then
 * the follow-up measures. Each returns an owned string. The JSON shape is
 * in furikaeri(5):
 *   {"week": "2026-W49", "total_minutes": 60,
 *    "items": [{"kind": "postmortem", "id": "pm-031", "title": "...",
 *               "date": "2026-11-24", "severity": "SEV2", "minutes": 17}],
 *    "followups": [{"id": 12, "title": "...", "owner": "Mei",
 *                   "due": "2026-12-15", "ticket": "OPS-412",
 *                   "postmortem": "pm-020"}]} */
/* One item as printed (strings borrowed). */
struct export_agenda_item {
	const char *kind;	/* followups, postmortem, topic, wrapup */
	const char *id;		/* the postmortem's, or NULL */
	const char *title;
	const char *date;	/* may be NULL */
	int severity_rank;	/* 1..5, else unknown */
	bool carried_over;
	bool if_time;		/* waits "if time permits" (minutes 0) */
	int minutes;		/* the budget as planned */
	/* a meeting opened: where the item stands (pending, current, done,
	 * skipped, carried) and the time it took; NULL and 0 before */
	const char *state;
	int spent_s;
};

struct export_agenda {
	const char *week;
	int total_minutes;
	const struct export_agenda_item *items;
	size_t n_items;
	const struct store_measures *followups;
};

/* The items of a fresh agenda (a new array, free it; strings borrowed from a). */
struct export_agenda_item *export_agenda_items(const struct agenda *a, size_t *n);
char *export_agenda_json(const struct export_agenda *e);
char *export_agenda_md(const struct export_agenda *e);
/* Slack's mrkdwn, for a webhook. */
char *export_agenda_slack(const struct export_agenda *e);

#endif
