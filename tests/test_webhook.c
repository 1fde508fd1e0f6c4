#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake/fake_clock.h"
#include "fake/fake_http.h"
#include "furikaeri/config.h"
#include "furikaeri/http.h"
#include "furikaeri/retry.h"
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
				      &fx->opts, &err), 0);
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
	char *err = NULL;

	script(fx, 429, "Retry-After: 7\r\n", "rate_limited", 0);
	script(fx, 200, NULL, "ok", 0);
	assert_int_equal(webhook_post(fx->cfg, NULL, "minutes", &fx->opts, &err), 0);
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
	char *err = NULL;

	script(fx, 500, NULL, "internal_error", -1);
	assert_int_equal(webhook_post(fx->cfg, NULL, "minutes", &fx->opts, &err), -1);
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
	char *err = NULL;

	script(fx, 404, NULL, "no_service", -1);
	assert_int_equal(webhook_post(fx->cfg, NULL, "minutes", &fx->opts, &err), -1);
	assert_int_equal(fake_http_count(fx->f, "POST", "/services/"), 1);
	assert_non_null(strstr(err, "answered 404: no_service; the minutes were not posted"));
	free(err);
	err = NULL;
	fake_http_reset(fx->f);
	free(fx->cfg->webhook_url);
	fx->cfg->webhook_url = NULL;
	assert_int_equal(webhook_post(fx->cfg, NULL, "minutes", &fx->opts, &err), -1);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_success, reset),
		cmocka_unit_test_setup(test_429_then_success, reset),
		cmocka_unit_test_setup(test_500_not_reposted, reset),
		cmocka_unit_test_setup(test_url_is_a_secret, reset),
		cmocka_unit_test_setup(test_refused_without_retry, reset),
	};

	return cmocka_run_group_tests_name("webhook", tests, setup, teardown);
}
