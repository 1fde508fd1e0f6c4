#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "furikaeri/blameless.h"
#include "furikaeri/strbuf.h"

static const char *const roster[] = { "Aoi", "ken", "田中", "Mary Ann" };

static char *
slurp(const char *rel)
{
	const char *top = getenv("FK_SRCDIR");
	struct strbuf sb = STRBUF_INIT;
	char path[1024], buf[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", top != NULL ? top : FK_SRCDIR, rel);
	f = fopen(path, "rb");
	assert_non_null(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	return strbuf_detach(&sb);
}

static int
setup(void **state)
{
	struct blameless *b = blameless_new();
	char *en = slurp("data/blameless/en.txt"), *ja = slurp("data/blameless/ja.txt");
	char *err = NULL;

	if (blameless_load(b, en, "data/blameless/en.txt", &err) < 0 ||
	    blameless_load(b, ja, "data/blameless/ja.txt", &err) < 0) {
		fprintf(stderr, "%s\n", err);
		free(err);
		return -1;
	}
	free(en);
	free(ja);
	*state = b;
	return 0;
}

static int
teardown(void **state)
{
	blameless_free(*state);
	return 0;
}

static enum blameless_kind
kind(void **state, const char *text)
{
	return blameless_match(*state, text, roster, 4, NULL);
}

static void
test_english_blame(void **state)
{
	const char *blame[] = {
		"Ken forgot to update the config",
		"ken forgot the flag",
		"The on-call forgot to page",
		"Aoi should have known the limit",
		"That was careless",
		"pure carelessness on deploy day",
		"Root cause: human error",
		"It was Mary Ann's fault",
		"It was Ken’s fault",
		"Mary Ann didn't check the expiry",
		"we blame the release process",
		"They didn't bother to run tests",
		"they didn’t bother",
		"SLOPPY review",
		"an incompetent change",
		"Ken   forgotten flag",
	};
	const char *fine[] = {
		"a blameless review of the retry storm",
		"the deploy script has no check for the flag",
		"forgotten flags are not detected by CI",
		"blamestorming is not a word",
		"the config has a fault in the pool size",
		"add jitter to retries",
		/* capitalised words are not people unless on the roster */
		"CI didn't check the certificate expiry",
		"Redis messed up the keys",
		"The deploy screwed up the cache",
		"It was Sato’s fault",
		"",
	};

	for (size_t i = 0; i < sizeof(blame) / sizeof(blame[0]); i++)
		if (kind(state, blame[i]) != BLAMELESS_BLAME)
			fail_msg("\"%s\" should read as blame", blame[i]);
	for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++)
		if (kind(state, fine[i]) != BLAMELESS_NONE)
			fail_msg("\"%s\" should not get a hint", fine[i]);
}

static void
test_japanese(void **state)
{
	const char *blame[] = {
		"うっかり設定を消した",
		"担当者の不注意による障害",
		"田中のミスで本番が落ちた",
		"田中さんのミスでした",
		"Aoiのせいではない",
		"原因は確認漏れ",
		"レビューを怠った",
		"Kenのミス",
		"佐藤さんのミス",	/* さん names a person, roster or not */
	};
	const char *careful[] = {
		"今後は気をつける",
		"デプロイ時に気を付ける",
		"手順に注意する",
		"Be more careful when deploying",
		"everyone should pay attention to alerts",
		"double-check the config before deploy",
	};
	const char *fine[] = {
		"リトライにジッターがなかった",
		"設定のミスを検出するテストを追加する",
		"佐藤のミス",	/* not in the roster */
		"Redisのミス",
		"CIのせいで遅れた",
		"接続プールの監視を追加",
	};

	for (size_t i = 0; i < sizeof(blame) / sizeof(blame[0]); i++)
		if (kind(state, blame[i]) != BLAMELESS_BLAME)
			fail_msg("\"%s\" should read as blame", blame[i]);
	for (size_t i = 0; i < sizeof(careful) / sizeof(careful[0]); i++)
		if (kind(state, careful[i]) != BLAMELESS_CAREFUL)
			fail_msg("\"%s\" should ask for a mechanism", careful[i]);
	for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++)
		if (kind(state, fine[i]) != BLAMELESS_NONE)
			fail_msg("\"%s\" should not get a hint", fine[i]);
}

static void
test_hints(void **state)
{
	const char *text = "Ken forgot to rotate the key";
	const char *pattern = NULL;
	char *copy = strdup(text);

	assert_non_null(blameless_check(*state, copy, roster, 4));
	assert_string_equal(copy, text);	/* the text is never changed */
	assert_ptr_equal(blameless_check(*state, copy, roster, 4), blameless_hint(BLAMELESS_BLAME));
	assert_int_equal(blameless_match(*state, copy, roster, 4, &pattern), BLAMELESS_BLAME);
	assert_string_equal(pattern, "{person} forgot*");
	assert_non_null(strstr(blameless_hint(BLAMELESS_BLAME), "system"));
	assert_non_null(strstr(blameless_hint(BLAMELESS_CAREFUL), "mechanism"));
	assert_null(blameless_hint(BLAMELESS_NONE));
	assert_null(blameless_check(*state, "add an alert", NULL, 0));
	assert_int_equal(blameless_match(*state, "add an alert", NULL, 0, &pattern), BLAMELESS_NONE);
	assert_null(pattern);
	free(copy);
}

static void
test_team_patterns_and_errors(void **state)
{
	(void)state;
	struct blameless *b = blameless_new();
	char *err = NULL;

	assert_int_equal(blameless_load(b, "# ours\n\n  dropped the ball  \n[careful]\nbe vigilant*\n", "team.txt", NULL), 0);
	assert_int_equal(blameless_count(b), 2);
	assert_int_equal(blameless_match(b, "Who dropped   the ball?", NULL, 0, NULL), BLAMELESS_BLAME);
	assert_int_equal(blameless_match(b, "we must be vigilantly watching", NULL, 0, NULL), BLAMELESS_CAREFUL);
	assert_int_equal(blameless_match(b, "dropped the balloon", NULL, 0, NULL), BLAMELESS_NONE);

	assert_int_equal(blameless_load(b, "ok line\n[loud]\n", "team.txt", &err), -1);
	assert_string_equal(err, "team.txt:2: [loud]: unknown section; use [blame] or [careful]");
	assert_int_equal(blameless_load(b, "a\nb\n{name} goofed\n", "t.txt", &err), -1);
	assert_non_null(strstr(err, "t.txt:3: "));
	assert_non_null(strstr(err, "{person}"));
	assert_int_equal(blameless_load(b, "{person} goofed {", "t.txt", &err), -1);
	assert_non_null(strstr(err, "without '}'"));
	assert_int_equal(blameless_load(b, "{person}", "t.txt", &err), -1);
	assert_non_null(strstr(err, "needs some text"));
	assert_int_equal(blameless_load(b, "care*less", "t.txt", &err), -1);
	assert_non_null(strstr(err, "only end"));
	assert_int_equal(blameless_load(b, "ok\n\xff\n", "t.txt", &err), -1);
	assert_non_null(strstr(err, "UTF-8"));
	free(err);
	/* nothing from a failed file was added */
	assert_int_equal(blameless_count(b), 2);
	blameless_free(b);
	blameless_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_english_blame),
		cmocka_unit_test(test_japanese),
		cmocka_unit_test(test_hints),
		cmocka_unit_test(test_team_patterns_and_errors),
	};

	return cmocka_run_group_tests_name("blameless", tests, setup, teardown);
}
