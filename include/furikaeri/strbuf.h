#ifndef FURIKAERI_STRBUF_H
#define FURIKAERI_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

/* A growable, always NUL-terminated byte buffer. A zeroed struct is an
 * empty buffer; `buf` is NULL until something is added. */
struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

#define STRBUF_INIT { NULL, 0, 0 }

void strbuf_add(struct strbuf *sb, const char *data, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addc(struct strbuf *sb, char c);
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
