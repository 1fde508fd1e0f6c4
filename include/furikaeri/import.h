#ifndef FURIKAERI_IMPORT_H
#define FURIKAERI_IMPORT_H

#include <stddef.h>

#include <stdbool.h>

#include "furikaeri/date.h"
#include "furikaeri/headings.h"
#include "furikaeri/minutes.h"
#include "furikaeri/postmortem.h"

/* Postmortem parsers. Each takes a whole file's bytes and returns a new
 * postmortem (owned) or NULL with *err set to "path:line: problem; what to
 * do". They do no I/O: the caller reads the file and sets source and hash. */

/* What a parse may be told beyond the bytes (all borrowed, all optional). */
struct import_options {
	const struct headings *headings;
	/* how "03/04/2021" reads ([import] date_order); NONE: reported, not guessed */
	enum date_order date_order;
	/* Jira projects ([import] jira_projects): when given, a bare KEY-123 is a
	 * ticket only for these projects (or next to "ticket", "Jira", "bug",
	 * "issue", "チケット") */
	char *const *jira_projects;
	size_t n_jira_projects;
	/* statuses that keep a postmortem off the agenda: a set whose key
	 * "not_ready" lists them (data/readiness/not_ready.txt) */
	const struct headings *readiness;
};

/* Markdown, with or without YAML front matter. A TOML front matter (+++)
 * is refused with path:1. The result says where its date came from, whether
 * it reads as a template and carries warnings (postmortem.h). */
struct postmortem *import_md_parse(const char *buf, size_t len, const char *path,
				   const struct headings *h, char **err);
struct postmortem *import_md_parse_opts(const char *buf, size_t len, const char *path,
					const struct import_options *o, char **err);
/* The bytes as UTF-8: a UTF-8 BOM is dropped, UTF-16 with a BOM, Shift_JIS
 * and EUC-JP are converted (iconv) and *note says so (static, NULL when the
 * file was UTF-8). Anything else is refused: -1 with *err as "path:line:
 * ...". *out is owned. */
int import_decode(const char *buf, size_t len, const char *path, char **out, size_t *out_len,
		  const char **note, char **err);
/* One copy of the input: invalid UTF-8 repaired, BOM dropped, CRLF and CR
 * as LF (owned; *out_len its length). */
char *import_clean_input(const char *buf, size_t len, size_t *out_len);
/* Why a file name is not a postmortem ("a README describes its folder"),
 * or NULL (static strings). */
const char *import_not_postmortem_name(const char *path);
/* Whether tz is a time zone: a UTC offset ("+09:00", "UTC+9"), an
 * abbreviation the date parser knows ("JST") or an IANA name the system's
 * zone database has ("Asia/Tokyo"; $TZDIR, else /usr/share/zoneinfo). */
bool import_zone_valid(const char *tz);

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
/* Whether a JSON document holds Statuspage incidents: /api/v2/incidents.json
 * ({"incidents": [...]}), one incident ({"incident": {...}}), an incident
 * object, or an array of them. */
bool import_statuspage_is(const char *buf, size_t len);
/* Each incident as a postmortem (*pms, *n; free with import_json_free_all):
 * front matter from its id, start, impact and status, the last update as
 * the summary, the updates as the timeline, and its postmortem_body read
 * as Markdown with every rule of import_md_parse_opts. */
int import_statuspage_parse_all(const char *buf, size_t len, const char *path,
				const struct import_options *o, struct postmortem ***pms,
				size_t *n, char **err);
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

/* import --check --json: one object of what a file read as ({file, id,
 * title, date, date_from, time, tz, severity, status, kind, why, ready,
 * authors, tags, sections, measures, warnings}); a skipped file as {file,
 * kind: "skipped", why}. Owned. */
char *import_json_check(const char *path, const struct postmortem *pm);
char *import_json_check_note(const char *path, const char *why);
/* Why a JSON file is not a postmortem (a roster such as the demo's
 * people.json, an object with no postmortem field), or NULL (static). */
const char *import_json_not_postmortem(const char *buf, size_t len);
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
