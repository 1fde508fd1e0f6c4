#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/deliver_run.h"

/* The run drawn in deliver_run.h. */

struct run {
	const struct deliver_table *tb;
	char **err;
	bool store_failed;
};

/* 1 moved, 0 the guard did not hold, -1 the store failed. */
static int
step(struct run *r, struct deliver_move *mv)
{
	bool changed = false;

	if (r->tb->move(r->tb->ctx, mv, &changed, r->err) < 0) {
		r->store_failed = true;
		return -1;
	}
	return changed ? 1 : 0;
}

/* A move after the claim: one whose guard did not hold means another
 * process took the row over meanwhile (told as LOST). */
static int
held_step(struct run *r, struct deliver_move mv, enum deliver_outcome ok,
	  enum deliver_outcome *out)
{
	int rc = step(r, &mv);

	if (rc < 0)
		return -1;
	if (rc == 0) {
		if (step(r, &(struct deliver_move){ .step = DELIVER_STEP_LOST, .lost_at = mv.step,
						    .why = mv.why, .ref = mv.ref }) < 0)
			return -1;
		*out = DELIVER_OUT_LOST;
		return 0;
	}
	*out = ok;
	return 0;
}

static bool
renew(void *ctx)
{
	struct run *r = ctx;

	return step(r, &(struct deliver_move){ .step = DELIVER_STEP_RENEW }) == 1;
}

/* The row is held: an optional lookup, then the send, then its outcome. */
static int
held(struct run *r, const struct deliver_run_row *row, struct deliver_backend *be, bool lookup,
     enum deliver_outcome *out)
{
	char *ref = NULL, *why = NULL;
	long wait = 0;
	enum deliver_send c;
	int rc = 0;

	if (be->ready != NULL && !be->ready(be->ctx, &why)) {
		rc = held_step(r, (struct deliver_move){ .step = DELIVER_STEP_FAIL, .why = why },
			       DELIVER_OUT_FAILED, out);
		goto done;
	}
	if (lookup) {
		enum deliver_find f = be->find(be->ctx, &ref, &why);
		int misses = row->misses + 1;

		if (f == DELIVER_FIND_FOUND) {
			rc = held_step(r, (struct deliver_move){ .step = DELIVER_STEP_FOUND,
								 .ref = ref },
				       DELIVER_OUT_DELIVERED, out);
			goto done;
		}
		if (f == DELIVER_FIND_FAILED) {
			rc = held_step(r, (struct deliver_move){ .step = DELIVER_STEP_LOOKUP_FAILED,
								 .why = why },
				       DELIVER_OUT_UNKNOWN, out);
			goto done;
		}
		if (misses < be->lookups_needed) {
			rc = held_step(r, (struct deliver_move){
				.step = DELIVER_STEP_MISSED, .misses = misses,
				.lookups_needed = be->lookups_needed }, DELIVER_OUT_UNKNOWN, out);
			goto done;
		}
		/* every lookup missed: sent again, under a renewed claim */
		if ((rc = step(r, &(struct deliver_move){ .step = DELIVER_STEP_RESEND,
							  .misses = misses })) != 1) {
			*out = DELIVER_OUT_BUSY;
			goto done;
		}
		free(why);
		why = NULL;
	}
	if (!r->tb->claim_counts_send &&
	    (rc = step(r, &(struct deliver_move){ .step = DELIVER_STEP_SEND })) != 1) {
		*out = DELIVER_OUT_BUSY;
		goto done;
	}
	c = be->send(be->ctx, &(struct deliver_renew){ .fn = renew, .ctx = r }, &ref, &wait, &why);
	rc = 0;
	switch (c) {
	case DELIVER_SEND_OK:
		rc = held_step(r, (struct deliver_move){ .step = DELIVER_STEP_SENT, .ref = ref },
			       DELIVER_OUT_DELIVERED, out);
		break;
	case DELIVER_SEND_REFUSED:
		rc = held_step(r, (struct deliver_move){ .step = DELIVER_STEP_REFUSED, .why = why },
			       DELIVER_OUT_REFUSED, out);
		break;
	case DELIVER_SEND_UNKNOWN:
	case DELIVER_SEND_LATER:
		/* an unknown outcome of a harmless resend is simply later */
		if (c == DELIVER_SEND_LATER || be->resend_safe)
			rc = held_step(r, (struct deliver_move){
				.step = DELIVER_STEP_LATER, .why = why, .wait_ms = wait },
				DELIVER_OUT_LATER, out);
		else
			rc = held_step(r, (struct deliver_move){
				.step = DELIVER_STEP_UNKNOWN, .why = why,
				.final = be->lookups_needed == 0 }, DELIVER_OUT_UNKNOWN, out);
		break;
	}
done:
	free(ref);
	free(why);
	return rc < 0 ? -1 : 0;
}

int
deliver_run(const struct deliver_run_row *row, struct deliver_backend *be,
	    const struct deliver_table *tb, const struct http_clock *clock,
	    enum deliver_outcome *out, char **err)
{
	struct run r = { .tb = tb, .err = err };
	enum deliver_state state = row->times.state;
	bool look_first = row->look_first;
	bool lookup;
	int rc;

	*out = DELIVER_OUT_BUSY;
	if (state == DELIVER_CLAIMED) {
		char *now = deliver_time_in(clock, 0);
		bool due = deliver_due(&row->times, now);
		struct deliver_move mv = {
			.step = due ? DELIVER_STEP_TAKEOVER : DELIVER_STEP_BUSY,
			.ran_out = row->times.lease_until == NULL ||
				   strcmp(row->times.lease_until, now) <= 0,
		};

		free(now);
		rc = step(&r, &mv);
		if (rc < 0)
			return -1;
		if (!due || rc == 0)
			return 0;
		/* whether it arrived is not known: looked up before any resend */
		*out = DELIVER_OUT_UNKNOWN;
		if (!mv.look_now)
			return 0;
		state = DELIVER_UNKNOWN;
		look_first = true;
	}
	if (state == DELIVER_UNKNOWN && be->lookups_needed == 0 && !be->resend_safe) {
		/* no lookup can tell whether it arrived: never sent again */
		*out = DELIVER_OUT_UNKNOWN;
		return 0;
	}
	lookup = look_first && !be->resend_safe && be->lookups_needed > 0;
	rc = step(&r, &(struct deliver_move){ .step = DELIVER_STEP_CLAIM, .lookup = lookup });
	if (rc <= 0)
		return rc;
	return held(&r, row, be, lookup, out);
}
