#include "config.h"

#include <stdlib.h>

#include "furikaeri/command.h"
#include "fuzz.h"

/* One input line of the meeting screen: parsed as Enter would, and
 * completed as Tab would, against a roster with a name holding a space. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "Aoi", "Ben Okafor", "payments", "佐藤" };
	char *line = fuzz_string(data, size);
	struct command_result r = { 0 };
	struct command_completions c = { 0 };
	char *err = NULL;

	if (command_parse(line, &r, &err) == 0)
		command_result_clear(&r);
	free(err);
	command_complete(line, names, sizeof(names) / sizeof(names[0]), &c);
	command_completions_clear(&c);
	free(line);
	return 0;
}
