#ifndef FURIKAERI_IMPORT_MD_PRIVATE_H
#define FURIKAERI_IMPORT_MD_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "furikaeri/date.h"
#include "furikaeri/headings.h"
#include "furikaeri/import.h"
#include "furikaeri/postmortem.h"
#include "furikaeri/strbuf.h"

/* Shared by the Markdown import's files, one job each:
 * - import_md.c: the parse of one file, assembled into a postmortem;
 * - import_md_walk.c: the md4c walk into chunks (the text between
 *   headings), list items and table rows;
 * - import_meta.c: front matter, metadata labels, tables and sections;
 * - import_measure.c: measures from list items, table rows and text, with
 *   their tickets, owners, due dates, status and decision;
 * - import_template.c: whether a file is an unfilled template;
 * - import_name.c: what a file's name says (id, title, date, whether it
 *   is a postmortem at all). */

/* Inline text of a list item or a table cell, with where its links and
 * struck-through text were. */
struct link {
	char *href;
	size_t start, end;	/* the link text within fragment.text */
};

struct fragment {
	struct strbuf text;
	size_t struck;		/* bytes inside ~~strikethrough~~ */
	struct link *links;
	size_t n_links;
};

/* A top-level list item (one cell) or a table row, as seen in a chunk. */
struct row {
	size_t chunk;
	int table;		/* table number, -1 for a list item */
	bool header;
	int task;		/* -1 not a task, 0 "[ ]", 1 "[x]" */
	struct fragment *cells;
	size_t n_cells;
	struct strbuf extra;	/* nested lines under a list item */
};

/* The text between two headings; chunk 0 is what comes before the first. */
struct chunk {
	unsigned level;
	char *heading;
	const char *key;	/* borrowed from the headings set, NULL when unknown */
	struct strbuf text;
};

#define MAX_DEPTH 32

struct ctx {
	const struct headings *headings;
	struct chunk *chunks;
	size_t n_chunks, cap_chunks;
	struct row *rows;
	size_t n_rows, cap_rows;

	struct strbuf heading;
	bool in_heading;
	unsigned heading_level;

	int list_depth;
	bool ordered[MAX_DEPTH];
	unsigned next_number[MAX_DEPTH];
	int li_depth;
	bool li_fresh;
	long item;		/* the row of the open top-level list item, or -1 */
	bool item_main_done;

	int tables;
	long table_row;		/* the row of the open table row, or -1 */
	bool in_thead;
	bool in_cell;

	int quote_depth;
	int strike;
	char *href;		/* of the open link */
	size_t href_start;
	bool in_html_block;
	int html_state;		/* 0 text, 1 inside a tag, 2 inside a comment */
	long p_start;		/* where the open top-level paragraph's text starts
				 * in its chunk, or -1 */
};

/* Where metadata is being read from, and what has been read. */
struct meta_state {
	struct postmortem *pm;
	const struct import_options *o;
	const char *path;
	const char *from;	/* "front matter", "metadata", "table", "section" */
	bool have_authors, have_tags;
	/* the date came from a front matter key that is only "date": a blog's
	 * publication date as often as the incident's */
	bool generic_date;
};

enum meta_field {
	META_NONE,
	META_TITLE,
	META_ID,
	META_DATE,
	META_TIME,
	META_TZ,
	META_SEVERITY,
	META_STATUS,
	META_AUTHORS,
	META_TAGS,
	META_DRAFT,
	META_PUBLISHED,
	META_DOC_DATE,		/* when the document changed: never the incident's date */
};

/* Columns of a measures table read at most. */
#define MAX_COLUMNS 16

enum column {
	COL_OTHER,
	COL_ACTION,
	COL_OWNER,
	COL_DUE,
	COL_STATUS,
	COL_TICKET,
	COL_DECISION,	/* adopted or not: a "no" makes the row a not-adopted measure */
};

/* Pipe tables as pasted, repaired (import_md_repair.c): a separator row
 * moved under the header row, a row that wraps joined into one line. The
 * repaired text (owned, *out_len its length), or NULL when nothing
 * needed it. */
char *imd_repair_tables(const char *body, size_t len, size_t *out_len);

/* The walk (import_md_walk.c): fills c, made empty here, from body. 0 or
 * md4c's error. */
int imd_walk(struct ctx *c, const struct headings *h, const char *body, size_t len);

void imd_ctx_release(struct ctx *c);

enum meta_field imd_meta_field_of(const char *key);

void imd_set_once(char **field, const char *value);

/* Parses the YAML between the --- lines (first_line is its line in the file). */
int imd_parse_front_matter(struct meta_state *ms, const char *yaml, size_t len, int first_line,
		   const char *path, char **err);

/* Finds the front matter at the top of buf: sets *yaml and *yaml_len and returns
 * where the Markdown starts and its line number, or buf when there is none. */
const char *imd_split_front_matter(const char *buf, size_t len, const char **yaml, size_t *yaml_len,
		   int *body_line);

/* Metadata written in the body: "**Date:** ...", "Owner: ...", a two-column
 * table. Before the first section every such line counts; in the first
 * section (table_only) a key/value table does, and, unless it is a known
 * section (tables_only: a Summary is prose, so "Status: the job said ..."
 * stays a sentence), a block of short lines with a colon at its top. */
void imd_scan_body_meta(struct meta_state *ms, const char *text, bool table_only, bool tables_only);

/* A table whose header row names metadata fields and has one body row. */
void imd_scan_meta_tables(struct meta_state *ms, const struct ctx *c, size_t chunk);

/* A "## Date", "## Authors", "## Status" or "### 発生日時" section: its text
 * fills the field (the headings files meta_*.txt name them). */
bool imd_apply_meta_section(struct meta_state *ms, const struct chunk *ch);

/* Whether a table header names a ticket column: "Ticket", "Jira", "Bug",
 * "Status / Ticket", "チケット". */
bool imd_header_says_ticket(const char *header);

struct measure *imd_measure_from_item(const struct import_options *o, struct postmortem *pm, const struct row *r,
		  bool not_doing);

enum column imd_column_of(const char *header);

void imd_measure_from_row(const struct import_options *o, struct postmortem *pm, const struct row *r,
		 const enum column *cols, const bool *ticket_cols, size_t n_cols, bool not_doing);

/* A not-adopted list written as a paragraph: each line or Japanese
 * sentence is one measure. */
/* Sentences of prose that say a measure was weighed and not adopted
 * ("We considered X but decided against it"), as not-adopted measures. */
void imd_not_doing_from_prose(const struct import_options *o, struct postmortem *pm,
			      const char *text);

/* Sentences of prose that tell a prevention to come ("Going forward we
 * will ..."), as open measures; how many. */
size_t imd_measures_from_prose(const struct import_options *o, struct postmortem *pm,
			       const char *text);

void imd_not_doing_from_text(const struct import_options *o, struct postmortem *pm, const char *text);

/* Why a document reads as a template, or NULL. */
const char *imd_template_reason(const struct postmortem *pm, const char *path);

/* The file name made readable: "2016-05-10-initial_kubernetes.md" ->
 * "Initial kubernetes". */
char *imd_readable_name(const char *path);

/* A date in the file name: "2019-01-23.md", "20210305_blank.md". */
bool imd_date_from_name(const char *path, enum date_order order, struct date_parts *d);

#endif
