#ifndef FURIKAERI_MD_ADF_H
#define FURIKAERI_MD_ADF_H

#include <stddef.h>

/* Atlassian Document Format (Jira Cloud REST v3's rich text) to Markdown
 * that import_md_parse reads: headings, paragraphs, bullet, ordered and
 * task lists, tables, code blocks, quotes, rules, panels (a quote starting
 * with the panel's kind), expands, marks (strong, em, code, strike, link),
 * mentions, emoji, status lozenges ("[IN PROGRESS]"), dates, cards and
 * media. A node it does not know keeps its text, or shows as "[type]" when
 * it has none: nothing is dropped silently. Pure: no I/O. */

/* Converts the ADF document in json (len bytes). Returns Markdown (owned),
 * or NULL with *err saying "what: problem" (what names the document for
 * the message, e.g. the URL). A JSON null or "" is an empty
 * document. */
char *md_adf_convert(const char *json, size_t len, const char *what, char **err);

#endif
