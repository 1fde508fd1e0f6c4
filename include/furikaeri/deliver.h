#ifndef FURIKAERI_DELIVER_H
#define FURIKAERI_DELIVER_H

/* The delivery engine's core: what every side effect furikaeri causes in
 * another system shares (a ticket, a postmortem filed as an issue, a chat
 * post or edit, a ticket key posted back, a webhook post). Each is a row in
 * the store with a marker of its own, written before anything is sent, and
 * moves through one state machine:
 *
 *   queued --claim (due)--> claimed --answered---------------> delivered
 *     ^                      |  |  \--refused (a person must act)--> refused
 *     |  later (429, no      |  |   \-no target / no token---------> failed
 *     +--connection)---------+  |
 *                               | unknown outcome (timeout, dropped, 5xx
 *                               | after sending, a lease that ran out)
 *                               v
 *   claimed <--claim (due)-- unknown: looked up by marker through every
 *                            means the target offers before anything is
 *                            sent again; a target with no lookup (a
 *                            webhook) is never sent again: reported.
 *
 * - A state is this enum; its stored name comes from the one table in
 *   deliver.c. Nothing compares state names anywhere else.
 * - A process sends only a row it holds: a claim is one guarded UPDATE
 *   (due, or a lease run out) whose changed-row count says who won, with an
 *   owner and a lease; every later move is guarded by the owner.
 * - A lease covers the longest request it can see (connect, transfer, the
 *   inline retry waits), so it cannot run out under a live request; a row
 *   taken over from a holder that is gone or whose lease ran out is an
 *   unknown outcome, and its first lookup waits out that holder's longest
 *   request.
 * - An owner names its machine's boot and its PID namespace as well as its
 *   PID, so a live process in another container never looks dead.
 * - "Due" is deliver_due, and nowhere else. */

#include <stdbool.h>

#include "furikaeri/http.h"

enum deliver_state {
	DELIVER_QUEUED,		/* waiting to be sent (next_attempt_at may hold it) */
	DELIVER_CLAIMED,	/* held by one process (owner, lease) while it acts */
	DELIVER_UNKNOWN,	/* may have arrived: looked up before any resend */
	DELIVER_DELIVERED,	/* exists at the target, exactly once */
	DELIVER_REFUSED,	/* the target said no: a person must act */
	DELIVER_FAILED,		/* cannot be sent from here (no target, no token) */
};
#define DELIVER_N_STATES (DELIVER_FAILED + 1)

/* The stored name ("queued", "claimed", "unknown", "delivered", "refused",
 * "failed"); static. */
const char *deliver_state_name(enum deliver_state state);
/* false for a name that is none of them. */
bool deliver_state_parse(const char *name, enum deliver_state *out);
/* Whether a row in this state is still on its way (queued, claimed,
 * unknown): it must be delivered or stop with a reason. */
bool deliver_state_pending(enum deliver_state state);

/* This process's owner name for claims (owned):
 * "HOST:BOOT:PIDNS:PID:N", BOOT the kernel's boot id, PIDNS the inode of
 * the PID namespace (0 when unreadable), N a counter per call. */
char *deliver_owner_new(void);
/* Whether owner is a process known to be gone: same boot, same PID
 * namespace, and no such PID. Anything not provably gone (another machine
 * or container, an unreadable name) is not: its lease is waited out. */
bool deliver_owner_gone(const char *owner);

/* "2026-12-01T03:08:20Z", ms from the clock's now (owned). */
char *deliver_time_in(const struct http_clock *clock, long ms);

/* The longest one request can take with its inline retries: each attempt's
 * connect and transfer timeouts and the waits between them, capped by the
 * longest inline wait. */
long deliver_longest_request_ms(long connect_timeout_ms, long timeout_ms,
				long max_inline_wait_ms, int max_attempts);
/* The lease a claim takes: the longest request it covers, with room for the
 * store's own work (never less than a minute). */
long deliver_lease_ms(long longest_request_ms);

/* What deliver_due looks at in a row. */
struct deliver_row_times {
	enum deliver_state state;
	const char *next_attempt_at;	/* NULL: no wait */
	const char *lease_until;	/* claimed rows */
	const char *claimed_by;
};
/* Whether a row may be claimed at now: queued or unknown and due, or
 * claimed with a lease run out or by an owner that is gone. */
bool deliver_due(const struct deliver_row_times *row, const char *now);

#endif
