#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "../tests/fake/fake_chat.h"
#include "../tests/fake/fake_http.h"
#include "furikaeri/chat.h"
#include "furikaeri/chat_queue.h"
#include "furikaeri/chat_worker.h"
#include "furikaeri/config.h"
#include "furikaeri/headings.h"
#include "furikaeri/importer.h"
#include "furikaeri/session.h"
#include "furikaeri/store.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/store_minutes_doc.h"
#include "furikaeri/minutes.h"
#include "furikaeri/store_outbox.h"
#include "furikaeri/tracker.h"
#include "furikaeri/xalloc.h"

/* The session's input states: confirming the facilitator, editing an
 * entry, the question before ending, ended and reopened. */

static char tmpdir[] = "/tmp/fk-test-session-XXXXXX";
static int n_stores;

static int
setup(void **state)
{
	(void)state;
	setlocale(LC_ALL, "C.UTF-8");
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

static const char *
srcdir(void)
{
	return getenv("FK_SRCDIR") != NULL ? getenv("FK_SRCDIR") : FK_SRCDIR;
}

/* The demo week, with people on the roster or none. */
static struct store *
demo_store(bool people)
{
	char *path = xasprintf("%s/s%d.db", tmpdir, n_stores++), *err = NULL;
	char *data = xasprintf("%s/data/demo/postmortems", srcdir());
	char *hdir = xasprintf("%s/data/headings", srcdir());
	const char *dirs[] = { hdir };
	struct store *st = store_open(path, &err);
	struct importer_counts counts;
	struct headings *h;

	assert_non_null(st);
	h = headings_load(dirs, 1, &err);
	assert_non_null(h);
	importer_run(st, h, &data, 1, NULL, &counts);
	assert_int_equal(counts.failed, 0);
	if (people)
		for (const char *const *n = (const char *const[]){ "Aoi", "Ken", "Mei", NULL };
		     *n != NULL; n++)
			assert_int_equal(store_person_add(st, *n, NULL, &err), 0);
	headings_free(h);
	free(hdir);
	free(data);
	free(path);
	return st;
}

static struct session *
open_meeting(struct store *st, const char *login)
{
	char *folder = xasprintf("%s/minutes", tmpdir);
	struct session_options opt = { .week = "2026-W49", .login = login };
	char *err = NULL;
	struct session *s;

	setenv("XDG_DATA_HOME", tmpdir, 1);
	s = session_open(st, &opt, &err);
	if (s == NULL)
		print_error("%s\n", err);
	assert_non_null(s);
	free(folder);
	return s;
}

/* Sends a line; the reply's message must hold want (NULL: anything), and
 * it must be an error or not as said. */
static void
say(struct session *s, const char *line, bool error, const char *want)
{
	struct session_reply r;

	session_input(s, line, &r);
	/* only a failing store keeps the line (tests/test_faults.c) */
	assert_false(r.keep_line);
	if (r.error != error || (want != NULL && (r.message == NULL ||
						  strstr(r.message, want) == NULL))) {
		print_error("'%s': %s [%s], wanted %s [%s]\n", line, r.error ? "error" : "ok",
			    r.message ? r.message : "", error ? "error" : "ok", want ? want : "");
		fail();
	}
	session_reply_clear(&r);
}

static const char *
body(struct session *s, int seq)
{
	const struct store_minutes *m = session_minutes(s);

	for (size_t i = 0; i < m->n; i++)
		if (m->rows[i].seq == seq)
			return m->rows[i].body;
	return NULL;
}

static void
test_first_entry_confirms(void **state)
{
	struct store *st = demo_store(true);
	struct session *s = open_meeting(st, NULL);

	(void)state;
	assert_int_equal(session_phase(s), SESSION_CONFIRM);
	assert_string_equal(session_facilitator(s), "Aoi");
	/* typing never waits: the first note confirms the proposal */
	say(s, "the first words", false, "Aoi facilitates 2026-W49");
	assert_int_equal(session_phase(s), SESSION_RUNNING);
	assert_string_equal(body(s, 1), "the first words");
	session_free(s);
	store_free(st);
}

static const char *
author(struct session *s, int seq)
{
	const struct store_minutes *m = session_minutes(s);

	for (size_t i = 0; i < m->n; i++)
		if (m->rows[i].seq == seq)
			return m->rows[i].author;
	return NULL;
}

/* Terminal entries are the facilitator's; /as NAME TEXT records for
 * someone, a name with spaces too when they attend, and any entry kind. */
static void
test_authors(void **state)
{
	struct store *st = demo_store(true);
	struct session *s = open_meeting(st, NULL);
	const struct store_minutes *m;

	(void)state;
	say(s, "the facilitator's note", false, NULL);
	assert_string_equal(author(s, 1), "Aoi");
	say(s, "/as Mei the canary only checks the status page", false, "recorded for Mei");
	assert_string_equal(body(s, 2), "the canary only checks the status page");
	assert_string_equal(author(s, 2), "Mei");
	say(s, "/attend Mary Ann", false, NULL);
	say(s, "/as Mary Ann /q who renews it at night?", false, NULL);
	m = session_minutes(s);
	assert_string_equal(m->rows[m->n - 1].kind, "question");
	assert_string_equal(m->rows[m->n - 1].body, "who renews it at night?");
	assert_string_equal(m->rows[m->n - 1].author, "Mary Ann");
	say(s, "/as Ken /action renew by a job @Ken due:2026-12-20", false, "action 1 recorded");
	m = session_minutes(s);
	assert_string_equal(m->rows[m->n - 1].author, "Ken");
	assert_string_equal(m->rows[m->n - 1].owner, "Ken");
	say(s, "/as Ken /next", true, "/as records an entry");
	say(s, "/as Ken", true, "needs a name and what they said");
	/* and the next plain entry is the facilitator's again */
	say(s, "back to Aoi", false, NULL);
	m = session_minutes(s);
	assert_string_equal(m->rows[m->n - 1].author, "Aoi");
	session_free(s);
	store_free(st);
}

static void
test_empty_roster(void **state)
{
	struct store *st = demo_store(false);
	struct session *s = open_meeting(st, "Mika");
	struct store_people people = { 0 };
	char *err = NULL;

	(void)state;
	assert_string_equal(session_facilitator(s), "Mika");
	assert_true(session_proposed_new(s));
	say(s, "", false, "added to the roster");
	assert_int_equal(session_phase(s), SESSION_RUNNING);
	assert_int_equal(store_people_list(st, &people, &err), 0);
	assert_int_equal(people.n, 1);
	assert_string_equal(people.people[0].name, "Mika");
	store_people_free(&people);
	session_free(s);
	store_free(st);
	/* without a login there is nobody to propose: it says what to do */
	st = demo_store(false);
	s = open_meeting(st, NULL);
	say(s, "a note", true, "/facilitator NAME");
	say(s, "/facilitator Sato", false, "Sato facilitates");
	say(s, "a note", false, NULL);
	session_free(s);
	store_free(st);
}

static void
test_editing_is_bound(void **state)
{
	struct store *st = demo_store(true);
	struct session *s = open_meeting(st, NULL);
	struct session_reply r;

	(void)state;
	say(s, "", false, NULL);
	say(s, "on the follow-ups", false, NULL);
	say(s, "/edit 1", false, "editing entry 1");
	assert_int_equal(session_editing(s), 1);
	/* a note replaces the entry's text */
	say(s, "on the follow-ups, edited", false, "entry 1 edited");
	assert_int_equal(session_editing(s), 0);
	assert_string_equal(body(s, 1), "on the follow-ups, edited");
	/* moving to another item ends the edit; the next note is new */
	say(s, "/edit 1", false, NULL);
	session_run(s, COMMAND_NEXT, &r);
	assert_false(r.error);
	assert_true(r.edit_ended);
	assert_true(r.item_changed);
	session_reply_clear(&r);
	assert_int_equal(session_editing(s), 0);
	say(s, "on the second item", false, NULL);
	assert_string_equal(body(s, 1), "on the follow-ups, edited");
	assert_string_equal(body(s, 2), "on the second item");
	/* a command while editing is a command */
	say(s, "/edit 2", false, NULL);
	say(s, "/q is this a command?", false, NULL);
	assert_int_equal(session_editing(s), 0);
	assert_string_equal(body(s, 2), "on the second item");
	assert_string_equal(body(s, 3), "is this a command?");
	/* an empty line does not empty the entry */
	say(s, "/edit 2", false, NULL);
	say(s, "", true, "Esc cancels the edit");
	session_edit_cancel(s);
	assert_int_equal(session_editing(s), 0);
	/* a slash note edits as a note: its "//" comes back */
	say(s, "//etc/hosts was wrong", false, NULL);
	session_edit_newest(s, &r);
	assert_string_equal(r.edit_text, "//etc/hosts was wrong");
	assert_non_null(strstr(r.message, "entry 4 (the newest of this item)"));
	session_reply_clear(&r);
	say(s, "//etc/hosts was right", false, "entry 4 edited");
	assert_string_equal(body(s, 4), "/etc/hosts was right");
	session_free(s);
	store_free(st);
}

static void
test_end_asks_and_reopens(void **state)
{
	struct store *st = demo_store(true);
	struct session *s = open_meeting(st, NULL);
	const struct agenda *a;
	struct session_reply r;
	char cmd[32];

	(void)state;
	say(s, "", false, NULL);
	a = session_agenda(s);
	snprintf(cmd, sizeof(cmd), "/go %zu", agenda_count(a));
	say(s, cmd, false, NULL);
	/* going forward closed the follow-ups; the items passed are untouched */
	assert_int_equal(agenda_item(a, 0)->state, AGENDA_DONE);
	assert_int_equal(agenda_item(a, 1)->state, AGENDA_PENDING);
	say(s, "/prev", false, NULL);
	a = session_agenda(s);
	assert_int_equal(agenda_item(a, agenda_count(a) - 1)->state, AGENDA_PENDING);
	say(s, "/next", false, NULL);
	say(s, "/next", false, "End the meeting and write the minutes? y/n");
	assert_int_equal(session_question(s), SESSION_ASK_END);
	session_answer(s, false, &r);
	session_reply_clear(&r);
	assert_int_equal(session_phase(s), SESSION_RUNNING);
	say(s, "/next", false, NULL);
	session_answer(s, true, &r);
	assert_non_null(strstr(r.message, "the meeting is over; minutes written to"));
	session_reply_clear(&r);
	assert_int_equal(session_phase(s), SESSION_ENDED);
	/* nothing after the end is silently left out */
	say(s, "a late note", true, "/reopen to add to it");
	say(s, "/action a late action", true, "/reopen");
	assert_int_equal(session_minutes(s)->n, 0);
	say(s, "/reopen", false, "the meeting is open again");
	assert_int_equal(session_phase(s), SESSION_RUNNING);
	say(s, "a late note", false, NULL);
	assert_int_equal(session_minutes(s)->n, 1);
	say(s, "/reopen", true, "the meeting is open");
	session_free(s);
	store_free(st);
}

static long fake_clock;

static long
fake_now(void)
{
	return fake_clock;
}

/* Ticks the session until the worker's news becomes a notice. */
static char *
wait_notice(struct session *s, bool *error)
{
	char *n = NULL;

	for (int i = 0; i < 500 && n == NULL; i++) {
		usleep(10000);
		fake_clock++;
		session_tick(s);
		n = session_take_notice(s, error);
	}
	return n;
}

static void
test_ticket_notices(void **state)
{
	struct store *st = demo_store(true);
	struct fake_http *f = fake_http_start();
	struct tracker_options topts = { .timeout_ms = 2000 };
	struct tracker_worker *w;
	struct config *cfg;
	struct session *s;
	char *text, *err = NULL, *n;
	bool error;

	(void)state;
	assert_non_null(f);
	setenv("GITHUB_TOKEN", "session-test-token", 1);
	text = xasprintf("[tracker]\ndefault = github\n[github]\nurl = %s\nrepo = acme/pay\n",
			 fake_http_url(f));
	cfg = config_parse(text, "test.ini", &err);
	assert_non_null(cfg);
	/* lookups find nothing; the first create is refused, the second made */
	fake_http_script(f, &(struct fake_http_reply){ .method = "GET", .status = 200,
						       .body = "{\"total_count\": 0, \"items\": []}",
						       .times = -1 });
	fake_http_script(f, &(struct fake_http_reply){
		.method = "POST", .path = "/repos/acme/pay/issues", .status = 422,
		.body = "{\"message\": \"Validation Failed: label does not exist\"}" });
	fake_http_script(f, &(struct fake_http_reply){
		.method = "POST", .path = "/repos/acme/pay/issues", .status = 201,
		.body = "{\"number\": 7, \"html_url\": \"https://github.com/acme/pay/issues/7\","
			" \"state\": \"open\"}" });
	w = tracker_worker_start(store_path(st), cfg, &topts, &err);
	assert_non_null(w);
	struct session_options opt = { .week = "2026-W49", .cfg = cfg, .worker = w,
				       .now = fake_now };
	s = session_open(st, &opt, &err);
	assert_non_null(s);
	say(s, "", false, NULL);
	say(s, "/action Alert before certificates expire @Mei due:2026-12-15", false, NULL);
	say(s, "/ticket 1", false, "queued for filing");
	n = wait_notice(s, &error);
	assert_non_null(n);
	/* a refusal says so in the server's words, without waiting on it */
	if (strstr(n, "label does not exist") == NULL)
		print_error("notice: %s\n", n);
	assert_true(error);
	assert_non_null(strstr(n, "ticket not filed for action 1 \"Alert before certificates expire\""));
	assert_non_null(strstr(n, "label does not exist"));
	free(n);
	say(s, "/ticket 1", false, "queued for filing");
	n = wait_notice(s, &error);
	assert_non_null(n);
	if (strstr(n, "ticket filed") == NULL)
		print_error("notice: %s\n", n);
	assert_false(error);
	assert_non_null(strstr(n, "ticket filed: acme/pay#7 https://github.com/acme/pay/issues/7 "
			       "for action 1 \"Alert before certificates expire\""));
	free(n);
	/* the entry's tag follows */
	const struct store_minutes *m = session_minutes(s);
	assert_string_equal(m->rows[0].ticket, "acme/pay#7");
	session_free(s);
	tracker_worker_stop(w);
	fake_http_stop(f);
	config_free(cfg);
	free(text);
	store_free(st);
}

/* The action replied in the chat (seq of the newest action), or NULL. */
static const struct store_minute *
chat_action(struct session *s)
{
	const struct store_minutes *m = session_minutes(s);
	const struct store_minute *found = NULL;

	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->rows[i].kind, "action") == 0)
			found = &m->rows[i];
	return found;
}

/* Ticks the session until the worker has made n more passes. */
static void
tick_passes(struct session *s, struct chat_worker *w, unsigned long n)
{
	unsigned long until = chat_worker_passes(w) + n;

	for (int i = 0; i < 400 && chat_worker_passes(w) < until; i++) {
		session_tick(s);
		usleep(25000);
	}
	session_tick(s);
}

/* Authority in the channel goes by chat account: a second account whose
 * display name is the facilitator's agrees and files nothing; the
 * facilitator's own account does, renamed or not. */
static void
check_impersonation(bool mattermost)
{
	struct store *st = demo_store(true);
	struct fake_http *f = fake_http_start();
	struct fake_chat *fc = fake_chat_new(f, mattermost ? FAKE_CHAT_MATTERMOST
							   : FAKE_CHAT_SLACK);
	const char *aoi = mattermost ? "aoi00000000000000000000000" : "U01AOI";
	const char *ken = mattermost ? "ken00000000000000000000000" : "U02KEN";
	const char *eve = mattermost ? "eve00000000000000000000000" : "U09EVE";
	char *ini = xasprintf("[chat]\nservice = %s\nchannel = #postmortems\nurl = %s/\n"
			      "poll_seconds = 1\n", mattermost ? "mattermost" : "slack",
			      fake_http_url(f));
	char *err = NULL, *root;
	const char *text;
	struct config *cfg = config_parse(ini, "c.ini", &err);
	struct session_options opt = { .week = "2026-W49", .cfg = cfg };
	struct store_outbox_items queued;
	struct session *s;
	struct chat_queue *chat;
	struct chat_worker *w;

	assert_non_null(cfg);
	setenv("SLACK_BOT_TOKEN", "xoxb-test", 1);
	setenv("MATTERMOST_TOKEN", "mm-test", 1);
	fake_chat_epoch(fc, (long long)time(NULL));
	fake_chat_user(fc, eve, "Aoi");
	assert_int_equal(store_person_set_chat(st, "Aoi", aoi, &err), 0);
	assert_int_equal(store_person_set_chat(st, "Ken", ken, &err), 0);
	s = session_open(st, &opt, &err);
	assert_non_null(s);
	say(s, "first words", false, "Aoi facilitates");
	chat = chat_queue_new(cfg, st, NULL, &err);
	assert_non_null(chat);
	w = chat_worker_start(store_path(st), cfg, session_meeting_id(s), NULL, &err);
	assert_non_null(w);
	session_attach_chat(s, chat, w);
	/* the meeting opens with one post, the agenda; then the item's root */
	for (int i = 0; i < 200 && fake_chat_bot_posts(fc) < 2; i++) {
		session_tick(s);
		usleep(25000);
	}
	assert_non_null(fake_chat_bot_post(fc, 0, &text, NULL));
	assert_non_null(strstr(text, "Postmortem review 2026"));
	assert_non_null(strstr(text, mattermost ? "facilitated by Aoi" : "facilitated by <@U01AOI>"));
	root = xstrdup(fake_chat_bot_post(fc, 1, &text, NULL));
	const char *ref = fake_chat_reply(fc, root, ken, "action: add a pool saturation alert");
	for (int i = 0; i < 200 && chat_action(s) == NULL; i++) {
		session_tick(s);
		usleep(25000);
	}
	assert_non_null(chat_action(s));

	/* "Aoi" by display name, another account: nothing */
	fake_chat_react(fc, ref, "white_check_mark", eve);
	fake_chat_react(fc, ref, "ticket", eve);
	tick_passes(s, w, 4);
	assert_false(chat_action(s)->agreed);
	assert_int_equal(store_outbox_list(st, false, &queued, &err), 0);
	assert_int_equal(queued.n, 0);
	store_outbox_items_free(&queued);
	/* told, to Eve alone, in the thread, who can: once per kind */
	for (int i = 0; i < 200 && fake_chat_ephemerals(fc, 0, NULL, NULL, NULL) < 2; i++) {
		session_tick(s);
		usleep(25000);
	}
	const char *to = NULL, *thread = NULL, *said = NULL;
	assert_int_equal(fake_chat_ephemerals(fc, 0, &to, &thread, &said), 2);
	assert_string_equal(to, eve);
	assert_string_equal(thread, root);
	assert_non_null(strstr(said, "facilitator"));
	assert_non_null(strstr(said, "Aoi"));
	assert_non_null(strstr(said, "Ken"));
	assert_non_null(strstr(said, "agree"));
	fake_chat_ephemerals(fc, 1, NULL, NULL, &said);
	assert_non_null(strstr(said, "file"));
	/* Eve agreeing again in the same item is not told again */
	const char *ref2 = fake_chat_reply(fc, root, ken, "action: load test the retry path");
	tick_passes(s, w, 3);
	fake_chat_react(fc, ref2, "white_check_mark", eve);
	tick_passes(s, w, 4);
	assert_int_equal(fake_chat_ephemerals(fc, 0, NULL, NULL, NULL), 2);

	/* Aoi's account, renamed in the chat: agreed */
	fake_chat_user(fc, aoi, "Aoi (on call)");
	fake_chat_react(fc, ref2, "white_check_mark", aoi);
	for (int i = 0; i < 400 && !chat_action(s)->agreed; i++) {
		session_tick(s);
		usleep(25000);
	}
	assert_true(chat_action(s)->agreed);
	/* a ticket asked for with no tracker set up: the thread is told, once */
	fake_chat_react(fc, ref2, "ticket", aoi);
	size_t before = fake_chat_bot_posts(fc);
	for (int i = 0; i < 400 && fake_chat_bot_posts(fc) == before; i++) {
		session_tick(s);
		usleep(25000);
	}
	const char *note_thread = NULL;
	fake_chat_bot_post(fc, fake_chat_bot_posts(fc) - 1, &text, &note_thread);
	assert_non_null(strstr(text, "no tracker is set up"));
	assert_string_equal(note_thread, root);
	tick_passes(s, w, 3);
	assert_int_equal(fake_chat_bot_posts(fc), before + 1);

	session_free(s);
	chat_worker_stop(w);
	chat_queue_free(chat);
	fake_chat_free(fc);
	fake_http_stop(f);
	config_free(cfg);
	store_free(st);
	free(root);
	free(ini);
}

static void
test_impersonation_slack(void **state)
{
	(void)state;
	check_impersonation(false);
}

static void
test_impersonation_mattermost(void **state)
{
	(void)state;
	check_impersonation(true);
}

/* Moving on closes an item: the store keeps when, which makes a reply in
 * its thread after that late; taking it up again opens it. */
static void
test_item_closed_at(void **state)
{
	struct store *st = demo_store(true);
	struct session *s = open_meeting(st, "Aoi");
	struct minutes_doc *doc;
	char *err = NULL;

	(void)state;
	say(s, "", false, NULL);
	say(s, "/next", false, NULL);
	doc = store_minutes_doc_load(st, "2026-W49", &err);
	assert_non_null(doc);
	assert_true(doc->n_items >= 3);
	assert_non_null(doc->items[0].closed_at);
	assert_string_equal(doc->items[0].state, "done");
	assert_null(doc->items[1].closed_at);
	assert_null(doc->items[2].closed_at);
	minutes_doc_free(doc);
	say(s, "/prev", false, NULL);
	doc = store_minutes_doc_load(st, "2026-W49", &err);
	assert_non_null(doc);
	assert_null(doc->items[0].closed_at);
	minutes_doc_free(doc);
	session_free(s);
	store_free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_entry_confirms),
		cmocka_unit_test(test_item_closed_at),
		cmocka_unit_test(test_empty_roster),
		cmocka_unit_test(test_authors),
		cmocka_unit_test(test_editing_is_bound),
		cmocka_unit_test(test_end_asks_and_reopens),
		cmocka_unit_test(test_ticket_notices),
		cmocka_unit_test(test_impersonation_slack),
		cmocka_unit_test(test_impersonation_mattermost),
	};

	return cmocka_run_group_tests_name("session", tests, setup, teardown);
}
