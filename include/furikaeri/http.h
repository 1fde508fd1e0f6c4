#ifndef FURIKAERI_HTTP_H
#define FURIKAERI_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* A small HTTPS client over libcurl's easy interface, and the retry policy
 * the trackers follow. TLS verification is always on; plain http:// is
 * allowed to loopback addresses only (the tests' servers); redirects are
 * followed for reads only; proxies come from libcurl's usual environment
 * variables. The retry policy is retry.h.
 * libcurl's own codes never leave http.c. */

/* How a request ended when no HTTP status came back. */
enum http_error {
	HTTP_OK,		/* a status came back (any status) */
	HTTP_ERR_REFUSED,	/* not sent: the URL breaks policy (http:// off loopback) */
	HTTP_ERR_CONNECT,	/* not sent: name lookup or connection failed */
	HTTP_ERR_TIMEOUT,	/* may have been received: outcome unknown */
	HTTP_ERR_DROPPED,	/* sent, then the connection broke: outcome unknown */
	HTTP_ERR_TLS,		/* certificate or TLS problem: not sent */
	HTTP_ERR_OTHER,		/* anything else */
};

/* A clock the retry and pacing code reads and sleeps on, so tests run
 * without waiting. NULL members mean the real clock. */
struct http_clock {
	/* Wall-clock seconds since the epoch (x-ratelimit-reset is one). */
	time_t (*now)(void *ctx);
	/* Monotonic milliseconds. */
	long long (*now_ms)(void *ctx);
	/* Sleeps; may return early (the worker wakes it to stop). */
	void (*sleep_ms)(void *ctx, long ms);
	void *ctx;
};

time_t http_clock_now(const struct http_clock *clock);
long long http_clock_now_ms(const struct http_clock *clock);
void http_clock_sleep_ms(const struct http_clock *clock, long ms);

struct http_options {
	const char *ca_bundle;		/* NULL: the system's */
	long connect_timeout_ms;	/* 0: 10 s */
	long timeout_ms;		/* 0: 30 s */
	/* Basic credentials, which libcurl encodes and sends with every
	 * request (CURLOPT_USERNAME, CURLOPT_PASSWORD), and only to the host
	 * of the request's URL; NULL: none. The client keeps copies, wiped
	 * when it is freed; the log names only the scheme. */
	const char *username;
	const char *password;
};

struct http_request {
	const char *method;		/* "GET", "POST", ... */
	const char *url;
	const char *const *headers;	/* "Name: value" lines, NULL-terminated, or NULL */
	const char *body;		/* NULL for none */
	/* Sending it twice does no more than sending it once (a read, a PUT
	 * of a whole state, a DELETE). GET and HEAD always are, whatever this
	 * says; any other method is taken as not idempotent unless this is
	 * set, so a zeroed request is the safe kind. A request that is not
	 * idempotent goes out on a fresh connection that is closed after it,
	 * so nothing below the caller can send it twice (libcurl resends by
	 * itself only on a reused connection), and the retry loop never
	 * resends it once its outcome is unknown. */
	bool idempotent;
};

struct http_response {
	long status;			/* 0 when no status came back */
	char *body;			/* always NUL-terminated, "" when empty */
	size_t body_len;
	char *content_type;		/* NULL when absent; the rest likewise */
	char *retry_after;
	char *ratelimit_remaining;
	char *ratelimit_reset;
	char *location;
	char *link;			/* RFC 8288 Link (GitHub's paging) */
	char *oauth_scopes;		/* Slack's x-oauth-scopes: the token's scopes */
};

struct http_client;

/* opts may be NULL. The client keeps copies of what it needs. NULL with
 * *err saying why when libcurl cannot be loaded (it is loaded on first use,
 * not at start). */
struct http_client *http_client_new(const struct http_options *opts, char **err);
void http_client_free(struct http_client *c);

/* Sends one request (no retries) and fills resp (release it with
 * http_response_release, whatever the result). Returns HTTP_OK when a
 * status came back, or the kind of failure with *err saying "METHOD PATH:
 * what happened". The request is logged with Authorization redacted. */
enum http_error http_perform(struct http_client *c, const struct http_request *req,
			     struct http_response *resp, char **err);
void http_response_release(struct http_response *resp);
/* Whether req may be sent twice (see struct http_request). */
bool http_request_idempotent(const struct http_request *req);
/* Keeps the value of one raw header line ("Name: value\r\n", len bytes, not
 * NUL-terminated) when resp has a field for it; other lines are ignored.
 * Returns len (libcurl's header callback contract). */
size_t http_response_header(struct http_response *resp, const char *line, size_t len);

/* Whether url may be used: https anywhere, http only to 127.0.0.0/8, ::1 or
 * localhost. Fills *err with why not. */
bool http_url_allowed(const char *url, char **err);
/* The path and query of url for messages ("/repos/a/b/issues"); owned. */
char *http_url_path(const char *url);
/* Percent-encodes s for a query value or a path segment (every byte but
 * A-Z a-z 0-9 - . _ ~, by libcurl's curl_easy_escape); owned. */
char *http_escape(const char *s);

#endif
