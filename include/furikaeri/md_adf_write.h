#ifndef FURIKAERI_MD_ADF_WRITE_H
#define FURIKAERI_MD_ADF_WRITE_H

#include <stddef.h>
#include <jansson.h>

/* Markdown to Atlassian Document Format (Jira Cloud's descriptions,
 * Confluence's page bodies): the other direction of md_adf_convert, made by
 * walking md4c. Headings, paragraphs, bullet, ordered and task lists,
 * tables, code blocks, quotes, rules, links, emphasis, strong, strike and
 * inline code become their ADF nodes and marks; line breaks inside a
 * paragraph stay line breaks. YAML front matter becomes a two-column table
 * (key, value) at the top, which the import reads back as the postmortem's
 * fields; a first "# heading" that repeats the front matter's title is left
 * out (the summary or the page's title says it). HTML comments (the
 * template's guidance) are left out; other HTML stays as text. Front matter
 * that is not YAML is kept as a code block. Pure: no I/O. */

/* The ADF document ({"type":"doc","version":1,...}) for md (len bytes).
 * Owned by the caller (json_decref). Never NULL. */
json_t *md_adf_write(const char *md, size_t len);

#endif
