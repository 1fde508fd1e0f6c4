#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fake_http.h"
#include "fake_tracker.h"
#include "furikaeri/http.h"
#include "furikaeri/xalloc.h"

/* The fake tracker (GitHub Issues and Jira, fake_tracker.c) as a process,
 * for the screen tests: prints its base URL on one line, then serves until
 * SIGTERM or SIGINT, its search as consistent as its lists.
 * Usage: fake_tracker_server
 *        fake_tracker_server issues URL  (prints GitHub's list of the stored
 *        issues, newest first; so the shell tests need no curl) */

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static long long
now_ms(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
issues(const char *base)
{
	struct http_client *c = http_client_new(NULL, NULL);
	char *url = xasprintf("%s/repos/acme/pay/issues?state=all&per_page=100", base), *err = NULL;
	struct http_response resp;
	enum http_error e = http_perform(c, &(struct http_request){ .method = "GET", .url = url },
					 &resp, &err);
	int rc = e == HTTP_OK && resp.status == 200 ? 0 : 1;

	printf("%s\n", e == HTTP_OK ? resp.body : err);
	http_response_release(&resp);
	free(err);
	free(url);
	http_client_free(c);
	return rc;
}

int
main(int argc, char **argv)
{
	struct fake_http *f;
	struct fake_tracker *ft;

	if (argc == 3 && strcmp(argv[1], "issues") == 0)
		return issues(argv[2]);
	if (argc != 1) {
		fprintf(stderr, "usage: fake_tracker_server [issues URL]\n");
		return 2;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	if ((f = fake_http_start()) == NULL) {
		fprintf(stderr, "fake_tracker_server: no loopback port\n");
		return 1;
	}
	ft = fake_tracker_new(f, now_ms, NULL);
	printf("%s\n", fake_http_url(f));
	fflush(stdout);
	while (!stop)
		pause();
	fake_tracker_free(ft);
	fake_http_stop(f);
	return 0;
}
