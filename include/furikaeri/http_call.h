#ifndef FURIKAERI_HTTP_CALL_H
#define FURIKAERI_HTTP_CALL_H

#include <limits.h>
#include <stdbool.h>

#include "furikaeri/http.h"
#include "furikaeri/retry.h"

/* The one HTTP transfer loop every client uses (trackers, issue sources,
 * chat, the webhook): send, ask the retry policy (retry.h), and send
 * again only when it says so and the request may be sent twice; sleep on
 * the caller's clock, or hand a long wait back to the caller. Reading the
 * final answer (a tracker's error body, Slack's ok:false) stays with the
 * caller. */

/* max_inline_wait_ms for a caller that sleeps whatever the policy asks. */
#define HTTP_CALL_NO_CAP LONG_MAX

struct http_call_result {
	enum http_error error;		/* of the last attempt sent */
	/* The last answer (released by http_call_result_release); all zero,
	 * body NULL, when nothing was sent. */
	struct http_response resp;
	char *perr;			/* http_perform's message for it, or NULL */
	struct retry_decision decision;	/* about the last attempt */
	int attempts;			/* attempts_before plus those sent here */
	long wait_ms;			/* suggested wait before sending again; 0 after a 2xx */
	bool held;			/* before_send stopped the next attempt */
};

struct http_call {
	struct http_client *client;
	const struct http_request *req;
	const struct http_clock *clock;	/* NULL: the real clock */
	/* How the log names the target: the path, or a webhook's origin
	 * (a webhook's path is its secret). */
	const char *shown;
	bool github;			/* GitHub's rate-limit rules (retry_input) */
	unsigned int *seed;		/* the caller's jitter state, for rand_r; not NULL */
	/* A wait longer than this is not slept here: the call returns with
	 * it in wait_ms. HTTP_CALL_NO_CAP: always sleep. */
	long max_inline_wait_ms;
	/* Attempts an earlier call already made for the same request (the
	 * retry policy counts them all). */
	int attempts_before;
	/* Called before each attempt with its number (counting earlier
	 * calls'); false: do not send, the call returns with held set. NULL:
	 * always send. */
	bool (*before_send)(void *ctx, int attempt);
	/* Called after each attempt with the result so far: what came back
	 * and the decision about it (why "done" after a 2xx). NULL: nothing. */
	void (*after_answer)(void *ctx, const struct http_call_result *res);
	void *ctx;
};

/* Sends call->req until it gets a 2xx, the retry policy gives up, the
 * request is not idempotent (http_request_idempotent) and its outcome is
 * unknown (it is never sent twice then), the wait exceeds the cap, or
 * before_send says no. Logs "retrying in N ms" before each sleep. Fills
 * res (release it whatever the result). */
void http_call_run(const struct http_call *call, struct http_call_result *res);
void http_call_result_release(struct http_call_result *res);
/* Whether res ended on a 2xx answer. */
bool http_call_ok(const struct http_call_result *res);

#endif
