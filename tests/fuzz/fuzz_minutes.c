#include "config.h"

#include <stdlib.h>

#include "furikaeri/export_json.h"
#include "furikaeri/export_md.h"
#include "furikaeri/export_slack.h"
#include "furikaeri/import.h"
#include "furikaeri/minutes.h"
#include "fuzz.h"

/* Minutes exported as JSON, read back as import does; minutes that load
 * are exported again in every format, which walks every field. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct minutes_doc *doc;
	char *err = NULL;

	(void)import_json_is_minutes((const char *)data, size);
	doc = import_json_minutes((const char *)data, size, "fuzz.json", &err);
	if (doc != NULL) {
		free(export_json_minutes(doc));
		free(export_md_minutes(doc));
		free(export_slack_minutes(doc));
		minutes_doc_free(doc);
	}
	free(err);
	return 0;
}
