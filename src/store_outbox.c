#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/err.h"
#include "furikaeri/store_outbox.h"
#include "furikaeri/xalloc.h"
#include "store_private.h"

#define ITEM_SELECT \
	"SELECT o.id, o.measure_id, o.tracker, o.state, o.attempts, o.last_error," \
	" o.ticket_key, o.ticket_url, o.queued_at, o.updated_at, o.next_attempt_at," \
	" coalesce(m.marker, o.issue_marker), coalesce(m.title, o.issue_title), m.owner, m.due," \
	" m.status, coalesce(p.id, o.issue_pm_id), coalesce(p.title, o.issue_title), p.source," \
	" coalesce(p.severity, o.issue_severity)," \
	" (SELECT mt.week FROM minutes mi JOIN meetings mt ON mt.id = mi.meeting_id" \
	"   WHERE mi.measure_id = m.id ORDER BY mi.id LIMIT 1)," \
	" o.claimed_by, o.lease_until, o.look_first, o.misses, o.sent_at, o.kind, o.issue_body" \
	" FROM ticket_outbox o LEFT JOIN measures m ON m.id = o.measure_id" \
	" LEFT JOIN postmortems p ON p.id = m.postmortem_id "

const char *
store_outbox_state_word(enum deliver_state state)
{
	/* people file a ticket; "delivered" is the engine's word */
	return state == DELIVER_DELIVERED ? "filed" : deliver_state_name(state);
}

bool
store_outbox_state_word_parse(const char *word, enum deliver_state *out)
{
	if (word == NULL)
		return false;
	if (strcmp(word, store_outbox_state_word(DELIVER_DELIVERED)) == 0) {
		*out = DELIVER_DELIVERED;
		return true;
	}
	/* minutes of a furikaeri from before the outbox's state machine */
	if (strcmp(word, "sending") == 0) {
		*out = DELIVER_UNKNOWN;
		return true;
	}
	return deliver_state_parse(word, out);
}

char *
store_outbox_column_word(sqlite3_stmt *stmt, int outbox_state, int recorded)
{
	const char *name = (const char *)sqlite3_column_text(stmt, outbox_state);
	enum deliver_state state;

	if (name == NULL)
		return store_column_dup(stmt, recorded);
	if (!deliver_state_parse(name, &state))
		return xstrdup(name);
	return xstrdup(store_outbox_state_word(state));
}

/* false when the row's state is none this furikaeri knows */
static bool
read_item(sqlite3_stmt *stmt, struct store_outbox_item *it)
{
	enum deliver_state state = DELIVER_QUEUED;
	bool known = deliver_state_parse((const char *)sqlite3_column_text(stmt, 3), &state);

	*it = (struct store_outbox_item){
		.id = sqlite3_column_int64(stmt, 0),
		.measure_id = sqlite3_column_int64(stmt, 1),
		.tracker = store_column_dup(stmt, 2),
		.state = state,
		.attempts = sqlite3_column_int(stmt, 4),
		.last_error = store_column_dup(stmt, 5),
		.ticket_key = store_column_dup(stmt, 6),
		.ticket_url = store_column_dup(stmt, 7),
		.queued_at = store_column_dup(stmt, 8),
		.updated_at = store_column_dup(stmt, 9),
		.next_attempt_at = store_column_dup(stmt, 10),
		.marker = store_column_dup(stmt, 11),
		.title = store_column_dup(stmt, 12),
		.owner = store_column_dup(stmt, 13),
		.due = store_column_dup(stmt, 14),
		.measure_status = store_column_dup(stmt, 15),
		.pm_id = store_column_dup(stmt, 16),
		.pm_title = store_column_dup(stmt, 17),
		.pm_source = store_column_dup(stmt, 18),
		.pm_severity = store_column_dup(stmt, 19),
		.week = store_column_dup(stmt, 20),
		.claimed_by = store_column_dup(stmt, 21),
		.lease_until = store_column_dup(stmt, 22),
		.look_first = sqlite3_column_int(stmt, 23) != 0,
		.misses = sqlite3_column_int(stmt, 24),
		.sent_at = store_column_dup(stmt, 25),
		.kind = store_column_dup(stmt, 26),
		.body = store_column_dup(stmt, 27),
	};
	return known;
}

void
store_outbox_item_release(struct store_outbox_item *it)
{
	if (it == NULL)
		return;
	free(it->tracker);
	free(it->last_error);
	free(it->ticket_key);
	free(it->ticket_url);
	free(it->queued_at);
	free(it->updated_at);
	free(it->next_attempt_at);
	free(it->marker);
	free(it->title);
	free(it->owner);
	free(it->due);
	free(it->measure_status);
	free(it->pm_id);
	free(it->pm_title);
	free(it->pm_source);
	free(it->pm_severity);
	free(it->week);
	free(it->claimed_by);
	free(it->lease_until);
	free(it->sent_at);
	free(it->kind);
	free(it->body);
	memset(it, 0, sizeof(*it));
}

void
store_outbox_items_free(struct store_outbox_items *items)
{
	if (items == NULL)
		return;
	for (size_t i = 0; i < items->n; i++)
		store_outbox_item_release(&items->items[i]);
	free(items->items);
	items->items = NULL;
	items->n = 0;
}

int
store_outbox_queue(struct store *st, long long measure_id, const char *tracker, const char *now,
		   enum store_outbox_queued *result, char **key, char **err)
{
	sqlite3_stmt *stmt;
	long long row = 0;
	char *ticket_state = NULL;
	enum deliver_state state = DELIVER_QUEUED;
	bool has_row = false, look_first;
	int rc;

	*key = NULL;
	*result = STORE_OUTBOX_WAITING;
	if (store_begin(st, err) < 0)
		return -1;
	stmt = store_prepare(st, "SELECT o.id, o.state, coalesce(m.ticket, o.ticket_key),"
			     " m.ticket_state FROM measures m"
			     " LEFT JOIN ticket_outbox o ON o.measure_id = m.id WHERE m.id = ?", err);
	if (stmt == NULL)
		goto fail;
	sqlite3_bind_int64(stmt, 1, measure_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		row = sqlite3_column_int64(stmt, 0);
		has_row = sqlite3_column_type(stmt, 1) != SQLITE_NULL;
		if (has_row && !deliver_state_parse((const char *)sqlite3_column_text(stmt, 1),
						    &state)) {
			sqlite3_finalize(stmt);
			err_set(err, "%s: the ticket of measure %lld is in a state this furikaeri "
				"does not know; a newer furikaeri wrote it", st->path, measure_id);
			goto fail;
		}
		*key = store_column_dup(stmt, 2);
		ticket_state = store_column_dup(stmt, 3);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW) {
		err_set(err, "there is no measure %lld; measure ids are those shown by "
			"furikaeri actions --json", measure_id);
		goto fail;
	}
	if (*key != NULL || (has_row && state == DELIVER_DELIVERED)) {
		*result = STORE_OUTBOX_HAS_TICKET;
		goto done;
	}
	if (has_row && deliver_state_pending(state))
		goto done;	/* queued, claimed or unknown: it is on its way */
	if (has_row) {
		bool changed = false;

		if (store_outbox_move(st, &(struct store_outbox_move){
			    .id = row, .guard = STORE_OUTBOX_STOPPED, .now = now,
			    .to = DELIVER_QUEUED, .tracker = tracker, .retarget = true,
			    .look_first = -1, .misses = -1, .note = "queued again by a person" },
			    &changed, err) < 0)
			goto fail;
		*result = changed ? STORE_OUTBOX_AGAIN : STORE_OUTBOX_WAITING;
		goto done;
	}
	/* Minutes from another machine recorded a ticket state but no key: that
	 * machine may have filed it, so its marker is looked for first. */
	look_first = ticket_state != NULL;
	stmt = store_prepare_states(st, "INSERT INTO ticket_outbox (measure_id, tracker, state,"
				    " queued_at, updated_at, look_first, next_attempt_at)"
				    " VALUES (?1, ?2, " STORE_QUEUED ", ?3, ?3, ?4, NULL)", err);
	if (stmt == NULL)
		goto fail;
	sqlite3_bind_int64(stmt, 1, measure_id);
	store_bind_text(stmt, 2, tracker);
	store_bind_text(stmt, 3, now);
	sqlite3_bind_int(stmt, 4, look_first);
	if (store_step_done(st, stmt, "cannot queue the ticket", err) < 0)
		goto fail;
	row = sqlite3_last_insert_rowid(st->db);
	if (store_delivery_add_history(st, STORE_DELIVERY_TICKET, row, now, DELIVER_QUEUED, look_first
			? "queued; the minutes it came from say it was already being filed, so its "
			  "marker is looked for before any create"
			: "queued", err) < 0)
		goto fail;
	*result = STORE_OUTBOX_NEW;
done:
	free(ticket_state);
	return store_commit(st, err);
fail:
	free(ticket_state);
	free(*key);
	*key = NULL;
	store_rollback(st);
	return -1;
}

int
store_outbox_queue_issue(struct store *st, const char *pm_id, const char *title,
			 const char *severity, const char *body, const char *tracker,
			 const char *now, long long *row, char **marker, char **err)
{
	unsigned char raw[16];
	char buf[40];
	FILE *f = fopen("/dev/urandom", "rb");
	sqlite3_stmt *stmt;

	*row = 0;
	*marker = NULL;
	if (f == NULL || fread(raw, 1, sizeof(raw), f) != sizeof(raw)) {
		if (f != NULL)
			fclose(f);
		err_set(err, "%s: cannot read /dev/urandom for the issue's marker", st->path);
		return -1;
	}
	fclose(f);
	strcpy(buf, "pm-");
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(buf + 3 + 2 * i, 3, "%02x", raw[i]);
	if (store_begin(st, err) < 0)
		return -1;
	stmt = store_prepare_states(st, "INSERT INTO ticket_outbox (kind, tracker, state,"
				    " queued_at, updated_at, issue_marker, issue_pm_id, issue_title,"
				    " issue_body, issue_severity) VALUES ('postmortem', ?1, "
				    STORE_QUEUED ", ?2, ?2, ?3, ?4, ?5, ?6, ?7)", err);
	if (stmt == NULL)
		goto fail;
	store_bind_text(stmt, 1, tracker);
	store_bind_text(stmt, 2, now);
	store_bind_text(stmt, 3, buf);
	store_bind_text(stmt, 4, pm_id);
	store_bind_text(stmt, 5, title);
	store_bind_text(stmt, 6, body);
	store_bind_text(stmt, 7, severity);
	if (store_step_done(st, stmt, "cannot queue the postmortem's issue", err) < 0)
		goto fail;
	*row = sqlite3_last_insert_rowid(st->db);
	if (store_delivery_add_history(st, STORE_DELIVERY_TICKET, *row, now, DELIVER_QUEUED, "queued: a new postmortem filed as an issue",
			err) < 0)
		goto fail;
	if (store_commit(st, err) < 0)
		return -1;
	*marker = xstrdup(buf);
	return 0;
fail:
	*row = 0;
	store_rollback(st);
	return -1;
}

static int
select_items(struct store *st, const char *sql, long long arg, struct store_outbox_items *out,
	     char **err)
{
	sqlite3_stmt *stmt = store_prepare_states(st, sql, err);
	int rc;

	out->items = NULL;
	out->n = 0;
	if (stmt == NULL)
		return -1;
	if (arg != 0)
		sqlite3_bind_int64(stmt, 1, arg);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		out->items = xreallocarray(out->items, out->n + 1, sizeof(*out->items));
		if (!read_item(stmt, &out->items[out->n++])) {
			err_set(err, "%s: ticket row %lld is in state '%s', which this furikaeri "
				"does not know; a newer furikaeri wrote it", st->path,
				out->items[out->n - 1].id, sqlite3_column_text(stmt, 3));
			sqlite3_finalize(stmt);
			store_outbox_items_free(out);
			return -1;
		}
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read the ticket outbox");
		store_outbox_items_free(out);
		return -1;
	}
	return 0;
}

int
store_outbox_list(struct store *st, bool all, struct store_outbox_items *out, char **err)
{
	return select_items(st, all ? ITEM_SELECT "ORDER BY o.id"
				: ITEM_SELECT "WHERE o.state != " STORE_DELIVERED " ORDER BY o.id",
			    0, out, err);
}

/* The one row sql (ITEM_SELECT and a WHERE on ?1 = id) picks. */
static int
one_item(struct store *st, const char *sql, long long id, struct store_outbox_item *out,
	 bool *found, char **err)
{
	struct store_outbox_items items;

	*found = false;
	memset(out, 0, sizeof(*out));
	if (select_items(st, sql, id, &items, err) < 0)
		return -1;
	if (items.n > 0) {
		*out = items.items[0];
		*found = true;
		for (size_t i = 1; i < items.n; i++)
			store_outbox_item_release(&items.items[i]);
		items.n = 0;
	}
	free(items.items);
	return 0;
}

int
store_outbox_get(struct store *st, long long measure_id, struct store_outbox_item *out,
		 bool *found, char **err)
{
	return one_item(st, ITEM_SELECT "WHERE o.measure_id = ?1", measure_id, out, found, err);
}

int
store_outbox_get_row(struct store *st, long long row, struct store_outbox_item *out,
		     bool *found, char **err)
{
	return one_item(st, ITEM_SELECT "WHERE o.id = ?1", row, out, found, err);
}

int
store_outbox_counts(struct store *st, struct store_outbox_counts *out, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"SELECT state, count(*) FROM ticket_outbox GROUP BY state", err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (stmt == NULL)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		enum deliver_state state;

		if (!deliver_state_parse((const char *)sqlite3_column_text(stmt, 0), &state)) {
			sqlite3_finalize(stmt);
			err_set(err, "%s: a ticket row is in state '%s', which this furikaeri does "
				"not know", st->path, sqlite3_column_text(stmt, 0));
			return -1;
		}
		out->by_state[state] = (size_t)sqlite3_column_int64(stmt, 1);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot count the ticket outbox");
		return -1;
	}
	return 0;
}

/* The states are parameters bound from deliver.c's names
 * (store_prepare_states). DUE is deliver_due's rule for queued and unknown
 * rows; a claimed row is taken over only by EXPIRED or ORPHANED, after
 * deliver_due said so. */
static const char *const guards[] = {
	[STORE_OUTBOX_DUE] = "(state IN (" STORE_QUEUED ", " STORE_UNKNOWN ") AND"
			     " coalesce(next_attempt_at, '') <= ?2)",
	[STORE_OUTBOX_MINE] = "state = " STORE_CLAIMED " AND claimed_by = ?3"
			      " AND lease_until > ?2",
	[STORE_OUTBOX_HELD] = "state = " STORE_CLAIMED " AND claimed_by = ?3",
	[STORE_OUTBOX_EXPIRED] = "state = " STORE_CLAIMED " AND coalesce(lease_until, '') <= ?2",
	[STORE_OUTBOX_STOPPED] = "state IN (" STORE_REFUSED ", " STORE_FAILED ")",
	[STORE_OUTBOX_ORPHANED] = "state = " STORE_CLAIMED " AND claimed_by = ?3",
};

int
store_outbox_move(struct store *st, const struct store_outbox_move *mv, bool *changed,
		  char **err)
{
	bool claiming = mv->to == DELIVER_CLAIMED;
	char *sql = xasprintf(
		"UPDATE ticket_outbox SET state = ?4, updated_at = ?2,"
		" claimed_by = %s, lease_until = ?5, next_attempt_at = ?6, last_error = ?7,"
		" look_first = CASE WHEN ?8 < 0 THEN look_first ELSE ?8 END,"
		" misses = CASE WHEN ?9 = -1 THEN misses WHEN ?9 = -2 THEN misses + 1 ELSE ?9 END,"
		" attempts = attempts + ?10,"
		" sent_at = CASE WHEN ?10 > 0 THEN coalesce(sent_at, ?2) ELSE sent_at END,"
		" ticket_key = coalesce(?11, ticket_key), ticket_url = coalesce(?12, ticket_url),"
		" tracker = CASE WHEN ?14 AND ?13 IS NOT NULL THEN ?13 ELSE coalesce(tracker, ?13) END"
		" WHERE id = ?1 AND %s",
		claiming ? "?3" : "NULL",
		guards[mv->guard]);
	sqlite3_stmt *stmt;

	*changed = false;
	if (store_begin(st, err) < 0) {
		free(sql);
		return -1;
	}
	stmt = store_prepare_states(st, sql, err);
	free(sql);
	if (stmt == NULL)
		goto fail;
	sqlite3_bind_int64(stmt, 1, mv->id);
	store_bind_text(stmt, 2, mv->now);
	store_bind_text(stmt, 3, mv->owner);
	store_bind_text(stmt, 4, deliver_state_name(mv->to));
	store_bind_text(stmt, 5, claiming ? mv->lease_until : NULL);
	store_bind_text(stmt, 6, mv->next_attempt_at);
	store_bind_text(stmt, 7, mv->error);
	sqlite3_bind_int(stmt, 8, mv->look_first);
	sqlite3_bind_int(stmt, 9, mv->misses);
	sqlite3_bind_int(stmt, 10, mv->sent ? 1 : 0);
	store_bind_text(stmt, 11, mv->key);
	store_bind_text(stmt, 12, mv->url);
	store_bind_text(stmt, 13, mv->tracker);
	sqlite3_bind_int(stmt, 14, mv->retarget);
	if (store_step_done(st, stmt, "cannot update the ticket outbox", err) < 0)
		goto fail;
	*changed = sqlite3_changes(st->db) == 1;
	if (*changed && mv->key != NULL) {
		stmt = store_prepare(st, "UPDATE measures SET ticket = ?2, ticket_url = ?3"
				     " WHERE id = (SELECT measure_id FROM ticket_outbox WHERE id = ?1)",
				     err);
		if (stmt == NULL)
			goto fail;
		sqlite3_bind_int64(stmt, 1, mv->id);
		store_bind_text(stmt, 2, mv->key);
		store_bind_text(stmt, 3, mv->url);
		if (store_step_done(st, stmt, "cannot record the ticket", err) < 0)
			goto fail;
	}
	if (*changed && store_delivery_add_history(st, STORE_DELIVERY_TICKET, mv->id, mv->now, mv->to, mv->note, err) < 0)
		goto fail;
	return store_commit(st, err);
fail:
	*changed = false;
	store_rollback(st);
	return -1;
}

int
store_outbox_set_measure_status(struct store *st, long long measure_id, const char *status,
				char **err)
{
	char *now = store_now();
	sqlite3_stmt *stmt = store_prepare(st, "UPDATE measures SET status = ?2,"
		" done_at = CASE WHEN ?2 = 'done' THEN coalesce(done_at, ?3) END"
		" WHERE id = ?1 AND status != ?2 AND status != 'not_doing'", err);
	int rc;

	if (stmt == NULL) {
		free(now);
		return -1;
	}
	sqlite3_bind_int64(stmt, 1, measure_id);
	store_bind_text(stmt, 2, status);
	store_bind_text(stmt, 3, now);
	rc = store_step_done(st, stmt, "cannot set the measure's status", err);
	free(now);
	return rc;
}
