#include "config.h"

#include <string.h>

#include "furikaeri/tracker.h"

/* The one name table of the trackers: the name is the config section, the
 * value of [tracker] default and --tracker, and what the outbox records. */
static const char *const names[TRACKER_KIND_COUNT] = {
	[TRACKER_GITHUB] = "github",
	[TRACKER_JIRA] = "jira",
	[TRACKER_GITLAB] = "gitlab",
	[TRACKER_LINEAR] = "linear",
	[TRACKER_CONFLUENCE] = "confluence",
};

const char *
tracker_kind_name(enum tracker_kind kind)
{
	return (unsigned)kind < TRACKER_KIND_COUNT ? names[kind] : "?";
}

bool
tracker_kind_parse(const char *name, enum tracker_kind *out)
{
	for (int k = 0; name != NULL && k < TRACKER_KIND_COUNT; k++) {
		if (strcmp(name, names[k]) == 0) {
			*out = (enum tracker_kind)k;
			return true;
		}
	}
	return false;
}

bool
tracker_kind_files_measures(enum tracker_kind kind)
{
	/* Confluence takes postmortems as pages (new --to confluence), never
	 * a measure's ticket */
	return kind != TRACKER_CONFLUENCE;
}

const char *
tracker_kind_list(void)
{
	/* kept next to the table: every name, for messages */
	return "github, jira, gitlab or linear";
}
