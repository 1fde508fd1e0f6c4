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

/* What a file's name says: its id, a readable title, a date, and whether
 * it is a postmortem at all (README, CHANGELOG...). */

static char *
base_name_without_extension(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t n = dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base);
	return xstrndup(base, n);
}

char *
import_id_from_path(const char *path)
{
	char *base = base_name_without_extension(path);
	struct strbuf sb = STRBUF_INIT;
	bool dash = false;
	size_t len = strlen(base);

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = text_utf8_decode(base + i, len - i, &cp);
		bool keep = (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
			    (cp >= 'A' && cp <= 'Z') ||
			    (cp >= 0x80 && cp != 0xFFFD && cp != 0x3000 && !(cp >= 0x3001 && cp <= 0x3003) &&
			     !(cp >= 0xFF01 && cp <= 0xFF0F));
		if (keep) {
			if (dash && sb.len > 0)
				strbuf_addc(&sb, '-');
			dash = false;
			if (cp >= 'A' && cp <= 'Z')
				strbuf_addc(&sb, (char)(cp - 'A' + 'a'));
			else
				strbuf_add(&sb, base + i, n);
		} else {
			dash = true;
		}
		i += n ? n : 1;
	}
	free(base);
	if (sb.len == 0) {
		strbuf_release(&sb);
		return xstrdup("postmortem");
	}
	return strbuf_detach(&sb);
}

/* The file name made readable: "2016-05-10-initial_kubernetes.md" ->
 * "Initial kubernetes". */
char *
imd_readable_name(const char *path)
{
	char *base = base_name_without_extension(path);
	const char *p = base;
	struct date_parts d;
	size_t n = date_parse_prefix(p, &d);
	struct strbuf sb = STRBUF_INIT;

	if (n == 0 && strspn(p, "0123456789") == 8)
		n = 8;
	p += n;
	for (; *p != '\0'; p++) {
		char ch = *p == '_' || *p == '-' ? ' ' : *p;
		if (ch == ' ' && (sb.len == 0 || sb.buf[sb.len - 1] == ' '))
			continue;
		strbuf_addc(&sb, ch);
	}
	while (sb.len > 0 && sb.buf[sb.len - 1] == ' ')
		sb.buf[--sb.len] = '\0';
	if (sb.len == 0) {
		strbuf_release(&sb);
		return base;
	}
	free(base);
	if (sb.buf[0] >= 'a' && sb.buf[0] <= 'z')
		sb.buf[0] = (char)(sb.buf[0] - 'a' + 'A');
	return strbuf_detach(&sb);
}

/* A date in the file name: "2019-01-23.md", "20210305_blank.md". */
bool
imd_date_from_name(const char *path, enum date_order order, struct date_parts *d)
{
	char *base = base_name_without_extension(path);
	size_t at;
	bool ok = date_find_ordered(base, order, d, &at, NULL) > 0;

	if (!ok && strspn(base, "0123456789") == 8) {
		d->year = (base[0] - '0') * 1000 + (base[1] - '0') * 100 + (base[2] - '0') * 10 +
			  (base[3] - '0');
		d->month = (base[4] - '0') * 10 + (base[5] - '0');
		d->day = (base[6] - '0') * 10 + (base[7] - '0');
		d->hour = d->minute = -1;
		d->tz[0] = '\0';
		ok = date_valid(d->year, d->month, d->day);
	}
	free(base);
	return ok;
}

const char *
import_not_postmortem_name(const char *path)
{
	static const struct {
		const char *name;	/* the base name without extension, any case */
		const char *why;
	} names[] = {
		{ "readme", "a README describes its folder" },
		{ "index", "an index page lists the folder" },
		{ "_index", "a Hugo section page lists the folder" },
		{ "summary", "a SUMMARY is a book's table of contents" },
		{ "changelog", "a CHANGELOG lists changes" },
		{ "contributing", "CONTRIBUTING says how to contribute" },
		{ "license", "a LICENSE is not a postmortem" },
		{ "code_of_conduct", "a code of conduct is not a postmortem" },
		{ "security", "a SECURITY file is a policy" },
		{ "mkdocs", "a site configuration" },
		{ "package", "a package manifest" },
		{ "tsconfig", "a configuration file" },
		{ "config", "a configuration file" },
		{ "_config", "a site configuration" },
	};
	const char *base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t n = dot != NULL && dot != base ? (size_t)(dot - base) : strlen(base);

	bool json = dot != NULL && strcasecmp(dot, ".json") == 0;
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		/* a configuration file's name says so only in JSON */
		bool config = strstr(names[k].why, "configuration") != NULL ||
			      strstr(names[k].why, "manifest") != NULL;
		if (strlen(names[k].name) == n && strncasecmp(base, names[k].name, n) == 0 &&
		    (!config || json))
			return names[k].why;
	}
	if (strncasecmp(base, "readme", 6) == 0)
		return names[0].why;
	if (base[0] == '.')
		return "a hidden file";
	return NULL;
}
