#ifndef FURIKAERI_IMPORTER_H
#define FURIKAERI_IMPORTER_H

#include <stdbool.h>
#include <stddef.h>

#include "furikaeri/headings.h"
#include "furikaeri/import.h"
#include "furikaeri/store.h"

/* Reads postmortem files and folders into the store: one transaction per
 * file, so a file that fails changes nothing and the rest still import. */

struct importer_counts {
	size_t added;
	size_t updated;
	size_t unchanged;
	size_t failed;
	size_t skipped;		/* not postmortems: never stored */
	size_t templates;	/* stored as templates: on no agenda */
	size_t undated;		/* imported without a date: on no agenda */
	size_t retired;		/* file gone from a folder imported: retired */
	size_t converted;	/* read from another encoding than UTF-8 */
	/* how many from each ("converted from Shift_JIS", import_decode's
	 * notes, static), in the order first met */
	struct importer_conversion {
		const char *note;
		size_t n;
	} conversions[8];
	size_t n_conversions;
};

struct importer_options {
	/* Days added to every date read (the demo moves its week to today's). */
	int shift_days;
	/* Called once per file that failed, with a message naming file:line. */
	void (*on_error)(const char *message, void *ctx);
	/* Called once per file that was read, with its result (may be NULL). */
	void (*on_file)(const char *path, enum store_upsert_result result, void *ctx);
	/* Called for each warning of a file read ("path: no date found; ..."). */
	void (*on_warning)(const char *message, void *ctx);
	/* Called for each file skipped or read as a template, and for each file
	 * converted from another encoding, with why (for -v); skipped says the
	 * file was not read as a postmortem at all. */
	void (*on_note)(const char *path, const char *why, bool skipped, void *ctx);
	/* --check: nothing is stored; each postmortem read is handed over
	 * (borrowed for the call) with the note on its encoding (or NULL). */
	bool check;
	void (*on_parsed)(const char *path, const struct postmortem *pm, void *ctx);
	/* What the parsers are told (date order, Jira projects); headings and
	 * readiness come from importer_run's h and the data folder when NULL. */
	struct import_options parse;
	/* [postmortems] root: sources are stored relative to it, else to the
	 * git work tree holding the file, else as full paths (may be NULL) */
	const char *archive_root;
	/* --replace: minutes take the file's version of an entry both edited,
	 * even when this store's is newer */
	bool replace_minutes;
	void *ctx;
};

/* Imports each path: a file whatever its extension (.json as JSON: minutes
 * exported by furikaeri are merged into that week's meeting, anything else is a
 * postmortem; else
 * Markdown), a folder recursively (its .md, .markdown and .json files;
 * hidden folders skipped; symlink loops detected). Returns 0 when every
 * file imported, -1 when any failed (the counts say how many). */
int importer_run(struct store *st, const struct headings *h, char *const *paths,
		 size_t n_paths, const struct importer_options *opt,
		 struct importer_counts *counts);

/* The statuses that keep a postmortem off the agenda: the shipped
 * data/readiness/ and the team's readiness/ beside its config.ini (owned,
 * NULL with *err set when a file is bad). */
struct headings *importer_load_readiness(char **err);

/* The hash stored with a postmortem (hex FNV-1a 64 and length; owned). */
char *importer_hash(const char *buf, size_t len);

#endif
