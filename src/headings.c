#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/err.h"
#include "furikaeri/hash.h"
#include "furikaeri/headings.h"
#include "furikaeri/paths.h"
#include "furikaeri/postmortem.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

struct synonym {
	char *key;
	char *norm;		/* headings_normalise() of the synonym */
	size_t len;
	bool ascii;
};

struct headings {
	struct synonym *syn;
	size_t n, cap;
};

static bool
is_open_bracket(uint32_t cp)
{
	return cp == '(' || cp == '[' || cp == '{' || cp == 0xFF08 || cp == 0x3010 ||
	       cp == 0xFF3B || cp == 0x3014;
}

static bool
is_close_bracket(uint32_t cp)
{
	return cp == ')' || cp == ']' || cp == '}' || cp == 0xFF09 || cp == 0x3011 ||
	       cp == 0xFF3D || cp == 0x3015;
}

/* Emoji, pictographs, arrows, dingbats, circled numbers, and the pilcrow
 * and section signs documentation generators put beside a heading as its
 * permalink: decoration. */
static bool
is_decoration(uint32_t cp)
{
	return cp == 0xB6 || cp == 0xA7 || (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2190 && cp <= 0x21FF) ||
	       (cp >= 0x2300 && cp <= 0x23FF) || (cp >= 0x2460 && cp <= 0x24FF) ||
	       (cp >= 0x25A0 && cp <= 0x27BF) || (cp >= 0x2B00 && cp <= 0x2BFF) ||
	       (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0x200D || cp == 0x20E3 ||
	       cp == 0xFFFD;
}

static bool
is_separator(uint32_t cp)
{
	if (cp < 0x80)
		return !((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp == '\'');
	return (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
	       cp == 0x30FB || cp == 0xA0;
}

/* Bytes of a generator's artifact at s, at a word's start, or 0: an
 * anchor's slug ("#action-items ", as a wiki export leaves before the
 * text) or an emoji shortcode (":rotating_light:"). */
static size_t
artifact_length(const char *s)
{
	size_t n = 1;

	if (s[0] == '#') {
		while (s[n] != '\0' && s[n] != ' ' && (unsigned char)s[n] < 0x80)
			n++;
		return n > 1 && s[n] == ' ' ? n : 0;
	}
	if (s[0] == ':') {
		while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') ||
		       s[n] == '_' || s[n] == '+' || s[n] == '-')
			n++;
		return n > 1 && s[n] == ':' ? n + 1 : 0;
	}
	return 0;
}

/* One pass over the code points; asides are dropped unless that leaves nothing. */
static void
normalise_into(struct strbuf *out, const char *s, bool drop_asides)
{
	size_t len = strlen(s), i = 0;
	int depth = 0;
	bool space = true;

	while (i < len) {
		uint32_t cp;
		size_t skip;

		if ((i == 0 || s[i - 1] == ' ') && (skip = artifact_length(s + i)) > 0) {
			i += skip;
			continue;
		}
		i += text_utf8_decode(s + i, len - i, &cp);
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			cp -= 0xFEE0;
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		if (drop_asides && is_open_bracket(cp)) {
			depth++;
			continue;
		}
		if (drop_asides && depth > 0) {
			if (is_close_bracket(cp))
				depth--;
			continue;
		}
		if (cp == '\'' || cp == 0x2019)
			continue;
		if (is_separator(cp) || is_decoration(cp)) {
			if (!space)
				strbuf_addc(out, ' ');
			space = true;
			continue;
		}
		char buf[4];
		strbuf_add(out, buf, text_utf8_encode(cp, buf));
		space = false;
	}
	strbuf_rtrim(out);
}

static bool
is_roman(const char *w, size_t n)
{
	static const char *const numerals[] = {
		"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii",
	};

	for (size_t i = 0; i < sizeof(numerals) / sizeof(numerals[0]); i++)
		if (strlen(numerals[i]) == n && strncmp(w, numerals[i], n) == 0)
			return true;
	return false;
}

static bool
is_kanji_digit(const char *s)
{
	static const char *const digits[] = {
		"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "〇",
	};

	for (size_t i = 0; i < sizeof(digits) / sizeof(digits[0]); i++)
		if (strncmp(s, digits[i], 3) == 0)
			return true;
	return false;
}

/* Length of a leading "3 ", "ii ", "第3章" numbering token, or 0. */
static size_t
numbering_length(const char *s)
{
	size_t n = 0;

	if (strncmp(s, "第", 3) == 0) {
		n = 3;
		while ((s[n] >= '0' && s[n] <= '9') || is_kanji_digit(s + n))
			n += (s[n] >= '0' && s[n] <= '9') ? 1 : 3;
		if (n > 3 && (strncmp(s + n, "章", 3) == 0 || strncmp(s + n, "節", 3) == 0 ||
			      strncmp(s + n, "部", 3) == 0 || strncmp(s + n, "項", 3) == 0))
			n += 3;
		else if (n == 3)
			return 0;
	} else if (s[0] >= '0' && s[0] <= '9') {
		while (s[n] >= '0' && s[n] <= '9')
			n++;
	} else {
		while (s[n] >= 'a' && s[n] <= 'z')
			n++;
		if (!is_roman(s, n))
			return 0;
	}
	if (s[n] == ' ')
		return n + 1;
	/* "3章" or "第3章概要": numbering glued to CJK text */
	if (n > 0 && (unsigned char)s[n] >= 0x80 && strncmp(s, "第", 3) == 0)
		return n;
	return 0;
}

char *
headings_normalise(const char *heading)
{
	struct strbuf sb = STRBUF_INIT;
	size_t skip = 0, n;

	normalise_into(&sb, heading, true);
	if (sb.len == 0)
		normalise_into(&sb, heading, false);
	const char *s = strbuf_str(&sb);
	while ((n = numbering_length(s + skip)) > 0 && s[skip + n] != '\0')
		skip += n;
	char *out = xstrdup(s + skip);
	strbuf_release(&sb);
	return out;
}

static struct headings *
headings_new(void)
{
	return xcalloc(1, sizeof(struct headings));
}

void
headings_free(struct headings *h)
{
	if (h == NULL)
		return;
	for (size_t i = 0; i < h->n; i++) {
		free(h->syn[i].key);
		free(h->syn[i].norm);
	}
	free(h->syn);
	free(h);
}

int
headings_add(struct headings *h, const char *key, const char *synonym)
{
	char *norm = headings_normalise(synonym);

	if (norm[0] == '\0') {
		free(norm);
		return -1;
	}
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 64;
		h->syn = xreallocarray(h->syn, h->cap, sizeof(struct synonym));
	}
	struct synonym *s = &h->syn[h->n++];
	s->key = xstrdup(key);
	s->norm = norm;
	s->len = strlen(norm);
	s->ascii = true;
	for (size_t i = 0; i < s->len; i++)
		if ((unsigned char)norm[i] >= 0x80)
			s->ascii = false;
	return 0;
}

size_t
headings_count(const struct headings *h)
{
	return h->n;
}

static bool
valid_key(const char *name, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
		      name[i] == '_'))
			return false;
	return true;
}

static int
load_file(struct headings *h, const char *path, const char *key, char **err)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	int lineno = 0, rc = 0;

	if (f == NULL) {
		err_set(err, "%s: cannot read heading synonyms: %s", path, strerror(errno));
		return -1;
	}
	while ((got = getline(&line, &cap, f)) >= 0) {
		lineno++;
		size_t n = (size_t)got;
		if (lineno == 1 && n >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
			memmove(line, line + 3, n - 2);
			n -= 3;
		}
		if (!text_utf8_valid(line, n) || memchr(line, '\0', n) != NULL) {
			err_set(err, "%s:%d: not valid UTF-8 text; save the file as UTF-8", path,
				lineno);
			rc = -1;
			break;
		}
		for (size_t i = 0; i < n; i++) {
			if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
				line[i] = '\0';
				break;
			}
		}
		char *t = text_trim(line);
		if (t[0] != '\0' && headings_add(h, key, t) != 0) {
			err_set(err, "%s:%d: \"%s\" has no words left once numbering and "
				"punctuation are removed; write the heading's words or delete the line",
				path, lineno, t);
			free(t);
			rc = -1;
			break;
		}
		free(t);
	}
	if (rc == 0 && ferror(f)) {
		err_set(err, "%s: read error: %s", path, strerror(errno));
		rc = -1;
	}
	free(line);
	fclose(f);
	return rc;
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
load_dir(struct headings *h, const char *dir, char **err)
{
	DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	int rc = 0;

	if (d == NULL) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		err_set(err, "%s: cannot open the heading synonyms folder: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (len > 4 && strcmp(de->d_name + len - 4, ".txt") == 0 &&
		    valid_key(de->d_name, len - 4)) {
			names = xreallocarray(names, n + 1, sizeof(char *));
			names[n++] = xstrdup(de->d_name);
		}
	}
	closedir(d);
	/* a stable order, so that ties between equal synonyms do not depend on the disk */
	qsort(names, n, sizeof(char *), compare_names);
	for (size_t i = 0; i < n; i++) {
		if (rc == 0) {
			char *path = paths_join(dir, names[i]);
			names[i][strlen(names[i]) - 4] = '\0';
			rc = load_file(h, path, names[i], err);
			free(path);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

struct headings *
headings_load(const char *const *dirs, size_t n_dirs, char **err)
{
	struct headings *h = headings_new();

	for (size_t i = 0; i < n_dirs; i++) {
		if (load_dir(h, dirs[i], err) != 0) {
			headings_free(h);
			return NULL;
		}
	}
	return h;
}

struct headings *
headings_load_default(char **err)
{
	char *data = paths_data_dir();
	char *dir = paths_join(data, "headings");
	const char *dirs[] = { dir };
	struct headings *h = headings_load(dirs, 1, err);

	free(dir);
	free(data);
	return h;
}

/* Optimal string alignment distance of at most one: one substitution,
 * insertion, deletion or swap of neighbours. */
static bool
within_one_edit(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0;

	if (na > nb + 1 || nb > na + 1)
		return false;
	while (i < na && i < nb && a[i] == b[i])
		i++;
	if (i == na && i == nb)
		return true;
	if (na == nb) {
		if (strncmp(a + i + 1, b + i + 1, na - i - 1) == 0)
			return true;
		return i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] &&
		       strncmp(a + i + 2, b + i + 2, na - i - 2) == 0;
	}
	if (na > nb)
		return strncmp(a + i + 1, b + i, nb - i) == 0;
	return strncmp(a + i, b + i + 1, na - i) == 0;
}

/* Whether the words s[0..n) are all words a heading may open with
 * ("The", "Our", "Incident", "Detailed") before its synonym. */
static bool
only_fillers(const char *s, size_t n)
{
	static const char *const fillers[] = { "the", "our", "a", "an", "incident", "detailed",
					       "full", "brief", "short", "key", "main", "initial",
					       "final", "overall", "postmortem", "executive" };
	size_t i = 0;

	while (i < n) {
		size_t w = i;
		while (w < n && s[w] != ' ')
			w++;
		bool ok = false;
		for (size_t k = 0; !ok && k < sizeof(fillers) / sizeof(fillers[0]); k++)
			ok = strlen(fillers[k]) == w - i && strncmp(s + i, fillers[k], w - i) == 0;
		if (!ok)
			return false;
		i = w + 1;
	}
	return true;
}

/* Whether the words from s on qualify what came before ("on checkout",
 * "of events", "and contributing factors") rather than change it ("taken"). */
static bool
qualifier(const char *s)
{
	static const char *const words[] = { "on", "of", "for", "in", "to", "at", "during",
					     "from", "with", "and", "by", "per", "after",
					     "before", "since", "as", "vs" };

	for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
		size_t n = strlen(words[k]);
		if (strncmp(s, words[k], n) == 0 && (s[n] == ' ' || s[n] == '\0'))
			return true;
	}
	return false;
}

/* Whether syn names the heading s. Latin synonyms are words and phrases:
 * the heading is the synonym, maybe after opening words such as "The" and
 * before a qualifier ("Impact on checkout"), never any heading that merely
 * contains the words ("Actions taken", "Things to fix"). Japanese has no
 * spaces to tell words by, so there the synonym may stand anywhere. */
static bool
contains(const char *s, size_t n, const struct synonym *syn)
{
	const char *p = s;

	if (strncmp(syn->key, "meta_", 5) == 0)
		return false;	/* "## Date" only as itself */
	while ((p = strstr(p, syn->norm)) != NULL) {
		if (!syn->ascii)
			return true;
		size_t at = (size_t)(p - s), end = at + syn->len;
		if ((at == 0 || s[at - 1] == ' ') && (end == n || s[end] == ' ') &&
		    (at == 0 || only_fillers(s, at - 1)) && (end == n || qualifier(s + end + 1)))
			return true;
		p++;
	}
	return false;
}

static const char *match_whole(const struct headings *h, const char *heading);

/* Where a subtitle starts ("Root cause: why the queue stalled", "Impact —
 * checkout"), or NULL. */
static const char *
subtitle(const char *heading)
{
	static const char *const marks[] = { ": ", "：", " — ", " – ", " - " };
	const char *first = NULL;

	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		const char *at = strstr(heading, marks[i]);
		if (at != NULL && at > heading && (first == NULL || at < first))
			first = at;
	}
	return first;
}

const char *
headings_match(const struct headings *h, const char *heading)
{
	const char *key, *sub;

	if (h == NULL)
		return NULL;
	if ((key = match_whole(h, heading)) != NULL || (sub = subtitle(heading)) == NULL)
		return key;
	/* the title before its subtitle */
	char *title = xstrndup(heading, (size_t)(sub - heading));
	key = match_whole(h, title);
	free(title);
	return key;
}

static const char *
match_whole(const struct headings *h, const char *heading)
{
	char *norm = headings_normalise(heading);
	size_t n = strlen(norm);
	const struct synonym *best = NULL;

	if (n == 0) {
		free(norm);
		return NULL;
	}
	for (size_t i = 0; i < h->n && best == NULL; i++)
		if (h->syn[i].len == n && strcmp(h->syn[i].norm, norm) == 0)
			best = &h->syn[i];
	/* else the longest synonym inside the heading: the most specific one */
	if (best == NULL) {
		for (size_t i = 0; i < h->n; i++) {
			const struct synonym *s = &h->syn[i];
			if (s->len < n && (best == NULL || s->len > best->len) && contains(norm, n, s))
				best = s;
		}
	}
	for (size_t i = 0; i < h->n && best == NULL; i++) {
		const struct synonym *s = &h->syn[i];
		if (s->ascii && s->len >= 6 && strncmp(s->key, "meta_", 5) != 0 &&
		    within_one_edit(norm, n, s->norm, s->len))
			best = s;
	}
	free(norm);
	return best != NULL ? best->key : NULL;
}

void
headings_settle_readiness(const struct headings *readiness, struct postmortem *pm)
{
	const char *key;

	if (pm->status != NULL && readiness != NULL &&
	    (key = headings_match(readiness, pm->status)) != NULL &&
	    strcmp(key, "not_ready") == 0)
		pm->not_ready = true;
}

uint64_t
headings_fingerprint(const struct headings *h)
{
	uint64_t f = HASH_INIT;

	for (size_t i = 0; h != NULL && i < h->n; i++) {
		f = hash_bytes(f, h->syn[i].key, strlen(h->syn[i].key));
		f = hash_bytes(f, "\x01", 1);
		f = hash_bytes(f, h->syn[i].norm, strlen(h->syn[i].norm));
		f = hash_bytes(f, "\x02", 1);
	}
	return f;
}
