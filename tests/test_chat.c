#include "config.h"

#include <pthread.h>
#include <sqlite3.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake/fake_chat.h"
#include "fake/fake_clock.h"
#include "fake/fake_http.h"
#include "furikaeri/chat.h"
#include "furikaeri/chat_doctor.h"
#include "furikaeri/chat_flush.h"
#include "furikaeri/chat_pull.h"
#include "furikaeri/chat_queue.h"
#include "furikaeri/chat_worker.h"
#include "furikaeri/config.h"
#include "furikaeri/deliver.h"
#include "furikaeri/paths.h"
#include "furikaeri/store.h"
#include "furikaeri/store_delivery.h"
#include "furikaeri/store_chat.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/store_outbox.h"
#include "furikaeri/xalloc.h"

#define MM_POSTS "/api/v4/channels/pm000000000000000000000000/posts"
#define NOW 1764583100	/* just before the fake chat's first ts */

static char tmpdir[] = "/tmp/fk-test-chat-XXXXXX";

/* The post queue of a chat (borrowed). */
static struct chat_queue *
queue_of(struct chat *c)
{
	return chat_get_queue(c);
}

struct fixture {
	struct fake_http *f;
	struct fake_chat *fc;
	struct store *st;
	struct config *cfg;
	struct chat *chat;
	struct fake_clock clock;
	struct http_clock hc;
	struct http_client *http;
	char db[256];
	long long meeting, item;
	bool mattermost;
	const void *kase;	/* a table-driven test's row */
};

static int
group_setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
group_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
open_chat(struct fixture *fx)
{
	char *err = NULL;
	struct chat_options opts = { .http = fx->http, .clock = &fx->hc,
				     .max_inline_wait_ms = 1000, .recheck_ms = 5000 };

	fx->chat = chat_new(fx->cfg, fx->st, &opts, &err);
	if (fx->chat == NULL)
		fail_msg("%s", err);
}

static int
start(void **state, bool mattermost, const char *extra)
{
	static int n;
	struct fixture *fx = calloc(1, sizeof(*fx));
	char ini[1024], *err = NULL;
	struct store_agenda_row row = { .kind = "topic", .title = "Payment timeouts",
					 .state = "current" };
	struct store_agenda ag = { .rows = &row, .n = 1 };
	struct http_options ho = { .timeout_ms = 3000, .connect_timeout_ms = 2000 };

	fx->mattermost = mattermost;
	snprintf(fx->db, sizeof(fx->db), "%s/c%d.db", tmpdir, ++n);
	fx->f = fake_http_start();
	assert_non_null(fx->f);
	fx->fc = fake_chat_new(fx->f, mattermost ? FAKE_CHAT_MATTERMOST : FAKE_CHAT_SLACK);
	fx->st = store_open(fx->db, &err);
	assert_non_null(fx->st);
	assert_int_equal(store_meeting_create(fx->st, "2026-W49", 60, &fx->meeting, &err), 0);
	assert_int_equal(store_agenda_save(fx->st, fx->meeting, &ag, &err), 0);
	fx->item = row.id;
	snprintf(ini, sizeof(ini), "[chat]\nservice = %s\nchannel = #postmortems\nurl = %s/\n%s",
		 mattermost ? "mattermost" : "slack", fake_http_url(fx->f), extra);
	fx->cfg = config_parse(ini, "c.ini", &err);
	assert_non_null(fx->cfg);
	setenv("SLACK_BOT_TOKEN", "xoxb-test", 1);
	setenv("MATTERMOST_TOKEN", "mm-test", 1);
	fx->clock.epoch = NOW;
	fx->hc = fake_clock_http(&fx->clock);
	fx->http = http_client_new(&ho, &err);
	assert_non_null(fx->http);
	open_chat(fx);
	*state = fx;
	return 0;
}

static int
setup_slack(void **state)
{
	return start(state, false, "");
}

static int
setup_slack_all(void **state)
{
	return start(state, false, "echo = all\n");
}

static int
setup_slack_fast(void **state)
{
	return start(state, false, "poll_seconds = 1\n");
}

static int
setup_mattermost_all(void **state)
{
	return start(state, true, "echo = all\n");
}

static int
setup_mattermost(void **state)
{
	return start(state, true, "");
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	chat_free(fx->chat);
	http_client_free(fx->http);
	store_free(fx->st);
	fake_chat_free(fx->fc);
	fake_http_stop(fx->f);
	config_free(fx->cfg);
	free(fx);
	return 0;
}

/* An action of fx's item whose ticket key was delivered by the outbox, as
 * the ticket worker does (claim, then delivered with the key); returns the
 * measure. The key post is not queued: that is the chat's to do. */
static long long
deliver_ticket(struct fixture *fx, const char *title, const char *key)
{
	struct store_minute m = { .item_id = fx->item, .kind = "action", .body = (char *)title };
	struct store_outbox_item row;
	enum store_outbox_queued queued;
	char *err = NULL, *had = NULL;
	bool found, changed;
	const char *now = "2026-12-01T10:00:00Z";

	assert_int_equal(store_minute_add(fx->st, fx->meeting, &m, &err), 0);
	free(m.created_at);
	assert_int_equal(store_outbox_queue(fx->st, m.measure_id, "jira", now, &queued, &had, &err),
			 0);
	free(had);
	assert_int_equal(store_outbox_get(fx->st, m.measure_id, &row, &found, &err), 0);
	assert_true(found);
	struct store_outbox_move claim = {
		.id = row.id, .guard = STORE_OUTBOX_DUE, .owner = "test:1", .now = now,
		.to = DELIVER_CLAIMED, .lease_until = "2026-12-01T10:05:00Z", .look_first = -1,
		.misses = -1, .note = "claimed",
	};
	struct store_outbox_move done = {
		.id = row.id, .guard = STORE_OUTBOX_MINE, .owner = "test:1", .now = now,
		.to = DELIVER_DELIVERED, .look_first = -1, .misses = -1, .key = key,
		.note = "created",
	};
	assert_int_equal(store_outbox_move(fx->st, &claim, &changed, &err), 0);
	assert_true(changed);
	assert_int_equal(store_outbox_move(fx->st, &done, &changed, &err), 0);
	assert_true(changed);
	store_outbox_item_release(&row);
	return m.measure_id;
}

static size_t
flush(struct fixture *fx)
{
	char *err = NULL;
	size_t sent;

	if (chat_flush(fx->chat, &sent, &err) < 0)
		fail_msg("%s", err);
	return sent;
}

static void
poll_item(struct fixture *fx, bool full, struct chat_events *ev)
{
	char *err = NULL;

	if (chat_pull(fx->chat, fx->item, full, ev, &err) < 0)
		fail_msg("%s", err);
}

/* The root's ref in the chat. */
static char *
root_ref(struct fixture *fx)
{
	struct store_chat_post root;
	bool found;
	char *err = NULL, *ref;

	assert_int_equal(store_chat_root(fx->st, fx->item, &root, &found, &err), 0);
	assert_true(found);
	assert_int_equal(root.state, DELIVER_DELIVERED);
	ref = root.post_ref;
	root.post_ref = NULL;
	store_chat_post_release(&root);
	return ref;
}

static const char *
user(struct fixture *fx, const char *who)
{
	if (!fx->mattermost)
		return strcmp(who, "aoi") == 0 ? "U01AOI" : strcmp(who, "ken") == 0 ? "U02KEN"
										    : "U03MEI";
	return strcmp(who, "aoi") == 0 ? "aoi00000000000000000000000"
	     : strcmp(who, "ken") == 0 ? "ken00000000000000000000000" : "mei00000000000000000000000";
}

static void
check_meeting_in_channel(struct fixture *fx)
{
	char *err = NULL, *root;
	bool queued;
	const char *text, *thread, *ref_ken, *ref_mei;
	struct chat_events ev;
	struct store_minutes mins;

	assert_int_equal(chat_queue_item(queue_of(fx->chat), fx->meeting, fx->item,
					"PM-031 Payment API timeouts <SEV2> & retries", &err), 0);
	/* opening again (a restart) keeps the one root */
	assert_int_equal(chat_queue_item(queue_of(fx->chat), fx->meeting, fx->item, "again", &err), 0);
	assert_int_equal(chat_queue_entry(queue_of(fx->chat), fx->meeting, fx->item, 0, "note", "a note",
					 "Aoi", &queued, &err), 0);
	assert_false(queued);	/* echo = decisions */
	assert_int_equal(chat_queue_entry(queue_of(fx->chat), fx->meeting, fx->item, 0, "decision",
					 "roll back first", "Aoi", &queued, &err), 0);
	assert_true(queued);
	{
		long long before = fx->clock.ms;

		assert_int_equal(flush(fx), 2);
		/* about one post a second per channel, as Slack asks */
		assert_true(fx->clock.ms - before >= 1100);
	}
	assert_int_equal(fake_chat_bot_posts(fx->fc), 2);
	root = root_ref(fx);
	fake_chat_bot_post(fx->fc, 0, &text, &thread);
	assert_null(thread);
	if (fx->mattermost)
		assert_non_null(strstr(text, "\\<SEV2\\> & retries"));
	else
		assert_non_null(strstr(text, "&lt;SEV2&gt; &amp; retries"));
	fake_chat_bot_post(fx->fc, 1, &text, &thread);
	assert_string_equal(thread, root);
	assert_non_null(strstr(text, "roll back first"));

	/* three attendees reply in the thread */
	fake_chat_reply(fx->fc, root, user(fx, "aoi"), "リトライにジッターがなかった");
	ref_ken = fake_chat_reply(fx->fc, root, user(fx, "ken"),
				  "action: add a retry budget @payments due:2026-12-15");
	ref_mei = fake_chat_reply(fx->fc, root, user(fx, "mei"),
				  fx->mattermost ? "q: why did the canary pass?"
						 : "q: why did the canary pass, <@U01AOI>?");
	(void)ref_ken;
	poll_item(fx, false, &ev);
	assert_int_equal(ev.n, 3);
	assert_string_equal(ev.rows[0].author, "Aoi");
	assert_string_equal(ev.rows[0].entry_kind, "note");
	assert_string_equal(ev.rows[0].text, "リトライにジッターがなかった");
	assert_string_equal(ev.rows[1].author, "Ken");
	assert_string_equal(ev.rows[1].entry_kind, "action");
	assert_string_equal(ev.rows[2].author, "Mei");
	assert_string_equal(ev.rows[2].entry_kind, "question");
	if (!fx->mattermost)
		assert_string_equal(ev.rows[2].text, "why did the canary pass, @Aoi?");
	chat_events_free(&ev);

	/* never pulled twice, and each person looked up once */
	poll_item(fx, false, &ev);
	assert_int_equal(ev.n, 0);
	chat_events_free(&ev);
	poll_item(fx, true, &ev);
	assert_int_equal(ev.n, 0);
	chat_events_free(&ev);
	if (!fx->mattermost)
		assert_int_equal(fake_http_count(fx->f, "GET", "/users.info"), 3);

	/* an edit and a deletion in the chat */
	fake_chat_edit(fx->fc, ref_mei, "q: why did the canary not catch it?");
	poll_item(fx, true, &ev);
	assert_int_equal(ev.n, 1);
	assert_int_equal(ev.rows[0].kind, CHAT_EVENT_EDITED);
	chat_events_free(&ev);
	fake_chat_delete(fx->fc, ref_ken);
	poll_item(fx, true, &ev);
	assert_int_equal(ev.n, 1);
	assert_int_equal(ev.rows[0].kind, CHAT_EVENT_DELETED);
	chat_events_free(&ev);

	assert_int_equal(store_minutes_load(fx->st, fx->meeting, &mins, &err), 0);
	assert_int_equal(mins.n, 3);
	assert_string_equal(mins.rows[0].author, "Aoi");
	assert_string_equal(mins.rows[1].kind, "action");
	assert_string_equal(mins.rows[1].owner, "payments");
	assert_string_equal(mins.rows[1].due, "2026-12-15");
	assert_true(mins.rows[1].deleted);
	assert_string_equal(mins.rows[2].body, "why did the canary not catch it?");
	assert_non_null(mins.rows[2].edited_at);
	store_minutes_free(&mins);
	free(root);
}

static void
test_slack_meeting(void **state)
{
	check_meeting_in_channel(*state);
}

static void
test_mattermost_meeting(void **state)
{
	struct fixture *fx = *state;
	char *report;

	if (chat_doctor(fx->chat, &report) != 0)
		fail_msg("%s", report);
	assert_non_null(strstr(report, "authenticates as furikaeri"));
	free(report);

	check_meeting_in_channel(fx);
	assert_true(fake_http_count(fx->f, "POST", "/api/v4/posts") >= 2);
	assert_true(fake_http_count(fx->f, "GET", "/api/v4/posts/") >= 1);
}

/* A post stored whose answer was lost is found by its marker, not posted
 * again; one that never arrived is posted again after the lookup missed. */
static void
check_never_twice(struct fixture *fx)
{
	char *err = NULL;
	struct store_chat_posts all;
	bool queued;
	const enum fake_chat_fault faults[] = {
		FAKE_CHAT_DROP_STORED, FAKE_CHAT_5XX_STORED, FAKE_CHAT_DOWN,
	};

	fake_chat_faults(fx->fc, faults, 3);
	assert_int_equal(chat_queue_item(queue_of(fx->chat), fx->meeting, fx->item, "root", &err), 0);
	assert_int_equal(flush(fx), 0);
	assert_int_equal(fake_chat_bot_posts(fx->fc), 1);
	/* not looked for before recheck */
	assert_int_equal(flush(fx), 0);
	fx->clock.ms += 6000;
	assert_int_equal(flush(fx), 1);	/* found in the channel's history */
	assert_int_equal(fake_chat_bot_posts(fx->fc), 1);

	assert_int_equal(chat_queue_entry(queue_of(fx->chat), fx->meeting, fx->item, 0, "decision", "d1",
					 NULL, &queued, &err), 0);
	assert_int_equal(flush(fx), 0);		/* 502 after storing */
	fx->clock.ms += 6000;
	assert_int_equal(flush(fx), 1);		/* found in the thread */
	assert_int_equal(fake_chat_bot_posts(fx->fc), 2);

	assert_int_equal(chat_queue_entry(queue_of(fx->chat), fx->meeting, fx->item, 0, "action", "a1",
					 NULL, &queued, &err), 0);
	assert_int_equal(flush(fx), 0);		/* dropped before storing */
	assert_int_equal(fake_chat_bot_posts(fx->fc), 2);
	fx->clock.ms += 6000;
	assert_int_equal(flush(fx), 1);		/* looked for, missed, posted */
	assert_int_equal(fake_chat_bot_posts(fx->fc), 3);

	assert_int_equal(store_chat_list(fx->st, fx->meeting, &all, &err), 0);
	assert_int_equal(all.n, 3);
	for (size_t i = 0; i < all.n; i++) {
		assert_int_equal(all.rows[i].state, DELIVER_DELIVERED);
		assert_int_equal(fake_chat_count_marker(fx->fc, all.rows[i].marker), 1);
	}
	store_chat_posts_free(&all);
}

static void
test_slack_never_twice(void **state)
{
	check_never_twice(*state);
}

static void
test_mattermost_never_twice(void **state)
{
	check_never_twice(*state);
}

/* A reply only one person sees is in no history: nothing can look it up.
 * Whose answer is lost is never sent again (settled, not pending); asked
 * for again (the same person, item and kind), it is not queued again; one
 * refused for now (429) is sent later, once. The
 * meeting's opening post is queued once however often it is asked for. */
static void
check_ephemeral(struct fixture *fx)
{
	const char *mei = fx->mattermost ? "mei00000000000000000000000" : "U03MEI";
	const char *ken = fx->mattermost ? "ken00000000000000000000000" : "U02KEN";
	const enum fake_chat_fault drop[] = { FAKE_CHAT_DROP_STORED };
	const enum fake_chat_fault limited[] = { FAKE_CHAT_429 };
	const struct chat_opening_item items[] = { { .title = "Payment timeouts", .minutes = 50 } };
	const struct chat_opening o = { .week = "2026-W49", .facilitator = { .name = "Aoi" },
					.items = items, .n_items = 1, .total_minutes = 60 };
	const char *user, *thread, *text;
	char *err = NULL, *root;
	struct store_chat_posts all;
	size_t pending;
	bool queued;

	assert_int_equal(chat_queue_opening(queue_of(fx->chat), fx->meeting, &o, &queued, &err), 0);
	assert_true(queued);
	assert_int_equal(chat_queue_opening(queue_of(fx->chat), fx->meeting, &o, &queued, &err), 0);
	assert_false(queued);
	assert_int_equal(chat_queue_item(queue_of(fx->chat), fx->meeting, fx->item, "root", &err), 0);
	assert_int_equal(flush(fx), 2);
	assert_int_equal(fake_chat_bot_posts(fx->fc), 2);
	root = root_ref(fx);

	/* shown, its answer lost: unknown, settled, never sent again */
	fake_chat_faults(fx->fc, drop, 1);
	assert_int_equal(chat_queue_tell(queue_of(fx->chat), fx->meeting, fx->item, mei, "agree",
				   "Only the facilitator (Aoi) can agree", &queued, &err), 0);
	assert_true(queued);
	assert_int_equal(flush(fx), 0);
	assert_int_equal(fake_chat_ephemerals(fx->fc, 0, &user, &thread, &text), 1);
	assert_string_equal(user, mei);
	assert_string_equal(thread, root);
	assert_non_null(strstr(text, "Only the facilitator"));
	for (int i = 0; i < 3; i++) {
		fx->clock.ms += 60000;
		flush(fx);
	}
	assert_int_equal(fake_chat_ephemerals(fx->fc, 0, NULL, NULL, NULL), 1);
	assert_int_equal(store_chat_pending(fx->st, fx->meeting, &pending, &err), 0);
	assert_int_equal(pending, 0);
	/* the same person, item and kind: not queued again */
	assert_int_equal(chat_queue_tell(queue_of(fx->chat), fx->meeting, fx->item, mei, "agree", "again",
				   &queued, &err), 0);
	assert_false(queued);

	/* not shown (rate-limited): sent later, once */
	fake_chat_faults(fx->fc, limited, 1);
	assert_int_equal(chat_queue_tell(queue_of(fx->chat), fx->meeting, fx->item, ken, "ticket",
				   "Only the facilitator (Aoi) can file", &queued, &err), 0);
	assert_true(queued);
	flush(fx);
	fx->clock.ms += 60000;
	flush(fx);
	assert_int_equal(fake_chat_ephemerals(fx->fc, 0, NULL, NULL, NULL), 2);
	fake_chat_ephemerals(fx->fc, 1, &user, NULL, &text);
	assert_string_equal(user, ken);

	assert_int_equal(store_chat_list(fx->st, fx->meeting, &all, &err), 0);
	assert_int_equal(all.n, 4);
	assert_string_equal(all.rows[0].kind, "opening");
	assert_int_equal(all.rows[2].state, DELIVER_UNKNOWN);
	assert_non_null(strstr(all.rows[2].last_error, "not sent again"));
	assert_int_equal(all.rows[3].state, DELIVER_DELIVERED);
	store_chat_posts_free(&all);
	assert_int_equal(fake_chat_bot_posts(fx->fc), 2);
	free(root);
}

static void
test_slack_ephemeral(void **state)
{
	check_ephemeral(*state);
}

static void
test_mattermost_ephemeral(void **state)
{
	check_ephemeral(*state);
}

/* Killed while a post was in flight: the next process looks before it
 * posts; replies pulled before the kill are not pulled again. */
static void
test_slack_restart(void **state)
{
	struct fixture *fx = *state;
	char *err = NULL, *root;
	struct store_chat_posts due;
	struct chat_events ev;
	bool queued, changed;

	assert_int_equal(chat_queue_item(queue_of(fx->chat), fx->meeting, fx->item, "root", &err), 0);
	assert_int_equal(flush(fx), 1);
	root = root_ref(fx);
	fake_chat_reply(fx->fc, root, "U01AOI", "before the kill");
	poll_item(fx, false, &ev);
	assert_int_equal(ev.n, 1);
	chat_events_free(&ev);

	/* a post the dead process had claimed and sent: its lease ran out */
	assert_int_equal(chat_queue_entry(queue_of(fx->chat), fx->meeting, fx->item, 0, "decision", "d",
					 NULL, &queued, &err), 0);
	assert_int_equal(store_chat_due(fx->st, "2100-01-01T00:00:00Z", &due, &err), 0);
	assert_int_equal(due.n, 1);
	assert_int_equal(store_chat_move(fx->st, &(struct store_chat_move){
		.id = due.rows[0].id, .seen = &due.rows[0], .owner = "elsewhere:b:1:2:3",
		.to = DELIVER_CLAIMED, .lease_until = "2025-12-01T00:00:00Z",
		.now = "2025-12-01T00:00:00Z", .sent = true, .note = "claimed to post" },
		&changed, &err), 0);
	assert_true(changed);
	store_chat_posts_free(&due);
	chat_free(fx->chat);
	store_free(fx->st);

	fx->st = store_open(fx->db, &err);
	assert_non_null(fx->st);
	open_chat(fx);
	fake_chat_reply(fx->fc, root, "U02KEN", "after the restart");
	poll_item(fx, false, &ev);
	assert_int_equal(ev.n, 1);
	assert_string_equal(ev.rows[0].text, "after the restart");
	chat_events_free(&ev);
	poll_item(fx, true, &ev);
	assert_int_equal(ev.n, 0);
	chat_events_free(&ev);
	/* the claimed post is unknown now: looked for, missed, posted once */
	assert_int_equal(flush(fx), 1);
	assert_int_equal(fake_chat_bot_posts(fx->fc), 2);
	assert_int_equal(fake_http_count(fx->f, "GET", "/conversations.replies"), 4);
	free(root);
}

static void
test_slack_rate_limit(void **state)
{
	struct fixture *fx = *state;
	char *err = NULL, buf[128];
	const enum fake_chat_fault faults[] = { FAKE_CHAT_429 };

	fake_chat_faults(fx->fc, faults, 1);
	assert_int_equal(chat_queue_item(queue_of(fx->chat), fx->meeting, fx->item, "root", &err), 0);
	/* Retry-After: 2 is more than this chat waits inline (1 s) */
	assert_int_equal(flush(fx), 0);
	assert_int_equal(chat_status(fx->chat, fx->meeting, buf, sizeof(buf)), CHAT_RATE_LIMITED);
	assert_non_null(strstr(buf, "rate-limited until "));
	assert_int_equal(flush(fx), 0);		/* not due yet: nothing sent */
	assert_int_equal(fake_http_count(fx->f, "POST", "/chat.postMessage"), 1);
	fx->clock.ms += 6000;
	assert_int_equal(flush(fx), 1);
	assert_int_equal(chat_status(fx->chat, fx->meeting, buf, sizeof(buf)), CHAT_CONNECTED);
	assert_string_equal(buf, "connected");
}

static void
test_slack_unreachable_then_back(void **state)
{
	struct fixture *fx = *state;
	char *err = NULL, buf[128];
	bool queued;

	fake_chat_down(fx->fc, true);
	assert_int_equal(chat_queue_item(queue_of(fx->chat), fx->meeting, fx->item, "root", &err), 0);
	assert_int_equal(chat_queue_entry(queue_of(fx->chat), fx->meeting, fx->item, 0, "decision", "d",
					 NULL, &queued, &err), 0);
	assert_int_equal(flush(fx), 0);
	assert_int_equal(chat_status(fx->chat, fx->meeting, buf, sizeof(buf)), CHAT_UNREACHABLE);
	fake_chat_down(fx->fc, false);
	fx->clock.ms += 6000;
	assert_int_equal(flush(fx), 2);
	assert_int_equal(fake_chat_bot_posts(fx->fc), 2);
	assert_int_equal(chat_status(fx->chat, fx->meeting, buf, sizeof(buf)), CHAT_CONNECTED);
}

static void
test_slack_errors_say_what_to_do(void **state)
{
	struct fixture *fx = *state;
	char *err = NULL, *report = NULL, buf[512];
	struct store_chat_posts all;

	assert_int_equal(chat_doctor(fx->chat, &report), 0);
	assert_non_null(strstr(report, "authenticates as furikaeri"));
	assert_non_null(strstr(report, "every scope the meeting uses"));
	assert_non_null(strstr(report, "channel #postmortems (C0PM) found"));
	free(report);

	fake_chat_scopes(fx->fc, "chat:write,channels:read,channels:history");
	assert_int_equal(chat_doctor(fx->chat, &report), -1);
	assert_non_null(strstr(report, "lacks groups:read (to find a private channel by name), "
				       "groups:history"));
	assert_non_null(strstr(report, "users:read (to show who said what by name)"));
	assert_non_null(strstr(report, "reinstall"));
	{
		/* the manifest named where it is, which exists */
		char *dir = paths_data_dir();
		char *manifest = xasprintf("%s/chat/slack-app-manifest.yml", dir);
		assert_non_null(strstr(report, manifest));
		assert_int_equal(access(manifest, R_OK), 0);
		free(manifest);
		free(dir);
	}
	free(report);
	fake_chat_scopes(fx->fc, "chat:write,channels:read,groups:read,channels:history,"
			 "groups:history,users:read,users:read.email");

	fake_chat_membership(fx->fc, false);
	assert_int_equal(chat_doctor(fx->chat, &report), -1);
	assert_non_null(strstr(report, "invite it there"));
	free(report);

	/* a post refused for it stays with the reason */
	chat_free(fx->chat);
	open_chat(fx);
	fake_chat_membership(fx->fc, true);
	{
		const enum fake_chat_fault faults[] = { FAKE_CHAT_NOT_IN_CHANNEL };

		fake_chat_faults(fx->fc, faults, 1);
	}
	assert_int_equal(chat_queue_item(queue_of(fx->chat), fx->meeting, fx->item, "root", &err), 0);
	assert_int_equal(flush(fx), 0);
	assert_int_equal(store_chat_list(fx->st, fx->meeting, &all, &err), 0);
	assert_int_equal(all.rows[0].state, DELIVER_REFUSED);
	assert_non_null(strstr(all.rows[0].last_error, "not_in_channel"));
	assert_non_null(strstr(all.rows[0].last_error, "invite"));
	store_chat_posts_free(&all);
	assert_int_equal(chat_status(fx->chat, fx->meeting, buf, sizeof(buf)), CHAT_REFUSED);

	/* a bad token: the token itself is never in the message */
	chat_free(fx->chat);
	setenv("SLACK_BOT_TOKEN", "xoxb-wrong-secret", 1);
	open_chat(fx);
	assert_int_equal(chat_doctor(fx->chat, &report), -1);
	assert_non_null(strstr(report, "invalid_auth"));
	assert_non_null(strstr(report, "SLACK_BOT_TOKEN"));
	assert_null(strstr(report, "xoxb-wrong-secret"));
	free(report);
}

/* Slack's ok:false codes, classified from its documentation (see
 * src/chat_slack.c): later (every post waits for the rate limit), unknown
 * (looked up by marker before any resend), or refused (a person must act),
 * each a test of its own. */
static const struct slack_code {
	const char *name;
	const char *code;
	enum deliver_state state;	/* what the post is after the answer */
	const char *says;		/* in its last_error */
	bool auth;			/* the token is refused: nothing more is sent */
} slack_codes[] = {
	{ "slack_code_rate_limited", "rate_limited", DELIVER_QUEUED, "resumes by itself", false },
	{ "slack_code_ratelimited", "ratelimited", DELIVER_QUEUED, "resumes by itself", false },
	{ "slack_code_internal_error", "internal_error", DELIVER_UNKNOWN,
	  "looked for in the channel", false },
	{ "slack_code_fatal_error", "fatal_error", DELIVER_UNKNOWN, "looked for in the channel",
	  false },
	{ "slack_code_service_unavailable", "service_unavailable", DELIVER_UNKNOWN,
	  "looked for in the channel", false },
	{ "slack_code_request_timeout", "request_timeout", DELIVER_UNKNOWN,
	  "looked for in the channel", false },
	{ "slack_code_channel_not_found", "channel_not_found", DELIVER_REFUSED,
	  "check [chat] channel", false },
	{ "slack_code_not_in_channel", "not_in_channel", DELIVER_REFUSED, "invite it there", false },
	{ "slack_code_is_archived", "is_archived", DELIVER_REFUSED, "unarchive it", false },
	{ "slack_code_invalid_auth", "invalid_auth", DELIVER_REFUSED,
	  "set SLACK_BOT_TOKEN or [chat] token_file", true },
	{ "slack_code_not_authed", "not_authed", DELIVER_REFUSED, "set SLACK_BOT_TOKEN", true },
	{ "slack_code_token_revoked", "token_revoked", DELIVER_REFUSED, "reinstall the app", true },
	{ "slack_code_token_expired", "token_expired", DELIVER_REFUSED, "token rotation", true },
	{ "slack_code_account_inactive", "account_inactive", DELIVER_REFUSED, "deactivated", true },
	{ "slack_code_missing_scope", "missing_scope", DELIVER_REFUSED, "(needed: chat:write)", false },
	{ "slack_code_msg_too_long", "msg_too_long", DELIVER_REFUSED, "shorten the entry", false },
	{ "slack_code_no_text", "no_text", DELIVER_REFUSED, "some text", false },
	{ "slack_code_restricted_action", "restricted_action", DELIVER_REFUSED, "Slack admin", false },
	{ "slack_code_ekm_access_denied", "ekm_access_denied", DELIVER_REFUSED,
	  "Enterprise Key Management", false },
	{ "slack_code_not_in_the_table", "some_new_code", DELIVER_REFUSED,
	  "https://api.slack.com/methods/chat.postMessage", false },
};

static int
setup_slack_code(void **state)
{
	const void *kase = *state;
	int rc = start(state, false, "");

	((struct fixture *)*state)->kase = kase;
	return rc;
}

/* The root posts; the code meets the entry after it. */
static void
test_slack_code(void **state)
{
	struct fixture *fx = *state;
	const struct slack_code *k = fx->kase;
	char *err = NULL, buf[512], *root;
	struct store_chat_posts all;
	struct chat_events ev;
	bool queued;
	size_t posts, reads;

	assert_int_equal(chat_queue_item(queue_of(fx->chat), fx->meeting, fx->item, "root", &err), 0);
	assert_int_equal(flush(fx), 1);
	fake_chat_slack_error(fx->fc, k->code);
	assert_int_equal(chat_queue_entry(queue_of(fx->chat), fx->meeting, fx->item, 0, "decision", "d1",
					 NULL, &queued, &err), 0);
	assert_int_equal(flush(fx), 0);
	assert_int_equal(store_chat_list(fx->st, fx->meeting, &all, &err), 0);
	if (all.rows[1].state != k->state || strstr(all.rows[1].last_error, k->code) == NULL ||
	    strstr(all.rows[1].last_error, k->says) == NULL)
		fail_msg("%s: %s: %s", k->code, deliver_state_name(all.rows[1].state),
			 all.rows[1].last_error);
	store_chat_posts_free(&all);
	posts = fake_http_count(fx->f, "POST", "/chat.postMessage");
	switch (k->state) {
	case DELIVER_QUEUED:
		/* every post waits for the rate limit, a new one too */
		assert_int_equal(chat_status(fx->chat, fx->meeting, buf, sizeof(buf)),
				 CHAT_RATE_LIMITED);
		assert_int_equal(chat_queue_wrapup_text(queue_of(fx->chat), fx->meeting, "wrap-up", &err), 0);
		fx->clock.ms += 5000;
		assert_int_equal(flush(fx), 0);
		assert_int_equal(fake_http_count(fx->f, "POST", "/chat.postMessage"), posts);
		fx->clock.ms += 60000;
		assert_int_equal(flush(fx), 2);
		break;
	case DELIVER_UNKNOWN:
		/* looked up before any resend: not found, so posted once */
		assert_int_not_equal(chat_status(fx->chat, fx->meeting, buf, sizeof(buf)),
				     CHAT_REFUSED);
		reads = fake_http_count(fx->f, "GET", "/conversations.replies");
		fx->clock.ms += 6000;
		assert_int_equal(flush(fx), 1);
		assert_true(fake_http_count(fx->f, "GET", "/conversations.replies") > reads);
		assert_int_equal(fake_http_count(fx->f, "POST", "/chat.postMessage"), posts + 1);
		break;
	default:
		if (k->auth) {
			/* a refused token: nothing more is sent or read with it
			 * until the facilitator asks again (/chat retry) */
			size_t calls = fake_http_count(fx->f, "GET", "/") +
				       fake_http_count(fx->f, "POST", "/");
			assert_int_equal(chat_status(fx->chat, fx->meeting, buf, sizeof(buf)),
					 CHAT_REFUSED);
			assert_non_null(strstr(buf, "/chat retry"));
			assert_int_equal(chat_queue_wrapup_text(queue_of(fx->chat), fx->meeting, "wrap-up", &err), 0);
			assert_int_equal(flush(fx), 0);
			poll_item(fx, true, &ev);
			chat_events_free(&ev);
			assert_int_equal(fake_http_count(fx->f, "GET", "/") +
					 fake_http_count(fx->f, "POST", "/"), calls);
			chat_retry(fx->chat);
			assert_int_equal(flush(fx), 1);
			assert_int_equal(fake_http_count(fx->f, "GET", "/auth.test"), 2);
			assert_int_equal(chat_status(fx->chat, fx->meeting, buf, sizeof(buf)),
					 CHAT_CONNECTED);
			break;
		}
		/* refused; the header clears once a later post goes through */
		assert_int_equal(chat_status(fx->chat, fx->meeting, buf, sizeof(buf)), CHAT_REFUSED);
		assert_non_null(strstr(buf, k->code));
		assert_int_equal(chat_queue_wrapup_text(queue_of(fx->chat), fx->meeting, "wrap-up", &err), 0);
		assert_int_equal(flush(fx), 1);
		assert_int_equal(chat_status(fx->chat, fx->meeting, buf, sizeof(buf)),
				 CHAT_CONNECTED);
		break;
	}
	assert_int_equal(store_chat_list(fx->st, fx->meeting, &all, &err), 0);
	for (size_t i = 0; i < all.n; i++)
		assert_int_equal(fake_chat_count_marker(fx->fc, all.rows[i].marker),
				 all.rows[i].state == DELIVER_REFUSED ? 0 : 1);
	store_chat_posts_free(&all);
	/* the thread whose root posted is read, whatever became of the entry */
	root = root_ref(fx);
	fake_chat_reply(fx->fc, root, "U01AOI", "still read");
	poll_item(fx, false, &ev);
	assert_int_equal(ev.n, 1);
	assert_string_equal(ev.rows[0].text, "still read");
	chat_events_free(&ev);
	free(root);
}

/* internal_error after Slack stored the root ("some aspect of the operation
 * succeeded"): found by its marker, never posted twice, and its thread read. */
static void
test_slack_internal_error_root_is_found(void **state)
{
	struct fixture *fx = *state;
	char *err = NULL, *root;
	struct chat_events ev;

	fake_chat_slack_error_stored(fx->fc, "internal_error");
	assert_int_equal(chat_queue_item(queue_of(fx->chat), fx->meeting, fx->item, "root", &err), 0);
	assert_int_equal(flush(fx), 0);
	assert_int_equal(fake_chat_bot_posts(fx->fc), 1);
	fx->clock.ms += 6000;
	assert_int_equal(flush(fx), 1);
	assert_int_equal(fake_chat_bot_posts(fx->fc), 1);
	root = root_ref(fx);
	fake_chat_reply(fx->fc, root, "U02KEN", "reply to the root");
	poll_item(fx, false, &ev);
	assert_int_equal(ev.n, 1);
	chat_events_free(&ev);
	free(root);
}

static void
test_echo_all(void **state)
{
	struct fixture *fx = *state;
	char *err = NULL;
	bool queued;

	assert_int_equal(chat_queue_entry(queue_of(fx->chat), fx->meeting, fx->item, 0, "note", "n", "Aoi",
					 &queued, &err), 0);
	assert_true(queued);
	/* the entry made its item's root first */
	assert_int_equal(flush(fx), 2);
	assert_int_equal(chat_queue_wrapup_text(queue_of(fx->chat), fx->meeting, "Decisions: 1", &err), 0);
	long long measure = deliver_ticket(fx, "Rotate", "OPS-412");
	assert_int_equal(chat_queue_ticket(queue_of(fx->chat), measure, "OPS-412",
					  "https://acme.atlassian.net/browse/OPS-412", &queued, &err),
			 0);
	assert_true(queued);
	/* asked twice (the session, then another process): one post */
	assert_int_equal(chat_queue_ticket(queue_of(fx->chat), measure, "OPS-412", NULL, &queued, &err), 0);
	assert_false(queued);
	assert_int_equal(flush(fx), 2);
	{
		const char *text, *thread;

		fake_chat_bot_post(fx->fc, 3, &text, &thread);
		assert_non_null(strstr(text, "OPS-412"));
		assert_non_null(strstr(text, "for action 1"));
		assert_non_null(thread);
		fake_chat_bot_post(fx->fc, 2, &text, &thread);
		assert_null(thread);
	}
}

/* An edited terminal entry edits its post; reactions on a reply are
 * reported once each, by whom. */
static void
check_edit_and_reactions(struct fixture *fx)
{
	char *err = NULL, *root;
	bool queued;
	const char *text, *ref;
	struct chat_events ev;
	const char *aoi = user(fx, "aoi"), *ken = user(fx, "ken");
	struct store_minute m1 = { .item_id = fx->item, .kind = "decision", .body = "roll back",
				   .author = "Aoi" };
	struct store_minute m2 = { .item_id = fx->item, .kind = "note", .body = "n" };

	assert_int_equal(store_minute_add(fx->st, fx->meeting, &m1, &err), 0);
	assert_int_equal(store_minute_add(fx->st, fx->meeting, &m2, &err), 0);
	free(m1.created_at);
	free(m2.created_at);
	assert_int_equal(chat_queue_item(queue_of(fx->chat), fx->meeting, fx->item, "root", &err), 0);
	assert_int_equal(chat_queue_entry(queue_of(fx->chat), fx->meeting, fx->item, m1.id, "decision",
					 "roll back", "Aoi", &queued, &err), 0);
	assert_int_equal(flush(fx), 2);
	assert_int_equal(chat_queue_edit(queue_of(fx->chat), fx->meeting, m1.id, "decision",
					 "roll back first, then fix", "Aoi", &err), 0);
	assert_int_equal(chat_queue_edit(queue_of(fx->chat), fx->meeting, m2.id, "decision", "never echoed",
					 NULL, &err), 0);
	assert_int_equal(flush(fx), 1);
	assert_int_equal(fake_chat_bot_posts(fx->fc), 2);
	fake_chat_bot_post(fx->fc, 1, &text, NULL);
	assert_non_null(strstr(text, "roll back first, then fix"));

	root = root_ref(fx);
	ref = fake_chat_reply(fx->fc, root, ken, "action: add a pool alert @sre due:2026-12-20");
	poll_item(fx, false, &ev);
	assert_int_equal(ev.n, 1);
	chat_events_free(&ev);
	fake_chat_react(fx->fc, ref, "white_check_mark", aoi);
	fake_chat_react(fx->fc, ref, "tada", aoi);
	fake_chat_react(fx->fc, ref, "ticket", aoi);
	poll_item(fx, true, &ev);
	assert_int_equal(ev.n, 2);
	assert_int_equal(ev.rows[0].kind, CHAT_EVENT_AGREE);
	assert_string_equal(ev.rows[0].author, "Aoi");
	assert_string_equal(ev.rows[0].user_id, aoi);
	assert_true(ev.rows[0].minute_id > 0);
	assert_int_equal(ev.rows[1].kind, CHAT_EVENT_TICKET);
	chat_events_free(&ev);
	poll_item(fx, true, &ev);
	assert_int_equal(ev.n, 0);
	chat_events_free(&ev);

	/* a rename in the chat shows once the name is asked again (an hour);
	 * the account stays the same */
	fake_chat_user(fx->fc, aoi, "Aoi Tanaka");
	fake_chat_reply(fx->fc, root, aoi, "before the hour");
	poll_item(fx, false, &ev);
	assert_int_equal(ev.n, 1);
	assert_string_equal(ev.rows[0].author, "Aoi");
	chat_events_free(&ev);
	fx->clock.ms += 3601 * 1000L;
	fake_chat_reply(fx->fc, root, aoi, "after the hour");
	poll_item(fx, false, &ev);
	assert_int_equal(ev.n, 1);
	assert_string_equal(ev.rows[0].author, "Aoi Tanaka");
	assert_string_equal(ev.rows[0].user_id, aoi);
	chat_events_free(&ev);
	free(root);
}

static void
test_slack_edit_and_reactions(void **state)
{
	check_edit_and_reactions(*state);
}

static void
test_mattermost_edit_and_reactions(void **state)
{
	struct fixture *fx = *state;

	check_edit_and_reactions(fx);
	assert_int_equal(fake_http_count(fx->f, "PUT", "/api/v4/posts/"), 1);
}

/* The worker sends and reads in the background on its own connection. */
static void
test_worker(void **state)
{
	struct fixture *fx = *state;
	char *err = NULL, buf[160], *root;
	struct chat_worker *w = chat_worker_start(fx->db, fx->cfg, fx->meeting, NULL, &err);
	struct chat_events ev = { 0 }, got;
	int i;

	if (w == NULL)
		fail_msg("%s", err);
	assert_int_equal(chat_queue_item(queue_of(fx->chat), fx->meeting, fx->item, "root", &err), 0);
	chat_worker_set_item(w, fx->item);
	chat_worker_kick(w);
	for (i = 0; i < 100 && fake_chat_bot_posts(fx->fc) == 0; i++)
		usleep(50000);
	assert_int_equal(fake_chat_bot_posts(fx->fc), 1);
	root = root_ref(fx);
	fake_chat_reply(fx->fc, root, "U03MEI", "from the channel");
	for (i = 0; i < 100 && ev.n == 0; i++) {
		usleep(50000);
		chat_worker_events(w, &ev);
	}
	assert_int_equal(ev.n, 1);
	assert_string_equal(ev.rows[0].author, "Mei");
	assert_string_equal(ev.rows[0].text, "from the channel");
	chat_worker_events(w, &got);
	assert_int_equal(got.n, 0);
	chat_events_free(&got);
	chat_events_free(&ev);
	assert_int_equal(chat_worker_status(w, buf, sizeof(buf)), CHAT_CONNECTED);
	assert_string_equal(buf, "connected");
	{
		/* idle, a pass is one read of the open thread: 60 / poll_seconds a minute */
		unsigned long p0 = chat_worker_passes(w), p1;
		size_t r0 = fake_http_n_requests(fx->f), r1;

		while (chat_worker_passes(w) < p0 + 2)
			usleep(50000);
		p1 = chat_worker_passes(w);
		r1 = fake_http_n_requests(fx->f);
		assert_true(r1 - r0 >= p1 - p0 - 1 && r1 - r0 <= p1 - p0 + 1);
		assert_int_equal(fake_http_count(fx->f, "GET", "/conversations.list"), 1);
	}
	chat_worker_stop(w);
	free(root);

	/* a bad set-up is said at start */
	setenv("SLACK_BOT_TOKEN", "", 1);
	assert_null(chat_worker_start(fx->db, fx->cfg, fx->meeting, NULL, &err));
	assert_non_null(strstr(err, "SLACK_BOT_TOKEN"));
	free(err);
}

/* A second process on the same database: its own store connection, clock
 * and chat (owned by the fixture's caller; free with other_free). */
struct other {
	struct store *st;
	struct fake_clock clock;
	struct http_clock hc;
	struct http_client *http;
	struct chat *chat;
};

static struct other *
other_open(struct fixture *fx)
{
	struct other *o = calloc(1, sizeof(*o));
	struct http_options ho = { .timeout_ms = 3000, .connect_timeout_ms = 2000 };
	char *err = NULL;
	struct chat_options opts;

	o->st = store_open(fx->db, &err);
	assert_non_null(o->st);
	o->clock.epoch = NOW;
	o->clock.ms = fx->clock.ms;
	o->hc = fake_clock_http(&o->clock);
	o->http = http_client_new(&ho, &err);
	assert_non_null(o->http);
	opts = (struct chat_options){ .http = o->http, .clock = &o->hc, .max_inline_wait_ms = 1000,
				      .recheck_ms = 5000 };
	o->chat = chat_new(fx->cfg, o->st, &opts, &err);
	if (o->chat == NULL)
		fail_msg("%s", err);
	return o;
}

static void
other_free(struct other *o)
{
	chat_free(o->chat);
	http_client_free(o->http);
	store_free(o->st);
	free(o);
}

struct flusher {
	struct chat *chat;
	pthread_barrier_t *start;
	size_t sent;
	int rc;
	char *err;
};

static void *
flush_thread(void *arg)
{
	struct flusher *fl = arg;

	pthread_barrier_wait(fl->start);
	fl->rc = chat_flush(fl->chat, &fl->sent, &fl->err);
	return NULL;
}

/* This week's meeting beside another week's, or beside `tickets push`, on
 * one database: two chats flush the same queue at once. Every post reaches
 * the chat once, and exactly one of them records it as posted. */
static void
check_two_processes(struct fixture *fx)
{
	struct other *o = other_open(fx);
	pthread_barrier_t start;
	struct flusher a = { .chat = fx->chat, .start = &start };
	struct flusher b = { .chat = o->chat, .start = &start };
	pthread_t ta, tb;
	char *err = NULL;
	struct store_chat_posts all;
	bool queued;
	size_t sent = 0;

	assert_int_equal(chat_queue_item(queue_of(fx->chat), fx->meeting, fx->item, "root", &err), 0);
	for (int i = 0; i < 6; i++) {
		char text[32];

		snprintf(text, sizeof(text), "decision %d", i);
		assert_int_equal(chat_queue_entry(queue_of(i % 2 ? o->chat : fx->chat), fx->meeting, fx->item,
						 0, "decision", text, NULL, &queued, &err), 0);
	}
	assert_int_equal(chat_queue_wrapup_text(queue_of(o->chat), fx->meeting, "wrap-up", &err), 0);
	fake_chat_answer_delay(fx->fc, 40);
	for (int round = 0; round < 3; round++) {
		pthread_barrier_init(&start, NULL, 2);
		pthread_create(&ta, NULL, flush_thread, &a);
		pthread_create(&tb, NULL, flush_thread, &b);
		pthread_join(ta, NULL);
		pthread_join(tb, NULL);
		pthread_barrier_destroy(&start);
		if (a.rc < 0 || b.rc < 0)
			fail_msg("%s", a.err ? a.err : b.err);
		sent += a.sent + b.sent;
	}
	assert_int_equal(store_chat_list(fx->st, fx->meeting, &all, &err), 0);
	assert_int_equal(all.n, 8);
	for (size_t i = 0; i < all.n; i++)
		if (fake_chat_count_marker(fx->fc, all.rows[i].marker) != 1)
			fail_msg("post %zu (%s) is in the chat %zu times", i, all.rows[i].body,
				 fake_chat_count_marker(fx->fc, all.rows[i].marker));
	assert_int_equal(fake_chat_bot_posts(fx->fc), 8);
	/* each recorded as posted by one of the two */
	assert_int_equal(sent, 8);
	store_chat_posts_free(&all);
	other_free(o);
}

static void
test_slack_two_processes(void **state)
{
	check_two_processes(*state);
}

static void
test_mattermost_two_processes(void **state)
{
	check_two_processes(*state);
}

/* Runs sql on the fixture's database file through a connection of its own
 * (another process's doing). */
static void
exec_sql(struct fixture *fx, const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
	sqlite3_close(db);
}

/* A claim is its holder's: one held by a live process whose lease runs is
 * left alone; once its lease ran out the post is looked up by its marker
 * (the holder had posted it), not posted blindly again. */
static void
check_claims_are_owned(struct fixture *fx)
{
	struct other *o = other_open(fx);
	char *err = NULL, *sql, **history;
	char *live = deliver_owner_new();
	struct store_chat_posts all;
	bool queued;
	long long id;
	size_t replies_before;

	assert_int_equal(chat_queue_item(queue_of(fx->chat), fx->meeting, fx->item, "root", &err), 0);
	assert_int_equal(chat_queue_entry(queue_of(fx->chat), fx->meeting, fx->item, 0, "decision", "d",
					 NULL, &queued, &err), 0);
	assert_int_equal(chat_queue_entry(queue_of(fx->chat), fx->meeting, fx->item, 0, "action", "a",
					 NULL, &queued, &err), 0);
	/* the other process posts everything; then the decision is made to look
	 * as it would had that process stopped between posting and recording */
	assert_int_equal(chat_flush(o->chat, NULL, &err), 0);
	assert_int_equal(fake_chat_bot_posts(fx->fc), 3);
	assert_int_equal(store_chat_list(fx->st, fx->meeting, &all, &err), 0);
	id = all.rows[1].id;
	store_chat_posts_free(&all);
	sql = sqlite3_mprintf("UPDATE chat_posts SET state = 'claimed', claimed_by = %Q,"
			      " lease_until = '2025-12-01T10:00:00Z' WHERE id = %lld", live, id);
	exec_sql(fx, sql);
	sqlite3_free(sql);

	/* a live holder's claim, its lease running (NOW is 2025-12-01T09:58) */
	assert_int_equal(flush(fx), 0);
	assert_int_equal(fake_chat_bot_posts(fx->fc), 3);
	assert_int_equal(store_chat_list(fx->st, fx->meeting, &all, &err), 0);
	assert_int_equal(all.rows[1].state, DELIVER_CLAIMED);
	assert_string_equal(all.rows[1].claimed_by, live);
	store_chat_posts_free(&all);

	/* its lease ran out: taken over, looked up, found, never posted again */
	fx->clock.ms += 10 * 60 * 1000;
	replies_before = fake_http_count(fx->f, "GET", fx->mattermost ? "/api/v4/posts/"
									: "/conversations.replies");
	assert_int_equal(flush(fx), 1);
	assert_true(fake_http_count(fx->f, "GET", fx->mattermost ? "/api/v4/posts/"
							  : "/conversations.replies") > replies_before);
	assert_int_equal(fake_chat_bot_posts(fx->fc), 3);
	assert_int_equal(store_chat_list(fx->st, fx->meeting, &all, &err), 0);
	for (size_t i = 0; i < all.n; i++) {
		assert_int_equal(all.rows[i].state, DELIVER_DELIVERED);
		assert_int_equal(fake_chat_count_marker(fx->fc, all.rows[i].marker), 1);
	}
	store_chat_posts_free(&all);
	/* and its history says so */
	assert_int_equal(store_delivery_history(fx->st, STORE_DELIVERY_CHAT, id, &history, &err), 0);
	{
		size_t n = 0;

		while (history[n] != NULL)
			n++;
		assert_true(n >= 4);
		assert_non_null(strstr(history[n - 3], "unknown taken over from"));
		assert_non_null(strstr(history[n - 3], live));
		assert_non_null(strstr(history[n - 2], "claimed claimed to look up its marker"));
		assert_non_null(strstr(history[n - 1], "posted found by its marker"));
	}
	store_delivery_history_free(history);

	/* a holder of this machine that is gone, its lease still running: its
	 * last post may still be on its way, so the lookup waits out one
	 * request (the config's connect and transfer timeouts, 40 s), not
	 * recheck's 5 s */
	{
		pid_t pid = fork();
		char host[64], boot[64], ns[32], *gone;
		long long action;

		if (pid == 0)
			_exit(0);
		waitpid(pid, NULL, 0);
		assert_int_equal(sscanf(live, "%63[^:]:%63[^:]:%31[^:]:", host, boot, ns), 3);
		gone = sqlite3_mprintf("%s:%s:%s:%ld:1", host, boot, ns, (long)pid);
		assert_int_equal(store_chat_list(fx->st, fx->meeting, &all, &err), 0);
		action = all.rows[2].id;
		store_chat_posts_free(&all);
		sql = sqlite3_mprintf("UPDATE chat_posts SET state = 'claimed', claimed_by = %Q,"
				      " lease_until = '2030-01-01T00:00:00Z' WHERE id = %lld", gone,
				      action);
		exec_sql(fx, sql);
		sqlite3_free(sql);
		replies_before = fake_http_count(fx->f, "GET", fx->mattermost ? "/api/v4/posts/"
										: "/conversations.replies");
		assert_int_equal(flush(fx), 0);
		fx->clock.ms += 10 * 1000;
		assert_int_equal(flush(fx), 0);
		assert_int_equal(fake_http_count(fx->f, "GET", fx->mattermost ? "/api/v4/posts/"
								  : "/conversations.replies"),
				 replies_before);
		assert_int_equal(store_chat_list(fx->st, fx->meeting, &all, &err), 0);
		assert_int_equal(all.rows[2].state, DELIVER_UNKNOWN);
		store_chat_posts_free(&all);
		fx->clock.ms += 35 * 1000;
		assert_int_equal(flush(fx), 1);
		assert_int_equal(fake_chat_bot_posts(fx->fc), 3);
		sqlite3_free(gone);
	}
	free(live);
	other_free(o);
}

static void
test_slack_claims_are_owned(void **state)
{
	check_claims_are_owned(*state);
}

static void
test_mattermost_claims_are_owned(void **state)
{
	check_claims_are_owned(*state);
}

/* tickets push after the meeting, before the item's root reached the chat
 * (the chat was down): the key waits under the root, and is posted into
 * the thread once the root is. */
static void
test_ticket_key_waits_for_its_root(void **state)
{
	struct fixture *fx = *state;
	char *err = NULL, *root;
	struct store_chat_action a;
	struct store_chat_posts all;
	const char *text, *thread;
	bool found, queued;
	long long measure;

	assert_int_equal(chat_queue_item(queue_of(fx->chat), fx->meeting, fx->item, "root", &err), 0);
	fake_chat_down(fx->fc, true);
	assert_int_equal(flush(fx), 0);
	measure = deliver_ticket(fx, "Rotate keys", "OPS-1");

	assert_int_equal(store_chat_action_of(fx->st, measure, &a, &found, &err), 0);
	assert_true(found);
	assert_true(a.has_root);
	assert_int_equal(a.item_id, fx->item);
	assert_int_equal(a.number, 1);
	store_chat_action_release(&a);
	assert_int_equal(chat_queue_ticket(queue_of(fx->chat), measure, "OPS-1", NULL, &queued, &err), 0);
	assert_true(queued);
	assert_int_equal(store_chat_list(fx->st, fx->meeting, &all, &err), 0);
	assert_int_equal(all.n, 2);
	assert_string_equal(all.rows[1].kind, "ticket");
	assert_int_equal(all.rows[1].state, DELIVER_QUEUED);
	assert_int_equal(all.rows[1].parent_id, all.rows[0].id);
	store_chat_posts_free(&all);

	fake_chat_down(fx->fc, false);
	fx->clock.ms += 60000;
	assert_int_equal(flush(fx), 2);
	root = root_ref(fx);
	fake_chat_bot_post(fx->fc, 1, &text, &thread);
	assert_non_null(strstr(text, "OPS-1"));
	assert_non_null(strstr(text, "for action 1"));
	assert_string_equal(thread, root);
	free(root);
}

/* The meeting that filed a ticket was killed before it queued the key:
 * the key is owed by the delivery, and the next flush, of this process
 * or of two at once, posts it once. An item with no thread owes nothing. */
static void
test_owed_key_posted_once(void **state)
{
	struct fixture *fx = *state;
	char *err = NULL;
	const char *text, *thread;
	long long measure;
	bool queued;
	struct chat *other;
	struct chat_options opts = { .http = NULL, .clock = &fx->hc, .max_inline_wait_ms = 1000,
				     .recheck_ms = 5000 };
	struct store_chat_owed_keys owed;
	const char *service = fx->mattermost ? "mattermost" : "slack";

	/* no root yet: nothing is owed, and a flush posts nothing */
	measure = deliver_ticket(fx, "Rotate keys", "OPS-7");
	assert_int_equal(store_chat_owed_keys(fx->st, service, &owed, &err), 0);
	assert_int_equal(owed.n, 0);
	assert_int_equal(flush(fx), 0);

	assert_int_equal(chat_queue_item(queue_of(fx->chat), fx->meeting, fx->item, "root", &err), 0);
	assert_int_equal(store_chat_owed_keys(fx->st, service, &owed, &err), 0);
	assert_int_equal(owed.n, 1);
	assert_int_equal(owed.rows[0].measure_id, measure);
	assert_string_equal(owed.rows[0].key, "OPS-7");
	store_chat_owed_keys_free(&owed);

	other = chat_new(fx->cfg, fx->st, &opts, &err);
	assert_non_null(other);
	/* the root goes first, then the key nobody queued */
	assert_int_equal(flush(fx), 2);
	assert_int_equal(chat_flush(other, NULL, &err), 0);
	assert_int_equal(flush(fx), 0);
	assert_int_equal(fake_chat_bot_posts(fx->fc), 2);
	fake_chat_bot_post(fx->fc, 1, &text, &thread);
	/* Mattermost's Markdown escapes the key's dash */
	if (strstr(text, "for action 1 \"Rotate keys\": OPS") == NULL)
		fail_msg("the key post says: %s", text);
	assert_non_null(thread);
	assert_int_equal(chat_queue_ticket(queue_of(other), measure, "OPS-7", NULL, &queued, &err), 0);
	assert_false(queued);
	assert_int_equal(store_chat_owed_keys(fx->st, service, &owed, &err), 0);
	assert_int_equal(owed.n, 0);
	chat_free(other);
}

/* An item with no root row at all: found, with nowhere to post. */
static void
test_ticket_key_without_thread(void **state)
{
	struct fixture *fx = *state;
	char *err = NULL;
	struct store_minute m = { .item_id = fx->item, .kind = "action", .body = "Rotate keys" };
	struct store_chat_action a;
	bool found;

	assert_int_equal(store_minute_add(fx->st, fx->meeting, &m, &err), 0);
	free(m.created_at);
	assert_int_equal(store_chat_action_of(fx->st, m.measure_id, &a, &found, &err), 0);
	assert_true(found);
	assert_false(a.has_root);
	store_chat_action_release(&a);
}

#define N_SLACK_CODES (sizeof(slack_codes) / sizeof(slack_codes[0]))

/* The header says connected only once the token authenticated; a refused
 * token stops every request until /chat retry or a new token. */
static void
check_refused_token(struct fixture *fx)
{
	char buf[512];
	struct chat_events ev;
	const char *env = fx->mattermost ? "MATTERMOST_TOKEN" : "SLACK_BOT_TOKEN";
	const char *good = fx->mattermost ? "mm-test" : "xoxb-test";

	/* nothing asked yet: not connected */
	assert_int_equal(chat_status(fx->chat, fx->meeting, buf, sizeof(buf)), CHAT_CONNECTING);
	chat_free(fx->chat);
	setenv(env, "wrong-token", 1);
	open_chat(fx);
	/* nothing to send or read (an ended meeting): the token is asked all the same */
	assert_int_equal(flush(fx), 0);
	assert_int_equal(chat_status(fx->chat, fx->meeting, buf, sizeof(buf)), CHAT_REFUSED);
	assert_non_null(strstr(buf, env));
	assert_non_null(strstr(buf, "/chat retry"));
	assert_int_equal(fake_chat_refused(fx->fc), 1);
	/* and never again with that token, whatever is queued or read */
	assert_int_equal(chat_queue_item(queue_of(fx->chat), fx->meeting, fx->item, "root", NULL), 0);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(flush(fx), 0);
		poll_item(fx, i % 2 == 0, &ev);
		chat_events_free(&ev);
	}
	assert_int_equal(fake_chat_refused(fx->fc), 1);
	assert_int_equal(fake_http_n_requests(fx->f), 1);
	assert_int_equal(chat_status(fx->chat, fx->meeting, buf, sizeof(buf)), CHAT_REFUSED);
	/* /chat retry asks once more */
	chat_retry(fx->chat);
	assert_int_equal(flush(fx), 0);
	assert_int_equal(fake_chat_refused(fx->fc), 2);
	assert_int_equal(flush(fx), 0);
	assert_int_equal(fake_chat_refused(fx->fc), 2);
	/* a new token in the configuration is tried by itself */
	setenv(env, good, 1);
	assert_int_equal(flush(fx), 1);
	assert_int_equal(chat_status(fx->chat, fx->meeting, buf, sizeof(buf)), CHAT_CONNECTED);
	assert_int_equal(fake_chat_refused(fx->fc), 2);
}

static void
test_slack_refused_token(void **state)
{
	check_refused_token(*state);
}

static void
test_mattermost_refused_token(void **state)
{
	check_refused_token(*state);
}

/* One number from sql on the fixture's database (a connection of its own). */
static long long
sql_count(struct fixture *fx, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *stmt;
	long long n = -1;

	assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		n = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return n;
}

/* The reads of threads and of the channel the fake answered (a name
 * looked up once an hour is not one). */
static size_t
reads_made(struct fixture *fx)
{
	return fx->mattermost ? fake_http_count(fx->f, "GET", "/api/v4/posts/") +
				fake_http_count(fx->f, "GET", MM_POSTS)
			      : fake_http_count(fx->f, "GET", "/conversations.");
}

/* One step of the round robin; returns the reads it made. */
static size_t
round_step(struct fixture *fx, long long meeting, long long *item)
{
	struct chat_events ev;
	char *err = NULL;
	size_t before = reads_made(fx);

	if (chat_pull_round(fx->chat, meeting, item, &ev, &err) < 0)
		fail_msg("%s", err);
	chat_events_free(&ev);
	return reads_made(fx) - before;
}

/* Every thread of the meeting is read, not the open item's alone: a reply
 * to any of ten items reaches that item's minutes, each poll is one
 * request (a look at the channel, or one thread that changed, in turn), so
 * the cost does not grow with the items; a thread with nothing new is
 * never read again. Pages of two: the look and the reads follow cursors. */
static void
check_every_thread(struct fixture *fx, int page)
{
	enum { ITEMS = 10 };
	struct store_agenda_row rows[ITEMS];
	struct store_agenda ag = { .rows = rows, .n = ITEMS };
	const char *who[] = { "aoi", "ken", "mei" };
	long long meeting, item;
	char *err = NULL, sql[160];
	size_t requests = 0, reads = 0, steps;
	char titles[ITEMS][32];

	/* a look: Slack's history pages through the parents; Mattermost's
	 * posts?since is one answer */
	size_t look = page > 0 && !fx->mattermost ? (ITEMS + page - 1) / page : 1;

	/* the chat's clock is the meeting's */
	fake_chat_epoch(fx->fc, NOW);
	if (page > 0)
		fake_chat_page_size(fx->fc, page);
	assert_int_equal(store_meeting_create(fx->st, "2026-W50", 60, &meeting, &err), 0);
	for (int i = 0; i < ITEMS; i++) {
		snprintf(titles[i], sizeof(titles[i]), "Item %d", i + 1);
		rows[i] = (struct store_agenda_row){ .kind = "topic", .title = titles[i],
						     .state = i == 0 ? "current" : "pending" };
	}
	assert_int_equal(store_agenda_save(fx->st, meeting, &ag, &err), 0);
	for (int i = 0; i < ITEMS; i++)
		assert_int_equal(chat_queue_item(queue_of(fx->chat), meeting, rows[i].id,
						 titles[i], &err), 0);
	assert_int_equal(flush(fx), ITEMS);
	/* nothing replied yet: one look, no thread read */
	assert_int_equal(round_step(fx, meeting, &item), look);
	assert_int_equal(item, 0);
	for (int i = 0; i < ITEMS; i++) {
		struct store_chat_post root;
		bool found;

		assert_int_equal(store_chat_root(fx->st, rows[i].id, &root, &found, &err), 0);
		for (int k = 0; k < 3; k++) {
			char text[64];

			snprintf(text, sizeof(text), "%s on item %d", who[k], i + 1);
			fake_chat_reply(fx->fc, root.post_ref, user(fx, who[k]), text);
		}
		store_chat_post_release(&root);
	}
	for (steps = 0; steps < 3 * ITEMS; steps++) {
		requests += round_step(fx, meeting, &item);
		reads += item != 0;
		if (reads == ITEMS)
			break;
	}
	/* one look, then each thread once: eleven polls (with pages of two,
	 * a thread of three replies is two requests, and so is the look) */
	assert_int_equal(reads, ITEMS);
	assert_int_equal(steps + 1, ITEMS + 1);
	if (page == 0) {
		assert_int_equal(requests, ITEMS + 1);
	} else {
		/* the look (Slack: five pages of two parents); each thread: two
		 * pages (the root and three replies) */
		assert_int_equal(requests, look + ITEMS * 2);
		/* pages asked by a cursor: the two looks' (Slack: four each), a
		 * thread's one */
		assert_int_equal(fake_chat_pages(fx->fc), 2 * (look - 1) + ITEMS);
	}
	for (int i = 0; i < ITEMS; i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM minutes WHERE item_id = %lld "
			 "AND kind = 'note'", rows[i].id);
		assert_int_equal(sql_count(fx, sql), 3);
	}
	/* nothing new: each poll is a look, and no thread is read */
	for (int k = 0; k < 3; k++) {
		assert_int_equal(round_step(fx, meeting, &item), look);
		assert_int_equal(item, 0);
	}
	/* a late reply to item 2, after the meeting moved on: one look, one read */
	{
		struct store_chat_post root;
		bool found;

		assert_int_equal(store_chat_root(fx->st, rows[1].id, &root, &found, &err), 0);
		fake_chat_reply(fx->fc, root.post_ref, user(fx, "ken"), "late: the runbook is fixed");
		store_chat_post_release(&root);
	}
	round_step(fx, meeting, &item);
	assert_int_equal(item, 0);
	round_step(fx, meeting, &item);
	assert_int_equal(item, rows[1].id);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM minutes WHERE item_id = %lld", rows[1].id);
	assert_int_equal(sql_count(fx, sql), 4);

	/* the threads are read [chat] late_reply_hours (48) after the end,
	 * and no longer: ended 47 hours ago, a look; 49 hours ago, nothing */
	{
		char stamp[32];
		time_t t = (time_t)(NOW + fx->clock.ms / 1000) - 47 * 3600;
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
		snprintf(sql, sizeof(sql), "UPDATE meetings SET ended_at = '%s' WHERE id = %lld",
			 stamp, meeting);
		exec_sql(fx, sql);
		assert_true(round_step(fx, meeting, &item) > 0);
		t -= 2 * 3600;
		gmtime_r(&t, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
		snprintf(sql, sizeof(sql), "UPDATE meetings SET ended_at = '%s' WHERE id = %lld",
			 stamp, meeting);
		exec_sql(fx, sql);
		assert_int_equal(round_step(fx, meeting, &item), 0);
		assert_int_equal(item, 0);
	}
}

static void
test_slack_every_thread(void **state)
{
	check_every_thread(*state, 0);
}

static void
test_slack_every_thread_paged(void **state)
{
	check_every_thread(*state, 2);
}

static void
test_mattermost_every_thread(void **state)
{
	check_every_thread(*state, 0);
}

static void
test_mattermost_every_thread_paged(void **state)
{
	check_every_thread(*state, 2);
}

static int
setup_mattermost_fast(void **state)
{
	return start(state, true, "poll_seconds = 1\n");
}

/* The worker holding a ten-item meeting while replies keep arriving in
 * every thread, the meeting on item 1: every reply reaches its item's
 * minutes, and the reads stay at one a poll (60 / poll_seconds a minute)
 * however many threads have news. Prints the measure as a TAP comment. */
static void
check_worker_budget(struct fixture *fx)
{
	enum { ITEMS = 10, REPLIES = 30 };
	struct store_agenda_row rows[ITEMS];
	struct store_agenda ag = { .rows = rows, .n = ITEMS };
	const char *who[] = { "aoi", "ken", "mei" };
	char titles[ITEMS][32], *refs[ITEMS], *err = NULL;
	long long meeting;
	struct chat_worker *w;
	struct timespec t0, t1;
	size_t reads0, reads1;
	unsigned long p0, p1;
	int i;

	fake_chat_epoch(fx->fc, (long long)time(NULL));
	assert_int_equal(store_meeting_create(fx->st, "2026-W50", 60, &meeting, &err), 0);
	for (i = 0; i < ITEMS; i++) {
		snprintf(titles[i], sizeof(titles[i]), "Item %d", i + 1);
		rows[i] = (struct store_agenda_row){ .kind = "topic", .title = titles[i],
						     .state = i == 0 ? "current" : "pending" };
	}
	assert_int_equal(store_agenda_save(fx->st, meeting, &ag, &err), 0);
	w = chat_worker_start(fx->db, fx->cfg, meeting, NULL, &err);
	if (w == NULL)
		fail_msg("%s", err);
	for (i = 0; i < ITEMS; i++)
		assert_int_equal(chat_queue_item(queue_of(fx->chat), meeting, rows[i].id, titles[i],
						 &err), 0);
	chat_worker_set_item(w, rows[0].id);
	chat_worker_kick(w);
	for (i = 0; i < 400 && fake_chat_bot_posts(fx->fc) < ITEMS; i++)
		usleep(50000);
	assert_int_equal(fake_chat_bot_posts(fx->fc), ITEMS);
	for (i = 0; i < ITEMS; i++) {
		struct store_chat_post root;
		bool found;

		assert_int_equal(store_chat_root(fx->st, rows[i].id, &root, &found, &err), 0);
		refs[i] = root.post_ref;
		root.post_ref = NULL;
		store_chat_post_release(&root);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	reads0 = reads_made(fx);
	p0 = chat_worker_passes(w);
	/* a reply every 0.3 s, in each thread in turn */
	for (i = 0; i < REPLIES; i++) {
		char text[64];

		snprintf(text, sizeof(text), "%s, reply %d", who[i % 3], i + 1);
		fake_chat_reply(fx->fc, refs[i % ITEMS], user(fx, who[i % 3]), text);
		usleep(300000);
	}
	for (i = 0; i < 600 && sql_count(fx, "SELECT count(*) FROM minutes WHERE body LIKE "
				   "'%, reply %'") < REPLIES; i++)
		usleep(50000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	reads1 = reads_made(fx);
	p1 = chat_worker_passes(w);
	chat_worker_stop(w);
	assert_int_equal(sql_count(fx, "SELECT count(*) FROM minutes WHERE body LIKE '%, reply %'"),
			 REPLIES);
	for (i = 0; i < ITEMS; i++) {
		char sql[128];

		snprintf(sql, sizeof(sql), "SELECT count(*) FROM minutes WHERE item_id = %lld",
			 rows[i].id);
		assert_int_equal(sql_count(fx, sql), REPLIES / ITEMS);
		free(refs[i]);
	}
	{
		double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;

		printf("# %s, %d items, %d replies in every thread over %.1f s, poll_seconds = 1: "
		       "%zu reads in %lu polls, %.1f reads a minute\n", fx->mattermost ? "Mattermost"
		       : "Slack", ITEMS, REPLIES, s, reads1 - reads0, p1 - p0,
		       (double)(reads1 - reads0) * 60.0 / s);
		/* one read a poll (a pass may end between a read and its count):
		 * the rate a minute follows from poll_seconds and is printed, not
		 * asserted, since a loaded machine stretches the wall clock */
		assert_true(reads1 - reads0 <= p1 - p0 + 1);
	}
}

static void
test_slack_worker_budget(void **state)
{
	check_worker_budget(*state);
}

static void
test_mattermost_worker_budget(void **state)
{
	check_worker_budget(*state);
}

int
main(void)
{
	const struct CMUnitTest base[] = {
		cmocka_unit_test_setup_teardown(test_slack_meeting, setup_slack, teardown),
		cmocka_unit_test_setup_teardown(test_slack_refused_token, setup_slack, teardown),
		cmocka_unit_test_setup_teardown(test_mattermost_refused_token, setup_mattermost,
						 teardown),
		cmocka_unit_test_setup_teardown(test_slack_never_twice, setup_slack, teardown),
		cmocka_unit_test_setup_teardown(test_slack_ephemeral, setup_slack, teardown),
		cmocka_unit_test_setup_teardown(test_mattermost_ephemeral, setup_mattermost, teardown),
		cmocka_unit_test_setup_teardown(test_slack_restart, setup_slack, teardown),
		cmocka_unit_test_setup_teardown(test_slack_rate_limit, setup_slack, teardown),
		cmocka_unit_test_setup_teardown(test_slack_unreachable_then_back, setup_slack,
						teardown),
		cmocka_unit_test_setup_teardown(test_slack_errors_say_what_to_do, setup_slack,
						teardown),
		cmocka_unit_test_setup_teardown(test_slack_internal_error_root_is_found, setup_slack,
						teardown),
		cmocka_unit_test_setup_teardown(test_echo_all, setup_slack_all, teardown),
		cmocka_unit_test_setup_teardown(test_ticket_key_waits_for_its_root, setup_slack,
						teardown),
		cmocka_unit_test_setup_teardown(test_owed_key_posted_once, setup_slack,
						teardown),
		cmocka_unit_test_setup_teardown(test_owed_key_posted_once, setup_mattermost,
						teardown),
		cmocka_unit_test_setup_teardown(test_ticket_key_without_thread, setup_slack,
						teardown),
		cmocka_unit_test_setup_teardown(test_worker, setup_slack_fast, teardown),
		cmocka_unit_test_setup_teardown(test_slack_edit_and_reactions, setup_slack, teardown),
		cmocka_unit_test_setup_teardown(test_mattermost_meeting, setup_mattermost, teardown),
		cmocka_unit_test_setup_teardown(test_mattermost_edit_and_reactions, setup_mattermost,
						teardown),
		cmocka_unit_test_setup_teardown(test_mattermost_never_twice, setup_mattermost,
						teardown),
		cmocka_unit_test_setup_teardown(test_slack_two_processes, setup_slack_all, teardown),
		cmocka_unit_test_setup_teardown(test_slack_claims_are_owned, setup_slack_all,
						teardown),
		cmocka_unit_test_setup_teardown(test_mattermost_claims_are_owned, setup_mattermost_all,
						teardown),
		cmocka_unit_test_setup_teardown(test_slack_every_thread, setup_slack, teardown),
		cmocka_unit_test_setup_teardown(test_slack_worker_budget, setup_slack_fast, teardown),
		cmocka_unit_test_setup_teardown(test_mattermost_worker_budget, setup_mattermost_fast,
						teardown),
		cmocka_unit_test_setup_teardown(test_slack_every_thread_paged, setup_slack,
						teardown),
		cmocka_unit_test_setup_teardown(test_mattermost_every_thread, setup_mattermost,
						teardown),
		cmocka_unit_test_setup_teardown(test_mattermost_every_thread_paged, setup_mattermost,
						teardown),
		cmocka_unit_test_setup_teardown(test_mattermost_two_processes, setup_mattermost_all,
						teardown),
	};
	/* and one per row of slack_codes */
	struct CMUnitTest tests[sizeof(base) / sizeof(base[0]) + N_SLACK_CODES];
	const size_t n_base = sizeof(base) / sizeof(base[0]);

	memcpy(tests, base, sizeof(base));
	for (size_t i = 0; i < N_SLACK_CODES; i++)
		tests[n_base + i] = (struct CMUnitTest){
			.name = slack_codes[i].name, .test_func = test_slack_code,
			.setup_func = setup_slack_code, .teardown_func = teardown,
			.initial_state = (void *)&slack_codes[i],
		};
	return cmocka_run_group_tests_name("chat", tests, group_setup, group_teardown);
}
