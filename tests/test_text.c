#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

static void
test_decode_japanese(void **state)
{
	(void)state;
	const char *s = "障害";
	uint32_t cp;

	assert_int_equal(text_utf8_decode(s, strlen(s), &cp), 3);
	assert_int_equal(cp, 0x969C);
}

static void
test_invalid_utf8_is_repaired(void **state)
{
	(void)state;
	const char bad[] = "ok\xff\xfe end \xe3\x81";
	char *fixed = text_utf8_repair(bad, sizeof(bad) - 1);

	assert_false(text_utf8_valid(bad, sizeof(bad) - 1));
	assert_true(text_utf8_valid(fixed, strlen(fixed)));
	assert_string_equal(fixed, "ok\xEF\xBF\xBD\xEF\xBF\xBD end \xEF\xBF\xBD\xEF\xBF\xBD");
	free(fixed);
}

static void
test_sanitize_strips_escapes(void **state)
{
	(void)state;
	/* OSC 52 clipboard write, title change, cursor move, BEL, colour */
	const char *evil = "a\x1b]52;c;ZXZpbA==\x07" "b\x1b]0;pwned\x1b\\c\x1b[2J\x1b[Hd\x07" "e\x1b[31mf";
	char *safe = text_sanitize(evil, false);

	assert_null(strchr(safe, 0x1b));
	assert_null(strchr(safe, 0x07));
	assert_string_equal(safe, "abcd\xE2\x90\x87" "ef");
	free(safe);
}

static void
test_sanitize_newlines(void **state)
{
	(void)state;
	char *kept = text_sanitize("one\r\ntwo\tthree", true);
	char *flat = text_sanitize("one\r\ntwo", false);

	assert_string_equal(kept, "one\ntwo\tthree");
	assert_string_equal(flat, "one two");
	free(kept);
	free(flat);
	/* nothing, or only what is removed, is an empty string (memcheck
	 * found an unterminated one when the buffer was grown first) */
	kept = text_sanitize("", true);
	flat = text_sanitize("\x1b[2J", false);
	assert_string_equal(kept, "");
	assert_string_equal(flat, "");
	free(kept);
	free(flat);
}

static void
test_strbuf_grown_is_a_string(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;

	strbuf_grow(&sb, 100);
	assert_string_equal(strbuf_str(&sb), "");
	char *s = strbuf_detach(&sb);
	assert_string_equal(s, "");
	free(s);
}

static void
test_width(void **state)
{
	(void)state;
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("検索の障害"), 10);
	assert_int_equal(text_width("e\xCC\x81"), 1);	/* e + combining acute */
}

static void
test_trim(void **state)
{
	(void)state;
	char *t = text_trim("\xE3\x80\x80  概要 \t");

	assert_string_equal(t, "概要");
	free(t);
}

static void
test_strbuf(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;

	assert_string_equal(strbuf_str(&sb), "");
	for (int i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i);
	assert_int_equal(sb.len, strlen(sb.buf));
	assert_true(text_starts_with(sb.buf, "0,1,2,"));
	strbuf_adds(&sb, "  \n");
	strbuf_rtrim(&sb);
	assert_int_equal(sb.buf[sb.len - 1], ',');
	char *s = strbuf_detach(&sb);
	assert_null(sb.buf);
	free(s);
}

/* Wraps s and compares the lines with the NULL-terminated list want. */
static void
assert_wrap(const char *s, size_t width, const char *const *want)
{
	char **lines;
	size_t n, k = 0;
	struct text_span *spans;

	text_wrap(s, width, &lines, &n);
	while (want[k] != NULL)
		k++;
	for (size_t i = 0; i < n && i < k; i++)
		if (strcmp(lines[i], want[i]) != 0)
			fail_msg("wrap(\"%s\", %zu): line %zu is \"%s\", want \"%s\"", s, width, i,
				 lines[i], want[i]);
	if (n != k)
		fail_msg("wrap(\"%s\", %zu): %zu lines, want %zu", s, width, n, k);
	assert_int_equal(text_wrap_spans(s, width, &spans), n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(spans[i].width, text_width(lines[i]));
		assert_memory_equal(s + spans[i].off, lines[i], spans[i].len);
	}
	free(spans);
	text_lines_free(lines, n);
}

static void
test_wrap_latin(void **state)
{
	(void)state;
	assert_wrap("the quick brown fox", 10, (const char *[]){ "the quick", "brown fox", NULL });
	assert_wrap("the quick brown fox", 19, (const char *[]){ "the quick brown fox", NULL });
	assert_wrap("foo   bar", 5, (const char *[]){ "foo", "bar", NULL });
	assert_wrap("foo bar   ", 20, (const char *[]){ "foo bar", NULL });
	assert_wrap("abcdefghij", 4, (const char *[]){ "abcd", "efgh", "ij", NULL });
	assert_wrap("a abcdefghij", 4, (const char *[]){ "a", "abcd", "efgh", "ij", NULL });
	assert_wrap("a\n\nb\n", 10, (const char *[]){ "a", "", "b", NULL });
	assert_wrap("one\r\ntwo", 10, (const char *[]){ "one", "two", NULL });
	assert_wrap("", 10, (const char *[]){ NULL });
	assert_wrap("  indented text", 10, (const char *[]){ "  indented", "text", NULL });
	assert_wrap("abc", 0, (const char *[]){ "a", "b", "c", NULL });
	/* a closing parenthesis stays with its word */
	assert_wrap("see (this)", 9, (const char *[]){ "see", "(this)", NULL });
}

static void
test_wrap_japanese(void **state)
{
	(void)state;
	assert_wrap("検索の障害が発生した", 6,
		    (const char *[]){ "検索の", "障害が", "発生し", "た", NULL });
	/* 。 may not start a line: した moves down with it */
	assert_wrap("発生した。", 8, (const char *[]){ "発生し", "た。", NULL });
	assert_wrap("発生した、原因は", 8, (const char *[]){ "発生し", "た、原因", "は", NULL });
	/* 「 may not end a line */
	assert_wrap("原因は「設定」", 8, (const char *[]){ "原因は", "「設定」", NULL });
	/* small kana and the long vowel mark stay with what comes before */
	assert_wrap("キャッシュ", 6, (const char *[]){ "キャッ", "シュ", NULL });
	assert_wrap("データー", 6, (const char *[]){ "デー", "ター", NULL });
	assert_wrap("error: 接続プールが枯渇", 10,
		    (const char *[]){ "error: 接", "続プールが", "枯渇", NULL });
	assert_wrap("障害\xE3\x80\x80対応", 4, (const char *[]){ "障害", "対応", NULL });
	/* a wide character wider than the line gets a line of its own */
	assert_wrap("日本", 1, (const char *[]){ "日", "本", NULL });
	assert_wrap("a日b", 2, (const char *[]){ "a", "日", "b", NULL });
}

static void
test_wrap_marks_and_emoji(void **state)
{
	(void)state;
	/* e + U+0301 stays one character */
	assert_wrap("e\xCC\x81" "e\xCC\x81" "e\xCC\x81", 2,
		    (const char *[]){ "e\xCC\x81" "e\xCC\x81", "e\xCC\x81", NULL });
	assert_wrap("👍👍👍", 4, (const char *[]){ "👍👍", "👍", NULL });
	assert_wrap("ok 👍🏽 done", 7, (const char *[]){ "ok 👍🏽", "done", NULL });
	assert_wrap("👍🏽👍🏽", 5, (const char *[]){ "👍🏽", "👍🏽", NULL });
}

static void
test_wrap_is_linear(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	struct text_span *spans;
	size_t n;

	for (int i = 0; i < 20000; i++)
		strbuf_adds(&sb, i % 3 == 0 ? "障害 " : "word ");
	n = text_wrap_spans(sb.buf, 78, &spans);
	assert_true(n > 1000);
	for (size_t i = 0; i < n; i++)
		assert_true(spans[i].width <= 78);
	free(spans);
	strbuf_release(&sb);
}

static void
test_truncate(void **state)
{
	(void)state;
	const struct {
		const char *in;
		size_t width;
		const char *out;
	} cases[] = {
		{ "abcdef", 4, "abc…" },
		{ "abcd", 4, "abcd" },
		{ "abc", 10, "abc" },
		{ "検索の障害", 6, "検索…" },
		{ "検索の障害", 7, "検索の…" },
		{ "検索の障害", 10, "検索の障害" },
		{ "abcdef", 1, "…" },
		{ "abcdef", 0, "" },
		{ "e\xCC\x81xyz", 2, "e\xCC\x81…" },
		{ "👍👍👍", 4, "👍…" },
		{ "", 0, "" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *t = text_truncate(cases[i].in, cases[i].width);
		assert_string_equal(t, cases[i].out);
		assert_true(text_width(t) <= cases[i].width);
		free(t);
	}
}

static void
test_editor_moves(void **state)
{
	(void)state;
	/* a, e + combining acute, 日, 👍, b */
	const char *s = "ae\xCC\x81日👍b";
	size_t len = strlen(s);
	const size_t stops[] = { 0, 1, 4, 7, 11, 12 };
	const size_t cols[] = { 0, 1, 2, 4, 6, 7 };

	assert_int_equal(len, 12);
	for (size_t i = 0; i + 1 < 6; i++) {
		assert_int_equal(text_next_char(s, len, stops[i]), stops[i + 1]);
		assert_int_equal(text_prev_char(s, stops[i + 1]), stops[i]);
	}
	assert_int_equal(text_next_char(s, len, len), len);
	assert_int_equal(text_prev_char(s, 0), 0);
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(text_col_of(s, stops[i]), cols[i]);
	assert_int_equal(text_offset_of_col(s, 0), 0);
	assert_int_equal(text_offset_of_col(s, 1), 1);
	assert_int_equal(text_offset_of_col(s, 2), 4);
	assert_int_equal(text_offset_of_col(s, 3), 4);	/* second column of 日 */
	assert_int_equal(text_offset_of_col(s, 4), 7);
	assert_int_equal(text_offset_of_col(s, 5), 7);
	assert_int_equal(text_offset_of_col(s, 6), 11);
	assert_int_equal(text_offset_of_col(s, 7), 12);
	assert_int_equal(text_offset_of_col(s, 99), 12);
}

static void
test_editor_emoji_sequences(void **state)
{
	(void)state;
	const char *flags = "🇯🇵🇺🇸";
	const char *family = "👨\xE2\x80\x8D👩\xE2\x80\x8D👧x";
	const char *tone = "a👍🏽";

	assert_int_equal(text_next_char(flags, 16, 0), 8);
	assert_int_equal(text_next_char(flags, 16, 8), 16);
	assert_int_equal(text_prev_char(flags, 16), 8);
	assert_int_equal(text_prev_char(flags, 8), 0);
	assert_int_equal(text_col_of(flags, 16), text_width(flags));

	assert_int_equal(strlen(family), 19);
	assert_int_equal(text_next_char(family, 19, 0), 18);
	assert_int_equal(text_prev_char(family, 19), 18);
	assert_int_equal(text_prev_char(family, 18), 0);
	assert_int_equal(text_col_of(family, 18), text_width("👨👩👧"));
	assert_int_equal(text_offset_of_col(family, 1), 0);

	assert_int_equal(text_next_char(tone, strlen(tone), 1), 9);
	assert_int_equal(text_prev_char(tone, 9), 1);
}

static void
test_unwrap(void **state)
{
	(void)state;
	char *a = text_unwrap("A retry storm\nexhausted the pool.\n\n- first item\n  continues\n- second\n"
			      "| a | b |\n| c | d |\nafter");
	char *b = text_unwrap("証明書の更新は\n年 1 回の手作業で\nした。\nThen English\nwords.");

	assert_string_equal(a, "A retry storm exhausted the pool.\n\n- first item continues\n"
			    "- second\n| a | b |\n| c | d |\nafter");
	assert_string_equal(b, "証明書の更新は年 1 回の手作業でした。 Then English words.");
	free(a);
	free(b);
}

/* Which URLs an export links: http(s), no blank, none of the syntax's
 * characters, no control character (an OSC 0 title change in C0 or C1). */
static void
test_link_url(void **state)
{
	(void)state;
	assert_true(text_is_link_url("https://github.com/acme/pay/pull/812", "<>"));
	assert_true(text_is_link_url("http://status.example/i/42?a=1|2", "<>"));
	assert_false(text_is_link_url("http://status.example/i/42?a=1|2", "<>|"));
	assert_false(text_is_link_url("ftp://files.example/x", "<>"));
	assert_false(text_is_link_url("javascript:alert(1)", "<>"));
	assert_false(text_is_link_url("https://a.example/x y", "<>"));
	assert_false(text_is_link_url("https://a.example/<b>", "<>"));
	assert_false(text_is_link_url("https://a.example/\x1b]0;pwned\x07", "<>"));
	assert_false(text_is_link_url("https://a.example/\xc2\x9d" "0;pwned", "<>"));
	assert_false(text_is_link_url("https://a.example/\x7f", "<>"));
	assert_true(text_is_link_url("https://ja.example/障害", "<>"));
	assert_false(text_is_link_url(NULL, "<>"));
}

/* xstrndup stops at the string's end (an issue's "created" shorter than
 * the ten bytes of a date was read past it: ASan and valgrind see it). */
static void
test_strndup_short(void **state)
{
	char *shorter = xstrdup("2026-1"), *p = xstrndup(shorter, 10), *q = xstrndup("2026-12-01T", 10);

	(void)state;
	assert_string_equal(p, "2026-1");
	assert_string_equal(q, "2026-12-01");
	free(p);
	free(q);
	free(shorter);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_japanese),
		cmocka_unit_test(test_invalid_utf8_is_repaired),
		cmocka_unit_test(test_sanitize_strips_escapes),
		cmocka_unit_test(test_sanitize_newlines),
		cmocka_unit_test(test_strbuf_grown_is_a_string),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_strbuf),
		cmocka_unit_test(test_unwrap),
		cmocka_unit_test(test_wrap_latin),
		cmocka_unit_test(test_wrap_japanese),
		cmocka_unit_test(test_wrap_marks_and_emoji),
		cmocka_unit_test(test_wrap_is_linear),
		cmocka_unit_test(test_truncate),
		cmocka_unit_test(test_link_url),
		cmocka_unit_test(test_strndup_short),
		cmocka_unit_test(test_editor_moves),
		cmocka_unit_test(test_editor_emoji_sequences),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
