#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "furikaeri/retry.h"

bool
retry_outcome_unknown(enum http_error error, long status)
{
	if (error == HTTP_ERR_TIMEOUT || error == HTTP_ERR_DROPPED || error == HTTP_ERR_OTHER)
		return true;
	return error == HTTP_OK && status >= 500;
}

/* Retry-After is either seconds or an HTTP date; -1 when neither. */
static long
retry_after_seconds(const char *v, time_t now)
{
	char *end;
	long n;
	struct tm tm;

	if (v == NULL || *v == '\0')
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno == 0 && end != v && *end == '\0' && n >= 0)
		return n;
	memset(&tm, 0, sizeof(tm));
	if (strptime(v, "%a, %d %b %Y %H:%M:%S GMT", &tm) != NULL) {
		time_t t = timegm(&tm);

		return t > now ? (long)(t - now) : 0;
	}
	return -1;
}

/* A wait the server asked for, in ms: never negative, and at most
 * RETRY_WAIT_MAX_S, so that a huge Retry-After or x-ratelimit-reset (the
 * fuzzer sent 66666666666666660) cannot overflow. */
static long
server_wait_ms(long long seconds)
{
	if (seconds <= 0)
		return 0;
	if (seconds > RETRY_WAIT_MAX_S)
		seconds = RETRY_WAIT_MAX_S;
	return (long)seconds * 1000L;
}

static long
backoff_ms(int attempt, double jitter)
{
	long d = RETRY_BASE_MS;

	for (int i = 1; i < attempt && d < RETRY_CAP_MS; i++)
		d *= 2;
	if (d > RETRY_CAP_MS)
		d = RETRY_CAP_MS;
	/* "Equal jitter": never less than half the step, so a fleet spreads
	 * out without anyone retrying immediately. */
	return d / 2 + (long)(jitter * (double)(d / 2));
}

static bool
github_rate_limit_body(const char *body)
{
	return body != NULL && (strstr(body, "rate limit") != NULL ||
				strstr(body, "abuse detection") != NULL);
}

struct retry_decision
retry_decide(const struct retry_input *in)
{
	struct retry_decision d = { .retry = false, .wait_ms = 0, .why = "" };
	long ra = -1;
	bool limited = false;

	switch (in->error) {
	case HTTP_OK:
		break;
	case HTTP_ERR_REFUSED:
		d.why = "the URL is refused by policy";
		return d;
	case HTTP_ERR_TLS:
		d.why = "TLS verification failed";
		return d;
	default:
		d.why = "connection problem";
		if (in->attempt >= RETRY_MAX_ATTEMPTS)
			return d;
		d.retry = true;
		d.wait_ms = backoff_ms(in->attempt, in->jitter);
		return d;
	}
	if (in->status < 400) {
		d.why = "done";
		return d;
	}
	if (in->status == 429 || in->status == 403) {
		bool exhausted = in->ratelimit_remaining != NULL &&
				 strcmp(in->ratelimit_remaining, "0") == 0;

		ra = retry_after_seconds(in->retry_after, in->now);
		if (ra >= 0) {
			limited = true;
			d.wait_ms = server_wait_ms(ra > 0 ? ra : 1);
			d.why = "rate limited (retry-after)";
		} else if (exhausted && in->ratelimit_reset != NULL) {
			long long reset = strtoll(in->ratelimit_reset, NULL, 10);
			long long now = (long long)in->now;

			limited = true;
			d.wait_ms = server_wait_ms(reset > now ? reset - now : 0) + 1000L;
			d.why = "rate limit used up (x-ratelimit-reset)";
		} else if (in->github && (in->status == 429 || github_rate_limit_body(in->body))) {
			limited = true;
			d.wait_ms = RETRY_SECONDARY_LIMIT_MS + backoff_ms(in->attempt, in->jitter);
			d.why = "secondary rate limit";
		} else if (in->status == 429) {
			limited = true;
			d.wait_ms = backoff_ms(in->attempt, in->jitter);
			d.why = "rate limited";
		} else {
			d.why = "forbidden";
			return d;
		}
		d.rate_limited = limited;
		d.retry = in->attempt < RETRY_MAX_ATTEMPTS;
		return d;
	}
	if (in->status >= 500) {
		d.why = "server error";
		if (in->attempt >= RETRY_MAX_ATTEMPTS)
			return d;
		d.retry = true;
		ra = retry_after_seconds(in->retry_after, in->now);
		d.wait_ms = ra >= 0 ? server_wait_ms(ra) : backoff_ms(in->attempt, in->jitter);
		return d;
	}
	d.why = "the request was refused";
	return d;
}

bool
retry_again(const struct retry_decision *d, enum http_error error, long status, bool idempotent)
{
	return d->retry && (idempotent || !retry_outcome_unknown(error, status));
}

struct retry_decision
retry_decide_response(int attempt, enum http_error error, const struct http_response *resp,
		      bool github, const struct http_clock *clock, unsigned int *seed)
{
	return retry_decide(&(struct retry_input){
		.attempt = attempt, .error = error, .status = resp->status,
		.retry_after = resp->retry_after,
		.ratelimit_remaining = resp->ratelimit_remaining,
		.ratelimit_reset = resp->ratelimit_reset, .body = resp->body,
		.github = github, .now = http_clock_now(clock),
		.jitter = (double)(rand_r(seed) % 1000) / 1000.0,
	});
}
