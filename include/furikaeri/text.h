#ifndef FURIKAERI_TEXT_H
#define FURIKAERI_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* UTF-8 and display text. Width functions need an UTF-8 LC_CTYPE
 * (setlocale(LC_ALL, "") in main, "C.UTF-8" in tests). */

/* Decodes one code point at s (at most len bytes). Returns the number of
 * bytes used (>= 1 when len > 0) and stores the code point, or U+FFFD for an
 * invalid or truncated sequence (then 1 byte is used). */
size_t text_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Appends cp encoded as UTF-8 to out (room for 4 bytes); returns bytes. */
size_t text_utf8_encode(uint32_t cp, char *out);
bool text_utf8_valid(const char *s, size_t len);
/* Returns a copy in which every invalid byte is replaced by U+FFFD (owned). */
char *text_utf8_repair(const char *s, size_t len);

/* Returns a copy safe to show on a terminal (owned): escape sequences
 * (CSI, OSC, DCS, ...) are removed whole, other C0/C1 controls and DEL
 * become U+FFFD-like visible marks; newlines and tabs are kept when
 * keep_newlines, else turned into spaces. Invalid UTF-8 is repaired. */
char *text_sanitize(const char *s, bool keep_newlines);

/* Display columns of one code point (0 for combining, 2 for wide, 1 for
 * anything unprintable, as the sanitiser shows it). */
int text_cp_width(uint32_t cp);
/* Display columns of a UTF-8 string. */
size_t text_width(const char *s);

/* Trims ASCII and ideographic whitespace at both ends; returns a copy (owned). */
char *text_trim(const char *s);
/* Case-insensitive ASCII comparison; other bytes compare exactly. */
int text_casecmp(const char *a, const char *b);
bool text_starts_with(const char *s, const char *prefix);

#endif
