#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "furikaeri/err.h"
#include "furikaeri/log.h"
#include "furikaeri/outbox.h"
#include "furikaeri/store_outbox.h"
#include "furikaeri/tracker.h"
#include "furikaeri/wake.h"
#include "furikaeri/xalloc.h"
#include "tracker_private.h"

/* When nothing is planned the worker still looks every few minutes, so a
 * row queued by another process (`furikaeri tickets file`) goes out too. */
#define IDLE_LOOK_MS (5 * 60 * 1000L)

struct tracker_worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool stop;
	bool kicked;
	bool busy;
	char *db_path;
	const struct config *cfg;
	struct tracker_options opts;
	struct http_clock sleeper;
	char *owner;
	struct tracker_event *events;
	size_t n_events;
};

/* Sleeps for the retry policy, but wakes at once when asked to stop. */
static void
worker_sleep(void *ctx, long ms)
{
	struct tracker_worker *w = ctx;

	pthread_mutex_lock(&w->lock);
	wake_wait(&w->lock, &w->cond, ms, &w->stop, NULL);
	pthread_mutex_unlock(&w->lock);
}

static bool
stopping(struct tracker_worker *w)
{
	bool s;

	pthread_mutex_lock(&w->lock);
	s = w->stop;
	pthread_mutex_unlock(&w->lock);
	return s;
}

static void
post(struct tracker_worker *w, long long measure_id, enum tracker_event_kind kind,
     const char *key, const char *url, const char *message, const char *title)
{
	pthread_mutex_lock(&w->lock);
	w->events = xreallocarray(w->events, w->n_events + 1, sizeof(*w->events));
	w->events[w->n_events++] = (struct tracker_event){
		.measure_id = measure_id,
		.kind = kind,
		.key = xstrdup_or_null(key),
		.url = xstrdup_or_null(url),
		.message = xstrdup_or_null(message),
		.title = xstrdup_or_null(title),
	};
	pthread_mutex_unlock(&w->lock);
}

static long
ms_until(const char *iso, const struct http_clock *clock)
{
	struct tm tm = { 0 };

	if (iso == NULL || strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm) == NULL)
		return -1;
	return (long)(timegm(&tm) - http_clock_now(clock)) * 1000L;
}

static const enum tracker_event_kind event_of[] = {
	[TRACKER_OK] = TRACKER_EVENT_FILED,
	[TRACKER_LATER] = TRACKER_EVENT_LATER,
	[TRACKER_REFUSED] = TRACKER_EVENT_REFUSED,
	[TRACKER_UNKNOWN] = TRACKER_EVENT_UNKNOWN,
	[TRACKER_BUSY] = TRACKER_EVENT_LATER,
	[TRACKER_WAITING] = TRACKER_EVENT_WAITING,
};

/* Runs what is due (outbox.c decides each row); returns ms until the next
 * planned retry, lookup or lease end (or the idle look). Rows refused or
 * failed wait for a person (push or a new queue). */
static long
run_pass(struct tracker_worker *w, struct store *st, struct tracker_set *set)
{
	struct store_outbox_items items;
	char *err = NULL;
	long next = IDLE_LOOK_MS;

	if (store_outbox_list(st, false, &items, &err) < 0) {
		log_error("ticket worker: %s", err);
		free(err);
		return next;
	}
	for (size_t i = 0; i < items.n && !stopping(w); i++) {
		const struct store_outbox_item *it = &items.items[i];
		struct tracker_outcome oc;
		char *now = deliver_time_in(w->opts.clock, 0);
		struct deliver_row_times times = outbox_row_times(it);
		bool due = deliver_due(&times, now);
		const char *at = it->state == DELIVER_CLAIMED ? it->lease_until
							      : it->next_attempt_at;

		free(now);
		if (!due) {
			long wait = ms_until(at, w->opts.clock);

			if (at != NULL && wait < next)
				next = wait < 1000 ? 1000 : wait;
			continue;
		}
		if (it->state != DELIVER_CLAIMED && !it->look_first)
			post(w, it->measure_id, TRACKER_EVENT_SENDING, NULL, NULL, NULL, it->title);
		if (outbox_run_item(st, set, it, w->owner, &oc, &err) < 0) {
			post(w, it->measure_id, TRACKER_EVENT_FAILED, NULL, NULL, err, it->title);
			free(err);
			err = NULL;
		} else {
			post(w, oc.measure_id, event_of[oc.result], oc.key, oc.url, oc.message,
			     it->title);
		}
		/* what the row does next is planned in its row: look again soon */
		if (oc.result != TRACKER_OK && oc.result != TRACKER_REFUSED &&
		    oc.result != TRACKER_WAITING && next > 1000)
			next = 1000;
		free(oc.key);
		free(oc.url);
		free(oc.message);
	}
	store_outbox_items_free(&items);
	return next;
}

static void *
worker_main(void *arg)
{
	struct tracker_worker *w = arg;
	struct tracker_set set = { .cfg = w->cfg, .opts = &w->opts };
	char *err = NULL;
	struct store *st = store_open(w->db_path, &err);
	if (st == NULL) {
		post(w, 0, TRACKER_EVENT_FAILED, NULL, NULL, err, NULL);
		free(err);
		pthread_mutex_lock(&w->lock);
		w->busy = false;
		pthread_mutex_unlock(&w->lock);
		return NULL;
	}
	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		long next;

		w->busy = true;
		w->kicked = false;
		pthread_mutex_unlock(&w->lock);
		next = run_pass(w, st, &set);
		pthread_mutex_lock(&w->lock);
		w->busy = false;
		wake_wait(&w->lock, &w->cond, next, &w->stop, &w->kicked);
	}
	pthread_mutex_unlock(&w->lock);
	tracker_set_release(&set);
	store_free(st);
	return NULL;
}

struct tracker_worker *
tracker_worker_start(const char *db_path, const struct config *cfg,
		     const struct tracker_options *opts, char **err)
{
	struct tracker_worker *w = xcalloc(1, sizeof(*w));
	pthread_condattr_t ca;

	w->db_path = xstrdup(db_path);
	w->owner = deliver_owner_new();
	w->cfg = cfg;
	if (opts != NULL)
		w->opts = *opts;
	w->sleeper = (struct http_clock){ .sleep_ms = worker_sleep, .ctx = w };
	if (w->opts.clock == NULL)
		w->opts.clock = &w->sleeper;
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_cond_init(&w->cond, &ca);
	pthread_condattr_destroy(&ca);
	w->busy = true;
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
		err_set(err, "cannot start the ticket worker: %s", strerror(errno));
		pthread_cond_destroy(&w->cond);
		pthread_mutex_destroy(&w->lock);
		free(w->db_path);
		free(w->owner);
		free(w);
		return NULL;
	}
	return w;
}

void
tracker_worker_kick(struct tracker_worker *w)
{
	pthread_mutex_lock(&w->lock);
	w->kicked = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

struct tracker_event *
tracker_worker_poll(struct tracker_worker *w, size_t *n)
{
	struct tracker_event *ev;

	pthread_mutex_lock(&w->lock);
	ev = w->events;
	*n = w->n_events;
	w->events = NULL;
	w->n_events = 0;
	pthread_mutex_unlock(&w->lock);
	return ev;
}

void
tracker_events_free(struct tracker_event *events, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(events[i].key);
		free(events[i].url);
		free(events[i].message);
		free(events[i].title);
	}
	free(events);
}

bool
tracker_worker_idle(struct tracker_worker *w)
{
	bool idle;

	pthread_mutex_lock(&w->lock);
	idle = !w->busy && !w->kicked;
	pthread_mutex_unlock(&w->lock);
	return idle;
}

void
tracker_worker_stop(struct tracker_worker *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	tracker_events_free(w->events, w->n_events);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w->db_path);
	free(w->owner);
	free(w);
}
