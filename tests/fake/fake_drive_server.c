#include "config.h"

#include <stdio.h>

#include "fake_drive.h"
#include "fake_http.h"
#include "fake_process.h"

/* The fake Drive (fake_drive.c) as a process, for the command-line tests:
 * prints its base URL on one line, then serves DIR as the Drive folder
 * FOLDER until SIGTERM or SIGINT.
 * Usage: fake_drive_server DIR FOLDER TOKEN */

int
main(int argc, char **argv)
{
	struct fake_http *f;
	struct fake_drive *d;

	if (argc != 4) {
		fprintf(stderr, "usage: fake_drive_server DIR FOLDER TOKEN\n");
		return 2;
	}
	fake_process_hold_signals();
	if ((f = fake_http_start()) == NULL) {
		fprintf(stderr, "fake_drive_server: no loopback port\n");
		return 1;
	}
	d = fake_drive_new(f, argv[1], argv[2], argv[3]);
	fake_process_serve(fake_http_url(f));
	fake_drive_free(d);
	fake_http_stop(f);
	return 0;
}
