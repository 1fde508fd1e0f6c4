#include "config.h"

#include <errno.h>
#include <ftw.h>
#include <md4c.h>
#include <stdbool.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"

/* The floor for `furikaeri import`: the least any importer must do for the
 * same files. It reads each Markdown file, parses it with md4c (collecting
 * the text under each heading, nothing more), and inserts one postmortem row,
 * its section rows and one full-text row into SQLite, all in one
 * transaction. No front matter, metadata, measures or CJK segmentation. */

static const char schema[] =
	"PRAGMA journal_mode = WAL;"
	"PRAGMA synchronous = NORMAL;"
	"CREATE TABLE postmortems (id TEXT PRIMARY KEY, source TEXT NOT NULL,"
	"  content_hash TEXT NOT NULL, title TEXT NOT NULL, imported_at TEXT NOT NULL);"
	"CREATE INDEX postmortems_source ON postmortems(source);"
	"CREATE TABLE sections (postmortem_id TEXT NOT NULL REFERENCES postmortems(id),"
	"  pos INTEGER NOT NULL, heading TEXT NOT NULL, body TEXT NOT NULL,"
	"  PRIMARY KEY (postmortem_id, pos));"
	"CREATE VIRTUAL TABLE search_index USING fts5(kind UNINDEXED, ref UNINDEXED, title, body,"
	"  original UNINDEXED, tokenize = 'unicode61 remove_diacritics 2', prefix = '1');";

struct baseline_section {
	struct strbuf heading;
	struct strbuf body;
};

struct baseline_doc {
	struct baseline_section *sections;
	size_t n;
	bool in_heading;
};

struct baseline_db {
	sqlite3 *db;
	sqlite3_stmt *pm, *section, *fts;
	size_t files;
	bool per_file;	/* a transaction per file, as furikaeri does */
};

static struct baseline_db baseline;

static void
baseline_die(const char *what)
{
	fprintf(stderr, "baseline_import: %s: %s\n", what,
		baseline.db != NULL ? sqlite3_errmsg(baseline.db) : strerror(errno));
	exit(1);
}

static int
baseline_enter_block(MD_BLOCKTYPE type, void *detail, void *ctx)
{
	struct baseline_doc *d = ctx;

	(void)detail;
	if (type == MD_BLOCK_H) {
		d->sections = xreallocarray(d->sections, d->n + 1, sizeof(*d->sections));
		d->sections[d->n++] = (struct baseline_section){ STRBUF_INIT, STRBUF_INIT };
		d->in_heading = true;
	}
	return 0;
}

static int
baseline_leave_block(MD_BLOCKTYPE type, void *detail, void *ctx)
{
	struct baseline_doc *d = ctx;

	(void)detail;
	if (type == MD_BLOCK_H)
		d->in_heading = false;
	else if (d->n > 0 && (type == MD_BLOCK_P || type == MD_BLOCK_LI || type == MD_BLOCK_TR))
		strbuf_addc(&d->sections[d->n - 1].body, '\n');
	return 0;
}

static int
baseline_span(MD_SPANTYPE type, void *detail, void *ctx)
{
	(void)type;
	(void)detail;
	(void)ctx;
	return 0;
}

static int
baseline_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *ctx)
{
	struct baseline_doc *d = ctx;

	(void)type;
	if (d->n == 0) {
		d->sections = xcalloc(1, sizeof(*d->sections));
		d->sections[d->n++] = (struct baseline_section){ STRBUF_INIT, STRBUF_INIT };
	}
	struct baseline_section *s = &d->sections[d->n - 1];
	strbuf_add(d->in_heading ? &s->heading : &s->body, text, size);
	return 0;
}

static const MD_PARSER baseline_parser = {
	.flags = MD_DIALECT_GITHUB,
	.enter_block = baseline_enter_block,
	.leave_block = baseline_leave_block,
	.enter_span = baseline_span,
	.leave_span = baseline_span,
	.text = baseline_text,
};

static char *
baseline_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char chunk[65536];
	size_t n;

	if (f == NULL)
		baseline_die(path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		strbuf_add(&sb, chunk, n);
	fclose(f);
	*len = sb.len;
	return strbuf_detach(&sb);
}

static void
baseline_step(sqlite3_stmt *stmt, const char *what)
{
	if (sqlite3_step(stmt) != SQLITE_DONE)
		baseline_die(what);
	sqlite3_reset(stmt);
}

static void
baseline_file(const char *path)
{
	struct baseline_doc d = { 0 };
	struct strbuf all = STRBUF_INIT;
	size_t len;
	char *buf = baseline_read(path, &len), hash[32];
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)buf[i]) * 1099511628211ULL;
	snprintf(hash, sizeof(hash), "%016llx", (unsigned long long)h);
	if (md_parse(buf, (MD_SIZE)len, &baseline_parser, &d) != 0)
		baseline_die(path);
	const char *title = d.n > 0 ? strbuf_str(&d.sections[0].heading) : path;
	sqlite3_bind_text(baseline.pm, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(baseline.pm, 2, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(baseline.pm, 3, title, -1, SQLITE_STATIC);
	baseline_step(baseline.pm, "insert a postmortem");
	for (size_t i = 0; i < d.n; i++) {
		sqlite3_bind_text(baseline.section, 1, path, -1, SQLITE_STATIC);
		sqlite3_bind_int64(baseline.section, 2, (sqlite3_int64)i);
		sqlite3_bind_text(baseline.section, 3, strbuf_str(&d.sections[i].heading), -1,
				  SQLITE_STATIC);
		sqlite3_bind_text(baseline.section, 4, strbuf_str(&d.sections[i].body), -1,
				  SQLITE_STATIC);
		baseline_step(baseline.section, "insert a section");
		strbuf_add(&all, strbuf_str(&d.sections[i].body), d.sections[i].body.len);
	}
	sqlite3_bind_text(baseline.fts, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(baseline.fts, 2, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(baseline.fts, 3, strbuf_str(&all), -1, SQLITE_STATIC);
	baseline_step(baseline.fts, "insert into the search index");
	for (size_t i = 0; i < d.n; i++) {
		strbuf_release(&d.sections[i].heading);
		strbuf_release(&d.sections[i].body);
	}
	free(d.sections);
	strbuf_release(&all);
	free(buf);
	baseline.files++;
}

static int
baseline_visit(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	size_t n = strlen(path);

	(void)sb;
	(void)ftw;
	if (type != FTW_F || n <= 3 || strcmp(path + n - 3, ".md") != 0)
		return 0;
	if (baseline.per_file && sqlite3_exec(baseline.db, "COMMIT; BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		baseline_die("commit");
	baseline_file(path);
	return 0;
}

static sqlite3_stmt *
baseline_prepare(const char *sql)
{
	sqlite3_stmt *stmt;

	if (sqlite3_prepare_v2(baseline.db, sql, -1, &stmt, NULL) != SQLITE_OK)
		baseline_die(sql);
	return stmt;
}

int
main(int argc, char **argv)
{
	baseline.per_file = argc == 4 && strcmp(argv[3], "--per-file") == 0;
	if (argc != 3 && !baseline.per_file) {
		fputs("usage: baseline_import DATABASE FOLDER [--per-file]\n", stderr);
		return 2;
	}
	remove(argv[1]);
	if (sqlite3_open(argv[1], &baseline.db) != SQLITE_OK)
		baseline_die(argv[1]);
	if (sqlite3_exec(baseline.db, schema, NULL, NULL, NULL) != SQLITE_OK)
		baseline_die("create the schema");
	baseline.pm = baseline_prepare("INSERT INTO postmortems (id, source, content_hash, title,"
				       " imported_at) VALUES (?1, ?1, ?2, ?3, datetime('now'))");
	baseline.section = baseline_prepare("INSERT INTO sections (postmortem_id, pos, heading, body)"
					    " VALUES (?1, ?2, ?3, ?4)");
	baseline.fts = baseline_prepare("INSERT INTO search_index (kind, ref, title, body, original)"
					" VALUES ('postmortem', ?1, ?2, ?3, ?3)");
	if (sqlite3_exec(baseline.db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		baseline_die("begin");
	if (nftw(argv[2], baseline_visit, 32, FTW_PHYS) != 0)
		baseline_die(argv[2]);
	if (sqlite3_exec(baseline.db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		baseline_die("commit");
	sqlite3_finalize(baseline.pm);
	sqlite3_finalize(baseline.section);
	sqlite3_finalize(baseline.fts);
	sqlite3_close(baseline.db);
	printf("baseline: %zu files\n", baseline.files);
	return 0;
}
