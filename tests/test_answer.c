#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "furikaeri/answer.h"

/* Types text as keys 50 ms apart from *t; returns the last result. */
static enum answer_result
type(struct answer *a, bool asking, const char *text, long long *t)
{
	enum answer_result r = ANSWER_PASS;

	for (const char *p = text; *p != '\0'; p++) {
		*t += 50;
		if (*p == '\n')
			r = answer_key(a, asking, ANSWER_KEY_ENTER, 0, *t);
		else
			r = answer_key(a, asking, ANSWER_KEY_TEXT, (uint32_t)*p, *t);
	}
	return r;
}

static void
expect_aside(struct answer *a, const char *want)
{
	char *got = answer_take_aside(a);

	if (want == NULL) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* "nope, not yet" and Enter: n answers, the rest of the word and its Enter
 * are kept aside, never typed into the input line. */
static void
test_rest_of_the_answer(void **state)
{
	struct answer a = { 0 };
	long long t = 1000;

	(void)state;
	assert_int_equal(answer_key(&a, true, ANSWER_KEY_TEXT, 'n', t), ANSWER_NO);
	/* the question is gone now */
	assert_int_equal(type(&a, false, "ope, not yet", &t), ANSWER_TAKEN);
	assert_int_equal(type(&a, false, "\n", &t), ANSWER_TAKEN);
	expect_aside(&a, "ope, not yet");
	/* then typing is typing again */
	assert_int_equal(type(&a, false, "a note", &t), ANSWER_PASS);
	expect_aside(&a, NULL);
	answer_release(&a);
}

/* After a pause the next key is the input line's. */
static void
test_pause_ends_the_answer(void **state)
{
	struct answer a = { 0 };
	long long t = 1000;

	(void)state;
	assert_int_equal(answer_key(&a, true, ANSWER_KEY_TEXT, 'Y', t), ANSWER_YES);
	t += ANSWER_FOLLOW_MS + 1;
	assert_int_equal(answer_key(&a, false, ANSWER_KEY_TEXT, 'x', t), ANSWER_PASS);
	expect_aside(&a, NULL);
	/* once the rest of the word follows, a slower key still belongs to it */
	assert_int_equal(answer_key(&a, true, ANSWER_KEY_TEXT, 'n', t), ANSWER_NO);
	assert_int_equal(answer_key(&a, false, ANSWER_KEY_TEXT, 'o', t + 100), ANSWER_TAKEN);
	assert_int_equal(answer_key(&a, false, ANSWER_KEY_TEXT, 'p', t + 700), ANSWER_TAKEN);
	assert_int_equal(answer_key(&a, false, ANSWER_KEY_TEXT, 'e', t + 1800), ANSWER_PASS);
	expect_aside(&a, "op");
	t += 2000;
	/* and so does a key that is not text */
	assert_int_equal(answer_key(&a, true, ANSWER_KEY_TEXT, 'n', t), ANSWER_NO);
	assert_int_equal(answer_key(&a, false, ANSWER_KEY_OTHER, 0, t + 10), ANSWER_PASS);
	answer_release(&a);
}

/* Typed before the screen asked: not an answer (its y and n included); the
 * line is kept aside at its Enter and the question stays. */
static void
test_stray_line_is_not_an_answer(void **state)
{
	struct answer a = { 0 };
	long long t = 1000;

	(void)state;
	assert_int_equal(type(&a, true, "great meeting", &t), ANSWER_TAKEN);
	assert_int_equal(type(&a, true, "\n", &t), ANSWER_TAKEN);
	expect_aside(&a, "great meeting");
	assert_int_equal(type(&a, true, "y", &t), ANSWER_YES);
	answer_release(&a);
}

static void
test_enter_esc_and_other_keys(void **state)
{
	struct answer a = { 0 };

	(void)state;
	assert_int_equal(answer_key(&a, true, ANSWER_KEY_OTHER, 0, 0), ANSWER_TAKEN);
	assert_int_equal(answer_key(&a, true, ANSWER_KEY_ENTER, 0, 5000), ANSWER_NO);
	assert_int_equal(answer_key(&a, true, ANSWER_KEY_CANCEL, 0, 10000), ANSWER_NO);
	/* Esc in the middle of a stray line answers no too */
	assert_int_equal(answer_key(&a, true, ANSWER_KEY_TEXT, 'q', 20000), ANSWER_TAKEN);
	assert_int_equal(answer_key(&a, true, ANSWER_KEY_CANCEL, 0, 20050), ANSWER_NO);
	expect_aside(&a, "q");
	/* no question, no answer: every key passes */
	assert_int_equal(answer_key(&a, false, ANSWER_KEY_TEXT, 'n', 30000), ANSWER_PASS);
	answer_release(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rest_of_the_answer),
		cmocka_unit_test(test_pause_ends_the_answer),
		cmocka_unit_test(test_stray_line_is_not_an_answer),
		cmocka_unit_test(test_enter_esc_and_other_keys),
	};

	return cmocka_run_group_tests_name("answer", tests, NULL, NULL);
}
