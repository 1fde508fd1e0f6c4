#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fake_chat.h"
#include "fake_http.h"
#include "furikaeri/http.h"
#include "furikaeri/xalloc.h"

/* The fake chat as a process, for the shell and screen tests: prints its
 * base URL on one line, then serves until SIGTERM or SIGINT.
 * The test acts as attendees through POST /_fake/reply, edit, delete,
 * react, down, member, fault and GET-or-POST /_fake/posts (fake_chat.c).
 * Usage: fake_chat_server slack|mattermost
 *        fake_chat_server control URL WHAT [FORM]  (prints the answer; so the
 *        shell tests need no curl) */

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int
control(const char *base, const char *what, const char *form)
{
	struct http_client *c = http_client_new(NULL, NULL);
	char *url = xasprintf("%s_fake/%s", base, what), *err = NULL;
	const char *headers[] = { "Content-Type: application/x-www-form-urlencoded", NULL };
	struct http_response resp;
	enum http_error e = http_perform(c, &(struct http_request){
		.method = "POST", .url = url, .headers = headers, .body = form ? form : "" },
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
	struct fake_chat *fc;

	if (argc >= 4 && strcmp(argv[1], "control") == 0)
		return control(argv[2], argv[3], argc > 4 ? argv[4] : NULL);

	if (argc != 2 || (strcmp(argv[1], "slack") != 0 && strcmp(argv[1], "mattermost") != 0)) {
		fprintf(stderr, "usage: fake_chat_server slack|mattermost\n");
		return 2;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	if ((f = fake_http_start()) == NULL) {
		fprintf(stderr, "fake_chat_server: no loopback port\n");
		return 1;
	}
	fc = fake_chat_new(f, strcmp(argv[1], "slack") == 0 ? FAKE_CHAT_SLACK
							    : FAKE_CHAT_MATTERMOST);
	printf("%s/\n", fake_http_url(f));
	fflush(stdout);
	while (!stop)
		pause();
	fake_chat_free(fc);
	fake_http_stop(f);
	return 0;
}
