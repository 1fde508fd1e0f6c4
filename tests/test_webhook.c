#include "config.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake/fake_clock.h"
#include "fake/fake_http.h"
#include "furikaeri/config.h"
#include "furikaeri/deliver_webhook.h"
#include "furikaeri/http.h"
#include "furikaeri/retry.h"
#include "furikaeri/store.h"
#include "furikaeri/store_delivery.h"
#include "furikaeri/store_webhook.h"
#include "furikaeri/webhook.h"
#include "furikaeri/xalloc.h"

/* A clock that moves only when slept on, so retries take no real time. */
struct fixture {
	struct fake_http *f;
	struct fake_clock clock;
	struct http_clock hc;
	struct webhook_options opts;
	struct config *cfg;
	char *url;
};

static int
setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));

	fx->f = fake_http_start();
	if (fx->f == NULL)
		return -1;
	fx->clock.epoch = (time_t)1764547200;
	fx->hc = fake_clock_http(&fx->clock);
	fx->opts = (struct webhook_options){ .clock = &fx->hc, .timeout_ms = 2000 };
	fx->cfg = config_new();
	fx->url = xasprintf("%s/services/T000/B000/SECRETxyz", fake_http_url(fx->f));
	fx->cfg->webhook_url = xstrdup(fx->url);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	fake_http_stop(fx->f);
	config_free(fx->cfg);
	free(fx->url);
	free(fx);
	return 0;
}

static void
script(struct fixture *fx, int status, const char *headers, const char *body, int times)
{
	fake_http_script(fx->f, &(struct fake_http_reply){
		.method = "POST", .path = "/services/", .status = status, .headers = headers,
		.body = body, .times = times,
	});
}

static void
test_success(void **state)
{
	struct fixture *fx = *state;
	struct fake_http_request *r;
	char *err = NULL;

	script(fx, 200, NULL, "ok", 0);
	assert_int_equal(webhook_post(fx->cfg, NULL, "*Review* 2026-W49 & <b>",
				      &fx->opts, NULL, &err), 0);
	assert_null(err);
	assert_int_equal(fake_http_n_requests(fx->f), 1);
	r = fake_http_request_at(fx->f, 0);
	assert_string_equal(r->target, "/services/T000/B000/SECRETxyz");
	assert_string_equal(r->body, "{\"text\":\"*Review* 2026-W49 & <b>\"}");
	assert_non_null(strstr(r->headers, "Content-Type: application/json"));
	fake_http_request_free(r);
	assert_int_equal(fx->clock.sleeps, 0);
}

static void
test_429_then_success(void **state)
{
	struct fixture *fx = *state;
	enum webhook_result how;
	char *err = NULL;

	script(fx, 429, "Retry-After: 7\r\n", "rate_limited", 0);
	script(fx, 200, NULL, "ok", 0);
	assert_int_equal(webhook_post(fx->cfg, NULL, "minutes", &fx->opts, &how, &err), 0);
	assert_int_equal(how, WEBHOOK_POSTED);
	assert_null(err);
	assert_int_equal(fake_http_count(fx->f, "POST", "/services/"), 2);
	/* Retry-After was honoured */
	assert_true(fx->clock.slept >= 7000);
	assert_int_equal(fx->clock.sleeps, 1);
}

/* A 500 after the post went out: it may have been posted, so it is not
 * posted again (a webhook has no idempotency key). */
static void
test_500_not_reposted(void **state)
{
	struct fixture *fx = *state;
	enum webhook_result how;
	char *err = NULL;

	script(fx, 500, NULL, "internal_error", -1);
	assert_int_equal(webhook_post(fx->cfg, NULL, "minutes", &fx->opts, &how, &err), -1);
	assert_int_equal(how, WEBHOOK_UNKNOWN);
	assert_int_equal(fake_http_count(fx->f, "POST", "/services/"), 1);
	assert_int_equal(fx->clock.sleeps, 0);
	assert_non_null(err);
	assert_non_null(strstr(err, "POST http://127.0.0.1:"));
	assert_non_null(strstr(err, "answered 500: internal_error"));
	assert_non_null(strstr(err, "may have been posted"));
	assert_non_null(strstr(err, "look in the channel"));
	/* the webhook's path is its secret */
	assert_null(strstr(err, "SECRETxyz"));
	free(err);
}

/* The URL from FURIKAERI_WEBHOOK_URL; a URL in a config others can read is
 * refused, naming the line. */
static void
test_url_is_a_secret(void **state)
{
	struct fixture *fx = *state;
	char *err = NULL, path[] = "/tmp/fk-webhook-XXXXXX", *url;
	int fd = mkstemp(path);
	struct config *cfg;

	(void)fx;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "[minutes]\nwebhook_url = https://hooks.example/T/B/x\n", 52), 52);
	close(fd);
	chmod(path, 0644);
	cfg = config_load(path, &err);
	assert_null(cfg);
	assert_non_null(strstr(err, ":2: webhook_url is a secret"));
	assert_non_null(strstr(err, "chmod 600"));
	free(err);
	err = NULL;
	chmod(path, 0600);
	cfg = config_load(path, &err);
	assert_non_null(cfg);
	setenv("FURIKAERI_WEBHOOK_URL", "https://hooks.example/from/env", 1);
	url = config_webhook_url(cfg, &err);
	assert_string_equal(url, "https://hooks.example/from/env");
	free(url);
	unsetenv("FURIKAERI_WEBHOOK_URL");
	url = config_webhook_url(cfg, &err);
	assert_string_equal(url, "https://hooks.example/T/B/x");
	free(url);
	config_free(cfg);
	unlink(path);
}

static void
test_refused_without_retry(void **state)
{
	struct fixture *fx = *state;
	enum webhook_result how;
	char *err = NULL;

	script(fx, 404, NULL, "no_service", -1);
	assert_int_equal(webhook_post(fx->cfg, NULL, "minutes", &fx->opts, &how, &err), -1);
	assert_int_equal(how, WEBHOOK_REFUSED);
	assert_int_equal(fake_http_count(fx->f, "POST", "/services/"), 1);
	assert_non_null(strstr(err, "answered 404: no_service; the minutes were not posted"));
	free(err);
	err = NULL;
	fake_http_reset(fx->f);
	free(fx->cfg->webhook_url);
	fx->cfg->webhook_url = NULL;
	assert_int_equal(webhook_post(fx->cfg, NULL, "minutes", &fx->opts, NULL, &err), -1);
	assert_non_null(strstr(err, "FURIKAERI_WEBHOOK_URL"));
	assert_non_null(strstr(err, "webhook_url_file"));
	assert_int_equal(fake_http_n_requests(fx->f), 0);
	free(err);
}

static int
reset(void **state)
{
	struct fixture *fx = *state;

	fake_http_reset(fx->f);
	fx->clock = (struct fake_clock){ 0 };
	return 0;
}

/* A store of its own for the delivery tests; the path is in buf. */
static struct store *
temp_store(struct fixture *fx, char *buf, size_t size)
{
	char *err = NULL;
	struct store *st;
	int fd;

	/* the group's fixture: an earlier test took the URL away */
	if (fx->cfg->webhook_url == NULL)
		fx->cfg->webhook_url = xstrdup(fx->url);
	fx->clock.epoch = (time_t)1764547200;
	snprintf(buf, size, "/tmp/fk-webhook-db-XXXXXX");
	fd = mkstemp(buf);
	assert_true(fd >= 0);
	close(fd);
	unlink(buf);
	st = store_open(buf, &err);
	if (st == NULL)
		fail_msg("%s", err);
	return st;
}

static void
drop_store(struct store *st, const char *path)
{
	char other[300];

	store_free(st);
	unlink(path);
	snprintf(other, sizeof(other), "%s-wal", path);
	unlink(other);
	snprintf(other, sizeof(other), "%s-shm", path);
	unlink(other);
}

static enum deliver_webhook_result
deliver(struct fixture *fx, struct store *st, const char *text, bool again, char **msg)
{
	enum deliver_webhook_result result;
	char *err = NULL;

	free(*msg);
	*msg = NULL;
	if (deliver_webhook_post(st, fx->cfg, "minutes", "2026-W49", text, again, &fx->opts,
				 &result, msg, &err) < 0)
		fail_msg("%s", err);
	return result;
}

/* The same minutes asked for twice go once; other text is another post. */
static void
test_delivered_once(void **state)
{
	struct fixture *fx = *state;
	char path[64], *msg = NULL;
	struct store *st = temp_store(fx, path, sizeof(path));

	script(fx, 200, NULL, "ok", -1);
	assert_int_equal(deliver(fx, st, "minutes", false, &msg), DELIVER_WEBHOOK_POSTED);
	assert_int_equal(deliver(fx, st, "minutes", false, &msg), DELIVER_WEBHOOK_ALREADY);
	assert_non_null(strstr(msg, "was posted at 2025-12-01T00:00:00Z; nothing was sent"));
	assert_non_null(strstr(msg, "--again"));
	assert_int_equal(fake_http_count(fx->f, "POST", "/services/"), 1);
	assert_int_equal(deliver(fx, st, "minutes, edited", false, &msg), DELIVER_WEBHOOK_POSTED);
	assert_int_equal(deliver(fx, st, "minutes", true, &msg), DELIVER_WEBHOOK_POSTED);
	assert_int_equal(fake_http_count(fx->f, "POST", "/services/"), 3);
	free(msg);
	drop_store(st, path);
}

/* No answer: it may be in the channel, so it is reported and never sent
 * again by itself; a person can ask for it again. */
static void
test_unknown_is_final(void **state)
{
	struct fixture *fx = *state;
	char path[64], *msg = NULL, **lines = NULL, *err = NULL;
	struct store *st = temp_store(fx, path, sizeof(path));

	script(fx, 502, NULL, "bad gateway", 1);
	script(fx, 200, NULL, "ok", -1);
	assert_int_equal(deliver(fx, st, "minutes", false, &msg), DELIVER_WEBHOOK_MAYBE);
	assert_non_null(strstr(msg, "may have been posted"));
	assert_int_equal(deliver(fx, st, "minutes", false, &msg), DELIVER_WEBHOOK_MAYBE);
	assert_non_null(strstr(msg, "no answer came, so it may be in the channel; nothing was sent"));
	assert_int_equal(fake_http_count(fx->f, "POST", "/services/"), 1);
	assert_int_equal(store_delivery_history(st, STORE_DELIVERY_WEBHOOK, 1, &lines, &err), 0);
	assert_non_null(strstr(lines[2], "unknown no answer: it may have been posted"));
	store_delivery_history_free(lines);
	assert_int_equal(deliver(fx, st, "minutes", true, &msg), DELIVER_WEBHOOK_POSTED);
	assert_int_equal(fake_http_count(fx->f, "POST", "/services/"), 2);
	free(msg);
	drop_store(st, path);
}

/* A post another live furikaeri holds is left to it; one whose lease ran
 * out may have arrived, and is reported, not sent. */
static void
test_claims(void **state)
{
	struct fixture *fx = *state;
	char path[64], *msg = NULL, *err = NULL, **lines = NULL;
	struct store *st = temp_store(fx, path, sizeof(path));
	char *content = deliver_webhook_content("minutes", "2026-W49", "held");
	struct store_webhook_post seen = { .state = DELIVER_QUEUED };
	bool changed = false;

	script(fx, 200, NULL, "ok", -1);
	assert_int_equal(store_webhook_queue(st, "minutes", "2026-W49", content, 0,
					     "2025-12-01T00:00:00Z", &seen.id, &err), 0);
	/* a second queue that read no row finds this one under the lock */
	{
		long long again_id = -1;

		assert_int_equal(store_webhook_queue(st, "minutes", "2026-W49", content, 0,
						     "2025-12-01T00:00:00Z", &again_id, &err), 0);
		assert_int_equal(again_id, 0);
	}
	/* another machine's furikaeri holds it for an hour */
	assert_int_equal(store_webhook_move(st, &(struct store_webhook_move){
		.id = seen.id, .seen = &seen, .owner = "elsewhere:boot:1:1:1",
		.to = DELIVER_CLAIMED, .now = "2025-12-01T00:00:00Z",
		.lease_until = "2025-12-01T01:00:00Z", .note = "claimed to post" },
		&changed, &err), 0);
	assert_true(changed);
	/* a claim is guarded by the row as it was read: a second claimer
	 * that read it queued loses */
	assert_int_equal(store_webhook_move(st, &(struct store_webhook_move){
		.id = seen.id, .seen = &seen, .owner = "me", .to = DELIVER_CLAIMED,
		.now = "2025-12-01T00:00:01Z", .lease_until = "2025-12-01T01:00:00Z",
		.note = "claimed to post" }, &changed, &err), 0);
	assert_false(changed);
	assert_int_equal(deliver(fx, st, "held", false, &msg), DELIVER_WEBHOOK_BUSY);
	assert_non_null(strstr(msg, "being posted by another furikaeri (elsewhere:boot:1:1:1"));
	/* the hour passes: the post may have arrived, so it is not sent */
	fx->clock.ms = 2 * 3600 * 1000LL;
	assert_int_equal(deliver(fx, st, "held", false, &msg), DELIVER_WEBHOOK_MAYBE);
	assert_int_equal(fake_http_count(fx->f, "POST", "/services/"), 0);
	assert_int_equal(store_delivery_history(st, STORE_DELIVERY_WEBHOOK, seen.id, &lines,
						&err), 0);
	assert_non_null(strstr(lines[2], "unknown found claimed by elsewhere:boot:1:1:1"));
	store_delivery_history_free(lines);
	free(content);
	free(msg);
	drop_store(st, path);
}

/* Refused, then the webhook is fixed: the same row goes, once. */
static void
test_refused_then_sent(void **state)
{
	struct fixture *fx = *state;
	char path[64], *msg = NULL;
	struct store *st = temp_store(fx, path, sizeof(path));

	script(fx, 404, NULL, "no_service", 1);
	script(fx, 200, NULL, "ok", -1);
	assert_int_equal(deliver(fx, st, "minutes", false, &msg), DELIVER_WEBHOOK_REFUSED);
	assert_non_null(strstr(msg, "answered 404"));
	assert_int_equal(deliver(fx, st, "minutes", false, &msg), DELIVER_WEBHOOK_POSTED);
	assert_int_equal(deliver(fx, st, "minutes", false, &msg), DELIVER_WEBHOOK_ALREADY);
	assert_int_equal(fake_http_count(fx->f, "POST", "/services/"), 2);
	free(msg);
	drop_store(st, path);
}

/* Two furikaeri posting the same minutes at once (two `export --post`):
 * one sends, the other finds its row and sends nothing. */
struct racer {
	struct fixture *fx;
	struct store *st;
	pthread_barrier_t *start;
	enum deliver_webhook_result result;
};

static void *
race(void *arg)
{
	struct racer *rc = arg;
	char *msg = NULL, *err = NULL;

	pthread_barrier_wait(rc->start);
	if (deliver_webhook_post(rc->st, rc->fx->cfg, "minutes", "2026-W49", "same minutes",
				 false, &rc->fx->opts, &rc->result, &msg, &err) < 0)
		rc->result = (enum deliver_webhook_result)-1;
	free(msg);
	free(err);
	return NULL;
}

static void
test_two_at_once(void **state)
{
	struct fixture *fx = *state;
	char path[64], *err = NULL;
	struct store *st = temp_store(fx, path, sizeof(path));
	struct store *other = store_open(path, &err);
	pthread_barrier_t start;
	struct racer a = { .fx = fx, .st = st, .start = &start };
	struct racer b = { .fx = fx, .st = other, .start = &start };
	pthread_t ta, tb;

	assert_non_null(other);
	fake_http_script(fx->f, &(struct fake_http_reply){
		.method = "POST", .path = "/services/", .status = 200, .body = "ok",
		.delay_ms = 300, .times = -1 });
	for (int round = 0; round < 3; round++) {
		pthread_barrier_init(&start, NULL, 2);
		pthread_create(&ta, NULL, race, &a);
		pthread_create(&tb, NULL, race, &b);
		pthread_join(ta, NULL);
		pthread_join(tb, NULL);
		pthread_barrier_destroy(&start);
		assert_int_equal(fake_http_count(fx->f, "POST", "/services/"), 1);
		assert_true(a.result == DELIVER_WEBHOOK_POSTED || b.result == DELIVER_WEBHOOK_POSTED ||
			    round > 0);
	}
	store_free(other);
	drop_store(st, path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_success, reset),
		cmocka_unit_test_setup(test_429_then_success, reset),
		cmocka_unit_test_setup(test_500_not_reposted, reset),
		cmocka_unit_test_setup(test_url_is_a_secret, reset),
		cmocka_unit_test_setup(test_refused_without_retry, reset),
		cmocka_unit_test_setup(test_delivered_once, reset),
		cmocka_unit_test_setup(test_unknown_is_final, reset),
		cmocka_unit_test_setup(test_claims, reset),
		cmocka_unit_test_setup(test_refused_then_sent, reset),
		cmocka_unit_test_setup(test_two_at_once, reset),
	};

	return cmocka_run_group_tests_name("webhook", tests, setup, teardown);
}
