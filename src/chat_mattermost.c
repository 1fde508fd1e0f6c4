#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "chat_private.h"
#include "furikaeri/chat_text.h"
#include "furikaeri/err.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

/* Mattermost's REST API v4 under [chat] url: JSON both ways, errors as
 * HTTP statuses with {"id", "message"}. A post carries its marker as
 * pending_post_id (which the server deduplicates) and in its props (which
 * reads return). */

#define MM_MARKER_PROP "furikaeri_marker"

static enum chat_call
mm_call(struct chat *c, const char *method, const char *path, json_t *body, json_t **out,
	long *wait_ms, char **err)
{
	char *payload = body ? json_dumps(body, JSON_COMPACT) : NULL;
	long wait = 0;
	enum chat_call r = chat_request(c, method, path, payload ? "application/json" : NULL,
					payload, strcmp(method, "GET") == 0, out, &wait, err);

	free(payload);
	if (wait_ms != NULL)
		*wait_ms = wait;
	if (r == CHAT_CALL_OK && !json_is_object(*out) && !json_is_array(*out)) {
		json_decref(*out);
		*out = NULL;
		err_set(err, "Mattermost %s %s: the answer is not JSON; check [chat] url (%s)",
			method, path, c->base);
		return strcmp(method, "GET") == 0 ? CHAT_CALL_LATER : CHAT_CALL_UNKNOWN;
	}
	return r;
}

static enum chat_call
mm_auth(struct chat *c, char **id, char **name, char **err)
{
	json_t *j;
	enum chat_call r = mm_call(c, "GET", "api/v4/users/me", NULL, &j, NULL, err);

	*id = *name = NULL;
	if (r != CHAT_CALL_OK)
		return r;
	if (chat_json_str(j, "id") != NULL)
		*id = xstrdup(chat_json_str(j, "id"));
	if (chat_json_str(j, "username") != NULL)
		*name = text_sanitize(chat_json_str(j, "username"), false);
	free(c->bot_id);
	c->bot_id = *id ? xstrdup(*id) : NULL;
	json_decref(j);
	return CHAT_CALL_OK;
}

static bool
mm_id(const char *s)
{
	if (strlen(s) != 26)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
			return false;
	return true;
}

static enum chat_call
mm_channel(struct chat *c, const char *channel, char **id, char **err)
{
	const char *name = channel[0] == '#' ? channel + 1 : channel;
	json_t *j = NULL;
	enum chat_call r;
	char *path;

	*id = NULL;
	if (mm_id(name)) {
		path = xasprintf("api/v4/channels/%s", name);
		r = mm_call(c, "GET", path, NULL, &j, NULL, err);
		free(path);
	} else {
		json_t *teams, *t;
		size_t i;

		r = mm_call(c, "GET", "api/v4/users/me/teams", NULL, &teams, NULL, err);
		if (r != CHAT_CALL_OK)
			return r;
		r = CHAT_CALL_REFUSED;
		json_array_foreach(teams, i, t) {
			char *n = http_escape(name);

			path = xasprintf("api/v4/teams/%s/channels/name/%s",
					 chat_json_str(t, "id") ? chat_json_str(t, "id") : "", n);
			free(n);
			free(err ? *err : NULL);
			if (err)
				*err = NULL;
			r = mm_call(c, "GET", path, NULL, &j, NULL, err);
			free(path);
			if (r == CHAT_CALL_OK)
				break;
		}
		json_decref(teams);
	}
	if (r != CHAT_CALL_OK) {
		if (r == CHAT_CALL_REFUSED) {
			free(err ? *err : NULL);
			if (err)
				*err = NULL;
			err_set(err, "Mattermost: the channel %s is not found or the bot cannot see "
				"it: check [chat] channel (the channel's name as in its URL, or its "
				"id) and add the bot to the channel's team", channel);
		}
		return r;
	}
	*id = xstrdup(chat_json_str(j, "id") ? chat_json_str(j, "id") : "");
	json_decref(j);
	path = xasprintf("api/v4/channels/%s/members/me", *id);
	r = mm_call(c, "GET", path, NULL, &j, NULL, err);
	free(path);
	json_decref(j);
	if (r == CHAT_CALL_REFUSED) {
		free(err ? *err : NULL);
		if (err)
			*err = NULL;
		err_set(err, "Mattermost: the bot is not in %s: add it there (/invite @BOT in the "
			"channel)", channel);
	}
	if (r != CHAT_CALL_OK) {
		free(*id);
		*id = NULL;
	}
	return r;
}

static enum chat_call
mm_post(struct chat *c, const char *channel, const char *thread, const char *text,
	const char *marker, char **ref, long *wait_ms, char **err)
{
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:{s:s}}", "channel_id", channel,
				 "message", text, "root_id", thread ? thread : "",
				 "pending_post_id", marker, "props", MM_MARKER_PROP, marker);
	json_t *j;
	enum chat_call r = mm_call(c, "POST", "api/v4/posts", body, &j, wait_ms, err);

	json_decref(body);
	*ref = NULL;
	if (r != CHAT_CALL_OK)
		return r;
	if (chat_json_str(j, "id") == NULL) {
		json_decref(j);
		err_set(err, "Mattermost POST /api/v4/posts: the answer has no id; it may have been "
			"posted");
		return CHAT_CALL_UNKNOWN;
	}
	*ref = xstrdup(chat_json_str(j, "id"));
	json_decref(j);
	return CHAT_CALL_OK;
}

static enum chat_call
mm_ephemeral(struct chat *c, const char *channel, const char *thread, const char *user,
	     const char *text, long *wait_ms, char **err)
{
	json_t *body = json_pack("{s:s, s:{s:s, s:s, s:s}}", "user_id", user, "post",
				 "channel_id", channel, "message", text, "root_id",
				 thread ? thread : "");
	json_t *j;
	enum chat_call r = mm_call(c, "POST", "api/v4/posts/ephemeral", body, &j, wait_ms, err);

	json_decref(body);
	json_decref(j);
	return r;
}

static enum chat_call
mm_update(struct chat *c, const char *channel, const char *ref, const char *text, long *wait_ms,
	  char **err)
{
	char *path = xasprintf("api/v4/posts/%s/patch", ref);
	json_t *body = json_pack("{s:s}", "message", text), *j = NULL;
	enum chat_call r = mm_call(c, "PUT", path, body, &j, wait_ms, err);

	(void)channel;
	free(path);
	json_decref(body);
	json_decref(j);
	return r;
}

/* Each file attached to a post, as a Markdown link after the text to the
 * file on the server ("[name](BASE/api/v4/files/ID)", which opens for
 * anyone signed in). The name is the person's, so it is escaped. */
static char *
with_files(const struct chat *c, const char *text, json_t *files)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *f;
	size_t i;

	strbuf_adds(&sb, text);
	json_array_foreach(files, i, f) {
		const char *id = chat_json_str(f, "id"), *name = chat_json_str(f, "name");
		if (id == NULL || id[0] == '\0' || strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789") !=
		    strlen(id))
			continue;
		strbuf_adds(&sb, sb.len > 0 ? " [" : "[");
		for (const char *p = name != NULL && name[0] != '\0' ? name : id; *p != '\0'; p++) {
			if (strchr("\\[]()`*_<>", *p) != NULL)
				strbuf_addc(&sb, '\\');
			strbuf_addc(&sb, *p == '\n' ? ' ' : *p);
		}
		strbuf_addf(&sb, "](%sapi/v4/files/%s)", c->base, id);
	}
	return strbuf_detach(&sb);
}

static void
read_post(struct chat *c, json_t *p, struct chat_msg *out)
{
	json_t *props = json_object_get(p, "props");
	const char *v;
	long long edit_at = json_integer_value(json_object_get(p, "edit_at"));

	memset(out, 0, sizeof(*out));
	out->ref = xstrdup(chat_json_str(p, "id") ? chat_json_str(p, "id") : "");
	out->at_ms = json_integer_value(json_object_get(p, "create_at"));
	out->cursor = xasprintf("%lld", out->at_ms);
	if ((v = chat_json_str(p, "user_id")) != NULL)
		out->user = xstrdup(v);
	out->text = with_files(c, chat_json_str(p, "message") ? chat_json_str(p, "message") : "",
			       json_object_get(json_object_get(p, "metadata"), "files"));
	if (edit_at > 0)
		out->edited = xasprintf("%lld", edit_at);
	if ((v = chat_json_str(props, MM_MARKER_PROP)) != NULL && v[0] != '\0')
		out->marker = xstrdup(v);
	out->deleted = json_integer_value(json_object_get(p, "delete_at")) > 0;
	out->from_bot = json_object_get(props, "from_bot") != NULL ||
			(c->bot_id != NULL && out->user != NULL && strcmp(out->user, c->bot_id) == 0);
	{
		json_t *reactions = json_object_get(json_object_get(p, "metadata"), "reactions");
		json_t *r;
		size_t i, n = 0;

		json_array_foreach(reactions, i, r) {
			const char *emoji = chat_json_str(r, "emoji_name");
			const char *who = chat_json_str(r, "user_id");

			if (emoji == NULL || who == NULL)
				continue;
			out->reactions = xreallocarray(out->reactions, n + 2, sizeof(char *));
			out->reactions[n++] = xasprintf("%s\t%s", emoji, who);
			out->reactions[n] = NULL;
		}
	}
}

static int
by_time(const void *a, const void *b)
{
	const struct chat_msg *x = a, *y = b;

	return (x->at_ms > y->at_ms) - (x->at_ms < y->at_ms);
}

/* A post list ({"order", "posts"}) into out, root and posts up to cursor
 * left out, oldest first. */
static void
read_list(struct chat *c, json_t *j, const char *root, const char *cursor, struct chat_msgs *out)
{
	json_t *posts = json_object_get(j, "posts"), *p;
	const char *key;
	long long after = cursor ? strtoll(cursor, NULL, 10) : 0;

	memset(out, 0, sizeof(*out));
	json_object_foreach(posts, key, p) {
		if (root != NULL && strcmp(key, root) == 0)
			continue;
		if (json_integer_value(json_object_get(p, "create_at")) <= after)
			continue;
		out->rows = xreallocarray(out->rows, out->n + 1, sizeof(*out->rows));
		read_post(c, p, &out->rows[out->n++]);
	}
	if (out->n > 1)
		qsort(out->rows, out->n, sizeof(*out->rows), by_time);
}

static enum chat_call
mm_thread(struct chat *c, const char *channel, const char *root, const char *cursor,
	  struct chat_msgs *out, long *wait_ms, char **err)
{
	long long from_at = 0;
	char *from_post = NULL;
	enum chat_call r = CHAT_CALL_OK;

	(void)channel;
	memset(out, 0, sizeof(*out));
	/* pages of 200, oldest first, each from the last post of the one
	 * before (a server that does not page answers the thread whole) */
	for (int page = 0; page < 50; page++) {
		char *path = from_post != NULL
			? xasprintf("api/v4/posts/%s/thread?perPage=200&direction=down"
				    "&fromCreateAt=%lld&fromPost=%s", root, from_at, from_post)
			: xasprintf("api/v4/posts/%s/thread?perPage=200&direction=down", root);
		struct chat_msgs one;
		json_t *j, *p;
		const char *key;
		bool more;

		r = mm_call(c, "GET", path, NULL, &j, wait_ms, err);
		free(path);
		if (r != CHAT_CALL_OK)
			break;
		read_list(c, j, root, cursor, &one);
		out->rows = xreallocarray(out->rows, out->n + one.n + 1, sizeof(*out->rows));
		if (one.n > 0)	/* an empty page has no rows at all */
			memcpy(out->rows + out->n, one.rows, one.n * sizeof(*one.rows));
		out->n += one.n;
		free(one.rows);
		json_object_foreach(json_object_get(j, "posts"), key, p) {
			long long at = json_integer_value(json_object_get(p, "create_at"));

			if (at > from_at || (at == from_at && from_post != NULL &&
					     strcmp(key, from_post) > 0)) {
				from_at = at;
				free(from_post);
				from_post = xstrdup(key);
			}
		}
		more = json_is_true(json_object_get(j, "has_next")) && from_post != NULL;
		json_decref(j);
		if (!more)
			break;
	}
	free(from_post);
	if (r != CHAT_CALL_OK) {
		chat_msgs_free(out);
		return r;
	}
	if (out->n > 1)
		qsort(out->rows, out->n, sizeof(*out->rows), by_time);
	return CHAT_CALL_OK;
}

static enum chat_call
mm_recent(struct chat *c, const char *channel, long long since_s, struct chat_msgs *out,
	  long *wait_ms, char **err)
{
	char *path = since_s > 0
		? xasprintf("api/v4/channels/%s/posts?since=%lld", channel, since_s * 1000)
		: xasprintf("api/v4/channels/%s/posts?per_page=100", channel);
	json_t *j;
	enum chat_call r = mm_call(c, "GET", path, NULL, &j, wait_ms, err);

	free(path);
	memset(out, 0, sizeof(*out));
	if (r != CHAT_CALL_OK)
		return r;
	read_list(c, j, NULL, NULL, out);
	json_decref(j);
	return CHAT_CALL_OK;
}

static enum chat_call
mm_activity(struct chat *c, const char *channel, const char *first_root, long long since_ms,
	    struct chat_msgs *out, long *wait_ms, char **err)
{
	char *path = xasprintf("api/v4/channels/%s/posts?since=%lld", channel,
			       since_ms > 0 ? since_ms : 1);
	json_t *j, *p;
	const char *key;
	enum chat_call r = mm_call(c, "GET", path, NULL, &j, wait_ms, err);

	(void)first_root;
	free(path);
	memset(out, 0, sizeof(*out));
	if (r != CHAT_CALL_OK)
		return r;
	json_object_foreach(json_object_get(j, "posts"), key, p) {
		const char *root = chat_json_str(p, "root_id");
		long long at = json_integer_value(json_object_get(p, "update_at"));
		long long made = json_integer_value(json_object_get(p, "create_at"));
		size_t k;

		if (root == NULL || root[0] == '\0')
			continue;
		if (made > at)
			at = made;
		for (k = 0; k < out->n && strcmp(out->rows[k].ref, root) != 0; k++)
			;
		if (k == out->n) {
			out->rows = xreallocarray(out->rows, out->n + 1, sizeof(*out->rows));
			memset(&out->rows[out->n], 0, sizeof(out->rows[out->n]));
			out->rows[out->n].ref = xstrdup(root);
			out->n++;
		} else if (out->rows[k].at_ms >= at) {
			continue;
		}
		out->rows[k].at_ms = at;
		free(out->rows[k].cursor);
		out->rows[k].cursor = xasprintf("%lld", at);
	}
	json_decref(j);
	return CHAT_CALL_OK;
}

static enum chat_call
mm_by_email(struct chat *c, const char *email, char **id, char **handle, char **err)
{
	char *e = http_escape(email);
	char *path = xasprintf("api/v4/users/email/%s", e);
	json_t *j;
	enum chat_call r = mm_call(c, "GET", path, NULL, &j, NULL, err);

	free(path);
	free(e);
	*id = NULL;
	*handle = NULL;
	if (r != CHAT_CALL_OK)
		return r;
	if (chat_json_str(j, "id") != NULL && chat_json_str(j, "id")[0] != '\0')
		*id = xstrdup(chat_json_str(j, "id"));
	if (chat_json_str(j, "username") != NULL && chat_json_str(j, "username")[0] != '\0')
		*handle = text_sanitize(chat_json_str(j, "username"), false);
	json_decref(j);
	if (*id == NULL) {
		err_set(err, "Mattermost GET api/v4/users/email: the answer has no user id");
		return CHAT_CALL_LATER;
	}
	return CHAT_CALL_OK;
}

static enum chat_call
mm_user_name(struct chat *c, const char *user, char **name, char **err)
{
	char *path = xasprintf("api/v4/users/%s", user);
	json_t *j;
	enum chat_call r = mm_call(c, "GET", path, NULL, &j, NULL, err);
	const char *nick, *first, *last, *uname;

	free(path);
	*name = NULL;
	if (r != CHAT_CALL_OK)
		return r;
	nick = chat_json_str(j, "nickname");
	first = chat_json_str(j, "first_name");
	last = chat_json_str(j, "last_name");
	uname = chat_json_str(j, "username");
	if (nick != NULL && nick[0] != '\0') {
		*name = text_sanitize(nick, false);
	} else if (first != NULL && first[0] != '\0') {
		char *full = xasprintf("%s%s%s", first, last && last[0] ? " " : "", last ? last : "");

		*name = text_sanitize(full, false);
		free(full);
	} else if (uname != NULL) {
		*name = text_sanitize(uname, false);
	}
	json_decref(j);
	return CHAT_CALL_OK;
}

static char *
mm_decode(struct chat *c, const char *text)
{
	(void)c;
	return chat_text_from_mattermost(text);
}

const struct chat_ops chat_mattermost_ops = {
	.name = "Mattermost",
	.service = "mattermost",
	.auth = mm_auth,
	.channel = mm_channel,
	.post = mm_post,
	.ephemeral = mm_ephemeral,
	.update = mm_update,
	.thread = mm_thread,
	.recent = mm_recent,
	.activity = mm_activity,
	.by_email = mm_by_email,
	.user_name = mm_user_name,
	.decode = mm_decode,
	.escape = chat_text_mattermost_escape,
};
