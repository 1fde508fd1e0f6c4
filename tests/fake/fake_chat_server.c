#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_chat.h"
#include "fake_http.h"
#include "fake_process.h"
#include "furikaeri/xalloc.h"

/* The fake chat as a process, for the shell and screen tests: prints its
 * base URL on one line, then serves until SIGTERM or SIGINT.
 * The test acts as attendees through POST /_fake/reply, edit, delete,
 * react, down, member, fault and GET-or-POST /_fake/posts (fake_chat.c).
 * Usage: fake_chat_server slack|mattermost
 *        fake_chat_server control URL WHAT [FORM]  (prints the answer) */

int
main(int argc, char **argv)
{
	struct fake_http *f;
	struct fake_chat *fc;
	char *url;

	if (argc >= 4 && strcmp(argv[1], "control") == 0) {
		char *door = xasprintf("%s_fake/%s", argv[2], argv[3]);
		int rc = fake_process_ask(door, argc > 4 ? argv[4] : "");

		free(door);
		return rc;
	}
	if (argc != 2 || (strcmp(argv[1], "slack") != 0 && strcmp(argv[1], "mattermost") != 0)) {
		fprintf(stderr, "usage: fake_chat_server slack|mattermost\n");
		return 2;
	}
	fake_process_hold_signals();
	if ((f = fake_http_start()) == NULL) {
		fprintf(stderr, "fake_chat_server: no loopback port\n");
		return 1;
	}
	fc = fake_chat_new(f, strcmp(argv[1], "slack") == 0 ? FAKE_CHAT_SLACK
							    : FAKE_CHAT_MATTERMOST);
	url = xasprintf("%s/", fake_http_url(f));
	fake_process_serve(url);
	free(url);
	fake_chat_free(fc);
	fake_http_stop(f);
	return 0;
}
