#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "chat_private.h"
#include "furikaeri/chat_doctor.h"
#include "furikaeri/paths.h"
#include "furikaeri/strbuf.h"

/* Slack's Tier 3, where conversations.replies is for an internal app: about
 * 50 calls a minute. */
#define SLACK_TIER3_PER_MINUTE 50

/* The Slack scopes the meeting uses (data/chat/slack-app-manifest.yml), each
 * with what it is for. */
static const struct {
	const char *scope;
	const char *why;
} chat_slack_scopes[] = {
	{ .scope = "chat:write", .why = "post the items, entries and wrap-up" },
	{ .scope = "channels:read", .why = "find a public channel by name" },
	{ .scope = "groups:read", .why = "find a private channel by name" },
	{ .scope = "channels:history", .why = "read the replies in a public channel" },
	{ .scope = "groups:history", .why = "read the replies in a private channel" },
	{ .scope = "users:read", .why = "show who said what by name" },
	{ .scope = "users:read.email", .why = "find the roster's people by e-mail (roster sync)" },
};

static bool
has_scope(const char *list, const char *scope)
{
	size_t n = strlen(scope);

	for (const char *p = list; p != NULL && *p != '\0';) {
		while (*p == ' ' || *p == ',')
			p++;
		if (strncmp(p, scope, n) == 0 && (p[n] == ',' || p[n] == ' ' || p[n] == '\0'))
			return true;
		p = strchr(p, ',');
	}
	return false;
}

int
chat_doctor(struct chat *c, char **report)
{
	struct strbuf sb = STRBUF_INIT;
	char *id = NULL, *name = NULL, *err = NULL;
	int rc = 0;

	if (c->ops->auth(c, &id, &name, &err) == CHAT_CALL_OK) {
		strbuf_addf(&sb, "ok   %s: the token authenticates as %s\n", c->ops->name,
			    name ? name : id ? id : "?");
	} else {
		strbuf_addf(&sb, "FAIL %s: the token does not authenticate: %s\n", c->ops->name,
			    err ? err : "no answer");
		rc = -1;
	}
	free(id);
	free(name);
	free(err);
	err = NULL;
	if (rc == 0 && c->ops == &chat_slack_ops && c->scopes != NULL) {
		struct strbuf missing = STRBUF_INIT;

		for (size_t i = 0; i < sizeof(chat_slack_scopes) / sizeof(chat_slack_scopes[0]); i++)
			if (!has_scope(c->scopes, chat_slack_scopes[i].scope))
				strbuf_addf(&missing, "%s%s (to %s)", missing.len ? ", " : "",
					    chat_slack_scopes[i].scope, chat_slack_scopes[i].why);
		if (missing.len > 0) {
			char *dir = paths_data_dir();
			strbuf_addf(&sb, "FAIL Slack: the app lacks %s: add them under OAuth & "
				    "Permissions (%s/chat/slack-app-manifest.yml lists them all) and "
				    "reinstall the app to the workspace\n", strbuf_str(&missing), dir);
			free(dir);
			rc = -1;
		} else {
			strbuf_addf(&sb, "ok   Slack: the app has every scope the meeting uses\n");
		}
		strbuf_release(&missing);
	}
	if (rc == 0) {
		free(c->channel_id);
		c->channel_id = NULL;
		if (chat_ensure_channel(c, &err) == 0) {
			strbuf_addf(&sb, "ok   %s: channel %s (%s) found, and the bot is in it\n",
				    c->ops->name, c->cfg->chat.channel, c->channel_id);
		} else {
			strbuf_addf(&sb, "FAIL %s\n", err ? err : "the channel cannot be read");
			rc = -1;
		}
		free(err);
	}
	if (rc == 0) {
		/* one read a poll (chat_worker.c): the open item's thread and,
		 * in turn, the meeting's threads with new replies or a look at
		 * which have some; however many items the meeting has */
		long per_minute = (60 + c->cfg->chat.poll_s - 1) / c->cfg->chat.poll_s;
		if (c->ops == &chat_slack_ops && per_minute > SLACK_TIER3_PER_MINUTE)
			strbuf_addf(&sb, "warn Slack: poll_seconds = %ld reads the threads %ld "
				    "times a minute at worst, above the %d of Slack's Tier 3: Slack "
				    "will answer 429 and replies come in later; set [chat] "
				    "poll_seconds = 2 or more\n", c->cfg->chat.poll_s, per_minute,
				    SLACK_TIER3_PER_MINUTE);
		else
			strbuf_addf(&sb, "ok   %s: the threads are read %ld times a minute at worst "
				    "(one read a poll, poll_seconds = %ld, whatever the number of "
				    "items)%s\n", c->ops->name, per_minute, c->cfg->chat.poll_s,
				    c->ops == &chat_slack_ops ? ", within the 50 of Slack's Tier 3"
							      : "");
	}
	*report = strbuf_detach(&sb);
	return rc;
}
