#ifndef FURIKAERI_EXPORT_SLACK_H
#define FURIKAERI_EXPORT_SLACK_H

#include "furikaeri/minutes.h"

/* The minutes as Slack mrkdwn (*bold*, _italic_, <url|text>; &, < and >
 * escaped as Slack asks), for a chat channel: the same content as the
 * Markdown export, shorter. Pure; returns an owned string. */
char *export_slack_minutes(const struct minutes_doc *doc);

#endif
