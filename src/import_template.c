#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "furikaeri/date.h"
#include "furikaeri/err.h"
#include "furikaeri/headings.h"
#include "furikaeri/import.h"
#include "furikaeri/postmortem.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"
#include "import_md_private.h"

/* Whether a file is an unfilled template: placeholders left as written. */

static bool
contains_ci(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (; *s != '\0'; s++)
		if (strncasecmp(s, word, n) == 0)
			return true;
	return false;
}

/* Text a template leaves for the writer: "[Describe the impact]", "TBD",
 * "YYYY-MM-DD", "Owner:", "〇〇". */
static bool
placeholder_line(const char *line)
{
	char *t = text_trim(line);
	char *l = t;
	bool yes;

	while (strncmp(l, "- ", 2) == 0 || strncmp(l, "* ", 2) == 0 || strncmp(l, "[ ] ", 4) == 0 ||
	       (isdigit((unsigned char)l[0]) && l[1] == '.' && l[2] == ' '))
		l += l[0] == '[' ? 4 : l[1] == '.' ? 3 : 2;
	size_t n = strlen(l);
	yes = n == 0 || strspn(l, "|-: ") == n || strcasecmp(l, "tbd") == 0 ||
	      strcasecmp(l, "todo") == 0 || strcasecmp(l, "n/a") == 0 || strcmp(l, "...") == 0 ||
	      strcmp(l, "…") == 0 ||
	      (l[0] == '[' && l[n - 1] == ']') || (l[0] == '<' && l[n - 1] == '>') ||
	      (l[0] == '(' && l[n - 1] == ')') || strncmp(l, "{{", 2) == 0 ||
	      (n >= 6 && strncmp(l, "（", 3) == 0 && strcmp(l + n - 3, "）") == 0) ||
	      (n >= 6 && strncmp(l, "【", 3) == 0 && strcmp(l + n - 3, "】") == 0) ||
	      l[n - 1] == ':' || (n >= 3 && strcmp(l + n - 3, "：") == 0) ||
	      contains_ci(l, "yyyy-mm-dd") || contains_ci(l, "hh:mm") || contains_ci(l, "xxx") ||
	      strstr(l, "〇〇") != NULL || strstr(l, "○○") != NULL || strstr(l, "ここに") != NULL ||
	      strstr(l, "記入") != NULL;
	free(t);
	return yes;
}

static bool
placeholder_text(const char *text)
{
	for (const char *p = text; *p != '\0';) {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);
		bool ph = placeholder_line(line);
		free(line);
		if (!ph)
			return false;
		p += n;
		if (*p == '\n')
			p++;
	}
	return true;
}

/* Why a document reads as a template, or NULL. */
const char *
imd_template_reason(const struct postmortem *pm, const char *path)
{
	static const char *const words[] = { "template", "テンプレート", "ひな形", "雛形",
					      "ひながた" };
	static const char *const title_placeholders[] = { "(incident #)", "incident #)",
							  "[title]", "<title>", "{{", "[incident",
							  "xxx", "〇〇", "○○", "yyyy-mm-dd" };
	const char *base = strrchr(path, '/');

	base = base != NULL ? base + 1 : path;
	for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
		if (contains_ci(base, words[k]))
			return "the file name says it is a template";
		if (pm->title != NULL && contains_ci(pm->title, words[k]))
			return "the title says it is a template";
	}
	for (size_t k = 0; pm->title != NULL && k < sizeof(title_placeholders) / sizeof(title_placeholders[0]); k++)
		if (contains_ci(pm->title, title_placeholders[k]))
			return "the title is a placeholder";
	if (pm->n_sections < 2)
		return NULL;
	for (size_t i = 0; i < pm->n_sections; i++)
		if (!placeholder_text(pm->sections[i].text != NULL ? pm->sections[i].text : ""))
			return NULL;
	return "every section is empty or placeholder text";
}
