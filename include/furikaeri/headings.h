#ifndef FURIKAERI_HEADINGS_H
#define FURIKAERI_HEADINGS_H

#include <stddef.h>
#include <stdint.h>

/* Section heading synonyms: which heading text means which section key
 * (postmortem.h's SECTION_* keys). Loaded from data files, one per key,
 * so that a team can add its own words. */

struct headings;

/* Loads every "<key>.txt" file of each folder in dirs (later folders add to
 * earlier ones; a missing folder is skipped). Keys are the file names, made
 * of a-z, 0-9 and '_'. One synonym per line, '#' at the start of a line or
 * after a blank starts a comment, UTF-8. Errors name file:line. Returns an
 * owned set (free with headings_free), or NULL with *err set. */
struct headings *headings_load(const char *const *dirs, size_t n_dirs, char **err);
/* Loads the shipped synonyms from paths_data_dir()/headings. */
struct headings *headings_load_default(char **err);
void headings_free(struct headings *h);
/* Adds one synonym for key (both copied). Returns -1 when the synonym is
 * empty once normalised. */
int headings_add(struct headings *h, const char *key, const char *synonym);
/* The number of synonyms loaded. */
size_t headings_count(const struct headings *h);
/* The section key a heading means (borrowed), or NULL when unknown. The
 * match ignores case, numbering ("3.", "3)", "II.", "第3章"), emoji,
 * punctuation, bracketed asides ("Impact (customer-facing)"), full-width
 * forms and surrounding words such as "the"; the longest synonym found in
 * the heading wins, and Latin synonyms of 6 or more letters tolerate one
 * misspelling ("Root Casue"). A NULL h matches nothing. */
const char *headings_match(const struct headings *h, const char *heading);
struct postmortem;
/* The one readiness check, for every format: marks pm not ready when its
 * status is one the readiness list keeps off the agenda ("draft", "in
 * review"...). readiness may be NULL. */
void headings_settle_readiness(const struct headings *readiness, struct postmortem *pm);
/* A hash of every synonym and key: files are read again when it changes. */
uint64_t headings_fingerprint(const struct headings *h);
/* The comparison form of a heading as headings_match sees it: lower case,
 * half-width, no numbering, emoji, asides or punctuation, single spaces
 * (owned). */
char *headings_normalise(const char *heading);

#endif
