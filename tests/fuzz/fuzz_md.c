#include "config.h"

#include <stdlib.h>

#include "furikaeri/export_json.h"
#include "furikaeri/headings.h"
#include "furikaeri/import.h"
#include "fuzz.h"

/* Markdown with or without YAML front matter, as import reads a file; a
 * postmortem that parses is also exported, as `show --json` would. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct headings *h;
	struct postmortem *pm;
	char *err = NULL;

	if (h == NULL) {
		const char *dirs[] = { FK_SRCDIR "/data/headings" };

		h = headings_load(dirs, 1, &err);
		if (h == NULL)
			abort();
	}
	pm = import_md_parse((const char *)data, size, "fuzz.md", h, &err);
	if (pm != NULL) {
		free(export_json_postmortem(pm));
		postmortem_free(pm);
	}
	free(err);
	return 0;
}
