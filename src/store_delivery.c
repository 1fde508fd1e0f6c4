#include "config.h"

#include <stdlib.h>

#include "furikaeri/store_delivery.h"
#include "furikaeri/xalloc.h"
#include "store_private.h"

/* The history table of each delivery table, and what it is called in a
 * message. The SQL is written out whole for each: table names are not
 * parameters. */
static const struct {
	const char *insert;	/* ?1 row, ?2 at, ?3 state, ?4 note */
	const char *note;	/* ?1 row, ?2 at, ?3 note: the row's state as it is */
	const char *select;	/* ?1 row */
	const char *what;
	const char *done;	/* the word for delivered */
	const char *table;	/* the rows' own table (store_delivery_move) */
	const char *row;	/* what a move's failure names */
	bool has_next;		/* a next_attempt_at column, which a seen guard checks */
} tables[] = {
	[STORE_DELIVERY_TICKET] = {
		.insert = "INSERT INTO ticket_history (outbox_id, at, state, note)"
			  " VALUES (?1, ?2, ?3, ?4)",
		.note = "INSERT INTO ticket_history (outbox_id, at, state, note)"
			" SELECT id, ?2, state, ?3 FROM ticket_outbox WHERE id = ?1",
		.select = "SELECT at, state, note FROM ticket_history WHERE outbox_id = ?1"
			  " ORDER BY id",
		.what = "the ticket's history", .done = "filed",
		.table = "ticket_outbox", .row = "the ticket", .has_next = true,
	},
	[STORE_DELIVERY_CHAT] = {
		.insert = "INSERT INTO chat_history (post_id, at, state, note)"
			  " VALUES (?1, ?2, ?3, ?4)",
		.note = "INSERT INTO chat_history (post_id, at, state, note)"
			" SELECT id, ?2, state, ?3 FROM chat_posts WHERE id = ?1",
		.select = "SELECT at, state, note FROM chat_history WHERE post_id = ?1"
			  " ORDER BY id",
		.what = "the chat post's history", .done = "posted",
		.table = "chat_posts", .row = "the chat post", .has_next = true,
	},
	[STORE_DELIVERY_WEBHOOK] = {
		.insert = "INSERT INTO webhook_history (post_id, at, state, note)"
			  " VALUES (?1, ?2, ?3, ?4)",
		.note = "INSERT INTO webhook_history (post_id, at, state, note)"
			" SELECT id, ?2, state, ?3 FROM webhook_posts WHERE id = ?1",
		.select = "SELECT at, state, note FROM webhook_history WHERE post_id = ?1"
			  " ORDER BY id",
		.what = "the webhook post's history", .done = "posted",
		.table = "webhook_posts", .row = "the webhook post",
	},
};

const char *
store_delivery_state_word(enum store_delivery table, enum deliver_state state)
{
	return state == DELIVER_DELIVERED ? tables[table].done : deliver_state_name(state);
}

int
store_delivery_add_history(struct store *st, enum store_delivery table, long long id,
			   const char *now, enum deliver_state state, const char *note,
			   char **err)
{
	sqlite3_stmt *stmt = store_prepare(st, tables[table].insert, err);
	char *what;
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	store_bind_text(stmt, 2, now);
	store_bind_text(stmt, 3, deliver_state_name(state));
	store_bind_text(stmt, 4, note);
	what = xasprintf("cannot write %s", tables[table].what);
	rc = store_step_done(st, stmt, what, err);
	free(what);
	return rc;
}

int
store_delivery_move(struct store *st, enum store_delivery table,
		    const struct store_delivery_move *mv, const char *extra_set,
		    void (*bind_extra)(sqlite3_stmt *stmt, const void *ctx), const void *ctx,
		    bool *changed, char **err)
{
	bool claiming = mv->to == DELIVER_CLAIMED;
	char *sql, *what;
	sqlite3_stmt *stmt;

	*changed = false;
	if (store_begin(st, err) < 0)
		return -1;
	/* the table's name is no parameter; everything else is */
	sql = xasprintf("UPDATE %s SET state = ?2, updated_at = ?3, last_error = ?4,"
			" attempts = attempts + ?5, claimed_by = ?6, lease_until = ?7%s"
			" WHERE id = ?1 AND %s%s", tables[table].table, extra_set ? extra_set : "",
			mv->seen != NULL ? "state = ?8 AND claimed_by IS ?9 AND lease_until IS ?10"
				 : "state = " STORE_CLAIMED " AND claimed_by = ?9",
			mv->seen != NULL && tables[table].has_next ? " AND next_attempt_at IS ?11" : "");
	stmt = store_prepare_states(st, sql, err);
	free(sql);
	if (stmt == NULL)
		goto fail;
	sqlite3_bind_int64(stmt, 1, mv->id);
	store_bind_text(stmt, 2, deliver_state_name(mv->to));
	store_bind_text(stmt, 3, mv->now);
	store_bind_text(stmt, 4, mv->error);
	sqlite3_bind_int(stmt, 5, mv->sent ? 1 : 0);
	store_bind_text(stmt, 6, claiming ? mv->owner : NULL);
	store_bind_text(stmt, 7, claiming ? mv->lease_until : NULL);
	if (mv->seen != NULL) {
		store_bind_text(stmt, 8, deliver_state_name(mv->seen->state));
		store_bind_text(stmt, 9, mv->seen->claimed_by);
		store_bind_text(stmt, 10, mv->seen->lease_until);
		if (tables[table].has_next)
			store_bind_text(stmt, 11, mv->seen->next_attempt_at);
	} else {
		store_bind_text(stmt, 9, mv->owner);
	}
	if (bind_extra != NULL)
		bind_extra(stmt, ctx);
	what = xasprintf("cannot update %s", tables[table].row);
	if (store_step_done(st, stmt, what, err) < 0) {
		free(what);
		goto fail;
	}
	free(what);
	*changed = sqlite3_changes(st->db) == 1;
	if (*changed && store_delivery_add_history(st, table, mv->id, mv->now, mv->to, mv->note
						   ? mv->note : deliver_state_name(mv->to), err) < 0)
		goto fail;
	if (store_commit(st, err) < 0)
		goto fail;
	return 0;
fail:
	*changed = false;
	store_rollback(st);
	return -1;
}

int
store_delivery_note(struct store *st, enum store_delivery table, long long id, const char *now,
		    const char *note, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st, tables[table].note, err);
	char *what;
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	store_bind_text(stmt, 2, now);
	store_bind_text(stmt, 3, note);
	what = xasprintf("cannot write %s", tables[table].what);
	rc = store_step_done(st, stmt, what, err);
	free(what);
	return rc;
}

int
store_delivery_history(struct store *st, enum store_delivery table, long long id,
		       char ***lines, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st, tables[table].select, err);
	size_t n = 0;
	char *what;
	int rc;

	*lines = xcalloc(1, sizeof(**lines));
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(stmt, 1);
		enum deliver_state state;

		*lines = xreallocarray(*lines, n + 2, sizeof(**lines));
		(*lines)[n++] = xasprintf("%s %s %s", sqlite3_column_text(stmt, 0),
					  deliver_state_parse(name, &state)
					  ? store_delivery_state_word(table, state) : name,
					  sqlite3_column_text(stmt, 2));
		(*lines)[n] = NULL;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		what = xasprintf("cannot read %s", tables[table].what);
		store_fail(st, err, what);
		free(what);
		return -1;
	}
	return 0;
}

void
store_delivery_history_free(char **lines)
{
	if (lines == NULL)
		return;
	for (char **p = lines; *p != NULL; p++)
		free(*p);
	free(lines);
}
