#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chat_private.h"
#include "furikaeri/chat_reply.h"
#include "furikaeri/chat_text.h"
#include "furikaeri/deliver.h"
#include "furikaeri/deliver_run.h"
#include "furikaeri/err.h"
#include "furikaeri/http_call.h"
#include "furikaeri/log.h"
#include "furikaeri/paths.h"
#include "furikaeri/store_chat.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

#define CHAT_LATER_FLOOR_MS 5000L

void
chat_msgs_free(struct chat_msgs *m)
{
	for (size_t i = 0; i < m->n; i++) {
		struct chat_msg *r = &m->rows[i];

		free(r->ref);
		free(r->user);
		free(r->text);
		free(r->edited);
		free(r->marker);
		free(r->cursor);
		if (r->reactions != NULL)
			for (size_t j = 0; r->reactions[j] != NULL; j++)
				free(r->reactions[j]);
		free(r->reactions);
	}
	free(m->rows);
	m->rows = NULL;
	m->n = 0;
}

void
chat_events_free(struct chat_events *ev)
{
	for (size_t i = 0; i < ev->n; i++) {
		free(ev->rows[i].author);
		free(ev->rows[i].user_id);
		free(ev->rows[i].text);
	}
	free(ev->rows);
	ev->rows = NULL;
	ev->n = 0;
}

const char *
chat_json_str(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

struct chat *
chat_new(const struct config *cfg, struct store *st, const struct chat_options *opts, char **err)
{
	const char *where = cfg->path ? cfg->path : "the config file";
	const struct chat_ops *ops;
	const char *url = config_chat_url(cfg);
	struct chat *c;
	char *token;

	if (cfg->chat.service == NULL) {
		err_set(err, "no chat is configured: set service = slack or mattermost in [chat] "
			"of %s", where);
		return NULL;
	}
	ops = strcmp(cfg->chat.service, "slack") == 0 ? &chat_slack_ops : &chat_mattermost_ops;
	if (cfg->chat.channel == NULL) {
		err_set(err, "no chat channel: set channel = #NAME (or the channel's id) in [chat] "
			"of %s", where);
		return NULL;
	}
	if (url == NULL) {
		err_set(err, "Mattermost needs its server: set url = https://HOST in [chat] of %s",
			where);
		return NULL;
	}
	if (!http_url_allowed(url, err)) {
		err_prefix(err, "%s: [chat] url", where);
		return NULL;
	}
	if ((token = config_chat_token(cfg, err)) == NULL)
		return NULL;
	log_add_secret(token);
	c = xcalloc(1, sizeof(*c));
	c->cfg = cfg;
	c->st = st;
	c->ops = ops;
	c->auth = xasprintf("Authorization: Bearer %s", token);
	xfree_secret(token);
	c->base = xasprintf("%s%s", url, url[strlen(url) - 1] == '/' ? "" : "/");
	c->clock = opts ? opts->clock : NULL;
	c->max_inline_wait_ms = opts && opts->max_inline_wait_ms > 0 ? opts->max_inline_wait_ms
								       : 10000;
	c->recheck_ms = opts && opts->recheck_ms > 0 ? opts->recheck_ms : 5000;
	c->seed = (unsigned int)getpid() ^ (unsigned int)time(NULL);
	c->state = CHAT_CONNECTING;
	if (opts != NULL && opts->http != NULL) {
		c->http = opts->http;
	} else {
		struct http_options ho = {
			.ca_bundle = cfg->ca_bundle,
			.connect_timeout_ms = cfg->connect_timeout_s * 1000,
			.timeout_ms = cfg->timeout_s * 1000,
		};

		if ((c->http = http_client_new(&ho, err)) == NULL) {
			chat_free(c);
			return NULL;
		}
		c->own_http = true;
	}
	c->owner = deliver_owner_new();
	/* a claim outlives the longest post it covers, inline retries included */
	c->lease_ms = deliver_lease_ms(deliver_longest_request_ms(
		cfg->connect_timeout_s * 1000, cfg->timeout_s * 1000, c->max_inline_wait_ms,
		RETRY_MAX_ATTEMPTS));
	c->one_request_ms = deliver_longest_request_ms(cfg->connect_timeout_s * 1000,
						       cfg->timeout_s * 1000, 0, 1);
	return c;
}

void
chat_free(struct chat *c)
{
	if (c == NULL)
		return;
	if (c->own_http)
		http_client_free(c->http);
	xfree_secret(c->auth);
	free(c->base);
	free(c->channel_id);
	free(c->bot_id);
	free(c->last_error);
	free(c->scopes);
	free(c->owner);
	free(c);
}

static void
remember_error(struct chat *c, enum chat_state state, const char *msg)
{
	c->state = state;
	free(c->last_error);
	c->last_error = msg ? xstrdup(msg) : NULL;
}

/* After each attempt: the token's scopes, and whether the service is
 * reachable or rate-limited (the status line shows it). */
static void
chat_after_answer(void *ctx, const struct http_call_result *res)
{
	struct chat *c = ctx;
	enum http_error e = res->error;
	const struct http_response *resp = &res->resp;
	const struct retry_decision *d = &res->decision;

	if (e == HTTP_OK && resp->oauth_scopes != NULL) {
		free(c->scopes);
		c->scopes = xstrdup(resp->oauth_scopes);
	}
	if (e == HTTP_OK && resp->status >= 200 && resp->status < 300) {
		if (c->state == CHAT_UNREACHABLE || c->state == CHAT_RATE_LIMITED)
			c->state = c->verified ? CHAT_CONNECTED : CHAT_CONNECTING;
	} else if (d->rate_limited) {
		c->state = CHAT_RATE_LIMITED;
		c->rate_until_ms = (long long)http_clock_now(c->clock) * 1000 + d->wait_ms;
	} else if (e != HTTP_OK) {
		c->state = CHAT_UNREACHABLE;
	}
}

void
chat_refuse_auth(struct chat *c, const char *why)
{
	c->auth_refused = true;
	c->verified = false;
	remember_error(c, CHAT_REFUSED, why != NULL ? why : "the token is refused");
}

/* Whether the configuration holds another token than the refused one; it
 * then replaces it. Reading it costs no request. */
static bool
token_changed(struct chat *c)
{
	char *token = config_chat_token(c->cfg, NULL), *auth;
	bool changed;

	if (token == NULL)
		return false;
	auth = xasprintf("Authorization: Bearer %s", token);
	changed = strcmp(auth, c->auth) != 0;
	if (changed) {
		log_add_secret(token);
		xfree_secret(c->auth);
		c->auth = auth;
	} else {
		xfree_secret(auth);
	}
	xfree_secret(token);
	return changed;
}

void
chat_retry(struct chat *c)
{
	c->auth_refused = false;
	c->verified = false;
	c->state = CHAT_CONNECTING;
	free(c->last_error);
	c->last_error = NULL;
}

int
chat_verify(struct chat *c, char **err)
{
	char *id = NULL, *name = NULL, *why = NULL;
	enum chat_call r;

	if (c->auth_refused && token_changed(c))
		chat_retry(c);
	if (c->auth_refused)
		return 0;
	if (c->verified)
		return 1;
	r = c->ops->auth(c, &id, &name, &why);
	free(id);
	free(name);
	if (r == CHAT_CALL_OK) {
		c->verified = true;
		if (c->state == CHAT_CONNECTING)
			c->state = CHAT_CONNECTED;
		free(why);
		return 1;
	}
	if (r == CHAT_CALL_REFUSED && !c->auth_refused)
		chat_refuse_auth(c, why);
	if (c->auth_refused) {
		free(why);
		return 0;
	}
	if (err != NULL)
		*err = why;
	else
		free(why);
	return -1;
}

const char *
chat_refusal(const struct chat *c)
{
	if (!c->auth_refused)
		return NULL;
	return c->last_error != NULL ? c->last_error : "the token is refused";
}

enum chat_call
chat_request(struct chat *c, const char *method, const char *path, const char *content_type,
	     const char *body, bool idempotent, json_t **json, long *wait_ms, char **err)
{
	char *url = xasprintf("%s%s", c->base, path);
	char *shown = http_url_path(url);
	char *ctype = content_type ? xasprintf("Content-Type: %s", content_type) : NULL;
	const char *headers[4] = { c->auth, ctype, NULL, NULL };
	struct http_request req = { .method = method, .url = url, .headers = headers,
				    .body = body, .idempotent = idempotent };
	struct http_call_result res;
	const struct http_response *resp = &res.resp;
	enum http_error e;
	enum chat_call result;

	*json = NULL;
	*wait_ms = 0;
	http_call_run(&(struct http_call){
		.client = c->http, .req = &req, .clock = c->clock, .shown = shown,
		.seed = &c->seed, .max_inline_wait_ms = c->max_inline_wait_ms,
		.after_answer = chat_after_answer, .ctx = c,
	}, &res);
	e = res.error;
	if (http_call_ok(&res)) {
		*json = resp->body_len > 0 ? json_loadb(resp->body, resp->body_len, 0, NULL) : NULL;
		result = CHAT_CALL_OK;
	} else {
		if (err != NULL) {
			free(*err);
			*err = NULL;
		}
		if (e == HTTP_OK) {
			char *clean = text_sanitize(resp->body, false);

			if (resp->status == 401)
				err_set(err, "%s %s: %s refuses the token (401): set %s or [chat] "
					"token_file to the %s (%.80s)", method, shown, c->ops->name,
					c->ops == &chat_mattermost_ops ? "MATTERMOST_TOKEN"
								      : "SLACK_BOT_TOKEN",
					c->ops == &chat_mattermost_ops ? "bot's access token"
								      : "app's bot token (xoxb-...)",
					clean);
			else
				err_set(err, "%s %s: %s answered %ld%s%.200s%s", method, shown,
					c->ops->name, resp->status, clean[0] ? ": " : "", clean,
					resp->status == 429 ? "; rate-limited: posting resumes by "
							      "itself" : "");
			free(clean);
		} else {
			err_set(err, "%s", res.perr ? res.perr : "no answer");
		}
		if (e == HTTP_OK && resp->status == 401)
			chat_refuse_auth(c, err != NULL ? *err : NULL);
		if (e == HTTP_ERR_REFUSED || e == HTTP_ERR_TLS ||
		    (e == HTTP_OK && resp->status >= 400 && resp->status < 500 &&
		     resp->status != 429 && !res.decision.retry))
			result = CHAT_CALL_REFUSED;
		else if (!http_request_idempotent(&req) && retry_outcome_unknown(e, resp->status))
			result = CHAT_CALL_UNKNOWN;
		else
			result = CHAT_CALL_LATER;
		*wait_ms = res.wait_ms > CHAT_LATER_FLOOR_MS ? res.wait_ms : CHAT_LATER_FLOOR_MS;
	}
	http_call_result_release(&res);
	free(ctype);
	free(shown);
	free(url);
	return result;
}

/* A display name is asked again after an hour, so that a rename in the
 * chat shows in the minutes (authority never goes by it). */
#define CHAT_NAME_TTL_S 3600

char *
chat_user_name(struct chat *c, const char *user)
{
	char *name = NULL, *err = NULL, since[32];
	time_t t = (time_t)http_clock_now(c->clock) - CHAT_NAME_TTL_S;
	struct tm tm;

	if (user == NULL)
		return NULL;
	gmtime_r(&t, &tm);
	strftime(since, sizeof(since), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (store_chat_user_fresh(c->st, c->ops->service, user, since, &name, &err) == 0 &&
	    name != NULL)
		return name;
	free(err);
	err = NULL;
	if (c->ops->user_name(c, user, &name, &err) == CHAT_CALL_OK && name != NULL) {
		char *now = deliver_time_in(c->clock, 0);

		if (store_chat_user_put(c->st, c->ops->service, user, name, now, &err) < 0)
			log_error("%s", err);
		free(now);
	} else {
		log_info("%s: cannot look up %s: %s", c->ops->name, user, err ? err : "");
		free(err);
		err = NULL;
		/* the name last known, however old, rather than none */
		store_chat_user_get(c->st, c->ops->service, user, &name, &err);
	}
	free(err);
	return name;
}

int
chat_user_by_email(struct chat *c, const char *email, char **id, char **handle, char **err)
{
	enum chat_call r = c->ops->by_email(c, email, id, handle, err);

	if (r == CHAT_CALL_OK)
		return 1;
	return r == CHAT_CALL_REFUSED ? 0 : -1;
}

/* A marker no other post has: "fk-" and 24 hex digits. */
static char *
new_marker(struct chat *c)
{
	unsigned char raw[12];
	char hex[25];
	FILE *f = fopen("/dev/urandom", "rb");

	if (f == NULL || fread(raw, 1, sizeof(raw), f) != sizeof(raw))
		for (size_t i = 0; i < sizeof(raw); i++)
			raw[i] = (unsigned char)rand_r(&c->seed);
	if (f != NULL)
		fclose(f);
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(hex + 2 * i, 3, "%02x", raw[i]);
	return xasprintf("fk-%s", hex);
}

/* Queues body, already in the service's markup, as a post that exists
 * once: a post with once_key already queued is not queued again (*queued
 * false). */
static int
queue_once(struct chat *c, struct store_chat_post *p, const char *body, bool *queued,
	   char **err)
{
	char *now = deliver_time_in(c->clock, 0);
	int rc;

	p->service = (char *)c->ops->service;
	p->marker = new_marker(c);
	p->body = (char *)body;
	rc = store_chat_queue_once(c->st, p, now, queued, err);
	free(p->marker);
	p->marker = NULL;
	free(now);
	return rc;
}

static enum chat_text_markup
markup(const struct chat *c)
{
	return c->ops == &chat_slack_ops ? CHAT_TEXT_SLACK : CHAT_TEXT_MATTERMOST;
}

static int
queue(struct chat *c, long long meeting_id, long long item_id, long long minute_id,
      long long parent_id, const char *kind, const char *plain, char **err)
{
	char *marker = new_marker(c);
	char *body = c->ops->escape(plain);
	char *now = deliver_time_in(c->clock, 0);
	struct store_chat_post p = {
		.meeting_id = meeting_id, .item_id = item_id, .minute_id = minute_id,
		.parent_id = parent_id, .kind = (char *)kind, .service = (char *)c->ops->service,
		.marker = marker, .body = body,
	};
	int rc = store_chat_queue(c->st, &p, now, err);

	free(marker);
	free(body);
	free(now);
	return rc;
}

int
chat_open_item(struct chat *c, long long meeting_id, long long item_id, const char *text,
	       char **err)
{
	struct store_chat_post root;
	bool found;

	if (store_chat_root(c->st, item_id, &root, &found, err) < 0)
		return -1;
	store_chat_post_release(&root);
	if (found)
		return 0;
	return queue(c, meeting_id, item_id, 0, 0, "root", text, err);
}

static bool
echoed(enum config_chat_echo echo, const char *kind)
{
	switch (echo) {
	case CONFIG_CHAT_ECHO_ALL:
		return true;
	case CONFIG_CHAT_ECHO_NONE:
		return false;
	default:
		return strcmp(kind, "decision") == 0 || strcmp(kind, "action") == 0;
	}
}

static const char *
kind_label(const char *kind)
{
	if (strcmp(kind, "decision") == 0)
		return "Decision";
	if (strcmp(kind, "action") == 0)
		return "Action";
	if (strcmp(kind, "question") == 0)
		return "Question";
	if (strcmp(kind, "link") == 0)
		return "Link";
	return "Note";
}

/* The root of an item, queuing a bare one when the item has none yet. */
static int
root_of(struct chat *c, long long meeting_id, long long item_id, long long *root_id, char **err)
{
	struct store_chat_post root;
	bool found;

	for (int pass = 0; pass < 2; pass++) {
		if (store_chat_root(c->st, item_id, &root, &found, err) < 0)
			return -1;
		*root_id = root.id;
		store_chat_post_release(&root);
		if (found)
			return 0;
		if (queue(c, meeting_id, item_id, 0, 0, "root", "(agenda item)", err) < 0)
			return -1;
	}
	err_set(err, "the agenda item %lld has no thread", item_id);
	return -1;
}

int
chat_post_entry(struct chat *c, long long meeting_id, long long item_id, long long minute_id,
		const char *kind, const char *text, const char *author, bool *queued, char **err)
{
	long long root_id;
	char *plain;
	int rc;

	*queued = false;
	if (!echoed(c->cfg->chat.echo, kind))
		return 0;
	if (root_of(c, meeting_id, item_id, &root_id, err) < 0)
		return -1;
	plain = author ? xasprintf("%s (%s): %s", kind_label(kind), author, text)
		       : xasprintf("%s: %s", kind_label(kind), text);
	rc = queue(c, meeting_id, item_id, minute_id, root_id, "entry", plain, err);
	free(plain);
	*queued = rc == 0;
	return rc;
}

int
chat_edit_entry(struct chat *c, long long meeting_id, long long minute_id, const char *kind,
		const char *text, const char *author, char **err)
{
	struct store_chat_post post;
	bool found;
	char *plain;
	int rc;

	if (store_chat_by_minute(c->st, minute_id, &post, &found, err) < 0)
		return -1;
	if (!found)
		return 0;
	plain = author ? xasprintf("%s (%s): %s", kind_label(kind), author, text)
		       : xasprintf("%s: %s", kind_label(kind), text);
	rc = queue(c, meeting_id, post.item_id, minute_id, post.id, "edit", plain, err);
	free(plain);
	store_chat_post_release(&post);
	return rc;
}

int
chat_post_ticket(struct chat *c, long long measure_id, const char *key, const char *url,
		 bool *queued, char **err)
{
	struct store_chat_action a;
	struct store_chat_post p = { 0 };
	bool found;
	int rc;

	*queued = false;
	if (store_chat_action_of(c->st, measure_id, &a, &found, err) < 0)
		return -1;
	if (!found)
		return 0;
	rc = root_of(c, a.meeting_id, a.item_id, &p.parent_id, err);
	if (rc == 0) {
		char *plain = xasprintf("Ticket filed for action %d \"%s\": %s%s%s", a.number,
					a.title ? a.title : "", key, url ? " " : "", url ? url : "");
		char *now = deliver_time_in(c->clock, 0);

		p.meeting_id = a.meeting_id;
		p.item_id = a.item_id;
		p.kind = "ticket";
		p.service = (char *)c->ops->service;
		p.marker = new_marker(c);
		p.body = c->ops->escape(plain);
		rc = store_chat_queue_key(c->st, &p, measure_id, now, queued, err);
		free(p.marker);
		free(p.body);
		free(now);
		free(plain);
	}
	store_chat_action_release(&a);
	return rc;
}

/* Queues the key of every delivered ticket whose post is owed: the
 * process that filed it may have died before it queued it. */
static int
queue_owed_keys(struct chat *c, char **err)
{
	struct store_chat_owed_keys owed;
	int rc = 0;

	if (store_chat_owed_keys(c->st, c->ops->service, &owed, err) < 0)
		return -1;
	for (size_t i = 0; i < owed.n && rc == 0; i++) {
		bool queued;

		rc = chat_post_ticket(c, owed.rows[i].measure_id, owed.rows[i].key,
				      owed.rows[i].url, &queued, err);
	}
	store_chat_owed_keys_free(&owed);
	return rc;
}

int
chat_wrapup(struct chat *c, long long meeting_id, const char *text, char **err)
{
	return queue(c, meeting_id, 0, 0, 0, "wrapup", text, err);
}

int
chat_post_wrapup(struct chat *c, long long meeting_id, const struct chat_wrapup *w, char **err)
{
	char *body = chat_text_wrapup(w, markup(c));
	struct store_chat_post p = { .meeting_id = meeting_id, .kind = "wrapup" };
	bool queued;
	int rc = queue_once(c, &p, body, &queued, err);

	free(body);
	return rc;
}

int
chat_open_meeting(struct chat *c, long long meeting_id, const struct chat_opening *o,
		  bool *queued, char **err)
{
	char *body = chat_text_opening(o, markup(c));
	char *key = xasprintf("opening:%lld", meeting_id);
	struct store_chat_post p = { .meeting_id = meeting_id, .kind = "opening", .once_key = key };
	int rc = queue_once(c, &p, body, queued, err);

	free(key);
	free(body);
	return rc;
}

int
chat_tell(struct chat *c, long long meeting_id, long long item_id, const char *user,
	  const char *about, const char *text, bool *queued, char **err)
{
	char *body = c->ops->escape(text);
	char *key = xasprintf("ephemeral:%lld:%s:%s", item_id, user, about);
	struct store_chat_post p = {
		.meeting_id = meeting_id, .item_id = item_id, .kind = "ephemeral",
		.recipient = (char *)user, .once_key = key,
	};
	int rc;

	*queued = false;
	rc = root_of(c, meeting_id, item_id, &p.parent_id, err);
	if (rc == 0)
		rc = queue_once(c, &p, body, queued, err);
	free(key);
	free(body);
	return rc;
}

int
chat_post_notice(struct chat *c, long long meeting_id, long long item_id, const char *key,
		 const char *text, bool *queued, char **err)
{
	char *body = c->ops->escape(text);
	char *once = xasprintf("notice:%lld:%s", item_id, key);
	struct store_chat_post p = {
		.meeting_id = meeting_id, .item_id = item_id, .kind = "notice", .once_key = once,
	};
	int rc;

	*queued = false;
	rc = root_of(c, meeting_id, item_id, &p.parent_id, err);
	if (rc == 0)
		rc = queue_once(c, &p, body, queued, err);
	free(once);
	free(body);
	return rc;
}

static int
ensure_channel(struct chat *c, char **err)
{
	char *why = NULL;

	if (c->channel_id != NULL)
		return 0;
	if (c->ops->channel(c, c->cfg->chat.channel, &c->channel_id, &why) != CHAT_CALL_OK) {
		/* the header shows why, whether the caller wants it or not */
		remember_error(c, c->state == CHAT_UNREACHABLE ? CHAT_UNREACHABLE : CHAT_REFUSED,
			       why);
		if (err != NULL)
			*err = why;
		else
			free(why);
		return -1;
	}
	return 0;
}

/* Looks for a post's marker where it would be: 1 found (*ref), 0 not, -1
 * the lookup failed. */
static int
find_marker(struct chat *c, const struct store_chat_post *p, const char *channel, char **ref,
	    char **err)
{
	struct chat_msgs msgs = { 0 };
	long wait;
	long long since = 0;
	enum chat_call r;
	struct tm tm = { 0 };

	/* a root is looked for among the posts since it was queued (a minute's
	 * slack for clocks), however busy the channel has been since */
	if (p->queued_at != NULL && strptime(p->queued_at, "%Y-%m-%dT%H:%M:%SZ", &tm) != NULL)
		since = (long long)timegm(&tm) - 60;
	r = p->parent_ref != NULL
		? c->ops->thread(c, channel, p->parent_ref, NULL, &msgs, &wait, err)
		: c->ops->recent(c, channel, since > 0 ? since : 0, &msgs, &wait, err);
	int found = 0;

	*ref = NULL;
	if (r != CHAT_CALL_OK)
		return -1;
	for (size_t i = 0; i < msgs.n && !found; i++)
		if (msgs.rows[i].marker != NULL && strcmp(msgs.rows[i].marker, p->marker) == 0) {
			*ref = xstrdup(msgs.rows[i].ref);
			found = 1;
		}
	chat_msgs_free(&msgs);
	return found;
}

/* One move of a post through store_chat_move: guarded by the row as seen
 * (a claim, a takeover) or, seen NULL, by this chat's claim. 1 done, 0 the
 * guard did not hold (another process has the post: logged, and nothing is
 * recorded here), -1 the store failed. */
static int
move(struct chat *c, const struct store_chat_post *p, const struct store_chat_post *seen,
     enum deliver_state to, long wait_ms, const char *error, bool sent, const char *channel,
     const char *ref, const char *note, char **err)
{
	char *now = deliver_time_in(c->clock, 0);
	char *next = wait_ms > 0 ? deliver_time_in(c->clock, wait_ms) : NULL;
	char *lease = to == DELIVER_CLAIMED ? deliver_time_in(c->clock, c->lease_ms) : NULL;
	struct store_chat_move mv = {
		.id = p->id, .seen = seen, .owner = c->owner, .to = to, .lease_until = lease,
		.now = now, .next_attempt_at = next, .error = error, .sent = sent,
		.channel = channel, .post_ref = ref, .note = note ? note : error,
	};
	bool changed = false;
	int rc = store_chat_move(c->st, &mv, &changed, err);

	if (rc == 0 && !changed)
		log_info("chat post %lld: not moved to %s: %s", p->id, deliver_state_name(to),
			 seen != NULL ? "another furikaeri took it first"
				      : "its claim was taken over by another furikaeri, which "
					"records its outcome");
	free(now);
	free(next);
	free(lease);
	return rc < 0 ? -1 : changed ? 1 : 0;
}

/* The wall clock in ms, as rate_until_ms counts. */
static long long
http_clock_now_ms_wall(const struct chat *c)
{
	return (long long)http_clock_now(c->clock) * 1000;
}

/* A post went through: a refusal of an earlier one no longer says what the
 * chat is doing (the refused post keeps its reason in the store). */
static void
delivered(struct chat *c)
{
	if (c->state == CHAT_REFUSED)
		remember_error(c, CHAT_CONNECTED, NULL);
}

static void
pace(struct chat *c)
{
	long long now = http_clock_now_ms(c->clock);

	if (c->posted && now - c->last_post_ms < CHAT_POST_GAP_MS)
		http_clock_sleep_ms(c->clock, (long)(CHAT_POST_GAP_MS - (now - c->last_post_ms)));
	c->posted = true;
	c->last_post_ms = http_clock_now_ms(c->clock);
}

/* One post's run (deliver_run): the chat as its backend and chat_posts as
 * its table. */
struct post_run {
	struct chat *c;
	struct store_chat_post *p;	/* as read; a takeover updates it */
	const char *channel;
	bool edit;
	bool ephemeral;		/* shown to p->recipient alone: nothing can find it */
};

/* A post claimed by another process that deliver_due gave up on: its
 * outcome is unknown. Its marker is looked up before any resend, at once
 * when the lease ran out (the holder's longest request is over), after
 * recheck when the holder is gone before its lease ran out (its request may
 * still be on its way). */
static int
take_over(struct post_run *pr, struct deliver_move *mv, bool *changed, char **err)
{
	struct chat *c = pr->c;
	struct store_chat_post *p = pr->p;
	char *note = mv->ran_out
		? xasprintf("taken over from %s, whose lease ran out at %s: it may have been "
			    "posted, so its marker is looked up before posting again",
			    p->claimed_by ? p->claimed_by : "a process", p->lease_until
			    ? p->lease_until : "once")
		: xasprintf("taken over from %s, a process of this machine that is gone: it may "
			    "have been posted, so its marker is looked up before posting again",
			    p->claimed_by ? p->claimed_by : "?");
	/* A lease that ran out outlived the holder's longest request. A holder
	 * that is gone makes no more requests, but its last one may still be
	 * on its way to Slack: its lookup waits out one request's time. */
	long wait = mv->ran_out ? 0 : c->one_request_ms > c->recheck_ms ? c->one_request_ms
				       : c->recheck_ms;
	int rc = move(c, p, p, DELIVER_UNKNOWN, wait, note, false, NULL, NULL, note, err);

	free(note);
	*changed = rc == 1;
	if (rc == 1) {
		p->state = DELIVER_UNKNOWN;
		free(p->claimed_by);
		free(p->lease_until);
		free(p->next_attempt_at);
		p->claimed_by = p->lease_until = NULL;
		p->next_attempt_at = wait > 0 ? deliver_time_in(c->clock, wait) : NULL;
		/* looked up now, or after recheck */
		mv->look_now = wait == 0;
	}
	return rc < 0 ? -1 : 0;
}

/* chat_posts as deliver_run's table: each step one move of store_chat_move. */
static int
post_move(void *ctx, struct deliver_move *mv, bool *changed, char **err)
{
	struct post_run *pr = ctx;
	struct chat *c = pr->c;
	struct store_chat_post *p = pr->p;
	int rc = 1;

	if (mv->why != NULL && mv->step != DELIVER_STEP_LOST)
		log_info("chat post %lld: %s", p->id, mv->why);
	switch (mv->step) {
	case DELIVER_STEP_BUSY:
	case DELIVER_STEP_LOST:
		/* another process has the post (move logged it) */
		rc = 0;
		break;
	case DELIVER_STEP_TAKEOVER:
		return take_over(pr, mv, changed, err);
	case DELIVER_STEP_CLAIM:
		/* a post's send is counted with its claim unless it is looked up */
		rc = move(c, p, p, DELIVER_CLAIMED, 0, NULL, !mv->lookup, NULL, NULL,
			  mv->lookup ? "claimed to look up its marker"
			  : pr->edit ? "claimed to edit" : "claimed to post", err);
		break;
	case DELIVER_STEP_FOUND:
		rc = move(c, p, NULL, DELIVER_DELIVERED, 0, NULL, false, pr->channel, mv->ref,
			  "found by its marker", err);
		delivered(c);
		break;
	case DELIVER_STEP_RESEND:
		/* not there: posted again under a renewed claim */
		rc = move(c, p, NULL, DELIVER_CLAIMED, 0, NULL, true, NULL, NULL,
			  "not found by its marker: posting again", err);
		break;
	case DELIVER_STEP_SENT:
		rc = move(c, p, NULL, DELIVER_DELIVERED, 0, NULL, false, pr->channel,
			  pr->edit ? p->parent_ref : mv->ref, pr->edit ? "edited" : "posted", err);
		delivered(c);
		break;
	case DELIVER_STEP_LATER:
		rc = move(c, p, NULL, DELIVER_QUEUED, pr->edit && mv->wait_ms <= 0 ? c->recheck_ms
			  : mv->wait_ms, mv->why, false, NULL, NULL, NULL, err);
		break;
	case DELIVER_STEP_REFUSED:
		rc = move(c, p, NULL, DELIVER_REFUSED, 0, mv->why, false, NULL, NULL, NULL, err);
		remember_error(c, CHAT_REFUSED, mv->why);
		break;
	case DELIVER_STEP_UNKNOWN:
		if (mv->final) {
			char *note = xasprintf("%s; an ephemeral reply cannot be looked up, so it is "
					       "not sent again", mv->why ? mv->why : "no answer");

			rc = move(c, p, NULL, DELIVER_UNKNOWN, 0, note, false, NULL, NULL, NULL, err);
			free(note);
			break;
		}
		rc = move(c, p, NULL, DELIVER_UNKNOWN, c->recheck_ms, mv->why, false, NULL, NULL,
			  NULL, err);
		break;
	case DELIVER_STEP_LOOKUP_FAILED:
	case DELIVER_STEP_MISSED:
		rc = move(c, p, NULL, DELIVER_UNKNOWN, c->recheck_ms,
			  "cannot look for it yet; it may have been posted", false, NULL, NULL,
			  NULL, err);
		break;
	default:
		/* no other step is met: no readiness check, the claim counts the
		 * send, the chat has no inline resend hook */
		break;
	}
	*changed = rc == 1;
	return rc < 0 ? -1 : 0;
}

static enum deliver_find
post_find(void *ctx, char **ref, char **why)
{
	struct post_run *pr = ctx;
	int found = find_marker(pr->c, pr->p, pr->channel, ref, why);

	return found < 0 ? DELIVER_FIND_FAILED : found ? DELIVER_FIND_FOUND : DELIVER_FIND_MISSED;
}

static enum deliver_send
post_send(void *ctx, const struct deliver_renew *renew, char **ref, long *wait_ms, char **why)
{
	struct post_run *pr = ctx;
	struct chat *c = pr->c;
	struct store_chat_post *p = pr->p;
	enum chat_call r;

	(void)renew;
	pace(c);
	if (pr->ephemeral)
		r = c->ops->ephemeral(c, pr->channel, p->parent_ref, p->recipient, p->body, wait_ms,
				      why);
	else if (pr->edit)
		r = c->ops->update(c, pr->channel, p->parent_ref, p->body, wait_ms, why);
	else
		r = c->ops->post(c, pr->channel, p->parent_ref, p->body, p->marker, ref, wait_ms,
				 why);
	switch (r) {
	case CHAT_CALL_OK:
		return DELIVER_SEND_OK;
	case CHAT_CALL_REFUSED:
		return DELIVER_SEND_REFUSED;
	case CHAT_CALL_UNKNOWN:
		return DELIVER_SEND_UNKNOWN;
	default:
		return DELIVER_SEND_LATER;
	}
}

/* One due post through the state machine: claimed by this chat (or left
 * to the process that claimed it first), then sent, or looked up and sent;
 * an edit is idempotent: sent again whatever the last outcome. -1 only
 * when the store fails. */
static int
flush_one(struct chat *c, struct store_chat_post *p, bool *sent, char **err)
{
	struct post_run pr = {
		.c = c, .p = p, .channel = p->parent_channel ? p->parent_channel : c->channel_id,
		.edit = strcmp(p->kind, "edit") == 0, .ephemeral = strcmp(p->kind, "ephemeral") == 0,
	};
	/* an ephemeral reply is in no history: no lookup can tell whether it
	 * was shown, so an unknown outcome is final and it is never sent
	 * again (a reply missed is better than the same reply twice) */
	struct deliver_backend be = {
		.find = pr.ephemeral ? NULL : post_find, .send = post_send,
		.lookups_needed = pr.ephemeral ? 0 : 1, .resend_safe = pr.edit, .ctx = &pr,
	};
	enum deliver_outcome out;
	int rc = deliver_run(&(struct deliver_run_row){
		.times = store_chat_row_times(p), .look_first = p->state == DELIVER_UNKNOWN,
	}, &be, &(struct deliver_table){ .move = post_move, .claim_counts_send = true,
					 .ctx = &pr }, c->clock, &out, err);

	*sent = rc == 0 && out == DELIVER_OUT_DELIVERED;
	return rc;
}

int
chat_flush(struct chat *c, size_t *sent, char **err)
{
	size_t n = 0;
	int rc = 0;

	if (sent != NULL)
		*sent = 0;
	/* a rate limit holds every post until its Retry-After is over, a new
	 * entry as much as the one that met it */
	if (c->rate_until_ms > http_clock_now_ms_wall(c))
		return 0;
	if (queue_owed_keys(c, err) < 0)
		return -1;
	/* nothing goes out on a token that is refused or not yet known good */
	if (chat_verify(c, NULL) != 1)
		return 0;
	/* rounds: a reply becomes due once the round before posted its root */
	for (int round = 0; round < 8 && rc == 0; round++) {
		struct store_chat_posts due;
		char *now = deliver_time_in(c->clock, 0);
		size_t before = n;
		bool stop = false;

		rc = store_chat_due(c->st, now, &due, err);
		free(now);
		if (rc < 0)
			break;
		if (due.n > 0 && ensure_channel(c, NULL) < 0)
			stop = true;
		for (size_t i = 0; i < due.n && rc == 0 && !stop; i++) {
			bool one;

			rc = flush_one(c, &due.rows[i], &one, err);
			n += one;
			/* a rate limit or an outage holds every later post too */
			stop = c->state == CHAT_RATE_LIMITED || c->state == CHAT_UNREACHABLE;
		}
		store_chat_posts_free(&due);
		if (stop || n == before)
			break;
	}
	if (sent != NULL)
		*sent = n;
	return rc;
}

static char *
iso_of_ms(long long ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char buf[32];

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}

static void
add_event(struct chat_events *ev, enum chat_event_kind kind, long long minute_id,
	  const char *entry_kind, const char *user_id, const char *author, const char *text)
{
	struct chat_event *e;

	ev->rows = xreallocarray(ev->rows, ev->n + 1, sizeof(*ev->rows));
	e = &ev->rows[ev->n++];
	e->kind = kind;
	e->minute_id = minute_id;
	e->entry_kind = entry_kind;
	e->author = author ? xstrdup(author) : NULL;
	e->user_id = user_id ? xstrdup(user_id) : NULL;
	e->text = text ? xstrdup(text) : NULL;
}

static int
pull_one(struct chat *c, const struct store_chat_post *root, const struct chat_msg *m,
	 struct chat_events *ev, char **err)
{
	char *plain = c->ops->decode(c, m->text);
	char *author, *at;
	struct chat_reply reply;
	enum store_chat_pulled res;
	long long minute_id;
	struct store_chat_reply r;
	char *body;
	int rc;

	/* nothing to record (a message of blocks or attachments alone) */
	if (plain[strspn(plain, " \t\r\n")] == '\0') {
		free(plain);
		return 0;
	}
	author = chat_user_name(c, m->user);
	at = iso_of_ms(m->at_ms);

	chat_reply_parse(plain, &reply);
	body = reply.url != NULL && strcmp(reply.text, reply.url) != 0
		? xasprintf("%s %s", reply.url, reply.text) : xstrdup(reply.text);
	r = (struct store_chat_reply){
		.ref = m->ref, .user_ref = m->user, .author = author ? author : m->user,
		.at = at, .kind = reply.kind, .body = body, .owner = reply.owner,
		.due = reply.due, .edited = m->edited, .cursor = m->cursor,
	};
	rc = store_chat_pull(c->st, root->id, &r, &res, &minute_id, err);
	if (rc == 0 && res != STORE_CHAT_SEEN)
		add_event(ev, res == STORE_CHAT_NEW ? CHAT_EVENT_REPLY : CHAT_EVENT_EDITED,
			  minute_id, reply.kind, m->user, r.author, body);
	chat_reply_clear(&reply);
	free(body);
	free(plain);
	free(author);
	free(at);
	return rc;
}

/* One "emoji\tUSER" on a pulled reply: an event the first time it is seen. */
static int
reaction(struct chat *c, const struct store_chat_post *root, const struct chat_msg *m,
	 const char *line, struct chat_events *ev, char **err)
{
	const char *tab = strchr(line, '\t');
	char *emoji;
	bool agree, ticket, is_new;
	long long minute_id;
	int rc;

	if (tab == NULL)
		return 0;
	emoji = xstrndup(line, (size_t)(tab - line));
	agree = strcmp(emoji, c->cfg->chat.agree_reaction) == 0;
	ticket = strcmp(emoji, c->cfg->chat.ticket_reaction) == 0;
	rc = agree || ticket ? store_chat_reaction(c->st, root->id, m->ref, emoji, tab + 1,
						   &is_new, &minute_id, err) : 0;
	if (rc == 0 && (agree || ticket) && is_new && minute_id != 0) {
		char *who = chat_user_name(c, tab + 1);

		add_event(ev, agree ? CHAT_EVENT_AGREE : CHAT_EVENT_TICKET, minute_id, "action",
			  tab + 1, who ? who : tab + 1, emoji);
		free(who);
	}
	free(emoji);
	return rc;
}

int
chat_poll(struct chat *c, long long item_id, bool full, struct chat_events *ev, char **err)
{
	struct store_chat_post root;
	struct chat_msgs msgs = { 0 };
	bool found;
	long wait;
	int rc = 0, good;

	memset(ev, 0, sizeof(*ev));
	if (store_chat_root(c->st, item_id, &root, &found, err) < 0)
		return -1;
	if (!found || root.state != DELIVER_DELIVERED) {
		store_chat_post_release(&root);
		return 0;
	}
	/* a refused token is read nothing with: the state says so (0 is no
	 * failure of the poll: its words are the state's, not the caller's) */
	if ((good = chat_verify(c, err)) != 1) {
		store_chat_post_release(&root);
		return good;
	}
	if (c->ops->thread(c, root.channel, root.post_ref, full ? NULL : root.cursor, &msgs, &wait,
			   err) != CHAT_CALL_OK) {
		if (c->state != CHAT_RATE_LIMITED && c->state != CHAT_UNREACHABLE)
			remember_error(c, CHAT_REFUSED, err ? *err : NULL);
		store_chat_post_release(&root);
		return -1;
	}
	for (size_t i = 0; i < msgs.n && rc == 0; i++) {
		const struct chat_msg *m = &msgs.rows[i];

		if (m->marker != NULL || m->from_bot || m->deleted)
			continue;
		rc = pull_one(c, &root, m, ev, err);
		for (size_t j = 0; rc == 0 && m->reactions != NULL && m->reactions[j]; j++)
			rc = reaction(c, &root, m, m->reactions[j], ev, err);
	}
	if (rc == 0 && full) {
		char **refs = NULL;

		rc = store_chat_refs(c->st, root.id, &refs, err);
		for (size_t i = 0; rc == 0 && refs[i] != NULL; i++) {
			bool there = false, changed;

			for (size_t j = 0; j < msgs.n && !there; j++)
				there = !msgs.rows[j].deleted && strcmp(msgs.rows[j].ref, refs[i]) == 0;
			if (there)
				continue;
			rc = store_chat_pull_deleted(c->st, root.id, refs[i], &changed, err);
			if (rc == 0 && changed) {
				long long minute_id = 0;

				store_chat_reply_minute(c->st, root.id, refs[i], &minute_id, NULL);
				add_event(ev, CHAT_EVENT_DELETED, minute_id, "note", NULL, NULL, NULL);
			}
		}
		store_chat_refs_free(refs);
	}
	chat_msgs_free(&msgs);
	store_chat_post_release(&root);
	return rc;
}

enum chat_state
chat_status(struct chat *c, long long meeting_id, char *buf, size_t size)
{
	size_t pending = 0;
	char *err = NULL;

	store_chat_pending(c->st, meeting_id, &pending, &err);
	free(err);
	if (c->state == CHAT_RATE_LIMITED &&
	    c->rate_until_ms > (long long)http_clock_now(c->clock) * 1000) {
		time_t until = (time_t)(c->rate_until_ms / 1000);
		struct tm tm;

		localtime_r(&until, &tm);
		snprintf(buf, size, "rate-limited until %02d:%02d", tm.tm_hour, tm.tm_min);
		return CHAT_RATE_LIMITED;
	}
	if (c->state == CHAT_UNREACHABLE) {
		snprintf(buf, size, "unreachable");
		return CHAT_UNREACHABLE;
	}
	if (c->auth_refused) {
		/* nothing is sent until then: say how it starts again */
		snprintf(buf, size, "refused: %s; then /chat retry", c->last_error ? c->last_error
								: "the token is refused");
		return CHAT_REFUSED;
	}
	if (c->state == CHAT_REFUSED) {
		snprintf(buf, size, "refused: %s", c->last_error ? c->last_error
							       : "furikaeri doctor says why");
		return CHAT_REFUSED;
	}
	if (!c->verified) {
		snprintf(buf, size, "connecting");
		return CHAT_CONNECTING;
	}
	if (pending > 0) {
		snprintf(buf, size, "catching up (%zu)", pending);
		return CHAT_CATCHING_UP;
	}
	snprintf(buf, size, "connected");
	return CHAT_CONNECTED;
}

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
		if (ensure_channel(c, &err) == 0) {
			strbuf_addf(&sb, "ok   %s: channel %s (%s) found, and the bot is in it\n",
				    c->ops->name, c->cfg->chat.channel, c->channel_id);
		} else {
			strbuf_addf(&sb, "FAIL %s\n", err ? err : "the channel cannot be read");
			rc = -1;
		}
		free(err);
	}
	if (rc == 0) {
		/* the open item's thread, one read every poll_seconds */
		long per_minute = (60 + c->cfg->chat.poll_s - 1) / c->cfg->chat.poll_s;
		if (c->ops == &chat_slack_ops && per_minute > SLACK_TIER3_PER_MINUTE)
			strbuf_addf(&sb, "warn Slack: poll_seconds = %ld reads the open thread %ld "
				    "times a minute, above the %d of Slack's Tier 3: Slack will "
				    "answer 429 and replies come in later; set [chat] poll_seconds "
				    "= 2 or more\n", c->cfg->chat.poll_s, per_minute,
				    SLACK_TIER3_PER_MINUTE);
		else
			strbuf_addf(&sb, "ok   %s: the open thread is read %ld times a minute "
				    "(poll_seconds = %ld)\n", c->ops->name, per_minute,
				    c->cfg->chat.poll_s);
	}
	*report = strbuf_detach(&sb);
	return rc;
}
