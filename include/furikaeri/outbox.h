#ifndef FURIKAERI_OUTBOX_H
#define FURIKAERI_OUTBOX_H

/* The ticket outbox's state machine, the delivery engine's first user
 * (deliver.h: the states, owners, leases and "due"). The order of a run is
 * deliver_run's (deliver_run.h), as for every side effect; outbox.c gives
 * it the tracker as backend (find by marker, create) and says how each step
 * moves a ticket_outbox row (guard, columns, history note). Its SQL is in
 * store_outbox.c, its network calls in the tracker backends, its timing in
 * the worker and in `tickets push`.
 *
 *                       queue (a person: /ticket, tickets file, push)
 *                         |
 *        +-------------> queued <--------------------------------+
 *        |                 | claim (due; one UPDATE, one winner) | later (429,
 *        |                 v                                     |  no connection)
 *        |   +-------->  claimed  --- create answered ---------> delivered
 *        |   |  claim      |  |  \--- lookup finds the marker --> delivered
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
 * - "delivered" is the stored name; people read "filed"
 *   (store_outbox_state_word).
 * - A row is a measure's ticket (kind "measure") or a new postmortem filed
 *   as an issue (kind "postmortem", `furikaeri new --tracker`): the same
 *   states, claims, lookups and history; such a row has no measure, and its
 *   marker (pm-...) and text (title, the filled template as the body) are
 *   its own.
 */

#include <stdbool.h>

#include "furikaeri/http.h"
#include "furikaeri/store_outbox.h"

/* What deliver_due reads of a row. Borrows its strings. */
struct deliver_row_times outbox_row_times(const struct store_outbox_item *it);

#endif
