#ifndef FURIKAERI_DELIVER_RUN_H
#define FURIKAERI_DELIVER_RUN_H

/* One row's run through the state machine drawn in deliver.h, the same for
 * every side effect: a ticket (outbox.c), a chat post or edit (chat.c), a
 * webhook post (deliver_webhook.c). Each supplies a backend (how to look
 * its target up by marker, how to send) and a table (how to move its row,
 * each move one guarded UPDATE with a line of history); deliver_run decides
 * the order:
 *
 *   claimed by another, not due -> busy
 *   claimed, due (lease ran out, owner gone) -> takeover: unknown
 *   unknown and no lookup (a webhook) -> reported, never sent again
 *   claim -> ready? -> [lookup: found -> delivered; failed -> unknown;
 *            missed, fewer than lookups_needed -> unknown; else resend]
 *         -> send -> ok: delivered | later: queued | refused | unknown
 *
 * A move after the claim whose guard does not hold means the row was taken
 * over meanwhile: the run says so (lost) and never says delivered. */

#include <stdbool.h>

#include "furikaeri/deliver.h"
#include "furikaeri/http.h"

enum deliver_find {
	DELIVER_FIND_FOUND,	/* at the target: *ref names it */
	DELIVER_FIND_MISSED,	/* not there (yet: a search may lag) */
	DELIVER_FIND_FAILED,	/* could not look: counts as no lookup */
};

enum deliver_send {
	DELIVER_SEND_OK,	/* answered: *ref names it */
	DELIVER_SEND_LATER,	/* not received: again after *wait_ms */
	DELIVER_SEND_REFUSED,	/* the target said no: a person must act */
	DELIVER_SEND_UNKNOWN,	/* sent, no answer: may be there */
};

/* The hook a backend calls before each inline resend of one request: false
 * when the row is no longer held (nothing may be sent). */
struct deliver_renew {
	bool (*fn)(void *ctx);
	void *ctx;
};

/* How to reach the target. Strings returned through ref and why are owned
 * by the run. */
struct deliver_backend {
	/* After the claim: false (*why) when it cannot be sent from here (no
	 * target, no token): the row fails. NULL: always ready. */
	bool (*ready)(void *ctx, char **why);
	/* Looks the row's marker up; NULL when lookups_needed is 0. */
	enum deliver_find (*find)(void *ctx, char **ref, char **why);
	enum deliver_send (*send)(void *ctx, const struct deliver_renew *renew, char **ref,
				  long *wait_ms, char **why);
	/* Lookups that must miss before a resend after an unknown outcome; 0:
	 * the target has no lookup, so an unknown outcome is final. */
	int lookups_needed;
	/* A resend is harmless (an edit): sent again, never looked up, and an
	 * unknown outcome is simply later. */
	bool resend_safe;
	void *ctx;
};

enum deliver_step {
	DELIVER_STEP_BUSY,	/* no move: held by another, not due */
	DELIVER_STEP_TAKEOVER,	/* a due claim of another (ran_out): to unknown */
	DELIVER_STEP_CLAIM,	/* to claimed, to look up first (lookup) or to send */
	DELIVER_STEP_FAIL,	/* not ready (why): to failed */
	DELIVER_STEP_FOUND,	/* the lookup found it (ref): to delivered */
	DELIVER_STEP_LOOKUP_FAILED, /* (why): to unknown, looked up again later */
	DELIVER_STEP_MISSED,	/* misses of lookups_needed: to unknown, again later */
	DELIVER_STEP_RESEND,	/* every lookup missed (misses): claim renewed */
	DELIVER_STEP_SEND,	/* the send goes out: claim renewed, counted */
	DELIVER_STEP_RENEW,	/* before an inline resend: claim renewed */
	DELIVER_STEP_SENT,	/* answered (ref): to delivered */
	DELIVER_STEP_LATER,	/* (why, wait_ms): to queued */
	DELIVER_STEP_REFUSED,	/* (why): to refused */
	DELIVER_STEP_UNKNOWN,	/* (why): to unknown; final without lookups */
	DELIVER_STEP_LOST,	/* no move: the guard of step lost_at did not hold */
};

struct deliver_move {
	enum deliver_step step;
	enum deliver_step lost_at;	/* LOST */
	bool ran_out;		/* TAKEOVER: the lease ran out (else the owner is gone) */
	bool lookup;		/* CLAIM: the marker is looked up first */
	bool final;		/* UNKNOWN: no lookup, never sent again by itself */
	const char *why;	/* the backend's words, or NULL */
	const char *ref;	/* FOUND, SENT */
	long wait_ms;		/* LATER */
	int misses;		/* MISSED, RESEND: lookups that missed, this one too */
	int lookups_needed;	/* MISSED */
	bool look_now;		/* TAKEOVER, set by the table: looked up in this run */
};

/* How to move the row: each step one guarded move with its line of history
 * (the table's own words and columns). *changed false when the guard did
 * not hold; -1 only when the store fails. BUSY and LOST are told, not
 * moved. */
struct deliver_table {
	int (*move)(void *ctx, struct deliver_move *mv, bool *changed, char **err);
	/* The claim and the resend count the send themselves: no SEND step. */
	bool claim_counts_send;
	void *ctx;
};

/* The row as it was read. Borrows its strings. */
struct deliver_run_row {
	struct deliver_row_times times;
	bool look_first;	/* its marker is looked up before any send */
	int misses;		/* lookups that missed since it was last sent */
};

enum deliver_outcome {
	DELIVER_OUT_BUSY,	/* another process has it: nothing done */
	DELIVER_OUT_DELIVERED,	/* at the target: answered, or found by its marker */
	DELIVER_OUT_UNKNOWN,	/* may be there: looked up later, or reported */
	DELIVER_OUT_LATER,	/* queued again with a wait */
	DELIVER_OUT_REFUSED,
	DELIVER_OUT_FAILED,
	DELIVER_OUT_LOST,	/* taken over while it acted: the new holder decides */
};

/* Runs the row once (see above). -1 only when the store fails (*err). */
int deliver_run(const struct deliver_run_row *row, struct deliver_backend *be,
		const struct deliver_table *tb, const struct http_clock *clock,
		enum deliver_outcome *out, char **err);

#endif
