#ifndef FURIKAERI_EXPORT_MD_H
#define FURIKAERI_EXPORT_MD_H

#include "furikaeri/minutes.h"

/* The minutes as CommonMark for someone who missed the meeting: date,
 * facilitator and backup, attendees; per agenda item its postmortem (title
 * linked to its source), the entries in order with their kind (deleted
 * ones struck out, edited ones marked), decisions and agreed measures with
 * owner, due date and ticket; what was carried over; next week's
 * facilitator. Text typed in the meeting is escaped so that it cannot
 * change the document's structure, and terminal controls are neutralised.
 * Pure: no I/O, no clock. Returns an owned string. */
char *export_md_minutes(const struct minutes_doc *doc);

#endif
