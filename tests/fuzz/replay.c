#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "furikaeri/xalloc.h"
#include "fuzz.h"

/* Runs one harness over its seed corpus and its saved crashes
 * (tests/fuzz/regressions/FUZZ_NAME/): every input that once crashed stays
 * a test in make check, under gcc, ASan and valgrind alike. */

static size_t
replay_dir(const char *kind)
{
	const char *top = getenv("FK_SRCDIR");
	char *dir = xasprintf("%s/tests/fuzz/%s/%s", top ? top : FK_SRCDIR, kind, FUZZ_NAME);
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	if (d == NULL) {
		free(dir);
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		char *path;
		FILE *f;
		char *buf;
		long len;

		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		f = fopen(path, "rb");
		assert_non_null(f);
		assert_int_equal(fseek(f, 0, SEEK_END), 0);
		len = ftell(f);
		assert_true(len >= 0);
		rewind(f);
		buf = xmalloc((size_t)len + 1);
		assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
		fclose(f);
		print_message("# %s\n", path);
		assert_int_equal(LLVMFuzzerTestOneInput((const uint8_t *)buf, (size_t)len), 0);
		free(buf);
		free(path);
		n++;
	}
	closedir(d);
	free(dir);
	return n;
}

static void
test_corpus(void **state)
{
	(void)state;
	assert_true(replay_dir("corpus") > 0);
}

static void
test_regressions(void **state)
{
	(void)state;
	replay_dir("regressions");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_regressions),
	};

	return cmocka_run_group_tests_name("replay_" FUZZ_NAME, tests, NULL, NULL);
}
