#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "furikaeri/deliver.h"
#include "furikaeri/xalloc.h"

/* The state machine drawn in deliver.h. */

static const char *const state_names[DELIVER_N_STATES] = {
	[DELIVER_QUEUED] = "queued",
	[DELIVER_CLAIMED] = "claimed",
	[DELIVER_UNKNOWN] = "unknown",
	[DELIVER_DELIVERED] = "delivered",
	[DELIVER_REFUSED] = "refused",
	[DELIVER_FAILED] = "failed",
};

const char *
deliver_state_name(enum deliver_state state)
{
	if ((unsigned)state >= DELIVER_N_STATES)
		return "?";
	return state_names[state];
}

bool
deliver_state_parse(const char *name, enum deliver_state *out)
{
	for (int i = 0; name != NULL && i < DELIVER_N_STATES; i++)
		if (strcmp(name, state_names[i]) == 0) {
			*out = (enum deliver_state)i;
			return true;
		}
	return false;
}

bool
deliver_state_pending(enum deliver_state state)
{
	return state == DELIVER_QUEUED || state == DELIVER_CLAIMED || state == DELIVER_UNKNOWN;
}

/* The kernel's id of this boot: a PID names a process only within it. */
static void
boot_id(char *buf, size_t size)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");

	snprintf(buf, size, "noboot");
	if (f == NULL)
		return;
	if (fgets(buf, (int)size, f) == NULL)
		snprintf(buf, size, "noboot");
	fclose(f);
	buf[strcspn(buf, "\n:")] = '\0';
	if (buf[0] == '\0')
		snprintf(buf, size, "noboot");
}

/* The PID namespace's inode: a PID names a process only within it (a
 * container, `unshare -p`, has its own). 0 when it cannot be read. */
static unsigned long long
pid_namespace(void)
{
	struct stat sb;

	if (stat("/proc/self/ns/pid", &sb) < 0)
		return 0;
	return (unsigned long long)sb.st_ino;
}

static void
host_name(char *buf, size_t size)
{
	if (gethostname(buf, size - 1) < 0)
		snprintf(buf, size, "localhost");
	buf[size - 1] = '\0';
	buf[strcspn(buf, ":")] = '\0';
}

char *
deliver_owner_new(void)
{
	static atomic_uint seq;
	char host[64], boot[64];

	host_name(host, sizeof(host));
	boot_id(boot, sizeof(boot));
	return xasprintf("%s:%s:%llu:%ld:%u", host, boot, pid_namespace(), (long)getpid(),
			 atomic_fetch_add(&seq, 1) + 1);
}

bool
deliver_owner_gone(const char *owner)
{
	char host[64], boot[64], mine[256];
	char *pid_end;
	const char *p;
	long pid;
	int n;

	if (owner == NULL)
		return false;
	host_name(host, sizeof(host));
	boot_id(boot, sizeof(boot));
	n = snprintf(mine, sizeof(mine), "%s:%s:%llu:", host, boot, pid_namespace());
	/* another machine, boot or namespace, or a name from an older
	 * furikaeri: not provably gone, so its lease is waited out */
	if (n <= 0 || (size_t)n >= sizeof(mine) || strncmp(owner, mine, (size_t)n) != 0 ||
	    pid_namespace() == 0 || strcmp(boot, "noboot") == 0)
		return false;
	p = owner + n;
	errno = 0;
	pid = strtol(p, &pid_end, 10);
	if (errno != 0 || pid_end == p || *pid_end != ':' || pid <= 0 || pid == (long)getpid())
		return false;
	return kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

char *
deliver_time_in(const struct http_clock *clock, long ms)
{
	time_t when = http_clock_now(clock) + (ms > 0 ? (ms + 999) / 1000 : 0);
	struct tm tm;
	char buf[32];

	gmtime_r(&when, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return xstrdup(buf);
}

long
deliver_longest_request_ms(long connect_timeout_ms, long timeout_ms, long max_inline_wait_ms,
			   int max_attempts)
{
	long long one = (long long)connect_timeout_ms + timeout_ms;
	long long total;

	if (max_attempts < 1)
		max_attempts = 1;
	/* each attempt may take its full time, and each retry may first wait
	 * the longest wait slept inline */
	total = one * max_attempts + (long long)max_inline_wait_ms * (max_attempts - 1);
	return total > 0x7fffffffL ? 0x7fffffffL : (long)total;
}

long
deliver_lease_ms(long longest_request_ms)
{
	long long lease = (long long)longest_request_ms + 60 * 1000L;

	if (lease < 60 * 1000L)
		lease = 60 * 1000L;
	return lease > 0x7fffffffL ? 0x7fffffffL : (long)lease;
}

bool
deliver_due(const struct deliver_row_times *row, const char *now)
{
	switch (row->state) {
	case DELIVER_QUEUED:
	case DELIVER_UNKNOWN:
		return row->next_attempt_at == NULL || strcmp(row->next_attempt_at, now) <= 0;
	case DELIVER_CLAIMED:
		return row->lease_until == NULL || strcmp(row->lease_until, now) <= 0 ||
		       deliver_owner_gone(row->claimed_by);
	default:
		return false;
	}
}
