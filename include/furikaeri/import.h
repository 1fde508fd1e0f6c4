#ifndef FURIKAERI_IMPORT_H
#define FURIKAERI_IMPORT_H

#include <stddef.h>

#include <stdbool.h>

#include "furikaeri/headings.h"
#include "furikaeri/minutes.h"
#include "furikaeri/postmortem.h"

/* Postmortem parsers. Each takes a whole file's bytes and returns a new
 * postmortem (owned) or NULL with *err set to "path:line: problem; what to
 * do". They do no I/O: the caller reads the file and sets source and hash. */

/* Markdown, with or without YAML front matter. */
struct postmortem *import_md_parse(const char *buf, size_t len, const char *path,
				   const struct headings *h, char **err);
/* Whether a "Label: value" line with this label sets a field of the
 * postmortem (title, date, severity, status, authors, tags...) rather than
 * being text: the issue-form import asks it of each form field. */
bool import_md_is_meta(const char *label);
/* The JSON postmortem format of furikaeri(5): one postmortem object (the
 * shape `furikaeri show ID --json` prints). A file holding an array is an
 * error here; use import_json_parse_all. Schema errors name the field, e.g.
 * "pm.json: measures[2].status: ...", syntax errors path:line:column. */
struct postmortem *import_json_parse(const char *buf, size_t len, const char *path,
				     char **err);
/* A JSON file holding one postmortem object or an array of them: on success
 * *out is a new array of *n new postmortems (the array and each postmortem
 * owned by the caller, freed with import_json_free_all); on failure -1,
 * *err set, nothing allocated. Fields of an array's element are named
 * "[1].title". */
int import_json_parse_all(const char *buf, size_t len, const char *path,
			  struct postmortem ***out, size_t *n, char **err);
/* Frees what import_json_parse_all returned; NULL is a no-op. */
void import_json_free_all(struct postmortem **pms, size_t n);
/* One person of a roster file: [{"name": "Aoi", "role": "engineering"}]. */
struct import_person {
	char *name;
	char *role;		/* NULL when not given */
};

/* Parses a roster file (the demo's people.json). *people is owned; free it
 * with import_people_free. */
int import_json_people(const char *buf, size_t len, const char *path,
		       struct import_person **people, size_t *n, char **err);
void import_people_free(struct import_person *people, size_t n);

/* Whether the bytes are minutes exported by furikaeri (a JSON object whose
 * "format" is "furikaeri-minutes") rather than a postmortem. */
bool import_json_is_minutes(const char *buf, size_t len);
/* Minutes exported as JSON (the format of furikaeri(5)): a new doc (owned;
 * free with minutes_doc_free), or NULL with *err as "path:line:column: ..."
 * for bad JSON or "path: entries[3].kind: ..." for a bad field. */
struct minutes_doc *import_json_minutes(const char *buf, size_t len, const char *path,
					char **err);
/* An id derived from a file name: base name without extension, lower case,
 * runs of other characters as "-" ("PM-031 Payment.md" -> "pm-031-payment"). */
char *import_id_from_path(const char *path);

#endif
