#ifndef FURIKAERI_ERR_H
#define FURIKAERI_ERR_H

/* Error messages for a human. Functions that can fail take `char **err`
 * (which may be NULL) and, on failure, store there a newly allocated message
 * the caller frees: what went wrong, where (file:line, or request and
 * status) and what to do. */

/* Replaces *err (freeing any previous message) unless err is NULL. */
void err_set(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prepends "prefix: " to an existing message. */
void err_prefix(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
