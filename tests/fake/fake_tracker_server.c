#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fake_http.h"
#include "fake_process.h"
#include "fake_tracker.h"
#include "furikaeri/xalloc.h"

/* The fake tracker (GitHub Issues and Jira, fake_tracker.c) as a process,
 * for the screen tests: prints its base URL on one line, then serves until
 * SIGTERM or SIGINT, its search as consistent as its lists. The test
 * seeds postmortems kept as issues, holds or fails requests and counts
 * them through /_fake/... (fake_tracker.c's control).
 * Usage: fake_tracker_server
 *        fake_tracker_server issues URL  (prints GitHub's list of the stored
 *        issues, newest first)
 *        fake_tracker_server control URL WHAT [FORM]  (prints the answer) */

static long long
now_ms(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
main(int argc, char **argv)
{
	struct fake_http *f;
	struct fake_tracker *ft;

	if (argc == 3 && strcmp(argv[1], "issues") == 0) {
		char *url = xasprintf("%s/repos/acme/pay/issues?state=all&per_page=100", argv[2]);
		int rc = fake_process_ask(url, NULL);

		free(url);
		return rc;
	}
	if (argc >= 4 && strcmp(argv[1], "control") == 0) {
		char *door = xasprintf("%s/_fake/%s", argv[2], argv[3]);
		int rc = fake_process_ask(door, argc > 4 ? argv[4] : "");

		free(door);
		return rc;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: fake_tracker_server [issues URL | control URL WHAT [FORM]]\n");
		return 2;
	}
	fake_process_hold_signals();
	if ((f = fake_http_start()) == NULL) {
		fprintf(stderr, "fake_tracker_server: no loopback port\n");
		return 1;
	}
	ft = fake_tracker_new(f, now_ms, NULL);
	fake_process_serve(fake_http_url(f));
	fake_tracker_free(ft);
	fake_http_stop(f);
	return 0;
}
