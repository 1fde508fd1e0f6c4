#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "furikaeri/archive.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"

const char *
archive_inside(const char *abs_path, const char *root)
{
	size_t n = root != NULL ? strlen(root) : 0;

	while (n > 1 && root[n - 1] == '/')
		n--;
	if (n == 0 || strncmp(abs_path, root, n) != 0 || abs_path[n] != '/')
		return abs_path;
	return abs_path + n + 1;
}

char *
archive_root(const char *abs_path, const char *root)
{
	struct stat sb;

	if (root != NULL && archive_inside(abs_path, root) != abs_path)
		return xstrdup(root);
	char *dir = xstrdup(abs_path);
	for (char *slash = strrchr(dir, '/'); slash != NULL && slash > dir;
	     slash = strrchr(dir, '/')) {
		*slash = '\0';
		char *git = xasprintf("%s/.git", dir);
		bool found = stat(git, &sb) == 0;
		free(git);
		if (found)
			return dir;
	}
	free(dir);
	return NULL;
}

char *
archive_relative(const char *abs_path, const char *from_dir)
{
	size_t common = 0, i = 0;
	struct strbuf sb = STRBUF_INIT;

	/* the longest shared run of whole folders */
	for (; abs_path[i] != '\0' && abs_path[i] == from_dir[i]; i++)
		if (abs_path[i] == '/')
			common = i;
	if (from_dir[i] == '\0' && abs_path[i] == '/')
		common = i;
	for (const char *p = from_dir + common; *p != '\0'; p++)
		if (*p == '/')
			strbuf_adds(&sb, "../");
	strbuf_adds(&sb, abs_path + common + 1);
	return strbuf_detach(&sb);
}
