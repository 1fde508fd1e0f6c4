#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chat_private.h"
#include "furikaeri/chat_pull.h"
#include "furikaeri/chat_reply.h"
#include "furikaeri/deliver.h"
#include "furikaeri/store_chat.h"
#include "furikaeri/store_meeting.h"
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

/* A thread of the meeting as the round robin knows it. */
struct chat_thread {
	long long item_id;
	char *ref;		/* the root's id in the chat */
	char *read;		/* the stamp of its latest activity when last read */
	char *seen;		/* the stamp the channel showed last; read != seen: due */
};

struct chat_watch {
	struct chat_thread *threads;
	size_t n;
	size_t next;		/* where the round robin goes on */
	long long server_ms;	/* the latest activity seen, on the service's clock */
};

void
chat_pull_forget(struct chat *c)
{
	struct chat_watch *w = c->watch;

	if (w == NULL)
		return;
	for (size_t i = 0; i < w->n; i++) {
		free(w->threads[i].ref);
		free(w->threads[i].read);
		free(w->threads[i].seen);
	}
	free(w->threads);
	free(w);
	c->watch = NULL;
}

static bool
due(const struct chat_thread *t)
{
	return t->seen != NULL && (t->read == NULL || strcmp(t->read, t->seen) != 0);
}

static long long
ms_of_iso(const char *iso)
{
	struct tm tm = { 0 };

	if (iso == NULL || strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm) == NULL)
		return 0;
	return (long long)timegm(&tm) * 1000;
}

/* The meeting's posted roots into w (new ones added), the first root's
 * ref (owned) and the time it was queued (a minute's slack for clocks). */
static int
know_threads(struct chat *c, struct chat_watch *w, long long meeting_id, char **first,
	     long long *start_ms, char **err)
{
	struct store_chat_posts posts;

	*start_ms = 0;
	*first = NULL;
	if (store_chat_list(c->st, meeting_id, &posts, err) < 0)
		return -1;
	for (size_t i = 0; i < posts.n; i++) {
		const struct store_chat_post *p = &posts.rows[i];
		long long at = ms_of_iso(p->queued_at) - 60000;
		size_t k;

		if (strcmp(p->kind, "root") != 0 || p->state != DELIVER_DELIVERED ||
		    p->post_ref == NULL)
			continue;
		if (*start_ms == 0 || at < *start_ms) {
			*start_ms = at;
			free(*first);
			*first = xstrdup(p->post_ref);
		}
		for (k = 0; k < w->n && w->threads[k].item_id != p->item_id; k++)
			;
		if (k < w->n)
			continue;
		w->threads = xreallocarray(w->threads, w->n + 1, sizeof(*w->threads));
		w->threads[w->n++] = (struct chat_thread){
			.item_id = p->item_id, .ref = xstrdup(p->post_ref),
		};
	}
	store_chat_posts_free(&posts);
	return 0;
}

/* Asks the channel which threads changed: one request. */
static int
look(struct chat *c, struct chat_watch *w, long long meeting_id, char **err)
{
	struct chat_msgs msgs = { 0 };
	long long start_ms, since_ms;
	char *first = NULL;
	long wait;
	int good;

	if (know_threads(c, w, meeting_id, &first, &start_ms, err) < 0)
		return -1;
	if (w->n == 0) {
		free(first);
		return 0;
	}
	if ((good = chat_verify(c, err)) != 1) {
		free(first);
		return good;
	}
	if (chat_ensure_channel(c, err) < 0) {
		free(first);
		return -1;
	}
	/* since the latest activity seen, on the service's clock, with a
	 * minute's overlap so that a reply stamped just before is not missed
	 * (a thread seen twice is read once: its stamp is known); the first
	 * look from when the first root was queued, on ours */
	since_ms = w->server_ms > 0 ? w->server_ms - 60000 : start_ms;
	if (c->ops->activity(c, c->channel_id, first, since_ms, &msgs, &wait, err) !=
	    CHAT_CALL_OK) {
		free(first);
		if (c->state != CHAT_RATE_LIMITED && c->state != CHAT_UNREACHABLE)
			chat_remember_error(c, CHAT_REFUSED, err ? *err : NULL);
		return -1;
	}
	free(first);
	for (size_t i = 0; i < msgs.n; i++)
		if (msgs.rows[i].at_ms > w->server_ms)
			w->server_ms = msgs.rows[i].at_ms;
	for (size_t i = 0; i < msgs.n; i++)
		for (size_t k = 0; k < w->n; k++)
			if (strcmp(w->threads[k].ref, msgs.rows[i].ref) == 0 &&
			    msgs.rows[i].cursor != NULL) {
				free(w->threads[k].seen);
				w->threads[k].seen = xstrdup(msgs.rows[i].cursor);
			}
	chat_msgs_free(&msgs);
	return 0;
}

/* Whether the meeting's threads are still read: until it ended and
 * [chat] late_reply_hours after. 1 yes, 0 no, -1 the store failed. */
static int
reading(struct chat *c, long long meeting_id, char **err)
{
	char *ended = NULL;
	long long ended_ms;

	if (store_meeting_ended_at(c->st, meeting_id, &ended, err) < 0)
		return -1;
	if (ended == NULL)
		return 1;
	ended_ms = ms_of_iso(ended);
	free(ended);
	return (long long)http_clock_now(c->clock) * 1000 <
	       ended_ms + c->cfg->chat.late_reply_hours * 3600000LL;
}

int
chat_pull_round(struct chat *c, long long meeting_id, long long *item_id,
		struct chat_events *ev, char **err)
{
	struct chat_watch *w;
	int rc;

	memset(ev, 0, sizeof(*ev));
	*item_id = 0;
	if ((rc = reading(c, meeting_id, err)) != 1)
		return rc;
	if (c->watch == NULL)
		c->watch = xcalloc(1, sizeof(*c->watch));
	w = c->watch;
	for (size_t step = 0; step < w->n; step++) {
		struct chat_thread *t = &w->threads[(w->next + step) % w->n];

		if (!due(t))
			continue;
		w->next = (w->next + step + 1) % w->n;
		*item_id = t->item_id;
		rc = chat_pull(c, t->item_id, false, ev, err);
		if (rc == 0 && !c->auth_refused) {
			/* read up to what the channel showed (a reply since is
			 * shown by the next look) */
			free(t->read);
			t->read = xstrdup(t->seen);
		}
		return rc < 0 ? -1 : 0;
	}
	return look(c, w, meeting_id, err);
}
