#include "config.h"

#include <ctype.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "fake_chat.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"

#define SLACK_BOT "UBOT"
#define MM_BOT "bot00000000000000000000000"
#define MM_CHANNEL "pm000000000000000000000000"
#define MM_SINCE "/api/v4/channels/" MM_CHANNEL "/posts?since="
#define MM_TEAM "team0000000000000000000000"

struct fake_msg {
	char *ref;
	char *thread;		/* root's ref, NULL for a root */
	char *user;
	char *text;
	char *marker;
	char *edited;
	long long at_ms;
	bool deleted;
	json_t *reactions;	/* [{name, users: []}] */
	char *file;		/* the name of a file shared with it, or NULL */
};

struct fake_chat {
	struct fake_http *f;
	enum fake_chat_service service;
	pthread_mutex_t lock;
	struct fake_msg *msgs;
	size_t n;
	char **users;		/* id, name, e-mail (may be NULL) triples */
	size_t n_users;
	enum fake_chat_fault *faults;
	size_t n_faults, next_fault;
	bool down, member;
	char *scopes;		/* Slack's x-oauth-scopes */
	char *next_error;	/* the next Slack post's ok:false code */
	bool next_error_stored;	/* the post is stored before the error */
	int post_delay_ms;	/* before a post is stored */
	int answer_delay_ms;	/* after it is stored, before the answer */
	int every_delay_ms;	/* before any answer of the service */
	long long seq;
	long long epoch;	/* the wall clock of the first post, in seconds */
	size_t refused;		/* requests answered invalid_auth / 401 */
	int page_size;		/* Slack's pages at most this long (0: limit alone) */
	size_t pages;		/* Slack pages answered after the first (a cursor) */
	char **ephemerals;	/* user, thread (may be NULL), text triples */
	size_t n_ephemerals;
	char buf[64];
};

static char *
url_decode(const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len + 1 && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			char hex[3] = { s[i + 1], s[i + 2], '\0' };

			strbuf_addc(&sb, (char)strtol(hex, NULL, 16));
			i += 2;
		} else {
			strbuf_addc(&sb, s[i] == '+' ? ' ' : s[i]);
		}
	}
	return strbuf_detach(&sb);
}

/* The value of name in a query or form (owned), NULL when absent. */
static char *
field(const char *q, const char *name)
{
	size_t n = strlen(name);

	if (q == NULL)
		return NULL;
	for (const char *p = q; p != NULL && *p != '\0';) {
		const char *end = strchr(p, '&');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > n && strncmp(p, name, n) == 0 && p[n] == '=')
			return url_decode(p + n + 1, len - n - 1);
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

static void
answer(struct fake_http_answer *a, int status, json_t *j)
{
	a->action = FAKE_HTTP_REPLY;
	a->status = status;
	a->headers = xstrdup("Content-Type: application/json\r\n");
	a->body = json_dumps(j, JSON_COMPACT);
	json_decref(j);
}

static void
slack_scopes(struct fake_chat *fc, struct fake_http_answer *a)
{
	if (a->action == FAKE_HTTP_REPLY && a->headers != NULL && fc->scopes != NULL) {
		char *h = xasprintf("%sx-oauth-scopes: %s\r\n", a->headers, fc->scopes);

		free(a->headers);
		a->headers = h;
	}
}

static void
slack_error(struct fake_http_answer *a, const char *code)
{
	answer(a, 200, json_pack("{s:b, s:s}", "ok", 0, "error", code));
}

static const char *
user_name(struct fake_chat *fc, const char *id)
{
	for (size_t i = 0; i < fc->n_users; i++)
		if (strcmp(fc->users[3 * i], id) == 0)
			return fc->users[3 * i + 1];
	return NULL;
}

/* A person's username, as Mattermost mentions them: their display name in
 * lower case without spaces ("Aoi Tanaka": "aoitanaka"); in fc->buf. */
static const char *
user_handle(struct fake_chat *fc, const char *id)
{
	const char *name = user_name(fc, id);
	size_t n = 0;

	for (const char *p = name ? name : "login"; *p != '\0' && n + 1 < sizeof(fc->buf); p++)
		if (*p != ' ')
			fc->buf[n++] = (char)tolower((unsigned char)*p);
	fc->buf[n] = '\0';
	return fc->buf;
}

static const char *
user_by_email(struct fake_chat *fc, const char *email)
{
	for (size_t i = 0; email != NULL && i < fc->n_users; i++)
		if (fc->users[3 * i + 2] != NULL && strcasecmp(fc->users[3 * i + 2], email) == 0)
			return fc->users[3 * i];
	return NULL;
}

/* Adds a person, or renames one whose id is known; under the lock. */
static void
put_user(struct fake_chat *fc, const char *id, const char *name, const char *email)
{
	for (size_t i = 0; i < fc->n_users; i++)
		if (strcmp(fc->users[3 * i], id) == 0) {
			free(fc->users[3 * i + 1]);
			fc->users[3 * i + 1] = xstrdup(name);
			if (email != NULL) {
				free(fc->users[3 * i + 2]);
				fc->users[3 * i + 2] = xstrdup(email);
			}
			return;
		}
	fc->users = xreallocarray(fc->users, 3 * (fc->n_users + 1), sizeof(char *));
	fc->users[3 * fc->n_users] = xstrdup(id);
	fc->users[3 * fc->n_users + 1] = xstrdup(name);
	fc->users[3 * fc->n_users + 2] = email ? xstrdup(email) : NULL;
	fc->n_users++;
}

static struct fake_msg *
find(struct fake_chat *fc, const char *ref)
{
	for (size_t i = 0; i < fc->n; i++)
		if (strcmp(fc->msgs[i].ref, ref) == 0)
			return &fc->msgs[i];
	return NULL;
}

/* Records an ephemeral post (seen by user alone, in no history); under
 * the lock. */
static void
put_ephemeral(struct fake_chat *fc, const char *user, const char *thread, const char *text)
{
	fc->ephemerals = xreallocarray(fc->ephemerals, 3 * (fc->n_ephemerals + 1), sizeof(char *));
	fc->ephemerals[3 * fc->n_ephemerals] = xstrdup(user);
	fc->ephemerals[3 * fc->n_ephemerals + 1] = thread && thread[0] ? xstrdup(thread) : NULL;
	fc->ephemerals[3 * fc->n_ephemerals + 2] = xstrdup(text ? text : "");
	fc->n_ephemerals++;
}

/* Stores a message; under the lock. */
static struct fake_msg *
store(struct fake_chat *fc, const char *thread, const char *user, const char *text,
      const char *marker)
{
	struct fake_msg *m;
	char ref[40];

	fc->seq++;
	if (fc->service == FAKE_CHAT_SLACK)
		snprintf(ref, sizeof(ref), "%lld.%06lld", fc->epoch, fc->seq * 100);
	else
		snprintf(ref, sizeof(ref), "p%025lld", fc->seq);
	fc->msgs = xreallocarray(fc->msgs, fc->n + 1, sizeof(*fc->msgs));
	m = &fc->msgs[fc->n++];
	memset(m, 0, sizeof(*m));
	m->ref = xstrdup(ref);
	m->thread = thread && thread[0] ? xstrdup(thread) : NULL;
	m->user = xstrdup(user);
	m->text = xstrdup(text ? text : "");
	m->marker = marker ? xstrdup(marker) : NULL;
	m->at_ms = fc->epoch * 1000 + fc->seq * 1000;
	m->reactions = json_array();
	return m;
}

static json_t *
slack_json(const struct fake_msg *m)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:s}", "type", "message", "ts", m->ref,
			      "user", m->user, "text", m->deleted ? "This message was deleted." : m->text);

	if (m->thread != NULL)
		json_object_set_new(j, "thread_ts", json_string(m->thread));
	if (m->deleted)
		json_object_set_new(j, "subtype", json_string("tombstone"));
	if (m->edited != NULL)
		json_object_set_new(j, "edited", json_pack("{s:s, s:s}", "user", m->user, "ts",
							   m->edited));
	if (m->marker != NULL) {
		json_object_set_new(j, "bot_id", json_string("B0BOT"));
		json_object_set_new(j, "metadata", json_pack("{s:s, s:{s:s}}", "event_type",
			"furikaeri_post", "event_payload", "marker", m->marker));
	}
	if (json_array_size(m->reactions) > 0)
		json_object_set(j, "reactions", m->reactions);
	if (m->file != NULL) {
		char *link = xasprintf("https://acme.slack.com/files/%s/F0FILE%s/%s", m->user, m->ref,
				       m->file);
		json_object_set_new(j, "files", json_pack("[{s:s, s:s, s:s, s:s, s:s}]", "id", "F0FILE",
			"name", m->file, "title", m->file, "mode", "hosted", "permalink", link));
		free(link);
	}
	return j;
}

static json_t *
mm_json(const struct fake_msg *m)
{
	json_t *props = json_object(), *reactions = json_array(), *r, *u;
	size_t i, k;

	if (m->marker != NULL)
		json_object_set_new(props, "furikaeri_marker", json_string(m->marker));
	json_array_foreach(m->reactions, i, r)
		json_array_foreach(json_object_get(r, "users"), k, u)
			json_array_append_new(reactions, json_pack("{s:s, s:O, s:s}", "post_id", m->ref,
				"user_id", u, "emoji_name",
				json_string_value(json_object_get(r, "name"))));
	json_t *files = json_array();
	if (m->file != NULL)
		json_array_append_new(files, json_pack("{s:s, s:s, s:s}", "id",
						       "file0000000000000000000000", "name", m->file,
						       "post_id", m->ref));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:o, s:{s:o, s:o}}",
			 "id", m->ref,
			 "channel_id", MM_CHANNEL, "root_id", m->thread ? m->thread : "",
			 "user_id", m->user, "message", m->text, "create_at", m->at_ms,
			 "edit_at", (json_int_t)(m->edited ? m->at_ms + 500 : 0),
			 "update_at", (json_int_t)(m->deleted ? m->at_ms + 900
						   : m->edited ? m->at_ms + 500 : m->at_ms),
			 "delete_at", (json_int_t)(m->deleted ? m->at_ms + 900 : 0), "props", props,
			 "metadata", "reactions", reactions, "files", files);
}

static enum fake_chat_fault
next_fault(struct fake_chat *fc)
{
	return fc->next_fault < fc->n_faults ? fc->faults[fc->next_fault++] : FAKE_CHAT_OK;
}

static void
slack_handle(struct fake_chat *fc, const struct fake_http_request *req,
	     struct fake_http_answer *a)
{
	const char *q = strchr(req->target, '?');
	size_t mlen = q ? (size_t)(q - req->target) : strlen(req->target);
	char *method = xstrndup(req->target + 1, mlen - 1);
	const char *args = strcmp(req->method, "POST") == 0 ? req->body : (q ? q + 1 : NULL);
	char *channel = field(args, "channel");

	if (strstr(req->headers, "Authorization: Bearer xoxb-test") == NULL) {
		fc->refused++;
		slack_error(a, "invalid_auth");
	} else if (strcmp(method, "users.lookupByEmail") == 0) {
		char *email = field(args, "email");
		const char *id = user_by_email(fc, email);

		if (id == NULL)
			slack_error(a, "users_not_found");
		else
			answer(a, 200, json_pack("{s:b, s:{s:s, s:s, s:{s:s, s:s}}}", "ok", 1, "user",
				"id", id, "name", "login", "profile", "display_name", user_name(fc, id),
				"email", email));
		free(email);
	} else if (strcmp(method, "auth.test") == 0) {
		answer(a, 200, json_pack("{s:b, s:s, s:s, s:s, s:s}", "ok", 1, "user_id", SLACK_BOT,
					 "user", "furikaeri", "team", "Acme", "bot_id", "B0BOT"));
	} else if (strcmp(method, "conversations.list") == 0) {
		answer(a, 200, json_pack("{s:b, s:[{s:s, s:s, s:b}, {s:s, s:s, s:b}], s:{s:s}}",
			"ok", 1, "channels", "id", "C0GENERAL", "name", "general", "is_member", 1,
			"id", "C0PM", "name", "postmortems", "is_member", fc->member,
			"response_metadata", "next_cursor", ""));
	} else if (strcmp(method, "conversations.info") == 0) {
		if (channel == NULL || strcmp(channel, "C0PM") != 0)
			slack_error(a, "channel_not_found");
		else
			answer(a, 200, json_pack("{s:b, s:{s:s, s:s, s:b}}", "ok", 1, "channel", "id",
						 "C0PM", "name", "postmortems", "is_member", fc->member));
	} else if (strcmp(method, "users.info") == 0) {
		char *u = field(args, "user");
		const char *name = u ? user_name(fc, u) : NULL;

		if (name == NULL)
			slack_error(a, "user_not_found");
		else
			answer(a, 200, json_pack("{s:b, s:{s:s, s:s, s:{s:s, s:s}}}", "ok", 1, "user",
				"id", u, "name", "login", "profile", "display_name", name,
				"real_name", name));
		free(u);
	} else if (strcmp(method, "chat.postMessage") == 0) {
		enum fake_chat_fault fault = next_fault(fc);
		char *text = field(args, "text"), *thread = field(args, "thread_ts");
		char *meta = field(args, "metadata");
		json_t *mj = meta ? json_loads(meta, 0, NULL) : NULL;
		const char *marker = json_string_value(json_object_get(
			json_object_get(mj, "event_payload"), "marker"));

		if (fc->next_error != NULL) {
			if (fc->next_error_stored)
				store(fc, thread, SLACK_BOT, text, marker);
			answer(a, 200, json_pack("{s:b, s:s, s:s}", "ok", 0, "error", fc->next_error,
						 "needed", "chat:write"));
			free(fc->next_error);
			fc->next_error = NULL;
			fc->next_error_stored = false;
		} else if (channel == NULL || strcmp(channel, "C0PM") != 0) {
			slack_error(a, "channel_not_found");
		} else if (!fc->member || fault == FAKE_CHAT_NOT_IN_CHANNEL) {
			slack_error(a, "not_in_channel");
		} else if (fault == FAKE_CHAT_429) {
			answer(a, 429, json_pack("{s:b, s:s}", "ok", 0, "error", "ratelimited"));
			free(a->headers);
			a->headers = xstrdup("Content-Type: application/json\r\nRetry-After: 2\r\n");
		} else if (fault == FAKE_CHAT_DOWN) {
			a->action = FAKE_HTTP_DROP;
		} else if (fault == FAKE_CHAT_CLOSE_UNREAD) {
			a->action = FAKE_HTTP_CLOSE_UNREAD;
		} else if (fault == FAKE_CHAT_RATE_LIMITED) {
			slack_error(a, "rate_limited");
		} else if (fault == FAKE_CHAT_INTERNAL_ERROR) {
			slack_error(a, "internal_error");
		} else if (fault == FAKE_CHAT_SERVICE_UNAVAILABLE) {
			slack_error(a, "service_unavailable");
		} else if (thread != NULL && find(fc, thread) == NULL) {
			slack_error(a, "thread_not_found");
		} else {
			struct fake_msg *m = store(fc, thread, SLACK_BOT, text, marker);

			if (fault == FAKE_CHAT_DROP_STORED)
				a->action = FAKE_HTTP_DROP;
			else if (fault == FAKE_CHAT_FATAL_ERROR)
				slack_error(a, "fatal_error");
			else if (fault == FAKE_CHAT_5XX_STORED)
				answer(a, 502, json_pack("{s:s}", "error", "bad gateway"));
			else
				answer(a, 200, json_pack("{s:b, s:s, s:s, s:o}", "ok", 1, "channel", "C0PM",
							 "ts", m->ref, "message", slack_json(m)));
		}
		json_decref(mj);
		free(meta);
		free(text);
		free(thread);
	} else if (strcmp(method, "chat.postEphemeral") == 0) {
		/* shown, then its answer lost: drop-stored; not shown: 429; no
		 * answer whether shown or not: down */
		char *text = field(args, "text"), *thread = field(args, "thread_ts");
		char *user = field(args, "user");
		enum fake_chat_fault fault;

		if (channel == NULL || strcmp(channel, "C0PM") != 0)
			slack_error(a, "channel_not_found");
		else if (user == NULL || user_name(fc, user) == NULL)
			slack_error(a, "user_not_in_channel");
		else if (text == NULL || text[0] == '\0')
			slack_error(a, "no_text");
		else if ((fault = next_fault(fc)) == FAKE_CHAT_DOWN)
			a->action = FAKE_HTTP_DROP;
		else if (fault == FAKE_CHAT_429) {
			answer(a, 429, json_pack("{s:b, s:s}", "ok", 0, "error", "ratelimited"));
			free(a->headers);
			a->headers = xstrdup("Content-Type: application/json\r\nRetry-After: 2\r\n");
		} else {
			char ts[40];

			put_ephemeral(fc, user, thread, text);
			snprintf(ts, sizeof(ts), "%lld.%06lld", fc->epoch, ++fc->seq * 100);
			if (fault == FAKE_CHAT_DROP_STORED)
				a->action = FAKE_HTTP_DROP;
			else
				answer(a, 200, json_pack("{s:b, s:s}", "ok", 1, "message_ts", ts));
		}
		free(text);
		free(thread);
		free(user);
	} else if (strcmp(method, "chat.update") == 0) {
		char *ts = field(args, "ts"), *text = field(args, "text");
		struct fake_msg *m = ts ? find(fc, ts) : NULL;

		if (channel == NULL || strcmp(channel, "C0PM") != 0)
			slack_error(a, "channel_not_found");
		else if (m == NULL)
			slack_error(a, "message_not_found");
		else if (m->marker == NULL)
			slack_error(a, "cant_update_message");
		else {
			free(m->text);
			m->text = xstrdup(text ? text : "");
			free(m->edited);
			m->edited = xasprintf("1764590000.%06lld", ++fc->seq);
			answer(a, 200, json_pack("{s:b, s:s, s:s, s:s}", "ok", 1, "channel", "C0PM",
						 "ts", m->ref, "text", m->text));
		}
		free(ts);
		free(text);
	} else if (strcmp(method, "conversations.replies") == 0 ||
		   strcmp(method, "conversations.history") == 0) {
		bool replies = method[14] == 'r';
		char *ts = field(args, "ts"), *oldest = field(args, "oldest");
		char *limit_s = field(args, "limit"), *cursor = field(args, "cursor");
		char *inclusive = field(args, "inclusive");
		bool incl = inclusive != NULL && strcmp(inclusive, "true") == 0;
		long limit = limit_s ? strtol(limit_s, NULL, 10) : 100;
		size_t from = cursor && strncmp(cursor, "fk:", 3) == 0
			? (size_t)strtoul(cursor + 3, NULL, 10) : 0;
		double after = oldest ? strtod(oldest, NULL) : 0;
		json_t *list = json_array();
		struct fake_msg *root = ts ? find(fc, ts) : NULL;

		if (channel == NULL || strcmp(channel, "C0PM") != 0) {
			slack_error(a, "channel_not_found");
		} else if (!fc->member) {
			slack_error(a, "not_in_channel");
		} else if (replies && root == NULL) {
			slack_error(a, "thread_not_found");
		} else {
			if (replies)
				json_array_append_new(list, slack_json(root));
			for (size_t i = 0; i < fc->n; i++) {
				struct fake_msg *m = &fc->msgs[i];

				if (replies ? (m->thread == NULL || strcmp(m->thread, ts) != 0)
					    : m->thread != NULL)
					continue;
				/* after oldest, or from it with inclusive=true */
				if (incl ? strtod(m->ref, NULL) < after : strtod(m->ref, NULL) <= after)
					continue;
				/* a deleted reply is gone; a deleted root stays as a tombstone */
				if (m->deleted && m->thread != NULL)
					continue;
				json_t *j = slack_json(m);

				/* a parent in the history says how many replies it has
				 * and its latest one's ts, as Slack's does */
				if (!replies) {
					const char *latest = NULL;
					int count = 0;

					for (size_t k = 0; k < fc->n; k++)
						if (fc->msgs[k].thread != NULL && !fc->msgs[k].deleted &&
						    strcmp(fc->msgs[k].thread, m->ref) == 0) {
							count++;
							latest = fc->msgs[k].ref;
						}
					if (count > 0) {
						json_object_set_new(j, "thread_ts", json_string(m->ref));
						json_object_set_new(j, "reply_count", json_integer(count));
						json_object_set_new(j, "latest_reply", json_string(latest));
					}
				}
				json_array_append_new(list, j);
			}
			/* one page from the cursor: limit, or the fake's page size */
			if (fc->page_size > 0 && limit > fc->page_size)
				limit = fc->page_size;
			if (limit <= 0)
				limit = 100;
			json_t *page = json_array();
			size_t total = json_array_size(list);

			for (size_t k = from; k < total && k < from + (size_t)limit; k++)
				json_array_append(page, json_array_get(list, k));
			if (from > 0)
				fc->pages++;
			bool more = from + (size_t)limit < total;
			char *next = more ? xasprintf("fk:%zu", from + (size_t)limit) : xstrdup("");

			answer(a, 200, json_pack("{s:b, s:o, s:b, s:{s:s}}", "ok", 1, "messages", page,
						 "has_more", more, "response_metadata", "next_cursor",
						 next));
			free(next);
		}
		json_decref(list);
		free(ts);
		free(oldest);
		free(limit_s);
		free(cursor);
		free(inclusive);
	} else {
		slack_error(a, "unknown_method");
	}
	free(channel);
	free(method);
}

static void
mm_error(struct fake_http_answer *a, int status, const char *id)
{
	answer(a, status, json_pack("{s:s, s:s, s:i}", "id", id, "message", id, "status_code",
				    status));
}

static void
mm_list(struct fake_chat *fc, const char *root, struct fake_http_answer *a)
{
	json_t *order = json_array(), *posts = json_object();

	for (size_t i = 0; i < fc->n; i++) {
		struct fake_msg *m = &fc->msgs[i];

		if (root != NULL ? (strcmp(m->ref, root) != 0 &&
				    (m->thread == NULL || strcmp(m->thread, root) != 0))
				 : m->thread != NULL)
			continue;
		if (m->deleted)
			continue;
		json_array_insert_new(order, 0, json_string(m->ref));
		json_object_set_new(posts, m->ref, mm_json(m));
	}
	answer(a, 200, json_pack("{s:o, s:o}", "order", order, "posts", posts));
}

/* Every post, root or reply, changed after since_ms (deleted ones too,
 * with their delete_at), as Mattermost's posts?since answers. */
static void
mm_since(struct fake_chat *fc, long long since_ms, struct fake_http_answer *a)
{
	json_t *order = json_array(), *posts = json_object();

	for (size_t i = 0; i < fc->n; i++) {
		struct fake_msg *m = &fc->msgs[i];
		long long at = m->deleted ? m->at_ms + 900 : m->edited ? m->at_ms + 500 : m->at_ms;

		if (at <= since_ms)
			continue;
		json_array_insert_new(order, 0, json_string(m->ref));
		json_object_set_new(posts, m->ref, mm_json(m));
	}
	answer(a, 200, json_pack("{s:o, s:o}", "order", order, "posts", posts));
}

/* A thread a page at a time, as Mattermost answers perPage with
 * fromCreateAt/fromPost and direction=down: the posts after that one,
 * oldest first, at most perPage (or the fake's page size), and has_next. */
static void
mm_thread_page(struct fake_chat *fc, const char *root, const char *query,
	       struct fake_http_answer *a)
{
	char *per_s = field(query, "perPage"), *from_at = field(query, "fromCreateAt");
	char *from_post = field(query, "fromPost");
	long per = per_s ? strtol(per_s, NULL, 10) : 0;
	long long after = from_at ? strtoll(from_at, NULL, 10) : 0;
	json_t *order = json_array(), *posts = json_object();
	size_t taken = 0;
	bool more = false;

	if (fc->page_size > 0 && (per <= 0 || per > fc->page_size))
		per = fc->page_size;
	if (from_post != NULL && from_post[0] != '\0')
		fc->pages++;
	for (size_t i = 0; i < fc->n; i++) {
		struct fake_msg *m = &fc->msgs[i];

		if (strcmp(m->ref, root) != 0 && (m->thread == NULL || strcmp(m->thread, root) != 0))
			continue;
		if (m->deleted || m->at_ms < after || (m->at_ms == after && from_post != NULL &&
						       strcmp(m->ref, from_post) <= 0))
			continue;
		if (per > 0 && taken == (size_t)per) {
			more = true;
			break;
		}
		json_array_append_new(order, json_string(m->ref));
		json_object_set_new(posts, m->ref, mm_json(m));
		taken++;
	}
	answer(a, 200, json_pack("{s:o, s:o, s:b}", "order", order, "posts", posts, "has_next",
				 more));
	free(per_s);
	free(from_at);
	free(from_post);
}

static void
mm_handle(struct fake_chat *fc, const struct fake_http_request *req, struct fake_http_answer *a)
{
	const char *t = req->target;
	bool get = strcmp(req->method, "GET") == 0;
	char id[64];

	if (strstr(req->headers, "Authorization: Bearer mm-test") == NULL) {
		fc->refused++;
		mm_error(a, 401, "api.context.session_expired.app_error");
	} else if (get && strncmp(t, "/api/v4/users/email/", 20) == 0) {
		char *email = url_decode(t + 20, strlen(t + 20));
		const char *uid = user_by_email(fc, email);

		if (uid == NULL)
			mm_error(a, 404, "app.user.missing_account.const");
		else
			answer(a, 200, json_pack("{s:s, s:s, s:s, s:s}", "id", uid, "username",
						 user_handle(fc, uid), "nickname", user_name(fc, uid),
						 "email", email));
		free(email);
	} else if (get && strcmp(t, "/api/v4/users/me") == 0) {
		answer(a, 200, json_pack("{s:s, s:s}", "id", MM_BOT, "username", "furikaeri"));
	} else if (get && strcmp(t, "/api/v4/users/me/teams") == 0) {
		answer(a, 200, json_pack("[{s:s, s:s}]", "id", MM_TEAM, "name", "acme"));
	} else if (get && strcmp(t, "/api/v4/teams/" MM_TEAM "/channels/name/postmortems") == 0) {
		answer(a, 200, json_pack("{s:s, s:s}", "id", MM_CHANNEL, "name", "postmortems"));
	} else if (get && strcmp(t, "/api/v4/channels/" MM_CHANNEL) == 0) {
		answer(a, 200, json_pack("{s:s, s:s}", "id", MM_CHANNEL, "name", "postmortems"));
	} else if (get && strcmp(t, "/api/v4/channels/" MM_CHANNEL "/members/me") == 0) {
		if (fc->member)
			answer(a, 200, json_pack("{s:s, s:s}", "channel_id", MM_CHANNEL, "user_id",
						 MM_BOT));
		else
			mm_error(a, 404, "app.channel.get_member.missing.app_error");
	} else if (get && strncmp(t, MM_SINCE, sizeof(MM_SINCE) - 1) == 0) {
		mm_since(fc, strtoll(t + sizeof(MM_SINCE) - 1, NULL, 10), a);
	} else if (get && strncmp(t, "/api/v4/channels/" MM_CHANNEL "/posts", 44) == 0) {
		mm_list(fc, NULL, a);
	} else if (get && sscanf(t, "/api/v4/posts/%63[a-z0-9]/thread", id) == 1) {
		const char *query = strchr(t, '?');

		if (find(fc, id) == NULL)
			mm_error(a, 404, "app.post.get.app_error");
		else if (query != NULL)
			mm_thread_page(fc, id, query + 1, a);
		else
			mm_list(fc, id, a);
	} else if (get && sscanf(t, "/api/v4/users/%63[a-z0-9]", id) == 1) {
		const char *name = user_name(fc, id);

		if (name == NULL)
			mm_error(a, 404, "app.user.missing_account.const");
		else
			answer(a, 200, json_pack("{s:s, s:s, s:s}", "id", id, "username",
						 user_handle(fc, id), "nickname", name));
	} else if (strcmp(req->method, "PUT") == 0 &&
		   sscanf(t, "/api/v4/posts/%63[a-z0-9]/patch", id) == 1) {
		json_t *body = json_loads(req->body ? req->body : "", 0, NULL);
		const char *text = json_string_value(json_object_get(body, "message"));
		struct fake_msg *m = find(fc, id);

		if (m == NULL) {
			mm_error(a, 404, "app.post.get.app_error");
		} else if (m->marker == NULL) {
			mm_error(a, 403, "api.context.permissions.app_error");
		} else {
			if (text != NULL) {
				free(m->text);
				m->text = xstrdup(text);
			}
			free(m->edited);
			m->edited = xstrdup("edited");
			answer(a, 200, mm_json(m));
		}
		json_decref(body);
	} else if (!get && strcmp(t, "/api/v4/posts/ephemeral") == 0) {
		json_t *body = json_loads(req->body ? req->body : "", 0, NULL);
		json_t *post = json_object_get(body, "post");
		const char *user = json_string_value(json_object_get(body, "user_id"));
		const char *ch = json_string_value(json_object_get(post, "channel_id"));
		const char *text = json_string_value(json_object_get(post, "message"));
		const char *root = json_string_value(json_object_get(post, "root_id"));
		enum fake_chat_fault fault;

		if (user == NULL || ch == NULL || text == NULL) {
			mm_error(a, 400, "api.context.invalid_body_param.app_error");
		} else if (strcmp(ch, MM_CHANNEL) != 0 || user_name(fc, user) == NULL) {
			mm_error(a, 404, "app.channel.get.existing.app_error");
		} else if ((fault = next_fault(fc)) == FAKE_CHAT_DOWN) {
			a->action = FAKE_HTTP_DROP;
		} else if (fault == FAKE_CHAT_429) {
			mm_error(a, 429, "api.context.rate_limited");
			free(a->headers);
			a->headers = xstrdup("Content-Type: application/json\r\nRetry-After: 2\r\n");
		} else if (fault == FAKE_CHAT_DROP_STORED) {
			put_ephemeral(fc, user, root, text);
			a->action = FAKE_HTTP_DROP;
		} else {
			put_ephemeral(fc, user, root, text);
			snprintf(id, sizeof(id), "e%025lld", ++fc->seq);
			answer(a, 201, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", id,
						 "channel_id", ch, "root_id", root ? root : "",
						 "user_id", MM_BOT, "message", text, "type",
						 "system_ephemeral"));
		}
		json_decref(body);
	} else if (!get && strcmp(t, "/api/v4/posts") == 0) {
		json_t *body = json_loads(req->body ? req->body : "", 0, NULL);
		const char *ch = json_string_value(json_object_get(body, "channel_id"));
		const char *pending = json_string_value(json_object_get(body, "pending_post_id"));
		const char *marker = json_string_value(json_object_get(
			json_object_get(body, "props"), "furikaeri_marker"));
		const char *root = json_string_value(json_object_get(body, "root_id"));
		enum fake_chat_fault fault = next_fault(fc);
		struct fake_msg *dup = NULL;

		for (size_t i = 0; pending != NULL && i < fc->n && dup == NULL; i++)
			if (fc->msgs[i].marker && strcmp(fc->msgs[i].marker, pending) == 0)
				dup = &fc->msgs[i];
		if (ch == NULL) {
			mm_error(a, 400, "api.context.invalid_body_param.app_error");
		} else if (!fc->member || fault == FAKE_CHAT_NOT_IN_CHANNEL) {
			mm_error(a, 403, "api.context.permissions.app_error");
		} else if (fault == FAKE_CHAT_429 || fault == FAKE_CHAT_RATE_LIMITED) {
			mm_error(a, 429, "api.context.rate_limited");
			free(a->headers);
			a->headers = xstrdup("Content-Type: application/json\r\nRetry-After: 2\r\n");
		} else if (fault == FAKE_CHAT_DOWN) {
			a->action = FAKE_HTTP_DROP;
		} else if (fault == FAKE_CHAT_CLOSE_UNREAD) {
			a->action = FAKE_HTTP_CLOSE_UNREAD;
		} else if (fault == FAKE_CHAT_INTERNAL_ERROR) {
			mm_error(a, 500, "app.post.save.app_error");
		} else if (fault == FAKE_CHAT_SERVICE_UNAVAILABLE) {
			mm_error(a, 503, "api.server.unavailable");
		} else if (dup != NULL) {
			/* the server's deduplication of pending_post_id */
			answer(a, 201, mm_json(dup));
		} else {
			struct fake_msg *m = store(fc, root, MM_BOT,
				json_string_value(json_object_get(body, "message")),
				marker ? marker : pending);

			if (fault == FAKE_CHAT_DROP_STORED)
				a->action = FAKE_HTTP_DROP;
			else if (fault == FAKE_CHAT_5XX_STORED || fault == FAKE_CHAT_FATAL_ERROR)
				mm_error(a, 502, "bad gateway");
			else
				answer(a, 201, mm_json(m));
		}
		json_decref(body);
	} else {
		mm_error(a, 404, "api.context.404.app_error");
	}
}

static enum fake_chat_fault
fault_named(const char *name)
{
	static const char *const names[] = {
		[FAKE_CHAT_OK] = "ok", [FAKE_CHAT_429] = "429",
		[FAKE_CHAT_DROP_STORED] = "drop-stored", [FAKE_CHAT_5XX_STORED] = "5xx-stored",
		[FAKE_CHAT_DOWN] = "down", [FAKE_CHAT_NOT_IN_CHANNEL] = "not-in-channel",
	};

	for (size_t i = 0; name != NULL && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return (enum fake_chat_fault)i;
	return FAKE_CHAT_OK;
}

/* The test's side door (/_fake/...): act as attendees, break the server,
 * list what the bot posted. Form fields in the body. Under the lock. */
static void
control(struct fake_chat *fc, const struct fake_http_request *req, struct fake_http_answer *a)
{
	const char *what = req->target + strlen("/_fake/");
	const char *b = req->body;
	char *ref = field(b, "ref"), *text = field(b, "text"), *root = field(b, "root");
	char *user = field(b, "user"), *emoji = field(b, "emoji"), *on = field(b, "on");
	struct fake_msg *m = ref ? find(fc, ref) : NULL;
	json_t *out = json_object();

	if (strcmp(what, "reply") == 0 && root != NULL && user != NULL) {
		struct fake_msg *r = store(fc, root, user, text, NULL);
		r->file = field(b, "file");
		json_object_set_new(out, "ref", json_string(r->ref));
	} else if (strcmp(what, "edit") == 0 && m != NULL) {
		free(m->text);
		m->text = xstrdup(text ? text : "");
		free(m->edited);
		m->edited = xasprintf("1764590000.%06lld", ++fc->seq);
	} else if (strcmp(what, "delete") == 0 && m != NULL) {
		m->deleted = true;
	} else if (strcmp(what, "react") == 0 && m != NULL && emoji != NULL && user != NULL) {
		json_array_append_new(m->reactions, json_pack("{s:s, s:[s], s:i}", "name", emoji,
							      "users", user, "count", 1));
	} else if (strcmp(what, "user") == 0 && user != NULL && text != NULL) {
		/* a person joins or is renamed: user is the id, text the display
		 * name, email their address */
		char *email = field(b, "email");

		put_user(fc, user, text, email);
		free(email);
	} else if (strcmp(what, "ephemerals") == 0) {
		json_t *list = json_array();

		for (size_t i = 0; i < fc->n_ephemerals; i++)
			json_array_append_new(list, json_pack("{s:s, s:s?, s:s}", "user",
				fc->ephemerals[3 * i], "thread", fc->ephemerals[3 * i + 1], "text",
				fc->ephemerals[3 * i + 2]));
		json_object_set_new(out, "ephemerals", list);
	} else if (strcmp(what, "epoch") == 0 && text != NULL) {
		/* the chat's clock from now on (text: epoch seconds): the next
		 * day, for a reply that comes late */
		fc->epoch = strtoll(text, NULL, 10);
	} else if (strcmp(what, "stats") == 0) {
		json_object_set_new(out, "refused", json_integer((json_int_t)fc->refused));
	} else if (strcmp(what, "down") == 0) {
		fc->down = on != NULL && strcmp(on, "1") == 0;
	} else if (strcmp(what, "member") == 0) {
		fc->member = on != NULL && strcmp(on, "1") == 0;
	} else if (strcmp(what, "fault") == 0) {
		char *name = field(b, "name");

		free(fc->faults);
		fc->faults = xcalloc(1, sizeof(*fc->faults));
		fc->faults[0] = fault_named(name);
		fc->n_faults = 1;
		fc->next_fault = 0;
		free(name);
	} else if (strcmp(what, "channel") == 0) {
		/* the channel as stored, a line each: roots in order, each with
		 * its replies under it ("> "), the author's name and the text */
		struct strbuf sb = STRBUF_INIT;

		for (size_t i = 0; i < fc->n; i++) {
			const struct fake_msg *r = &fc->msgs[i];

			if (r->thread != NULL)
				continue;
			strbuf_addf(&sb, "[%s] %s: %s\n", r->ref, r->marker ? "furikaeri (bot)"
				    : user_name(fc, r->user) ? user_name(fc, r->user) : r->user,
				    r->text);
			for (size_t k = 0; k < fc->n; k++) {
				const struct fake_msg *e = &fc->msgs[k];

				if (e->thread == NULL || strcmp(e->thread, r->ref) != 0)
					continue;
				strbuf_addf(&sb, "    > [%s] %s (%s): %s%s\n", e->ref, e->marker
					    ? "furikaeri (bot)" : user_name(fc, e->user)
					    ? user_name(fc, e->user) : e->user, e->user, e->text,
					    e->deleted ? " (deleted)" : "");
			}
		}
		for (size_t i = 0; i < fc->n_ephemerals; i++)
			strbuf_addf(&sb, "(only %s sees, in %s): %s\n", fc->ephemerals[3 * i],
				    fc->ephemerals[3 * i + 1] ? fc->ephemerals[3 * i + 1]
				    : "the channel", fc->ephemerals[3 * i + 2]);
		a->action = FAKE_HTTP_REPLY;
		a->status = 200;
		a->headers = xstrdup("Content-Type: text/plain; charset=utf-8\r\n");
		a->body = strbuf_detach(&sb);
		json_decref(out);
		out = NULL;
	} else if (strcmp(what, "posts") == 0) {
		json_t *list = json_array();

		for (size_t i = 0; i < fc->n; i++)
			if (fc->msgs[i].marker != NULL)
				json_array_append_new(list, json_pack("{s:s, s:s?, s:s, s:s}", "ref",
					fc->msgs[i].ref, "thread", fc->msgs[i].thread, "text",
					fc->msgs[i].text, "marker", fc->msgs[i].marker));
		json_object_set_new(out, "posts", list);
	} else {
		json_decref(out);
		out = json_pack("{s:s}", "error", "unknown control or missing field");
	}
	if (out != NULL)
		answer(a, json_object_get(out, "error") ? 400 : 200, out);
	free(ref);
	free(text);
	free(root);
	free(user);
	free(emoji);
	free(on);
}

static void
handle(void *ctx, const struct fake_http_request *req, struct fake_http_answer *a)
{
	struct fake_chat *fc = ctx;
	bool post = strcmp(req->method, "POST") == 0 &&
		    (strcmp(req->target, "/chat.postMessage") == 0 ||
		     strcmp(req->target, "/api/v4/posts") == 0);

	pthread_mutex_lock(&fc->lock);
	if (post && fc->post_delay_ms > 0) {
		int ms = fc->post_delay_ms;

		pthread_mutex_unlock(&fc->lock);
		usleep((useconds_t)ms * 1000);
		pthread_mutex_lock(&fc->lock);
	}
	if (strncmp(req->target, "/_fake/", 7) == 0)
		control(fc, req, a);
	else if (fc->down)
		a->action = FAKE_HTTP_DROP;
	else if (fc->service == FAKE_CHAT_SLACK) {
		slack_handle(fc, req, a);
		slack_scopes(fc, a);
	}
	else
		mm_handle(fc, req, a);
	if (post)
		a->delay_ms = fc->answer_delay_ms;
	if (strncmp(req->target, "/_fake/", 7) != 0 && fc->every_delay_ms > a->delay_ms)
		a->delay_ms = fc->every_delay_ms;
	pthread_mutex_unlock(&fc->lock);
}

void
fake_chat_user(struct fake_chat *fc, const char *id, const char *name)
{
	fake_chat_user_email(fc, id, name, NULL);
}

void
fake_chat_user_email(struct fake_chat *fc, const char *id, const char *name, const char *email)
{
	pthread_mutex_lock(&fc->lock);
	put_user(fc, id, name, email);
	pthread_mutex_unlock(&fc->lock);
}

size_t
fake_chat_refused(struct fake_chat *fc)
{
	size_t n;

	pthread_mutex_lock(&fc->lock);
	n = fc->refused;
	pthread_mutex_unlock(&fc->lock);
	return n;
}

struct fake_chat *
fake_chat_new(struct fake_http *f, enum fake_chat_service service)
{
	struct fake_chat *fc = xcalloc(1, sizeof(*fc));
	bool mm = service == FAKE_CHAT_MATTERMOST;

	fc->f = f;
	fc->service = service;
	fc->epoch = 1764583200;
	fc->member = true;
	fc->scopes = xstrdup("chat:write,channels:read,groups:read,channels:history,"
			     "groups:history,users:read,users:read.email");
	pthread_mutex_init(&fc->lock, NULL);
	fake_chat_user_email(fc, mm ? "aoi00000000000000000000000" : "U01AOI", "Aoi",
			     "aoi@acme.example");
	fake_chat_user_email(fc, mm ? "ken00000000000000000000000" : "U02KEN", "Ken",
			     "ken@acme.example");
	fake_chat_user_email(fc, mm ? "mei00000000000000000000000" : "U03MEI", "Mei",
			     "mei@acme.example");
	fake_http_set_handler(f, handle, fc);
	return fc;
}

void
fake_chat_free(struct fake_chat *fc)
{
	if (fc == NULL)
		return;
	fake_http_set_handler(fc->f, NULL, NULL);
	for (size_t i = 0; i < fc->n; i++) {
		free(fc->msgs[i].ref);
		free(fc->msgs[i].thread);
		free(fc->msgs[i].user);
		free(fc->msgs[i].text);
		free(fc->msgs[i].marker);
		free(fc->msgs[i].edited);
		json_decref(fc->msgs[i].reactions);
		free(fc->msgs[i].file);
	}
	free(fc->msgs);
	for (size_t i = 0; i < 3 * fc->n_users; i++)
		free(fc->users[i]);
	for (size_t i = 0; i < 3 * fc->n_ephemerals; i++)
		free(fc->ephemerals[i]);
	free(fc->ephemerals);
	free(fc->users);
	free(fc->faults);
	free(fc->scopes);
	free(fc->next_error);
	pthread_mutex_destroy(&fc->lock);
	free(fc);
}

void
fake_chat_faults(struct fake_chat *fc, const enum fake_chat_fault *faults, size_t n)
{
	pthread_mutex_lock(&fc->lock);
	free(fc->faults);
	fc->faults = xcalloc(n ? n : 1, sizeof(*faults));
	if (n > 0)
		memcpy(fc->faults, faults, n * sizeof(*faults));
	fc->n_faults = n;
	fc->next_fault = 0;
	pthread_mutex_unlock(&fc->lock);
}

void
fake_chat_down(struct fake_chat *fc, bool down)
{
	pthread_mutex_lock(&fc->lock);
	fc->down = down;
	pthread_mutex_unlock(&fc->lock);
}

void
fake_chat_membership(struct fake_chat *fc, bool member)
{
	pthread_mutex_lock(&fc->lock);
	fc->member = member;
	pthread_mutex_unlock(&fc->lock);
}

const char *
fake_chat_reply(struct fake_chat *fc, const char *root, const char *user, const char *text)
{
	const char *ref;

	pthread_mutex_lock(&fc->lock);
	ref = store(fc, root, user, text, NULL)->ref;
	pthread_mutex_unlock(&fc->lock);
	return ref;
}

void
fake_chat_edit(struct fake_chat *fc, const char *ref, const char *text)
{
	struct fake_msg *m;

	pthread_mutex_lock(&fc->lock);
	if ((m = find(fc, ref)) != NULL) {
		free(m->text);
		m->text = xstrdup(text);
		free(m->edited);
		m->edited = xasprintf("1764590000.%06lld", ++fc->seq);
	}
	pthread_mutex_unlock(&fc->lock);
}

void
fake_chat_delete(struct fake_chat *fc, const char *ref)
{
	struct fake_msg *m;

	pthread_mutex_lock(&fc->lock);
	if ((m = find(fc, ref)) != NULL)
		m->deleted = true;
	pthread_mutex_unlock(&fc->lock);
}

void
fake_chat_react(struct fake_chat *fc, const char *ref, const char *emoji, const char *user)
{
	struct fake_msg *m;

	pthread_mutex_lock(&fc->lock);
	if ((m = find(fc, ref)) != NULL)
		json_array_append_new(m->reactions, json_pack("{s:s, s:[s], s:i}", "name", emoji,
							      "users", user, "count", 1));
	pthread_mutex_unlock(&fc->lock);
}

size_t
fake_chat_count_marker(struct fake_chat *fc, const char *marker)
{
	size_t n = 0;

	pthread_mutex_lock(&fc->lock);
	for (size_t i = 0; i < fc->n; i++)
		n += fc->msgs[i].marker != NULL && strcmp(fc->msgs[i].marker, marker) == 0;
	pthread_mutex_unlock(&fc->lock);
	return n;
}

size_t
fake_chat_bot_posts(struct fake_chat *fc)
{
	size_t n = 0;

	pthread_mutex_lock(&fc->lock);
	for (size_t i = 0; i < fc->n; i++)
		n += fc->msgs[i].marker != NULL;
	pthread_mutex_unlock(&fc->lock);
	return n;
}

const char *
fake_chat_bot_post(struct fake_chat *fc, size_t n, const char **text, const char **thread)
{
	const char *ref = NULL;

	pthread_mutex_lock(&fc->lock);
	for (size_t i = 0; i < fc->n && ref == NULL; i++) {
		if (fc->msgs[i].marker == NULL)
			continue;
		if (n-- == 0) {
			ref = fc->msgs[i].ref;
			if (text)
				*text = fc->msgs[i].text;
			if (thread)
				*thread = fc->msgs[i].thread;
		}
	}
	pthread_mutex_unlock(&fc->lock);
	return ref;
}

void
fake_chat_scopes(struct fake_chat *fc, const char *scopes)
{
	pthread_mutex_lock(&fc->lock);
	free(fc->scopes);
	fc->scopes = xstrdup(scopes);
	pthread_mutex_unlock(&fc->lock);
}

void
fake_chat_post_delay(struct fake_chat *fc, int ms)
{
	pthread_mutex_lock(&fc->lock);
	fc->post_delay_ms = ms;
	pthread_mutex_unlock(&fc->lock);
}

void
fake_chat_slack_error(struct fake_chat *fc, const char *code)
{
	pthread_mutex_lock(&fc->lock);
	free(fc->next_error);
	fc->next_error = xstrdup(code);
	fc->next_error_stored = false;
	pthread_mutex_unlock(&fc->lock);
}

void
fake_chat_slack_error_stored(struct fake_chat *fc, const char *code)
{
	pthread_mutex_lock(&fc->lock);
	free(fc->next_error);
	fc->next_error = xstrdup(code);
	fc->next_error_stored = true;
	pthread_mutex_unlock(&fc->lock);
}

void
fake_chat_epoch(struct fake_chat *fc, long long epoch_s)
{
	pthread_mutex_lock(&fc->lock);
	fc->epoch = epoch_s;
	pthread_mutex_unlock(&fc->lock);
}

void
fake_chat_page_size(struct fake_chat *fc, int n)
{
	pthread_mutex_lock(&fc->lock);
	fc->page_size = n;
	pthread_mutex_unlock(&fc->lock);
}

size_t
fake_chat_pages(struct fake_chat *fc)
{
	size_t n;

	pthread_mutex_lock(&fc->lock);
	n = fc->pages;
	pthread_mutex_unlock(&fc->lock);
	return n;
}

void
fake_chat_answer_delay(struct fake_chat *fc, int ms)
{
	pthread_mutex_lock(&fc->lock);
	fc->answer_delay_ms = ms;
	pthread_mutex_unlock(&fc->lock);
}

void
fake_chat_every_delay(struct fake_chat *fc, int ms)
{
	pthread_mutex_lock(&fc->lock);
	fc->every_delay_ms = ms;
	pthread_mutex_unlock(&fc->lock);
}

const char *
fake_chat_fault_name(enum fake_chat_fault fault)
{
	static const char *const names[] = {
		[FAKE_CHAT_OK] = "ok", [FAKE_CHAT_429] = "429",
		[FAKE_CHAT_DROP_STORED] = "drop-stored", [FAKE_CHAT_5XX_STORED] = "5xx-stored",
		[FAKE_CHAT_DOWN] = "down", [FAKE_CHAT_NOT_IN_CHANNEL] = "not-in-channel",
		[FAKE_CHAT_RATE_LIMITED] = "rate_limited",
		[FAKE_CHAT_INTERNAL_ERROR] = "internal_error",
		[FAKE_CHAT_FATAL_ERROR] = "fatal_error",
		[FAKE_CHAT_SERVICE_UNAVAILABLE] = "service_unavailable",
		[FAKE_CHAT_CLOSE_UNREAD] = "close-unread",
	};

	return (size_t)fault < sizeof(names) / sizeof(names[0]) ? names[fault] : "?";
}

size_t
fake_chat_ephemerals(struct fake_chat *fc, size_t n, const char **user, const char **thread,
		     const char **text)
{
	size_t count;

	pthread_mutex_lock(&fc->lock);
	count = fc->n_ephemerals;
	if (n < count) {
		if (user != NULL)
			*user = fc->ephemerals[3 * n];
		if (thread != NULL)
			*thread = fc->ephemerals[3 * n + 1];
		if (text != NULL)
			*text = fc->ephemerals[3 * n + 2];
	}
	pthread_mutex_unlock(&fc->lock);
	return count;
}
