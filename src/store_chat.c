#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/err.h"
#include "furikaeri/log.h"
#include "furikaeri/store_chat.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/xalloc.h"
#include "store_private.h"

#define POST_COLUMNS \
	"p.id, p.meeting_id, COALESCE(p.item_id, 0), COALESCE(p.minute_id, 0)," \
	" COALESCE(p.parent_id, 0), p.kind, p.service, p.marker, p.body, p.state, p.attempts," \
	" p.last_error, p.channel, p.post_ref, p.cursor, p.next_attempt_at," \
	" CASE WHEN r.state = " STORE_DELIVERED " THEN r.post_ref END, r.channel, p.queued_at," \
	" p.claimed_by, p.lease_until, p.recipient, p.once_key"

/* An ephemeral reply whose outcome is unknown is settled: nothing can look
 * it up, so nothing will ever move it (deliver_run reports it, never sends
 * it again); it is neither due nor on its way. */
#define STORE_CHAT_SETTLED_NOT(p) \
	"NOT (" p ".kind = 'ephemeral' AND " p ".state = " STORE_UNKNOWN ")"

void
store_chat_post_release(struct store_chat_post *p)
{
	if (p == NULL)
		return;
	free(p->kind);
	free(p->service);
	free(p->marker);
	free(p->body);
	free(p->last_error);
	free(p->channel);
	free(p->post_ref);
	free(p->cursor);
	free(p->next_attempt_at);
	free(p->parent_ref);
	free(p->parent_channel);
	free(p->queued_at);
	free(p->claimed_by);
	free(p->lease_until);
	free(p->recipient);
	free(p->once_key);
	memset(p, 0, sizeof(*p));
}

void
store_chat_posts_free(struct store_chat_posts *p)
{
	for (size_t i = 0; i < p->n; i++)
		store_chat_post_release(&p->rows[i]);
	free(p->rows);
	p->rows = NULL;
	p->n = 0;
}

static void
read_post(sqlite3_stmt *stmt, struct store_chat_post *p)
{
	memset(p, 0, sizeof(*p));
	p->id = sqlite3_column_int64(stmt, 0);
	p->meeting_id = sqlite3_column_int64(stmt, 1);
	p->item_id = sqlite3_column_int64(stmt, 2);
	p->minute_id = sqlite3_column_int64(stmt, 3);
	p->parent_id = sqlite3_column_int64(stmt, 4);
	p->kind = store_column_dup(stmt, 5);
	p->service = store_column_dup(stmt, 6);
	p->marker = store_column_dup(stmt, 7);
	p->body = store_column_dup(stmt, 8);
	if (!deliver_state_parse((const char *)sqlite3_column_text(stmt, 9), &p->state)) {
		/* the CHECK allows none; a row edited by hand stops here */
		log_error("chat post %lld: unknown state '%s'", p->id,
			  (const char *)sqlite3_column_text(stmt, 9));
		p->state = DELIVER_FAILED;
	}
	p->attempts = sqlite3_column_int(stmt, 10);
	p->last_error = store_column_dup(stmt, 11);
	p->channel = store_column_dup(stmt, 12);
	p->post_ref = store_column_dup(stmt, 13);
	p->cursor = store_column_dup(stmt, 14);
	p->next_attempt_at = store_column_dup(stmt, 15);
	p->parent_ref = store_column_dup(stmt, 16);
	p->parent_channel = store_column_dup(stmt, 17);
	p->queued_at = store_column_dup(stmt, 18);
	p->claimed_by = store_column_dup(stmt, 19);
	p->lease_until = store_column_dup(stmt, 20);
	p->recipient = store_column_dup(stmt, 21);
	p->once_key = store_column_dup(stmt, 22);
}

static void
bind_id(sqlite3_stmt *stmt, int i, long long id)
{
	if (id != 0)
		sqlite3_bind_int64(stmt, i, id);
	else
		sqlite3_bind_null(stmt, i);
}

/* Inserts p (queued) and its first history row inside the caller's
 * transaction; fills p->id. */
int
store_chat_insert(struct store *st, struct store_chat_post *p, const char *now, char **err)
{
	sqlite3_stmt *stmt = store_prepare_states(st,
		"INSERT INTO chat_posts (meeting_id, item_id, minute_id, parent_id, kind, service,"
		"  marker, body, state, queued_at, updated_at, recipient, once_key)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, " STORE_QUEUED ", ?9, ?9, ?10, ?11)", err);

	p->id = 0;
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, p->meeting_id);
	bind_id(stmt, 2, p->item_id);
	bind_id(stmt, 3, p->minute_id);
	bind_id(stmt, 4, p->parent_id);
	store_bind_text(stmt, 5, p->kind);
	store_bind_text(stmt, 6, p->service);
	store_bind_text(stmt, 7, p->marker);
	store_bind_text(stmt, 8, p->body);
	store_bind_text(stmt, 9, now);
	store_bind_text(stmt, 10, p->recipient);
	store_bind_text(stmt, 11, p->once_key);
	if (store_step_done(st, stmt, "cannot record the chat post", err) < 0)
		return -1;
	p->id = sqlite3_last_insert_rowid(st->db);
	return store_delivery_add_history(st, STORE_DELIVERY_CHAT, p->id, now, DELIVER_QUEUED,
					  "queued", err);
}

int
store_chat_queue(struct store *st, struct store_chat_post *p, const char *now, char **err)
{
	if (store_begin(st, err) < 0)
		return -1;
	if (store_chat_insert(st, p, now, err) < 0 || store_commit(st, err) < 0) {
		store_rollback(st);
		p->id = 0;
		return -1;
	}
	return 0;
}

int
store_chat_queue_once(struct store *st, struct store_chat_post *p, const char *now, bool *queued,
		      char **err)
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
	if (store_chat_insert(st, p, now, err) < 0 || store_commit(st, err) < 0)
		goto fail;
	*queued = true;
	return 0;
fail:
	store_rollback(st);
	p->id = 0;
	return -1;
}

static int
list_posts(struct store *st, sqlite3_stmt *stmt, struct store_chat_posts *out, char **err)
{
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		out->rows = xreallocarray(out->rows, out->n + 1, sizeof(*out->rows));
		read_post(stmt, &out->rows[out->n++]);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read the chat posts");
		store_chat_posts_free(out);
		return -1;
	}
	return 0;
}

struct deliver_row_times
store_chat_row_times(const struct store_chat_post *p)
{
	return (struct deliver_row_times){
		.state = p->state, .next_attempt_at = p->next_attempt_at,
		.lease_until = p->lease_until, .claimed_by = p->claimed_by,
	};
}

int
store_chat_due(struct store *st, const char *now, struct store_chat_posts *out, char **err)
{
	sqlite3_stmt *stmt = store_prepare_states(st,
		"SELECT " POST_COLUMNS " FROM chat_posts p LEFT JOIN chat_posts r ON r.id = p.parent_id"
		" WHERE p.state IN (" STORE_QUEUED ", " STORE_CLAIMED ", " STORE_UNKNOWN ")"
		"  AND " STORE_CHAT_SETTLED_NOT ("p")
		"  AND (p.parent_id IS NULL OR r.state = " STORE_DELIVERED ")"
		" ORDER BY p.id", err);
	size_t kept = 0;

	memset(out, 0, sizeof(*out));
	if (stmt == NULL || list_posts(st, stmt, out, err) < 0)
		return -1;
	/* due is deliver_due's to say, and no one else's */
	for (size_t i = 0; i < out->n; i++) {
		struct store_chat_post *p = &out->rows[i];
		struct deliver_row_times t = store_chat_row_times(p);

		if (deliver_due(&t, now))
			out->rows[kept++] = *p;
		else
			store_chat_post_release(p);
	}
	out->n = kept;
	return 0;
}

int
store_chat_list(struct store *st, long long meeting_id, struct store_chat_posts *out, char **err)
{
	sqlite3_stmt *stmt = store_prepare_states(st,
		"SELECT " POST_COLUMNS " FROM chat_posts p LEFT JOIN chat_posts r ON r.id = p.parent_id"
		" WHERE p.meeting_id = ?1 ORDER BY p.id", err);

	memset(out, 0, sizeof(*out));
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, meeting_id);
	return list_posts(st, stmt, out, err);
}

/* The first post that where (a condition on p with ?1 = id) picks. */
static int
first_post(struct store *st, const char *where, long long id, struct store_chat_post *out,
	   bool *found, char **err)
{
	struct store_chat_posts all = { 0 };
	char *sql = xasprintf("SELECT " POST_COLUMNS " FROM chat_posts p"
			      " LEFT JOIN chat_posts r ON r.id = p.parent_id"
			      " WHERE %s ORDER BY p.id LIMIT 1", where);
	sqlite3_stmt *stmt = store_prepare_states(st, sql, err);

	free(sql);
	*found = false;
	memset(out, 0, sizeof(*out));
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	if (list_posts(st, stmt, &all, err) < 0)
		return -1;
	if (all.n == 1) {
		*out = all.rows[0];
		*found = true;
		all.n = 0;
	}
	store_chat_posts_free(&all);
	return 0;
}

int
store_chat_root(struct store *st, long long item_id, struct store_chat_post *out, bool *found,
		char **err)
{
	return first_post(st, "p.item_id = ?1 AND p.kind = 'root'", item_id, out, found, err);
}

int
store_chat_pending(struct store *st, long long meeting_id, size_t *n, char **err)
{
	sqlite3_stmt *stmt = store_prepare_states(st,
		"SELECT count(*) FROM chat_posts p WHERE p.meeting_id = ?1"
		" AND p.state IN (" STORE_QUEUED ", " STORE_CLAIMED ", " STORE_UNKNOWN ")"
		" AND " STORE_CHAT_SETTLED_NOT ("p"), err);

	*n = 0;
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, meeting_id);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_finalize(stmt);
		store_fail(st, err, "cannot count the chat posts");
		return -1;
	}
	*n = (size_t)sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	return 0;
}

static void
bind_move(sqlite3_stmt *stmt, const void *ctx)
{
	const struct store_chat_move *mv = ctx;

	store_bind_text(stmt, 12, mv->next_attempt_at);
	store_bind_text(stmt, 13, mv->channel);
	store_bind_text(stmt, 14, mv->post_ref);
}

int
store_chat_move(struct store *st, const struct store_chat_move *mv, bool *changed, char **err)
{
	const struct store_chat_post *p = mv->seen;
	struct deliver_row_times seen = p ? store_chat_row_times(p)
					  : (struct deliver_row_times){ .state = DELIVER_QUEUED };

	return store_delivery_move(st, STORE_DELIVERY_CHAT, &(struct store_delivery_move){
		.id = mv->id, .to = mv->to, .now = mv->now, .error = mv->error, .sent = mv->sent,
		.owner = mv->owner, .lease_until = mv->lease_until, .seen = p ? &seen : NULL,
		.note = mv->note,
	}, ", next_attempt_at = ?12, channel = COALESCE(?13, channel),"
	   " post_ref = COALESCE(?14, post_ref)", bind_move, mv, changed, err);
}

static int
set_cursor(struct store *st, long long root_id, const char *cursor, char **err)
{
	sqlite3_stmt *stmt;

	if (cursor == NULL)
		return 0;
	/* Slack's ts and Mattermost's create_at compare as numbers */
	stmt = store_prepare(st,
		"UPDATE chat_posts SET cursor = ?2 WHERE id = ?1"
		" AND (cursor IS NULL OR CAST(cursor AS REAL) < CAST(?2 AS REAL))", err);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, root_id);
	store_bind_text(stmt, 2, cursor);
	return store_step_done(st, stmt, "cannot move the thread's cursor", err);
}

/* The reply row: its minute and edit stamp; *found false when new. */
static int
reply_get(struct store *st, long long root_id, const char *ref, long long *minute_id,
	  char **edited, bool *deleted, bool *found, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"SELECT COALESCE(minute_id, 0), edited, deleted FROM chat_replies"
		" WHERE root_id = ?1 AND ref = ?2", err);
	int rc;

	*found = false;
	*minute_id = 0;
	if (edited != NULL)
		*edited = NULL;
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, root_id);
	store_bind_text(stmt, 2, ref);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*found = true;
		*minute_id = sqlite3_column_int64(stmt, 0);
		if (edited != NULL)
			*edited = store_column_dup(stmt, 1);
		if (deleted != NULL)
			*deleted = sqlite3_column_int(stmt, 2) != 0;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read the chat replies");
		return -1;
	}
	return 0;
}

static bool
same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

int
store_chat_pull(struct store *st, long long root_id, const struct store_chat_reply *r,
		enum store_chat_pulled *result, long long *minute_id, char **err)
{
	sqlite3_stmt *stmt;
	char *edited = NULL, *now = store_now();
	bool found;
	long long meeting_id = 0, item_id = 0;

	*result = STORE_CHAT_SEEN;
	*minute_id = 0;
	if (store_begin(st, err) < 0) {
		free(now);
		return -1;
	}
	if (reply_get(st, root_id, r->ref, minute_id, &edited, NULL, &found, err) < 0)
		goto fail;
	if (found) {
		if (!same(edited, r->edited) && *minute_id != 0) {
			struct store_minute m = {
				.id = *minute_id, .kind = (char *)r->kind, .body = (char *)r->body,
				.owner = (char *)r->owner, .due = (char *)r->due,
			};
			int rc;

			stmt = store_prepare(st, "SELECT COALESCE(measure_id, 0) FROM minutes"
					     " WHERE id = ?1", err);
			if (stmt == NULL)
				goto fail;
			sqlite3_bind_int64(stmt, 1, m.id);
			if (sqlite3_step(stmt) == SQLITE_ROW)
				m.measure_id = sqlite3_column_int64(stmt, 0);
			sqlite3_finalize(stmt);
			rc = store_minute_edit(st, &m, err);
			free(m.edited_at);
			if (rc < 0)
				goto fail;
			stmt = store_prepare(st, "UPDATE chat_replies SET edited = ?3"
					     " WHERE root_id = ?1 AND ref = ?2", err);
			if (stmt == NULL)
				goto fail;
			sqlite3_bind_int64(stmt, 1, root_id);
			store_bind_text(stmt, 2, r->ref);
			store_bind_text(stmt, 3, r->edited);
			if (store_step_done(st, stmt, "cannot record the edit", err) < 0)
				goto fail;
			*result = STORE_CHAT_EDITED;
		}
	} else {
		struct store_minute m = {
			.kind = (char *)r->kind, .body = (char *)r->body, .owner = (char *)r->owner,
			.due = (char *)r->due, .author = (char *)r->author,
		};

		stmt = store_prepare(st, "SELECT meeting_id, COALESCE(item_id, 0) FROM chat_posts"
				     " WHERE id = ?1", err);
		if (stmt == NULL)
			goto fail;
		sqlite3_bind_int64(stmt, 1, root_id);
		if (sqlite3_step(stmt) == SQLITE_ROW) {
			meeting_id = sqlite3_column_int64(stmt, 0);
			item_id = sqlite3_column_int64(stmt, 1);
		}
		sqlite3_finalize(stmt);
		if (meeting_id == 0) {
			err_set(err, "chat post %lld is not in the store", root_id);
			goto fail;
		}
		m.item_id = item_id;
		if (store_minute_add(st, meeting_id, &m, err) < 0) {
			free(m.created_at);
			goto fail;
		}
		free(m.created_at);
		*minute_id = m.id;
		if (r->at != NULL) {
			stmt = store_prepare(st, "UPDATE minutes SET created_at = ?2 WHERE id = ?1", err);
			if (stmt == NULL)
				goto fail;
			sqlite3_bind_int64(stmt, 1, m.id);
			store_bind_text(stmt, 2, r->at);
			if (store_step_done(st, stmt, "cannot date the entry", err) < 0)
				goto fail;
		}
		stmt = store_prepare(st,
			"INSERT INTO chat_replies (root_id, ref, minute_id, user_ref, edited, pulled_at)"
			" VALUES (?1, ?2, ?3, ?4, ?5, ?6)", err);
		if (stmt == NULL)
			goto fail;
		sqlite3_bind_int64(stmt, 1, root_id);
		store_bind_text(stmt, 2, r->ref);
		sqlite3_bind_int64(stmt, 3, m.id);
		store_bind_text(stmt, 4, r->user_ref);
		store_bind_text(stmt, 5, r->edited);
		store_bind_text(stmt, 6, now);
		if (store_step_done(st, stmt, "cannot record the reply", err) < 0)
			goto fail;
		*result = STORE_CHAT_NEW;
	}
	if (set_cursor(st, root_id, r->cursor, err) < 0)
		goto fail;
	if (store_commit(st, err) < 0)
		goto fail;
	free(edited);
	free(now);
	return 0;
fail:
	store_rollback(st);
	free(edited);
	free(now);
	*result = STORE_CHAT_SEEN;
	return -1;
}

int
store_chat_pull_deleted(struct store *st, long long root_id, const char *ref, bool *changed,
			char **err)
{
	long long minute_id;
	bool found, deleted = false;
	sqlite3_stmt *stmt;

	*changed = false;
	if (store_begin(st, err) < 0)
		return -1;
	if (reply_get(st, root_id, ref, &minute_id, NULL, &deleted, &found, err) < 0)
		goto fail;
	if (found && !deleted) {
		if (minute_id != 0 && store_minute_delete(st, minute_id, err) < 0)
			goto fail;
		stmt = store_prepare(st, "UPDATE chat_replies SET deleted = 1"
				     " WHERE root_id = ?1 AND ref = ?2", err);
		if (stmt == NULL)
			goto fail;
		sqlite3_bind_int64(stmt, 1, root_id);
		store_bind_text(stmt, 2, ref);
		if (store_step_done(st, stmt, "cannot record the deletion", err) < 0)
			goto fail;
		*changed = true;
	}
	return store_commit(st, err) < 0 ? (store_rollback(st), -1) : 0;
fail:
	store_rollback(st);
	return -1;
}

int
store_chat_refs(struct store *st, long long root_id, char ***refs, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"SELECT ref FROM chat_replies WHERE root_id = ?1 AND deleted = 0 ORDER BY id", err);

	if (stmt != NULL)
		sqlite3_bind_int64(stmt, 1, root_id);
	return store_step_strings(st, stmt, refs, "cannot read the chat replies", err);
}

void
store_chat_refs_free(char **refs)
{
	if (refs == NULL)
		return;
	for (size_t i = 0; refs[i] != NULL; i++)
		free(refs[i]);
	free(refs);
}

int
store_chat_reply_minute(struct store *st, long long root_id, const char *ref,
			long long *minute_id, char **err)
{
	bool found;

	return reply_get(st, root_id, ref, minute_id, NULL, NULL, &found, err);
}

int
store_chat_user_get(struct store *st, const char *service, const char *ref, char **name,
		    char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"SELECT name FROM chat_users WHERE service = ?1 AND ref = ?2", err);
	int rc;

	*name = NULL;
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, service);
	store_bind_text(stmt, 2, ref);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*name = store_column_dup(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read the chat's people");
		return -1;
	}
	return 0;
}

int
store_chat_user_fresh(struct store *st, const char *service, const char *ref, const char *since,
		      char **name, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"SELECT name FROM chat_users WHERE service = ?1 AND ref = ?2 AND fetched_at >= ?3",
		err);
	int rc;

	*name = NULL;
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, service);
	store_bind_text(stmt, 2, ref);
	store_bind_text(stmt, 3, since);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*name = store_column_dup(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read the chat's people");
		return -1;
	}
	return 0;
}

int
store_chat_user_put(struct store *st, const char *service, const char *ref, const char *name,
		    const char *now, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"INSERT INTO chat_users (service, ref, name, fetched_at) VALUES (?1, ?2, ?3, ?4)"
		" ON CONFLICT (service, ref) DO UPDATE SET name = excluded.name,"
		"  fetched_at = excluded.fetched_at", err);

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, service);
	store_bind_text(stmt, 2, ref);
	store_bind_text(stmt, 3, name);
	store_bind_text(stmt, 4, now);
	return store_step_done(st, stmt, "cannot cache the chat's person", err);
}

int
store_chat_users_unlisted(struct store *st, const char *service, char ***lines, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"SELECT ref || char(9) || name FROM chat_users WHERE service = ?1"
		" AND ref NOT IN (SELECT chat_id FROM people WHERE chat_id IS NOT NULL)"
		" ORDER BY name, ref", err);

	if (stmt != NULL)
		store_bind_text(stmt, 1, service);
	return store_step_strings(st, stmt, lines, "cannot read the chat's people", err);
}

int
store_chat_reaction(struct store *st, long long root_id, const char *ref, const char *emoji,
		    const char *user, bool *is_new, long long *minute_id, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"INSERT OR IGNORE INTO chat_reactions (reply_id, emoji, user_ref, seen_at)"
		" SELECT id, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM chat_replies"
		" WHERE root_id = ?1 AND ref = ?2", err);
	bool found;

	*is_new = false;
	*minute_id = 0;
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, root_id);
	store_bind_text(stmt, 2, ref);
	store_bind_text(stmt, 3, emoji);
	store_bind_text(stmt, 4, user);
	if (store_step_done(st, stmt, "cannot record the reaction", err) < 0)
		return -1;
	*is_new = sqlite3_changes(st->db) > 0;
	return reply_get(st, root_id, ref, minute_id, NULL, NULL, &found, err);
}

int
store_chat_by_minute(struct store *st, long long minute_id, struct store_chat_post *out,
		     bool *found, char **err)
{
	return first_post(st, "p.minute_id = ?1 AND p.kind = 'entry'", minute_id, out, found, err);
}

int
store_chat_action_of(struct store *st, long long measure_id, struct store_chat_action *out,
		     bool *found, char **err)
{
	sqlite3_stmt *stmt = store_prepare_states(st,
		"SELECT m.meeting_id, m.item_id, m.body,"
		"  (SELECT count(*) FROM minutes a WHERE a.meeting_id = m.meeting_id"
		"   AND a.kind = 'action' AND a.seq <= m.seq),"
		"  EXISTS (SELECT 1 FROM chat_posts p WHERE p.item_id = m.item_id"
		"   AND p.kind = 'root')"
		" FROM minutes m"
		" WHERE m.measure_id = ?1 AND m.kind = 'action' AND m.item_id IS NOT NULL"
		" ORDER BY m.id LIMIT 1", err);
	int rc;

	*found = false;
	memset(out, 0, sizeof(*out));
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, measure_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		out->meeting_id = sqlite3_column_int64(stmt, 0);
		out->item_id = sqlite3_column_int64(stmt, 1);
		out->title = store_column_dup(stmt, 2);
		out->number = sqlite3_column_int(stmt, 3);
		out->has_root = sqlite3_column_int(stmt, 4) != 0;
		*found = true;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read the action of a measure");
		return -1;
	}
	return 0;
}

void
store_chat_action_release(struct store_chat_action *a)
{
	free(a->title);
	a->title = NULL;
}
