#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "furikaeri/err.h"
#include "furikaeri/log.h"
#include "furikaeri/store_outbox.h"
#include "furikaeri/tracker.h"
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
	struct tracker_event *events;
	size_t n_events;
};

static void
deadline_in(struct timespec *ts, long ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* Sleeps for the retry policy, but wakes at once when asked to stop. */
static void
worker_sleep(void *ctx, long ms)
{
	struct tracker_worker *w = ctx;
	struct timespec until;

	deadline_in(&until, ms);
	pthread_mutex_lock(&w->lock);
	while (!w->stop && pthread_cond_timedwait(&w->cond, &w->lock, &until) != ETIMEDOUT)
		;
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
     const char *key, const char *url, const char *message)
{
	pthread_mutex_lock(&w->lock);
	w->events = xreallocarray(w->events, w->n_events + 1, sizeof(*w->events));
	w->events[w->n_events++] = (struct tracker_event){
		.measure_id = measure_id,
		.kind = kind,
		.key = xstrdup_or_null(key),
		.url = xstrdup_or_null(url),
		.message = xstrdup_or_null(message),
	};
	pthread_mutex_unlock(&w->lock);
}

static char *
iso_now(const struct http_clock *clock)
{
	time_t now = http_clock_now(clock);
	struct tm tm;
	char buf[32];

	gmtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}

/* Sends what is due; returns ms until the next planned retry (or the idle
 * look). Rows refused before wait for a person (push or a new queue). */
static long
run_pass(struct tracker_worker *w, struct store *st, struct tracker_set *set, bool first)
{
	struct store_outbox_items items;
	char *err = NULL;
	char *now = iso_now(w->opts.clock);
	long next = IDLE_LOOK_MS;

	if (store_outbox_list(st, false, &items, &err) < 0) {
		log_error("ticket worker: %s", err);
		free(err);
		free(now);
		return next;
	}
	for (size_t i = 0; i < items.n && !stopping(w); i++) {
		const struct store_outbox_item *it = &items.items[i];
		struct tracker_outcome oc;
		enum tracker_kind kind = TRACKER_GITHUB;
		bool due;

		if (strcmp(it->state, "sending") == 0)
			due = first;	/* left by a crash; later ones belong to another run */
		else if (strcmp(it->state, "queued") != 0)
			due = false;
		else if (it->next_attempt_at != NULL)
			due = strcmp(it->next_attempt_at, now) <= 0;
		else
			due = it->last_error == NULL;
		if (!due) {
			if (strcmp(it->state, "queued") == 0 && it->next_attempt_at != NULL) {
				struct tm tm = { 0 };

				if (strptime(it->next_attempt_at, "%Y-%m-%dT%H:%M:%SZ", &tm)) {
					long wait = (long)(timegm(&tm) - http_clock_now(w->opts.clock));

					if (wait * 1000 < next)
						next = wait < 1 ? 1000 : wait * 1000;
				}
			}
			continue;
		}
		post(w, it->measure_id, TRACKER_EVENT_SENDING, NULL, NULL, NULL);
		if (tracker_send_item(st, set, it, &oc, &err) < 0) {
			post(w, it->measure_id, TRACKER_EVENT_FAILED, NULL, NULL, err);
			free(err);
			err = NULL;
			continue;
		}
		tracker_kind_parse(it->tracker, &kind);
		if (oc.result == TRACKER_OK)
			post(w, oc.measure_id, TRACKER_EVENT_FILED, oc.key, oc.url, oc.message);
		else if (oc.result == TRACKER_LATER)
			post(w, oc.measure_id, TRACKER_EVENT_LATER, NULL, NULL, oc.message);
		else if (set->error[kind] != NULL)
			post(w, oc.measure_id, TRACKER_EVENT_FAILED, NULL, NULL, oc.message);
		else
			post(w, oc.measure_id, TRACKER_EVENT_REFUSED, NULL, NULL, oc.message);
		if (oc.result == TRACKER_LATER && next > 60000)
			next = 60000;
		free(oc.key);
		free(oc.url);
		free(oc.message);
	}
	store_outbox_items_free(&items);
	free(now);
	return next;
}

static void *
worker_main(void *arg)
{
	struct tracker_worker *w = arg;
	struct tracker_set set = { .cfg = w->cfg, .opts = &w->opts };
	char *err = NULL;
	struct store *st = store_open(w->db_path, &err);
	bool first = true;

	if (st == NULL) {
		post(w, 0, TRACKER_EVENT_FAILED, NULL, NULL, err);
		free(err);
		pthread_mutex_lock(&w->lock);
		w->busy = false;
		pthread_mutex_unlock(&w->lock);
		return NULL;
	}
	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		long next;
		struct timespec until;

		w->busy = true;
		w->kicked = false;
		pthread_mutex_unlock(&w->lock);
		next = run_pass(w, st, &set, first);
		first = false;
		deadline_in(&until, next);
		pthread_mutex_lock(&w->lock);
		w->busy = false;
		while (!w->stop && !w->kicked &&
		       pthread_cond_timedwait(&w->cond, &w->lock, &until) != ETIMEDOUT)
			;
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
	free(w);
}
