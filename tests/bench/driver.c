#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fake/fake_chat.h"
#include "fake/fake_http.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"

/* The benchmark driver: runs programs and measures them precisely, so that
 * run.sh only has to print. Every mode prints one line of key=value pairs
 * (times in milliseconds, peak memory in KB from the child's rusage). */

static const char usage[] =
	"usage: driver run -- COMMAND...\n"
	"       driver queries FILE ROUNDS -- COMMAND... ({} stands for the query)\n"
	"       driver frame MARKER -- COMMAND...\n"
	"       driver type MARKER CHARS LINES_FILE -- COMMAND...\n"
	"       driver confirm-type MARKER CHARS -- COMMAND...\n"
	"       driver page MARKER PAGES -- COMMAND...\n"
	"       driver tracker DELAY_MS\n"
	"       driver chat DELAY_MS\n";

static double
driver_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
driver_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The value at fraction q of the sorted samples (nearest rank). */
static double
driver_quantile(double *v, size_t n, double q)
{
	size_t i;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), driver_cmp);
	i = (size_t)(q * (double)n + 0.999999);
	return v[i == 0 ? 0 : (i > n ? n - 1 : i - 1)];
}

static void
driver_exec(char **cmd)
{
	execvp(cmd[0], cmd);
	fprintf(stderr, "driver: cannot run %s: %s\n", cmd[0], strerror(errno));
	_exit(127);
}

/* Runs cmd with output to /dev/null; returns the wall time, fills the peak
 * memory and the exit status. */
static double
driver_time_one(char **cmd, long *rss_kb, int *status)
{
	struct rusage ru;
	double t0 = driver_now_ms();
	pid_t pid = fork();

	if (pid < 0) {
		perror("driver: fork");
		exit(1);
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, STDOUT_FILENO);
		driver_exec(cmd);
	}
	while (wait4(pid, status, 0, &ru) < 0 && errno == EINTR)
		;
	*rss_kb = ru.ru_maxrss;
	return driver_now_ms() - t0;
}

static int
driver_run(char **cmd)
{
	long rss;
	int status;
	double ms = driver_time_one(cmd, &rss, &status);

	printf("ms=%.1f rss_kb=%ld status=%d\n", ms, rss,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}

/* Each query's time is the least of rounds runs: on a shared machine the
 * other runs measure the neighbours too. */
static int
driver_queries(const char *file, long rounds, char **cmd, int argc)
{
	FILE *f = fopen(file, "r");
	char line[1024];
	double *ms = NULL, total = 0;
	size_t n = 0, failed = 0;
	long rss_max = 0;
	char **argv = xcalloc((size_t)argc + 1, sizeof(char *));

	if (f == NULL) {
		fprintf(stderr, "driver: %s: %s\n", file, strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		long rss;
		int status;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '\0')
			continue;
		for (int i = 0; i < argc; i++)
			argv[i] = strcmp(cmd[i], "{}") == 0 ? line : cmd[i];
		ms = xreallocarray(ms, n + 1, sizeof(double));
		for (long r = 0; r < rounds; r++) {
			double t = driver_time_one(argv, &rss, &status);
			if (r == 0 || t < ms[n])
				ms[n] = t;
			/* grep says 1 for "no match"; only worse is a failure */
			if (!WIFEXITED(status) || WEXITSTATUS(status) > 1)
				failed++;
			if (rss > rss_max)
				rss_max = rss;
		}
		total += ms[n++];
	}
	fclose(f);
	double median = driver_quantile(ms, n, 0.5), p95 = driver_quantile(ms, n, 0.95);
	printf("queries=%zu median_ms=%.2f p95_ms=%.2f total_ms=%.1f rss_kb=%ld failed=%zu\n", n,
	       median, p95, total, rss_max, failed);
	free(ms);
	free(argv);
	return 0;
}

struct driver_pty {
	int fd;
	pid_t pid;
	struct strbuf out;	/* everything the program wrote */
	double last_ms;		/* when the last byte came */
};

static void
driver_pty_start(struct driver_pty *p, char **cmd)
{
	struct winsize ws = { .ws_row = 36, .ws_col = 120 };

	p->out = (struct strbuf)STRBUF_INIT;
	p->pid = forkpty(&p->fd, NULL, NULL, &ws);
	if (p->pid < 0) {
		perror("driver: forkpty");
		exit(1);
	}
	if (p->pid == 0)
		driver_exec(cmd);
}

/* Reads what is there within timeout_ms; returns the bytes read, 0 on a
 * timeout, -1 when the program is gone. */
static ssize_t
driver_pty_read(struct driver_pty *p, int timeout_ms)
{
	struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
	char buf[65536];
	ssize_t n;
	int r = poll(&pfd, 1, timeout_ms);

	if (r < 0 && errno == EINTR)
		return 0;
	if (r <= 0)
		return r;
	n = read(p->fd, buf, sizeof(buf));
	if (n <= 0)
		return -1;
	p->last_ms = driver_now_ms();
	strbuf_add(&p->out, buf, (size_t)n);
	return n;
}

/* Reads until the output holds marker from offset from, then until the
 * program has been quiet for quiet_ms: the end of that frame. */
static int
driver_pty_wait(struct driver_pty *p, const char *marker, size_t from, int quiet_ms,
		int limit_ms)
{
	double t0 = driver_now_ms();

	while (p->out.len < from || memmem(strbuf_str(&p->out) + from, p->out.len - from, marker,
					   strlen(marker)) == NULL) {
		if (driver_now_ms() - t0 > limit_ms || driver_pty_read(p, 100) < 0) {
			fprintf(stderr, "driver: never saw \"%s\"; the program wrote %zu bytes\n",
				marker, p->out.len);
			return -1;
		}
	}
	while (driver_pty_read(p, quiet_ms) > 0)
		;
	return 0;
}

static long
driver_pty_stop(struct driver_pty *p)
{
	struct rusage ru = { 0 };
	int status;

	kill(p->pid, SIGTERM);
	for (int i = 0; i < 300; i++) {
		pid_t r = wait4(p->pid, &status, WNOHANG, &ru);
		if (r == p->pid)
			break;
		driver_pty_read(p, 10);
		if (i == 299) {
			kill(p->pid, SIGKILL);
			wait4(p->pid, &status, 0, &ru);
		}
	}
	close(p->fd);
	strbuf_release(&p->out);
	return ru.ru_maxrss;
}

/* Start to the first complete frame: the clock runs from fork to the last
 * byte of the burst that holds the marker. */
static int
driver_frame(const char *marker, char **cmd)
{
	struct driver_pty p;
	double t0 = driver_now_ms();

	driver_pty_start(&p, cmd);
	int rc = driver_pty_wait(&p, marker, 0, 5, 30000);
	double ms = p.last_ms - t0;
	size_t bytes = p.out.len;
	long rss = driver_pty_stop(&p);
	if (rc < 0)
		return 1;
	printf("ms=%.2f bytes=%zu rss_kb=%ld\n", ms, bytes, rss);
	return 0;
}

/* Sends each line of the file (with a carriage return), then types chars
 * letters one by one: the latency of a key is until its letter comes back,
 * the bytes of a key all the program wrote until it was quiet again.
 * confirm: Enter on "Before we start" first (the facilitator), as a
 * meeting that opens on a postmortem needs. */
static int
driver_type(const char *marker, long chars, const char *lines, bool confirm, char **cmd)
{
	struct driver_pty p;
	FILE *f = lines[0] != '\0' ? fopen(lines, "r") : NULL;
	double *lat = xcalloc((size_t)chars, sizeof(double));
	size_t bytes = 0, sent = 0;
	char line[1024];

	driver_pty_start(&p, cmd);
	if ((confirm && (driver_pty_wait(&p, "Before we start", 0, 50, 30000) < 0 ||
			 write(p.fd, "\r", 1) != 1)) ||
	    driver_pty_wait(&p, marker, 0, 50, 30000) < 0) {
		driver_pty_stop(&p);
		return 1;
	}
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\r';
		if (write(p.fd, line, strlen(line)) < 0)
			break;
		while (driver_pty_read(&p, 300) > 0)
			;
		sent++;
	}
	if (f != NULL)
		fclose(f);
	for (long i = 0; i < chars; i++) {
		char key = (char)('a' + i % 26);
		size_t from = p.out.len;
		double t0 = driver_now_ms();
		if (write(p.fd, &key, 1) != 1)
			break;
		while (memchr(strbuf_str(&p.out) + from, key, p.out.len - from) == NULL)
			if (driver_pty_read(&p, 5000) <= 0) {
				fprintf(stderr, "driver: key '%c' never echoed\n", key);
				driver_pty_stop(&p);
				return 1;
			}
		lat[i] = p.last_ms - t0;
		while (driver_pty_read(&p, 30) > 0)
			;
		bytes += p.out.len - from;
	}
	long rss = driver_pty_stop(&p);
	double median = driver_quantile(lat, (size_t)chars, 0.5);
	double p95 = driver_quantile(lat, (size_t)chars, 0.95);
	double max = driver_quantile(lat, (size_t)chars, 1.0);
	printf("chars=%ld lines=%zu bytes_per_char=%.1f median_ms=%.2f p95_ms=%.2f max_ms=%.2f "
	       "rss_kb=%ld\n", chars, sent, (double)bytes / (double)chars, median, p95, max, rss);
	free(lat);
	return 0;
}

/* A meeting on a long postmortem: Enter confirms the facilitator, then
 * until marker (the details' "PgUp/PgDn" mark) shows; each of pages PgDn
 * keys is timed until the program is quiet again; then pages PgDn keys
 * are sent at once followed by a letter, timed until the letter echoes
 * (typing while paging). */
static int
driver_page(const char *marker, long pages, char **cmd)
{
	static const char pgdn[] = "\033[6~";
	struct driver_pty p;
	double *lat = xcalloc((size_t)pages + 1, sizeof(double));

	driver_pty_start(&p, cmd);
	if (driver_pty_wait(&p, "Before we start", 0, 50, 30000) < 0 ||
	    write(p.fd, "\r", 1) != 1 || driver_pty_wait(&p, marker, 0, 50, 30000) < 0) {
		driver_pty_stop(&p);
		free(lat);
		return 1;
	}
	for (long i = 0; i < pages; i++) {
		size_t from = p.out.len;
		double t0 = driver_now_ms();
		if (write(p.fd, pgdn, sizeof(pgdn) - 1) != (ssize_t)sizeof(pgdn) - 1)
			break;
		while (p.out.len == from)
			if (driver_pty_read(&p, 5000) <= 0) {
				fputs("driver: a page never came\n", stderr);
				driver_pty_stop(&p);
				free(lat);
				return 1;
			}
		while (driver_pty_read(&p, 20) > 0)
			;
		/* the quiet wait is not the program's time */
		lat[i] = p.last_ms - t0;
	}
	struct strbuf keys = STRBUF_INIT;
	for (long i = 0; i < pages; i++)
		strbuf_adds(&keys, pgdn);
	strbuf_addc(&keys, 'Q');
	size_t from = p.out.len;
	double t0 = driver_now_ms();
	if (write(p.fd, strbuf_str(&keys), keys.len) != (ssize_t)keys.len) {
		strbuf_release(&keys);
		driver_pty_stop(&p);
		free(lat);
		return 1;
	}
	strbuf_release(&keys);
	while (memchr(strbuf_str(&p.out) + from, 'Q', p.out.len - from) == NULL)
		if (driver_pty_read(&p, 30000) <= 0) {
			fputs("driver: the letter typed after the pages never echoed\n", stderr);
			driver_pty_stop(&p);
			free(lat);
			return 1;
		}
	double echo = p.last_ms - t0;
	long rss = driver_pty_stop(&p);
	double median = driver_quantile(lat, (size_t)pages, 0.5);
	double max = driver_quantile(lat, (size_t)pages, 1.0);
	printf("pages=%ld median_ms=%.2f max_ms=%.2f echo_ms=%.2f rss_kb=%ld\n", pages, median, max,
	       echo, rss);
	free(lat);
	return 0;
}

static volatile sig_atomic_t driver_stop;

static void
driver_on_signal(int sig)
{
	(void)sig;
	driver_stop = 1;
}

/* A GitHub that answers everything, each after delay_ms; runs until
 * SIGTERM. Prints its URL first. */
static int
driver_tracker(int delay_ms)
{
	struct fake_http *f = fake_http_start();
	struct sigaction sa = { .sa_handler = driver_on_signal };

	if (f == NULL) {
		fputs("driver: cannot start the fake tracker\n", stderr);
		return 1;
	}
	fake_http_script(f, &(struct fake_http_reply){
		.method = "GET", .path = "/search/", .status = 200,
		.headers = "Content-Type: application/json\r\n",
		.body = "{\"total_count\": 0, \"items\": []}", .delay_ms = delay_ms, .times = -1 });
	fake_http_script(f, &(struct fake_http_reply){
		.method = "GET", .path = "/repos/", .status = 200,
		.headers = "Content-Type: application/json\r\n",
		.body = "[]", .delay_ms = delay_ms, .times = -1 });
	fake_http_script(f, &(struct fake_http_reply){
		.method = "POST", .path = "/repos/", .status = 201,
		.headers = "Content-Type: application/json\r\n",
		.body = "{\"number\": 7, \"html_url\": \"https://github.com/acme/pay/issues/7\"}",
		.delay_ms = delay_ms, .times = -1 });
	fake_http_script(f, &(struct fake_http_reply){
		.method = NULL, .path = NULL, .status = 200,
		.headers = "Content-Type: application/json\r\n",
		.body = "{}", .delay_ms = delay_ms, .times = -1 });
	printf("%s\n", fake_http_url(f));
	fflush(stdout);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	while (!driver_stop)
		pause();
	fprintf(stderr, "driver: the fake tracker answered %zu requests\n", fake_http_n_requests(f));
	fake_http_stop(f);
	return 0;
}

/* A Slack that answers every request (polls, lookups, posts) after
 * delay_ms, and makes the bot back off: its first posts meet 429 with
 * Retry-After and ok:false rate_limited. Runs until SIGTERM; prints its
 * URL first, and at the end how many requests it answered. */
static int
driver_chat(int delay_ms)
{
	static const enum fake_chat_fault faults[] = {
		FAKE_CHAT_429, FAKE_CHAT_OK, FAKE_CHAT_RATE_LIMITED, FAKE_CHAT_OK,
	};
	struct fake_http *f = fake_http_start();
	struct fake_chat *fc;
	struct sigaction sa = { .sa_handler = driver_on_signal };

	if (f == NULL) {
		fputs("driver: cannot start the fake chat\n", stderr);
		return 1;
	}
	fc = fake_chat_new(f, FAKE_CHAT_SLACK);
	fake_chat_epoch(fc, (long long)time(NULL));
	fake_chat_every_delay(fc, delay_ms);
	fake_chat_faults(fc, faults, sizeof(faults) / sizeof(faults[0]));
	printf("%s/\n", fake_http_url(f));
	fflush(stdout);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	while (!driver_stop)
		pause();
	fprintf(stderr, "driver: the fake chat answered %zu requests (%zu posts)\n",
		fake_http_n_requests(f), fake_http_count(f, "POST", "/chat.postMessage"));
	fake_chat_free(fc);
	fake_http_stop(f);
	return 0;
}

/* The index of the "--" that starts the command, or -1. */
static int
driver_dashes(int argc, char **argv, int from)
{
	for (int i = from; i < argc; i++)
		if (strcmp(argv[i], "--") == 0)
			return i + 1 < argc ? i : -1;
	return -1;
}

int
main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	int d = driver_dashes(argc, argv, 2);

	if (strcmp(mode, "run") == 0 && d == 2)
		return driver_run(argv + 3);
	if (strcmp(mode, "queries") == 0 && d == 4 && atol(argv[3]) > 0)
		return driver_queries(argv[2], atol(argv[3]), argv + 5, argc - 5);
	if (strcmp(mode, "frame") == 0 && d == 3)
		return driver_frame(argv[2], argv + 4);
	if (strcmp(mode, "type") == 0 && d == 5)
		return driver_type(argv[2], strtol(argv[3], NULL, 10), argv[4], false, argv + 6);
	if (strcmp(mode, "confirm-type") == 0 && d == 4)
		return driver_type(argv[2], strtol(argv[3], NULL, 10), "", true, argv + 5);
	if (strcmp(mode, "page") == 0 && d == 4 && atol(argv[3]) > 0)
		return driver_page(argv[2], atol(argv[3]), argv + 5);
	if (strcmp(mode, "tracker") == 0 && argc == 3)
		return driver_tracker(atoi(argv[2]));
	if (strcmp(mode, "chat") == 0 && argc == 3)
		return driver_chat(atoi(argv[2]));
	fputs(usage, stderr);
	return 2;
}
