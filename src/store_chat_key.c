/* The store's side of a ticket's key post: which delivered tickets still
 * owe their key to their action's thread, and queuing that post so that
 * it is queued once, whoever delivered the ticket and whoever posts. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/store_chat.h"
#include "furikaeri/xalloc.h"
#include "store_private.h"

void
store_chat_owed_keys_free(struct store_chat_owed_keys *k)
{
	for (size_t i = 0; i < k->n; i++) {
		free(k->rows[i].key);
		free(k->rows[i].url);
	}
	free(k->rows);
	k->rows = NULL;
	k->n = 0;
}

int
store_chat_owed_keys(struct store *st, const char *service, struct store_chat_owed_keys *out,
		     char **err)
{
	/* a root of another service (the team moved from Slack) is no thread
	 * this chat can answer in */
	sqlite3_stmt *stmt = store_prepare_states(st,
		"SELECT o.measure_id, o.ticket_key, o.ticket_url FROM ticket_outbox o"
		" WHERE o.state = " STORE_DELIVERED " AND o.key_post_id IS NULL"
		" AND o.ticket_key IS NOT NULL AND EXISTS (SELECT 1 FROM minutes m"
		"  JOIN chat_posts r ON r.item_id = m.item_id AND r.kind = 'root'"
		"  WHERE m.measure_id = o.measure_id AND m.kind = 'action' AND r.service = ?1)"
		" ORDER BY o.id", err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, service);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct store_chat_owed_key *k;

		out->rows = xreallocarray(out->rows, out->n + 1, sizeof(*out->rows));
		k = &out->rows[out->n++];
		k->measure_id = sqlite3_column_int64(stmt, 0);
		k->key = store_column_dup(stmt, 1);
		k->url = store_column_dup(stmt, 2);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read the tickets whose keys are owed to the chat");
		store_chat_owed_keys_free(out);
		return -1;
	}
	return 0;
}

/* Marks measure's key as carried by post_id, only while no post carries
 * it; *claimed says whether this call did. */
static int
claim_key(struct store *st, long long measure_id, long long post_id, bool *claimed,
	  char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"UPDATE ticket_outbox SET key_post_id = ?2"
		" WHERE measure_id = ?1 AND key_post_id IS NULL", err);

	*claimed = false;
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, measure_id);
	sqlite3_bind_int64(stmt, 2, post_id);
	if (store_step_done(st, stmt, "cannot record the ticket's key post", err) < 0)
		return -1;
	*claimed = sqlite3_changes(st->db) == 1;
	return 0;
}

int
store_chat_queue_key(struct store *st, struct store_chat_post *p, long long measure_id,
		     const char *now, bool *queued, char **err)
{
	*queued = false;
	if (store_begin(st, err) < 0)
		return -1;
	if (store_chat_insert(st, p, now, err) < 0 ||
	    claim_key(st, measure_id, p->id, queued, err) < 0)
		goto fail;
	if (!*queued) {
		/* another process queued it first */
		store_rollback(st);
		p->id = 0;
		return 0;
	}
	if (store_commit(st, err) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	p->id = 0;
	*queued = false;
	return -1;
}
