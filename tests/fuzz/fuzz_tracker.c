#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/config.h"
#include "furikaeri/http.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"
#include "fuzz.h"
#include "tracker_private.h"

/* A tracker's answer as text, so seeds and saved crashes can be read:
 *
 *   github 403 1 0          backend, status, attempt, http_error
 *   Retry-After: 30         header lines as libcurl hands them over
 *   x-ratelimit-reset: 1700000000
 *                           a blank line
 *   {"message": "..."}      the body
 *
 * The answer goes through what tracker_call does with a real one: header
 * parsing, the retry decision (GitHub's rate limits), the error message
 * built from the server's error body, and the issue read from a 2xx. */

static time_t
fixed_now(void *ctx)
{
	(void)ctx;
	return 1764000000;
}

static long long
fixed_now_ms(void *ctx)
{
	(void)ctx;
	return 1764000000000LL;
}

static void
no_sleep(void *ctx, long ms)
{
	(void)ctx;
	(void)ms;
}

static const struct http_clock clock_fixed = {
	.now = fixed_now, .now_ms = fixed_now_ms, .sleep_ms = no_sleep,
};

static void
answer(struct tracker *t, const char *text, size_t len)
{
	struct http_response resp = { 0 };
	struct retry_decision d;
	struct strbuf body = STRBUF_INIT;
	const char *p = text, *end = text + len;
	char first[64];
	int status = 0, attempt = 1, e = 0;
	json_t *json = NULL;
	char *err = NULL;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

	if (n >= sizeof(first))
		n = sizeof(first) - 1;
	memcpy(first, p, n);
	first[n] = '\0';
	if (sscanf(first, "%*s %d %d %d", &status, &attempt, &e) < 1)
		status = 200;
	if (e < 0 || e > HTTP_ERR_OTHER)
		e = HTTP_OK;
	resp.status = status;
	p = nl ? nl + 1 : end;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t l = eol ? (size_t)(eol - p) + 1 : (size_t)(end - p);

		if ((l == 1 && *p == '\n') || (l == 2 && p[0] == '\r' && p[1] == '\n')) {
			p += l;
			break;
		}
		http_response_header(&resp, p, l);
		p += l;
	}
	strbuf_add(&body, p, (size_t)(end - p));
	resp.body_len = body.len;
	resp.body = strbuf_detach(&body);
	if (tracker_answer(t, "POST", "/repos/acme/pay/issues", attempt, (enum http_error)e,
			   "POST /repos/acme/pay/issues: the connection broke", &resp, &json, &d,
			   &err) == TRACKER_CALL_OK && json != NULL) {
		struct tracker_issue issue = { 0 };
		char *text_err = t->ops->error_text(json);

		t->ops->issue(t, json, &issue);
		tracker_issue_release(&issue);
		free(text_err);
	}
	json_decref(json);
	free(err);
	http_response_release(&resp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config *cfg;
	bool jira = size >= 4 && memcmp(data, "jira", 4) == 0;
	bool linear = size >= 6 && memcmp(data, "linear", 6) == 0;
	struct tracker t = {
		.kind = jira ? TRACKER_JIRA : linear ? TRACKER_LINEAR : TRACKER_GITHUB,
		.ops = jira ? &tracker_jira_ops : linear ? &tracker_linear_ops : &tracker_github_ops,
		.base = "https://api.example",
		.site = "https://acme.atlassian.net",
		.clock = &clock_fixed,
		.seed = 1,
	};

	if (cfg == NULL) {
		cfg = config_new();
		cfg->github.repo = xstrdup("acme/pay");
	}
	t.cfg = cfg;
	answer(&t, (const char *)data, size);
	return 0;
}
