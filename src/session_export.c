#include "config.h"

#include <stdlib.h>

#include "furikaeri/export_minutes.h"
#include "session_private.h"

/* The minutes, written at wrap-up for everyone who could not come. */

void
session_export(struct session *s, struct session_reply *r)
{
	char **written = NULL, *folder, *err = NULL;
	size_t n = 0;

	folder = export_minutes_folder(s->opt.cfg, &err);
	if (folder == NULL ||
	    export_minutes_files_for(s->opt.cfg, s->st, s->week, folder, &written, &n, &err) < 0) {
		session_reply(r, true, "export failed: %s", err != NULL ? err : "unknown error");
		free(err);
		free(folder);
		return;
	}
	session_reply(r, false, "minutes written to %s", n > 0 ? written[0] : folder);
	for (size_t i = 0; i < n; i++)
		free(written[i]);
	free(written);
	free(folder);
}
