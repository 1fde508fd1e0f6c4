#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/err.h"
#include "furikaeri/log.h"
#include "furikaeri/text.h"
#include "furikaeri/webhook.h"
#include "furikaeri/xalloc.h"

/* "https://hooks.slack.com" of a webhook URL: the rest carries the secret. */
static char *
url_origin(const char *url)
{
	const char *host = strstr(url, "://");
	size_t n;

	host = host != NULL ? host + 3 : url;
	n = strcspn(host, "/?#");
	return xasprintf("%.*s", (int)(host - url + (long)n), url);
}

/* What went wrong, then what to do: one diagnosis and one remedy. */
static const char *
failure_text(enum http_error e)
{
	switch (e) {
	case HTTP_ERR_REFUSED:
		return "refused to send over plain http";
	case HTTP_ERR_CONNECT:
		return "could not connect";
	case HTTP_ERR_TIMEOUT:
		return "no answer in time";
	case HTTP_ERR_DROPPED:
		return "the connection broke";
	case HTTP_ERR_TLS:
		return "the TLS certificate was not accepted";
	default:
		return "the request failed";
	}
}

static const char *
failure_advice(enum http_error e)
{
	switch (e) {
	case HTTP_ERR_REFUSED:
		return "use an https:// URL";
	case HTTP_ERR_CONNECT:
		return "check the URL and the network";
	case HTTP_ERR_TLS:
		return "check [http] ca_bundle";
	default:
		return "try again later";
	}
}

static char *
payload(const char *text)
{
	json_t *o = json_object();
	char *dumped, *out;

	json_object_set_new(o, "text", json_string(text));
	dumped = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	out = xstrdup(dumped != NULL ? dumped : "{}");
	free(dumped);
	return out;
}

int
webhook_post(const struct config *cfg, const char *url, const char *text,
	     const struct webhook_options *opts, char **err)
{
	static const char *const headers[] = { "Content-Type: application/json", NULL };
	const struct http_clock *clock = opts != NULL ? opts->clock : NULL;
	struct http_options ho = {
		.ca_bundle = cfg != NULL ? cfg->ca_bundle : NULL,
		.connect_timeout_ms = cfg != NULL ? cfg->connect_timeout_s * 1000 : 0,
		.timeout_ms = opts != NULL && opts->timeout_ms > 0 ? opts->timeout_ms
			      : cfg != NULL ? cfg->timeout_s * 1000 : 0,
	};
	struct http_client *client;
	char *body, *origin, *msg = NULL;
	unsigned int seed = (unsigned int)http_clock_now_ms(clock);
	int rc = -1;

	if (url == NULL && cfg != NULL)
		url = cfg->webhook_url;
	if (url == NULL || url[0] == '\0') {
		err_set(err, "no webhook is configured; set [minutes] webhook_url in %s "
			"(see furikaeri(5))", cfg != NULL && cfg->path != NULL ? cfg->path
			: "the config file");
		return -1;
	}
	if ((client = http_client_new(&ho, err)) == NULL)
		return -1;
	origin = url_origin(url);
	if (strlen(url) > strlen(origin))
		log_add_secret(url + strlen(origin));
	body = payload(text);
	for (int attempt = 1;; attempt++) {
		struct http_request req = {
			.method = "POST", .url = url, .headers = headers, .body = body,
		};
		struct http_response resp;
		struct http_retry_decision d;
		char *perr = NULL;
		enum http_error e = http_perform(client, &req, &resp, &perr);

		free(perr);
		if (e == HTTP_OK && resp.status >= 200 && resp.status < 300) {
			http_response_release(&resp);
			rc = 0;
			break;
		}
		d = http_retry_decide(&(struct http_retry_input){
			.attempt = attempt, .error = e, .status = resp.status,
			.retry_after = resp.retry_after,
			.ratelimit_remaining = resp.ratelimit_remaining,
			.ratelimit_reset = resp.ratelimit_reset, .body = resp.body,
			.now = http_clock_now(clock),
			.jitter = (double)(rand_r(&seed) % 1000) / 1000.0,
		});
		if (e == HTTP_OK)
			err_set(&msg, "POST %s (the [minutes] webhook_url): the minutes were not "
				"posted: the webhook answered %ld%s%.200s after %d attempt%s; %s",
				origin, resp.status, resp.body[0] != '\0' ? ": " : "", resp.body,
				attempt, attempt == 1 ? "" : "s",
				resp.status >= 500 || resp.status == 429 ? "try again later"
				: "check [minutes] webhook_url");
		else
			err_set(&msg, "POST %s (the [minutes] webhook_url): the minutes were not "
				"posted: %s after %d attempt%s; %s", origin, failure_text(e),
				attempt, attempt == 1 ? "" : "s", failure_advice(e));
		http_response_release(&resp);
		if (!d.retry)
			break;
		log_info("POST %s: %s; retrying in %ld ms", origin, d.why, d.wait_ms);
		http_clock_sleep_ms(clock, d.wait_ms);
	}
	if (rc < 0) {
		char *clean = text_sanitize(msg, false);
		err_set(err, "%s", clean);
		free(clean);
	}
	free(msg);
	http_client_free(client);
	free(body);
	free(origin);
	return rc;
}
