#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/err.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"
#include "store_private.h"

/* Display columns of a search snippet, ellipses included. */
#define SNIPPET_COLUMNS 80
/* How far before the first match a snippet starts, in columns. */
#define SNIPPET_LEAD 20
/* Bytes of a long text kept around the first match for the excerpt. */
#define SNIPPET_WINDOW 2048
#define SEARCH_DEFAULT_LIMIT 50

/* One piece of a query: a CJK run or a word of other text. */
struct query_term {
	char *text;		/* as the user typed it, for locating the snippet */
	bool cjk;
};

struct query {
	struct query_term *terms;
	size_t n;
};

/* Han, Hiragana and Katakana (with 々, 〆, 〇 and the prolonged sound mark),
 * which the tokenizer would otherwise keep as one long token per run. CJK
 * punctuation and the kana voicing marks are left out: they split runs. */
static bool
is_cjk(uint32_t cp)
{
	return (cp >= 0x3005 && cp <= 0x3007) ||
	       (cp >= 0x3041 && cp <= 0x3096) ||
	       (cp >= 0x309D && cp <= 0x309F) ||
	       (cp >= 0x30A1 && cp <= 0x30FA) ||
	       (cp >= 0x30FC && cp <= 0x30FF) ||
	       (cp >= 0x31F0 && cp <= 0x31FF) ||
	       (cp >= 0x3400 && cp <= 0x4DBF) ||
	       (cp >= 0x4E00 && cp <= 0x9FFF) ||
	       (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFF66 && cp <= 0xFF9F) ||
	       (cp >= 0x20000 && cp <= 0x3FFFF);
}

static bool
is_space(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
	       cp == '\v' || cp == 0x3000 || cp == 0xA0;
}

/* Full-width letters and digits (ＡＰＩ, ５００) are searched as ASCII. */
static uint32_t
fold_width(uint32_t cp)
{
	if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
	    (cp >= 0xFF41 && cp <= 0xFF5A))
		return cp - 0xFEE0;
	return cp;
}

/* True for what the unicode61 tokenizer keeps in a token; punctuation and
 * symbols of the common blocks are not, so a term made only of them would
 * search for nothing. */
static bool
is_word_char(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
		       (cp >= 'A' && cp <= 'Z');
	if (cp <= 0xBF || cp == 0xD7 || cp == 0xF7)
		return false;
	if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x3004) ||
	    (cp >= 0x3008 && cp <= 0x303F) || cp == 0x309B || cp == 0x309C ||
	    cp == 0x30A0 || cp == 0x30FB || cp == 0xFFFD)
		return false;
	if ((cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
	    (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65))
		return false;
	if (cp >= 0x1F000 && cp <= 0x1FFFF)
		return false;
	return true;
}

static void
add_cp(struct strbuf *sb, uint32_t cp)
{
	char buf[4];

	strbuf_add(sb, buf, text_utf8_encode(cp, buf));
}

static void
separate(struct strbuf *sb)
{
	if (sb->len > 0 && sb->buf[sb->len - 1] != ' ')
		strbuf_addc(sb, ' ');
}

/* Writes a CJK run as its overlapping bigrams and, when the run is longer
 * than one character, its last character alone, so that a one-character
 * prefix query finds every character of the run. */
static void
add_cjk_run(struct strbuf *sb, const uint32_t *run, size_t n, bool last_alone)
{
	separate(sb);
	for (size_t i = 0; i + 1 < n; i++) {
		add_cp(sb, run[i]);
		add_cp(sb, run[i + 1]);
		strbuf_addc(sb, ' ');
	}
	if (n == 1 || last_alone) {
		add_cp(sb, run[n - 1]);
		strbuf_addc(sb, ' ');
	}
}

/* The text as it goes into the index: without terminal escapes (which
 * would glue their parameters to the next word), CJK runs as bigrams, the
 * rest as it is (the tokenizer folds case and removes diacritics). Owned. */
static char *
segment(const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	char *s = text_sanitize(text != NULL ? text : "", true);
	uint32_t *run = NULL;
	size_t n_run = 0, cap_run = 0, len = strlen(s), i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = text_utf8_decode(s + i, len - i, &cp);

		if (is_cjk(cp)) {
			if (n_run == cap_run) {
				cap_run = cap_run ? cap_run * 2 : 32;
				run = xreallocarray(run, cap_run, sizeof(*run));
			}
			run[n_run++] = cp;
		} else {
			if (n_run > 0) {
				add_cjk_run(&sb, run, n_run, true);
				n_run = 0;
			}
			add_cp(&sb, fold_width(cp));
		}
		i += n;
	}
	if (n_run > 0)
		add_cjk_run(&sb, run, n_run, true);
	free(run);
	free(s);
	return strbuf_detach(&sb);
}

static void
query_free(struct query *q)
{
	for (size_t i = 0; i < q->n; i++)
		free(q->terms[i].text);
	free(q->terms);
}

static void
query_add(struct query *q, const char *s, size_t len, bool cjk)
{
	q->terms = xreallocarray(q->terms, q->n + 1, sizeof(*q->terms));
	q->terms[q->n++] = (struct query_term){ .text = xstrndup(s, len), .cjk = cjk };
}

/* Splits the user's query at spaces and at the edges of CJK runs; pieces
 * without a letter or digit are dropped. */
static void
query_split(const char *s, struct query *q)
{
	size_t len = strlen(s), i = 0;
	uint32_t cp;

	while (i < len) {
		size_t n = text_utf8_decode(s + i, len - i, &cp);
		if (is_space(cp)) {
			i += n;
			continue;
		}
		bool cjk = is_cjk(cp), word = false;
		size_t word_start = 0, word_end = 0;
		while (i < len) {
			n = text_utf8_decode(s + i, len - i, &cp);
			if (is_space(cp) || is_cjk(cp) != cjk)
				break;
			if (is_word_char(cp)) {
				if (!word)
					word_start = i;
				word = true;
				word_end = i + n;
			}
			i += n;
		}
		if (word)
			query_add(q, s + word_start, word_end - word_start, cjk);
	}
}

static void
add_quoted(struct strbuf *sb, const char *s)
{
	size_t len = strlen(s), i = 0;
	uint32_t cp;

	strbuf_addc(sb, '"');
	while (i < len) {
		i += text_utf8_decode(s + i, len - i, &cp);
		if (cp == '"')
			strbuf_adds(sb, "\"\"");
		else
			add_cp(sb, fold_width(cp));
	}
	strbuf_addc(sb, '"');
}

/* The FTS5 expression: every term quoted so that the user's text is never
 * read as FTS syntax; a CJK run becomes the phrase of its bigrams, a single
 * CJK character a prefix, and the last word also matches as a prefix. */
static char *
query_expression(const struct query *q)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < q->n; i++) {
		const struct query_term *t = &q->terms[i];
		separate(&sb);
		if (!t->cjk) {
			add_quoted(&sb, t->text);
			if (i + 1 == q->n)
				strbuf_addc(&sb, '*');
			continue;
		}
		size_t len = strlen(t->text), j = 0, n_run = 0;
		uint32_t *run = xreallocarray(NULL, len, sizeof(*run));
		while (j < len)
			j += text_utf8_decode(t->text + j, len - j, &run[n_run++]);
		struct strbuf phrase = STRBUF_INIT;
		add_cjk_run(&phrase, run, n_run, false);
		strbuf_rtrim(&phrase);
		add_quoted(&sb, strbuf_str(&phrase));
		if (n_run == 1)
			strbuf_addc(&sb, '*');
		strbuf_release(&phrase);
		free(run);
	}
	return strbuf_detach(&sb);
}

/* Folds case, Latin-1 diacritics and full width, to place a snippet the
 * way the tokenizer matched. */
static uint32_t
fold_cp(uint32_t cp)
{
	static const char latin1[] = "aaaaaa.ceeeeiiii.nooooo.ouuuuy..aaaaaa.ceeeeiiii.nooooo.ouuuuy.y";

	cp = fold_width(cp);
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp >= 0xC0 && cp <= 0xFF && latin1[cp - 0xC0] != '.')
		return (uint32_t)latin1[cp - 0xC0];
	return cp;
}

static bool
matches_at(const char *s, size_t len, const char *needle)
{
	size_t nlen = strlen(needle), i = 0, j = 0;
	uint32_t a, b;

	while (j < nlen) {
		if (i >= len)
			return false;
		i += text_utf8_decode(s + i, len - i, &a);
		j += text_utf8_decode(needle + j, nlen - j, &b);
		if (fold_cp(a) != fold_cp(b))
			return false;
	}
	return true;
}

/* Byte offset of the earliest occurrence of any term in s, or 0. */
static size_t
first_match(const char *s, const struct query *q)
{
	size_t len = strlen(s), i = 0, n;
	uint32_t cp, first[16];
	size_t nt = q->n < 16 ? q->n : 16;

	/* each term's first character, folded, is checked before the rest */
	for (size_t t = 0; t < nt; t++) {
		const char *term = q->terms[t].text;
		text_utf8_decode(term, strlen(term), &first[t]);
		first[t] = fold_cp(first[t]);
	}
	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			cp = (unsigned char)s[i];
			n = 1;
		} else {
			n = text_utf8_decode(s + i, len - i, &cp);
		}
		uint32_t f = fold_cp(cp);
		for (size_t t = 0; t < nt; t++)
			if (f == first[t] && matches_at(s + i, len - i, q->terms[t].text))
				return i;
		i += n;
	}
	return 0;
}

static size_t
prev_cp(const char *s, size_t i)
{
	do
		i--;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80);
	return i;
}

/* The excerpt of text (already cut to a window around the match when
 * cut_before says text was dropped in front of it). */
static char *
snippet_from(const char *text, bool cut_before, const struct query *q)
{
	char *clean = text_sanitize(text, false);
	struct strbuf sb = STRBUF_INIT;
	size_t len = 0, start, at, i, width = 0, rest = 0, lead;
	uint32_t cp;

	for (const char *p = clean; *p != '\0'; p++)
		if (*p != ' ' || (len > 0 && clean[len - 1] != ' '))
			clean[len++] = *p;
	while (len > 0 && clean[len - 1] == ' ')
		len--;
	clean[len] = '\0';

	at = first_match(clean, q);
	for (start = at; start > 0 && width < SNIPPET_LEAD;) {
		start = prev_cp(clean, start);
		text_utf8_decode(clean + start, len - start, &cp);
		width += (size_t)text_cp_width(cp);
	}
	/* begin at a word when the lead cut one in half */
	if (start > 0 && clean[start - 1] != ' ') {
		const char *space = memchr(clean + start, ' ', at - start);
		if (space != NULL)
			start = (size_t)(space - clean) + 1;
	}
	lead = start > 0 || cut_before ? 1 : 0;
	/* only whether the rest overflows the line matters: stop once it does */
	for (i = start; i < len && rest + lead <= SNIPPET_COLUMNS;) {
		i += text_utf8_decode(clean + i, len - i, &cp);
		rest += (size_t)text_cp_width(cp);
	}
	if (lead)
		strbuf_adds(&sb, "\xE2\x80\xA6");
	width = 0;
	for (i = start; i < len;) {
		size_t n = text_utf8_decode(clean + i, len - i, &cp);
		size_t w = (size_t)text_cp_width(cp);
		if (rest + lead > SNIPPET_COLUMNS && width + w + lead + 1 > SNIPPET_COLUMNS) {
			strbuf_rtrim(&sb);
			strbuf_adds(&sb, "\xE2\x80\xA6");
			break;
		}
		strbuf_add(&sb, clean + i, n);
		width += w;
		i += n;
	}
	free(clean);
	return strbuf_detach(&sb);
}

/* A one-line excerpt of the text around the first match, safe to show.
 * Long texts are cut to a window around the match before they are cleaned,
 * so a search over large postmortems does not clean every one whole. */
static char *
snippet_make(const char *original, const struct query *q)
{
	const char *o = original != NULL ? original : "";
	size_t len = strlen(o), at, from, to;

	if (len <= SNIPPET_WINDOW)
		return snippet_from(o, false, q);
	at = first_match(o, q);
	from = at > SNIPPET_WINDOW / 4 ? at - SNIPPET_WINDOW / 4 : 0;
	to = at + SNIPPET_WINDOW / 2 < len ? at + SNIPPET_WINDOW / 2 : len;
	/* whole characters, starting after a space so no word or escape is cut */
	while (from > 0 && from < at && o[from - 1] != ' ' && o[from - 1] != '\n')
		from++;
	while (to < len && ((unsigned char)o[to] & 0xC0) == 0x80)
		to++;
	char *window = xstrndup(o + from, to - from);
	char *snippet = snippet_from(window, from > 0, q);
	free(window);
	return snippet;
}

/* The index's rowid for (kind, ref): 1 found, 0 not, -1 error. */
static int
index_rowid(struct store *st, const char *kind, const char *ref, long long *rowid, char **err)
{
	sqlite3_stmt *stmt = store_stmt(st,
		"SELECT rowid_in_index FROM search_source WHERE kind = ?1 AND ref = ?2", err);
	int rc;

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, kind);
	store_bind_text(stmt, 2, ref);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*rowid = sqlite3_column_int64(stmt, 0);
	else if (rc != SQLITE_DONE)
		store_fail(st, err, "cannot read the search index");
	sqlite3_reset(stmt);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int
write_remove(struct store *st, const char *kind, const char *ref, char **err)
{
	long long rowid = 0;
	int found = index_rowid(st, kind, ref, &rowid, err);
	sqlite3_stmt *stmt;

	if (found <= 0)
		return found;
	if ((stmt = store_stmt(st, "DELETE FROM search_index WHERE rowid = ?1", err)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, rowid);
	if (store_step_cached(st, stmt, "cannot update the search index", err) < 0)
		return -1;
	stmt = store_stmt(st, "DELETE FROM search_source WHERE kind = ?1 AND ref = ?2", err);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, kind);
	store_bind_text(stmt, 2, ref);
	return store_step_cached(st, stmt, "cannot update the search index", err);
}

static int
write_put(struct store *st, const char *kind, const char *ref, const char *title,
	  const char *original, char **err)
{
	char *title_seg = segment(title), *body_seg = segment(original);
	long long rowid = 0;
	sqlite3_stmt *stmt;
	int found = index_rowid(st, kind, ref, &rowid, err), rc = -1;

	if (found < 0)
		goto out;
	if (found)
		stmt = store_stmt(st, "UPDATE search_index SET title = ?3, body = ?4 "
				  "WHERE rowid = ?6", err);
	else
		stmt = store_stmt(st, "INSERT INTO search_index (kind, ref, title, body) "
				  "VALUES (?1, ?2, ?3, ?4)", err);
	if (stmt == NULL)
		goto out;
	if (!found) {
		store_bind_text(stmt, 1, kind);
		store_bind_text(stmt, 2, ref);
	} else {
		sqlite3_bind_int64(stmt, 6, rowid);
	}
	store_bind_text(stmt, 3, title_seg);
	store_bind_text(stmt, 4, body_seg);
	if (store_step_cached(st, stmt, "cannot update the search index", err) < 0)
		goto out;
	if (!found) {
		rowid = sqlite3_last_insert_rowid(st->db);
		stmt = store_stmt(st, "INSERT INTO search_source (kind, ref, rowid_in_index) "
				  "VALUES (?1, ?2, ?3)", err);
		if (stmt == NULL)
			goto out;
		store_bind_text(stmt, 1, kind);
		store_bind_text(stmt, 2, ref);
		sqlite3_bind_int64(stmt, 3, rowid);
		if (store_step_cached(st, stmt, "cannot update the search index", err) < 0)
			goto out;
	}
	rc = 0;
out:
	free(title_seg);
	free(body_seg);
	return rc;
}

/* Inside a transaction the change waits for the commit; outside it is
 * written at once. original NULL removes the row. */
static int
index_change(struct store *st, const char *kind, const char *ref, const char *title,
	     const char *original, char **err)
{
	if (st->tx_depth == 0)
		return original != NULL ? write_put(st, kind, ref, title, original, err)
					: write_remove(st, kind, ref, err);
	st->pending = xreallocarray(st->pending, st->n_pending + 1, sizeof(*st->pending));
	st->pending[st->n_pending++] = (struct store_index_op){
		.kind = xstrdup(kind),
		.ref = xstrdup(ref),
		.title = xstrdup_or_null(title),
		.original = xstrdup_or_null(original),
	};
	return 0;
}

static int
index_put(struct store *st, const char *kind, const char *ref, const char *title,
	  const char *original, char **err)
{
	return index_change(st, kind, ref, title, original, err);
}

static int
index_remove(struct store *st, const char *kind, const char *ref, char **err)
{
	return index_change(st, kind, ref, NULL, NULL, err);
}

void
store_search_discard(struct store *st, size_t keep)
{
	while (st->n_pending > keep) {
		struct store_index_op *op = &st->pending[--st->n_pending];
		free(op->kind);
		free(op->ref);
		free(op->title);
		free(op->original);
	}
	if (st->n_pending == 0) {
		free(st->pending);
		st->pending = NULL;
	}
}

int
store_search_flush(struct store *st, char **err)
{
	int rc = 0;

	for (size_t i = 0; i < st->n_pending && rc == 0; i++) {
		const struct store_index_op *op = &st->pending[i];
		rc = op->original != NULL ? write_put(st, op->kind, op->ref, op->title,
						      op->original, err)
					  : write_remove(st, op->kind, op->ref, err);
	}
	store_search_discard(st, 0);
	return rc;
}

int
store_search_index_postmortem(struct store *st, const char *id, const struct postmortem *pm,
			      char **err)
{
	struct strbuf body = STRBUF_INIT;
	int rc;

	if (pm == NULL)
		return index_remove(st, "postmortem", id, err);
	for (size_t i = 0; i < pm->n_sections; i++) {
		if (pm->sections[i].text == NULL || pm->sections[i].text[0] == '\0')
			continue;
		if (body.len > 0)
			strbuf_addc(&body, '\n');
		strbuf_adds(&body, pm->sections[i].text);
	}
	for (size_t i = 0; i < pm->n_measures; i++) {
		if (body.len > 0)
			strbuf_addc(&body, '\n');
		strbuf_adds(&body, pm->measures[i].title);
	}
	rc = index_put(st, "postmortem", id, pm->title, strbuf_str(&body), err);
	strbuf_release(&body);
	return rc;
}

/* Events ("item started") are the tool's own words, not the team's, so only
 * what people typed is indexed. */
int
store_search_index_minute(struct store *st, long long minute_id, char **err)
{
	sqlite3_stmt *stmt = store_stmt(st,
		"SELECT body FROM minutes WHERE id = ?1 AND deleted_at IS NULL AND kind <> 'event'",
		err);
	char ref[32], *body = NULL;
	int rc;

	if (stmt == NULL)
		return -1;
	snprintf(ref, sizeof(ref), "%lld", minute_id);
	sqlite3_bind_int64(stmt, 1, minute_id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		body = store_column_dup(stmt, 0);
	else if (rc != SQLITE_DONE)
		store_fail(st, err, "cannot read a minutes entry");
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	rc = body != NULL ? index_put(st, "minutes", ref, "", body, err)
			  : index_remove(st, "minutes", ref, err);
	free(body);
	return rc;
}

/* Reads a column of ids first, so that no statement stays open while the
 * index is written. */
static int
ids_load(struct store *st, const char *sql, char ***ids, size_t *n, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st, sql, err);
	int rc;

	if (stmt == NULL)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*ids = xreallocarray(*ids, *n + 1, sizeof(char *));
		(*ids)[(*n)++] = store_column_dup(stmt, 0);
	}
	if (rc != SQLITE_DONE)
		store_fail(st, err, "cannot read what to index");
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
index_everything(struct store *st, char **err)
{
	char **pms = NULL, **mins = NULL;
	size_t n_pms = 0, n_mins = 0;
	int rc = -1;

	if (ids_load(st, "SELECT id FROM postmortems ORDER BY id", &pms, &n_pms, err) < 0 ||
	    ids_load(st, "SELECT id FROM minutes ORDER BY id", &mins, &n_mins, err) < 0)
		goto out;
	for (size_t i = 0; i < n_pms; i++) {
		struct postmortem *pm = store_postmortem_get(st, pms[i], err);
		if (pm == NULL)
			goto out;
		int r = store_search_index_postmortem(st, pm->id, pm, err);
		postmortem_free(pm);
		if (r < 0)
			goto out;
	}
	for (size_t i = 0; i < n_mins; i++)
		if (store_search_index_minute(st, strtoll(mins[i], NULL, 10), err) < 0)
			goto out;
	rc = 0;
out:
	for (size_t i = 0; i < n_pms; i++)
		free(pms[i]);
	for (size_t i = 0; i < n_mins; i++)
		free(mins[i]);
	free(pms);
	free(mins);
	if (rc < 0)
		err_prefix(err, "cannot build the search index");
	return rc;
}

int
store_after_migration(struct store *st, int version, char **err)
{
	if (version == 2)
		return index_everything(st, err);
	return 0;
}

static const char search_sql[] =
	"SELECT si.kind, si.ref, p.id, "
	"  coalesce(p.title, ai.title), p.date, p.severity, p.status, mt.week "
	"FROM (SELECT kind, ref, bm25(search_index, 0.0, 0.0, 4.0, 1.0) AS score "
	"      FROM search_index WHERE search_index MATCH ?1 ORDER BY score LIMIT ?2) AS si "
	"LEFT JOIN minutes mi ON si.kind = 'minutes' AND mi.id = CAST(si.ref AS INTEGER) "
	"LEFT JOIN agenda_items ai ON ai.id = mi.item_id "
	"LEFT JOIN meetings mt ON mt.id = mi.meeting_id "
	"LEFT JOIN postmortems p ON p.id = "
	"  CASE si.kind WHEN 'postmortem' THEN si.ref ELSE ai.postmortem_id END "
	"ORDER BY si.score";

/* The text a row of the index was made from, for its excerpt: a
 * postmortem's sections and measures, or a minutes entry. Owned. */
static char *
source_text(struct store *st, const char *kind, const char *ref)
{
	struct strbuf sb = STRBUF_INIT;
	sqlite3_stmt *stmt;

	if (strcmp(kind, "minutes") == 0) {
		stmt = store_stmt(st, "SELECT body FROM minutes WHERE id = CAST(?1 AS INTEGER)", NULL);
		if (stmt == NULL)
			return strbuf_detach(&sb);
		store_bind_text(stmt, 1, ref);
		if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != NULL)
			strbuf_adds(&sb, (const char *)sqlite3_column_text(stmt, 0));
		sqlite3_reset(stmt);
		return strbuf_detach(&sb);
	}
	/* the same text, in the same order, as store_search_index_postmortem */
	static const char *const parts[] = {
		"SELECT body FROM sections WHERE postmortem_id = ?1 AND body <> '' ORDER BY pos",
		"SELECT title FROM measures WHERE postmortem_id = ?1 ORDER BY pos, id",
	};
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if ((stmt = store_stmt(st, parts[i], NULL)) == NULL)
			continue;
		store_bind_text(stmt, 1, ref);
		while (sqlite3_step(stmt) == SQLITE_ROW) {
			if (sb.len > 0)
				strbuf_addc(&sb, '\n');
			if (sqlite3_column_text(stmt, 0) != NULL)
				strbuf_adds(&sb, (const char *)sqlite3_column_text(stmt, 0));
		}
		sqlite3_reset(stmt);
	}
	return strbuf_detach(&sb);
}

static char *
column_or_empty(sqlite3_stmt *stmt, int i)
{
	char *s = store_column_dup(stmt, i);

	return s != NULL ? s : xstrdup("");
}

int
store_search(struct store *st, const char *query, size_t limit, struct store_rows *out,
	     char **err)
{
	struct query q = { 0 };
	char *expr;
	sqlite3_stmt *stmt;
	int rc;

	*out = (struct store_rows){ 0 };
	query_split(query != NULL ? query : "", &q);
	if (q.n == 0) {
		err_set(err, "nothing to search for in \"%s\": give at least one word or some "
			"Japanese text", query != NULL ? query : "");
		query_free(&q);
		return -1;
	}
	/* searching reads much of the index: through mmap it is not copied.
	 * Only here, so that imports and meetings keep their memory small. */
	if (!st->mapped) {
		sqlite3_exec(st->db, "PRAGMA mmap_size = 268435456", NULL, NULL, NULL);
		st->mapped = true;
	}
	expr = query_expression(&q);
	stmt = store_stmt(st, search_sql, err);
	if (stmt == NULL) {
		free(expr);
		query_free(&q);
		return -1;
	}
	store_bind_text(stmt, 1, expr);
	sqlite3_bind_int64(stmt, 2, limit > 0 ? (sqlite3_int64)limit : SEARCH_DEFAULT_LIMIT);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(stmt, 0);
		const char *week = (const char *)sqlite3_column_text(stmt, 7);
		bool minutes = strcmp(kind, "minutes") == 0;
		char *text = source_text(st, kind, (const char *)sqlite3_column_text(stmt, 1));

		out->rows = xreallocarray(out->rows, out->n + 1, sizeof(struct store_row));
		out->rows[out->n++] = (struct store_row){
			.id = column_or_empty(stmt, 2),
			.title = column_or_empty(stmt, 3),
			.date = store_column_dup(stmt, 4),
			.severity = store_column_dup(stmt, 5),
			.status = store_column_dup(stmt, 6),
			.snippet = snippet_make(text, &q),
			.match = minutes ? xasprintf("minutes %s", week != NULL ? week : "?")
					 : xstrdup("postmortem"),
		};
		free(text);
	}
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot search");
		err_prefix(err, "search for \"%s\"", query);
		store_rows_free(out);
	}
	sqlite3_reset(stmt);
	free(expr);
	query_free(&q);
	return rc == SQLITE_DONE ? 0 : -1;
}
