#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "furikaeri/store.h"
#include "furikaeri/store_delivery.h"
#include "furikaeri/store_chat.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/xalloc.h"
#include "store_private.h"

static char tmpdir[] = "/tmp/fk-test-store-chat-XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A store with one meeting and one topic item. */
static struct store *
open_with_item(const char *name, long long *meeting_id, long long *item_id)
{
	char path[512], *err = NULL;
	struct store *st;
	struct store_agenda_row row = { .kind = "topic", .title = "Payment timeouts",
					 .state = "current" };
	struct store_agenda ag = { .rows = &row, .n = 1 };

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	st = store_open(path, &err);
	assert_non_null(st);
	assert_int_equal(store_meeting_create(st, "2026-W49", 60, meeting_id, &err), 0);
	assert_int_equal(store_agenda_save(st, *meeting_id, &ag, &err), 0);
	*item_id = row.id;
	assert_true(*item_id > 0);
	return st;
}

static void
test_post_queue_states(void **state)
{
	(void)state;
	char *err = NULL;
	long long mid, iid;
	struct store *st = open_with_item("q.db", &mid, &iid);
	struct store_chat_post root = { .meeting_id = mid, .item_id = iid, .kind = "root",
					.service = "slack", .marker = "fk-root-1", .body = "PM-031" };
	struct store_chat_post entry = { .meeting_id = mid, .item_id = iid, .kind = "entry",
					 .service = "slack", .marker = "fk-entry-1",
					 .body = "decision: roll back" };
	struct store_chat_posts due;
	struct store_chat_move mv = { 0 };
	bool changed;
	size_t n;

	assert_int_equal(store_chat_queue(st, &root, "2026-12-01T10:00:00Z", &err), 0);
	entry.parent_id = root.id;
	assert_int_equal(store_chat_queue(st, &entry, "2026-12-01T10:00:01Z", &err), 0);
	/* a marker is one post: the same one again is refused */
	{
		struct store_chat_post dup = entry;

		assert_int_equal(store_chat_queue(st, &dup, "2026-12-01T10:00:02Z", &err), -1);
		free(err);
		err = NULL;
	}
	/* the entry waits for its root */
	assert_int_equal(store_chat_due(st, "2026-12-01T10:00:05Z", &due, &err), 0);
	assert_int_equal(due.n, 1);
	assert_string_equal(due.rows[0].marker, "fk-root-1");
	assert_int_equal(due.rows[0].state, DELIVER_QUEUED);

	/* a claim is one guarded UPDATE on the row as it was read */
	mv = (struct store_chat_move){ .id = root.id, .seen = &due.rows[0], .owner = "a:b:1:2:1",
				       .to = DELIVER_CLAIMED, .lease_until = "2026-12-01T10:02:05Z",
				       .now = "2026-12-01T10:00:05Z", .sent = true,
				       .note = "claimed to post" };
	assert_int_equal(store_chat_move(st, &mv, &changed, &err), 0);
	assert_true(changed);
	/* a second claim on what was read does nothing: one sender only */
	mv.owner = "a:b:1:3:1";
	assert_int_equal(store_chat_move(st, &mv, &changed, &err), 0);
	assert_false(changed);
	store_chat_posts_free(&due);
	/* held under a lease that runs: not due; nor is a move by another owner */
	assert_int_equal(store_chat_due(st, "2026-12-01T10:01:00Z", &due, &err), 0);
	assert_int_equal(due.n, 0);
	store_chat_posts_free(&due);
	mv = (struct store_chat_move){ .id = root.id, .owner = "a:b:1:3:1",
				       .to = DELIVER_DELIVERED, .now = "2026-12-01T10:01:00Z",
				       .note = "posted" };
	assert_int_equal(store_chat_move(st, &mv, &changed, &err), 0);
	assert_false(changed);
	/* the lease ran out: due again, as a claimed row to take over */
	assert_int_equal(store_chat_due(st, "2026-12-01T10:02:05Z", &due, &err), 0);
	assert_int_equal(due.n, 1);
	assert_int_equal(due.rows[0].state, DELIVER_CLAIMED);
	assert_string_equal(due.rows[0].claimed_by, "a:b:1:2:1");
	store_chat_posts_free(&due);
	/* the holder records its outcome */
	mv = (struct store_chat_move){ .id = root.id, .owner = "a:b:1:2:1",
				       .to = DELIVER_DELIVERED, .now = "2026-12-01T10:01:01Z",
				       .channel = "C0PM", .post_ref = "1764583200.000100",
				       .note = "posted" };
	assert_int_equal(store_chat_move(st, &mv, &changed, &err), 0);
	assert_true(changed);
	{
		char **lines;

		assert_int_equal(store_delivery_history(st, STORE_DELIVERY_CHAT, root.id, &lines, &err), 0);
		assert_string_equal(lines[0], "2026-12-01T10:00:00Z queued queued");
		assert_string_equal(lines[1], "2026-12-01T10:00:05Z claimed claimed to post");
		assert_string_equal(lines[2], "2026-12-01T10:01:01Z posted posted");
		assert_null(lines[3]);
		store_delivery_history_free(lines);
	}

	assert_int_equal(store_chat_due(st, "2026-12-01T10:01:02Z", &due, &err), 0);
	assert_int_equal(due.n, 1);
	assert_string_equal(due.rows[0].marker, "fk-entry-1");
	assert_string_equal(due.rows[0].parent_ref, "1764583200.000100");
	assert_string_equal(due.rows[0].parent_channel, "C0PM");

	/* rate limited: not due before next_attempt_at */
	mv = (struct store_chat_move){ .id = entry.id, .seen = &due.rows[0], .owner = "a:b:1:2:1",
				       .to = DELIVER_CLAIMED, .lease_until = "2026-12-01T10:03:02Z",
				       .now = "2026-12-01T10:01:02Z", .sent = true, .note = "c" };
	assert_int_equal(store_chat_move(st, &mv, &changed, &err), 0);
	assert_true(changed);
	store_chat_posts_free(&due);
	/* rate limited: not due before next_attempt_at */
	mv = (struct store_chat_move){ .id = entry.id, .owner = "a:b:1:2:1", .to = DELIVER_QUEUED,
				       .now = "2026-12-01T10:01:02Z",
				       .next_attempt_at = "2026-12-01T10:01:32Z",
				       .error = "rate limited" };
	assert_int_equal(store_chat_move(st, &mv, &changed, &err), 0);
	assert_true(changed);
	assert_int_equal(store_chat_due(st, "2026-12-01T10:01:10Z", &due, &err), 0);
	assert_int_equal(due.n, 0);
	store_chat_posts_free(&due);
	assert_int_equal(store_chat_due(st, "2026-12-01T10:01:32Z", &due, &err), 0);
	assert_int_equal(due.n, 1);
	store_chat_posts_free(&due);
	assert_int_equal(store_chat_pending(st, mid, &n, &err), 0);
	assert_int_equal(n, 1);

	{
		struct store_chat_post got;
		bool found;

		assert_int_equal(store_chat_root(st, iid, &got, &found, &err), 0);
		assert_true(found);
		assert_string_equal(got.post_ref, "1764583200.000100");
		assert_int_equal(got.attempts, 1);
		store_chat_post_release(&got);
	}
	store_free(st);
}

static void
test_replies_pulled_once(void **state)
{
	(void)state;
	char *err = NULL, path[512];
	long long mid, iid, minute, minute2;
	struct store *st = open_with_item("r.db", &mid, &iid);
	struct store_chat_post root = { .meeting_id = mid, .item_id = iid, .kind = "root",
					.service = "slack", .marker = "fk-root-2", .body = "PM" };
	struct store_chat_reply r = {
		.ref = "1764583300.000200", .user_ref = "U01MEI", .author = "Mei",
		.at = "2026-12-01T10:04:00Z", .kind = "action", .body = "add jitter",
		.owner = "payments", .due = "2026-12-15", .cursor = "1764583300.000200",
	};
	enum store_chat_pulled res;
	struct store_minutes mins;
	bool changed;

	assert_int_equal(store_chat_queue(st, &root, "2026-12-01T10:00:00Z", &err), 0);
	assert_int_equal(store_chat_pull(st, root.id, &r, &res, &minute, &err), 0);
	assert_int_equal(res, STORE_CHAT_NEW);
	assert_int_equal(store_chat_pull(st, root.id, &r, &res, &minute2, &err), 0);
	assert_int_equal(res, STORE_CHAT_SEEN);
	assert_int_equal(minute2, minute);

	/* reopened (as after kill -9): still one entry, cursor kept */
	snprintf(path, sizeof(path), "%s/r.db", tmpdir);
	store_free(st);
	st = store_open(path, &err);
	assert_non_null(st);
	assert_int_equal(store_chat_pull(st, root.id, &r, &res, &minute2, &err), 0);
	assert_int_equal(res, STORE_CHAT_SEEN);
	{
		struct store_chat_post got;
		bool found;

		assert_int_equal(store_chat_root(st, iid, &got, &found, &err), 0);
		assert_string_equal(got.cursor, "1764583300.000200");
		store_chat_post_release(&got);
	}

	/* an edit in the chat replaces the text */
	r.edited = "1764583400.000000";
	r.body = "add jitter and a retry budget";
	assert_int_equal(store_chat_pull(st, root.id, &r, &res, &minute2, &err), 0);
	assert_int_equal(res, STORE_CHAT_EDITED);

	assert_int_equal(store_minutes_load(st, mid, &mins, &err), 0);
	assert_int_equal(mins.n, 1);
	assert_string_equal(mins.rows[0].author, "Mei");
	assert_string_equal(mins.rows[0].kind, "action");
	assert_string_equal(mins.rows[0].body, "add jitter and a retry budget");
	assert_string_equal(mins.rows[0].created_at, "2026-12-01T10:04:00Z");
	assert_non_null(mins.rows[0].edited_at);
	assert_string_equal(mins.rows[0].owner, "payments");
	assert_int_equal(mins.rows[0].item_id, iid);
	store_minutes_free(&mins);

	/* a deletion strikes it out, once */
	assert_int_equal(store_chat_pull_deleted(st, root.id, r.ref, &changed, &err), 0);
	assert_true(changed);
	assert_int_equal(store_chat_pull_deleted(st, root.id, r.ref, &changed, &err), 0);
	assert_false(changed);
	assert_int_equal(store_minutes_load(st, mid, &mins, &err), 0);
	assert_true(mins.rows[0].deleted);
	store_minutes_free(&mins);

	{
		char *name;

		assert_int_equal(store_chat_user_get(st, "slack", "U01MEI", &name, &err), 0);
		assert_null(name);
		assert_int_equal(store_chat_user_put(st, "slack", "U01MEI", "Mei", "t", &err), 0);
		assert_int_equal(store_chat_user_put(st, "slack", "U01MEI", "Mei Sato", "t", &err),
				 0);
		assert_int_equal(store_chat_user_get(st, "slack", "U01MEI", &name, &err), 0);
		assert_string_equal(name, "Mei Sato");
		free(name);
	}
	store_free(st);
}

/* A store of version 9 (chat posts with the chat's own state names) takes
 * the delivery engine's: 'sending' is 'claimed' with no owner and no lease,
 * so the next flush takes it over and looks it up; 'posted' is
 * 'delivered'; the old names are refused from then on. */
static void
test_chat_states_migrated(void **state)
{
	(void)state;
	char path[512], *err = NULL, *msg = NULL;
	sqlite3 *db;
	struct store *st;
	struct store_chat_posts all, due;
	bool changed;

	snprintf(path, sizeof(path), "%s/v9.db", tmpdir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	for (int v = 0; v < 9; v++) {
		/* the search index needs the store's tokenizer: that error alone
		 * is expected */
		if (sqlite3_exec(db, store_migrations[v], NULL, NULL, &msg) != SQLITE_OK &&
		    strstr(msg, "furikaeri") == NULL)
			fail_msg("migration %d: %s", v, msg);
		sqlite3_free(msg);
		msg = NULL;
	}
	if (sqlite3_exec(db,
		"PRAGMA user_version = 9;"
		"INSERT INTO meetings (id, week) VALUES (1, '2026-W49');"
		"INSERT INTO chat_posts (id, meeting_id, kind, service, marker, body, state, channel,"
		" post_ref, queued_at, updated_at) VALUES"
		" (1, 1, 'root', 'slack', 'fk-1', 'r', 'posted', 'C0PM', '1.1', 'x', 'x'),"
		" (2, 1, 'wrapup', 'slack', 'fk-2', 'w', 'sending', NULL, NULL, 'x', 'x'),"
		" (3, 1, 'wrapup', 'slack', 'fk-3', 'w', 'refused', NULL, NULL, 'x', 'x');",
		NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s", msg);
	sqlite3_close(db);

	st = store_open(path, &err);
	if (st == NULL)
		fail_msg("%s", err);
	assert_int_equal(store_chat_list(st, 1, &all, &err), 0);
	assert_int_equal(all.n, 3);
	assert_int_equal(all.rows[0].state, DELIVER_DELIVERED);
	assert_int_equal(all.rows[1].state, DELIVER_CLAIMED);
	assert_null(all.rows[1].claimed_by);
	assert_null(all.rows[1].lease_until);
	assert_int_equal(all.rows[2].state, DELIVER_REFUSED);
	store_chat_posts_free(&all);
	/* the claimed row has no lease: due, to be taken over */
	assert_int_equal(store_chat_due(st, "2026-12-01T10:00:00Z", &due, &err), 0);
	assert_int_equal(due.n, 1);
	assert_int_equal(due.rows[0].id, 2);
	assert_int_equal(store_chat_move(st, &(struct store_chat_move){
		.id = 2, .seen = &due.rows[0], .to = DELIVER_UNKNOWN, .now = "2026-12-01T10:00:00Z",
		.note = "taken over" }, &changed, &err), 0);
	assert_true(changed);
	store_chat_posts_free(&due);
	if (sqlite3_exec(st->db, "UPDATE chat_posts SET state = 'posted' WHERE id = 3", NULL, NULL,
			 NULL) == SQLITE_OK)
		fail_msg("the state CHECK still takes the old names");
	if (sqlite3_exec(st->db, "UPDATE chat_posts SET state = 'failed' WHERE id = 3", NULL, NULL,
			 NULL) != SQLITE_OK)
		fail_msg("the state CHECK does not take 'failed'");
	store_free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_post_queue_states),
		cmocka_unit_test(test_replies_pulled_once),
		cmocka_unit_test(test_chat_states_migrated),
	};

	return cmocka_run_group_tests_name("store_chat", tests, setup, teardown);
}
