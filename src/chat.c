#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "chat_private.h"
#include "furikaeri/chat_queue.h"
#include "furikaeri/deliver.h"
#include "furikaeri/err.h"
#include "furikaeri/http_call.h"
#include "furikaeri/log.h"
#include "furikaeri/store_chat.h"
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
	c->queue = chat_queue_new(cfg, st, c->clock, NULL);
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
	chat_queue_free(c->queue);
	chat_pull_forget(c);
	free(c);
}

struct chat_queue *
chat_get_queue(struct chat *c)
{
	return c->queue;
}

void
chat_remember_error(struct chat *c, enum chat_state state, const char *msg)
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
	chat_remember_error(c, CHAT_REFUSED, why != NULL ? why : "the token is refused");
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

int
chat_ensure_channel(struct chat *c, char **err)
{
	char *why = NULL;

	if (c->channel_id != NULL)
		return 0;
	if (c->ops->channel(c, c->cfg->chat.channel, &c->channel_id, &why) != CHAT_CALL_OK) {
		/* the header shows why, whether the caller wants it or not */
		chat_remember_error(c, c->state == CHAT_UNREACHABLE ? CHAT_UNREACHABLE : CHAT_REFUSED,
			       why);
		if (err != NULL)
			*err = why;
		else
			free(why);
		return -1;
	}
	return 0;
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
