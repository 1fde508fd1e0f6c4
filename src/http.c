#include "config.h"

#include <arpa/inet.h>
#include <dlfcn.h>
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
	char *username;		/* Basic credentials, or NULL; wiped on free */
	char *password;
};

/* libcurl is loaded the first time something speaks HTTP, not when the
 * program starts: with the TLS, IDN, LDAP and Kerberos libraries it pulls
 * in it is 30 shared objects, and mapping them took 8 ms of every start,
 * most of what `furikaeri search` or `list` costs. The functions used are
 * looked up by name into this table; its types are libcurl's own, from
 * curl.h, so a mismatch fails to compile. */
static struct curl_api {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *h);
	void (*easy_reset)(CURL *h);
	CURLcode (*easy_setopt)(CURL *h, CURLoption option, ...);
	CURLcode (*easy_perform)(CURL *h);
	CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
	const char *(*easy_strerror)(CURLcode rc);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
	void (*slist_free_all)(struct curl_slist *list);
	CURLU *(*url)(void);
	CURLUcode (*url_set)(CURLU *u, CURLUPart what, const char *part, unsigned int flags);
	CURLUcode (*url_get)(const CURLU *u, CURLUPart what, char **part, unsigned int flags);
	void (*url_cleanup)(CURLU *u);
	void (*free)(void *p);
	char *(*easy_escape)(CURL *h, const char *s, int length);
} curl;

static pthread_once_t http_once = PTHREAD_ONCE_INIT;
static char *http_load_error;	/* why libcurl could not be loaded, or NULL */

static void
http_load(void)
{
	static const struct {
		const char *name;
		size_t offset;
	} syms[] = {
#define SYM(field) { .name = "curl_" #field, .offset = offsetof(struct curl_api, field) }
		SYM(global_init), SYM(easy_init), SYM(easy_cleanup), SYM(easy_reset),
		SYM(easy_setopt), SYM(easy_perform), SYM(easy_getinfo), SYM(easy_strerror),
		SYM(slist_append), SYM(slist_free_all), SYM(url), SYM(url_set), SYM(url_get),
		SYM(url_cleanup), SYM(free), SYM(easy_escape),
#undef SYM
	};
	void *lib = dlopen(FK_CURL_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (lib == NULL) {
		http_load_error = xasprintf("cannot load libcurl (%s); install it with: "
					    "apt-get install libcurl4", dlerror());
		return;
	}
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		void *fn = dlsym(lib, syms[i].name);
		if (fn == NULL) {
			http_load_error = xasprintf("%s has no %s: it is too old; install a newer libcurl4",
						    FK_CURL_SONAME, syms[i].name);
			return;
		}
		/* POSIX: a function's address comes back as a void * */
		memcpy((char *)&curl + syms[i].offset, &fn, sizeof(fn));
	}
	curl.global_init(CURL_GLOBAL_DEFAULT);
}

/* Loads libcurl once; false with *err saying why it cannot be. */
static bool
http_ready(char **err)
{
	pthread_once(&http_once, http_load);
	if (http_load_error != NULL) {
		err_set(err, "%s", http_load_error);
		return false;
	}
	return true;
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
http_client_new(const struct http_options *opts, char **err)
{
	struct http_client *c;

	if (!http_ready(err))
		return NULL;
	c = xcalloc(1, sizeof(*c));
	c->curl = curl.easy_init();
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
		if (opts->username != NULL) {
			c->username = xstrdup(opts->username);
			c->password = xstrdup(opts->password ? opts->password : "");
		}
	}
	return c;
}

void
http_client_free(struct http_client *c)
{
	if (c == NULL)
		return;
	curl.easy_cleanup(c->curl);
	free(c->ca_bundle);
	xfree_secret(c->username);
	xfree_secret(c->password);
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
	free(resp->link);
	free(resp->oauth_scopes);
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
	CURLU *u;
	char *scheme = NULL, *host = NULL;
	bool ok = false;

	if (!http_ready(err))
		return false;
	if ((u = curl.url()) == NULL)
		abort();
	if (curl.url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl.url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl.url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
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
	curl.free(scheme);
	curl.free(host);
	curl.url_cleanup(u);
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
	char *escaped, *owned;

	/* Every caller builds a URL for a client it already has, so libcurl
	 * is loaded; a NULL handle is accepted since libcurl 7.82. */
	if (!http_ready(NULL) || (escaped = curl.easy_escape(NULL, s, 0)) == NULL) {
		fprintf(stderr, "furikaeri: cannot escape a URL part: libcurl is not loaded "
			"or out of memory\n");
		abort();
	}
	owned = xstrdup(escaped);
	curl.free(escaped);
	return owned;
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
		{ .name = "link", .offset = offsetof(struct http_response, link) },
		{ .name = "x-oauth-scopes", .offset = offsetof(struct http_response, oauth_scopes) },
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
log_request(const struct http_client *c, const struct http_request *req)
{
	if (!log_enabled())
		return;
	log_debug("> %s %s", req->method, req->url);
	if (c->username != NULL)
		log_debug(">   Authorization: Basic, from CURLOPT_USERNAME/PASSWORD");
	for (const char *const *h = req->headers; h != NULL && *h != NULL; h++)
		log_debug(">   %s", *h);
	if (req->body != NULL)
		log_debug(">   (%zu bytes) %.2000s", strlen(req->body), req->body);
}

bool
http_request_idempotent(const struct http_request *req)
{
	return strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0 ||
	       req->idempotent;
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
	curl.easy_reset(h);
	headers = curl.slist_append(headers, ua);
	/* Expect: 100-continue would stall bodies over 1 KiB on servers that
	 * do not send the interim answer. */
	headers = curl.slist_append(headers, "Expect:");
	for (const char *const *p = req->headers; p != NULL && *p != NULL; p++)
		headers = curl.slist_append(headers, *p);
	curl.easy_setopt(h, CURLOPT_URL, req->url);
	curl.easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
	if (strcmp(req->method, "GET") == 0)
		curl.easy_setopt(h, CURLOPT_HTTPGET, 1L);
	if (req->body != NULL) {
		curl.easy_setopt(h, CURLOPT_POSTFIELDS, req->body);
		curl.easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(req->body));
	}
	curl.easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	curl.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	/* Reads follow a moved resource (a renamed repository); writes never do:
	 * the caller reports the new location instead. libcurl drops the
	 * Authorization header when a redirect leaves the host. */
	if (strcmp(req->method, "GET") == 0) {
		curl.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
		curl.easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
		curl.easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR,
				 strncmp(req->url, "https:", 6) == 0 ? "https" : "http,https");
	} else {
		curl.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	}
	/* libcurl resends a request by itself, POST included, when a *reused*
	 * connection dies before any byte of an answer ("Connection died,
	 * retrying a fresh connect": Curl_retry_request in lib/transfer.c
	 * retries only when conn->bits.reuse is set). A create the server
	 * stored before dropping the connection would be stored twice.
	 * CURLOPT_FRESH_CONNECT ("use a new (fresh) connection by force
	 * instead of trying to reuse an existing one") means this transfer
	 * never runs on a reused connection, so that retry cannot happen;
	 * CURLOPT_FORBID_REUSE ("close the connection when done with the
	 * transfer") keeps the extra connection out of the pool. libcurl
	 * 8.16's CURLOPT_FORBID_RETRY_ON_REUSE says this directly, but Debian
	 * 12 and 13 ship 7.88 and 8.14. easy_reset above puts both back to 0
	 * for the next request. */
	if (!http_request_idempotent(req)) {
		curl.easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
		curl.easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
	}
	/* libcurl sends these to the URL's host only, never after a redirect
	 * to another one (CURLOPT_UNRESTRICTED_AUTH stays off). */
	if (c->username != NULL) {
		curl.easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl.easy_setopt(h, CURLOPT_USERNAME, c->username);
		curl.easy_setopt(h, CURLOPT_PASSWORD, c->password);
	}
	curl.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->ca_bundle != NULL)
		curl.easy_setopt(h, CURLOPT_CAINFO, c->ca_bundle);
	curl.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
	curl.easy_setopt(h, CURLOPT_TIMEOUT_MS, c->timeout_ms);
	curl.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl.easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
	curl.easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl.easy_setopt(h, CURLOPT_WRITEDATA, &body);
	curl.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl.easy_setopt(h, CURLOPT_HEADERDATA, resp);

	log_request(c, req);
	t0 = http_clock_now_ms(NULL);
	rc = curl.easy_perform(h);
	result = classify(rc);
	if (result == HTTP_OK)
		curl.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
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
			errbuf[0] ? errbuf : curl.easy_strerror(rc), advice[0] ? "; " : "", advice);
		log_debug("< %s %s failed: %s", req->method, path,
			  errbuf[0] ? errbuf : curl.easy_strerror(rc));
	}
	curl.easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
	curl.easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
	curl.slist_free_all(headers);
	free(ua);
	free(path);
	return result;
}
