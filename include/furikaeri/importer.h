#ifndef FURIKAERI_IMPORTER_H
#define FURIKAERI_IMPORTER_H

#include <stddef.h>

#include "furikaeri/headings.h"
#include "furikaeri/store.h"

/* Reads postmortem files and folders into the store: one transaction per
 * file, so a file that fails changes nothing and the rest still import. */

struct importer_counts {
	size_t added;
	size_t updated;
	size_t unchanged;
	size_t failed;
};

struct importer_options {
	/* Days added to every date read (the demo moves its week to today's). */
	int shift_days;
	/* Called once per file that failed, with a message naming file:line. */
	void (*on_error)(const char *message, void *ctx);
	/* Called once per file that was read, with its result (may be NULL). */
	void (*on_file)(const char *path, enum store_upsert_result result, void *ctx);
	void *ctx;
};

/* Imports each path: a file whatever its extension (.json as JSON: minutes
 * exported by furikaeri replace that week's meeting, anything else is a
 * postmortem; else
 * Markdown), a folder recursively (its .md, .markdown and .json files;
 * hidden folders skipped; symlink loops detected). Returns 0 when every
 * file imported, -1 when any failed (the counts say how many). */
int importer_run(struct store *st, const struct headings *h, char *const *paths,
		 size_t n_paths, const struct importer_options *opt,
		 struct importer_counts *counts);

/* The hash stored with a postmortem (hex FNV-1a 64 and length; owned). */
char *importer_hash(const char *buf, size_t len);

#endif
