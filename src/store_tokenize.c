#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"
#include "store_private.h"

/* The search index's tokenizer, "furikaeri", registered on every
 * connection before the index is touched. It reads the text as it is
 * stored, so the index keeps the original text and a token's offsets are
 * offsets into it:
 *
 * - runs of CJK characters become their overlapping bigrams (決済障害 ->
 *   決済 済障 障害), so that a two-character word is found inside a longer
 *   run; in the text, not in a query, a run's last character is also a
 *   token alone, so that a one-character prefix query finds every character;
 * - terminal escape sequences are separators, whole (their parameters would
 *   otherwise glue onto the next word);
 * - full-width letters and digits (ＡＰＩ) are read as ASCII;
 * - everything else goes to SQLite's porter stemmer over unicode61 (case and
 *   diacritics folded, "retries" and "retry" both "retri"), except the
 *   prefix of a prefix query, which is not a word and is not stemmed ("pay*"
 *   would otherwise look for "pai"). */

struct fk_tokenizer {
	fts5_tokenizer stemmed_api;
	Fts5Tokenizer *stemmed;
	fts5_tokenizer plain_api;
	Fts5Tokenizer *plain;
};

typedef int (*token_fn)(void *ctx, int flags, const char *token, int len, int start, int end);

/* Where an inner tokenizer's tokens go: offsets shifted by base, or
 * looked up in map when the text was folded first. */
struct relay {
	void *ctx;
	token_fn token;
	int base;
	const int *map;		/* folded byte offset -> original offset */
};

bool
store_is_cjk(uint32_t cp)
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

uint32_t
store_fold_width(uint32_t cp)
{
	if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
	    (cp >= 0xFF41 && cp <= 0xFF5A))
		return cp - 0xFEE0;
	return cp;
}

static int
relay_token(void *user, int flags, const char *token, int len, int start, int end)
{
	const struct relay *r = user;

	if (r->map != NULL)
		return r->token(r->ctx, flags, token, len, r->map[start], r->map[end]);
	return r->token(r->ctx, flags, token, len, r->base + start, r->base + end);
}

/* Text that is neither CJK nor an escape, through the inner tokenizer. */
static int
tokenize_words(struct fk_tokenizer *fk, void *ctx, int flags, const char *text, int from,
	       int to, token_fn token)
{
	const fts5_tokenizer *api = (flags & FTS5_TOKENIZE_PREFIX) ? &fk->plain_api
								  : &fk->stemmed_api;
	Fts5Tokenizer *inner = (flags & FTS5_TOKENIZE_PREFIX) ? fk->plain : fk->stemmed;
	struct relay r = { .ctx = ctx, .token = token, .base = from };
	bool wide = false;
	int rc;

	if (to <= from)
		return SQLITE_OK;
	/* U+FF10..U+FF5A, the full-width letters and digits, are EF BC/BD xx */
	for (int i = from; i + 1 < to && !wide; i++)
		wide = (unsigned char)text[i] == 0xEF &&
		       ((unsigned char)text[i + 1] == 0xBC || (unsigned char)text[i + 1] == 0xBD);
	if (!wide)
		return api->xTokenize(inner, &r, flags, text + from, to - from, relay_token);

	char *folded = xmalloc((size_t)(to - from) + 1);
	int *map = xreallocarray(NULL, (size_t)(to - from) + 1, sizeof(int)), n = 0;
	for (int i = from; i < to;) {
		uint32_t cp;
		int len = (int)text_utf8_decode(text + i, (size_t)(to - i), &cp);
		uint32_t f = store_fold_width(cp);
		if (f != cp) {
			map[n] = i;
			folded[n++] = (char)f;
		} else {
			for (int k = 0; k < len; k++) {
				map[n] = i + k;
				folded[n++] = text[i + k];
			}
		}
		i += len;
	}
	map[n] = to;
	r.map = map;
	rc = api->xTokenize(inner, &r, flags, folded, n, relay_token);
	free(folded);
	free(map);
	return rc;
}

/* The CJK run at text[from], as bigrams; returns its end in *to. */
static int
tokenize_cjk(void *ctx, int flags, const char *text, int from, int len, int *to,
	     token_fn token)
{
	uint32_t cp;
	int a = from, b = from + (int)text_utf8_decode(text + from, (size_t)(len - from), &cp);
	int chars = 1, rc = SQLITE_OK;

	while (b < len && rc == SQLITE_OK) {
		int n = (int)text_utf8_decode(text + b, (size_t)(len - b), &cp);
		if (!store_is_cjk(cp))
			break;
		rc = token(ctx, 0, text + a, b + n - a, a, b + n);
		a = b;
		b += n;
		chars++;
	}
	if (rc == SQLITE_OK && (chars == 1 || !(flags & FTS5_TOKENIZE_QUERY)))
		rc = token(ctx, 0, text + a, b - a, a, b);
	*to = b;
	return rc;
}

static int
fk_tokenize(Fts5Tokenizer *self, void *ctx, int flags, const char *text, int len,
	    token_fn token)
{
	struct fk_tokenizer *fk = (struct fk_tokenizer *)self;
	int i = 0, words = 0, rc = SQLITE_OK;

	while (i < len && rc == SQLITE_OK) {
		unsigned char c = (unsigned char)text[i];
		uint32_t cp;

		if (c == 0x1B) {
			rc = tokenize_words(fk, ctx, flags, text, words, i, token);
			i += (int)text_escape_length(text + i, (size_t)(len - i));
			words = i;
			continue;
		}
		if (c < 0x80) {
			i++;
			continue;
		}
		int n = (int)text_utf8_decode(text + i, (size_t)(len - i), &cp);
		if (!store_is_cjk(cp)) {
			i += n;
			continue;
		}
		rc = tokenize_words(fk, ctx, flags, text, words, i, token);
		if (rc == SQLITE_OK)
			rc = tokenize_cjk(ctx, flags, text, i, len, &i, token);
		words = i;
	}
	if (rc == SQLITE_OK)
		rc = tokenize_words(fk, ctx, flags, text, words, len, token);
	return rc;
}

static void
fk_delete(Fts5Tokenizer *self)
{
	struct fk_tokenizer *fk = (struct fk_tokenizer *)self;

	if (fk == NULL)
		return;
	if (fk->stemmed != NULL)
		fk->stemmed_api.xDelete(fk->stemmed);
	if (fk->plain != NULL)
		fk->plain_api.xDelete(fk->plain);
	free(fk);
}

static int
fk_create(void *user, const char **args, int n_args, Fts5Tokenizer **out)
{
	static const char *const stemmed_args[] = { "unicode61", "remove_diacritics", "2" };
	fts5_api *api = user;
	struct fk_tokenizer *fk = xcalloc(1, sizeof(*fk));
	void *stemmed_user = NULL, *plain_user = NULL;
	int rc;

	(void)args;
	(void)n_args;
	rc = api->xFindTokenizer(api, "porter", &stemmed_user, &fk->stemmed_api);
	if (rc == SQLITE_OK)
		rc = fk->stemmed_api.xCreate(stemmed_user, (const char **)stemmed_args, 3,
					     &fk->stemmed);
	if (rc == SQLITE_OK)
		rc = api->xFindTokenizer(api, "unicode61", &plain_user, &fk->plain_api);
	if (rc == SQLITE_OK)
		rc = fk->plain_api.xCreate(plain_user, (const char **)stemmed_args + 1, 2,
					   &fk->plain);
	if (rc != SQLITE_OK) {
		fk_delete((Fts5Tokenizer *)fk);
		*out = NULL;
		return rc;
	}
	*out = (Fts5Tokenizer *)fk;
	return SQLITE_OK;
}

fts5_api *
store_fts5(struct store *st)
{
	sqlite3_stmt *stmt = NULL;

	if (st->fts5 != NULL)
		return st->fts5;
	if (sqlite3_prepare_v2(st->db, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(stmt, 1, (void *)&st->fts5, "fts5_api_ptr", NULL);
	sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return st->fts5;
}

int
store_tokenizer_register(struct store *st, char **err)
{
	fts5_tokenizer methods = {
		.xCreate = fk_create, .xDelete = fk_delete, .xTokenize = fk_tokenize,
	};
	fts5_api *api = store_fts5(st);

	if (api == NULL ||
	    api->xCreateTokenizer(api, "furikaeri", api, &methods, NULL) != SQLITE_OK) {
		store_fail(st, err, "cannot set up searching (this SQLite has no FTS5)");
		return -1;
	}
	return 0;
}

static int
stem_token(void *user, int flags, const char *token, int len, int start, int end)
{
	struct strbuf *sb = user;

	(void)start;
	(void)end;
	if (!(flags & FTS5_TOKEN_COLOCATED) && sb->len == 0)
		strbuf_add(sb, token, (size_t)len);
	return SQLITE_OK;
}

/* The first token this tokenizer makes of word as a query: what the index
 * holds for it. */
char *
store_stem(struct store *st, const char *word)
{
	struct strbuf sb = STRBUF_INIT;
	Fts5Tokenizer *t = NULL;
	fts5_api *api = store_fts5(st);

	if (api == NULL || fk_create(api, NULL, 0, &t) != SQLITE_OK)
		return NULL;
	fk_tokenize(t, &sb, FTS5_TOKENIZE_QUERY, word, (int)strlen(word), stem_token);
	fk_delete(t);
	if (sb.len == 0) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}
