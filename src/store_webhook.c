#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/log.h"
#include "furikaeri/store_webhook.h"
#include "furikaeri/xalloc.h"
#include "store_private.h"

#define POST_COLUMNS \
	"id, what, week, content, state, attempts, last_error, claimed_by, lease_until," \
	" updated_at, sent_at"

void
store_webhook_post_release(struct store_webhook_post *p)
{
	if (p == NULL)
		return;
	free(p->what);
	free(p->week);
	free(p->content);
	free(p->last_error);
	free(p->claimed_by);
	free(p->lease_until);
	free(p->updated_at);
	free(p->sent_at);
	memset(p, 0, sizeof(*p));
}

int
store_webhook_last(struct store *st, const char *content, struct store_webhook_post *out,
		   bool *found, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st, "SELECT " POST_COLUMNS " FROM webhook_posts"
					   " WHERE content = ?1 ORDER BY id DESC LIMIT 1", err);
	int rc;

	*found = false;
	memset(out, 0, sizeof(*out));
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, content);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(stmt, 4);

		out->id = sqlite3_column_int64(stmt, 0);
		out->what = store_column_dup(stmt, 1);
		out->week = store_column_dup(stmt, 2);
		out->content = store_column_dup(stmt, 3);
		if (!deliver_state_parse(name, &out->state)) {
			/* the CHECK allows none; a row edited by hand stops here */
			log_error("webhook post %lld: unknown state '%s'", out->id, name);
			out->state = DELIVER_FAILED;
		}
		out->attempts = sqlite3_column_int(stmt, 5);
		out->last_error = store_column_dup(stmt, 6);
		out->claimed_by = store_column_dup(stmt, 7);
		out->lease_until = store_column_dup(stmt, 8);
		out->updated_at = store_column_dup(stmt, 9);
		out->sent_at = store_column_dup(stmt, 10);
		*found = true;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read the webhook's posts");
		return -1;
	}
	return 0;
}

int
store_webhook_queue(struct store *st, const char *what, const char *week, const char *content,
		    long long after, const char *now, long long *id, char **err)
{
	sqlite3_stmt *stmt;
	long long newest = 0;
	int rc;

	*id = 0;
	if (store_begin(st, err) < 0)
		return -1;
	/* under the write lock: another furikaeri may have queued the same
	 * post since the caller read the newest one */
	stmt = store_prepare(st, "SELECT coalesce(max(id), 0) FROM webhook_posts"
			     " WHERE content = ?1", err);
	if (stmt == NULL)
		goto fail;
	store_bind_text(stmt, 1, content);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		newest = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW) {
		store_fail(st, err, "cannot read the webhook's posts");
		goto fail;
	}
	if (newest != after) {
		store_rollback(st);
		return 0;
	}
	stmt = store_prepare_states(st, "INSERT INTO webhook_posts (what, week, content, state,"
				    " queued_at, updated_at) VALUES (?1, ?2, ?3, " STORE_QUEUED
				    ", ?4, ?4)", err);
	if (stmt == NULL)
		goto fail;
	store_bind_text(stmt, 1, what);
	store_bind_text(stmt, 2, week);
	store_bind_text(stmt, 3, content);
	store_bind_text(stmt, 4, now);
	if (store_step_done(st, stmt, "cannot record the webhook post", err) < 0)
		goto fail;
	*id = sqlite3_last_insert_rowid(st->db);
	if (store_delivery_add_history(st, STORE_DELIVERY_WEBHOOK, *id, now, DELIVER_QUEUED,
				       "queued", err) < 0 ||
	    store_commit(st, err) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	*id = 0;
	return -1;
}

int
store_webhook_move(struct store *st, const struct store_webhook_move *mv, bool *changed,
		   char **err)
{
	const struct store_webhook_post *p = mv->seen;
	struct deliver_row_times seen = { .state = p ? p->state : DELIVER_QUEUED,
					  .claimed_by = p ? p->claimed_by : NULL,
					  .lease_until = p ? p->lease_until : NULL };

	return store_delivery_move(st, STORE_DELIVERY_WEBHOOK, &(struct store_delivery_move){
		.id = mv->id, .to = mv->to, .now = mv->now, .error = mv->error, .sent = mv->sent,
		.owner = mv->owner, .lease_until = mv->lease_until, .seen = p ? &seen : NULL,
		.note = mv->note,
	}, ", sent_at = CASE WHEN ?5 > 0 THEN ?3 ELSE sent_at END", NULL, NULL, changed, err);
}
