#ifndef FURIKAERI_HEADINGS_H
#define FURIKAERI_HEADINGS_H

#include <stddef.h>

/* Section heading synonyms: which heading text means which section key
 * (postmortem.h's SECTION_* keys). Loaded from data files, one per key,
 * so that a team can add its own words. */

struct headings;

/* Loads every "<key>.txt" file of each folder in dirs (later folders add to
 * earlier ones; a missing folder is skipped). One synonym per line, '#'
 * starts a comment. Errors name file:line. */
struct headings *headings_load(const char *const *dirs, size_t n_dirs, char **err);
void headings_free(struct headings *h);
/* The section key a heading means (borrowed), or NULL when unknown. The
 * match ignores case, numbering ("3.", "3)"), emoji, punctuation and
 * surrounding words such as "the", and tolerates small misspellings. */
const char *headings_match(const struct headings *h, const char *heading);

#endif
