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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_japanese),
		cmocka_unit_test(test_invalid_utf8_is_repaired),
		cmocka_unit_test(test_sanitize_strips_escapes),
		cmocka_unit_test(test_sanitize_newlines),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_strbuf),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
