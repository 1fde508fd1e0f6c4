#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "furikaeri/chat_queue.h"
#include "furikaeri/chat_text.h"
#include "furikaeri/deliver.h"
#include "furikaeri/err.h"
#include "furikaeri/store_chat.h"
#include "furikaeri/xalloc.h"

struct chat_queue {
	const struct config *cfg;
	struct store *st;
	const struct http_clock *clock;
	const char *service;		/* "slack", "mattermost" */
	enum chat_text_markup markup;
	unsigned int seed;
};

struct chat_queue *
chat_queue_new(const struct config *cfg, struct store *st, const struct http_clock *clock,
	       char **err)
{
	struct chat_queue *q;
	bool slack;

	if (cfg->chat.service == NULL) {
		err_set(err, "no chat is configured: set service = slack or mattermost in [chat] "
			"of %s", cfg->path ? cfg->path : "the config file");
		return NULL;
	}
	slack = strcmp(cfg->chat.service, "slack") == 0;
	q = xcalloc(1, sizeof(*q));
	q->cfg = cfg;
	q->st = st;
	q->clock = clock;
	q->service = slack ? "slack" : "mattermost";
	q->markup = slack ? CHAT_TEXT_SLACK : CHAT_TEXT_MATTERMOST;
	q->seed = (unsigned int)getpid() ^ (unsigned int)time(NULL);
	return q;
}

void
chat_queue_free(struct chat_queue *q)
{
	free(q);
}

/* A marker no other post has: "fk-" and 24 hex digits. */
static char *
new_marker(struct chat_queue *q)
{
	unsigned char raw[12];
	char hex[25];
	FILE *f = fopen("/dev/urandom", "rb");

	if (f == NULL || fread(raw, 1, sizeof(raw), f) != sizeof(raw))
		for (size_t i = 0; i < sizeof(raw); i++)
			raw[i] = (unsigned char)rand_r(&q->seed);
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
queue_once(struct chat_queue *q, struct store_chat_post *p, const char *body, bool *queued,
	   char **err)
{
	char *now = deliver_time_in(q->clock, 0);
	int rc;

	p->service = (char *)q->service;
	p->marker = new_marker(q);
	p->body = (char *)body;
	rc = store_chat_queue_once(q->st, p, now, queued, err);
	free(p->marker);
	p->marker = NULL;
	free(now);
	return rc;
}

static int
queue(struct chat_queue *q, long long meeting_id, long long item_id, long long minute_id,
      long long parent_id, const char *kind, const char *plain, char **err)
{
	char *marker = new_marker(q);
	char *body = chat_text_escape(q->markup, plain);
	char *now = deliver_time_in(q->clock, 0);
	struct store_chat_post p = {
		.meeting_id = meeting_id, .item_id = item_id, .minute_id = minute_id,
		.parent_id = parent_id, .kind = (char *)kind, .service = (char *)q->service,
		.marker = marker, .body = body,
	};
	int rc = store_chat_queue(q->st, &p, now, err);

	free(marker);
	free(body);
	free(now);
	return rc;
}

int
chat_queue_item(struct chat_queue *q, long long meeting_id, long long item_id,
		const char *text, char **err)
{
	struct store_chat_post root;
	bool found;

	if (store_chat_root(q->st, item_id, &root, &found, err) < 0)
		return -1;
	store_chat_post_release(&root);
	if (found)
		return 0;
	return queue(q, meeting_id, item_id, 0, 0, "root", text, err);
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

/* The root of an item, queuing a bare one when the item has none yet. */
static int
root_of(struct chat_queue *q, long long meeting_id, long long item_id, long long *root_id,
	char **err)
{
	struct store_chat_post root;
	bool found;

	for (int pass = 0; pass < 2; pass++) {
		if (store_chat_root(q->st, item_id, &root, &found, err) < 0)
			return -1;
		*root_id = root.id;
		store_chat_post_release(&root);
		if (found)
			return 0;
		if (queue(q, meeting_id, item_id, 0, 0, "root", "(agenda item)", err) < 0)
			return -1;
	}
	err_set(err, "the agenda item %lld has no thread", item_id);
	return -1;
}

int
chat_queue_entry(struct chat_queue *q, long long meeting_id, long long item_id,
		 long long minute_id, const char *kind, const char *text, const char *author,
		 bool *queued, char **err)
{
	long long root_id;
	char *plain;
	int rc;

	*queued = false;
	if (!echoed(q->cfg->chat.echo, kind))
		return 0;
	if (root_of(q, meeting_id, item_id, &root_id, err) < 0)
		return -1;
	plain = chat_text_entry(kind, author, text);
	rc = queue(q, meeting_id, item_id, minute_id, root_id, "entry", plain, err);
	free(plain);
	*queued = rc == 0;
	return rc;
}

int
chat_queue_edit(struct chat_queue *q, long long meeting_id, long long minute_id,
		const char *kind, const char *text, const char *author, char **err)
{
	struct store_chat_post post;
	bool found;
	char *plain;
	int rc;

	if (store_chat_by_minute(q->st, minute_id, &post, &found, err) < 0)
		return -1;
	if (!found)
		return 0;
	plain = chat_text_entry(kind, author, text);
	rc = queue(q, meeting_id, post.item_id, minute_id, post.id, "edit", plain, err);
	free(plain);
	store_chat_post_release(&post);
	return rc;
}

int
chat_queue_ticket(struct chat_queue *q, long long measure_id, const char *key,
		  const char *url, bool *queued, char **err)
{
	struct store_chat_action a;
	struct store_chat_post p = { 0 };
	bool found;
	int rc;

	*queued = false;
	if (store_chat_action_of(q->st, measure_id, &a, &found, err) < 0)
		return -1;
	if (!found)
		return 0;
	rc = root_of(q, a.meeting_id, a.item_id, &p.parent_id, err);
	if (rc == 0) {
		char *plain = xasprintf("Ticket filed for action %d \"%s\": %s%s%s", a.number,
					a.title ? a.title : "", key, url ? " " : "", url ? url : "");
		char *now = deliver_time_in(q->clock, 0);

		p.meeting_id = a.meeting_id;
		p.item_id = a.item_id;
		p.kind = "ticket";
		p.service = (char *)q->service;
		p.marker = new_marker(q);
		p.body = chat_text_escape(q->markup, plain);
		rc = store_chat_queue_key(q->st, &p, measure_id, now, queued, err);
		free(p.marker);
		free(p.body);
		free(now);
		free(plain);
	}
	store_chat_action_release(&a);
	return rc;
}

int
chat_queue_owed_keys(struct chat_queue *q, char **err)
{
	struct store_chat_owed_keys owed;
	int rc = 0;

	if (store_chat_owed_keys(q->st, q->service, &owed, err) < 0)
		return -1;
	for (size_t i = 0; i < owed.n && rc == 0; i++) {
		bool queued;

		rc = chat_queue_ticket(q, owed.rows[i].measure_id, owed.rows[i].key,
				      owed.rows[i].url, &queued, err);
	}
	store_chat_owed_keys_free(&owed);
	return rc;
}

int
chat_queue_wrapup_text(struct chat_queue *q, long long meeting_id, const char *text,
		       char **err)
{
	return queue(q, meeting_id, 0, 0, 0, "wrapup", text, err);
}

int
chat_queue_wrapup(struct chat_queue *q, long long meeting_id, const struct chat_wrapup *w,
		  char **err)
{
	char *body = chat_text_wrapup(w, q->markup);
	struct store_chat_post p = { .meeting_id = meeting_id, .kind = "wrapup" };
	bool queued;
	int rc = queue_once(q, &p, body, &queued, err);

	free(body);
	return rc;
}

int
chat_queue_opening(struct chat_queue *q, long long meeting_id, const struct chat_opening *o,
		   bool *queued, char **err)
{
	char *body = chat_text_opening(o, q->markup);
	char *key = xasprintf("opening:%lld", meeting_id);
	struct store_chat_post p = { .meeting_id = meeting_id, .kind = "opening", .once_key = key };
	int rc = queue_once(q, &p, body, queued, err);

	free(key);
	free(body);
	return rc;
}

int
chat_queue_tell(struct chat_queue *q, long long meeting_id, long long item_id,
		const char *user, const char *about, const char *text, bool *queued, char **err)
{
	char *body = chat_text_escape(q->markup, text);
	char *key = xasprintf("ephemeral:%lld:%s:%s", item_id, user, about);
	struct store_chat_post p = {
		.meeting_id = meeting_id, .item_id = item_id, .kind = "ephemeral",
		.recipient = (char *)user, .once_key = key,
	};
	int rc;

	*queued = false;
	rc = root_of(q, meeting_id, item_id, &p.parent_id, err);
	if (rc == 0)
		rc = queue_once(q, &p, body, queued, err);
	free(key);
	free(body);
	return rc;
}

int
chat_queue_notice(struct chat_queue *q, long long meeting_id, long long item_id,
		  const char *key, const char *text, bool *queued, char **err)
{
	char *body = chat_text_escape(q->markup, text);
	char *once = xasprintf("notice:%lld:%s", item_id, key);
	struct store_chat_post p = {
		.meeting_id = meeting_id, .item_id = item_id, .kind = "notice", .once_key = once,
	};
	int rc;

	*queued = false;
	rc = root_of(q, meeting_id, item_id, &p.parent_id, err);
	if (rc == 0)
		rc = queue_once(q, &p, body, queued, err);
	free(once);
	free(body);
	return rc;
}
