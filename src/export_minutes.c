#include "config.h"

#include "furikaeri/err.h"
#include "furikaeri/export_minutes.h"
#include "furikaeri/xalloc.h"

/* Replaced by the minutes exporter (Markdown and JSON), which is in the
 * works; until then /export says so instead of writing half a file. */
int
export_minutes_files(struct store *st, const char *week, const char *folder, char ***written,
		     size_t *n_written, char **err)
{
	(void)st;
	(void)week;
	(void)folder;
	*written = NULL;
	*n_written = 0;
	err_set(err, "exporting minutes is not available in this build yet");
	return -1;
}

char *
export_minutes_folder(const struct config *cfg, char **err)
{
	(void)cfg;
	(void)err;
	return xstrdup("minutes");
}
