#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "furikaeri/store.h"

static char tmpdir[] = "/tmp/fk-test-store-XXXXXX";

static int
setup(void **state)
{
	(void)state;
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

static void
test_open_creates_private_file(void **state)
{
	(void)state;
	char path[256], dir[256];
	char *err = NULL;
	struct stat sb;

	snprintf(dir, sizeof(dir), "%s/new", tmpdir);
	snprintf(path, sizeof(path), "%s/furikaeri.db", dir);
	struct store *st = store_open(path, &err);
	assert_non_null(st);
	assert_null(err);
	assert_int_equal(store_version_at_open(st), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	store_free(st);

	st = store_open(path, &err);
	assert_non_null(st);
	assert_int_equal(store_version_at_open(st), STORE_SCHEMA_VERSION);
	store_free(st);
}

static void
test_not_a_database(void **state)
{
	(void)state;
	char path[256];
	char *err = NULL;

	snprintf(path, sizeof(path), "%s/junk.db", tmpdir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 0; i < 200; i++)
		fputs("this is not a database at all\n", f);
	fclose(f);
	assert_null(store_open(path, &err));
	assert_non_null(err);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "not a furikaeri database"));
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_creates_private_file),
		cmocka_unit_test(test_not_a_database),
	};

	return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
