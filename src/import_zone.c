#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "furikaeri/date.h"
#include "furikaeri/import.h"
#include "furikaeri/xalloc.h"

/* Time zones as postmortems write them. The model knows offsets and the
 * common abbreviations (date_zone_known); an IANA name is asked of the
 * system's zone database here, outside the model. */

static bool
iana_syntax(const char *tz)
{
	bool part_start = true;

	if (strchr(tz, '/') == NULL && strcmp(tz, "UTC") != 0)
		return false;
	for (const char *p = tz; *p != '\0'; p++) {
		char c = *p;
		if (part_start && !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
			return false;
		part_start = c == '/';
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '+' || c == '/'))
			return false;
	}
	return !part_start;
}

/* Without a zone database (a minimal system has none), an IANA name is
 * taken when its area is one of the database's. */
static bool
iana_area(const char *tz)
{
	static const char *const areas[] = {
		"Africa/", "America/", "Antarctica/", "Arctic/", "Asia/", "Atlantic/",
		"Australia/", "Europe/", "Indian/", "Pacific/", "Etc/",
	};

	for (size_t i = 0; i < sizeof(areas) / sizeof(areas[0]); i++)
		if (strncmp(tz, areas[i], strlen(areas[i])) == 0)
			return true;
	return false;
}

bool
import_zone_valid(const char *tz)
{
	struct stat sb;

	if (date_zone_known(tz))
		return true;
	if (tz == NULL || !iana_syntax(tz))
		return false;
	const char *dir = getenv("TZDIR");
	if (dir == NULL || dir[0] == '\0')
		dir = "/usr/share/zoneinfo";
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return iana_area(tz);
	char *path = xasprintf("%s/%s", dir, tz);
	bool ok = stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
	free(path);
	return ok;
}
