#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "furikaeri/command.h"
#include "ui_private.h"

/* The input line without a terminal: typing, history, the kill ring,
 * undo, completion and paste. */

static void
type(struct ui_editor *e, const char *s)
{
	/* one character at a time, as keys come */
	while (*s != '\0') {
		size_t n = 1;
		while ((s[n] & 0xC0) == 0x80)
			n++;
		ui_editor_insert(e, s, n);
		s += n;
	}
}

static void
expect(const struct ui_editor *e, const char *text, size_t cursor)
{
	assert_string_equal(strbuf_str(&e->text), text);
	assert_int_equal(e->cursor, cursor);
}

static void
test_typing_and_history(void **state)
{
	struct ui_editor e = { 0 };
	char *line;

	(void)state;
	type(&e, "検索の障害");
	ui_editor_action(&e, COMMAND_CHAR_LEFT);
	ui_editor_action(&e, COMMAND_CHAR_LEFT);
	ui_editor_action(&e, COMMAND_DELETE_BACK);
	type(&e, "X");
	expect(&e, "検索X障害", strlen("検索X"));
	line = ui_editor_take(&e);
	assert_string_equal(line, "検索X障害");
	free(line);
	type(&e, "second");
	free(ui_editor_take(&e));
	type(&e, "draft");
	ui_editor_action(&e, COMMAND_HISTORY_PREV);
	expect(&e, "second", 6);
	ui_editor_action(&e, COMMAND_HISTORY_PREV);
	expect(&e, "検索X障害", strlen("検索X障害"));
	ui_editor_action(&e, COMMAND_HISTORY_NEXT);
	ui_editor_action(&e, COMMAND_HISTORY_NEXT);
	expect(&e, "draft", 5);
	ui_editor_free(&e);
}

static void
test_words(void **state)
{
	struct ui_editor e = { 0 };

	(void)state;
	type(&e, "one two three");
	ui_editor_action(&e, COMMAND_WORD_LEFT);
	expect(&e, "one two three", 8);
	ui_editor_action(&e, COMMAND_WORD_LEFT);
	expect(&e, "one two three", 4);
	ui_editor_action(&e, COMMAND_KILL_WORD_FORWARD);
	expect(&e, "one  three", 4);
	ui_editor_action(&e, COMMAND_WORD_RIGHT);
	expect(&e, "one  three", 10);
	ui_editor_free(&e);
}

static void
test_kill_ring(void **state)
{
	struct ui_editor e = { 0 };

	(void)state;
	type(&e, "alpha beta gamma");
	ui_editor_action(&e, COMMAND_KILL_WORD);
	expect(&e, "alpha beta ", 11);
	ui_editor_action(&e, COMMAND_LINE_START);
	ui_editor_action(&e, COMMAND_KILL_END);
	expect(&e, "", 0);
	/* the newest kill first; again: the one before it in its place */
	ui_editor_action(&e, COMMAND_YANK);
	expect(&e, "alpha beta ", 11);
	ui_editor_action(&e, COMMAND_YANK);
	expect(&e, "gamma", 5);
	ui_editor_action(&e, COMMAND_YANK);
	expect(&e, "alpha beta ", 11);
	/* Esc (kill-line) cuts everything, and a yank brings it back */
	type(&e, "x");
	ui_editor_action(&e, COMMAND_KILL_LINE);
	expect(&e, "", 0);
	ui_editor_action(&e, COMMAND_YANK);
	expect(&e, "alpha beta x", 12);
	/* Ctrl-U cuts before the cursor only */
	ui_editor_action(&e, COMMAND_CHAR_LEFT);
	ui_editor_action(&e, COMMAND_KILL_START);
	expect(&e, "x", 0);
	ui_editor_free(&e);
}

/* A refused line leaves the input line for the kill ring: the next
 * command starts clean, and Ctrl-Y brings the line back. */
static void
test_refused_line(void **state)
{
	struct ui_editor e = { 0 };

	(void)state;
	type(&e, "late note after end");
	free(ui_editor_take(&e));
	ui_editor_kill_push(&e, "late note after end");
	expect(&e, "", 0);
	type(&e, "/reopen");
	expect(&e, "/reopen", 7);
	free(ui_editor_take(&e));
	ui_editor_action(&e, COMMAND_YANK);
	expect(&e, "late note after end", 19);
	ui_editor_free(&e);
}

static void
test_undo(void **state)
{
	struct ui_editor e = { 0 };

	(void)state;
	type(&e, "half typed thought");
	/* Ctrl-C on a typed line is a kill-line, which undo reverses */
	ui_editor_action(&e, COMMAND_KILL_LINE);
	expect(&e, "", 0);
	ui_editor_action(&e, COMMAND_UNDO);
	expect(&e, "half typed thought", 18);
	/* typing is undone a word at a time */
	ui_editor_action(&e, COMMAND_UNDO);
	expect(&e, "half typed ", 11);
	ui_editor_action(&e, COMMAND_UNDO);
	expect(&e, "half ", 5);
	ui_editor_action(&e, COMMAND_UNDO);
	ui_editor_action(&e, COMMAND_UNDO);
	expect(&e, "", 0);
	ui_editor_action(&e, COMMAND_UNDO);	/* nothing left: no change */
	expect(&e, "", 0);
	/* a recorded line starts a fresh undo list */
	type(&e, "kept");
	free(ui_editor_take(&e));
	ui_editor_action(&e, COMMAND_UNDO);
	expect(&e, "", 0);
	ui_editor_free(&e);
}

static void
test_complete_splice(void **state)
{
	struct ui_editor e = { 0 };
	const char *names[] = { "Aoi", "Ken", "Kenta" };
	char *msg;

	(void)state;
	type(&e, "/ac Add jitter");
	e.cursor = 3;
	assert_null(ui_editor_complete(&e, names, 3));
	/* the word is replaced, what follows the cursor stays */
	expect(&e, "/action Add jitter", 7);
	ui_editor_set(&e, "/attend Ke");
	msg = ui_editor_complete(&e, names, 3);
	assert_non_null(msg);
	assert_string_equal(msg, "Ken  Kenta");
	free(msg);
	expect(&e, "/attend Ken", 11);
	ui_editor_action(&e, COMMAND_UNDO);
	expect(&e, "/attend Ke", 10);
	ui_editor_free(&e);
}

static void
test_paste(void **state)
{
	struct ui_editor e = { 0 };
	const char paste[] = "line one\r\n/next\rline\tthree \xff";
	char *shown;

	(void)state;
	type(&e, "> ");
	ui_editor_paste(&e, paste, sizeof(paste) - 1);
	/* line breaks become LF, a tab stays a tab, bad UTF-8 is repaired */
	assert_non_null(strstr(strbuf_str(&e.text), "> line one\n/next\nline\tthree "));
	assert_null(strchr(strbuf_str(&e.text), '\r'));
	assert_null(strstr(strbuf_str(&e.text), "\xff"));
	shown = ui_editor_display(strbuf_str(&e.text));
	assert_non_null(strstr(shown, "line one\xE2\x86\xB5/next\xE2\x86\xB5line\xE2\x87\xA5three"));
	free(shown);
	/* the whole paste is one undo step */
	ui_editor_action(&e, COMMAND_UNDO);
	expect(&e, "> ", 2);
	ui_editor_free(&e);
}

static void
test_drawable(void **state)
{
	struct {
		const char *in, *out;
	} cases[] = {
		{ "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7x",
		  "\xF0\x9F\x91\xA8x" },					/* family: the first */
		{ "a\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", "a\xF0\x9F\x91\x8D" },	/* skin tone */
		{ "\xE2\x9D\xA4\xEF\xB8\x8F", "\xE2\x9D\xA4" },			/* VS16 */
		{ "\xF0\x9F\x87\xAF\xF0\x9F\x87\xB5", "\xF0\x9F\x87\xAF\xF0\x9F\x87\xB5" },	/* a flag */
		{ "e\xCC\x81 \xE6\xA4\x9C\xE7\xB4\xA2", "e\xCC\x81 \xE6\xA4\x9C\xE7\xB4\xA2" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *d = ui_drawable(cases[i].in);
		assert_string_equal(d, cases[i].out);
		free(d);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typing_and_history),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_kill_ring),
		cmocka_unit_test(test_refused_line),
		cmocka_unit_test(test_undo),
		cmocka_unit_test(test_complete_splice),
		cmocka_unit_test(test_paste),
		cmocka_unit_test(test_drawable),
	};

	return cmocka_run_group_tests_name("ui_editor", tests, NULL, NULL);
}
