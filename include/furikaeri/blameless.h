#ifndef FURIKAERI_BLAMELESS_H
#define FURIKAERI_BLAMELESS_H

#include <stddef.h>

/* Wording hints: an entry that reads as blaming a person, or that proposes
 * "be more careful" instead of a mechanism, gets a short hint. The entry is
 * always recorded as typed; this only says which hint to show. Pure: the
 * caller reads the phrase files (data/blameless/en.txt, ja.txt and the
 * team's own) and hands over their contents.
 *
 * File syntax, one pattern per line, UTF-8:
 *   # a comment (whole lines only); blank lines are ignored
 *   [blame]     the patterns below read as blame (the default)
 *   [careful]   the patterns below ask people to be careful instead of
 *               proposing a mechanism
 *   forgot to   a phrase; Latin letters match ignoring case; a space matches
 *               any run of spaces, tabs and ideographic spaces; ' matches
 *               both ' and the typographic ’
 *   {person}    matches a name given at check time (the roster and the
 *               config's [people], ignoring ASCII case) and nothing else:
 *               "CI", "Redis" and "The deploy" are not people; it is the
 *               only placeholder, and a pattern needs some text besides it
 *   careless*   a final * lets the last word continue ("carelessness")
 * Phrases match whole words at a Latin-letter or digit edge: "blame" does
 * not match "blameless", and "forgot" does not match "forgotten" (write
 * "forgot*" for that). Japanese text has no word edges, so "うっかり"
 * matches inside any sentence. */

enum blameless_kind {
	BLAMELESS_NONE,
	BLAMELESS_BLAME,
	BLAMELESS_CAREFUL,
};

struct blameless;

struct blameless *blameless_new(void);
void blameless_free(struct blameless *b);
/* Adds the patterns in contents; name (the file's path) is used in error
 * messages as "name:line: problem; what to do". On error nothing from this
 * file is added. */
int blameless_load(struct blameless *b, const char *contents, const char *name, char **err);
size_t blameless_count(const struct blameless *b);

/* The kind of the first pattern (in load order) that matches text, or
 * BLAMELESS_NONE; *pattern (when not NULL) gets that pattern as written
 * (borrowed from b). names are the people to match {person}; may be NULL
 * when n_names is 0. */
enum blameless_kind blameless_match(const struct blameless *b, const char *text,
				    const char *const *names, size_t n_names,
				    const char **pattern);
/* The hint to show for text (static, borrowed), or NULL when none. */
const char *blameless_check(const struct blameless *b, const char *text,
			    const char *const *names, size_t n_names);
/* The hint text of a kind (static), NULL for BLAMELESS_NONE. */
const char *blameless_hint(enum blameless_kind kind);

#endif
