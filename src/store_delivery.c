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
} tables[] = {
	[STORE_DELIVERY_TICKET] = {
		.insert = "INSERT INTO ticket_history (outbox_id, at, state, note)"
			  " VALUES (?1, ?2, ?3, ?4)",
		.note = "INSERT INTO ticket_history (outbox_id, at, state, note)"
			" SELECT id, ?2, state, ?3 FROM ticket_outbox WHERE id = ?1",
		.select = "SELECT at, state, note FROM ticket_history WHERE outbox_id = ?1"
			  " ORDER BY id",
		.what = "the ticket's history", .done = "filed",
	},
	[STORE_DELIVERY_CHAT] = {
		.insert = "INSERT INTO chat_history (post_id, at, state, note)"
			  " VALUES (?1, ?2, ?3, ?4)",
		.note = "INSERT INTO chat_history (post_id, at, state, note)"
			" SELECT id, ?2, state, ?3 FROM chat_posts WHERE id = ?1",
		.select = "SELECT at, state, note FROM chat_history WHERE post_id = ?1"
			  " ORDER BY id",
		.what = "the chat post's history", .done = "posted",
	},
	[STORE_DELIVERY_WEBHOOK] = {
		.insert = "INSERT INTO webhook_history (post_id, at, state, note)"
			  " VALUES (?1, ?2, ?3, ?4)",
		.note = "INSERT INTO webhook_history (post_id, at, state, note)"
			" SELECT id, ?2, state, ?3 FROM webhook_posts WHERE id = ?1",
		.select = "SELECT at, state, note FROM webhook_history WHERE post_id = ?1"
			  " ORDER BY id",
		.what = "the webhook post's history", .done = "posted",
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
