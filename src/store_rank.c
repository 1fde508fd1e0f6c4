#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/xalloc.h"
#include "store_private.h"

/* How a search ranks its matches. SQLite's own bm25() reads each matching row's length from the
 * index's docsize table, a statement run per row: for a word that 6,000
 * postmortems hold that is most of the search. fk_collect ranks by BM25
 * without the length normalisation (b = 0): term frequency, saturated (k1),
 * weighted per column, times the phrase's rarity (IDF, in the form that
 * stays positive for a word most rows hold: ln(1 + (N - n + 0.5) / (n +
 * 0.5))), and keeps the best in a heap as it goes. So that no search costs
 * more than a bounded amount per matching row:
 * - a phrase whose IDF is under a tenth of that of the query's rarest
 *   phrase adds next to nothing, so its positions are not walked at all:
 *   in an English archive, "the" in "the retry policy" costs only the
 *   match;
 * - a phrase's document frequency is counted exactly up to RANK_DF_EXACT
 *   rows and estimated past that from how far into the rows (by rowid, the
 *   order they were added) the count got;
 * - mentions are counted up to RANK_TF_CAP (a title mention counts as
 *   its column's weight): with k1 = 1.2 a seventh would add 2%, and
 *   without length normalisation the cap is what keeps a long postmortem
 *   from outranking a short one by length alone. */

#define RANK_K1 1.2
/* A phrase whose IDF is under this share of the query's highest is not
 * counted. */
#define RANK_IDF_SKIP 0.1
#define RANK_DF_EXACT 256
#define RANK_TF_CAP 6.0
/* Columns of the index (title, body) whose weights are kept. */
#define RANK_MAX_COLUMNS 8

struct rank_query {
	int n_phrases;
	double *idf;		/* per phrase; 0: not worth counting */
	double weight[RANK_MAX_COLUMNS];
	double best;		/* the score of a row at the cap in every phrase */
};

struct rank_count {
	sqlite3_int64 n, first_rowid, last_rowid;
};

static int
rank_count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *user)
{
	struct rank_count *c = user;

	c->last_rowid = api->xRowid(fts);
	if (c->n == 0)
		c->first_rowid = c->last_rowid;
	return ++c->n >= RANK_DF_EXACT ? SQLITE_DONE : SQLITE_OK;
}

static void
rank_query_free(void *p)
{
	struct rank_query *q = p;

	free(q->idf);
	free(q);
}

/* How many of rows hold phrase i: exact for a rare phrase, estimated for
 * a common one from how many rowids the first RANK_DF_EXACT took (rowids
 * run about densely from 1, in the order rows were added). */
static double
rank_df(const Fts5ExtensionApi *api, Fts5Context *fts, int i, sqlite3_int64 rows)
{
	struct rank_count c = { .n = 0 };

	if (api->xQueryPhrase(fts, i, &c, rank_count_row) != SQLITE_OK)
		return (double)rows;
	if (c.n < RANK_DF_EXACT)
		return (double)c.n;
	sqlite3_int64 span = c.last_rowid > c.first_rowid ? c.last_rowid - c.first_rowid
							  : c.first_rowid - c.last_rowid;
	double df = (double)c.n * (double)rows / (double)(span + 1);
	return df < (double)rows ? df : (double)rows;
}

/* Computed at the first row of a query, kept as the query's aux data. A
 * query of one phrase needs no IDF: it scales every score alike. */
static struct rank_query *
rank_query_new(const Fts5ExtensionApi *api, Fts5Context *fts, int n_args, sqlite3_value **args)
{
	struct rank_query *q = xcalloc(1, sizeof(*q));
	sqlite3_int64 rows = 0;
	double highest = 0.0;

	for (int c = 0; c < RANK_MAX_COLUMNS; c++)
		q->weight[c] = c < n_args ? sqlite3_value_double(args[c]) : 1.0;
	q->n_phrases = api->xPhraseCount(fts);
	q->idf = xreallocarray(NULL, q->n_phrases > 0 ? (size_t)q->n_phrases : 1, sizeof(double));
	if (api->xRowCount(fts, &rows) != SQLITE_OK)
		rows = 0;
	for (int i = 0; i < q->n_phrases; i++) {
		q->idf[i] = 1.0;
		if (q->n_phrases == 1 || rows == 0)
			continue;
		double df = rank_df(api, fts, i, rows);
		q->idf[i] = log(1.0 + ((double)rows - df + 0.5) / (df + 0.5));
		if (q->idf[i] > highest)
			highest = q->idf[i];
	}
	for (int i = 0; i < q->n_phrases; i++) {
		if (q->idf[i] < highest * RANK_IDF_SKIP)
			q->idf[i] = 0.0;
		q->best -= q->idf[i] * RANK_TF_CAP * (RANK_K1 + 1.0) / (RANK_TF_CAP + RANK_K1);
	}
	return q;
}

/* Scores the current row; *in_text unless every mention seen was in the
 * title (when not every mention was looked at, it may be in the text). */
static double
rank_score(const Fts5ExtensionApi *api, Fts5Context *fts, const struct rank_query *q,
	   bool *in_text)
{
	double score = 0.0;	/* the same sum, in the same order, as q->best */

	*in_text = false;
	for (int i = 0; i < q->n_phrases; i++) {
		Fts5PhraseIter it;
		int col = 0, off = 0;
		double tf = 0.0;

		if (q->idf[i] <= 0.0) {
			*in_text = true;
			continue;
		}
		if (api->xPhraseFirst(fts, i, &it, &col, &off) != SQLITE_OK)
			break;
		for (; col >= 0 && tf < RANK_TF_CAP; api->xPhraseNext(fts, &it, &col, &off)) {
			tf += col < RANK_MAX_COLUMNS ? q->weight[col] : 1.0;
			*in_text = *in_text || col > 0;
		}
		*in_text = *in_text || col >= 0;
		if (tf > RANK_TF_CAP)
			tf = RANK_TF_CAP;
		score -= q->idf[i] * tf * (RANK_K1 + 1.0) / (tf + RANK_K1);
	}
	return score;
}

/* a ranks before b: the better score, then the newer row */
static bool
hit_before(const struct store_hit *a, const struct store_hit *b)
{
	return a->score < b->score || (a->score == b->score && a->rowid > b->rowid);
}

/* While collecting, the hits are a heap with the worst at the root. */
static void
heap_down(struct store_hit *h, size_t n, size_t i)
{
	for (;;) {
		size_t worst = i, l = 2 * i + 1, r = l + 1;
		if (l < n && hit_before(&h[worst], &h[l]))
			worst = l;
		if (r < n && hit_before(&h[worst], &h[r]))
			worst = r;
		if (worst == i)
			return;
		struct store_hit t = h[i];
		h[i] = h[worst];
		h[worst] = t;
		i = worst;
	}
}

static void
heap_up(struct store_hit *h, size_t i)
{
	while (i > 0 && hit_before(&h[(i - 1) / 2], &h[i])) {
		struct store_hit t = h[i];
		h[i] = h[(i - 1) / 2];
		h[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static void
top_add(struct store_rank_top *top, const struct store_hit *hit)
{
	top->total++;
	if (top->n < top->limit) {
		if (top->n == top->cap) {
			top->cap = top->cap ? top->cap * 2 : 64;
			top->hits = xreallocarray(top->hits, top->cap, sizeof(*top->hits));
		}
		top->hits[top->n] = *hit;
		heap_up(top->hits, top->n++);
	} else if (top->n > 0 && hit_before(hit, &top->hits[0])) {
		top->hits[0] = *hit;
		heap_down(top->hits, top->n, 0);
	}
}

static int
hit_cmp(const void *a, const void *b)
{
	return hit_before(a, b) ? -1 : hit_before(b, a) ? 1 : 0;
}

void
store_rank_top_sort(struct store_rank_top *top)
{
	if (top->n > 1)
		qsort(top->hits, top->n, sizeof(*top->hits), hit_cmp);
}

/* fk_collect(search_index, TOP, WEIGHT...): scores the row and keeps it in
 * TOP (a struct store_rank_top, bound with sqlite3_bind_pointer) when it
 * is among the best; the weights are those of the columns in order
 * (missing ones are 1). Returns 0, so that as a condition of the query it
 * hands no row back: the whole search is one step. */
static void
collect_function(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		 int n_args, sqlite3_value **args)
{
	struct rank_query *q = api->xGetAuxdata(fts, 0);
	struct store_rank_top *top = n_args > 0
		? sqlite3_value_pointer(args[0], STORE_RANK_TOP_TYPE) : NULL;
	struct store_hit hit;

	if (top == NULL) {
		sqlite3_result_error(ctx, "fk_collect: no place to collect into", -1);
		return;
	}
	if (q == NULL) {
		q = rank_query_new(api, fts, n_args - 1, args + 1);
		if (api->xSetAuxdata(fts, q, rank_query_free) != SQLITE_OK) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
	}
	/* The rows come newest first and a tie goes to the newer row: once
	 * every kept row has the best score there is, no later row can take
	 * a place, and the rest are only counted. */
	if (top->n > 0 && top->n == top->limit && top->hits[0].score <= q->best) {
		top->total++;
		sqlite3_result_int(ctx, 0);
		return;
	}
	hit.rowid = api->xRowid(fts);
	hit.score = rank_score(api, fts, q, &hit.in_text);
	top_add(top, &hit);
	sqlite3_result_int(ctx, 0);
}

int
store_rank_register(struct store *st, char **err)
{
	fts5_api *api;

	if (st->ranked)
		return 0;
	api = store_fts5(st);
	if (api == NULL ||
	    api->xCreateFunction(api, "fk_collect", NULL, collect_function, NULL) != SQLITE_OK) {
		store_fail(st, err, "cannot set up searching (this SQLite has no FTS5)");
		return -1;
	}
	st->ranked = true;
	return 0;
}
