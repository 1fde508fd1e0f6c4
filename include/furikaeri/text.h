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
/* Whether s is an http(s) URL an export may link: no blank, none of the
 * characters in syntax (the link syntax's own, e.g. "<>" or "<>|"), no
 * control character (C0, DEL or C1, whose ESC ] 0 ; would reach whoever
 * reads the file). */
bool text_is_link_url(const char *s, const char *syntax);
/* Bytes of the terminal escape sequence at s (s[0] is ESC), at most len:
 * CSI up to its final byte, OSC/DCS/SOS/PM/APC up to BEL or ST, others two
 * or three bytes. An unterminated one runs to the end. */
size_t text_escape_length(const char *s, size_t len);

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

/* Display text for the screen: wrapping, truncation and the line editor's
 * cursor arithmetic, all in display columns. A "character" here is what the
 * cursor steps over and what is never split: a code point with the
 * zero-width marks after it (combining accents, variation selectors), emoji
 * joined by U+200D or a skin-tone modifier, and a pair of regional
 * indicators (a flag). A character's width is the sum of its code points'
 * widths (as curses and text_width count them). Offsets are byte offsets
 * into s. */

/* One line of wrapped text: s[off .. off+len), width display columns. */
struct text_span {
	size_t off;
	size_t len;
	size_t width;
};

/* Wraps s to lines of at most width columns (a width of 0 counts as 1).
 * Newlines end lines (a final newline adds no empty line; "" gives no
 * lines). Latin text breaks at spaces, which are dropped at the break; CJK
 * text (any 2-column character) may break between any two characters,
 * except that a line never starts with closing punctuation or small kana
 * (、。」）ー ぁ っ ...) nor ends with an opening bracket (「（ ...): the
 * character before moves down with it. A word longer than the line is
 * broken between characters; a character wider than the whole width gets a
 * line of its own. Linear in the length of s. Returns the number of lines;
 * *spans is owned by the caller (NULL when there are none). */
size_t text_wrap_spans(const char *s, size_t width, struct text_span **spans);
/* The same lines as copies: *lines (and each line) owned by the caller;
 * free them with text_lines_free. */
void text_wrap(const char *s, size_t width, char ***lines, size_t *n);
void text_lines_free(char **lines, size_t n);
/* A copy of s cut to at most width columns (owned): when s is wider, as
 * much as fits in width - 1 columns followed by "…". A wide character that
 * does not fit is left out whole, so the result may be a column narrower. */
char *text_truncate(const char *s, size_t width);

/* Line-editor helpers on the first len bytes of s. The byte offset of the
 * next character boundary after off (len at the end); use it to move the
 * cursor right and to delete forward. */
size_t text_next_char(const char *s, size_t len, size_t off);
/* The start of the character before off (0 at the start): cursor left and
 * backspace. */
size_t text_prev_char(const char *s, size_t off);
/* Display column of the byte offset off (off must be a character boundary;
 * a character that off falls inside is not counted). */
size_t text_col_of(const char *s, size_t off);
/* Byte offset of the character covering display column col (the start of
 * a wide character when col is its second column); strlen(s) past the end. */
size_t text_offset_of_col(const char *s, size_t col);

/* Joins the lines of Markdown paragraphs that were wrapped by hand (a
 * space between them, none between Japanese or Chinese characters); list
 * items, quotes, table rows and blank lines keep their own lines. For
 * display, where the screen wraps again. Owned. */
char *text_unwrap(const char *s);

#endif
