#ifndef FURIKAERI_LOG_H
#define FURIKAERI_LOG_H

#include <stdbool.h>

/* A debug log to a file, off until log_open is called (by -v, or by
 * log_open_from_env for FURIKAERI_LOG=PATH). Every line goes through
 * log_redact first, so an Authorization header value or a registered
 * secret never reaches the file. Safe to call from several threads. */

/* Opens (appending, mode 0600) the log file; replaces an open one. */
int log_open(const char *path, char **err);
/* Opens $FURIKAERI_LOG when set and not empty; 0 when unset. */
int log_open_from_env(char **err);
void log_close(void);
bool log_enabled(void);

/* Registers a secret (a token) to be replaced by "[redacted]" in every log
 * line; the log keeps its own copy. Secrets shorter than 4 bytes are
 * ignored (they would redact ordinary words). */
void log_add_secret(const char *secret);
/* Forgets every registered secret, wiping the copies. */
void log_clear_secrets(void);
/* Returns a copy of s (owned) with the values of "Authorization:" and
 * "Proxy-Authorization:" headers and every registered secret replaced by
 * "[redacted]". */
char *log_redact(const char *s);

void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
