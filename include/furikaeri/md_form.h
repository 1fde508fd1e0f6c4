#ifndef FURIKAERI_MD_FORM_H
#define FURIKAERI_MD_FORM_H

#include <stdbool.h>

/* GitHub issue-form bodies: every field is "### Label", a blank line and
 * its value; an empty field reads "_No response_" and checkboxes read
 * "- [X] option". Pure: no I/O. */

/* Whether body looks like an issue form: its first non-blank line is a
 * "### " heading and every heading in it is one. */
bool md_form_detect(const char *body);

/* Rewrites an issue-form body as Markdown import_md_parse maps like a file:
 * a field whose label is_meta(label) accepts (severity, date, status,
 * authors... as import_md knows them) becomes a "Label: value" line before
 * the first section when its value is one line; every other field becomes
 * a "## Label" section; "_No response_" fields are left out; "[X]" becomes
 * "[x]". Returns the Markdown (owned). is_meta may be NULL (no field is
 * metadata). */
char *md_form_normalise(const char *body, bool (*is_meta)(const char *label));

#endif
