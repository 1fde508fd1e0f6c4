#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "furikaeri/chat_reply.h"
#include "furikaeri/chat_text.h"
#include "furikaeri/xalloc.h"

static void
expect_str(char *got, const char *want)
{
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static char *
names(void *ctx, const char *id)
{
	int *calls = ctx;

	(*calls)++;
	if (strcmp(id, "U01AOI") == 0)
		return xstrdup("Aoi Tanaka");
	return NULL;
}

static void
test_slack_escape(void **state)
{
	(void)state;
	expect_str(chat_text_slack_escape("a < b && c > <@U1> <!here>"),
		   "a &lt; b &amp;&amp; c &gt; &lt;@U1&gt; &lt;!here&gt;");
	expect_str(chat_text_slack_escape("決済APIのタイムアウト"), "決済APIのタイムアウト");
	expect_str(chat_text_slack_escape(""), "");
}

static void
test_slack_decode(void **state)
{
	int calls = 0;

	(void)state;
	expect_str(chat_text_from_slack("ask <@U01AOI> and <@U02KEN>", names, &calls),
		   "ask @Aoi Tanaka and @U02KEN");
	assert_int_equal(calls, 2);
	expect_str(chat_text_from_slack("<@U02KEN|ken> in <#C0PM|postmortems> or <#C0X>",
					NULL, NULL), "@ken in #postmortems or #C0X");
	expect_str(chat_text_from_slack("<!here> <!channel> <!subteam^S01|@sre> <!subteam^S02>",
					NULL, NULL), "@here @channel @sre @subteam");
	expect_str(chat_text_from_slack("fix: <https://github.com/acme/pay/pull/812|PR 812>",
					NULL, NULL), "fix: PR 812 (https://github.com/acme/pay/pull/812)");
	expect_str(chat_text_from_slack("<https://x.example/a?b=1&amp;c=2>", NULL, NULL),
		   "https://x.example/a?b=1&c=2");
	expect_str(chat_text_from_slack("<https://x.example|https://x.example>", NULL, NULL),
		   "https://x.example");
	expect_str(chat_text_from_slack("<mailto:a@b.example|a@b.example>", NULL, NULL),
		   "a@b.example");
	expect_str(chat_text_from_slack("1 &lt; 2 &amp;&amp; 3 &gt; 2 &amp;lt;", NULL, NULL),
		   "1 < 2 && 3 > 2 &lt;");
	expect_str(chat_text_from_slack("unclosed <https://x", NULL, NULL), "unclosed <https://x");
	/* round trip: what is escaped comes back as typed */
	{
		const char *typed = "a<b> & <@U1> &amp;";
		char *esc = chat_text_slack_escape(typed);

		expect_str(chat_text_from_slack(esc, NULL, NULL), typed);
		free(esc);
	}
}

static void
test_untrusted_is_sanitised(void **state)
{
	char *s;

	(void)state;
	s = chat_text_from_slack("hi \x1b]0;pwned\x07 there \x1b[2J", NULL, NULL);
	assert_null(strchr(s, '\x1b'));
	assert_null(strchr(s, '\x07'));
	free(s);
	s = chat_text_from_mattermost("hi \x1b[31mred");
	assert_null(strchr(s, '\x1b'));
	free(s);
}

static void
test_mattermost(void **state)
{
	(void)state;
	expect_str(chat_text_mattermost_escape("*bold* _x_ [a](b) @here #1 1.5"),
		   "\\*bold\\* \\_x\\_ \\[a\\]\\(b\\) \\@here \\#1 1\\.5");
	expect_str(chat_text_from_mattermost("see [PR 812](https://github.com/acme/pay/pull/812)"),
		   "see PR 812 (https://github.com/acme/pay/pull/812)");
	expect_str(chat_text_from_mattermost("[https://x.example](https://x.example)"),
		   "https://x.example");
	expect_str(chat_text_from_mattermost("a \\*literal\\* star, a [bracket"),
		   "a *literal* star, a [bracket");
	{
		const char *typed = "*not bold* [x](y) @all";
		char *esc = chat_text_mattermost_escape(typed);

		expect_str(chat_text_from_mattermost(esc), typed);
		free(esc);
	}
}

static void
test_reply_kinds(void **state)
{
	struct chat_reply r;

	(void)state;
	chat_reply_parse("  ジッターがなかった  ", &r);
	assert_string_equal(r.kind, "note");
	assert_string_equal(r.text, "ジッターがなかった");
	chat_reply_clear(&r);

	chat_reply_parse("action: add jitter and a retry budget @payments due:2026-12-15", &r);
	assert_string_equal(r.kind, "action");
	assert_string_equal(r.text, "add jitter and a retry budget");
	assert_string_equal(r.owner, "payments");
	assert_string_equal(r.due, "2026-12-15");
	chat_reply_clear(&r);

	chat_reply_parse("Q: why did the canary pass?", &r);
	assert_string_equal(r.kind, "question");
	assert_string_equal(r.text, "why did the canary pass?");
	chat_reply_clear(&r);

	chat_reply_parse("decide: roll back first", &r);
	assert_string_equal(r.kind, "decision");
	assert_string_equal(r.text, "roll back first");
	chat_reply_clear(&r);

	chat_reply_parse("link: https://github.com/acme/pay/pull/812 the fix", &r);
	assert_string_equal(r.kind, "link");
	assert_string_equal(r.url, "https://github.com/acme/pay/pull/812");
	assert_string_equal(r.text, "the fix");
	chat_reply_clear(&r);

	chat_reply_parse("対策：プールの飽和を検知するアラート @sre due:2026-12-20", &r);
	assert_string_equal(r.kind, "action");
	assert_string_equal(r.text, "プールの飽和を検知するアラート");
	assert_string_equal(r.owner, "sre");
	assert_string_equal(r.due, "2026-12-20");
	chat_reply_clear(&r);

	chat_reply_parse("質問: カナリアはなぜ通った?", &r);
	assert_string_equal(r.kind, "question");
	chat_reply_clear(&r);
	chat_reply_parse("決定:まずロールバック", &r);
	assert_string_equal(r.kind, "decision");
	assert_string_equal(r.text, "まずロールバック");
	chat_reply_clear(&r);
}

static void
test_reply_bad_keyword_stays_note(void **state)
{
	struct chat_reply r;

	(void)state;
	chat_reply_parse("link: not a url", &r);
	assert_string_equal(r.kind, "note");
	assert_string_equal(r.text, "link: not a url");
	chat_reply_clear(&r);
	chat_reply_parse("action:", &r);
	assert_string_equal(r.kind, "note");
	assert_string_equal(r.text, "action:");
	chat_reply_clear(&r);
	chat_reply_parse("action: x due:2026-13-45", &r);
	assert_string_equal(r.kind, "note");
	chat_reply_clear(&r);
	chat_reply_parse("actionable: not a keyword", &r);
	assert_string_equal(r.kind, "note");
	chat_reply_clear(&r);
	/* shorter than a keyword it starts (read past its end once) */
	chat_reply_parse("de", &r);
	assert_string_equal(r.kind, "note");
	assert_string_equal(r.text, "de");
	chat_reply_clear(&r);
	chat_reply_parse("/action typed with a slash", &r);
	assert_string_equal(r.kind, "note");
	assert_string_equal(r.text, "/action typed with a slash");
	chat_reply_clear(&r);
}

static void
test_root_and_wrapup(void **state)
{
	const struct chat_root_measure ms[] = {
		{ .title = "Add pool saturation alert", .ticket = "OPS-412", .state = "open" },
		{ .title = "Load test the retry path" },
	};
	const struct chat_root r = {
		.pm_id = "PM-031", .title = "Payment API timeouts", .severity = "SEV2",
		.date = "2026-11-27", .summary = "Checkout failed for 37 minutes.",
		.impact = "12% of checkouts", .link = "https://wiki.example/pm-031",
		.question = "What in the system let this happen?", .measures = ms, .n_measures = 2,
	};
	const char *decisions[] = { "Roll back first" };
	const char *carried[] = { "PM-033 CS macro misfire" };
	const struct chat_wrapup_action acts[] = {
		{ .title = "Add jitter", .owner = { .name = "Mei", .chat_id = "U03MEI" },
		  .due = "2026-12-15", .ticket = "OPS-413",
		  .url = "https://acme.atlassian.net/browse/OPS-413" },
	};
	const struct chat_wrapup w = {
		.week = "2026-W49", .decisions = decisions, .n_decisions = 1, .actions = acts,
		.n_actions = 1, .carried = carried, .n_carried = 1,
		.next_facilitator = { .name = "Ken", .chat_id = "U02KEN" },
		.next_backup = { .name = "Sato" },
		.minutes_url = "https://git.example/acme/pm/blob/main/minutes/2026-W49.md",
	};
	char *s;

	(void)state;
	s = chat_text_root(&r);
	assert_non_null(strstr(s, "PM-031 Payment API timeouts \xc2\xb7 SEV2 \xc2\xb7 2026-11-27\n"));
	assert_non_null(strstr(s, "\nCheckout failed for 37 minutes.\n"));
	assert_non_null(strstr(s, "Impact: 12% of checkouts\n"));
	assert_non_null(strstr(s, "Postmortem: https://wiki.example/pm-031\n"));
	assert_non_null(strstr(s, "Add pool saturation alert (OPS-412, open)\n"));
	assert_non_null(strstr(s, "Load test the retry path\n"));
	assert_non_null(strstr(s, "Ask: What in the system let this happen?\n"));
	assert_non_null(strstr(s, "action:"));
	free(s);
	s = chat_text_wrapup(&w, CHAT_TEXT_SLACK);
	assert_non_null(strstr(s, "Wrap-up 2026-W49\nDecisions:\n"));
	assert_non_null(strstr(s, "Roll back first\n"));
	/* the owner is mentioned so that Slack notifies them */
	assert_non_null(strstr(s, "Add jitter owner <@U03MEI> due 2026-12-15 OPS-413 "
				  "https://acme.atlassian.net/browse/OPS-413\n"));
	assert_non_null(strstr(s, "Not discussed, carried to next week:\n"
				  "\xe2\x80\xa2 PM-033 CS macro misfire\n"));
	/* no chat id on the roster: the plain name, no fake mention */
	assert_non_null(strstr(s, "Next week: <@U02KEN> facilitates (backup Sato)\n"));
	assert_non_null(strstr(s, "Minutes: https://git.example/acme/pm/blob/main/minutes/2026-W49.md"));
	free(s);
}

/* Mattermost mentions by username (roster sync keeps it); a person with no
 * chat id or no username is written as a plain name, escaped, which
 * notifies nobody. */
static void
test_mentions(void **state)
{
	const struct chat_text_person mei = { .name = "Mei", .chat_id = "mei0", .handle = "mei" };
	const struct chat_text_person ken = { .name = "Ken", .chat_id = "ken0" };
	const struct chat_text_person sato = { .name = "@Sato <x>" };
	const struct chat_text_person evil = { .name = "Eve", .chat_id = "U1> <!channel" };
	char *s;

	(void)state;
	s = chat_text_mention(CHAT_TEXT_MATTERMOST, &mei);
	assert_string_equal(s, "@mei");
	free(s);
	s = chat_text_mention(CHAT_TEXT_MATTERMOST, &ken);
	assert_string_equal(s, "Ken");
	free(s);
	s = chat_text_mention(CHAT_TEXT_MATTERMOST, &sato);
	assert_string_equal(s, "\\@Sato \\<x\\>");
	free(s);
	s = chat_text_mention(CHAT_TEXT_SLACK, &sato);
	assert_string_equal(s, "@Sato &lt;x&gt;");
	free(s);
	/* an id that is not one writes no markup of its own */
	s = chat_text_mention(CHAT_TEXT_SLACK, &evil);
	assert_string_equal(s, "Eve");
	free(s);
}

/* The wrap-up never names a path on this machine: no [minutes] url, no
 * link at all. */
static void
test_wrapup_no_local_path(void **state)
{
	const struct chat_wrapup_action acts[] = {
		{ .title = "Add jitter", .owner = { .name = "Mei", .chat_id = "mei0",
						     .handle = "mei" } },
	};
	const struct chat_wrapup w = {
		.week = "2026-W49", .actions = acts, .n_actions = 1,
		.next_facilitator = { .name = "Ken" },
	};
	char *s = chat_text_wrapup(&w, CHAT_TEXT_MATTERMOST);

	(void)state;
	assert_null(strstr(s, "Minutes"));
	assert_null(strstr(s, "/home"));
	assert_non_null(strstr(s, "Add jitter owner @mei\n"));
	assert_non_null(strstr(s, "Next week: Ken facilitates"));
	assert_null(strstr(s, "Not discussed"));
	free(s);
}

static void
test_opening(void **state)
{
	const struct chat_opening_item items[] = {
		{ .title = "Follow-ups", .minutes = 5 },
		{ .title = "PM-031 Payment <timeouts>", .minutes = 15 },
		{ .title = "PM-040 Disk", .if_time = 1 },
		{ .title = "Wrap-up", .minutes = 5 },
	};
	const struct chat_opening o = {
		.week = "2026-W49", .facilitator = { .name = "Aoi", .chat_id = "U01AOI" },
		.backup = { .name = "Ken" }, .items = items, .n_items = 4, .total_minutes = 60,
	};
	char *s = chat_text_opening(&o, CHAT_TEXT_SLACK);

	(void)state;
	assert_non_null(strstr(s, "Postmortem review 2026-W49 starts now, facilitated by <@U01AOI> "
				  "(backup Ken).\nAgenda (60 min):\n"));
	assert_non_null(strstr(s, "1. Follow-ups \xc2\xb7 5 min\n"));
	assert_non_null(strstr(s, "2. PM-031 Payment &lt;timeouts&gt; \xc2\xb7 15 min\n"));
	assert_non_null(strstr(s, "3. PM-040 Disk \xc2\xb7 if time permits\n"));
	assert_non_null(strstr(s, "Each item gets its own thread"));
	free(s);
}

/* A reminder mentions its owner, says when in words, and escapes what the
 * title and the roster hold. */
static void
test_reminder(void **state)
{
	struct chat_reminder r = {
		.owner = { .name = "Mei", .chat_id = "U03MEI", .handle = "mei" },
		.title = "Add <jitter> & budget", .due = "2026-12-10", .days_left = 2,
		.ticket = "OPS-9", .url = "https://t.example/browse/OPS-9?a=1&b=2",
		.week = "2026-W49",
	};
	char *s;

	(void)state;
	s = chat_text_reminder(&r, CHAT_TEXT_SLACK);
	assert_string_equal(s, "Reminder: <@U03MEI>, \"Add &lt;jitter&gt; &amp; budget\" is due in "
			    "2 days (2026-12-10). Ticket OPS-9 https://t.example/browse/OPS-9?a=1&amp;b=2 "
			    "Agreed in 2026-W49.");
	free(s);
	r.days_left = -1;
	r.ticket = NULL;
	r.week = NULL;
	s = chat_text_reminder(&r, CHAT_TEXT_MATTERMOST);
	assert_non_null(strstr(s, "Reminder: @mei, "));
	assert_non_null(strstr(s, " is overdue by 1 day (due 2026\\-12\\-10)."));
	assert_null(strstr(s, "Ticket"));
	free(s);
	r.days_left = 0;
	r.owner = (struct chat_text_person){ .name = "Ken" };
	s = chat_text_reminder(&r, CHAT_TEXT_SLACK);
	assert_non_null(strstr(s, "Reminder: Ken, "));
	assert_non_null(strstr(s, " is due today (2026-12-10)."));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slack_escape),
		cmocka_unit_test(test_slack_decode),
		cmocka_unit_test(test_untrusted_is_sanitised),
		cmocka_unit_test(test_mattermost),
		cmocka_unit_test(test_reply_kinds),
		cmocka_unit_test(test_reply_bad_keyword_stays_note),
		cmocka_unit_test(test_root_and_wrapup),
		cmocka_unit_test(test_mentions),
		cmocka_unit_test(test_wrapup_no_local_path),
		cmocka_unit_test(test_opening),
		cmocka_unit_test(test_reminder),
	};

	return cmocka_run_group_tests_name("chat_text", tests, NULL, NULL);
}
