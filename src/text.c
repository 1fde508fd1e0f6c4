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

/* Length of the escape sequence starting at s[0] == ESC (or a C1 CSI/OSC). */
static size_t
escape_length(const unsigned char *s, size_t len)
{
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

char *
text_sanitize(const char *str, bool keep_newlines)
{
	const unsigned char *s = (const unsigned char *)str;
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(str), i = 0;
	uint32_t cp;

	while (i < len) {
		if (s[i] == 0x1B) {
			i += escape_length(s + i, len - i);
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
