#ifndef FURIKAERI_TRACKER_PRIVATE_H
#define FURIKAERI_TRACKER_PRIVATE_H

#include <jansson.h>

#include "furikaeri/http.h"
#include "furikaeri/retry.h"
#include "furikaeri/store_outbox.h"
#include "furikaeri/tracker.h"

/* Shared by tracker.c and the backends; jansson types stay inside them. */

/* How one API call ended. */
enum tracker_call {
	TRACKER_CALL_OK,	/* 2xx */
	TRACKER_CALL_UNKNOWN,	/* the server may have acted (timeout, drop, 5xx) */
	TRACKER_CALL_LATER,	/* not acted on; try later */
	TRACKER_CALL_REFUSED,	/* 4xx or policy: a person must act */
};

struct tracker_ops;
struct tracker_checks;
struct http_options;

struct tracker {
	enum tracker_kind kind;
	const struct config *cfg;
	const struct tracker_ops *ops;
	char *base;		/* API root, no trailing slash */
	char *site;		/* for people's links (Jira /browse) */
	/* The Authorization header line, wiped on free; NULL when the client
	 * sends Basic credentials (Jira Cloud). */
	char *auth;
	struct http_client *http;
	const struct http_clock *clock;
	long max_inline_wait_ms;
	long long last_write_ms;
	bool wrote;
	unsigned int seed;
	char *login;		/* GitHub: the token's login, once asked */
	json_t *cache;		/* Linear: team and label ids, resolved once a run */
	/* Called before every write after the first of one call (an inline
	 * retry): false stops it (the outbox lost its claim). NULL: none. */
	bool (*may_send)(void *ctx);
	void *may_send_ctx;
};

/* One kind of tracker: what tracker.c needs to know of it is here, so a
 * new tracker is one backend file and one row of the kinds table. */
struct tracker_ops {
	const char *name;		/* "GitHub", "Jira" */
	/* The search lag a lookup by marker must wait out (see tracker.c). */
	long recheck_floor_s;
	/* Whether cfg has this tracker's section. */
	bool (*configured)(const struct config *cfg);
	/* What cfg lacks for this tracker (owned message naming where), or
	 * NULL when it has what tracker_new needs. */
	char *(*config_problem)(const struct config *cfg, const char *where);
	/* The configured server URL, checked against http_url_allowed. */
	const char *(*url)(const struct config *cfg);
	/* Sets t->base (and t->site) from t->cfg; returns the Authorization
	 * header line (owned) or NULL after setting ho's credentials. */
	char *(*connect)(struct tracker *t, const char *token, struct http_options *ho);
	/* The config keys to update when the server says it moved. */
	const char *moved_keys;
	/* Advice for an HTTP status this tracker words its own way, or NULL. */
	const char *(*advice)(long status);
	/* doctor's first line once the tracker is made (owned). */
	char *(*describe)(const struct tracker *t);
	/* doctor's checks beyond authentication, or NULL. */
	void (*doctor)(struct tracker *t, struct tracker_checks *checks);
	/* Whether a ticket key has this tracker's shape, for rows delivered
	 * before the outbox recorded the tracker; NULL: never guessed. */
	bool (*key_shape)(const char *key);
	const char *const *headers;	/* extra header lines, NULL-terminated */
	bool github_limits;		/* GitHub's 403 rate limits and write pacing */
	/* Whether an error body says the rate limit was hit (a 4xx that is
	 * then later, not refused); NULL: the status alone says. */
	bool (*rate_limited)(json_t *body);
	/* The server's own error text from an error body (owned, NULL when none). */
	char *(*error_text)(json_t *body);
	enum tracker_call (*create)(struct tracker *t, const struct tracker_input *in,
				    int *attempt, struct tracker_issue *out, long *wait_ms,
				    char **err);
	enum tracker_call (*get)(struct tracker *t, const char *key, struct tracker_issue *out,
				 char **err);
	/* One round of lookups by marker through every means the tracker has;
	 * OK only when each answered (a failed one is no lookup). since: when
	 * the first create went out (ISO 8601), or NULL. */
	enum tracker_call (*find)(struct tracker *t, const char *marker, const char *since,
				  bool *found, struct tracker_issue *out, char **err);
	/* Rounds that must all miss, recheck_seconds apart, before a resend. */
	int lookups_needed;
	/* Fills out (owned strings) from an issue the server returned. */
	void (*issue)(struct tracker *t, json_t *j, struct tracker_issue *out);
	enum tracker_call (*myself)(struct tracker *t, char **who, char **err);
};

extern const struct tracker_ops tracker_github_ops;
extern const struct tracker_ops tracker_jira_ops;
extern const struct tracker_ops tracker_confluence_ops;
extern const struct tracker_ops tracker_gitlab_ops;

/* GitLab: "/projects/ID" of [gitlab] project, its path URL-encoded as
 * one segment (owned). */
char *tracker_gitlab_project_path(const struct tracker *t);
extern const struct tracker_ops tracker_linear_ops;

/* A lookup that searched and listed: OK when found; else the search's
 * failure, then the listing's, with its message in *err. */
enum tracker_call tracker_find_outcome(bool found, enum tracker_call search,
				       enum tracker_call listing, const char *search_err,
				       const char *list_err, char **err);
/* GET path and its string member field as *who (owned): the account the
 * token authenticates as. */
enum tracker_call tracker_whoami(struct tracker *t, const char *path, const char *field,
				 char **who, char **err);

/* The kind's row (tracker.c's table). */
const struct tracker_ops *tracker_ops_of(enum tracker_kind kind);
/* Adds one doctor line (text owned by checks). */
void tracker_check_add(struct tracker_checks *c, bool ok, char *text);
/* A copy of url without trailing slashes. */
char *tracker_trim_slash(const char *url);

/* Sends METHOD base+path with body (borrowed, may be NULL) through the one
 * transfer loop (http_call.h), following the retry policy and GitHub's
 * pacing. idempotent: the request may be sent twice (a lookup); a create
 * is not, so an unknown outcome returns at once and the create can look
 * before resending; *attempt counts attempts across such calls. On OK,
 * *json is the parsed answer (owned, NULL when empty). *wait_ms: how long
 * to wait before trying again (UNKNOWN, LATER). Messages name the
 * request, the status and the server's own words. */
enum tracker_call tracker_call(struct tracker *t, const char *method, const char *path,
			       json_t *body, bool idempotent, int *attempt, json_t **json,
			       long *wait_ms, char **err);

/* Room for the header lines tracker_headers fills, the NULL included. */
#define TRACKER_MAX_HEADERS 12
/* Fills headers with the tracker's Authorization line (when it has one),
 * its fixed lines and, when json, the JSON content type; NULL-terminated;
 * the lines are borrowed from t. */
void tracker_headers(const struct tracker *t, bool json, const char **headers);

/* Reads the final answer to METHOD shown (the path for messages): e and
 * perr (may be NULL) as http_perform left them, *d the retry policy's
 * decision about it. On 2xx, TRACKER_CALL_OK with *json the parsed body
 * (owned, NULL when empty or not JSON). Otherwise *err says what the
 * server said (sanitized), and the result what giving up now means; *d
 * is rewritten for a 2xx ("done") or a redirect ("moved"). */
enum tracker_call tracker_interpret(struct tracker *t, const char *method, const char *shown,
				    enum http_error e, const char *perr,
				    const struct http_response *resp, json_t **json,
				    struct retry_decision *d, char **err);
/* tracker_interpret after deciding on attempt number attempt, for the fuzz
 * harness, which feeds answers without a loop. */
enum tracker_call tracker_answer(struct tracker *t, const char *method, const char *shown,
				 int attempt, enum http_error e, const char *perr,
				 const struct http_response *resp, json_t **json,
				 struct retry_decision *d, char **err);

/* The ticket text as paragraphs (owned NULL-terminated array; free with
 * tracker_lines_free): where it came from, the agreed text, owner (handle
 * when mapped, else the name and why it is not assigned), due date. */
char **tracker_body_lines(const struct tracker_input *in, const char *owner_handle,
			  const char *unmapped_note);
void tracker_lines_free(char **lines);
/* Confluence, for doctor: the id of [confluence] space (owned, NULL when
 * not OK), and the title of [confluence] parent (owned), which must be a
 * page of that space (space: its id, or NULL). */
enum tracker_call tracker_confluence_space(struct tracker *t, char **id, char **err);
enum tracker_call tracker_confluence_parent(struct tracker *t, const char *space, char **title,
					    char **err);
/* Whether a Jira resolution ("Won't Do", "Duplicate", ...) means the work
 * was not done. */
bool tracker_jira_resolution_dropped(const char *name);
/* A string member of obj or NULL (borrowed). */
const char *tracker_json_str(json_t *obj, const char *key);

/* The trackers of one run, made when first needed. */
struct tracker_set {
	const struct config *cfg;
	const struct tracker_options *opts;
	struct tracker *t[TRACKER_KIND_COUNT];
	char *error[TRACKER_KIND_COUNT];
};

/* Borrowed; NULL with *why (borrowed) when that tracker cannot be used. */
struct tracker *tracker_set_get(struct tracker_set *set, enum tracker_kind kind,
				const char **why);
void tracker_set_release(struct tracker_set *set);
/* The longest one request of a tracker made from cfg and opts can take,
 * inline retries included (deliver_longest_request_ms of the timeouts and
 * the inline wait tracker_new uses): what a claim's lease must cover, and
 * how long a row taken over waits before its first lookup. */
long tracker_longest_request_ms(const struct config *cfg, const struct tracker_options *opts);
/* The tracker a row goes to: its own, else the default; false when none
 * is configured. */
bool tracker_for_row(const struct config *cfg, const char *row_tracker, enum tracker_kind *kind);
/* Runs one outbox row through the state machine (outbox.c) and records
 * each step in the store. Fills oc (owned strings). Returns -1 only when
 * the store fails. */
int outbox_run_item(struct store *st, struct tracker_set *set,
		    const struct store_outbox_item *it, const char *owner,
		    struct tracker_outcome *oc, char **err);

#endif
