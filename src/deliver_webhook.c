#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/deliver.h"
#include "furikaeri/deliver_webhook.h"
#include "furikaeri/err.h"
#include "furikaeri/log.h"
#include "furikaeri/retry.h"
#include "furikaeri/store_webhook.h"
#include "furikaeri/xalloc.h"

/* The webhook's run through the state machine drawn in deliver.h. */

char *
deliver_webhook_content(const char *what, const char *week, const char *text)
{
	const char *parts[] = { what, week, text };
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a 64 */

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		for (const unsigned char *p = (const unsigned char *)parts[i]; ; p++) {
			h = (h ^ *p) * 0x100000001b3ull;
			if (*p == '\0')
				break;
		}
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
	char *owner;
	char **msg;
	char **err;
};

static const struct http_clock *
clock_of(const struct run *r)
{
	return r->opts != NULL ? r->opts->clock : NULL;
}

/* One move of row id; *changed as the guard said. -1 when the store fails. */
static int
move(struct run *r, long long id, const struct store_webhook_post *seen,
     enum deliver_state to, const char *error, bool sent, const char *note, bool *changed)
{
	char *now = deliver_time_in(clock_of(r), 0);
	char *lease = to == DELIVER_CLAIMED ? deliver_time_in(clock_of(r),
							       lease_ms(r->cfg, r->opts)) : NULL;
	int rc = store_webhook_move(r->st, &(struct store_webhook_move){
		.id = id, .seen = seen, .owner = r->owner, .to = to, .now = now,
		.lease_until = lease, .error = error, .sent = sent, .note = note,
	}, changed, r->err);

	free(now);
	free(lease);
	return rc;
}

/* What an earlier row of the same post says now; false to go on and send. */
static bool
earlier(struct run *r, struct store_webhook_post *p, bool again,
	enum deliver_webhook_result *result, int *rc)
{
	const char *at = p->sent_at ? p->sent_at : p->updated_at;
	char *now = deliver_time_in(clock_of(r), 0);
	bool due = deliver_due(&(struct deliver_row_times){
		.state = p->state, .lease_until = p->lease_until, .claimed_by = p->claimed_by,
	}, now);

	free(now);
	if (p->state == DELIVER_CLAIMED && !due) {
		*result = DELIVER_WEBHOOK_BUSY;
		err_set(r->msg, "the %s of %s is being posted by another furikaeri (%s, until %s); "
			"nothing was sent", r->what, r->week, p->claimed_by ? p->claimed_by : "?",
			p->lease_until ? p->lease_until : "?");
		return true;
	}
	if (p->state == DELIVER_CLAIMED) {
		/* its holder is gone or ran out of time while sending: whether
		 * the post arrived is not known, and a webhook cannot be asked */
		bool changed = false;
		char *note = xasprintf("found claimed by %s, which is gone or whose lease ran out "
				       "at %s: it may have been posted", p->claimed_by
				       ? p->claimed_by : "another process",
				       p->lease_until ? p->lease_until : "?");

		*rc = move(r, p->id, p, DELIVER_UNKNOWN, note, false, note, &changed);
		free(note);
		if (*rc < 0)
			return true;
		if (!changed) {
			*result = DELIVER_WEBHOOK_BUSY;
			err_set(r->msg, "the %s of %s was taken over by another furikaeri; nothing "
				"was sent", r->what, r->week);
			return true;
		}
		p->state = DELIVER_UNKNOWN;
	}
	if (again && (p->state == DELIVER_DELIVERED || p->state == DELIVER_UNKNOWN))
		return false;
	if (p->state == DELIVER_DELIVERED) {
		*result = DELIVER_WEBHOOK_ALREADY;
		err_set(r->msg, "the %s of %s was posted at %s; nothing was sent (--again posts it "
			"once more)", r->what, r->week, at ? at : "?");
		return true;
	}
	if (p->state == DELIVER_UNKNOWN) {
		*result = DELIVER_WEBHOOK_MAYBE;
		err_set(r->msg, "the %s of %s was sent at %s and no answer came, so it may be in the "
			"channel; nothing was sent: look in the channel, then --again to post it "
			"anyway", r->what, r->week, at ? at : "?");
		return true;
	}
	return false;
}

static enum deliver_state
state_after(enum webhook_result how)
{
	switch (how) {
	case WEBHOOK_POSTED:
		return DELIVER_DELIVERED;
	case WEBHOOK_LATER:
		return DELIVER_QUEUED;
	case WEBHOOK_UNKNOWN:
		return DELIVER_UNKNOWN;
	default:
		return DELIVER_REFUSED;
	}
}

static enum deliver_webhook_result
result_after(enum webhook_result how)
{
	switch (how) {
	case WEBHOOK_POSTED:
		return DELIVER_WEBHOOK_POSTED;
	case WEBHOOK_LATER:
		return DELIVER_WEBHOOK_LATER;
	case WEBHOOK_UNKNOWN:
		return DELIVER_WEBHOOK_MAYBE;
	default:
		return DELIVER_WEBHOOK_REFUSED;
	}
}

int
deliver_webhook_post(struct store *st, const struct config *cfg, const char *what,
		     const char *week, const char *text, bool again,
		     const struct webhook_options *opts, enum deliver_webhook_result *result,
		     char **msg, char **err)
{
	struct run r = {
		.st = st, .cfg = cfg, .opts = opts, .what = what, .week = week,
		.owner = deliver_owner_new(), .msg = msg, .err = err,
	};
	char *content = deliver_webhook_content(what, week, text);
	struct store_webhook_post last = { 0 }, *seen = NULL;
	enum webhook_result how = WEBHOOK_REFUSED;
	char *why = NULL;
	bool found = false, changed = false;
	long long id = 0;
	int rc = 0;

	*result = DELIVER_WEBHOOK_REFUSED;
	if (store_webhook_last(st, content, &last, &found, err) < 0) {
		rc = -1;
		goto out;
	}
	if (found && earlier(&r, &last, again, result, &rc))
		goto out;
	if (found && (last.state == DELIVER_QUEUED || last.state == DELIVER_REFUSED ||
		      last.state == DELIVER_FAILED)) {
		/* asked again after it was not sent: the same row goes */
		id = last.id;
		seen = &last;
	} else {
		char *now = deliver_time_in(clock_of(&r), 0);

		rc = store_webhook_queue(st, what, week, content, now, &id, err);
		free(now);
		if (rc < 0)
			goto out;
		store_webhook_post_release(&last);
		last = (struct store_webhook_post){ .id = id, .state = DELIVER_QUEUED };
		seen = &last;
	}
	if ((rc = move(&r, id, seen, DELIVER_CLAIMED, NULL, true, "claimed to post",
		       &changed)) < 0)
		goto out;
	if (!changed) {
		*result = DELIVER_WEBHOOK_BUSY;
		err_set(msg, "the %s of %s is being posted by another furikaeri; nothing was sent",
			what, week);
		goto out;
	}
	/* the network, outside any transaction of the store */
	webhook_post(cfg, NULL, text, opts, &how, &why);
	{
		enum deliver_state to = state_after(how);
		const char *note = how == WEBHOOK_POSTED ? "posted"
				   : how == WEBHOOK_UNKNOWN
				   ? "no answer: it may have been posted; a webhook cannot be asked, "
				     "so it is never sent again by itself"
				   : why ? why : "not posted";

		if ((rc = move(&r, id, NULL, to, how == WEBHOOK_POSTED ? NULL : why, false, note,
			       &changed)) < 0)
			goto out;
	}
	if (!changed) {
		/* the lease ran out under the request: another process has
		 * the row and reports it; this one must not say "posted" */
		*result = DELIVER_WEBHOOK_MAYBE;
		err_set(msg, "the %s of %s was sent, but another furikaeri took the post over "
			"meanwhile: look in the channel", what, week);
		log_error("webhook post %lld: the row was taken over while it was sent", id);
		goto out;
	}
	*result = result_after(how);
	if (how == WEBHOOK_POSTED)
		err_set(msg, "the %s of %s was posted to the webhook", what, week);
	else
		err_set(msg, "%s", why ? why : "the webhook post failed");
out:
	store_webhook_post_release(&last);
	free(why);
	free(content);
	free(r.owner);
	return rc;
}
