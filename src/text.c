#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

#define REPLACEMENT 0xFFFDu

size_t
text_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c, min;
	size_t need;

	if (len == 0) {
		*cp = REPLACEMENT;
		return 0;
	}
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		need = 2, c &= 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		need = 3, c &= 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		need = 4, c &= 0x07, min = 0x10000;
	} else {
		*cp = REPLACEMENT;
		return 1;
	}
	if (len < need) {
		*cp = REPLACEMENT;
		return 1;
	}
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = REPLACEMENT;
			return 1;
		}
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
		*cp = REPLACEMENT;
		return 1;
	}
	*cp = c;
	return need;
}

size_t
text_utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* True when the bytes at s really encode U+FFFD, as opposed to a bad byte. */
static bool
is_literal_replacement(const char *s, size_t len)
{
	return len >= 3 && memcmp(s, "\xEF\xBF\xBD", 3) == 0;
}

bool
text_utf8_valid(const char *s, size_t len)
{
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		size_t n = text_utf8_decode(s + i, len - i, &cp);
		if (cp == REPLACEMENT && !is_literal_replacement(s + i, len - i))
			return false;
		i += n;
	}
	return true;
}

char *
text_utf8_repair(const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i = 0;
	uint32_t cp;

	while (i < len) {
		size_t n = text_utf8_decode(s + i, len - i, &cp);
		if (cp == REPLACEMENT && !is_literal_replacement(s + i, len - i))
			strbuf_add(&sb, "\xEF\xBF\xBD", 3);
		else
			strbuf_add(&sb, s + i, n);
		i += n;
	}
	return strbuf_detach(&sb);
}

size_t
text_escape_length(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i;

	if (len < 2)
		return len;
	switch (s[1]) {
	case '[':	/* CSI: parameters and intermediates, then a final byte */
		for (i = 2; i < len; i++)
			if (s[i] >= 0x40 && s[i] <= 0x7E)
				return i + 1;
		return len;
	case ']':	/* OSC, DCS, SOS, PM, APC: up to BEL or ST */
	case 'P':
	case 'X':
	case '^':
	case '_':
		for (i = 2; i < len; i++) {
			if (s[i] == 0x07)
				return i + 1;
			if (s[i] == 0x1B && i + 1 < len && s[i + 1] == '\\')
				return i + 2;
		}
		return len;
	default:	/* two- or three-byte escapes such as ESC ( B */
		if (s[1] >= 0x20 && s[1] <= 0x2F && len > 2)
			return 3;
		return 2;
	}
}

bool
text_is_link_url(const char *s, const char *syntax)
{
	if (s == NULL || (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0) ||
	    strchr(s, ' ') != NULL || strpbrk(s, syntax) != NULL)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7F || (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F))
			return false;
	return true;
}

char *
text_sanitize(const char *str, bool keep_newlines)
{
	const unsigned char *s = (const unsigned char *)str;
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(str), i = 0;
	uint32_t cp;

	strbuf_grow(&sb, len);
	while (i < len) {
		/* printable ASCII, most of any text, is copied a run at a time */
		size_t run = i;
		while (run < len && s[run] >= 0x20 && s[run] < 0x7F)
			run++;
		if (run > i) {
			strbuf_add(&sb, str + i, run - i);
			i = run;
			continue;
		}
		if (s[i] == 0x1B) {
			i += text_escape_length(str + i, len - i);
			continue;
		}
		size_t n = text_utf8_decode(str + i, len - i, &cp);
		if (cp == REPLACEMENT && !is_literal_replacement(str + i, len - i)) {
			strbuf_add(&sb, "\xEF\xBF\xBD", 3);
		} else if (cp == '\n' || cp == '\t') {
			strbuf_addc(&sb, keep_newlines ? (char)cp : ' ');
		} else if (cp == '\r') {
			/* dropped: CRLF line ends must not move the cursor */
		} else if (cp < 0x20 || cp == 0x7F) {
			/* show C0 controls as their Control Pictures glyph */
			char buf[4];
			strbuf_add(&sb, buf, text_utf8_encode(cp == 0x7F ? 0x2421 : 0x2400 + cp, buf));
		} else if (cp >= 0x80 && cp < 0xA0) {
			strbuf_add(&sb, "\xEF\xBF\xBD", 3);
		} else {
			strbuf_add(&sb, str + i, n);
		}
		i += n;
	}
	return strbuf_detach(&sb);
}

int
text_cp_width(uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);

	if (w < 0)
		return 1;
	return w;
}

size_t
text_width(const char *s)
{
	size_t len = strlen(s), i = 0, w = 0;
	uint32_t cp;

	while (i < len) {
		i += text_utf8_decode(s + i, len - i, &cp);
		w += (size_t)text_cp_width(cp);
	}
	return w;
}

static size_t
space_length(const char *s, size_t len)
{
	if (len >= 1 && isspace((unsigned char)s[0]))
		return 1;
	if (len >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0)	/* U+3000 */
		return 3;
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)	/* BOM */
		return 3;
	if (len >= 2 && memcmp(s, "\xC2\xA0", 2) == 0)	/* NBSP */
		return 2;
	return 0;
}

char *
text_trim(const char *s)
{
	size_t len = strlen(s), start = 0, end = len, n;

	while (start < len && (n = space_length(s + start, len - start)) > 0)
		start += n;
	while (end > start) {
		if (isspace((unsigned char)s[end - 1]))
			end--;
		else if (end - start >= 3 && memcmp(s + end - 3, "\xE3\x80\x80", 3) == 0)
			end -= 3;
		else if (end - start >= 2 && memcmp(s + end - 2, "\xC2\xA0", 2) == 0)
			end -= 2;
		else
			break;
	}
	return xstrndup(s + start, end - start);
}

int
text_casecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int ca = tolower((unsigned char)*a), cb = tolower((unsigned char)*b);
		if (ca != cb || ca == 0)
			return ca - cb;
	}
}

bool
text_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool
is_regional_indicator(uint32_t cp)
{
	return cp >= 0x1F1E6 && cp <= 0x1F1FF;
}

/* Code points that attach to the one before them. */
static bool
is_extender(uint32_t cp)
{
	if (cp >= 0x1F3FB && cp <= 0x1F3FF)	/* skin tone modifiers */
		return true;
	if (cp < 0x300)
		return false;
	return text_cp_width(cp) == 0;
}

/* End of the character starting at off, and its display width: the sum of
 * its code points' widths, as curses counts them, so that the columns
 * computed here match what the screen does. */
static size_t
cluster_end(const char *s, size_t len, size_t off, size_t *width)
{
	uint32_t cp, next;
	size_t i = off, n;

	n = text_utf8_decode(s + i, len - i, &cp);
	i += n;
	*width = (size_t)text_cp_width(cp);
	if (is_regional_indicator(cp) && i < len) {
		n = text_utf8_decode(s + i, len - i, &next);
		if (is_regional_indicator(next)) {
			i += n;
			*width += (size_t)text_cp_width(next);
		}
	}
	while (i < len) {
		n = text_utf8_decode(s + i, len - i, &next);
		if (cp == 0x200D || is_extender(next)) {
			/* after a joiner the next code point joins too */
			cp = next;
			i += n;
			*width += (size_t)text_cp_width(next);
			continue;
		}
		break;
	}
	return i;
}

size_t
text_next_char(const char *s, size_t len, size_t off)
{
	size_t w;

	if (off >= len)
		return len;
	return cluster_end(s, len, off, &w);
}

/* Start of the code point that ends at off. */
static size_t
cp_before(const char *s, size_t off)
{
	size_t i = off;

	do
		i--;
	while (i > 0 && off - i < 4 && ((unsigned char)s[i] & 0xC0) == 0x80);
	return i;
}

static uint32_t
cp_at(const char *s, size_t len, size_t off)
{
	uint32_t cp;

	text_utf8_decode(s + off, len - off, &cp);
	return cp;
}

size_t
text_prev_char(const char *s, size_t off)
{
	size_t len = off, p, start, end, w;

	if (off == 0)
		return 0;
	/* walk back to a code point that surely starts a character, then
	 * step forward by characters */
	p = cp_before(s, off);
	while (p > 0) {
		uint32_t cp = cp_at(s, len, p);
		size_t q = cp_before(s, p);
		uint32_t before = cp_at(s, len, q);
		if (is_extender(cp) || cp == 0x200D || before == 0x200D ||
		    (is_regional_indicator(cp) && is_regional_indicator(before)))
			p = q;
		else
			break;
	}
	start = p;
	while ((end = cluster_end(s, len, start, &w)) < off)
		start = end;
	return start;
}

size_t
text_col_of(const char *s, size_t off)
{
	size_t len = strlen(s), i = 0, col = 0, w, end;

	if (off > len)
		off = len;
	while (i < off && (end = cluster_end(s, len, i, &w)) <= off) {
		col += w;
		i = end;
	}
	return col;
}

size_t
text_offset_of_col(const char *s, size_t col)
{
	size_t len = strlen(s), i = 0, at = 0, w, end;

	while (i < len) {
		end = cluster_end(s, len, i, &w);
		if (at + w > col)
			return i;
		at += w;
		i = end;
	}
	return len;
}

char *
text_truncate(const char *s, size_t width)
{
	size_t len = strlen(s), i = 0, col = 0, w, end;

	if (text_width(s) <= width)
		return xstrdup(s);
	if (width == 0)
		return xstrdup("");
	while (i < len) {
		end = cluster_end(s, len, i, &w);
		if (col + w > width - 1)
			break;
		col += w;
		i = end;
	}
	return xasprintf("%.*s\xE2\x80\xA6", (int)i, s);
}

/* Characters a line must not start with (Japanese kinsoku shori). */
static bool
no_line_start(uint32_t cp)
{
	static const uint32_t list[] = {
		',', '.', ';', ':', '!', '?', ')', ']', '}', '%',
		0x3001, 0x3002, 0xFF0C, 0xFF0E, 0x30FB, 0xFF1A, 0xFF1B, 0xFF1F, 0xFF01,
		0x30FC, 0x300D, 0x300F, 0xFF09, 0xFF3D, 0xFF5D, 0x3015, 0x3009, 0x300B,
		0x3011, 0x3019, 0x3017, 0x301F, 0x2019, 0x201D, 0xFF60, 0x00BB, 0x2010,
		0x2026, 0x2025, 0x3005, 0x309D, 0x309E, 0x30FD, 0x30FE, 0x301C, 0xFF5E,
		0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083, 0x3085, 0x3087,
		0x308E, 0x3095, 0x3096, 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30C3,
		0x30E3, 0x30E5, 0x30E7, 0x30EE, 0x30F5, 0x30F6,
	};

	for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++)
		if (list[i] == cp)
			return true;
	return false;
}

/* Characters a line must not end with. */
static bool
no_line_end(uint32_t cp)
{
	static const uint32_t list[] = {
		'(', '[', '{', 0x300C, 0x300E, 0xFF08, 0xFF3B, 0xFF5B, 0x3014, 0x3008,
		0x300A, 0x3010, 0x3018, 0x3016, 0x301D, 0x2018, 0x201C, 0xFF5F, 0x00AB,
	};

	for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++)
		if (list[i] == cp)
			return true;
	return false;
}

static bool
is_break_space(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == 0x3000;
}

struct wrapper {
	struct text_span *spans;
	size_t n;
	size_t cap;
};

static void
emit(struct wrapper *wr, size_t off, size_t end, size_t width)
{
	if (wr->n == wr->cap) {
		wr->cap = wr->cap ? wr->cap * 2 : 16;
		wr->spans = xreallocarray(wr->spans, wr->cap, sizeof(*wr->spans));
	}
	wr->spans[wr->n++] = (struct text_span){ .off = off, .len = end - off, .width = width };
}

/* Wraps one paragraph s[from..to) (no newline inside). */
static void
wrap_paragraph(struct wrapper *wr, const char *s, size_t from, size_t to, size_t width)
{
	size_t line = from, col = 0, i = from;
	bool have_brk = false, in_space = false, prev_wide = false;
	size_t brk_end = 0, brk_end_col = 0, brk_resume = 0, brk_resume_col = 0;
	size_t space_start = 0, space_col = 0;
	uint32_t prev_cp = 0;

	while (i < to) {
		size_t w, end = cluster_end(s, to, i, &w);
		uint32_t cp = cp_at(s, to, i);

		if (is_break_space(cp)) {
			if (!in_space) {
				in_space = true;
				space_start = i;
				space_col = col;
			}
			col += w;
			i = end;
			continue;
		}
		if (in_space) {
			in_space = false;
			if (space_start > line) {
				have_brk = true;
				brk_end = space_start;
				brk_end_col = space_col;
				brk_resume = i;
				brk_resume_col = col;
			}
		} else if (i > line && (prev_wide || w == 2) && !no_line_end(prev_cp) &&
			   !no_line_start(cp)) {
			have_brk = true;
			brk_end = brk_resume = i;
			brk_end_col = brk_resume_col = col;
		}
		while (col + w > width && i > line) {
			if (have_brk) {
				emit(wr, line, brk_end, brk_end_col);
				line = brk_resume;
				col -= brk_resume_col;
				have_brk = false;
			} else {
				emit(wr, line, i, col);
				line = i;
				col = 0;
			}
		}
		col += w;
		prev_wide = w == 2;
		prev_cp = cp;
		i = end;
	}
	if (in_space)
		emit(wr, line, space_start > line ? space_start : line, space_start > line ? space_col : 0);
	else
		emit(wr, line, to, col);
}

size_t
text_wrap_spans(const char *s, size_t width, struct text_span **spans)
{
	struct wrapper wr = { 0 };
	size_t len = strlen(s), start = 0;

	if (width == 0)
		width = 1;
	while (start < len) {
		const char *nl = memchr(s + start, '\n', len - start);
		size_t end = nl != NULL ? (size_t)(nl - s) : len, to = end;
		if (to > start && s[to - 1] == '\r')
			to--;
		wrap_paragraph(&wr, s, start, to, width);
		start = end + 1;
	}
	*spans = wr.spans;
	return wr.n;
}

void
text_wrap(const char *s, size_t width, char ***lines, size_t *n)
{
	struct text_span *spans;
	size_t count = text_wrap_spans(s, width, &spans);

	*lines = count > 0 ? xcalloc(count, sizeof(char *)) : NULL;
	for (size_t i = 0; i < count; i++)
		(*lines)[i] = xstrndup(s + spans[i].off, spans[i].len);
	*n = count;
	free(spans);
}

void
text_lines_free(char **lines, size_t n)
{
	if (lines == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

static bool
is_block_start(const char *line)
{
	while (*line == ' ')
		line++;
	if ((line[0] == '-' || line[0] == '*' || line[0] == '+' || line[0] == '>') && line[1] == ' ')
		return true;
	if (line[0] == '|')
		return true;
	const char *p = line;
	while (*p >= '0' && *p <= '9')
		p++;
	return p > line && (*p == '.' || *p == ')') && p[1] == ' ';
}

/* True for the scripts written without spaces between words. */
static bool
is_cjk(uint32_t cp)
{
	return (cp >= 0x3000 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x2FFFF);
}

char *
text_unwrap(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	const char *line = s;
	bool blank = false, prev_table = false;

	while (*line != '\0') {
		const char *nl = strchr(line, '\n');
		size_t len = nl != NULL ? (size_t)(nl - line) : strlen(line);
		const char *next = nl != NULL ? nl + 1 : line + len;

		while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\r'))
			len--;
		if (len == 0) {
			blank = sb.len > 0;
			line = next;
			continue;
		}
		if (sb.len > 0 && blank) {
			strbuf_add(&sb, "\n\n", 2);
		} else if (sb.len > 0 && (prev_table || is_block_start(line))) {
			strbuf_addc(&sb, '\n');
		} else if (sb.len > 0) {
			/* the break was a soft wrap: a space, none between CJK */
			uint32_t before = 0, after = 0;
			size_t b = sb.len - 1;
			while (b > 0 && ((unsigned char)sb.buf[b] & 0xC0) == 0x80)
				b--;
			text_utf8_decode(sb.buf + b, sb.len - b, &before);
			while (len > 0 && *line == ' ')
				line++, len--;
			text_utf8_decode(line, len, &after);
			if (!(is_cjk(before) && is_cjk(after)))
				strbuf_addc(&sb, ' ');
		}
		prev_table = line[strspn(line, " ")] == '|';
		strbuf_add(&sb, line, len);
		blank = false;
		line = next;
	}
	return strbuf_detach(&sb);
}
