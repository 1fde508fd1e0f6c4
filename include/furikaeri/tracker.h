#ifndef FURIKAERI_TRACKER_H
#define FURIKAERI_TRACKER_H

#include <stdbool.h>
#include <stddef.h>

#include "furikaeri/config.h"
#include "furikaeri/http.h"
#include "furikaeri/store.h"

/* Tickets in GitHub Issues and Jira (Cloud REST v3, Data Center REST v2),
 * and the durable outbox that files them. Every string in a returned
 * struct is owned by it; release it with the matching _release/_free.
 *
 * No measure ever gets two tickets, nor a new postmortem filed as an issue
 * (`new --tracker`) two issues: the outbox row is written before the
 * request; each ticket carries the measure's marker (GitHub: an HTML
 * comment in the body; Jira: a label, merged with any configured labels);
 * the outbox's state machine (outbox.h) decides when a create may go out
 * and when the marker must be looked up first.
 *
 * Background filing uses a worker thread rather than curl multi driven
 * from the UI loop: the worker owns its own SQLite connection and its own
 * libcurl handle, so the UI never blocks on the network or on the retry
 * and pacing sleeps (which can be a minute under GitHub's secondary rate
 * limit), and the same synchronous code path serves `tickets push` and the
 * meeting alike. The UI only kicks the worker and polls its events. */

enum tracker_kind {
	TRACKER_GITHUB,
	TRACKER_JIRA,
	TRACKER_GITLAB,
	TRACKER_LINEAR,
	/* Confluence Cloud's REST v2: a source of postmortems and where
	 * `new --to confluence` puts one; never a measure's tracker */
	TRACKER_CONFLUENCE,
	TRACKER_KIND_COUNT
};

/* The one name table (tracker_kind.c): "github", "jira", "linear". */
const char *tracker_kind_name(enum tracker_kind kind);
bool tracker_kind_parse(const char *name, enum tracker_kind *out);
/* Whether a measure can be filed there (Confluence only takes pages). */
bool tracker_kind_files_measures(enum tracker_kind kind);
/* Every name a measure can go to, for messages: "github or jira". */
const char *tracker_kind_list(void);

struct tracker_options {
	const struct http_clock *clock;	/* NULL: the real clock (tests inject one) */
	long connect_timeout_ms;	/* 0: from the config */
	long timeout_ms;		/* 0: from the config */
	/* Longer waits (a long Retry-After) are not slept through: the row
	 * goes back to queued with next_attempt_at. 0: 120 s. */
	long max_inline_wait_ms;
	/* How long an unknown outcome waits before it is looked up. 0: from
	 * the config ([tracker] recheck_seconds). Never below the tracker's
	 * floor (tracker_recheck_ms). */
	long recheck_ms;
	/* How long a claim holds. 0: deliver_lease_ms of the longest request
	 * the timeouts and max_inline_wait_ms above allow (tests set it). */
	long lease_ms;
};

/* What a ticket is made from. Borrowed strings; NULL when unknown. */
struct tracker_input {
	const char *marker;
	const char *title;		/* the agreed measure */
	const char *owner;		/* display name, mapped through [people] */
	const char *due;
	const char *week;
	const char *pm_id;
	const char *pm_title;
	const char *pm_source;
	const char *pm_severity;
	/* A postmortem filed as an issue (`new --tracker`): the body as it is
	 * (the filled template; NULL for a measure's ticket) and the one label
	 * it carries besides the marker. */
	const char *body;
	const char *label;
};

struct tracker_issue {
	char *key;		/* "acme/pay#812", "OPS-412" */
	char *url;		/* for people */
	bool done;		/* GitHub closed, Jira status category "done" */
	bool dropped;		/* closed as not planned, duplicate, won't do */
	char *status;		/* the tracker's own word: "open", "In Progress" */
	bool adopted;		/* found by marker instead of created */
};

void tracker_issue_release(struct tracker_issue *issue);

enum tracker_result {
	TRACKER_OK,		/* done */
	TRACKER_LATER,		/* temporary trouble; nothing was created: try later */
	TRACKER_REFUSED,	/* the server or the config says no: a person must act */
	TRACKER_UNKNOWN,	/* may have been created: looked up before any resend */
	TRACKER_BUSY,		/* another furikaeri holds the row */
	TRACKER_WAITING,	/* no tracker or no token yet: stays queued */
};

struct tracker;

/* The tracker a ticket goes to by default: [tracker] default, else GitHub
 * when only GitHub is set up, else Jira; NULL when none is (static). */
const char *tracker_default_name(const struct config *cfg);

/* A connection to one tracker, configured from cfg (borrowed, must outlive
 * it). Reads the token (never stored elsewhere, registered with the log
 * for redaction). NULL with *err when the tracker is not configured or has
 * no token. */
struct tracker *tracker_new(const struct config *cfg, enum tracker_kind kind,
			    const struct tracker_options *opts, char **err);
void tracker_free(struct tracker *t);

/* Reads a ticket's state by key. */
enum tracker_result tracker_get(struct tracker *t, const char *key, struct tracker_issue *out,
				char **err);
/* Looks for the ticket carrying marker through every means the tracker
 * has (GitHub: search, then the token's own issues since since, an ISO
 * 8601 time or NULL; Jira: search/jql); *found false when there is none. */
enum tracker_result tracker_find(struct tracker *t, const char *marker, const char *since,
				 bool *found, struct tracker_issue *out, char **err);
/* Checks the token: GitHub GET /user, Jira GET /rest/api/N/myself. *who is
 * the login or display name (owned). */
enum tracker_result tracker_myself(struct tracker *t, char **who, char **err);
/* Jira only: checks through create metadata that the project and issue
 * type exist and that every field the create screen requires is set by
 * the config; *problems gets one line per missing field (owned, NULL when
 * none). */
enum tracker_result tracker_jira_check_create(struct tracker *t, char **problems, char **err);
/* GitLab only, for doctor: the token has the api scope (GET
 * /personal_access_tokens/self), the project answers, every label of
 * [gitlab] labels exists; *problems says what does not hold (owned, NULL
 * when all does). */
enum tracker_result tracker_gitlab_check(struct tracker *t, char **problems, char **err);
/* Linear: whether [linear] team exists and its labels do (*problems, owned,
 * NULL when all is well). */
enum tracker_result tracker_linear_check(struct tracker *t, char **problems, char **err);
/* The id a Linear issue filed for marker is created with: a UUID made from
 * the marker alone (owned). */
char *tracker_linear_issue_id(const char *marker);

/* The shortest wait, in seconds, before a lookup by marker after an
 * unknown outcome, and between two lookups: the lag of kind's search
 * behind its writes (tracker.c cites where the figures come from). */
long tracker_recheck_floor_s(enum tracker_kind kind);
/* The wait in force for kind: opts->recheck_ms (may be NULL) or [tracker]
 * recheck_seconds, never below kind's floor. */
long tracker_recheck_ms(const struct config *cfg, const struct tracker_options *opts,
			enum tracker_kind kind);
/* When [tracker] recheck_seconds is below kind's floor, or within twice
 * it: "FILE:LINE: ..." saying so and what is used (owned); else NULL. */
char *tracker_recheck_note(const struct config *cfg, enum tracker_kind kind);

/* The Jira label or GitHub body line that carries a marker (owned). */
char *tracker_marker_label(const char *marker);

/* One line of a push, sync or file run, for the CLI to print. */
struct tracker_outcome {
	long long measure_id;	/* 0 for a postmortem issue */
	long long outbox_id;
	enum tracker_result result;
	char *key;
	char *url;
	char *message;		/* what happened, for a person */
};

struct tracker_outcomes {
	struct tracker_outcome *items;
	size_t n;
};

void tracker_outcomes_free(struct tracker_outcomes *out);

/* Queues a measure for a ticket (the row first; sending comes later).
 * tracker NULL means [tracker] default, else GitHub when only GitHub is
 * configured, and so on; with none (cfg may be NULL) the row waits for
 * one. Returns 1 when the measure already has a ticket, 0 when it is
 * queued or already on its way, -1 on error; *msg (owned) says which for
 * a person ("already filed as OPS-412", "waiting for a tracker: ..."). */
int tracker_queue(struct store *st, const struct config *cfg, long long measure_id,
		  const char *tracker, char **msg, char **err);
/* Runs every row that is due (what the worker does): claims it, looks it
 * up or sends it as the outbox decides. Rows refused or failed wait for a
 * person. Returns -1 only when the store fails. */
int tracker_run_due(struct store *st, const struct config *cfg,
		    const struct tracker_options *opts, struct tracker_outcomes *out, char **err);
/* Queues again every refused or failed row (the user asked), then runs
 * tracker_run_due. Returns -1 only when the store fails; per-row results
 * are in out. */
int tracker_push_all(struct store *st, const struct config *cfg,
		     const struct tracker_options *opts, struct tracker_outcomes *out, char **err);
/* Queues and sends one measure (`furikaeri tickets file`). */
int tracker_file_one(struct store *st, const struct config *cfg,
		     const struct tracker_options *opts, long long measure_id,
		     const char *tracker, struct tracker_outcome *out, char **err);
/* Queues a new postmortem (pm_id, title, severity may be NULL, body: the
 * filled template) as an issue and sends it at once when a tracker is
 * configured (`furikaeri new --tracker`); with none it waits in the
 * outbox for `tickets push`. tracker NULL: the default. *row is the
 * outbox row. Returns -1 only when the store fails. */
int tracker_file_postmortem(struct store *st, const struct config *cfg,
			    const struct tracker_options *opts, const char *pm_id,
			    const char *title, const char *severity, const char *body,
			    const char *tracker, long long *row, struct tracker_outcome *out,
			    char **err);
/* Reads back every filed ticket's state and sets its measure open, done
 * or dropped (closed as not planned or duplicate, resolved as won't do). */
int tracker_sync_all(struct store *st, const struct config *cfg,
		     const struct tracker_options *opts, struct tracker_outcomes *out, char **err);

/* `furikaeri doctor`: one check per line, in plain words. */
struct tracker_check {
	bool ok;
	bool warn;		/* ok, but worth a look (printed "warn") */
	char *text;
};

struct tracker_checks {
	struct tracker_check *items;
	size_t n;
};

void tracker_checks_free(struct tracker_checks *checks);
/* Fills checks (config, tokens, authentication, Jira project, issue type
 * and required fields). Returns the number of failed checks. */
size_t tracker_doctor(const struct config *cfg, const struct tracker_options *opts,
		      struct tracker_checks *checks);

/* The background worker (see the top of this header). */
enum tracker_event_kind {
	TRACKER_EVENT_SENDING,
	TRACKER_EVENT_FILED,
	TRACKER_EVENT_LATER,	/* back to queued, retried later by itself */
	TRACKER_EVENT_REFUSED,	/* queued with the server's reason; needs a person */
	TRACKER_EVENT_FAILED,
	TRACKER_EVENT_UNKNOWN,	/* may have been filed; looked up by marker later */
	TRACKER_EVENT_WAITING,	/* no tracker or token configured: stays queued */
};

struct tracker_event {
	long long measure_id;
	enum tracker_event_kind kind;
	char *key;		/* FILED */
	char *url;		/* FILED */
	char *message;		/* what happened, for a person (every kind) */
	char *title;		/* the measure's text */
};

struct tracker_worker;

/* Starts the worker on the database at db_path (opened again by the
 * worker). cfg is borrowed and must outlive the worker. It runs what is
 * due at once (tracker_run_due: rows whose lease ran out go through the
 * lookups), then waits for tracker_worker_kick or the next planned retry
 * or lookup. */
struct tracker_worker *tracker_worker_start(const char *db_path, const struct config *cfg,
					    const struct tracker_options *opts, char **err);
/* Says that new rows were queued. Never blocks on the network. */
void tracker_worker_kick(struct tracker_worker *w);
/* Takes the events since the last poll (owned array; free with
 * tracker_events_free). Never blocks on the network. */
struct tracker_event *tracker_worker_poll(struct tracker_worker *w, size_t *n);
void tracker_events_free(struct tracker_event *events, size_t n);
/* Whether the worker has nothing to do right now (for tests and a clean
 * quit). */
bool tracker_worker_idle(struct tracker_worker *w);
/* Stops the worker (waking any sleep; a request in flight finishes or
 * times out) and frees it. NULL is a no-op. */
void tracker_worker_stop(struct tracker_worker *w);

#endif
