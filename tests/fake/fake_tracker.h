#ifndef FURIKAERI_FAKE_TRACKER_H
#define FURIKAERI_FAKE_TRACKER_H

#include <stdbool.h>
#include <stddef.h>

#include "fake_http.h"

/* A stateful fake of GitHub Issues, GitLab issues (REST v4, project
 * acme/pay, id 7), Jira (REST v3 and v2) and Linear (POST /graphql:
 * issueCreate refusing an id already taken, issue(id:), teams and
 * issueLabels paged through pageInfo, users, viewer) on top of
 * fake_http: creates are stored, and the lookups the client makes (GitHub's
 * search, the token's own issues, GET by number; Jira's search/jql and
 * /search, GET by key) answer from what is stored. The search lags its
 * writes by a set time, read from the test's clock; lists and GET by key
 * are consistent, as on the real services. Each create takes the next
 * fault of a script, in any sequence. */

enum fake_fault {
	FAKE_FAULT_NONE,	/* stored, 201 */
	FAKE_FAULT_5XX,		/* not stored, 500 */
	FAKE_FAULT_5XX_STORED,	/* stored, then 502 */
	FAKE_FAULT_429,		/* not stored, 429 with Retry-After: 1 */
	FAKE_FAULT_DROP,	/* stored, then the connection closes unanswered */
	FAKE_FAULT_SLOW,	/* stored, answered after slow_ms (the client times out) */
	FAKE_FAULT_CLOSE_UNREAD, /* not stored, closed as if never read (a reset) */
	/* held slow_ms before it is stored, then answered 201: a create
	 * still in flight, not yet visible to any lookup */
	FAKE_FAULT_SLOW_LATE,
	/* stored; on a reused keep-alive connection the connection then
	 * closes unanswered, on a fresh one 201 */
	FAKE_FAULT_DROP_REUSED,
	/* a read only: GitHub's search answers 200 with incomplete_results
	 * and no items (its own time limit ran out); elsewhere as NONE */
	FAKE_FAULT_INCOMPLETE,
};

struct fake_tracker;

/* Answers every request f gets. now_ms(ctx) is the test's clock (shared
 * with the client, so the search lag follows it); it must be safe to call
 * from the server's threads. */
struct fake_tracker *fake_tracker_new(struct fake_http *f, long long (*now_ms)(void *ctx),
				      void *ctx);
void fake_tracker_free(struct fake_tracker *ft);
/* The faults of the next creates, in order; later creates succeed. */
void fake_tracker_faults(struct fake_tracker *ft, const enum fake_fault *faults, size_t n);
/* The faults of the next reads (searches, lists, GET by number or key;
 * not /user), in order; later reads answer. A read that is "stored" has
 * nothing to store: 5XX_STORED answers 502, DROP closes unanswered,
 * SLOW answers after slow_ms. */
void fake_tracker_read_faults(struct fake_tracker *ft, const enum fake_fault *faults, size_t n);
/* Stores an issue carrying marker as if another client had created it a
 * day ago (so no search lag hides it): a GitHub issue with the marker's
 * comment, or (jira) a Jira issue with its label. */
void fake_tracker_add(struct fake_tracker *ft, bool jira, const char *marker);
/* Stores a Linear issue with the id a create for marker carries, as if
 * another client had created it a day ago. */
void fake_tracker_add_linear(struct fake_tracker *ft, const char *marker);
/* Search lag (clock ms), a real delay before every create's answer (ms),
 * and how long a FAKE_FAULT_SLOW create waits (real ms). */
void fake_tracker_timing(struct fake_tracker *ft, long search_lag_ms, int create_delay_ms,
			 int slow_ms);
/* How many creates the server stored. */
size_t fake_tracker_stored(struct fake_tracker *ft);
/* How many creates carrying marker the server stored. */
size_t fake_tracker_stored_with(struct fake_tracker *ft, const char *marker);
/* The key of the first issue carrying marker, as the client names it
 * ("acme/pay#3", "OPS-403"; owned), NULL when none. */
char *fake_tracker_key_with(struct fake_tracker *ft, const char *marker);
/* GitLab's view of issue number closed: how is "closed", "duplicate"
 * (closed with /duplicate) or "moved" (to another project). */
void fake_tracker_close(struct fake_tracker *ft, int number, const char *how);
/* A postmortem kept as a GitLab issue of project acme/pay (number 0: a
 * new one; else that issue edited): labels comma-separated, updated its
 * update time (ISO 8601), incident its issue type. Returns its iid. */
int fake_tracker_gitlab_issue(struct fake_tracker *ft, int number, const char *title,
			      const char *body, const char *labels, const char *updated,
			      bool incident);
/* The project listings page by size (0: one page). */
void fake_tracker_page_size(struct fake_tracker *ft, int size);
/* The one scope GitLab says the token has (NULL: api). */
void fake_tracker_gitlab_scope(struct fake_tracker *ft, const char *scope);
/* A fault's name ("drop", "slow-late", ...), for reports. */
const char *fake_tracker_fault_name(enum fake_fault fault);

#endif
