#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/deliver.h"
#include "furikaeri/deliver_run.h"
#include "furikaeri/deliver_webhook.h"
#include "furikaeri/err.h"
#include "furikaeri/hash.h"
#include "furikaeri/log.h"
#include "furikaeri/retry.h"
#include "furikaeri/store_webhook.h"
#include "furikaeri/xalloc.h"

/* The webhook's run through the state machine drawn in deliver.h. */

char *
deliver_webhook_content(const char *what, const char *week, const char *text)
{
	const char *parts[] = { what, week, text };
	uint64_t h = HASH_INIT;

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		h = hash_field(h, parts[i]);
	return xasprintf("%s:%s:%016llx", what, week, (unsigned long long)h);
}

/* The lease of a claim: the longest webhook_post can take. */
static long
lease_ms(const struct config *cfg, const struct webhook_options *opts)
{
	long connect = cfg != NULL ? cfg->connect_timeout_s * 1000 : 10000;
	long timeout = opts != NULL && opts->timeout_ms > 0 ? opts->timeout_ms
		       : cfg != NULL ? cfg->timeout_s * 1000 : 30000;

	return deliver_lease_ms(deliver_longest_request_ms(connect, timeout,
							   WEBHOOK_MAX_INLINE_WAIT_MS,
							   RETRY_MAX_ATTEMPTS));
}

struct run {
	struct store *st;
	const struct config *cfg;
	const struct webhook_options *opts;
	const char *what;
	const char *week;
	const char *text;
	char *owner;
	long long id;
	struct store_webhook_post *seen;	/* the row as read: a claim's guard */
	enum deliver_webhook_result *result;
	char *why;		/* the webhook's words for the last outcome */
	char **msg;
};

static const struct http_clock *
clock_of(const struct run *r)
{
	return r->opts != NULL ? r->opts->clock : NULL;
}

/* One move of the row, guarded by the row as seen or (NULL) by its holder. */
static int
move(struct run *r, const struct store_webhook_post *seen, enum deliver_state to,
     const char *error, bool sent, const char *note, bool *changed, char **err)
{
	char *now = deliver_time_in(clock_of(r), 0);
	char *lease = to == DELIVER_CLAIMED ? deliver_time_in(clock_of(r),
							       lease_ms(r->cfg, r->opts)) : NULL;
	int rc = store_webhook_move(r->st, &(struct store_webhook_move){
		.id = r->id, .seen = seen, .owner = r->owner, .to = to, .now = now,
		.lease_until = lease, .error = error, .sent = sent, .note = note,
	}, changed, err);

	free(now);
	free(lease);
	return rc;
}

/* The webhook's table for deliver_run. */
static int
table_move(void *ctx, struct deliver_move *mv, bool *changed, char **err)
{
	struct run *r = ctx;
	struct store_webhook_post *p = r->seen;
	int rc = 0;

	*changed = false;
	if (mv->why != NULL && mv->step != DELIVER_STEP_LOST) {
		free(r->why);
		r->why = xstrdup(mv->why);
	}
	switch (mv->step) {
	case DELIVER_STEP_BUSY:
		*r->result = DELIVER_WEBHOOK_BUSY;
		err_set(r->msg, "the %s of %s is being posted by another furikaeri (%s, until %s); "
			"nothing was sent", r->what, r->week, p->claimed_by ? p->claimed_by : "?",
			p->lease_until ? p->lease_until : "?");
		return 0;
	case DELIVER_STEP_TAKEOVER: {
		/* its holder is gone or ran out of time while sending: whether
		 * the post arrived is not known, and a webhook cannot be asked */
		char *note = xasprintf("found claimed by %s, which is gone or whose lease ran out "
				       "at %s: it may have been posted", p->claimed_by
				       ? p->claimed_by : "another process",
				       p->lease_until ? p->lease_until : "?");

		rc = move(r, p, DELIVER_UNKNOWN, note, false, note, changed, err);
		free(note);
		if (rc == 0 && *changed) {
			p->state = DELIVER_UNKNOWN;
		} else if (rc == 0) {
			*r->result = DELIVER_WEBHOOK_BUSY;
			err_set(r->msg, "the %s of %s was taken over by another furikaeri; nothing "
				"was sent", r->what, r->week);
		}
		return rc;
	}
	case DELIVER_STEP_CLAIM:
		rc = move(r, p, DELIVER_CLAIMED, NULL, true, "claimed to post", changed, err);
		if (rc == 0 && !*changed) {
			*r->result = DELIVER_WEBHOOK_BUSY;
			err_set(r->msg, "the %s of %s is being posted by another furikaeri; nothing "
				"was sent", r->what, r->week);
		}
		return rc;
	case DELIVER_STEP_SENT:
		return move(r, NULL, DELIVER_DELIVERED, NULL, false, "posted", changed, err);
	case DELIVER_STEP_LATER:
		return move(r, NULL, DELIVER_QUEUED, mv->why, false,
			    mv->why ? mv->why : "not posted", changed, err);
	case DELIVER_STEP_UNKNOWN:
		return move(r, NULL, DELIVER_UNKNOWN, mv->why, false,
			    "no answer: it may have been posted; a webhook cannot be asked, so it "
			    "is never sent again by itself", changed, err);
	case DELIVER_STEP_LOST:
		/* the lease ran out under the request: another process has
		 * the row and reports it; this one must not say "posted" */
		*r->result = DELIVER_WEBHOOK_MAYBE;
		err_set(r->msg, "the %s of %s was sent, but another furikaeri took the post over "
			"meanwhile: look in the channel", r->what, r->week);
		log_error("webhook post %lld: the row was taken over while it was sent", r->id);
		return 0;
	default:
		/* refused, and what a target with no lookup never meets */
		return move(r, NULL, DELIVER_REFUSED, mv->why, false,
			    mv->why ? mv->why : "not posted", changed, err);
	}
}

/* The webhook as deliver_run's backend: no lookup, sent at most once. */
static enum deliver_send
backend_send(void *ctx, const struct deliver_renew *renew, char **ref, long *wait_ms, char **why)
{
	struct run *r = ctx;
	enum webhook_result how = WEBHOOK_REFUSED;

	(void)renew;
	(void)ref;
	(void)wait_ms;
	/* the network, outside any transaction of the store */
	webhook_post(r->cfg, NULL, r->text, r->opts, &how, why);
	switch (how) {
	case WEBHOOK_POSTED:
		return DELIVER_SEND_OK;
	case WEBHOOK_LATER:
		return DELIVER_SEND_LATER;
	case WEBHOOK_UNKNOWN:
		return DELIVER_SEND_UNKNOWN;
	default:
		return DELIVER_SEND_REFUSED;
	}
}

/* Runs the row r->seen through deliver_run. */
static int
run_row(struct run *r, enum deliver_outcome *out, char **err)
{
	struct store_webhook_post *p = r->seen;
	struct deliver_backend be = { .send = backend_send, .lookups_needed = 0, .ctx = r };

	r->id = p->id;
	return deliver_run(&(struct deliver_run_row){
		.times = { .state = p->state, .lease_until = p->lease_until,
			   .claimed_by = p->claimed_by },
	}, &be, &(struct deliver_table){ .move = table_move, .claim_counts_send = true, .ctx = r },
	clock_of(r), out, err);
}

/* What an earlier row of the same post says now; false to go on and send. */
static bool
earlier(struct run *r, struct store_webhook_post *p, bool again, int *rc, char **err)
{
	const char *at = p->sent_at ? p->sent_at : p->updated_at;

	if (p->state == DELIVER_CLAIMED) {
		/* held by another (busy), or taken over from a holder that is
		 * gone or ran out of time: then it is unknown */
		enum deliver_outcome out;

		r->seen = p;
		*rc = run_row(r, &out, err);
		if (*rc < 0 || out == DELIVER_OUT_BUSY)
			return true;
	}
	if (again && (p->state == DELIVER_DELIVERED || p->state == DELIVER_UNKNOWN))
		return false;
	if (p->state == DELIVER_DELIVERED) {
		*r->result = DELIVER_WEBHOOK_ALREADY;
		err_set(r->msg, "the %s of %s was posted at %s; nothing was sent (--again posts it "
			"once more)", r->what, r->week, at ? at : "?");
		return true;
	}
	if (p->state == DELIVER_UNKNOWN) {
		*r->result = DELIVER_WEBHOOK_MAYBE;
		err_set(r->msg, "the %s of %s was sent at %s and no answer came, so it may be in the "
			"channel; nothing was sent: look in the channel, then --again to post it "
			"anyway", r->what, r->week, at ? at : "?");
		return true;
	}
	return false;
}

int
deliver_webhook_post(struct store *st, const struct config *cfg, const char *what,
		     const char *week, const char *text, bool again,
		     const struct webhook_options *opts, enum deliver_webhook_result *result,
		     char **msg, char **err)
{
	struct run r = {
		.st = st, .cfg = cfg, .opts = opts, .what = what, .week = week, .text = text,
		.owner = deliver_owner_new(), .result = result, .msg = msg,
	};
	char *content = deliver_webhook_content(what, week, text);
	struct store_webhook_post last = { 0 };
	enum deliver_outcome out = DELIVER_OUT_BUSY;
	bool found = false;
	int rc = 0;

	*result = DELIVER_WEBHOOK_REFUSED;
	/* The newest row of the same post decides; a new row goes in only if
	 * no other furikaeri queued one since it was read (two `export
	 * --post` at once posted the minutes twice), else it is read again. */
	for (int tries = 0;; tries++) {
		char *now;
		long long id = 0;

		store_webhook_post_release(&last);
		if (store_webhook_last(st, content, &last, &found, err) < 0) {
			rc = -1;
			goto out;
		}
		if (found && earlier(&r, &last, again, &rc, err))
			goto out;
		/* asked again after it was not sent: the same row goes */
		if (found && (last.state == DELIVER_QUEUED || last.state == DELIVER_REFUSED ||
			      last.state == DELIVER_FAILED))
			break;
		now = deliver_time_in(clock_of(&r), 0);
		rc = store_webhook_queue(st, what, week, content, found ? last.id : 0, now, &id,
					 err);
		free(now);
		if (rc < 0)
			goto out;
		if (id != 0) {
			store_webhook_post_release(&last);
			last = (struct store_webhook_post){ .id = id, .state = DELIVER_QUEUED };
			break;
		}
		if (tries == 2) {
			*result = DELIVER_WEBHOOK_BUSY;
			err_set(msg, "another furikaeri is posting the %s of %s; nothing was sent",
				what, week);
			goto out;
		}
	}
	r.seen = &last;
	if ((rc = run_row(&r, &out, err)) < 0)
		goto out;
	switch (out) {
	case DELIVER_OUT_DELIVERED:
		*result = DELIVER_WEBHOOK_POSTED;
		err_set(msg, "the %s of %s was posted to the webhook", what, week);
		break;
	case DELIVER_OUT_LATER:
	case DELIVER_OUT_UNKNOWN:
	case DELIVER_OUT_REFUSED:
	case DELIVER_OUT_FAILED:
		*result = out == DELIVER_OUT_LATER ? DELIVER_WEBHOOK_LATER
			  : out == DELIVER_OUT_UNKNOWN ? DELIVER_WEBHOOK_MAYBE
			  : DELIVER_WEBHOOK_REFUSED;
		err_set(msg, "%s", r.why ? r.why : "the webhook post failed");
		break;
	default:
		/* busy and lost: the table said why */
		break;
	}
out:
	store_webhook_post_release(&last);
	free(r.why);
	free(content);
	free(r.owner);
	return rc;
}
