#include "config.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/err.h"
#include "furikaeri/http_call.h"
#include "furikaeri/retry.h"
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
	     const struct webhook_options *opts, enum webhook_result *result, char **err)
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
	char *body, *origin, *msg = NULL, *own = NULL;
	unsigned int seed = (unsigned int)http_clock_now_ms(clock);
	enum webhook_result how = WEBHOOK_REFUSED;
	int rc = -1;

	if (result != NULL)
		*result = WEBHOOK_REFUSED;
	if (url == NULL)
		url = own = config_webhook_url(cfg, err);
	if (url == NULL || url[0] == '\0') {
		if (url != NULL)
			err_set(err, "the webhook URL is empty; set FURIKAERI_WEBHOOK_URL or "
				"[minutes] webhook_url_file (see furikaeri(5))");
		free(own);
		return -1;
	}
	if ((client = http_client_new(&ho, err)) == NULL) {
		free(own);
		return -1;
	}
	origin = url_origin(url);
	if (strlen(url) > strlen(origin))
		log_add_secret(url + strlen(origin));
	body = payload(text);
	{
		/* a chat post has no idempotency key: it is not idempotent, so
		 * the loop never sends it again after an unknown outcome, which
		 * could post the minutes twice */
		struct http_request req = {
			.method = "POST", .url = url, .headers = headers, .body = body,
			.idempotent = false,
		};
		struct http_call_result res;
		const struct http_response *resp = &res.resp;
		bool unknown;

		http_call_run(&(struct http_call){
			.client = client, .req = &req, .clock = clock, .shown = origin,
			.seed = &seed, .max_inline_wait_ms = WEBHOOK_MAX_INLINE_WAIT_MS,
		}, &res);
		unknown = retry_outcome_unknown(res.error, resp->status);
		if (http_call_ok(&res))
			how = WEBHOOK_POSTED;
		else if (unknown)
			how = WEBHOOK_UNKNOWN;
		else if (res.error == HTTP_ERR_CONNECT || res.decision.retry ||
			 res.decision.rate_limited)
			how = WEBHOOK_LATER;
		rc = how == WEBHOOK_POSTED ? 0 : -1;
		if (rc == 0)
			log_debug("POST %s: posted", origin);
		else if (res.error == HTTP_OK)
			err_set(&msg, "POST %s (the [minutes] webhook_url): the webhook answered "
				"%ld%s%.200s; %s", origin, resp->status, resp->body[0] != '\0' ? ": " : "",
				resp->body,
				unknown ? "the minutes may have been posted: look in the channel "
					  "before posting again"
				: resp->status >= 500 || resp->status == 429
				? "the minutes were not posted: try again later"
				: "the minutes were not posted: check [minutes] webhook_url");
		else
			err_set(&msg, "POST %s (the [minutes] webhook_url): %s; %s%s", origin,
				failure_text(res.error),
				unknown ? "the minutes may have been posted: look in the channel "
					  "before posting again" : "the minutes were not posted: ",
				unknown ? "" : failure_advice(res.error));
		http_call_result_release(&res);
	}
	if (result != NULL)
		*result = how;
	if (rc < 0) {
		char *redacted = log_redact(msg);
		char *clean = text_sanitize(redacted, false);

		err_set(err, "%s", clean);
		free(clean);
		free(redacted);
	}
	free(own);
	free(msg);
	http_client_free(client);
	free(body);
	free(origin);
	return rc;
}
