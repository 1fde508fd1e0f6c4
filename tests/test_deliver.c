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
#include "furikaeri/deliver_run.h"
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

/* deliver_run against a scripted target and table: the steps it takes. */
struct script {
	enum deliver_find find;
	enum deliver_send send;
	bool hold;		/* guards hold */
	bool hold_after_send;	/* a move after the send holds */
	bool sent_once;
	int finds, sends;
	enum deliver_step steps[16];
	int n;
};

static enum deliver_find
script_find(void *ctx, char **ref, char **why)
{
	struct script *sc = ctx;

	(void)why;
	sc->finds++;
	if (sc->find == DELIVER_FIND_FOUND)
		*ref = xstrdup("ref-1");
	return sc->find;
}

static enum deliver_send
script_send(void *ctx, const struct deliver_renew *renew, char **ref, long *wait_ms, char **why)
{
	struct script *sc = ctx;

	(void)renew;
	(void)wait_ms;
	sc->sends++;
	sc->sent_once = true;
	if (sc->send != DELIVER_SEND_OK)
		*why = xstrdup("no answer");
	else
		*ref = xstrdup("ref-2");
	return sc->send;
}

static int
script_move(void *ctx, struct deliver_move *mv, bool *changed, char **err)
{
	struct script *sc = ctx;

	(void)err;
	sc->steps[sc->n++] = mv->step;
	*changed = mv->step != DELIVER_STEP_BUSY && mv->step != DELIVER_STEP_LOST &&
		   (sc->sent_once ? sc->hold_after_send : sc->hold);
	if (mv->step == DELIVER_STEP_TAKEOVER)
		mv->look_now = true;
	return 0;
}

static enum deliver_outcome
run_script(struct script *sc, enum deliver_state state, bool look_first, int misses,
	   int lookups_needed, bool resend_safe)
{
	struct deliver_backend be = { .find = script_find, .send = script_send,
				      .lookups_needed = lookups_needed,
				      .resend_safe = resend_safe, .ctx = sc };
	struct deliver_table tb = { .move = script_move, .ctx = sc };
	enum deliver_outcome out;
	char *err = NULL;

	assert_int_equal(deliver_run(&(struct deliver_run_row){
		.times = { .state = state, .lease_until = "2000-01-01T00:00:00Z",
			   .claimed_by = "elsewhere:x:1:1:1" },
		.look_first = look_first, .misses = misses,
	}, &be, &tb, NULL, &out, &err), 0);
	assert_null(err);
	return out;
}

/* After an unknown outcome nothing is sent before lookups_needed lookups
 * missed; then the claim is renewed and the send goes. */
static void
test_run_looks_up_before_a_resend(void **state)
{
	struct script sc = { .find = DELIVER_FIND_MISSED, .send = DELIVER_SEND_OK, .hold = true,
			     .hold_after_send = true };

	(void)state;
	assert_int_equal(run_script(&sc, DELIVER_UNKNOWN, true, 0, 2, false), DELIVER_OUT_UNKNOWN);
	assert_int_equal(sc.sends, 0);
	assert_int_equal(sc.steps[sc.n - 1], DELIVER_STEP_MISSED);

	sc = (struct script){ .find = DELIVER_FIND_MISSED, .send = DELIVER_SEND_OK, .hold = true,
			      .hold_after_send = true };
	assert_int_equal(run_script(&sc, DELIVER_UNKNOWN, true, 1, 2, false),
			 DELIVER_OUT_DELIVERED);
	assert_int_equal(sc.finds, 1);
	assert_int_equal(sc.sends, 1);
	assert_int_equal(sc.steps[0], DELIVER_STEP_CLAIM);
	assert_int_equal(sc.steps[1], DELIVER_STEP_RESEND);
	assert_int_equal(sc.steps[2], DELIVER_STEP_SEND);
	assert_int_equal(sc.steps[3], DELIVER_STEP_SENT);

	sc = (struct script){ .find = DELIVER_FIND_FAILED, .hold = true };
	assert_int_equal(run_script(&sc, DELIVER_UNKNOWN, true, 1, 2, false), DELIVER_OUT_UNKNOWN);
	assert_int_equal(sc.sends, 0);

	sc = (struct script){ .find = DELIVER_FIND_FOUND, .hold = true };
	assert_int_equal(run_script(&sc, DELIVER_UNKNOWN, true, 0, 2, false),
			 DELIVER_OUT_DELIVERED);
	assert_int_equal(sc.sends, 0);
}

/* A row taken over while its send was in flight never reports delivered;
 * a row claimed by another first is left alone. */
static void
test_run_lost_is_never_delivered(void **state)
{
	struct script sc = { .send = DELIVER_SEND_OK, .hold = true, .hold_after_send = false };

	(void)state;
	assert_int_equal(run_script(&sc, DELIVER_QUEUED, false, 0, 1, false), DELIVER_OUT_LOST);
	assert_int_equal(sc.steps[sc.n - 1], DELIVER_STEP_LOST);

	sc = (struct script){ .send = DELIVER_SEND_OK, .hold = false };
	assert_int_equal(run_script(&sc, DELIVER_QUEUED, false, 0, 1, false), DELIVER_OUT_BUSY);
	assert_int_equal(sc.sends, 0);
}

/* A target with no lookup: an unknown outcome is final, and a claim that
 * ran out becomes unknown, never sent again; a harmless resend (an edit)
 * is simply later. */
static void
test_run_without_lookup(void **state)
{
	struct script sc = { .send = DELIVER_SEND_UNKNOWN, .hold = true, .hold_after_send = true };

	(void)state;
	assert_int_equal(run_script(&sc, DELIVER_QUEUED, false, 0, 0, false), DELIVER_OUT_UNKNOWN);
	assert_int_equal(sc.sends, 1);

	sc = (struct script){ .send = DELIVER_SEND_OK, .hold = true };
	assert_int_equal(run_script(&sc, DELIVER_UNKNOWN, false, 0, 0, false),
			 DELIVER_OUT_UNKNOWN);
	assert_int_equal(sc.n, 0);

	sc = (struct script){ .send = DELIVER_SEND_OK, .hold = true };
	assert_int_equal(run_script(&sc, DELIVER_CLAIMED, false, 0, 0, false),
			 DELIVER_OUT_UNKNOWN);
	assert_int_equal(sc.steps[0], DELIVER_STEP_TAKEOVER);
	assert_int_equal(sc.sends, 0);

	sc = (struct script){ .send = DELIVER_SEND_UNKNOWN, .hold = true, .hold_after_send = true };
	assert_int_equal(run_script(&sc, DELIVER_UNKNOWN, true, 0, 1, true), DELIVER_OUT_LATER);
	assert_int_equal(sc.finds, 0);
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
		cmocka_unit_test(test_run_looks_up_before_a_resend),
		cmocka_unit_test(test_run_lost_is_never_delivered),
		cmocka_unit_test(test_run_without_lookup),
	};

	return cmocka_run_group_tests_name("deliver", tests, NULL, NULL);
}
