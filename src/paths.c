#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "furikaeri/err.h"
#include "furikaeri/paths.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"

char *
paths_join(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	if (n > 0 && dir[n - 1] == '/')
		return xasprintf("%s%s", dir, name);
	return xasprintf("%s/%s", dir, name);
}

int
paths_make_parent(const char *path, char **err)
{
	char *copy = xstrdup(path);

	for (char *p = copy + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0700) < 0 && errno != EEXIST) {
			err_set(err, "%s: cannot create the folder: %s", copy, strerror(errno));
			free(copy);
			return -1;
		}
		*p = '/';
	}
	free(copy);
	return 0;
}

static char *
xdg_file(const char *var, const char *fallback, const char *name, char **err)
{
	const char *base = getenv(var);
	const char *home = getenv("HOME");

	if (base != NULL && base[0] == '/')
		return xasprintf("%s/furikaeri/%s", base, name);
	if (home == NULL || home[0] == '\0') {
		err_set(err, "neither %s nor HOME is set; set one of them, or give the path "
			"explicitly", var);
		return NULL;
	}
	return xasprintf("%s/%s/furikaeri/%s", home, fallback, name);
}

char *
paths_default_db(char **err)
{
	const char *env = getenv("FURIKAERI_DB");

	if (env != NULL && env[0] != '\0')
		return xstrdup(env);
	return xdg_file("XDG_DATA_HOME", ".local/share", "furikaeri.db", err);
}

char *
paths_data_file(const char *name, char **err)
{
	return xdg_file("XDG_DATA_HOME", ".local/share", name, err);
}

char *
paths_default_config(char **err)
{
	return xdg_file("XDG_CONFIG_HOME", ".config", "config.ini", err);
}

char *
paths_data_dir(void)
{
	const char *env = getenv("FURIKAERI_DATADIR");
	char exe[PATH_MAX];
	ssize_t n;

	if (env != NULL && env[0] != '\0')
		return xstrdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash != NULL) {
			*slash = '\0';
			/* tests link the same code from tests/ under the build tree */
			size_t blen = strlen(FK_BUILDDIR);
			if (strcmp(exe, FK_BUILDDIR) == 0 ||
			    (strncmp(exe, FK_BUILDDIR, blen) == 0 && exe[blen] == '/'))
				return xstrdup(FK_SRCDIR "/data");
		}
	}
	return xstrdup(FK_PKGDATADIR);
}

int
paths_data_require(const char *const *names, size_t n, char **err)
{
	const char *env = getenv("FURIKAERI_DATADIR");
	const char *from = env != NULL && env[0] != '\0' ? " (FURIKAERI_DATADIR)" : "";
	char *data = paths_data_dir();
	struct strbuf missing = STRBUF_INIT;
	struct stat sb;
	size_t n_missing = 0;

	if (stat(data, &sb) < 0 || !S_ISDIR(sb.st_mode)) {
		err_set(err, "%s: the data folder%s does not exist; reinstall furikaeri (make "
			"install), or set FURIKAERI_DATADIR to the folder holding headings/",
			data, from);
		free(data);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		char *path = paths_join(data, names[i]);

		if (stat(path, &sb) < 0) {
			strbuf_addf(&missing, "%s%s", n_missing > 0 ? ", " : "", names[i]);
			n_missing++;
		}
		free(path);
	}
	if (n_missing > 0) {
		err_set(err, "%s: the data folder%s is incomplete: %s %s missing; reinstall "
			"furikaeri (make install), or set FURIKAERI_DATADIR to a complete copy",
			data, from, strbuf_str(&missing), n_missing > 1 ? "are" : "is");
		strbuf_release(&missing);
		free(data);
		return -1;
	}
	free(data);
	return 0;
}

int
paths_read_file(const char *path, char **buf, size_t *len, char **err)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char chunk[65536];
	size_t n;

	if (f == NULL) {
		err_set(err, "%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		strbuf_add(&sb, chunk, n);
	if (ferror(f)) {
		err_set(err, "%s: cannot read: %s", path, strerror(errno));
		fclose(f);
		strbuf_release(&sb);
		return -1;
	}
	fclose(f);
	*len = sb.len;
	*buf = strbuf_detach(&sb);
	return 0;
}

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
paths_list(const char *dir, const char *suffix, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t slen = strlen(suffix);

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < slen || strcmp(de->d_name + len - slen, suffix) != 0)
			continue;
		names = xreallocarray(names, *n + 1, sizeof(char *));
		names[(*n)++] = paths_join(dir, de->d_name);
	}
	closedir(d);
	if (*n > 0)
		qsort(names, *n, sizeof(char *), compare_strings);
	return names;
}
