#ifndef FURIKAERI_OUTBOX_H
#define FURIKAERI_OUTBOX_H

/* The ticket outbox's state machine: the one place that decides what
 * happens to a queued ticket. Its SQL is in store_outbox.c, its network
 * calls in the tracker backends, its timing in the worker and in
 * `tickets push`; every decision is taken here.
 *
 *                       queue (a person: /ticket, tickets file, push)
 *                         |
 *        +-------------> queued <--------------------------------+
 *        |                 | claim (due; one UPDATE, one winner) | later (429,
 *        |                 v                                     |  no connection)
 *        |   +-------->  claimed  --- create answered ---------> filed
 *        |   |  claim      |  |  \--- lookup finds the marker --> filed
 *        |   |  (due)      |  |
 *        |   |             |  +--- refused (4xx, a moved repo) --> refused --+
 *        |   |             |  +--- no tracker / no token -------> failed  --+
 *        |   |             |                                                |
 *        |   |    unknown outcome (timeout, dropped, 5xx after    push (a person)
 *        |   |    sending), a lookup that missed or failed,                 |
 *        |   |    or a lease found run out (a crashed holder)               |
 *        |   |             v                                                |
 *        |   +-------- unknown                                              |
 *        +--------------------------------------------------------------------+
 *
 * - A process sends only a row it holds: claiming is a conditional UPDATE
 *   (queued and due, or unknown and due), and before every create the
 *   holder renews its lease with another one (claimed by it, lease not run
 *   out); a row it lost is left alone.
 * - An unknown outcome never sends again straight away. The row waits
 *   [tracker] recheck_seconds, is claimed again and looked up by its
 *   marker through every means the tracker offers (GitHub: the search and
 *   the token's own recent issues, which are consistent; Jira: search/jql
 *   by the marker label, twice, recheck_seconds apart, because the search
 *   lags its writes). Only when every lookup has missed is the create sent
 *   again. A lookup that fails counts as no lookup.
 * - A lease that ran out (its holder crashed or hung) is an unknown
 *   outcome: the row goes to unknown and through the lookups, never
 *   straight to a send.
 * - Every transition writes a line of history (tickets list -v).
 * - A row is a measure's ticket (kind "measure") or a new postmortem filed
 *   as an issue (kind "postmortem", `furikaeri new --tracker`): the same
 *   states, claims, lookups and history; such a row has no measure, and its
 *   marker (pm-...) and text (title, the filled template as the body) are
 *   its own.
 */

#include <stdbool.h>

#include "furikaeri/http.h"
#include "furikaeri/store_outbox.h"

/* How long a claim holds without renewal (longer than any single request
 * with its inline retry waits). */
#define OUTBOX_LEASE_MS (15 * 60 * 1000L)

/* A name for this process's claims, "HOST:PID:N" (owned). */
char *outbox_owner_new(void);
/* "2026-12-01T03:08:20Z", ms from the clock's now (owned). */
char *outbox_time_in(const struct http_clock *clock, long ms);
/* Whether a row in this state may be claimed at now (queued or unknown,
 * and due), or holds a lease that ran out. */
bool outbox_due(const struct store_outbox_item *it, const char *now);

#endif
