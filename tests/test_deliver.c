#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake/fake_clock.h"
#include "furikaeri/deliver.h"
#include "furikaeri/xalloc.h"

/* The delivery engine's core: one name table, owners that survive PID
 * namespaces, leases that cover the longest request, one "due". */

static void
test_state_names_round_trip(void **state)
{
	(void)state;
	for (int i = 0; i < DELIVER_N_STATES; i++) {
		enum deliver_state s;

		assert_true(deliver_state_parse(deliver_state_name((enum deliver_state)i), &s));
		assert_int_equal(s, i);
	}
	assert_string_equal(deliver_state_name(DELIVER_DELIVERED), "delivered");
	assert_false(deliver_state_parse("sending", &(enum deliver_state){ 0 }));
	assert_false(deliver_state_parse(NULL, &(enum deliver_state){ 0 }));
	assert_true(deliver_state_pending(DELIVER_UNKNOWN));
	assert_false(deliver_state_pending(DELIVER_REFUSED));
}

/* A PID that is gone: a child that exited and was reaped. */
static long
dead_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return (long)pid;
}

/* owner with its PID replaced by pid and its namespace by ns (NULL: its
 * own); owned. */
static char *
owner_with(const char *owner, const char *ns, long pid)
{
	char host[64], boot[64], own_ns[32];

	assert_int_equal(sscanf(owner, "%63[^:]:%63[^:]:%31[^:]:", host, boot, own_ns), 3);
	return xasprintf("%s:%s:%s:%ld:1", host, boot, ns ? ns : own_ns, pid);
}

static void
test_owner_gone_only_when_provably(void **state)
{
	char *me = deliver_owner_new();
	long pid = dead_pid();
	char *gone = owner_with(me, NULL, pid);
	char *other_ns = owner_with(me, "4026531999", pid);
	char *alive = owner_with(me, NULL, (long)getppid());
	struct stat sb;

	(void)state;
	/* HOST:BOOT:PIDNS:PID:N */
	assert_non_null(strchr(me, ':'));
	if (stat("/proc/self/ns/pid", &sb) == 0) {
		assert_true(deliver_owner_gone(gone));
	}
	/* the same PID in another namespace (a container) is a live process
	 * as far as this one can tell: its lease is waited out */
	assert_false(deliver_owner_gone(other_ns));
	assert_false(deliver_owner_gone(alive));
	assert_false(deliver_owner_gone(me));
	/* an older furikaeri's "HOST:PID:N" is never taken for gone */
	{
		char host[64];
		char *old;

		assert_int_equal(sscanf(me, "%63[^:]", host), 1);
		old = xasprintf("%s:%ld:1", host, pid);
		assert_false(deliver_owner_gone(old));
		free(old);
	}
	assert_false(deliver_owner_gone(NULL));
	assert_false(deliver_owner_gone("garbage"));
	free(me);
	free(gone);
	free(other_ns);
	free(alive);
}

static void
test_lease_covers_longest_request(void **state)
{
	long longest;

	(void)state;
	/* defaults: 10 s connect, 30 s transfer, 120 s inline waits, 5 tries */
	longest = deliver_longest_request_ms(10000, 30000, 120000, 5);
	assert_int_equal(longest, 5 * 40000 + 4 * 120000);
	assert_true(deliver_lease_ms(longest) > longest);
	/* an hour's [http] timeout: the lease is longer than the request */
	longest = deliver_longest_request_ms(10000, 3600000, 120000, 5);
	assert_true(deliver_lease_ms(longest) > 5L * 3600000);
	assert_true(deliver_lease_ms(0) >= 60000);
}

static void
test_due_is_one_rule(void **state)
{
	const char *now = "2026-12-07T10:00:00Z";
	char *me = deliver_owner_new();

	(void)state;
	assert_true(deliver_due(&(struct deliver_row_times){ .state = DELIVER_QUEUED }, now));
	assert_false(deliver_due(&(struct deliver_row_times){
		.state = DELIVER_QUEUED, .next_attempt_at = "2026-12-07T10:00:01Z" }, now));
	assert_true(deliver_due(&(struct deliver_row_times){
		.state = DELIVER_UNKNOWN, .next_attempt_at = now }, now));
	assert_false(deliver_due(&(struct deliver_row_times){
		.state = DELIVER_CLAIMED, .lease_until = "2026-12-07T11:00:00Z",
		.claimed_by = me }, now));
	assert_true(deliver_due(&(struct deliver_row_times){
		.state = DELIVER_CLAIMED, .lease_until = "2026-12-07T09:59:59Z",
		.claimed_by = me }, now));
	for (int s = DELIVER_DELIVERED; s < DELIVER_N_STATES; s++)
		assert_false(deliver_due(&(struct deliver_row_times){
			.state = (enum deliver_state)s }, now));
	free(me);
}

static void
test_time_in_follows_the_clock(void **state)
{
	struct fake_clock clock = { .epoch = (time_t)1764547200 };
	struct http_clock hc = fake_clock_http(&clock);
	char *t0 = deliver_time_in(&hc, 0), *t1 = deliver_time_in(&hc, 1500);

	(void)state;
	assert_string_equal(t0, "2025-12-01T00:00:00Z");
	assert_string_equal(t1, "2025-12-01T00:00:02Z");
	free(t0);
	free(t1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_names_round_trip),
		cmocka_unit_test(test_owner_gone_only_when_provably),
		cmocka_unit_test(test_lease_covers_longest_request),
		cmocka_unit_test(test_due_is_one_rule),
		cmocka_unit_test(test_time_in_follows_the_clock),
	};

	return cmocka_run_group_tests_name("deliver", tests, NULL, NULL);
}
