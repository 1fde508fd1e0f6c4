/* The store's side of `furikaeri remind`: the measures due, and their
 * reminders queued once per measure and day. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/store_chat.h"
#include "furikaeri/store_delivery.h"
#include "furikaeri/store_remind.h"
#include "furikaeri/xalloc.h"
#include "store_private.h"

void
store_remind_rows_free(struct store_remind_rows *r)
{
	for (size_t i = 0; i < r->n; i++) {
		struct store_remind_row *x = &r->rows[i];

		free(x->marker);
		free(x->title);
		free(x->owner);
		free(x->due);
		free(x->ticket);
		free(x->ticket_url);
		free(x->week);
		free(x->chat_id);
		free(x->chat_handle);
	}
	free(r->rows);
	r->rows = NULL;
	r->n = 0;
}

int
store_remind_due(struct store *st, const char *until, const char *week, const char *service,
		 struct store_remind_rows *out, char **err)
{
	/* the action the measure was agreed as: its first entry in the minutes */
	sqlite3_stmt *stmt = store_prepare_states(st,
		"SELECT me.id, me.marker, me.title, me.owner, me.due,"
		"  COALESCE(o.ticket_key, me.ticket), COALESCE(o.ticket_url, me.ticket_url),"
		"  mi.meeting_id, COALESCE(mi.item_id, 0), mt.week, pe.chat_id, pe.chat_handle,"
		"  (SELECT r.id FROM chat_posts r WHERE r.item_id = mi.item_id AND r.kind = 'root'"
		"    AND r.service = ?3 AND r.state = " STORE_DELIVERED " ORDER BY r.id LIMIT 1)"
		" FROM measures me"
		" JOIN minutes mi ON mi.id = (SELECT min(x.id) FROM minutes x"
		"   WHERE x.measure_id = me.id AND x.kind = 'action')"
		" JOIN meetings mt ON mt.id = mi.meeting_id"
		" LEFT JOIN ticket_outbox o ON o.measure_id = me.id"
		" LEFT JOIN people pe ON pe.name = ltrim(me.owner, '@') COLLATE NOCASE"
		" WHERE me.status = 'open' AND me.agreed_at IS NOT NULL"
		"   AND trim(COALESCE(me.owner, '')) <> '' AND me.due IS NOT NULL AND me.due <= ?1"
		"   AND mi.deleted_at IS NULL AND (?2 IS NULL OR mt.week = ?2)"
		" ORDER BY me.due, me.id", err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, until);
	store_bind_text(stmt, 2, week);
	store_bind_text(stmt, 3, service);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_remind_row *x;

		out->rows = xreallocarray(out->rows, out->n + 1, sizeof(*out->rows));
		x = &out->rows[out->n++];
		x->measure_id = sqlite3_column_int64(stmt, 0);
		x->marker = store_column_dup(stmt, 1);
		x->title = store_column_dup(stmt, 2);
		x->owner = store_column_dup(stmt, 3);
		x->due = store_column_dup(stmt, 4);
		x->ticket = store_column_dup(stmt, 5);
		x->ticket_url = store_column_dup(stmt, 6);
		x->meeting_id = sqlite3_column_int64(stmt, 7);
		x->item_id = sqlite3_column_int64(stmt, 8);
		x->week = store_column_dup(stmt, 9);
		x->chat_id = store_column_dup(stmt, 10);
		x->chat_handle = store_column_dup(stmt, 11);
		x->root_id = sqlite3_column_int64(stmt, 12);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read the measures due");
		store_remind_rows_free(out);
		return -1;
	}
	return 0;
}

int
store_remind_queue(struct store *st, struct store_chat_post *p, const char *now,
		   const char *looked_from, bool *queued, char **err)
{
	sqlite3_stmt *stmt;
	int rc;

	*queued = false;
	if (store_begin(st, err) < 0)
		return -1;
	stmt = store_prepare(st, "SELECT 1 FROM chat_posts WHERE once_key = ?1", err);
	if (stmt == NULL)
		goto fail;
	store_bind_text(stmt, 1, p->once_key);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read the chat posts");
		goto fail;
	}
	if (rc == SQLITE_ROW) {
		store_rollback(st);
		p->id = 0;
		return 0;
	}
	if (store_chat_insert(st, p, now, err) < 0)
		goto fail;
	stmt = store_prepare_states(st,
		"UPDATE chat_posts SET state = " STORE_UNKNOWN ", queued_at = ?2 WHERE id = ?1", err);
	if (stmt == NULL)
		goto fail;
	sqlite3_bind_int64(stmt, 1, p->id);
	store_bind_text(stmt, 2, looked_from);
	if (store_step_done(st, stmt, "cannot record the reminder", err) < 0 ||
	    store_delivery_add_history(st, STORE_DELIVERY_CHAT, p->id, now, DELIVER_UNKNOWN,
				       "a reminder: its marker is looked for before it is sent, "
				       "in case another machine posted it today", err) < 0 ||
	    store_commit(st, err) < 0)
		goto fail;
	*queued = true;
	return 0;
fail:
	store_rollback(st);
	p->id = 0;
	return -1;
}

int
store_remind_expire(struct store *st, const char *day, const char *now, size_t *n, char **err)
{
	static const char note[] = "a reminder of an earlier day that did not go out: not sent, "
				   "today's reminder replaces it";
	sqlite3_stmt *stmt;
	long long *ids = NULL;
	size_t n_ids = 0;
	int rc;

	*n = 0;
	if (store_begin(st, err) < 0)
		return -1;
	stmt = store_prepare_states(st,
		"SELECT id FROM chat_posts WHERE kind = 'remind' AND substr(once_key, -10) < ?1"
		" AND (state = " STORE_QUEUED " OR (state = " STORE_UNKNOWN " AND claimed_by IS NULL))",
		err);
	if (stmt == NULL)
		goto fail;
	store_bind_text(stmt, 1, day);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		ids = xreallocarray(ids, n_ids + 1, sizeof(*ids));
		ids[n_ids++] = sqlite3_column_int64(stmt, 0);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read the reminders");
		goto fail;
	}
	for (size_t i = 0; i < n_ids; i++) {
		/* guarded: a row another process claimed meanwhile is left to it */
		stmt = store_prepare_states(st,
			"UPDATE chat_posts SET state = " STORE_FAILED ", last_error = ?2, updated_at = ?3"
			" WHERE id = ?1 AND (state = " STORE_QUEUED " OR (state = " STORE_UNKNOWN
			" AND claimed_by IS NULL))", err);
		if (stmt == NULL)
			goto fail;
		sqlite3_bind_int64(stmt, 1, ids[i]);
		store_bind_text(stmt, 2, note);
		store_bind_text(stmt, 3, now);
		if (store_step_done(st, stmt, "cannot settle a reminder", err) < 0)
			goto fail;
		if (sqlite3_changes(st->db) == 1) {
			if (store_delivery_add_history(st, STORE_DELIVERY_CHAT, ids[i], now,
						       DELIVER_FAILED, note, err) < 0)
				goto fail;
			(*n)++;
		}
	}
	if (store_commit(st, err) < 0)
		goto fail;
	free(ids);
	return 0;
fail:
	free(ids);
	store_rollback(st);
	*n = 0;
	return -1;
}

int
store_remind_state(struct store *st, const char *once_key, enum deliver_state *state,
		   int *attempts, char **last_error, bool *found, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"SELECT state, last_error, attempts FROM chat_posts WHERE once_key = ?1", err);
	int rc;

	*found = false;
	*last_error = NULL;
	*attempts = 0;
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, once_key);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*found = deliver_state_parse((const char *)sqlite3_column_text(stmt, 0), state);
		*last_error = store_column_dup(stmt, 1);
		*attempts = sqlite3_column_int(stmt, 2);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read the reminder");
		return -1;
	}
	return 0;
}
