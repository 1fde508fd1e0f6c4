#ifndef FURIKAERI_IMPORT_H
#define FURIKAERI_IMPORT_H

#include <stddef.h>

#include "furikaeri/headings.h"
#include "furikaeri/postmortem.h"

/* Postmortem parsers. Each takes a whole file's bytes and returns a new
 * postmortem (owned) or NULL with *err set to "path:line: problem; what to
 * do". They do no I/O: the caller reads the file and sets source and hash. */

/* Markdown, with or without YAML front matter. */
struct postmortem *import_md_parse(const char *buf, size_t len, const char *path,
				   const struct headings *h, char **err);
/* The JSON postmortem format of furikaeri(5). */
struct postmortem *import_json_parse(const char *buf, size_t len, const char *path,
				     char **err);
/* An id derived from a file name: base name without extension, lower case,
 * runs of other characters as "-" ("PM-031 Payment.md" -> "pm-031-payment"). */
char *import_id_from_path(const char *path);

#endif
