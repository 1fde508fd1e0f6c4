#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "furikaeri/postmortem.h"

static void
expect_sev(const char *in, const char *want)
{
	char *got = postmortem_severity_normalise(in);

	if (want == NULL) {
		if (got != NULL)
			fail_msg("\"%s\" gave %s, expected none", in, got);
		return;
	}
	if (got == NULL || strcmp(got, want) != 0)
		fail_msg("\"%s\" gave %s, expected %s", in, got ? got : "none", want);
	free(got);
}

static void
test_severity(void **state)
{
	(void)state;
	expect_sev("SEV2", "SEV2");
	expect_sev("Sev 2", "SEV2");
	expect_sev("sev-3", "SEV3");
	expect_sev("S1", "SEV1");
	expect_sev("P1", "SEV1");
	expect_sev("P0", "SEV1");
	expect_sev("2", "SEV2");
	expect_sev("Severity 4", "SEV4");
	expect_sev("Severity: high", "SEV2");
	expect_sev("high", "SEV2");
	expect_sev("High", "SEV2");
	expect_sev("SEV2 (major)", "SEV2");
	expect_sev("SEV-1 - Critical", "SEV1");
	expect_sev("critical", "SEV1");
	expect_sev("Minor", "SEV4");
	expect_sev("重大", "SEV2");
	expect_sev("重要度: 高", "SEV2");
	expect_sev("レベル3", "SEV3");
	expect_sev("中", "SEV3");
	expect_sev("ＳＥＶ２", "SEV2");
	expect_sev("", NULL);
	expect_sev("soon", NULL);
	expect_sev("SEV9", NULL);
	expect_sev("Sample", NULL);
}

static void
test_sections_and_measures(void **state)
{
	(void)state;
	struct postmortem *pm = postmortem_new();

	postmortem_add_section(pm, "impact", "Impact", "a");
	postmortem_add_section(pm, "impact", "Impact again", "b");
	assert_int_equal(pm->n_sections, 1);
	assert_string_equal(postmortem_section(pm, "impact")->text, "a\n\nb");
	struct measure *m = postmortem_add_measure(pm, "Add alert");
	assert_int_equal(m->status, MEASURE_OPEN);
	enum measure_status st;
	assert_true(measure_status_parse("not_doing", &st));
	assert_int_equal(st, MEASURE_NOT_DOING);
	assert_string_equal(measure_status_name(MEASURE_DONE), "done");
	assert_int_equal(postmortem_severity_rank("SEV2"), 2);
	assert_int_equal(postmortem_severity_rank(NULL), 6);
	postmortem_free(pm);
	postmortem_free(NULL);
}

static void
test_short_id(void **state)
{
	char *s;

	(void)state;
	s = postmortem_short_id("acme/pay#31");
	assert_string_equal(s, "pay#31");
	free(s);
	assert_null(postmortem_short_id("OPS-412"));
	assert_null(postmortem_short_id("pm-2026-031"));
	assert_null(postmortem_short_id("a/b/c#1"));
	assert_null(postmortem_short_id("acme/pay#x1"));
	assert_null(postmortem_short_id("/pay#1"));
	assert_null(postmortem_short_id("acme/pay#"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_severity),
		cmocka_unit_test(test_sections_and_measures),
		cmocka_unit_test(test_short_id),
	};

	return cmocka_run_group_tests_name("postmortem", tests, NULL, NULL);
}
