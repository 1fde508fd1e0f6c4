#include "config.h"

#include <stdlib.h>

#include "furikaeri/config.h"
#include "fuzz.h"

/* The INI config file as config_load reads it (text with a NUL at the end). */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	char *err = NULL;
	struct config *cfg = config_parse(text, "fuzz.ini", &err);

	if (cfg != NULL) {
		(void)config_person(cfg, "Aoi");
		(void)config_priority_for(cfg, "SEV1");
		config_free(cfg);
	}
	free(err);
	free(text);
	return 0;
}
