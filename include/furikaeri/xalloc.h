#ifndef FURIKAERI_XALLOC_H
#define FURIKAERI_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

/* Allocation that never returns NULL: on exhaustion the hook runs (the UI
 * uses it to restore the terminal), a message is printed and the process
 * aborts. Every returned pointer is owned by the caller. */

typedef void (*xalloc_hook_fn)(void);

void xalloc_set_hook(xalloc_hook_fn hook);
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Grows an array of n elements of size bytes to at least want elements. */
void *xreallocarray(void *ptr, size_t n, size_t size);
char *xstrdup(const char *s);
/* NULL in, NULL out. */
char *xstrdup_or_null(const char *s);
/* The first n bytes of s, or all of s when it is shorter (its NUL ends
 * the copy, as strndup). */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* xasprintf with a va_list (owned). */
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* Overwrites a secret (a token, a password) before freeing it, so it does
 * not linger in freed memory; NULL does nothing. */
void xfree_secret(char *s);

#endif
