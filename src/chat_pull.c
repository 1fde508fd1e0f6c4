#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chat_private.h"
#include "furikaeri/chat_pull.h"
#include "furikaeri/chat_reply.h"
#include "furikaeri/deliver.h"
#include "furikaeri/store_chat.h"
#include "furikaeri/xalloc.h"

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
chat_pull(struct chat *c, long long item_id, bool full, struct chat_events *ev, char **err)
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
			chat_remember_error(c, CHAT_REFUSED, err ? *err : NULL);
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
