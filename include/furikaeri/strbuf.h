#ifndef FURIKAERI_STRBUF_H
#define FURIKAERI_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

/* A growable, always NUL-terminated byte buffer. A zeroed struct is an
 * empty buffer; `buf` is NULL until something is added. */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

/* Makes room for extra more bytes (and the NUL). */
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_adds(struct strbuf *sb, const char *s);

/* Inline: parsers add a character at a time. */
static inline void
strbuf_add(struct strbuf *sb, const char *data, size_t len)
{
	if (sb->len + len + 1 > sb->cap)
		strbuf_grow(sb, len);
	if (len > 0)
		memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

static inline void
strbuf_addc(struct strbuf *sb, char c)
{
	if (sb->len + 2 > sb->cap)
		strbuf_grow(sb, 1);
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
void strbuf_reset(struct strbuf *sb);
/* Removes trailing ASCII whitespace. */
void strbuf_rtrim(struct strbuf *sb);
/* Returns the contents ("" when empty), never NULL; borrowed. */
const char *strbuf_str(const struct strbuf *sb);
/* Hands the contents to the caller (owned; "" when empty) and empties sb. */
char *strbuf_detach(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);

#endif
