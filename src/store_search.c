#include "config.h"

#include "store_private.h"

int
store_after_migration(struct store *st, int version, char **err)
{
	(void)st;
	(void)version;
	(void)err;
	return 0;
}
