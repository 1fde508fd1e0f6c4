#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/md_form.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"

/* One "### Label" and the lines after it. */
struct field {
	char *label;
	struct strbuf value;
};

static bool
is_form_heading(const char *line, size_t n)
{
	return n > 4 && strncmp(line, "### ", 4) == 0;
}

static bool
blank_line(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

bool
md_form_detect(const char *body)
{
	const char *p = body != NULL ? body : "";
	bool first = true, in_fence = false;

	while (*p != '\0') {
		size_t n = strcspn(p, "\n");
		if (strncmp(p, "```", 3) == 0)
			in_fence = !in_fence;
		if (!in_fence && first && !blank_line(p, n)) {
			if (!is_form_heading(p, n))
				return false;
			first = false;
		} else if (!in_fence && n > 0 && p[0] == '#' && !is_form_heading(p, n)) {
			/* "# Title" or "## Section": a Markdown document, not a form */
			size_t h = strspn(p, "#");
			if (h <= 6 && p[h] == ' ')
				return false;
		}
		p += n;
		if (*p == '\n')
			p++;
	}
	return !first;
}

/* The value without its surrounding blank lines. */
static char *
trimmed(const struct strbuf *sb)
{
	const char *s = strbuf_str(sb);
	size_t n = sb->len;

	while (n > 0 && (s[0] == '\n' || s[0] == '\r')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	return xstrndup(s, n);
}

/* "- [X] a" -> "- [x] a", as a task list item. */
static void
add_line(struct strbuf *out, const char *line, size_t n)
{
	size_t lead = strspn(line, " ");

	if (n >= lead + 6 && (line[lead] == '-' || line[lead] == '*') &&
	    strncmp(line + lead + 1, " [X]", 4) == 0) {
		strbuf_add(out, line, lead + 3);
		strbuf_addc(out, 'x');
		strbuf_add(out, line + lead + 4, n - lead - 4);
	} else {
		strbuf_add(out, line, n);
	}
}

char *
md_form_normalise(const char *body, bool (*is_meta)(const char *label))
{
	struct field *fields = NULL;
	size_t n_fields = 0;
	struct strbuf meta = STRBUF_INIT, sections = STRBUF_INIT;
	const char *p = body != NULL ? body : "";
	bool in_fence = false;

	while (*p != '\0') {
		size_t n = strcspn(p, "\n");
		if (!in_fence && is_form_heading(p, n)) {
			fields = xreallocarray(fields, n_fields + 1, sizeof(*fields));
			fields[n_fields].label = xstrndup(p + 4, n - 4);
			size_t l = strlen(fields[n_fields].label);
			while (l > 0 && (fields[n_fields].label[l - 1] == ' ' ||
					 fields[n_fields].label[l - 1] == '\r'))
				fields[n_fields].label[--l] = '\0';
			fields[n_fields].value = (struct strbuf)STRBUF_INIT;
			n_fields++;
		} else if (n_fields > 0) {
			if (strncmp(p + strspn(p, " "), "```", 3) == 0)
				in_fence = !in_fence;
			add_line(&fields[n_fields - 1].value, p, n);
			strbuf_addc(&fields[n_fields - 1].value, '\n');
		}
		p += n;
		if (*p == '\n')
			p++;
	}
	for (size_t i = 0; i < n_fields; i++) {
		char *value = trimmed(&fields[i].value);
		bool empty = value[0] == '\0' || strcmp(value, "_No response_") == 0;
		if (!empty && is_meta != NULL && strchr(value, '\n') == NULL &&
		    is_meta(fields[i].label)) {
			strbuf_addf(&meta, "%s: %s\n", fields[i].label, value);
		} else if (!empty) {
			strbuf_addf(&sections, "## %s\n\n%s\n\n", fields[i].label, value);
		}
		free(value);
		free(fields[i].label);
		strbuf_release(&fields[i].value);
	}
	free(fields);
	if (meta.len > 0 && sections.len > 0)
		strbuf_addc(&meta, '\n');
	strbuf_adds(&meta, strbuf_str(&sections));
	strbuf_release(&sections);
	strbuf_rtrim(&meta);
	if (meta.len > 0)
		strbuf_addc(&meta, '\n');
	return strbuf_detach(&meta);
}
