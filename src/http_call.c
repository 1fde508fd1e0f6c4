#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/http_call.h"
#include "furikaeri/log.h"

static bool
answered_2xx(enum http_error error, const struct http_response *resp)
{
	return error == HTTP_OK && resp->status >= 200 && resp->status < 300;
}

bool
http_call_ok(const struct http_call_result *res)
{
	return !res->held && answered_2xx(res->error, &res->resp);
}

void
http_call_run(const struct http_call *call, struct http_call_result *res)
{
	const struct http_request *req = call->req;
	bool idempotent = http_request_idempotent(req);

	memset(res, 0, sizeof(*res));
	res->attempts = call->attempts_before;
	for (;;) {
		struct retry_decision d = { .why = "done" };

		if (call->before_send != NULL && !call->before_send(call->ctx, res->attempts + 1)) {
			res->held = true;
			res->wait_ms = 0;
			return;
		}
		http_response_release(&res->resp);
		free(res->perr);
		res->perr = NULL;
		res->attempts++;
		res->error = http_perform(call->client, req, &res->resp, &res->perr);
		if (!answered_2xx(res->error, &res->resp))
			d = retry_decide_response(res->attempts, res->error, &res->resp,
						  call->github, call->clock, call->seed);
		res->decision = d;
		if (call->after_answer != NULL)
			call->after_answer(call->ctx, res);
		if (answered_2xx(res->error, &res->resp)) {
			res->wait_ms = 0;
			return;
		}
		/* A request that is not idempotent and may have been acted on
		 * is never sent again: the caller reports the unknown outcome. */
		if (!retry_again(&d, res->error, res->resp.status, idempotent) ||
		    d.wait_ms > call->max_inline_wait_ms) {
			res->wait_ms = d.wait_ms;
			return;
		}
		log_info("%s %s: %s; retrying in %ld ms (attempt %d)", req->method, call->shown,
			 d.why, d.wait_ms, res->attempts + 1);
		http_clock_sleep_ms(call->clock, d.wait_ms);
	}
}

void
http_call_result_release(struct http_call_result *res)
{
	http_response_release(&res->resp);
	free(res->perr);
	memset(res, 0, sizeof(*res));
}
