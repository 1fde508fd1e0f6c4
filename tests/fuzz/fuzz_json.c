#include "config.h"

#include <stdlib.h>

#include "furikaeri/export_json.h"
#include "furikaeri/import.h"
#include "fuzz.h"

/* A JSON postmortem file (one object or an array), a status page's
 * incidents (Statuspage's, a cloud status feed) and a roster file: the
 * shapes import and demo read with jansson besides minutes. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct postmortem **pms = NULL;
	struct import_person *people = NULL;
	size_t n = 0;
	char *err = NULL;

	if (import_json_parse_all((const char *)data, size, "fuzz.json", &pms, &n, &err) == 0) {
		for (size_t i = 0; i < n; i++)
			free(export_json_postmortem(pms[i]));
		import_json_free_all(pms, n);
	}
	free(err);
	err = NULL;
	if (import_statuspage_is((const char *)data, size) &&
	    import_statuspage_parse_all((const char *)data, size, "fuzz.json", NULL, &pms, &n,
					&err) == 0) {
		for (size_t i = 0; i < n; i++)
			free(export_json_postmortem(pms[i]));
		import_json_free_all(pms, n);
	}
	free(err);
	err = NULL;
	if (import_json_people((const char *)data, size, "people.json", &people, &n, &err) == 0)
		import_people_free(people, n);
	free(err);
	return 0;
}
