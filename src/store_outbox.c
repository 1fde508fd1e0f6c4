#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/err.h"
#include "furikaeri/store_outbox.h"
#include "furikaeri/xalloc.h"
#include "store_private.h"

#define ITEM_SELECT \
	"SELECT o.id, o.measure_id, o.tracker, o.state, o.attempts, o.last_error," \
	" o.ticket_key, o.ticket_url, o.queued_at, o.updated_at, o.next_attempt_at," \
	" m.marker, m.title, m.owner, m.due, m.status," \
	" p.id, p.title, p.source, p.severity," \
	" (SELECT mt.week FROM minutes mi JOIN meetings mt ON mt.id = mi.meeting_id" \
	"   WHERE mi.measure_id = m.id ORDER BY mi.id LIMIT 1)" \
	" FROM ticket_outbox o JOIN measures m ON m.id = o.measure_id" \
	" LEFT JOIN postmortems p ON p.id = m.postmortem_id "

static void
read_item(sqlite3_stmt *stmt, struct store_outbox_item *it)
{
	*it = (struct store_outbox_item){
		.id = sqlite3_column_int64(stmt, 0),
		.measure_id = sqlite3_column_int64(stmt, 1),
		.tracker = store_column_dup(stmt, 2),
		.state = store_column_dup(stmt, 3),
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
	};
}

void
store_outbox_item_release(struct store_outbox_item *it)
{
	if (it == NULL)
		return;
	free(it->tracker);
	free(it->state);
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
store_outbox_queue(struct store *st, long long measure_id, const char *tracker, bool *already,
		   char **err)
{
	sqlite3_stmt *stmt;
	char *now = store_now();
	int rc;

	*already = false;
	if (store_begin(st, err) < 0) {
		free(now);
		return -1;
	}
	stmt = store_prepare(st, "SELECT m.id, o.id FROM measures m"
			     " LEFT JOIN ticket_outbox o ON o.measure_id = m.id WHERE m.id = ?", err);
	if (stmt == NULL)
		goto fail;
	sqlite3_bind_int64(stmt, 1, measure_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*already = sqlite3_column_type(stmt, 1) != SQLITE_NULL;
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW) {
		err_set(err, "there is no measure %lld; measure ids are those shown by "
			"furikaeri show ID --json", measure_id);
		goto fail;
	}
	stmt = store_prepare(st, *already
		? "UPDATE ticket_outbox SET tracker = ?2, state = 'queued', last_error = NULL,"
		  " next_attempt_at = NULL, updated_at = ?3"
		  " WHERE measure_id = ?1 AND state IN ('queued', 'failed')"
		: "INSERT INTO ticket_outbox (measure_id, tracker, state, queued_at, updated_at)"
		  " VALUES (?1, ?2, 'queued', ?3, ?3)", err);
	if (stmt == NULL)
		goto fail;
	sqlite3_bind_int64(stmt, 1, measure_id);
	sqlite3_bind_text(stmt, 2, tracker, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, now, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot queue the ticket");
		goto fail;
	}
	free(now);
	return store_commit(st, err);
fail:
	free(now);
	store_rollback(st);
	return -1;
}

static int
select_items(struct store *st, const char *sql, long long arg, struct store_outbox_items *out,
	     char **err)
{
	sqlite3_stmt *stmt = store_prepare(st, sql, err);
	int rc;

	out->items = NULL;
	out->n = 0;
	if (stmt == NULL)
		return -1;
	if (arg != 0)
		sqlite3_bind_int64(stmt, 1, arg);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		out->items = xreallocarray(out->items, out->n + 1, sizeof(*out->items));
		read_item(stmt, &out->items[out->n++]);
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
				: ITEM_SELECT "WHERE o.state != 'filed' ORDER BY o.id",
			    0, out, err);
}

int
store_outbox_get(struct store *st, long long measure_id, struct store_outbox_item *out,
		 bool *found, char **err)
{
	struct store_outbox_items items;

	*found = false;
	memset(out, 0, sizeof(*out));
	if (select_items(st, ITEM_SELECT "WHERE o.measure_id = ?1", measure_id, &items, err) < 0)
		return -1;
	if (items.n > 0) {
		*out = items.items[0];
		*found = true;
		items.n = 0;
	}
	free(items.items);
	return 0;
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
		const char *state = (const char *)sqlite3_column_text(stmt, 0);
		size_t n = (size_t)sqlite3_column_int64(stmt, 1);

		if (strcmp(state, "queued") == 0)
			out->queued = n;
		else if (strcmp(state, "sending") == 0)
			out->sending = n;
		else if (strcmp(state, "filed") == 0)
			out->filed = n;
		else
			out->failed = n;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot count the ticket outbox");
		return -1;
	}
	return 0;
}

/* Runs one UPDATE with ?1 = id and text parameters ?2.. in order. */
static int
update(struct store *st, const char *sql, long long id, const char *a, const char *b,
       const char *c, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st, sql, err);
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_text(stmt, 2, a, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, b, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, c, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot update the ticket outbox");
		return -1;
	}
	return 0;
}

int
store_outbox_mark_sending(struct store *st, long long id, char **err)
{
	char *now = store_now();
	int rc = update(st, "UPDATE ticket_outbox SET state = 'sending', attempts = attempts + 1,"
			" updated_at = ?2 WHERE id = ?1 AND state != 'filed'",
			id, now, NULL, NULL, err);

	free(now);
	return rc;
}

int
store_outbox_mark_filed(struct store *st, long long id, const char *key, const char *url,
			char **err)
{
	char *now = store_now();

	if (store_begin(st, err) < 0)
		goto fail;
	if (update(st, "UPDATE ticket_outbox SET state = 'filed', ticket_key = ?2,"
		   " ticket_url = ?3, last_error = NULL, next_attempt_at = NULL, updated_at = ?4"
		   " WHERE id = ?1", id, key, url, now, err) < 0 ||
	    update(st, "UPDATE measures SET ticket = ?2, ticket_url = ?3"
		   " WHERE id = (SELECT measure_id FROM ticket_outbox WHERE id = ?1)",
		   id, key, url, NULL, err) < 0) {
		store_rollback(st);
		goto fail;
	}
	free(now);
	return store_commit(st, err);
fail:
	free(now);
	return -1;
}

int
store_outbox_mark_queued(struct store *st, long long id, const char *reason,
			 const char *next_attempt_at, char **err)
{
	char *now = store_now();
	int rc = update(st, "UPDATE ticket_outbox SET state = 'queued', last_error = ?2,"
			" next_attempt_at = ?3, updated_at = ?4 WHERE id = ?1 AND state != 'filed'",
			id, reason, next_attempt_at, now, err);

	free(now);
	return rc;
}

int
store_outbox_mark_failed(struct store *st, long long id, const char *reason, char **err)
{
	char *now = store_now();
	int rc = update(st, "UPDATE ticket_outbox SET state = 'failed', last_error = ?2,"
			" next_attempt_at = NULL, updated_at = ?3 WHERE id = ?1 AND state != 'filed'",
			id, reason, now, NULL, err);

	free(now);
	return rc;
}

int
store_outbox_set_measure_status(struct store *st, long long measure_id, const char *status,
				char **err)
{
	char *now = store_now();
	int rc = update(st, "UPDATE measures SET status = ?2,"
			" done_at = CASE WHEN ?2 = 'done' THEN coalesce(done_at, ?3) END"
			" WHERE id = ?1 AND status != ?2 AND status != 'not_doing'",
			measure_id, status, now, NULL, err);

	free(now);
	return rc;
}
