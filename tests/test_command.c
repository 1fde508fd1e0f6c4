#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "furikaeri/command.h"

/* Parses a line that must succeed and run the command with this id. */
static void
run(const char *line, enum command_id id, struct command_result *r)
{
	char *err = NULL;

	assert_int_equal(command_parse(line, r, &err), 0);
	assert_null(err);
	assert_int_equal(r->kind, COMMAND_RUN);
	assert_non_null(r->def);
	assert_int_equal(r->def->id, id);
}

/* Parses a line that must fail with a message containing want. */
static void
fails(const char *line, const char *want)
{
	struct command_result r;
	char *err = NULL;

	if (command_parse(line, &r, &err) != -1)
		fail_msg("\"%s\" parsed but should have failed", line);
	assert_non_null(err);
	if (strstr(err, want) == NULL)
		fail_msg("\"%s\": message \"%s\" lacks \"%s\"", line, err, want);
	assert_int_equal(r.kind, COMMAND_EMPTY);
	assert_null(r.text);
	free(err);
}

static void
test_notes(void **state)
{
	(void)state;
	struct command_result r;

	assert_int_equal(command_parse("  retry storm  ", &r, NULL), 0);
	assert_int_equal(r.kind, COMMAND_NOTE);
	assert_null(r.def);
	assert_string_equal(r.text, "retry storm");
	command_result_clear(&r);

	assert_int_equal(command_parse("リトライにジッターがなかった", &r, NULL), 0);
	assert_int_equal(r.kind, COMMAND_NOTE);
	assert_string_equal(r.text, "リトライにジッターがなかった");
	command_result_clear(&r);

	assert_int_equal(command_parse("//etc/hosts was wrong", &r, NULL), 0);
	assert_int_equal(r.kind, COMMAND_NOTE);
	assert_string_equal(r.text, "/etc/hosts was wrong");
	command_result_clear(&r);

	assert_int_equal(command_parse("a/b is fine", &r, NULL), 0);
	assert_int_equal(r.kind, COMMAND_NOTE);
	command_result_clear(&r);

	assert_int_equal(command_parse(" \t\xE3\x80\x80 ", &r, NULL), 0);
	assert_int_equal(r.kind, COMMAND_EMPTY);
	assert_int_equal(command_parse("", &r, NULL), 0);
	assert_int_equal(r.kind, COMMAND_EMPTY);
	command_result_clear(&r);
}

static void
test_text_commands(void **state)
{
	(void)state;
	struct command_result r;

	run("/q Why did the canary pass?", COMMAND_QUESTION, &r);
	assert_string_equal(r.text, "Why did the canary pass?");
	command_result_clear(&r);
	run("/question なぜカナリアは通った？", COMMAND_QUESTION, &r);
	assert_string_equal(r.text, "なぜカナリアは通った？");
	command_result_clear(&r);
	run("/Q upper case", COMMAND_QUESTION, &r);
	command_result_clear(&r);
	/* full-width slash and ideographic space from Japanese input */
	run("／decide\xE3\x80\x80ロールバックを先にする", COMMAND_DECIDE, &r);
	assert_string_equal(r.text, "ロールバックを先にする");
	command_result_clear(&r);
	run("/topic Alert fatigue", COMMAND_TOPIC, &r);
	assert_string_equal(r.text, "Alert fatigue");
	command_result_clear(&r);
	fails("/q", "/question needs the question, e.g. /q ");
	fails("/decide   ", "/decide needs");
	fails("/topic", "/topic Alert");
}

static void
test_action(void **state)
{
	(void)state;
	struct command_result r;

	run("/action Add jitter to retries @payments due:2026-12-15", COMMAND_ACTION, &r);
	assert_string_equal(r.text, "Add jitter to retries");
	assert_string_equal(r.owner, "payments");
	assert_string_equal(r.due, "2026-12-15");
	command_result_clear(&r);

	run("/action @payments Add jitter due:2026-12-15 to retries", COMMAND_ACTION, &r);
	assert_string_equal(r.text, "Add jitter to retries");
	assert_string_equal(r.owner, "payments");
	assert_string_equal(r.due, "2026-12-15");
	command_result_clear(&r);

	run("/action DUE:2026-02-28 alert on pool saturation", COMMAND_ACTION, &r);
	assert_string_equal(r.text, "alert on pool saturation");
	assert_null(r.owner);
	assert_string_equal(r.due, "2026-02-28");
	command_result_clear(&r);

	run("/action 接続プール飽和のアラートを追加\xE3\x80\x80＠田中\xE3\x80\x80" "due:2027-01-08",
	    COMMAND_ACTION, &r);
	assert_string_equal(r.text, "接続プール飽和のアラートを追加");
	assert_string_equal(r.owner, "田中");
	assert_string_equal(r.due, "2027-01-08");
	command_result_clear(&r);

	run("/action add a canary check, owner @sre.", COMMAND_ACTION, &r);
	assert_string_equal(r.text, "add a canary check, owner");
	assert_string_equal(r.owner, "sre");
	assert_null(r.due);
	command_result_clear(&r);

	/* mail addresses are text, not owners */
	run("/action mail ops@example.com on failure", COMMAND_ACTION, &r);
	assert_string_equal(r.text, "mail ops@example.com on failure");
	assert_null(r.owner);
	command_result_clear(&r);

	fails("/action", "/action needs the prevention measure, e.g. /action ");
	fails("/action @payments due:2026-12-15", "/action needs");
	fails("/action fix it due:2026-02-30", "\"2026-02-30\" is not a date");
	fails("/action fix it due:tomorrow", "due:YYYY-MM-DD");
	fails("/action fix it due:", "is not a date");
	fails("/action fix it @a @b", "one @owner; found @a and @b");
	fails("/action fix it due:2026-12-01 due:2026-12-02", "one due date");
	fails("/action fix it @", "@ needs the owner");
}

static void
test_link(void **state)
{
	(void)state;
	struct command_result r;

	run("/link https://github.com/acme/pay/pull/812", COMMAND_LINK, &r);
	assert_string_equal(r.url, "https://github.com/acme/pay/pull/812");
	assert_null(r.text);
	command_result_clear(&r);
	run("/link HTTP://grafana.local:3000/d/pool?from=now-1h  pool dashboard", COMMAND_LINK, &r);
	assert_string_equal(r.url, "HTTP://grafana.local:3000/d/pool?from=now-1h");
	assert_string_equal(r.text, "pool dashboard");
	command_result_clear(&r);
	run("/link https://wiki.example.jp/障害/031 原因のコミット", COMMAND_LINK, &r);
	assert_string_equal(r.text, "原因のコミット");
	command_result_clear(&r);
	fails("/link", "/link needs an http or https URL");
	fails("/link ftp://example.com/x", "\"ftp://example.com/x\" is not an http or https URL");
	fails("/link https://", "not an http");
	fails("/link https:///path", "not an http");
	fails("/link javascript:alert(1)", "not an http");
	fails("/link https://<script>", "not an http");
	fails("/link https://a\x1b[2J.com", "not an http");
}

static void
test_numbers(void **state)
{
	(void)state;
	struct command_result r;

	run("/agree 2", COMMAND_AGREE, &r);
	assert_int_equal(r.number, 2);
	command_result_clear(&r);
	run("/ticket #12", COMMAND_TICKET, &r);
	assert_int_equal(r.number, 12);
	command_result_clear(&r);
	run("/delete \xEF\xBC\x93", COMMAND_DELETE, &r);	/* full-width 3 */
	assert_int_equal(r.number, 3);
	command_result_clear(&r);
	run("/edit 4", COMMAND_EDIT, &r);
	assert_int_equal(r.number, 4);
	assert_null(r.text);
	command_result_clear(&r);
	run("/edit 4 ジッターと再試行の予算", COMMAND_EDIT, &r);
	assert_int_equal(r.number, 4);
	assert_string_equal(r.text, "ジッターと再試行の予算");
	command_result_clear(&r);
	run("/move 2", COMMAND_MOVE, &r);
	assert_int_equal(r.number, 2);
	command_result_clear(&r);
	run("/unskip 5", COMMAND_UNSKIP, &r);
	command_result_clear(&r);

	fails("/agree", "/agree needs the number of an action, e.g. /agree 2");
	fails("/agree x", "/agree: \"x\" is not a number; give the number of an action, e.g. /agree 2");
	fails("/agree 2x", "\"2x\" is not a number");
	fails("/agree -1", "is not a number");
	fails("/agree 0", "numbers start at 1");
	fails("/agree 2 3", "/agree takes only the number of an action");
	fails("/ticket 99999999999999", "is not a number");
	fails("/delete", "the number of an entry");
	fails("/move", "a position in the agenda");
}

static void
test_names(void **state)
{
	(void)state;
	struct command_result r;

	run("/attend Mei", COMMAND_ATTEND, &r);
	assert_string_equal(r.text, "Mei");
	command_result_clear(&r);
	run("/attend  Mary Ann Lee ", COMMAND_ATTEND, &r);
	assert_string_equal(r.text, "Mary Ann Lee");
	command_result_clear(&r);
	run("/facilitator 佐藤 葵", COMMAND_FACILITATOR, &r);
	assert_string_equal(r.text, "佐藤 葵");
	command_result_clear(&r);
	run("/backup @Ken", COMMAND_BACKUP, &r);
	assert_string_equal(r.text, "Ken");
	command_result_clear(&r);
	fails("/attend", "/attend needs a name, e.g. /attend Mei");
	fails("/backup @", "/backup needs a name");
}

static void
test_no_argument_commands(void **state)
{
	(void)state;
	struct command_result r;
	const struct {
		const char *line;
		enum command_id id;
	} cases[] = {
		{ "/next", COMMAND_NEXT }, { "/prev", COMMAND_PREV }, { "/skip", COMMAND_SKIP },
		{ "/carry", COMMAND_CARRY }, { "/up", COMMAND_UP }, { "/down", COMMAND_DOWN },
		{ "/export", COMMAND_EXPORT }, { "/quit  ", COMMAND_QUIT }, { "/help", COMMAND_HELP },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run(cases[i].line, cases[i].id, &r);
		assert_null(r.text);
		command_result_clear(&r);
	}
	run("/help action", COMMAND_HELP, &r);
	assert_string_equal(r.text, "action");
	command_result_clear(&r);
	run("/help /q", COMMAND_HELP, &r);
	command_result_clear(&r);
	fails("/next 2", "/next takes no argument");
	fails("/help acton", "did you mean /action?");
}

static void
test_unknown_commands(void **state)
{
	(void)state;
	fails("/acton fix", "unknown command /acton; did you mean /action?");
	fails("/agre 2", "did you mean /agree?");
	fails("/dec x", "did you mean /decide?");
	fails("/facilitater Aoi", "did you mean /facilitator?");
	fails("/qq", "did you mean /question?");
	fails("/etc/hosts", "unknown command /etc/hosts; /help lists the commands (start a note with //");
	fails("/zzzzzzzz", "/help lists");
	fails("/", "a command name must follow the /");
	fails("/ hello", "a command name must follow");
	/* key-only actions are not slash commands */
	fails("/scroll-up", "unknown command /scroll-up");
}

static void
test_table(void **state)
{
	(void)state;
	char buf[128];
	size_t slash = 0;

	assert_int_equal(command_count(), COMMAND_ID_COUNT);
	for (size_t i = 0; i < command_count(); i++) {
		const struct command_def *d = command_at(i);
		assert_non_null(d);
		assert_int_equal(d->id, i);
		assert_ptr_equal(command_by_id(d->id), d);
		assert_non_null(d->name);
		assert_non_null(d->help);
		assert_non_null(d->long_help);
		assert_ptr_equal(command_find(d->name), d);
		if (d->arg != COMMAND_ARG_NONE) {
			assert_non_null(d->arg_hint);
			assert_non_null(d->arg_what);
			assert_non_null(d->example);
			/* every example parses as its own command */
			struct command_result r;
			run(d->example, d->id, &r);
			command_result_clear(&r);
		}
		if (d->flags & COMMAND_SLASH)
			slash++;
		else
			assert_non_null(d->key);
		/* no two actions share a name or a key */
		for (size_t j = 0; j < i; j++) {
			assert_string_not_equal(command_at(j)->name, d->name);
			if (d->key != NULL && command_at(j)->key != NULL)
				assert_string_not_equal(command_at(j)->key, d->key);
		}
	}
	assert_int_equal(slash, 33);
	assert_ptr_equal(command_find("/as"), command_by_id(COMMAND_AS));
	assert_null(command_at(command_count()));
	assert_ptr_equal(command_find("/q"), command_by_id(COMMAND_QUESTION));
	assert_ptr_equal(command_find("QUESTION"), command_by_id(COMMAND_QUESTION));
	assert_null(command_find("nope"));
	assert_ptr_equal(command_for_key("C-n"), command_by_id(COMMAND_NEXT));
	assert_ptr_equal(command_for_key("C-p"), command_by_id(COMMAND_PREV));
	assert_ptr_equal(command_for_key("F1"), command_by_id(COMMAND_HELP));
	assert_ptr_equal(command_for_key("C-e"), command_by_id(COMMAND_EDITOR));
	assert_ptr_equal(command_for_key("PPage"), command_by_id(COMMAND_SCROLL_UP));
	assert_ptr_equal(command_for_key("NPage"), command_by_id(COMMAND_SCROLL_DOWN));
	assert_ptr_equal(command_for_key("Tab"), command_by_id(COMMAND_COMPLETE));
	assert_ptr_equal(command_for_key("Up"), command_by_id(COMMAND_HISTORY_PREV));
	assert_ptr_equal(command_for_key("Down"), command_by_id(COMMAND_HISTORY_NEXT));
	assert_null(command_for_key("C-z"));
	assert_string_equal(command_usage(command_by_id(COMMAND_ACTION), buf, sizeof(buf)),
			    "/action TEXT [@owner] [due:YYYY-MM-DD]");
	assert_string_equal(command_usage(command_by_id(COMMAND_NEXT), buf, sizeof(buf)), "/next");
	assert_string_equal(command_usage(command_by_id(COMMAND_EDITOR), buf, sizeof(buf)), "editor");
	assert_string_equal(command_usage(command_by_id(COMMAND_AGREE), buf, 6), "/agre");
}

static void
test_complete(void **state)
{
	(void)state;
	const char *names[] = { "Aoi", "Ken", "Kenta", "Mary Ann", "田中", "田村" };
	struct command_completions c;

	assert_int_equal(command_complete("/ac", names, 6, &c), 1);
	assert_string_equal(c.items[0], "/action");
	assert_int_equal(c.start, 0);
	command_completions_clear(&c);

	assert_int_equal(command_complete("/d", names, 6, &c), 4);
	assert_string_equal(c.items[0], "/decide");
	assert_string_equal(c.items[1], "/delete");
	assert_string_equal(c.items[2], "/drop");
	assert_string_equal(c.items[3], "/down");
	assert_string_equal(c.common, "/d");
	command_completions_clear(&c);

	assert_int_equal(command_complete("/", names, 6, &c), 33);
	command_completions_clear(&c);
	assert_int_equal(command_complete("/scr", names, 6, &c), 0);
	assert_string_equal(c.common, "");
	command_completions_clear(&c);

	assert_int_equal(command_complete("/attend ke", names, 6, &c), 2);
	assert_int_equal(c.start, 8);
	assert_string_equal(c.items[0], "Ken");
	assert_string_equal(c.items[1], "Kenta");
	assert_string_equal(c.common, "Ken");
	command_completions_clear(&c);

	assert_int_equal(command_complete("/facilitator Mary", names, 6, &c), 1);
	assert_string_equal(c.items[0], "Mary Ann");
	command_completions_clear(&c);

	assert_int_equal(command_complete("/backup ", names, 6, &c), 6);
	command_completions_clear(&c);

	/* the common prefix of 田中 and 田村 stops at a character boundary */
	assert_int_equal(command_complete("/attend 田", names, 6, &c), 2);
	assert_string_equal(c.common, "田");
	command_completions_clear(&c);

	assert_int_equal(command_complete("/action add alert @A", names, 6, &c), 1);
	assert_string_equal(c.items[0], "@Aoi");
	assert_int_equal(c.start, strlen("/action add alert "));
	command_completions_clear(&c);

	/* names with spaces cannot be an @owner */
	assert_int_equal(command_complete("owner @M", names, 6, &c), 0);
	command_completions_clear(&c);

	assert_int_equal(command_complete("just a note", names, 6, &c), 0);
	command_completions_clear(&c);

	assert_int_equal(command_complete("/help ag", names, 6, &c), 1);
	assert_string_equal(c.items[0], "agree");
	command_completions_clear(&c);

	assert_int_equal(command_complete("/agree 2", names, 6, &c), 0);
	command_completions_clear(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_text_commands),
		cmocka_unit_test(test_action),
		cmocka_unit_test(test_link),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_no_argument_commands),
		cmocka_unit_test(test_unknown_commands),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_complete),
	};

	return cmocka_run_group_tests_name("command", tests, NULL, NULL);
}
