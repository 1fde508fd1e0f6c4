#ifndef FURIKAERI_MD_WIKI_H
#define FURIKAERI_MD_WIKI_H

/* Jira wiki markup (Jira Data Center / Server REST v2 descriptions) to
 * Markdown that import_md_parse reads: h1. to h6., *bold*, _italic_,
 * -strike-, +underline+, {{monospace}}, [text|url] and [url] links,
 * [~user] mentions, bullet and numbered lists (nested with ** and ##),
 * ||header|| and |cell| tables, {code}, {noformat}, {quote} and bq.,
 * {panel:title=T}, {color} (colour dropped, text kept), ----, \\ line
 * breaks and the (/) (x) (!) (?) (i) icons. An unknown {macro} keeps its
 * text. Pure: no I/O. */

/* Returns Markdown (owned); text may be NULL (an empty description). */
char *md_wiki_convert(const char *text);

#endif
