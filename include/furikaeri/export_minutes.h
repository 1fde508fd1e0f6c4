#ifndef FURIKAERI_EXPORT_MINUTES_H
#define FURIKAERI_EXPORT_MINUTES_H

#include <stddef.h>

#include "furikaeri/config.h"
#include "furikaeri/store.h"

struct minutes_doc;

/* Writes a week's minutes as YYYY-Www.md and YYYY-Www.json into folder
 * (created when missing), each file replaced atomically. *written gets the
 * paths (owned array of owned strings; NULL allowed). */
int export_minutes_files(struct store *st, const char *week, const char *folder,
			 char ***written, size_t *n_written, char **err);
/* The same, with the config's [postmortems] url and root: the Markdown
 * links each postmortem at url + its source when url is set, else relative
 * to the folder when the folder is in the same archive (git work tree or
 * root); the JSON keeps the sources as stored (cfg may be NULL). */
int export_minutes_files_for(const struct config *cfg, struct store *st, const char *week,
			     const char *folder, char ***written, size_t *n_written, char **err);
/* Rewrites each item's stored source as the reader of Markdown written into
 * folder reaches it: [postmortems] url + source when url is set; else a path
 * relative to folder when folder is in the same archive (git work tree or
 * root); else the file's full path when it is found from [postmortems] root
 * or the current folder; else the source as stored (cfg may be NULL). */
void export_minutes_link_sources(struct minutes_doc *doc, const struct config *cfg,
				 const char *folder);
/* Where a postmortem is on the web, for readers elsewhere (the chat): its
 * source when that is a web address, else [postmortems] url + the source
 * as the archive stores it; NULL when neither (cfg may be NULL). Owned. */
char *export_minutes_web_link(const struct config *cfg, const char *source);
/* The minutes folder: [minutes] folder from the config, else ./minutes when
 * that folder exists, else minutes/ under the data folder. Owned. */
char *export_minutes_folder(const struct config *cfg, char **err);
/* Writes text to path. A regular file (or a new one) is replaced
 * atomically: a temporary file in the same folder, written, flushed to
 * disk, renamed over it. A symbolic link has its target replaced so. A
 * character device, FIFO or socket is written into as it is (/dev/stdout,
 * /dev/null). A folder is refused, naming it. */
int export_minutes_write_file(const char *path, const char *text, char **err);

#endif
