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
/* Bytes of a long text kept before and after the first match for the
 * excerpt: room for its columns in any script (up to 4 bytes each) and for
 * escape sequences to remove. */
#define SNIPPET_BEFORE 160
#define SNIPPET_AFTER 480
/* How far a text is scanned character by character for a match that
 * its usual spellings did not find. */
#define SCAN_FOLDED_MAX 4096

/* One piece of a query: a CJK run or a word of other text. */
struct query_term {
	char *text;		/* as the user typed it, for locating the snippet */
	char *stem_start;	/* what the word's forms begin with ("retr" for
				 * retry, retries), for the snippet; or NULL */
	bool cjk;
	bool prefix;		/* typed with a trailing '*' */
};

struct query {
	struct query_term *terms;
	size_t n;
};

static bool
is_space(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
	       cp == '\v' || cp == 0x3000 || cp == 0xA0;
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
query_free(struct query *q)
{
	for (size_t i = 0; i < q->n; i++) {
		free(q->terms[i].text);
		free(q->terms[i].stem_start);
	}
	free(q->terms);
}

static void
query_add(struct query *q, const char *s, size_t len, bool cjk)
{
	q->terms = xreallocarray(q->terms, q->n + 1, sizeof(*q->terms));
	q->terms[q->n++] = (struct query_term){ .text = xstrndup(s, len), .cjk = cjk };
}

/* Splits the user's query at spaces and at the edges of CJK runs; pieces
 * without a letter or digit are dropped. A '*' right after a piece asks
 * for it as a prefix (timeo* finds timeout). */
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
		if (cp == '*' && q->n > 0 && i > 0 && !is_space(s[i - 1]))
			q->terms[q->n - 1].prefix = true;
		bool cjk = store_is_cjk(cp), word = false;
		size_t word_start = 0, word_end = 0;
		while (i < len) {
			n = text_utf8_decode(s + i, len - i, &cp);
			if (is_space(cp) || store_is_cjk(cp) != cjk)
				break;
			if (is_word_char(cp)) {
				if (!word)
					word_start = i;
				word = true;
				word_end = i + n;
			}
			i += n;
		}
		if (word) {
			query_add(q, s + word_start, word_end - word_start, cjk);
			q->terms[q->n - 1].prefix = word_end < len && s[word_end] == '*';
		}
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
			add_cp(sb, store_fold_width(cp));
	}
	strbuf_addc(sb, '"');
}

/* The FTS5 expression: every term quoted so that the user's text is never
 * read as FTS syntax (the tokenizer makes a CJK run the phrase of its
 * bigrams and a word its stem); a single CJK character is a prefix (of the
 * bigrams it begins), and so is a term typed with a '*'. */
static char *
query_expression(const struct query *q)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < q->n; i++) {
		const struct query_term *t = &q->terms[i];
		uint32_t cp;

		if (i > 0)
			strbuf_addc(&sb, ' ');
		add_quoted(&sb, t->text);
		if (t->prefix || (t->cjk && text_utf8_decode(t->text, strlen(t->text), &cp) ==
				  strlen(t->text)))
			strbuf_addc(&sb, '*');
	}
	return strbuf_detach(&sb);
}

/* Folds case, Latin-1 diacritics and full width, to place a snippet the
 * way the tokenizer matched. */
static uint32_t
fold_cp(uint32_t cp)
{
	static const char latin1[] = "aaaaaa.ceeeeiiii.nooooo.ouuuuy..aaaaaa.ceeeeiiii.nooooo.ouuuuy.y";

	cp = store_fold_width(cp);
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

/* The slow, exact way: every place where a key's first character (case,
 * accents and width folded as the tokenizer does) begins, compared in
 * full. SIZE_MAX when there is none. */
static size_t
scan_folded(const char *s, size_t len, const char *const *key, size_t nt)
{
	uint32_t first[16];
	bool can_start[256] = { false };

	for (size_t t = 0; t < nt; t++) {
		char lead[4];
		uint32_t cp;

		text_utf8_decode(key[t], strlen(key[t]), &cp);
		first[t] = fold_cp(cp);
		if (first[t] >= 0x80) {
			text_utf8_encode(first[t], lead);
			can_start[(unsigned char)lead[0]] = true;
			continue;
		}
		/* ASCII also matches its capital, accented (U+00C0-U+00FF) and
		 * full-width (U+FF01-U+FF5E) forms */
		can_start[first[t]] = true;
		if (first[t] >= 'a' && first[t] <= 'z')
			can_start[first[t] - 32] = true;
		can_start[0xC3] = can_start[0xEF] = true;
	}
	for (size_t i = 0; i < len; i++) {
		if (!can_start[(unsigned char)s[i]])
			continue;
		uint32_t cp, f;
		text_utf8_decode(s + i, len - i, &cp);
		f = fold_cp(cp);
		for (size_t t = 0; t < nt; t++)
			if (f == first[t] && matches_at(s + i, len - i, key[t]))
				return i;
	}
	return SIZE_MAX;
}

/* Byte offset of the earliest place in s where a term, or another form of
 * it (the index matched its stem, so "retries" for retry), begins; 0 when
 * there is none. Each term is looked for as it is spelled, in any ASCII
 * case (strcasestr, strstr: vectorised in the C library); only a text
 * where none is found (ＴＩＭＥＯＵＴ, Café for cafe) is scanned character
 * by character, up to SCAN_FOLDED_MAX bytes. q NULL (only the title
 * matched): 0. */
static size_t
first_match(const char *s, const struct query *q)
{
	size_t len = strlen(s), nt = 0, best = SIZE_MAX;
	const char *key[16];

	if (q == NULL)
		return 0;
	for (size_t t = 0; t < q->n && nt < 16; t++)
		key[nt++] = q->terms[t].stem_start != NULL ? q->terms[t].stem_start
							   : q->terms[t].text;
	for (size_t t = 0; t < nt; t++) {
		bool ascii = true;
		for (const char *k = key[t]; *k != '\0' && ascii; k++)
			ascii = (unsigned char)*k < 0x80;
		const char *hit = ascii ? strcasestr(s, key[t]) : strstr(s, key[t]);
		if (hit != NULL && (size_t)(hit - s) < best)
			best = (size_t)(hit - s);
	}
	if (best == SIZE_MAX)
		best = scan_folded(s, len < SCAN_FOLDED_MAX ? len : SCAN_FOLDED_MAX, key, nt);
	return best == SIZE_MAX ? 0 : best;
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

	if (len <= SNIPPET_BEFORE + SNIPPET_AFTER)
		return snippet_from(o, false, q);
	at = first_match(o, q);
	from = at > SNIPPET_BEFORE ? at - SNIPPET_BEFORE : 0;
	to = at + SNIPPET_AFTER < len ? at + SNIPPET_AFTER : len;
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
		"SELECT id FROM search.search_source WHERE kind = ?1 AND ref = ?2", err);
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
	if ((stmt = store_stmt(st, "DELETE FROM search.search_index WHERE rowid = ?1", err)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, rowid);
	if (store_step_cached(st, stmt, "cannot update the search index", err) < 0)
		return -1;
	if ((stmt = store_stmt(st, "DELETE FROM search.search_source WHERE id = ?1", err)) == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, rowid);
	return store_step_cached(st, stmt, "cannot update the search index", err);
}

/* search_source names the row first; the index row takes its id. */
static int
write_put(struct store *st, const char *kind, const char *ref, const char *title,
	  const char *original, char **err)
{
	long long rowid = 0;
	sqlite3_stmt *stmt;
	int found = index_rowid(st, kind, ref, &rowid, err);

	if (found < 0)
		return -1;
	if (!found) {
		stmt = store_stmt(st, "INSERT INTO search.search_source (kind, ref) VALUES (?1, ?2)", err);
		if (stmt == NULL)
			return -1;
		store_bind_text(stmt, 1, kind);
		store_bind_text(stmt, 2, ref);
		if (store_step_cached(st, stmt, "cannot update the search index", err) < 0)
			return -1;
		rowid = sqlite3_last_insert_rowid(st->db);
		stmt = store_stmt(st, "INSERT INTO search.search_index (rowid, title, body) "
				  "VALUES (?1, ?2, ?3)", err);
	} else {
		stmt = store_stmt(st, "UPDATE search.search_index SET title = ?2, body = ?3 "
				  "WHERE rowid = ?1", err);
	}
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, rowid);
	store_bind_text(stmt, 2, title);
	store_bind_text(stmt, 3, original);
	return store_step_cached(st, stmt, "cannot update the search index", err);
}

static int index_change(struct store *st, const char *kind, const char *ref, const char *title,
			const char *original, char **err);

/* Outside any transaction the change gets one of its own, so that the
 * store's generation moves with it (store_search_file.c). */
static int
index_change_alone(struct store *st, const char *kind, const char *ref, const char *title,
		   const char *original, char **err)
{
	if (store_begin(st, err) < 0)
		return -1;
	if (index_change(st, kind, ref, title, original, err) < 0) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st, err);
}

/* Inside a transaction the change waits for the commit; while the index
 * is built anew (a write transaction of SQLite's own, no store_begin) it
 * is written at once. original NULL removes the row. */
static int
index_change(struct store *st, const char *kind, const char *ref, const char *title,
	     const char *original, char **err)
{
	if (st->tx_depth == 0 && sqlite3_get_autocommit(st->db))
		return index_change_alone(st, kind, ref, title, original, err);
	if (st->tx_depth == 0 && !st->search_ready)
		return 0;
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
	int rc;

	if (st->n_pending == 0)
		return 0;
	rc = store_search_sync(st, true, err);
	store_search_discard(st, 0);
	return rc;
}

int
store_search_write_held(struct store *st, char **err)
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

int
store_search_index_everything(struct store *st, char **err)
{
	char **pms = NULL, **mins = NULL;
	size_t n_pms = 0, n_mins = 0;
	int rc = -1;

	/* templates are never searched (store_postmortem_put) */
	if (ids_load(st, "SELECT id FROM postmortems WHERE kind <> 'template' ORDER BY id", &pms,
		     &n_pms, err) < 0 ||
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

/* Versions 2 and 4 made the index in the store; since 16 it is built in
 * its own file (store_search_file.c), so no migration fills it. */
int
store_after_migration(struct store *st, int version, char **err)
{
	(void)st;
	(void)version;
	(void)err;
	return 0;
}

/* Every match is ranked by fk_collect, which keeps the best in the
 * struct store_rank_top bound to ?2 and hands no row back: one step for
 * the whole match, nothing read for the rows that do not make the list.
 * Newest first, so that fk_collect can stop scoring once nothing later
 * could take a place. */
static const char rank_sql[] =
	"SELECT rowid FROM search.search_index "
	"WHERE search_index MATCH ?1 AND fk_collect(search_index, ?2, 4.0, 1.0) "
	"ORDER BY rowid DESC";

/* What the list shows of a match: where it comes from, then that
 * postmortem, or that minutes entry with its item and week (and the item's
 * postmortem when it has one); an entry's id is WEEK#SEQ, as in 2026-W49#7. */
static const char source_sql[] = "SELECT kind, ref FROM search.search_source WHERE id = ?1";
static const char postmortem_sql[] =
	"SELECT id, title, date, severity, status FROM postmortems WHERE id = ?1";
static const char minute_sql[] =
	"SELECT mt.week || '#' || mi.seq, coalesce(p.title, ai.title), p.date, p.severity, "
	"p.status, mt.week "
	"FROM minutes mi "
	"LEFT JOIN agenda_items ai ON ai.id = mi.item_id "
	"LEFT JOIN meetings mt ON mt.id = mi.meeting_id "
	"LEFT JOIN postmortems p ON p.id = ai.postmortem_id "
	"WHERE mi.id = CAST(?1 AS INTEGER)";

/* The best limit matches of expr, best first, in top. */
static int
rank_hits(struct store *st, const char *expr, struct store_rank_top *top, char **err)
{
	sqlite3_stmt *stmt = store_stmt(st, rank_sql, err);
	int rc;

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, expr);
	sqlite3_bind_pointer(stmt, 2, top, STORE_RANK_TOP_TYPE, NULL);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_DONE)
		store_fail(st, err, "cannot search");
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return -1;
	store_rank_top_sort(top);
	return 0;
}

/* The excerpt of a row: from the text the index holds (a postmortem's
 * sections and measures, or a minutes entry), found by rowid; from its
 * start when only the title matched. Owned. */
static char *
row_snippet(struct store *st, const struct store_hit *hit, const struct query *q)
{
	sqlite3_stmt *stmt = store_stmt(st, "SELECT body FROM search.search_index WHERE rowid = ?1", NULL);
	const char *text = "";
	char *snippet;

	if (stmt != NULL) {
		sqlite3_bind_int64(stmt, 1, hit->rowid);
		if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != NULL)
			text = (const char *)sqlite3_column_text(stmt, 0);
	}
	snippet = snippet_make(text, hit->in_text ? q : NULL);
	if (stmt != NULL)
		sqlite3_reset(stmt);
	return snippet;
}

static char *
column_or_empty(sqlite3_stmt *stmt, int i)
{
	char *s = store_column_dup(stmt, i);

	return s != NULL ? s : xstrdup("");
}

/* Fills row for hit: 1 done, 0 when what it came from is gone, -1 on an
 * error. */
static int
hit_row(struct store *st, const struct store_hit *hit, const struct query *q,
	struct store_row *row, char **err)
{
	sqlite3_stmt *source = store_stmt(st, source_sql, err), *what;
	bool minutes;
	int rc;

	if (source == NULL)
		return -1;
	sqlite3_bind_int64(source, 1, hit->rowid);
	if ((rc = sqlite3_step(source)) != SQLITE_ROW) {
		if (rc != SQLITE_DONE)
			store_fail(st, err, "cannot search");
		sqlite3_reset(source);
		return rc == SQLITE_DONE ? 0 : -1;
	}
	minutes = strcmp((const char *)sqlite3_column_text(source, 0), "minutes") == 0;
	if ((what = store_stmt(st, minutes ? minute_sql : postmortem_sql, err)) == NULL) {
		sqlite3_reset(source);
		return -1;
	}
	store_bind_text(what, 1, (const char *)sqlite3_column_text(source, 1));
	if ((rc = sqlite3_step(what)) == SQLITE_ROW) {
		const char *week = minutes ? (const char *)sqlite3_column_text(what, 5) : NULL;
		*row = (struct store_row){
			.id = column_or_empty(what, 0),
			.title = column_or_empty(what, 1),
			.date = store_column_dup(what, 2),
			.severity = store_column_dup(what, 3),
			.status = store_column_dup(what, 4),
			.snippet = row_snippet(st, hit, q),
			.match = minutes ? xasprintf("minutes %s", week != NULL ? week : "?")
					 : xstrdup("postmortem"),
		};
	} else if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot search");
	}
	sqlite3_reset(what);
	sqlite3_reset(source);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Where the forms of each word begin, for placing the excerpt: the part
 * the word shares with its stem, when the stem differs ("retr" for retries,
 * whose stem "retri" is also that of retry). */
static void
query_stems(struct store *st, struct query *q)
{
	for (size_t i = 0; i < q->n; i++) {
		struct query_term *t = &q->terms[i];
		char *stem = t->cjk ? NULL : store_stem(st, t->text);
		size_t n = 0;

		if (stem == NULL)
			continue;
		while (stem[n] != '\0' && t->text[n] != '\0' &&
		       (unsigned char)t->text[n] < 0x80 && fold_cp((unsigned char)t->text[n]) ==
		       (unsigned char)stem[n])
			n++;
		/* porter's i may stand for a y (retri: retry, retries) */
		if (n > 3 && stem[n - 1] == 'i')
			n--;
		if (n >= 3 && (stem[n] != '\0' || t->text[n] != '\0'))
			t->stem_start = xstrndup(t->text, n);
		free(stem);
	}
}


int
store_search(struct store *st, const char *query, size_t limit, struct store_rows *out,
	     char **err)
{
	struct query q = { 0 };
	struct store_rank_top top = { .limit = limit > 0 ? limit : SIZE_MAX };
	char *expr;
	bool reading;
	int rc;

	*out = (struct store_rows){ 0 };
	if (store_search_usable(st, err) < 0)
		return -1;
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
		sqlite3_exec(st->db, "PRAGMA main.mmap_size = 268435456;"
			     "PRAGMA search.mmap_size = 268435456", NULL, NULL, NULL);
		st->mapped = true;
	}
	if (store_rank_register(st, err) < 0) {
		query_free(&q);
		return -1;
	}
	/* one read transaction for the ranking and every hit's rows: one
	 * snapshot of the store and its index, and their locks taken once
	 * rather than for each of the 30-odd statements */
	reading = sqlite3_get_autocommit(st->db) &&
		  sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
	query_stems(st, &q);
	expr = query_expression(&q);
	rc = rank_hits(st, expr, &top, err);
	out->total = top.total;
	for (size_t i = 0; i < top.n && rc == 0; i++) {
		struct store_row row;
		int made = hit_row(st, &top.hits[i], &q, &row, err);
		if (made < 0) {
			err_prefix(err, "search for \"%s\"", query);
			store_rows_free(out);
			rc = -1;
		} else if (made > 0) {
			out->rows = xreallocarray(out->rows, out->n + 1, sizeof(struct store_row));
			out->rows[out->n++] = row;
		}
	}
	if (reading)
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	free(top.hits);
	free(expr);
	query_free(&q);
	return rc;
}
