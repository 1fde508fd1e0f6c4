#ifndef FURIKAERI_RETRY_H
#define FURIKAERI_RETRY_H

#include <stdbool.h>
#include <time.h>

#include "furikaeri/http.h"

/* The one retry policy: the trackers, the chat webhook and the chat
 * clients follow it. A pure function of what one attempt got back, so it
 * is tested without a network. */

/* What the retry policy looks at after one attempt. */
struct retry_input {
	int attempt;			/* 1 for the first attempt that just ended */
	enum http_error error;		/* HTTP_OK when a status came back */
	long status;
	const char *retry_after;	/* header values or NULL */
	const char *ratelimit_remaining;
	const char *ratelimit_reset;
	const char *body;		/* to recognise GitHub's secondary rate limit */
	bool github;			/* GitHub's 403 rate-limit rules apply */
	time_t now;			/* wall clock, for x-ratelimit-reset */
	double jitter;			/* uniform in [0, 1): the caller's randomness */
};

struct retry_decision {
	bool retry;
	long wait_ms;			/* before the next attempt */
	bool rate_limited;		/* the server asked us to slow down */
	const char *why;		/* static text for messages and logs */
};

#define RETRY_MAX_ATTEMPTS 5
#define RETRY_BASE_MS 1000L
#define RETRY_CAP_MS 60000L
#define RETRY_SECONDARY_LIMIT_MS 60000L
/* The longest wait a server's Retry-After or x-ratelimit-reset can ask for
 * (a day); longer ones are taken as a day. */
#define RETRY_WAIT_MAX_S 86400L

/* The retry policy as a pure function. Connection errors, timeouts, 429 and
 * 5xx retry with exponential backoff and jitter (1 s doubling, capped at
 * 60 s, at most RETRY_MAX_ATTEMPTS attempts); a Retry-After header is
 * honoured; x-ratelimit-remaining 0 waits until x-ratelimit-reset; a GitHub
 * 403/429 rate limit without those headers waits at least 60 s. 2xx/3xx,
 * other 4xx (400, 401, 404, 410, 422, a 403 that is not a rate limit),
 * refused URLs and TLS failures never retry. */
struct retry_decision retry_decide(const struct retry_input *in);

/* retry_decide for the answer (or failure) resp of attempt number attempt:
 * the clock's time and a jitter drawn from *seed (rand_r). */
struct retry_decision retry_decide_response(int attempt, enum http_error error,
					    const struct http_response *resp, bool github,
					    const struct http_clock *clock, unsigned int *seed);

/* Whether the outcome of a non-idempotent request is unknown: the server
 * may have acted on it (timeout, dropped connection, 5xx). */
bool retry_outcome_unknown(enum http_error error, long status);

/* Whether to send again after this attempt: the policy says so and,
 * for a request that is not idempotent (a create, a chat post), the server
 * cannot have acted on it already. A post whose outcome is unknown is
 * never sent again: the caller reports that it may have gone through. */
bool retry_again(const struct retry_decision *d, enum http_error error, long status,
		 bool idempotent);

#endif
