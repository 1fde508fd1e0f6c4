#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "furikaeri/store.h"
#include "furikaeri/store_chat.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/xalloc.h"

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
	store_chat_posts_free(&due);

	mv = (struct store_chat_move){ .id = root.id, .from = "queued", .to = "sending",
				       .now = "2026-12-01T10:00:05Z", .sent = true };
	assert_int_equal(store_chat_move(st, &mv, &changed, &err), 0);
	assert_true(changed);
	/* a second move from queued does nothing: one sender only */
	assert_int_equal(store_chat_move(st, &mv, &changed, &err), 0);
	assert_false(changed);
	/* killed mid-request: the post is unknown, not queued */
	assert_int_equal(store_chat_recover(st, "2026-12-01T10:01:00Z", &n, &err), 0);
	assert_int_equal(n, 1);
	mv = (struct store_chat_move){ .id = root.id, .from = "unknown", .to = "posted",
				       .now = "2026-12-01T10:01:01Z", .channel = "C0PM",
				       .post_ref = "1764583200.000100" };
	assert_int_equal(store_chat_move(st, &mv, &changed, &err), 0);
	assert_true(changed);

	assert_int_equal(store_chat_due(st, "2026-12-01T10:01:02Z", &due, &err), 0);
	assert_int_equal(due.n, 1);
	assert_string_equal(due.rows[0].marker, "fk-entry-1");
	assert_string_equal(due.rows[0].parent_ref, "1764583200.000100");
	assert_string_equal(due.rows[0].parent_channel, "C0PM");
	store_chat_posts_free(&due);

	/* rate limited: not due before next_attempt_at */
	mv = (struct store_chat_move){ .id = entry.id, .from = "queued", .to = "queued",
				       .now = "2026-12-01T10:01:02Z",
				       .next_attempt_at = "2026-12-01T10:01:32Z",
				       .error = "rate limited" };
	assert_int_equal(store_chat_move(st, &mv, &changed, &err), 0);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_post_queue_states),
		cmocka_unit_test(test_replies_pulled_once),
	};

	return cmocka_run_group_tests_name("store_chat", tests, setup, teardown);
}
