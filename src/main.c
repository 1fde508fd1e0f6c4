#include "config.h"

#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("furikaeri %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		printf("usage: furikaeri [--db PATH] [--config PATH] COMMAND [ARGS]\n");
		return 0;
	}
	return 2;
}
