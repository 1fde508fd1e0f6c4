#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chat_private.h"
#include "furikaeri/chat_flush.h"
#include "furikaeri/chat_pull.h"
#include "furikaeri/chat_worker.h"
#include "furikaeri/log.h"
#include "furikaeri/store.h"
#include "furikaeri/wake.h"
#include "furikaeri/xalloc.h"

/* Every third read of a thread is a full one, to see edits, deletions and
 * reactions on replies already read: a reaction that agrees an action
 * shows within three reads (15 s at the default poll_seconds), and a full
 * read of a thread under 100 replies is still one request. */
#define CHAT_FULL_EVERY 3

struct chat_worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop, kicked, retry;
	char *db_path;
	const struct config *cfg;
	struct chat_options opts;
	struct http_clock sleeper;
	long long meeting_id;
	long long item_id;
	struct chat_events events;
	enum chat_state state;
	char status[320];
	unsigned long passes;
};

/* Sleeps for the retry policy and the post pacing, but wakes at once when
 * asked to stop. */
static void
worker_sleep(void *ctx, long ms)
{
	struct chat_worker *w = ctx;

	pthread_mutex_lock(&w->lock);
	wake_wait(&w->lock, &w->cond, ms, &w->stop, NULL);
	pthread_mutex_unlock(&w->lock);
}

static void
take_events(struct chat_worker *w, struct chat_events *ev)
{
	if (ev->n == 0)
		return;
	pthread_mutex_lock(&w->lock);
	w->events.rows = xreallocarray(w->events.rows, w->events.n + ev->n + 1,
				       sizeof(*w->events.rows));
	memcpy(w->events.rows + w->events.n, ev->rows, ev->n * sizeof(*ev->rows));
	w->events.n += ev->n;
	pthread_mutex_unlock(&w->lock);
	free(ev->rows);
	ev->rows = NULL;
	ev->n = 0;
}

static void *
run(void *arg)
{
	struct chat_worker *w = arg;
	char *err = NULL;
	struct store *st = store_open(w->db_path, &err);
	struct chat *c = NULL;
	unsigned long n = 0, pass = 0;

	if (st != NULL)
		c = chat_new(w->cfg, st, &w->opts, &err);
	if (c == NULL) {
		pthread_mutex_lock(&w->lock);
		w->state = CHAT_REFUSED;
		snprintf(w->status, sizeof(w->status), "refused: %s", err ? err : "?");
		pthread_mutex_unlock(&w->lock);
		log_error("chat: %s", err ? err : "cannot start");
		free(err);
		store_free(st);
		return NULL;
	}
	for (;;) {
		struct chat_events ev = { 0 };
		long long item;
		char buf[sizeof(w->status)];
		enum chat_state state;

		pthread_mutex_lock(&w->lock);
		item = w->item_id;
		w->kicked = false;
		if (w->retry)
			chat_retry(c);
		w->retry = false;
		pthread_mutex_unlock(&w->lock);
		if (chat_flush(c, NULL, &err) < 0) {
			log_error("chat: %s", err);
			free(err);
			err = NULL;
		}
		/* one read a poll: the open item's thread every other poll
		 * (all of it every CHAT_FULL_EVERY-th, for edits, deletions and
		 * reactions), and in between, in turn, every thread of the
		 * meeting with new replies, or a look at which have some */
		if (item != 0 && pass++ % 2 == 0) {
			if (chat_pull(c, item, n++ % CHAT_FULL_EVERY == 0, &ev, &err) < 0) {
				log_info("chat: %s", err ? err : "cannot read the thread");
				free(err);
				err = NULL;
			}
		} else {
			long long read;

			if (chat_pull_round(c, w->meeting_id, &read, &ev, &err) < 0) {
				log_info("chat: %s", err ? err : "cannot read the threads");
				free(err);
				err = NULL;
			}
		}
		take_events(w, &ev);
		chat_events_free(&ev);
		state = chat_status(c, w->meeting_id, buf, sizeof(buf));
		pthread_mutex_lock(&w->lock);
		w->state = state;
		memcpy(w->status, buf, sizeof(buf));
		w->passes++;
		wake_wait(&w->lock, &w->cond, w->cfg->chat.poll_s * 1000L, &w->stop, &w->kicked);
		if (w->stop) {
			pthread_mutex_unlock(&w->lock);
			break;
		}
		pthread_mutex_unlock(&w->lock);
	}
	chat_free(c);
	store_free(st);
	return NULL;
}

struct chat_worker *
chat_worker_start(const char *db_path, const struct config *cfg, long long meeting_id,
		  const struct chat_options *opts, char **err)
{
	struct chat_worker *w;
	struct chat *probe;

	/* the set-up is checked here, so that a bad one is said at once */
	if ((probe = chat_new(cfg, NULL, opts, err)) == NULL)
		return NULL;
	chat_free(probe);
	w = xcalloc(1, sizeof(*w));
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	w->db_path = xstrdup(db_path);
	w->cfg = cfg;
	w->meeting_id = meeting_id;
	if (opts != NULL)
		w->opts = *opts;
	w->sleeper = (struct http_clock){ .sleep_ms = worker_sleep, .ctx = w };
	if (w->opts.clock == NULL)
		w->opts.clock = &w->sleeper;
	snprintf(w->status, sizeof(w->status), "connecting");
	w->state = CHAT_CATCHING_UP;
	if (pthread_create(&w->thread, NULL, run, w) != 0) {
		free(w->db_path);
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->cond);
		free(w);
		if (err != NULL)
			*err = xstrdup("cannot start the chat's thread");
		return NULL;
	}
	return w;
}

void
chat_worker_set_item(struct chat_worker *w, long long item_id)
{
	pthread_mutex_lock(&w->lock);
	w->item_id = item_id;
	w->kicked = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void
chat_worker_retry(struct chat_worker *w)
{
	pthread_mutex_lock(&w->lock);
	w->retry = true;
	w->kicked = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void
chat_worker_kick(struct chat_worker *w)
{
	pthread_mutex_lock(&w->lock);
	w->kicked = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void
chat_worker_events(struct chat_worker *w, struct chat_events *out)
{
	pthread_mutex_lock(&w->lock);
	*out = w->events;
	memset(&w->events, 0, sizeof(w->events));
	pthread_mutex_unlock(&w->lock);
}

enum chat_state
chat_worker_status(struct chat_worker *w, char *buf, size_t size)
{
	enum chat_state s;

	pthread_mutex_lock(&w->lock);
	snprintf(buf, size, "%s", w->status);
	s = w->state;
	pthread_mutex_unlock(&w->lock);
	return s;
}

unsigned long
chat_worker_passes(struct chat_worker *w)
{
	unsigned long n;

	pthread_mutex_lock(&w->lock);
	n = w->passes;
	pthread_mutex_unlock(&w->lock);
	return n;
}

void
chat_worker_stop(struct chat_worker *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	chat_events_free(&w->events);
	free(w->db_path);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w);
}
