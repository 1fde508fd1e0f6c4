#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "furikaeri/err.h"
#include "furikaeri/http.h"
#include "furikaeri/log.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"

struct http_client {
	CURL *curl;
	char *ca_bundle;
	long connect_timeout_ms;
	long timeout_ms;
};

static pthread_once_t http_once = PTHREAD_ONCE_INIT;

static void
http_global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

time_t
http_clock_now(const struct http_clock *clock)
{
	if (clock != NULL && clock->now != NULL)
		return clock->now(clock->ctx);
	return time(NULL);
}

long long
http_clock_now_ms(const struct http_clock *clock)
{
	struct timespec ts;

	if (clock != NULL && clock->now_ms != NULL)
		return clock->now_ms(clock->ctx);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
http_clock_sleep_ms(const struct http_clock *clock, long ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	if (clock != NULL && clock->sleep_ms != NULL) {
		clock->sleep_ms(clock->ctx, ms);
		return;
	}
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

struct http_client *
http_client_new(const struct http_options *opts)
{
	struct http_client *c = xcalloc(1, sizeof(*c));

	pthread_once(&http_once, http_global_init);
	c->curl = curl_easy_init();
	if (c->curl == NULL) {
		fprintf(stderr, "furikaeri: libcurl cannot start (out of memory)\n");
		abort();
	}
	c->connect_timeout_ms = 10000;
	c->timeout_ms = 30000;
	if (opts != NULL) {
		c->ca_bundle = xstrdup_or_null(opts->ca_bundle);
		if (opts->connect_timeout_ms > 0)
			c->connect_timeout_ms = opts->connect_timeout_ms;
		if (opts->timeout_ms > 0)
			c->timeout_ms = opts->timeout_ms;
	}
	return c;
}

void
http_client_free(struct http_client *c)
{
	if (c == NULL)
		return;
	curl_easy_cleanup(c->curl);
	free(c->ca_bundle);
	free(c);
}

void
http_response_release(struct http_response *resp)
{
	free(resp->body);
	free(resp->content_type);
	free(resp->retry_after);
	free(resp->ratelimit_remaining);
	free(resp->ratelimit_reset);
	free(resp->location);
	memset(resp, 0, sizeof(*resp));
}

static bool
host_is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;
	char buf[64];
	size_t n = strlen(host);

	if (strcasecmp(host, "localhost") == 0)
		return true;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']' && n - 2 < sizeof(buf)) {
		memcpy(buf, host + 1, n - 2);
		buf[n - 2] = '\0';
		host = buf;
	}
	if (inet_pton(AF_INET6, host, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return false;
}

bool
http_url_allowed(const char *url, char **err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	bool ok = false;

	if (u == NULL)
		abort();
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		err_set(err, "%s is not a valid URL; write it as https://HOST/...", url);
	} else if (strcasecmp(scheme, "https") == 0) {
		ok = true;
	} else if (strcasecmp(scheme, "http") == 0 && host_is_loopback(host)) {
		ok = true;
	} else if (strcasecmp(scheme, "http") == 0) {
		err_set(err, "%s: plain http:// is refused except to this machine (loopback), "
			"because the token would travel unencrypted; use https://", url);
	} else {
		err_set(err, "%s: only https:// URLs are supported", url);
	}
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

char *
http_url_path(const char *url)
{
	const char *p = strstr(url, "://");

	if (p == NULL)
		return xstrdup(url);
	p = strchr(p + 3, '/');
	return xstrdup(p ? p : "/");
}

char *
http_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	struct strbuf sb = STRBUF_INIT;

	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~') {
			strbuf_addc(&sb, (char)*p);
		} else {
			strbuf_addc(&sb, '%');
			strbuf_addc(&sb, hex[*p >> 4]);
			strbuf_addc(&sb, hex[*p & 15]);
		}
	}
	return strbuf_detach(&sb);
}

static size_t
on_body(char *data, size_t size, size_t nmemb, void *user)
{
	strbuf_add(user, data, size * nmemb);
	return size * nmemb;
}

static void
keep_header(char **dst, const char *value, size_t len)
{
	free(*dst);
	*dst = xstrndup(value, len);
}

size_t
http_response_header(struct http_response *resp, const char *line, size_t len)
{
	static const struct {
		const char *name;
		size_t offset;
	} wanted[] = {
		{ .name = "content-type", .offset = offsetof(struct http_response, content_type) },
		{ .name = "retry-after", .offset = offsetof(struct http_response, retry_after) },
		{ .name = "x-ratelimit-remaining",
		  .offset = offsetof(struct http_response, ratelimit_remaining) },
		{ .name = "x-ratelimit-reset",
		  .offset = offsetof(struct http_response, ratelimit_reset) },
		{ .name = "location", .offset = offsetof(struct http_response, location) },
	};
	const char *colon = memchr(line, ':', len);

	if (colon == NULL)
		return len;
	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
		size_t n = strlen(wanted[i].name);
		const char *v, *end;

		if ((size_t)(colon - line) != n || strncasecmp(line, wanted[i].name, n) != 0)
			continue;
		v = colon + 1;
		end = line + len;
		while (v < end && (*v == ' ' || *v == '\t'))
			v++;
		while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
			end--;
		keep_header((char **)((char *)resp + wanted[i].offset), v, (size_t)(end - v));
	}
	return len;
}

static size_t
on_header(char *data, size_t size, size_t nmemb, void *user)
{
	return http_response_header(user, data, size * nmemb);
}

static enum http_error
classify(CURLcode rc)
{
	switch (rc) {
	case CURLE_OK:
		return HTTP_OK;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
		return HTTP_ERR_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return HTTP_ERR_TIMEOUT;
	case CURLE_GOT_NOTHING:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_PARTIAL_FILE:
		return HTTP_ERR_DROPPED;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
		return HTTP_ERR_TLS;
	default:
		return HTTP_ERR_OTHER;
	}
}

static const char *
error_advice(enum http_error e)
{
	switch (e) {
	case HTTP_ERR_CONNECT:
		return "check the URL in the config file, the network and any proxy variables";
	case HTTP_ERR_TIMEOUT:
		return "the server did not answer in time";
	case HTTP_ERR_DROPPED:
		return "the connection broke before the answer came";
	case HTTP_ERR_TLS:
		return "the server's certificate could not be verified; set [http] ca_bundle "
		       "if your site uses its own certificate authority";
	default:
		return "";
	}
}

static void
log_request(const struct http_request *req)
{
	if (!log_enabled())
		return;
	log_debug("> %s %s", req->method, req->url);
	for (const char *const *h = req->headers; h != NULL && *h != NULL; h++)
		log_debug(">   %s", *h);
	if (req->body != NULL)
		log_debug(">   (%zu bytes) %.2000s", strlen(req->body), req->body);
}

enum http_error
http_perform(struct http_client *c, const struct http_request *req,
	     struct http_response *resp, char **err)
{
	struct curl_slist *headers = NULL;
	struct strbuf body = STRBUF_INIT;
	char errbuf[CURL_ERROR_SIZE] = "";
	char *ua = xasprintf("User-Agent: furikaeri/%s", PACKAGE_VERSION);
	char *path = http_url_path(req->url);
	enum http_error result;
	CURL *h = c->curl;
	CURLcode rc;
	long long t0;

	memset(resp, 0, sizeof(*resp));
	if (!http_url_allowed(req->url, err)) {
		free(ua);
		free(path);
		resp->body = xstrdup("");
		return HTTP_ERR_REFUSED;
	}
	curl_easy_reset(h);
	headers = curl_slist_append(headers, ua);
	/* Expect: 100-continue would stall bodies over 1 KiB on servers that
	 * do not send the interim answer. */
	headers = curl_slist_append(headers, "Expect:");
	for (const char *const *p = req->headers; p != NULL && *p != NULL; p++)
		headers = curl_slist_append(headers, *p);
	curl_easy_setopt(h, CURLOPT_URL, req->url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
	if (strcmp(req->method, "GET") == 0)
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	if (req->body != NULL) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(req->body));
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->ca_bundle != NULL)
		curl_easy_setopt(h, CURLOPT_CAINFO, c->ca_bundle);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->timeout_ms);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, resp);

	log_request(req);
	t0 = http_clock_now_ms(NULL);
	rc = curl_easy_perform(h);
	result = classify(rc);
	if (result == HTTP_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
	resp->body_len = body.len;
	resp->body = strbuf_detach(&body);
	if (result == HTTP_OK) {
		log_debug("< %ld %s %s (%zu bytes, %lld ms)", resp->status, req->method, path,
			  resp->body_len, http_clock_now_ms(NULL) - t0);
		if (resp->status >= 400)
			log_debug("<   %.2000s", resp->body);
	} else {
		const char *advice = error_advice(result);

		err_set(err, "%s %s: %s%s%s", req->method, path,
			errbuf[0] ? errbuf : curl_easy_strerror(rc), advice[0] ? "; " : "", advice);
		log_debug("< %s %s failed: %s", req->method, path,
			  errbuf[0] ? errbuf : curl_easy_strerror(rc));
	}
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(headers);
	free(ua);
	free(path);
	return result;
}

bool
http_outcome_unknown(enum http_error error, long status)
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
 * HTTP_WAIT_MAX_S, so that a huge Retry-After or x-ratelimit-reset (the
 * fuzzer sent 66666666666666660) cannot overflow. */
static long
server_wait_ms(long long seconds)
{
	if (seconds <= 0)
		return 0;
	if (seconds > HTTP_WAIT_MAX_S)
		seconds = HTTP_WAIT_MAX_S;
	return (long)seconds * 1000L;
}

static long
backoff_ms(int attempt, double jitter)
{
	long d = HTTP_RETRY_BASE_MS;

	for (int i = 1; i < attempt && d < HTTP_RETRY_CAP_MS; i++)
		d *= 2;
	if (d > HTTP_RETRY_CAP_MS)
		d = HTTP_RETRY_CAP_MS;
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

struct http_retry_decision
http_retry_decide(const struct http_retry_input *in)
{
	struct http_retry_decision d = { .retry = false, .wait_ms = 0, .why = "" };
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
		if (in->attempt >= HTTP_RETRY_MAX_ATTEMPTS)
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
			d.wait_ms = HTTP_SECONDARY_LIMIT_MS + backoff_ms(in->attempt, in->jitter);
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
		d.retry = in->attempt < HTTP_RETRY_MAX_ATTEMPTS;
		return d;
	}
	if (in->status >= 500) {
		d.why = "server error";
		if (in->attempt >= HTTP_RETRY_MAX_ATTEMPTS)
			return d;
		d.retry = true;
		ra = retry_after_seconds(in->retry_after, in->now);
		d.wait_ms = ra >= 0 ? server_wait_ms(ra) : backoff_ms(in->attempt, in->jitter);
		return d;
	}
	d.why = "the request was refused";
	return d;
}
