#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat_private.h"
#include "furikaeri/chat_text.h"
#include "furikaeri/err.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

/* Slack's Web API: methods at https://slack.com/api/METHOD, writes as
 * form fields, answers as HTTP 200 with "ok": false and an error code. */

#define SLACK_FORM "application/x-www-form-urlencoded"
#define SLACK_MARKER_EVENT "furikaeri_post"

/* What to do about each ok:false code, classified from Slack's
 * documentation: chat.postMessage's error list (and the other methods' in
 * ../shared/api-specs/slack-web-api.json) and the Web API's common errors.
 * CHAT_CALL_UNKNOWN is for a write; a read that meets it is tried later.
 * A code not here is refused with a link to the method's page: a person
 * must read what it means. */
static const struct {
	const char *code;
	enum chat_call call;
	const char *advice;	/* %s: the channel as configured */
	bool auth;		/* the token is refused: nothing more is sent */
} slack_errors[] = {
	/* later: "Application has posted too many messages"; Slack answers
	 * 429 with Retry-After, and every post waits for it */
	{ .code = "rate_limited", .call = CHAT_CALL_LATER,
	  .advice = "Slack asks to slow down: posting resumes by itself once its wait is over" },
	{ .code = "ratelimited", .call = CHAT_CALL_LATER,
	  .advice = "Slack asks to slow down: posting resumes by itself once its wait is over" },
	/* unknown: "It's possible some aspect of the operation succeeded
	 * before the error was raised" (internal_error, fatal_error); the
	 * service unavailable or the request timed out on Slack's side */
	{ .code = "internal_error", .call = CHAT_CALL_UNKNOWN,
	  .advice = "Slack failed on its side and may have posted it: it is looked for in the "
		    "channel before it is posted again" },
	{ .code = "fatal_error", .call = CHAT_CALL_UNKNOWN,
	  .advice = "Slack failed on its side and may have posted it: it is looked for in the "
		    "channel before it is posted again" },
	{ .code = "service_unavailable", .call = CHAT_CALL_UNKNOWN,
	  .advice = "Slack is unavailable for now and may have posted it: it is looked for in "
		    "the channel before it is posted again" },
	{ .code = "request_timeout", .call = CHAT_CALL_UNKNOWN,
	  .advice = "Slack timed out reading the request and may have posted it: it is looked "
		    "for in the channel before it is posted again" },
	/* refused: a person must act */
	{ .code = "channel_not_found", .call = CHAT_CALL_REFUSED,
	  .advice = "the channel %s is not found: check [chat] channel (a name such as "
		    "#postmortems, or the channel's id); a private channel must have the app "
		    "invited first" },
	{ .code = "not_in_channel", .call = CHAT_CALL_REFUSED,
	  .advice = "the bot is not in %s: invite it there (/invite @BOT in the channel)" },
	{ .code = "is_archived", .call = CHAT_CALL_REFUSED,
	  .advice = "the channel %s is archived: unarchive it or set another [chat] channel" },
	{ .code = "invalid_auth", .call = CHAT_CALL_REFUSED, .auth = true,
	  .advice = "the Slack token is not valid: set SLACK_BOT_TOKEN or [chat] token_file "
		    "to the app's bot token (xoxb-...)" },
	{ .code = "not_authed", .call = CHAT_CALL_REFUSED, .auth = true,
	  .advice = "no Slack token was sent: set SLACK_BOT_TOKEN or [chat] token_file" },
	{ .code = "token_revoked", .call = CHAT_CALL_REFUSED, .auth = true,
	  .advice = "the Slack token was revoked: reinstall the app to the workspace and set "
		    "the new bot token" },
	{ .code = "token_expired", .call = CHAT_CALL_REFUSED, .auth = true,
	  .advice = "the Slack token expired: reinstall the app to the workspace (or turn off "
		    "token rotation) and set the new bot token" },
	{ .code = "account_inactive", .call = CHAT_CALL_REFUSED, .auth = true,
	  .advice = "the Slack app's bot was deactivated: reinstall the app and set the new "
		    "bot token" },
	{ .code = "missing_scope", .call = CHAT_CALL_REFUSED,
	  .advice = "the Slack app lacks a scope it needs: add the scopes furikaeri doctor "
		    "names under OAuth & Permissions and reinstall the app" },
	{ .code = "msg_too_long", .call = CHAT_CALL_REFUSED,
	  .advice = "the message is longer than Slack takes: shorten the entry and post it "
		    "again" },
	{ .code = "no_text", .call = CHAT_CALL_REFUSED,
	  .advice = "the message is empty: give the entry some text and post it again" },
	{ .code = "restricted_action", .call = CHAT_CALL_REFUSED,
	  .advice = "the workspace does not let the app post in %s: ask a Slack admin to allow "
		    "it, or set another [chat] channel" },
	{ .code = "ekm_access_denied", .call = CHAT_CALL_REFUSED,
	  .advice = "the workspace's admins suspended posting (Enterprise Key Management): ask "
		    "them to restore it" },
	{ .code = "users_not_found", .call = CHAT_CALL_REFUSED,
	  .advice = "nobody in the workspace has this e-mail: set the person's chat id by hand "
		    "(furikaeri roster set NAME --chat U...)" },
	{ .code = "thread_not_found", .call = CHAT_CALL_REFUSED,
	  .advice = "the item's thread was deleted in %s: reopen the item to post a new root" },
};

/* Checks "ok"; false fills *err with what to do and *call with the result. */
static bool
slack_ok(struct chat *c, const char *method, json_t *j, enum chat_call *call, char **err)
{
	const char *code;
	const char *ch = c->cfg->chat.channel;

	if (json_is_true(json_object_get(j, "ok")))
		return true;
	code = chat_json_str(j, "error");
	*call = CHAT_CALL_REFUSED;
	for (size_t i = 0; code != NULL && i < sizeof(slack_errors) / sizeof(slack_errors[0]); i++) {
		if (strcmp(code, slack_errors[i].code) != 0)
			continue;
		{
			struct strbuf sb = STRBUF_INIT;
			const char *needed = chat_json_str(j, "needed");
			const char *adv = slack_errors[i].advice, *at = strstr(adv, "%s");

			strbuf_addf(&sb, "Slack %s: %s: ", method, code);
			if (at != NULL) {
				strbuf_add(&sb, adv, (size_t)(at - adv));
				strbuf_adds(&sb, ch);
				strbuf_adds(&sb, at + 2);
			} else {
				strbuf_adds(&sb, adv);
			}
			if (needed != NULL)
				strbuf_addf(&sb, " (needed: %s)", needed);
			{
				char *clean = text_sanitize(strbuf_str(&sb), false);

				err_set(err, "%s", clean);
				free(clean);
			}
			strbuf_release(&sb);
		}
		*call = slack_errors[i].call;
		if (slack_errors[i].auth)
			chat_refuse_auth(c, err != NULL ? *err : NULL);
		return false;
	}
	{
		char *clean = text_sanitize(code ? code : "no error code", false);

		err_set(err, "Slack %s: %s: see https://api.slack.com/methods/%s for what it means",
			method, clean, method);
		free(clean);
	}
	return false;
}

/* One method call: GET with query (reads) or POST with form (writes). */
static enum chat_call
slack_call(struct chat *c, const char *method, const char *args, bool write, json_t **out,
	   long *wait_ms, char **err)
{
	char *path = write || args == NULL ? xstrdup(method) : xasprintf("%s?%s", method, args);
	json_t *j = NULL;
	long wait = 0;
	enum chat_call r = chat_request(c, write ? "POST" : "GET", path, write ? SLACK_FORM : NULL,
					write ? (args ? args : "") : NULL, !write, &j, &wait, err);

	free(path);
	*out = NULL;
	if (wait_ms != NULL)
		*wait_ms = wait;
	if (r != CHAT_CALL_OK)
		return r;
	if (!json_is_object(j)) {
		json_decref(j);
		err_set(err, "Slack %s: the answer is not JSON; check [chat] url (%s)", method,
			c->base);
		return write ? CHAT_CALL_UNKNOWN : CHAT_CALL_LATER;
	}
	if (!slack_ok(c, method, j, &r, err)) {
		json_decref(j);
		if (r == CHAT_CALL_UNKNOWN && !write)
			r = CHAT_CALL_LATER;	/* a read changed nothing: read again later */
		if (r == CHAT_CALL_LATER) {
			/* rate-limited in an answer of 200, with no Retry-After: half a
			 * minute, for every post (chat_flush holds them) */
			if (wait < 30000)
				wait = 30000;
			c->state = CHAT_RATE_LIMITED;
			c->rate_until_ms = (long long)http_clock_now(c->clock) * 1000 + wait;
			if (wait_ms != NULL)
				*wait_ms = wait;
		}
		return r;
	}
	*out = j;
	return CHAT_CALL_OK;
}

/* "a=1&b=2" from name, value pairs (values escaped); NULL values skipped. */
static char *
form(const char *const *pairs, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i + 1 < n; i += 2) {
		char *v;

		if (pairs[i + 1] == NULL)
			continue;
		v = http_escape(pairs[i + 1]);
		strbuf_addf(&sb, "%s%s=%s", sb.len ? "&" : "", pairs[i], v);
		free(v);
	}
	return strbuf_detach(&sb);
}

static enum chat_call
slack_auth(struct chat *c, char **id, char **name, char **err)
{
	json_t *j;
	enum chat_call r = slack_call(c, "auth.test", NULL, false, &j, NULL, err);

	*id = *name = NULL;
	if (r != CHAT_CALL_OK)
		return r;
	if (chat_json_str(j, "user_id") != NULL)
		*id = xstrdup(chat_json_str(j, "user_id"));
	if (chat_json_str(j, "user") != NULL)
		*name = text_sanitize(chat_json_str(j, "user"), false);
	free(c->bot_id);
	c->bot_id = *id ? xstrdup(*id) : NULL;
	json_decref(j);
	return CHAT_CALL_OK;
}

static bool
looks_like_id(const char *s)
{
	if (s[0] != 'C' && s[0] != 'G')
		return false;
	for (const char *p = s; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			return false;
	return strlen(s) >= 9;
}

static enum chat_call
slack_channel(struct chat *c, const char *channel, char **id, char **err)
{
	const char *name = channel[0] == '#' ? channel + 1 : channel;
	char *cursor = NULL;
	enum chat_call r = CHAT_CALL_OK;
	json_t *found = NULL;

	*id = NULL;
	if (looks_like_id(name)) {
		const char *pairs[] = { "channel", name };
		char *args = form(pairs, 2);
		json_t *j;

		r = slack_call(c, "conversations.info", args, false, &j, NULL, err);
		free(args);
		if (r != CHAT_CALL_OK)
			return r;
		found = json_incref(json_object_get(j, "channel"));
		json_decref(j);
	} else {
		/* a name: through the list of channels the bot can see */
		for (int page = 0; page < 50 && found == NULL; page++) {
			const char *pairs[] = {
				"types", "public_channel,private_channel", "exclude_archived", "true",
				"limit", "200", "cursor", cursor,
			};
			char *args = form(pairs, 8);
			json_t *j, *list, *ch;
			size_t i;
			const char *next;

			r = slack_call(c, "conversations.list", args, false, &j, NULL, err);
			free(args);
			if (r != CHAT_CALL_OK)
				break;
			list = json_object_get(j, "channels");
			json_array_foreach(list, i, ch) {
				const char *n = chat_json_str(ch, "name");

				if (n != NULL && strcmp(n, name) == 0) {
					found = json_incref(ch);
					break;
				}
			}
			next = chat_json_str(json_object_get(j, "response_metadata"), "next_cursor");
			free(cursor);
			cursor = next && next[0] ? xstrdup(next) : NULL;
			json_decref(j);
			if (cursor == NULL)
				break;
		}
		free(cursor);
		if (r != CHAT_CALL_OK)
			return r;
		if (found == NULL) {
			err_set(err, "Slack: the channel %s is not found: check [chat] channel (a name "
				"such as #postmortems, or the channel's id); a private channel must "
				"have the app invited first", channel);
			return CHAT_CALL_REFUSED;
		}
	}
	if (json_is_false(json_object_get(found, "is_member"))) {
		err_set(err, "Slack: the bot is not in %s: invite it there (/invite @BOT in the "
			"channel)", channel);
		json_decref(found);
		return CHAT_CALL_REFUSED;
	}
	if (chat_json_str(found, "id") == NULL) {
		json_decref(found);
		err_set(err, "Slack: the channel %s has no id in the answer", channel);
		return CHAT_CALL_LATER;
	}
	*id = xstrdup(chat_json_str(found, "id"));
	json_decref(found);
	return CHAT_CALL_OK;
}

static enum chat_call
slack_post(struct chat *c, const char *channel, const char *thread, const char *text,
	   const char *marker, char **ref, long *wait_ms, char **err)
{
	json_t *meta = json_pack("{s:s, s:{s:s}}", "event_type", SLACK_MARKER_EVENT,
				 "event_payload", "marker", marker);
	char *meta_text = json_dumps(meta, JSON_COMPACT);
	const char *pairs[] = {
		"channel", channel, "thread_ts", thread, "text", text, "metadata", meta_text,
		"unfurl_links", "false",
	};
	char *args = form(pairs, 10);
	json_t *j;
	enum chat_call r = slack_call(c, "chat.postMessage", args, true, &j, wait_ms, err);

	*ref = NULL;
	free(args);
	free(meta_text);
	json_decref(meta);
	if (r != CHAT_CALL_OK)
		return r;
	if (chat_json_str(j, "ts") == NULL) {
		json_decref(j);
		err_set(err, "Slack chat.postMessage: the answer has no ts; it may have been posted");
		return CHAT_CALL_UNKNOWN;
	}
	*ref = xstrdup(chat_json_str(j, "ts"));
	json_decref(j);
	return CHAT_CALL_OK;
}

static enum chat_call
slack_ephemeral(struct chat *c, const char *channel, const char *thread, const char *user,
		const char *text, long *wait_ms, char **err)
{
	const char *pairs[] = {
		"channel", channel, "user", user, "text", text, "thread_ts", thread,
	};
	char *args = form(pairs, 8);
	json_t *j;
	enum chat_call r = slack_call(c, "chat.postEphemeral", args, true, &j, wait_ms, err);

	free(args);
	if (r == CHAT_CALL_OK && chat_json_str(j, "message_ts") == NULL) {
		err_set(err, "Slack chat.postEphemeral: the answer has no message_ts; it may have "
			"been shown");
		r = CHAT_CALL_UNKNOWN;
	}
	json_decref(j);
	return r;
}

static enum chat_call
slack_update(struct chat *c, const char *channel, const char *ref, const char *text,
	     long *wait_ms, char **err)
{
	const char *pairs[] = { "channel", channel, "ts", ref, "text", text };
	char *args = form(pairs, 6);
	json_t *j;
	enum chat_call r = slack_call(c, "chat.update", args, true, &j, wait_ms, err);

	free(args);
	json_decref(j);
	return r;
}

static long long
ts_ms(const char *ts)
{
	return ts ? (long long)(strtod(ts, NULL) * 1000.0) : 0;
}

/* Each file shared with a message (a screenshot of the dashboard, a log),
 * as a link in mrkdwn after the text: "<permalink|name>". The name is the
 * person's, so it is escaped as Slack escapes text. */
static char *
with_files(const char *text, json_t *files)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *f;
	size_t i;

	strbuf_adds(&sb, text);
	json_array_foreach(files, i, f) {
		const char *link = chat_json_str(f, "permalink");
		const char *name = chat_json_str(f, "title") ? chat_json_str(f, "title")
							      : chat_json_str(f, "name");
		if (link == NULL || strncmp(link, "https://", 8) != 0 || strpbrk(link, "<>| ") != NULL)
			continue;
		strbuf_adds(&sb, sb.len > 0 ? " <" : "<");
		strbuf_adds(&sb, link);
		if (name != NULL && name[0] != '\0') {
			char *label = chat_text_slack_escape(name);
			for (char *p = label; *p != '\0'; p++)
				if (*p == '|' || *p == '\n')
					*p = ' ';
			strbuf_addc(&sb, '|');
			strbuf_adds(&sb, label);
			free(label);
		}
		strbuf_addc(&sb, '>');
	}
	return strbuf_detach(&sb);
}

static void
read_msg(struct chat *c, json_t *m, struct chat_msg *out)
{
	json_t *meta = json_object_get(m, "metadata");
	json_t *edited = json_object_get(m, "edited");
	json_t *reactions = json_object_get(m, "reactions"), *r;
	const char *v;
	size_t i, n = 0;

	memset(out, 0, sizeof(*out));
	out->ref = xstrdup(chat_json_str(m, "ts") ? chat_json_str(m, "ts") : "");
	out->cursor = xstrdup(out->ref);
	out->at_ms = ts_ms(out->ref);
	if ((v = chat_json_str(m, "user")) != NULL)
		out->user = xstrdup(v);
	out->text = with_files(chat_json_str(m, "text") ? chat_json_str(m, "text") : "",
			       json_object_get(m, "files"));
	if (edited != NULL && (v = chat_json_str(edited, "ts")) != NULL)
		out->edited = xstrdup(v);
	if (meta != NULL && (v = chat_json_str(meta, "event_type")) != NULL &&
	    strcmp(v, SLACK_MARKER_EVENT) == 0 &&
	    (v = chat_json_str(json_object_get(meta, "event_payload"), "marker")) != NULL)
		out->marker = xstrdup(v);
	v = chat_json_str(m, "subtype");
	out->deleted = v != NULL && strcmp(v, "tombstone") == 0;
	out->from_bot = json_object_get(m, "bot_id") != NULL ||
			(v != NULL && strcmp(v, "bot_message") == 0) ||
			(c->bot_id != NULL && out->user != NULL && strcmp(out->user, c->bot_id) == 0);
	json_array_foreach(reactions, i, r) {
		json_t *users = json_object_get(r, "users"), *u;
		size_t k;

		json_array_foreach(users, k, u) {
			if (!json_is_string(u) || chat_json_str(r, "name") == NULL)
				continue;
			out->reactions = xreallocarray(out->reactions, n + 2, sizeof(char *));
			out->reactions[n++] = xasprintf("%s\t%s", chat_json_str(r, "name"),
							json_string_value(u));
			out->reactions[n] = NULL;
		}
	}
}

/* Reads pages of messages (conversations.replies or .history) into out. */
static enum chat_call
slack_pages(struct chat *c, const char *method, const char *channel, const char *root,
	    const char *oldest, int max_pages, struct chat_msgs *out, long *wait_ms, char **err)
{
	char *cursor = NULL;
	enum chat_call r = CHAT_CALL_OK;

	memset(out, 0, sizeof(*out));
	for (int page = 0; page < max_pages; page++) {
		const char *pairs[] = {
			"channel", channel, "ts", root, "oldest", oldest, "limit", "200",
			"include_all_metadata", "true", "cursor", cursor,
		};
		char *args = form(pairs, 12);
		json_t *j, *msgs, *m;
		size_t i;
		const char *next;

		r = slack_call(c, method, args, false, &j, wait_ms, err);
		free(args);
		if (r != CHAT_CALL_OK)
			break;
		msgs = json_object_get(j, "messages");
		json_array_foreach(msgs, i, m) {
			const char *ts = chat_json_str(m, "ts");

			/* conversations.replies always answers with the root first */
			if (root != NULL && ts != NULL && strcmp(ts, root) == 0)
				continue;
			out->rows = xreallocarray(out->rows, out->n + 1, sizeof(*out->rows));
			read_msg(c, m, &out->rows[out->n++]);
		}
		next = chat_json_str(json_object_get(j, "response_metadata"), "next_cursor");
		free(cursor);
		cursor = next && next[0] ? xstrdup(next) : NULL;
		json_decref(j);
		if (cursor == NULL)
			break;
	}
	free(cursor);
	if (r != CHAT_CALL_OK)
		chat_msgs_free(out);
	return r;
}

static enum chat_call
slack_thread(struct chat *c, const char *channel, const char *root, const char *cursor,
	     struct chat_msgs *out, long *wait_ms, char **err)
{
	/* 100 a page: a full read of a meeting's thread is one request (Slack
	 * allows up to 1,000 and advises 200 at most) */
	return slack_pages(c, "conversations.replies", channel, root, cursor, 100, out, wait_ms,
			   err);
}

static enum chat_call
slack_recent(struct chat *c, const char *channel, long long since_s, struct chat_msgs *out,
	     long *wait_ms, char **err)
{
	char oldest[32];

	snprintf(oldest, sizeof(oldest), "%lld.000000", since_s);
	return slack_pages(c, "conversations.history", channel, NULL, since_s > 0 ? oldest : NULL,
			   since_s > 0 ? 10 : 1, out, wait_ms, err);
}

/* Pages of 200 parents (the most Slack advises): a meeting's threads are
 * a dozen, so the cost is one request however many items there are; a
 * busier channel is followed by its cursor, up to ten pages. */
static enum chat_call
slack_activity(struct chat *c, const char *channel, const char *first_root, long long since_ms,
	       struct chat_msgs *out, long *wait_ms, char **err)
{
	char *cursor = NULL;
	enum chat_call r = CHAT_CALL_OK;

	(void)since_ms;
	memset(out, 0, sizeof(*out));
	for (int page = 0; page < 10; page++) {
		const char *pairs[] = { "channel", channel, "oldest", first_root, "inclusive", "true",
					"limit", "200", "cursor", cursor };
		char *args = form(pairs, 10);
		json_t *j, *m;
		size_t i;
		const char *next;

		r = slack_call(c, "conversations.history", args, false, &j, wait_ms, err);
		free(args);
		if (r != CHAT_CALL_OK)
			break;
		json_array_foreach(json_object_get(j, "messages"), i, m) {
			const char *ts = chat_json_str(m, "ts");
			const char *latest = chat_json_str(m, "latest_reply");

			if (ts == NULL || latest == NULL ||
			    json_integer_value(json_object_get(m, "reply_count")) <= 0)
				continue;
			out->rows = xreallocarray(out->rows, out->n + 1, sizeof(*out->rows));
			memset(&out->rows[out->n], 0, sizeof(out->rows[out->n]));
			out->rows[out->n].ref = xstrdup(ts);
			out->rows[out->n].at_ms = ts_ms(latest);
			out->rows[out->n++].cursor = xstrdup(latest);
		}
		next = chat_json_str(json_object_get(j, "response_metadata"), "next_cursor");
		free(cursor);
		cursor = next && next[0] ? xstrdup(next) : NULL;
		json_decref(j);
		if (cursor == NULL)
			break;
	}
	free(cursor);
	if (r != CHAT_CALL_OK)
		chat_msgs_free(out);
	return r;
}

static enum chat_call
slack_user_name(struct chat *c, const char *user, char **name, char **err)
{
	const char *pairs[] = { "user", user };
	char *args = form(pairs, 2);
	json_t *j, *u, *profile;
	const char *v = NULL;
	enum chat_call r = slack_call(c, "users.info", args, false, &j, NULL, err);

	free(args);
	*name = NULL;
	if (r != CHAT_CALL_OK)
		return r;
	u = json_object_get(j, "user");
	profile = json_object_get(u, "profile");
	if ((v = chat_json_str(profile, "display_name")) == NULL || v[0] == '\0')
		if ((v = chat_json_str(profile, "real_name")) == NULL || v[0] == '\0')
			if ((v = chat_json_str(u, "real_name")) == NULL || v[0] == '\0')
				v = chat_json_str(u, "name");
	if (v != NULL && v[0] != '\0')
		*name = text_sanitize(v, false);
	json_decref(j);
	return CHAT_CALL_OK;
}

static enum chat_call
slack_by_email(struct chat *c, const char *email, char **id, char **handle, char **err)
{
	const char *pairs[] = { "email", email };
	char *args = form(pairs, 2);
	json_t *j;
	enum chat_call r = slack_call(c, "users.lookupByEmail", args, false, &j, NULL, err);
	const char *v;

	free(args);
	*id = NULL;
	*handle = NULL;	/* Slack mentions by id */
	if (r != CHAT_CALL_OK)
		return r;
	v = chat_json_str(json_object_get(j, "user"), "id");
	if (v != NULL && v[0] != '\0')
		*id = xstrdup(v);
	json_decref(j);
	if (*id == NULL) {
		err_set(err, "Slack users.lookupByEmail: the answer has no user id");
		return CHAT_CALL_LATER;
	}
	return CHAT_CALL_OK;
}

static char *
names(void *ctx, const char *user)
{
	return chat_user_name(ctx, user);
}

static char *
slack_decode(struct chat *c, const char *text)
{
	return chat_text_from_slack(text, names, c);
}

const struct chat_ops chat_slack_ops = {
	.name = "Slack",
	.service = "slack",
	.auth = slack_auth,
	.channel = slack_channel,
	.post = slack_post,
	.ephemeral = slack_ephemeral,
	.update = slack_update,
	.thread = slack_thread,
	.recent = slack_recent,
	.activity = slack_activity,
	.by_email = slack_by_email,
	.user_name = slack_user_name,
	.decode = slack_decode,
	.escape = chat_text_slack_escape,
};
