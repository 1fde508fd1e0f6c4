#ifndef FURIKAERI_EXPORT_AGENDA_H
#define FURIKAERI_EXPORT_AGENDA_H

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
char *export_agenda_json(const char *week, const struct agenda *a,
			 const struct store_measures *followups);
char *export_agenda_md(const char *week, const struct agenda *a,
		       const struct store_measures *followups);
/* Slack's mrkdwn, for a webhook. */
char *export_agenda_slack(const char *week, const struct agenda *a,
			  const struct store_measures *followups);

#endif
