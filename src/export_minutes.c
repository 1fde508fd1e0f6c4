#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "furikaeri/archive.h"
#include "furikaeri/err.h"
#include "furikaeri/export_json.h"
#include "furikaeri/export_md.h"
#include "furikaeri/export_minutes.h"
#include "furikaeri/paths.h"
#include "furikaeri/store_minutes_doc.h"
#include "furikaeri/xalloc.h"

int
export_minutes_write_file(const char *path, const char *text, char **err)
{
	char *tmp = xasprintf("%s.XXXXXX", path);
	size_t len = strlen(text), done = 0;
	int fd = mkstemp(tmp);

	if (fd < 0) {
		err_set(err, "%s: cannot create a file beside it: %s; check the folder exists "
			"and is writable", path, strerror(errno));
		free(tmp);
		return -1;
	}
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		done += (size_t)n;
	}
	if (fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	free(tmp);
	return 0;
fail:
	err_set(err, "%s: cannot write: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}

/* A source stored relative to the archive, as the reader of folder's
 * Markdown reaches it: a web link; a path from the folder when the folder
 * is in the same archive; else the file's full path on this machine (the
 * archive found from [postmortems] root or the current folder). */
static void
link_sources(struct minutes_doc *doc, const struct config *cfg, const char *folder)
{
	const char *conf = cfg != NULL ? cfg->postmortems_root : NULL;
	const char *url = cfg != NULL ? cfg->postmortems_url : NULL;
	char *dir = realpath(folder, NULL), *cwd = realpath(".", NULL);
	char *near = dir != NULL ? archive_root(dir, conf) : NULL;
	char *here = cwd != NULL ? archive_root(cwd, conf) : NULL;
	char *conf_abs = conf != NULL ? realpath(conf, NULL) : NULL;
	const char *roots[] = { near, conf_abs, here };

	if (here == NULL && cwd != NULL)
		roots[2] = here = xstrdup(cwd);	/* the folder imports ran in */
	for (size_t i = 0; i < doc->n_items; i++) {
		char *src = doc->items[i].pm_source, *link = NULL;
		if (src == NULL || src[0] == '/' || strstr(src, "://") != NULL)
			continue;
		if (url != NULL)
			link = xasprintf("%s%s%s", url, url[strlen(url) - 1] == '/' ? "" : "/", src);
		for (size_t k = 0; link == NULL && k < sizeof(roots) / sizeof(roots[0]); k++) {
			if (roots[k] == NULL)
				continue;
			char *abs = paths_join(roots[k], src);
			if (access(abs, F_OK) == 0)
				link = roots[k] == near ? archive_relative(abs, dir) : xstrdup(abs);
			free(abs);
		}
		if (link != NULL) {
			free(src);
			doc->items[i].pm_source = link;
		}
	}
	free(near);
	free(here);
	free(conf_abs);
	free(cwd);
	free(dir);
}

int
export_minutes_files(struct store *st, const char *week, const char *folder, char ***written,
		     size_t *n_written, char **err)
{
	return export_minutes_files_for(NULL, st, week, folder, written, n_written, err);
}

int
export_minutes_files_for(const struct config *cfg, struct store *st, const char *week,
			 const char *folder, char ***written, size_t *n_written, char **err)
{
	struct minutes_doc *doc = store_minutes_doc_load(st, week, err);
	char *texts[2] = { NULL, NULL }, *paths[2] = { NULL, NULL }, *probe;
	int rc = -1;

	if (written != NULL) {
		*written = NULL;
		*n_written = 0;
	}
	if (doc == NULL)
		return -1;
	probe = paths_join(folder, "x");
	if (paths_make_parent(probe, err) < 0) {
		free(probe);
		minutes_doc_free(doc);
		return -1;
	}
	free(probe);
	texts[1] = export_json_minutes(doc);
	link_sources(doc, cfg, folder);
	texts[0] = export_md_minutes(doc);
	for (int i = 0; i < 2; i++) {
		char *name = xasprintf("%s.%s", doc->week, i == 0 ? "md" : "json");
		paths[i] = paths_join(folder, name);
		free(name);
	}
	if (export_minutes_write_file(paths[0], texts[0], err) == 0 &&
	    export_minutes_write_file(paths[1], texts[1], err) == 0)
		rc = 0;
	for (int i = 0; i < 2; i++) {
		if (rc == 0 && written != NULL) {
			*written = xreallocarray(*written, *n_written + 1, sizeof(char *));
			(*written)[(*n_written)++] = paths[i];
		} else {
			free(paths[i]);
		}
		free(texts[i]);
	}
	minutes_doc_free(doc);
	return rc;
}

char *
export_minutes_folder(const struct config *cfg, char **err)
{
	struct stat sb;

	if (cfg != NULL && cfg->minutes_folder != NULL && cfg->minutes_folder[0] != '\0')
		return xstrdup(cfg->minutes_folder);
	if (stat("minutes", &sb) == 0 && S_ISDIR(sb.st_mode))
		return xstrdup("minutes");
	return paths_data_file("minutes", err);
}
